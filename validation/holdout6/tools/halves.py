"""Write reference-tune.csv and reference-report.csv for the sixth set: the rows of one half
(metadata `half`), with the tactic columns, influence, advocacy and the type columns of
reference-types.csv (influence.*, advocacy.*) side by side, as `tanda agree` reads them.
The report half is for the reported figures only (see README, "Protocol")."""
import csv
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    meta = {r["path"]: r for r in csv.DictReader(open(os.path.join(ROOT, "corpus", "metadata.csv"), encoding="utf-8"))}
    ref = list(csv.DictReader(open(os.path.join(ROOT, "reference.csv"), encoding="utf-8")))
    types = {r["passage_id"]: r for r in csv.DictReader(open(os.path.join(ROOT, "reference-types.csv"), encoding="utf-8"))}
    for half in ("tune", "report"):
        rows = []
        for r in ref:
            if meta[r["passage_id"][: -len("#doc")]]["half"] != half:
                continue
            row = dict(r)
            row.update(types[r["passage_id"]])
            rows.append(row)
        out = os.path.join(ROOT, f"reference-{half}.csv")
        with open(out, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {out}: {len(rows)} passages")


if __name__ == "__main__":
    main()
