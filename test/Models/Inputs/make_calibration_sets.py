#!/usr/bin/python3
"""Writes calibration input sets for the tiny BERT test model: OUT_DIR/setN/
input_ids.npy and attention_mask.npy ([2, 16] int64), seeded.

    make_calibration_sets.py OUT_DIR [SETS]
"""

import os
import sys

import numpy as np


def main():
    out = sys.argv[1]
    sets = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    rng = np.random.RandomState(0)
    for i in range(sets):
        d = os.path.join(out, "set%d" % i)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, "input_ids.npy"),
                rng.randint(0, 100, (2, 16)).astype(np.int64))
        mask = np.ones((2, 16), np.int64)
        mask[1, 12:] = 0
        np.save(os.path.join(d, "attention_mask.npy"), mask)
    return 0


if __name__ == "__main__":
    sys.exit(main())
