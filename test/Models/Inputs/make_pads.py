#!/usr/bin/python3
"""Writes pads.onnx for test/Models/pads.test: Pad-19 in each mode with
constant pads: constant with a value and a negative (cropping) pad,
edge, reflect over two axes, wrap, and a pad over the axes input only.

    make_pads.py OUT.onnx
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    ints = lambda name, values: numpy_helper.from_array(
        np.array(values, np.int64), name)
    inits = [
        ints("p_const", [0, 1, -1, 0, 2, 1]),
        numpy_helper.from_array(np.array(1.5, np.float32), "fill"),
        ints("p_edge", [0, 0, 2, 0, 0, 3]),
        ints("p_reflect", [0, 2, 1, 0, 3, 2]),
        ints("p_wrap", [0, 1, 4, 0, 2, 5]),
        ints("p_axes", [1, 2]),
        ints("axes", [2]),
    ]
    nodes = [
        helper.make_node("Pad", ["x", "p_const", "fill"], ["a"]),
        helper.make_node("Pad", ["x", "p_edge"], ["b"], mode="edge"),
        helper.make_node("Pad", ["x", "p_reflect"], ["c"], mode="reflect"),
        helper.make_node("Pad", ["x", "p_wrap"], ["d"], mode="wrap"),
        helper.make_node("Pad", ["x", "p_axes", "", "axes"], ["e"],
                         mode="reflect"),
    ]
    graph = helper.make_graph(
        nodes, "pads",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4, 5])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)
         for name in "abcde"],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = 9
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
