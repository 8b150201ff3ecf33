"""Inputs of hidden-cache.mlir: queries, keys and values, a cache of 255
rows (100 filled), and three masks (see attention-past.test)."""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(5)
for name, shape in (("q", [1, 2, 4, 8]), ("k", [1, 2, 4, 8]),
                    ("v", [1, 2, 4, 8]), ("pk", [1, 2, 255, 8]),
                    ("pv", [1, 2, 255, 8])):
    np.save(os.path.join(out, name + ".npy"),
            rng.standard_normal(shape).astype(np.float32))
lowest = np.finfo(np.float32).min
visible = np.zeros([1, 1, 4, 259], dtype=bool)
visible[..., :100] = True
for i in range(4):
    visible[0, 0, i, 255:256 + i] = True
masks = {"a": np.where(visible, 0, lowest)}
hidden_row = visible.copy()
hidden_row[0, 0, 3, :] = False
masks["b"] = np.where(hidden_row, 0, lowest)
masks["c"] = np.where(visible, 0, -1e9)
for name, mask in masks.items():
    np.save(os.path.join(out, "m_%s.npy" % name), mask.astype(np.float32))
