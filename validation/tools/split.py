#!/usr/bin/env python3
"""Write reference-tune.csv and reference-report.csv: the hand-coded reference
split by the `half` column of corpus/metadata.csv. The halves were assigned
before any automatic coding (see README.md); this only splits the file."""
import csv, os
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
half = {r["path"]: r["half"] for r in csv.DictReader(open(os.path.join(here, "corpus", "metadata.csv"), encoding="utf-8"))}
rows = list(csv.DictReader(open(os.path.join(here, "reference.csv"), encoding="utf-8")))
for h in ["tune", "report"]:
    with open(os.path.join(here, f"reference-{h}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        for r in rows:
            if half[r["passage_id"].split("#")[0]] == h:
                w.writerow(r)
