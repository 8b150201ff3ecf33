"""Inputs of hidden-cache.mlir: queries, keys and values, a cache of 255
rows (100 filled), and three masks; and those of decode-cache.mlir: one
query over the same cache, filled up to each tier of its tiles, and that
cache in f16 with its f32 value (see attention-past.test)."""
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

# One query: the cache filled to 0, 100 (the tile of 128), 201 (the tiles
# of 8), 251 (single rows) and 255 rows; its own key always visible.
for name, shape in (("dq", [1, 2, 1, 8]), ("dk", [1, 2, 1, 8]),
                    ("dv", [1, 2, 1, 8])):
    np.save(os.path.join(out, name + ".npy"),
            rng.standard_normal(shape).astype(np.float32))
for filled in (0, 100, 201, 251, 255):
    visible = np.zeros([1, 1, 1, 256], dtype=bool)
    visible[..., :filled] = True
    visible[..., 255] = True
    np.save(os.path.join(out, "dm_%d.npy" % filled),
            np.where(visible, 0, lowest).astype(np.float32))

# The cache stored in f16 (decode-cache-f16.mlir), and the f32 values it
# holds, for the f32 model.
for name in ("pk", "pv"):
    narrow = np.load(os.path.join(out, name + ".npy")).astype(np.float16)
    np.save(os.path.join(out, name + "_f16.npy"), narrow)
    np.save(os.path.join(out, name + "_f16_in_f32.npy"),
            narrow.astype(np.float32))
