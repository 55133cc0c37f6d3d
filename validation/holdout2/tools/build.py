"""Build the second held-out validation set from the hand-coded passages.

Writes corpus/kNNN.txt, corpus/metadata.csv and reference.csv under
validation/holdout2/. The English and Indonesian lists are concatenated and
shuffled with random.Random(2027) so positives and hard negatives interleave.
There are no halves: the whole set is held out (see ../README.md).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(HERE, "..", "..", "tools"))  # after HERE: its passages_*.py come first
from passages_en import P as PEN
from passages_id import P as PID
from sets import build_heldout

if __name__ == "__main__":
    build_heldout(os.path.dirname(HERE), PEN + PID, "k", 2027)
