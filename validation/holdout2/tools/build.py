"""Build the second held-out validation set (corpus/kNNN.txt, corpus/metadata.csv, reference.csv
under validation/holdout2/) from the hand-coded passages in this folder, shuffled with
random.Random(2027); see validation/tools/sets.py."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from sets import build_heldout_from

if __name__ == "__main__":
    build_heldout_from(HERE, "k", 2027)
