#!/usr/bin/python3
"""Writes ONNX ConvInteger models for comparison with ONNX Runtime: uint8
activations by int8 weights with zero points (one each: ONNX Runtime has no
per-channel w_zero_point), padding and strides; and int8 by uint8 in two
groups without zero points.

    make_conv_integer.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(out, name, x_type, x_shape, y_shape, inits, inputs, **attrs):
    graph = helper.make_graph(
        [helper.make_node("ConvInteger", inputs, ["y"], **attrs)], name,
        [helper.make_tensor_value_info("x", x_type, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.INT32, y_shape)],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 10)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(4)
    # [1, 16, 9, 9] u8 by [8, 16, 3, 3] i8, stride 2, pads 1: 144 terms of
    # up to 255 x 255, beyond f32's exact integers.
    w = rng.integers(-128, 128, (8, 16, 3, 3)).astype(np.int8)
    save(out, "u8_by_i8_zero_points", TensorProto.UINT8, [1, 16, 9, 9],
         [1, 8, 5, 5],
         [numpy_helper.from_array(w, "w"),
          numpy_helper.from_array(np.array(131, np.uint8), "xz"),
          numpy_helper.from_array(np.array(-7, np.int8), "wz")],
         ["x", "w", "xz", "wz"], strides=[2, 2], pads=[1, 1, 1, 1])
    w = rng.integers(0, 256, (4, 3, 2, 2)).astype(np.uint8)
    save(out, "i8_by_u8_groups", TensorProto.INT8, [2, 6, 5, 4],
         [2, 4, 4, 3], [numpy_helper.from_array(w, "w")], ["x", "w"],
         group=2)


if __name__ == "__main__":
    main()
