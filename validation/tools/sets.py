"""Shared by the build scripts of the validation sets: the code letters, the
reference columns, and writing a set (one passage per file, metadata.csv,
reference.csv)."""
import csv
import os
import random

CATS = ["information", "symbolic", "leverage", "leverage.material", "leverage.moral", "accountability"]
# Influence types and advocacy activities (holdout6 and later), by their letters.
INFL = {"a": "agenda", "d": "discourse", "p": "procedure", "l": "policy", "b": "behaviour"}
ADV = {"L": "lobbying", "T": "litigation", "C": "campaign", "K": "coalition", "R": "training",
       "D": "drafting", "M": "monitoring"}
LETTER = {"I": "information", "S": "symbolic", "M": "leverage.material", "O": "leverage.moral", "A": "accountability", "G": "leverage"}


def codes_to_row(codes):
    row = {c: 0 for c in CATS}
    for ch in codes:
        row[LETTER[ch]] = 1
    if row["leverage.material"] or row["leverage.moral"]:
        row["leverage"] = 1
    return row


def write_texts(corpus, passages, prefix):
    """Name the passages PREFIXnnn.txt in list order and write one file each."""
    os.makedirs(corpus, exist_ok=True)
    for f in os.listdir(corpus):
        if f.endswith(".txt"):
            os.remove(os.path.join(corpus, f))
    for i, p in enumerate(passages, 1):
        p["path"] = f"{prefix}{i:03d}.txt"
        text = " ".join(p["text"].split())
        with open(os.path.join(corpus, p["path"]), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text + "\n")


def write_reference(path, passages):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["passage_id"] + CATS)
        for p in sorted(passages, key=lambda q: q["path"]):
            r = codes_to_row(p["codes"])
            w.writerow([p["path"] + "#doc"] + [r[c] for c in CATS])


def build_heldout(root, prefix, seed):
    """A held-out set in `root` (no halves): its passages are every
    `root/tools/passages_*.py`, concatenated in file-name order (English before
    Indonesian), then shuffled with random.Random(seed)."""
    tools = os.path.join(root, "tools")
    passages = []
    for name in sorted(os.listdir(tools)):
        if name.startswith("passages_") and name.endswith(".py"):
            passages += load_passages(tools, name[:-3])
    random.Random(seed).shuffle(passages)
    corpus = os.path.join(root, "corpus")
    write_texts(corpus, passages, prefix)
    with open(os.path.join(corpus, "metadata.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["path", "language", "register", "synthetic", "note"])
        for p in passages:
            w.writerow([p["path"], p["lang"], p["reg"], "yes", p["note"]])
    write_reference(os.path.join(root, "reference.csv"), passages)
    counts = {c: sum(codes_to_row(p["codes"])[c] for p in passages) for c in CATS}
    neg = sum(1 for p in passages if not p["codes"])
    ind = sum(1 for p in passages if p["lang"] == "id")
    print(f"wrote {len(passages)} passages ({ind} id, {100*ind/len(passages):.1f}%), hard negatives {neg}, positives {counts}")


def load_passages(tools, name):
    """The list `P` of `tools/NAME.py` (one writer's passages)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, os.path.join(tools, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.P
