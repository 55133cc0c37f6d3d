"""Build the sixth held-out set: python3 validation/holdout6/tools/build.py

Writes validation/holdout6/corpus/rNNN.txt, corpus/metadata.csv (with the
half each passage belongs to: `tune` or `report`), reference.csv (the six
tactic codes plus `influence` and `advocacy`) and reference-types.csv (the
influence types and advocacy activities) from passages_en.py and
passages_id.py, shuffled with random.Random(2043). The halves are drawn
within each language × register stratum, alternately, after the shuffle, so
both halves hold the same mix. Run once when the set was committed, before
tanda ever ran on it; the seed and the split are fixed.
"""
import csv
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "..", "tools"))
from sets import ADV, CATS, INFL, codes_to_row, load_passages, write_texts  # noqa: E402


def main():
    passages = load_passages(HERE, "passages_en") + load_passages(HERE, "passages_id")
    random.Random(2043).shuffle(passages)
    seen = {}
    for p in passages:
        stratum = (p["lang"], p["reg"])
        k = seen.get(stratum, 0)
        p["half"] = "tune" if k % 2 == 0 else "report"
        seen[stratum] = k + 1
    corpus = os.path.join(ROOT, "corpus")
    write_texts(corpus, passages, "r")
    with open(os.path.join(corpus, "metadata.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["path", "language", "register", "half", "synthetic", "note"])
        for p in passages:
            w.writerow([p["path"], p["lang"], p["reg"], p["half"], "yes", p["note"]])
    cols = CATS + ["influence", "advocacy"]
    ordered = sorted(passages, key=lambda q: q["path"])
    with open(os.path.join(ROOT, "reference.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["passage_id"] + cols)
        for p in ordered:
            r = codes_to_row(p["codes"])
            r["influence"] = int(bool(p["infl"]))
            r["advocacy"] = int(bool(p["adv"]))
            w.writerow([p["path"] + "#doc"] + [r[c] for c in cols])
    with open(os.path.join(ROOT, "reference-types.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["passage_id"] + [f"influence.{v}" for v in INFL.values()]
                   + [f"advocacy.{v}" for v in ADV.values()])
        for p in ordered:
            w.writerow([p["path"] + "#doc"] + [int(k in p["infl"]) for k in INFL]
                       + [int(k in p["adv"]) for k in ADV])
    n = len(passages)
    ind = sum(p["lang"] == "id" for p in passages)
    halves = {h: sum(p["half"] == h for p in passages) for h in ("tune", "report")}
    pos = {c: sum(codes_to_row(p["codes"])[c] for p in passages) for c in CATS}
    pos["influence"] = sum(bool(p["infl"]) for p in passages)
    pos["advocacy"] = sum(bool(p["adv"]) for p in passages)
    neg = sum(1 for p in passages if not p["codes"])
    print(f"wrote {n} passages ({ind} id), halves {halves}, tactic-negatives {neg}, positives {pos}")


if __name__ == "__main__":
    main()
