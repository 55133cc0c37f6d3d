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
from sets import write_reference, write_texts


def main():
    passages = PEN + PID
    random.Random(1998).shuffle(passages)
    write_texts(CORPUS, passages, "v")

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

    write_reference(os.path.join(ROOT, "reference.csv"), passages)
    print(f"wrote {len(passages)} passages")


if __name__ == "__main__":
    main()
