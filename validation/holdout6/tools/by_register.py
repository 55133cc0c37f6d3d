"""Krippendorff's alpha per register group, computed by `tanda agree` on each group's rows
of a reference (academic; legal = statute + legal commentary; reports = government, NGO and
other country reports).

    python3 validation/holdout6/tools/by_register.py RESULTS [report|tune]   # holdout6's halves
    python3 validation/holdout6/tools/by_register.py RESULTS SET_DIR         # a whole set, e.g.
                                                                              # validation/holdout7
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GROUP = {"academic": "academic", "statute": "legal", "legal": "legal",
         "gov_report": "reports", "ngo_report": "reports", "report": "reports"}
CATS = ["information", "symbolic", "leverage", "leverage.material", "leverage.moral",
        "accountability", "influence", "advocacy"]


def main():
    results, which = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "report")
    tanda = os.environ.get("TANDA", "target/release/tanda")
    if which in ("report", "tune"):
        root, ref = ROOT, os.path.join(ROOT, f"reference-{which}.csv")
    else:
        root, ref = which, os.path.join(which, "reference.csv")
    meta = {r["path"]: r for r in csv.DictReader(open(os.path.join(root, "corpus", "metadata.csv"), encoding="utf-8"))}
    rows = list(csv.DictReader(open(ref, encoding="utf-8")))
    print("| register | passages | " + " | ".join(CATS) + " |")
    print("|---|---:|" + "---:|" * len(CATS))
    with tempfile.TemporaryDirectory() as tmp:
        for g in ("academic", "legal", "reports"):
            sub = [r for r in rows if GROUP[meta[r["passage_id"][:-4]]["register"]] == g]
            fn = os.path.join(tmp, f"{g}.csv")
            with open(fn, "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()), lineterminator="\n")
                w.writeheader()
                w.writerows(sub)
            p = subprocess.run([tanda, "agree", fn, results, "--reference", g, "--categories", ",".join(CATS),
                                "--format", "json"], capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(p.stderr)
            alpha = {r["category"]: r["alpha"] for r in json.loads(p.stdout)["agreement"]}
            cells = ["–" if alpha.get(c) is None else f"{alpha[c]:.2f}" for c in CATS]
            print(f"| {g} | {len(sub)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
