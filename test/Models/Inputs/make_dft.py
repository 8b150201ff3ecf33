#!/usr/bin/python3
"""Writes ONNX DFT models for comparison with ONNX Runtime: DFT-17 onesided
over a real signal and zero-padded by dft_length over a complex one; DFT-20
with its axis as an input (-2) and a dft_length that cuts the signal, and
an inverse DFT over the default axis.

    make_dft.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# name, opset, x shape, y shape, attributes, dft_length or None, axis input
CASES = [
    ("dft17_onesided", 17, [2, 16, 1], [2, 9, 2],
     dict(onesided=1, axis=1), None, None),
    ("dft17_length_pad", 17, [1, 6, 5, 2], [1, 6, 8, 2], dict(axis=2), 8,
     None),
    ("dft20_axis_cut", 20, [2, 10, 7, 1], [2, 10, 6, 2], {}, 6, -2),
    ("dft20_inverse", 20, [1, 8, 2], [1, 8, 2], dict(inverse=1), None, None),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, opset, x_shape, y_shape, attrs, length, axis in CASES:
        inits, inputs = [], ["x"]
        if length is not None or axis is not None:
            if length is not None:
                inits.append(numpy_helper.from_array(
                    np.array(length, np.int64), "dft_length"))
                inputs.append("dft_length")
            else:
                inputs.append("")
        if axis is not None:
            inits.append(numpy_helper.from_array(np.array(axis, np.int64),
                                                 "axis"))
            inputs.append("axis")
        graph = helper.make_graph(
            [helper.make_node("DFT", inputs, ["y"], **attrs)], name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
            inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 8
        onnx.save(model, os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
