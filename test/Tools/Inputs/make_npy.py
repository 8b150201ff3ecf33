"""Writes the model and .npy inputs of tfmc-outputs.test into argv[1].

affine.mlir: y = x . w + b, with w[k, n] = 1 + k % 2 (64 KiB, a weight
blob), and rows = table[ids] with table[i, :] = 3 + i (50 rows). For
x = 0.5 everywhere: y = 0.5 * (64 * 1 + 64 * 2) + 1 = 97.
"""
import sys

import numpy as np

out = sys.argv[1]
w = np.fromfunction(lambda k, n: 1 + k % 2, (128, 128)).astype(np.float32)
table = np.fromfunction(lambda i, j: 3 + i, (50, 128)).astype(np.float32)


def hex_literal(array):
    return '"0x' + array.tobytes().hex().upper() + '"'


with open(out + "/affine.mlir", "w") as f:
    f.write("""func.func @affine(%%x: tensor<2x128xf32> {tfm.name = "x"}, %%ids: tensor<2xi64> {tfm.name = "ids"})
    -> (tensor<2x128xf32> {tfm.name = "y"}, tensor<2x128xf32> {tfm.name = "rows"}) {
  %%w = tfm.constant dense<%s> : tensor<128x128xf32>
  %%b = tfm.constant dense<1.0> : tensor<128xf32>
  %%table = tfm.constant dense<%s> : tensor<50x128xf32>
  %%0 = tfm.matmul %%x, %%w : (tensor<2x128xf32>, tensor<128x128xf32>) -> tensor<2x128xf32>
  %%1 = tfm.add %%0, %%b : (tensor<2x128xf32>, tensor<128xf32>) -> tensor<2x128xf32>
  %%2 = tfm.gather %%table, %%ids axis = 0 : (tensor<50x128xf32>, tensor<2xi64>) -> tensor<2x128xf32>
  return %%1, %%2 : tensor<2x128xf32>, tensor<2x128xf32>
}
""" % (hex_literal(w), hex_literal(table)))

np.save(out + "/x.npy", np.full((2, 128), 0.5, dtype=np.float32))
np.save(out + "/ids.npy", np.array([3, 49], dtype=np.int64))
# Token ids outside the 50-row table (-50 is the first row, as in Gather).
np.save(out + "/ids_past.npy", np.array([3, 50], dtype=np.int64))
np.save(out + "/ids_negative.npy", np.array([-50, -51], dtype=np.int64))
np.save(out + "/x_f64.npy", np.zeros((2, 128), dtype=np.float64))
np.save(out + "/x_shape.npy", np.zeros((128, 2), dtype=np.float32))
np.save(out + "/y_expected.npy", np.full((2, 128), 97.0, dtype=np.float32))
np.save(out + "/y_wrong.npy", np.full((2, 128), 98.0, dtype=np.float32))
