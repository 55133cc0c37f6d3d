"""Build the held-out validation set from the hand-coded passages.

Writes corpus/hNNN.txt, corpus/metadata.csv and reference.csv under
validation/holdout/. The English and Indonesian lists are concatenated and
shuffled with random.Random(2026) so positives and hard negatives interleave.
There are no halves: the whole set is held out (see ../README.md).
"""
import csv, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from passages_en import P as PEN
from passages_id import P as PID

ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "corpus")
CATS = ["information", "symbolic", "leverage", "leverage.material", "leverage.moral", "accountability"]
LETTER = {"I": "information", "S": "symbolic", "M": "leverage.material", "O": "leverage.moral", "A": "accountability", "G": "leverage"}


def codes_to_row(codes):
    row = {c: 0 for c in CATS}
    for ch in codes:
        row[LETTER[ch]] = 1
    if row["leverage.material"] or row["leverage.moral"]:
        row["leverage"] = 1
    return row


def main():
    passages = PEN + PID
    random.Random(2026).shuffle(passages)
    os.makedirs(CORPUS, exist_ok=True)
    for f in os.listdir(CORPUS):
        if f.endswith(".txt"):
            os.remove(os.path.join(CORPUS, f))
    for i, p in enumerate(passages, 1):
        p["path"] = f"h{i:03d}.txt"
        text = " ".join(p["text"].split())
        with open(os.path.join(CORPUS, p["path"]), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text + "\n")

    with open(os.path.join(CORPUS, "metadata.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["path", "language", "register", "synthetic", "note"])
        for p in passages:
            w.writerow([p["path"], p["lang"], p["reg"], "yes", p["note"]])

    with open(os.path.join(ROOT, "reference.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["passage_id"] + CATS)
        for p in sorted(passages, key=lambda q: q["path"]):
            r = codes_to_row(p["codes"])
            w.writerow([p["path"] + "#doc"] + [r[c] for c in CATS])
    counts = {c: sum(codes_to_row(p["codes"])[c] for p in passages) for c in CATS}
    neg = sum(1 for p in passages if not p["codes"])
    ind = sum(1 for p in passages if p["lang"] == "id")
    print(f"wrote {len(passages)} passages ({ind} id, {100*ind/len(passages):.1f}%), hard negatives {neg}, positives {counts}")


if __name__ == "__main__":
    main()
