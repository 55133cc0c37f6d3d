"""Build the third held-out validation set from the hand-coded passages.

Writes corpus/mNNN.txt, corpus/metadata.csv and reference.csv under
validation/holdout3/. The four lists (two English, two Indonesian writers) are
concatenated and shuffled with random.Random(2031) so positives and hard
negatives interleave. There are no halves: the whole set is held out (see
../README.md).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(HERE, "..", "..", "tools"))  # after HERE
from passages_en_a import P as PEN_A
from passages_en_b import P as PEN_B
from passages_id_a import P as PID_A
from passages_id_b import P as PID_B
from sets import build_heldout

if __name__ == "__main__":
    build_heldout(os.path.dirname(HERE), PEN_A + PEN_B + PID_A + PID_B, "m", 2031)
