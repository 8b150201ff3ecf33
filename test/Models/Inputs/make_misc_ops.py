#!/usr/bin/python3
"""Writes ONNX LRN, Det and MaxUnpool models for comparison with ONNX
Runtime:

  lrn_wide       LRN over 5 channels with non-default alpha, beta, bias
  det_batch      Det of [2, 3, 3, 3] and of [5, 4, 4] matrices
  maxunpool_pads MaxUnpool with pads and a constant output_shape, the flat
                 indices one position of each pooling window (as MaxPool's
                 Indices output would give them)
  maxpool_indices MaxPool's values and Indices (pads, dilations, ceil_mode;
                 then storage_order 1 with strides), and the first pair
                 unpooled again by MaxUnpool

    make_misc_ops.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(out, name, nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def value(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save(out, "lrn_wide",
         [helper.make_node("LRN", ["x"], ["y"], size=5, alpha=0.3, beta=0.6,
                           bias=1.5)],
         [value("x", [2, 6, 3, 5])], [value("y", [2, 6, 3, 5])])
    save(out, "det_batch",
         [helper.make_node("Det", ["a"], ["da"]),
          helper.make_node("Det", ["b"], ["db"])],
         [value("a", [2, 3, 3, 3]), value("b", [5, 4, 4])],
         [value("da", [2, 3]), value("db", [5])])
    # Pooled [1, 2, 4, 4] from [1, 2, 6, 7] (kernel 2, stride 2, pads 1):
    # each window's chosen position, inside the input.
    rng = np.random.RandomState(3)
    indices = np.zeros([1, 2, 4, 4], np.int64)
    for c in range(2):
        for ph in range(4):
            for pw in range(4):
                h = min(max(ph * 2 - 1 + rng.randint(2), 0), 5)
                w = min(max(pw * 2 - 1 + rng.randint(2), 0), 6)
                indices[0, c, ph, pw] = (c * 6 + h) * 7 + w
    save(out, "maxunpool_pads",
         [helper.make_node("MaxUnpool", ["v", "i", "shape"], ["y"],
                           kernel_shape=[2, 2], strides=[2, 2],
                           pads=[1, 1, 1, 1])],
         [value("v", [1, 2, 4, 4])], [value("y", [1, 2, 6, 7])],
         [numpy_helper.from_array(indices, "i"),
          numpy_helper.from_array(np.array([1, 2, 6, 7], np.int64),
                                  "shape")])
    # [2, 3, 8, 6]: the first pool 5 x 3 (ceil mode adds the fifth row), the
    # second 4 x 5, unpooled back to 8 x 6.
    save(out, "maxpool_indices",
         [helper.make_node("MaxPool", ["x"], ["v", "i"], kernel_shape=[3, 2],
                           pads=[1, 0, 1, 1], dilations=[1, 2], ceil_mode=1,
                           strides=[2, 2]),
          helper.make_node("MaxPool", ["x"], ["w", "j"], kernel_shape=[2, 2],
                           strides=[2, 1], storage_order=1),
          helper.make_node("MaxUnpool", ["w", "j", "shape"], ["u"],
                           kernel_shape=[2, 2], strides=[2, 1])],
         [value("x", [2, 3, 8, 6])],
         [value("v", [2, 3, 5, 3]), value("i", [2, 3, 5, 3], TensorProto.INT64),
          value("w", [2, 3, 4, 5]), value("j", [2, 3, 4, 5], TensorProto.INT64),
          value("u", [2, 3, 8, 6])],
         [numpy_helper.from_array(np.array([2, 3, 8, 6], np.int64), "shape")])

if __name__ == "__main__":
    main()
