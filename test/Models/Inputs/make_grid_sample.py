#!/usr/bin/python3
"""Writes ONNX GridSample models (opset 16) for comparison with ONNX
Runtime; the comparison's normal random grids reach past [-1, 1], so every
padding mode is exercised:

  bilinear_zeros, bicubic_reflection_corners, nearest_border,
  bilinear_reflection, bicubic_border, bicubic_reflection
  (2 x 3 channels, 5 x 6 inputs, 4 x 7 grids)

and GridSample-20 over volumes (2 x 2 channels, 3 x 4 x 5 inputs, 2 x 3 x 4
grids of (x, y, z)):

  volume_linear_zeros, volume_nearest_border, volume_linear_reflection_corners

    make_grid_sample.py OUT_DIR
"""

import os
import sys

import onnx
from onnx import TensorProto, helper

CASES = [
    ("bilinear_zeros", dict(mode="bilinear", padding_mode="zeros")),
    ("bicubic_reflection_corners", dict(mode="bicubic",
                                        padding_mode="reflection",
                                        align_corners=1)),
    ("nearest_border", dict(mode="nearest", padding_mode="border")),
    ("bilinear_reflection", dict(mode="bilinear", padding_mode="reflection")),
    ("bicubic_border", dict(mode="bicubic", padding_mode="border")),
    ("bicubic_reflection", dict(mode="bicubic", padding_mode="reflection")),
]

VOLUME_CASES = [
    ("volume_linear_zeros", dict(mode="linear", padding_mode="zeros")),
    ("volume_nearest_border", dict(mode="nearest", padding_mode="border")),
    ("volume_linear_reflection_corners", dict(mode="linear",
                                              padding_mode="reflection",
                                              align_corners=1)),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, attrs in CASES:
        graph = helper.make_graph(
            [helper.make_node("GridSample", ["x", "grid"], ["y"], **attrs)],
            name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                           [2, 3, 5, 6]),
             helper.make_tensor_value_info("grid", TensorProto.FLOAT,
                                           [2, 4, 7, 2])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                           [2, 3, 4, 7])])
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 16)])
        model.ir_version = 8
        onnx.save(model, os.path.join(out, name + ".onnx"))
    for name, attrs in VOLUME_CASES:
        graph = helper.make_graph(
            [helper.make_node("GridSample", ["x", "grid"], ["y"], **attrs)],
            name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                           [2, 2, 3, 4, 5]),
             helper.make_tensor_value_info("grid", TensorProto.FLOAT,
                                           [2, 2, 3, 4, 3])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                           [2, 2, 2, 3, 4])])
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 20)])
        model.ir_version = 9
        onnx.save(model, os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
