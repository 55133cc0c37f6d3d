"""Build a held-out validation set: python3 validation/tools/build_heldout.py SET_DIR

Writes SET_DIR/corpus/PREFIXnnn.txt, SET_DIR/corpus/metadata.csv and
SET_DIR/reference.csv from the hand-coded passages in SET_DIR/tools/passages_*.py
(in file-name order, English before Indonesian), shuffled with the set's seed.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sets import build_heldout

# Each set's file prefix and shuffle seed, fixed when the set was first built.
SETS = {"holdout": ("h", 2026), "holdout2": ("k", 2027), "holdout3": ("m", 2031), "holdout4": ("n", 2035),
        "holdout5": ("q", 2039)}

if __name__ == "__main__":
    if len(sys.argv) != 2 or os.path.basename(os.path.normpath(sys.argv[1])) not in SETS:
        sys.exit(f"usage: build_heldout.py SET_DIR (one of {', '.join(SETS)})")
    root = os.path.abspath(sys.argv[1])
    prefix, seed = SETS[os.path.basename(root)]
    build_heldout(root, prefix, seed)
