"""Checks the outputs tfmc-outputs.test's executable wrote to argv[1]."""
import sys

import numpy as np

y = np.load(sys.argv[1] + "/y.npy")
rows = np.load(sys.argv[1] + "/rows.npy")
assert y.dtype == np.float32 and y.shape == (2, 128), (y.dtype, y.shape)
assert np.all(y == 97.0), y
assert np.all(rows[0] == 6.0) and np.all(rows[1] == 52.0), rows
print("outputs ok")
