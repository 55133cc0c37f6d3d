"""Build the tanda validation set from the hand-coded passages.

Writes corpus/vNNN.txt, corpus/metadata.csv and reference.csv.
Passage order: the English and Indonesian lists are concatenated and shuffled
with random.Random(1998) so that positives and hard negatives are interleaved.
Halves: within each language (en, then id) the sorted paths are shuffled with a
single random.Random(2011) instance; the first ceil(n/2) go to `tune`, the rest
to `report`.
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
    random.Random(1998).shuffle(passages)
    os.makedirs(CORPUS, exist_ok=True)
    for f in os.listdir(CORPUS):
        if f.endswith(".txt"):
            os.remove(os.path.join(CORPUS, f))
    for i, p in enumerate(passages, 1):
        p["path"] = f"v{i:03d}.txt"
        text = " ".join(p["text"].split())
        with open(os.path.join(CORPUS, p["path"]), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text + "\n")

    rng = random.Random(2011)
    half = {}
    for lang in ["en", "id"]:
        paths = sorted(p["path"] for p in passages if p["lang"] == lang)
        rng.shuffle(paths)
        k = (len(paths) + 1) // 2
        for j, path in enumerate(paths):
            half[path] = "tune" if j < k else "report"

    with open(os.path.join(CORPUS, "metadata.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["path", "language", "register", "half", "synthetic", "note"])
        for p in passages:
            w.writerow([p["path"], p["lang"], p["reg"], half[p["path"]], "yes", p["note"]])

    with open(os.path.join(ROOT, "reference.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["passage_id"] + CATS)
        for p in sorted(passages, key=lambda q: q["path"]):
            r = codes_to_row(p["codes"])
            w.writerow([p["path"] + "#doc"] + [r[c] for c in CATS])
    print(f"wrote {len(passages)} passages")


if __name__ == "__main__":
    main()
