"""Build the seventh held-out set: python3 validation/holdout7/tools/build.py

Writes validation/holdout7/corpus/sNNN.txt, corpus/metadata.csv and reference.csv
(the six tactic codes, `influence` and `advocacy`, then the influence types and
advocacy activities as `influence.*` and `advocacy.*` columns) from passages_en.py
and passages_id.py, shuffled with random.Random(2047). No halves: the whole set is
scored once. Run once when the set was committed, before tanda ever ran on it.
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
    random.Random(2047).shuffle(passages)
    corpus = os.path.join(ROOT, "corpus")
    write_texts(corpus, passages, "s")
    with open(os.path.join(corpus, "metadata.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["path", "language", "register", "synthetic", "note"])
        for p in passages:
            w.writerow([p["path"], p["lang"], p["reg"], "yes", p["note"]])
    cols = CATS + ["influence", "advocacy"]
    types = [f"influence.{v}" for v in INFL.values()] + [f"advocacy.{v}" for v in ADV.values()]
    with open(os.path.join(ROOT, "reference.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["passage_id"] + cols + types)
        for p in sorted(passages, key=lambda q: q["path"]):
            r = codes_to_row(p["codes"])
            r["influence"] = int(bool(p["infl"]))
            r["advocacy"] = int(bool(p["adv"]))
            w.writerow([p["path"] + "#doc"] + [r[c] for c in cols]
                       + [int(k in p["infl"]) for k in INFL] + [int(k in p["adv"]) for k in ADV])
    n = len(passages)
    ind = sum(p["lang"] == "id" for p in passages)
    pos = {c: sum(codes_to_row(p["codes"])[c] for p in passages) for c in CATS}
    pos["influence"] = sum(bool(p["infl"]) for p in passages)
    pos["advocacy"] = sum(bool(p["adv"]) for p in passages)
    neg = sum(1 for p in passages if not p["codes"])
    regs = {}
    for p in passages:
        regs[p["reg"]] = regs.get(p["reg"], 0) + 1
    print(f"wrote {n} passages ({ind} id), registers {regs}, tactic-negatives {neg}, positives {pos}")


if __name__ == "__main__":
    main()
