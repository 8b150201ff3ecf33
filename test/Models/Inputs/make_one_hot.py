#!/usr/bin/python3
"""Writes one_hot.onnx for test/Models/one-hot.test: OneHot of int64 ids
floor(4 z) for normal z, so that negative ones (counted from depth) and
out-of-range ones (all-off rows) occur, along the last and the first axis,
with constant depth and values.

    make_one_hot.py OUT.onnx
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    inits = [numpy_helper.from_array(np.array(7, np.int64), "depth"),
             numpy_helper.from_array(np.array([-0.5, 2.0], np.float32),
                                     "values")]
    nodes = [
        helper.make_node("Mul", ["z", "four"], ["scaled"]),
        helper.make_node("Floor", ["scaled"], ["floored"]),
        helper.make_node("Cast", ["floored"], ["clipped"],
                         to=TensorProto.INT64),
        helper.make_node("OneHot", ["clipped", "depth", "values"], ["a"]),
        helper.make_node("OneHot", ["clipped", "depth", "values"], ["b"],
                         axis=0),
    ]
    inits.append(numpy_helper.from_array(np.array(4, np.float32), "four"))
    graph = helper.make_graph(
        nodes, "one_hot",
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [3, 5])],
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [3, 5, 7]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [7, 3, 5])],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
