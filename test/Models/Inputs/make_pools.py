#!/usr/bin/python3
"""Writes pools.onnx for test/Models/pools.test: AveragePool with
ceil_mode windows that reach past the padding, with and without
count_include_pad; MaxPool with dilations, ceil_mode and SAME_LOWER; a 1-D
AveragePool with strides larger than the kernel.

    make_pools.py OUT.onnx
"""

import sys

import onnx
from onnx import TensorProto, helper


def main():
    nodes = [
        helper.make_node("AveragePool", ["x"], ["a"], kernel_shape=[3, 3],
                         strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1,
                         count_include_pad=1),
        helper.make_node("AveragePool", ["x"], ["b"], kernel_shape=[3, 2],
                         strides=[2, 3], pads=[0, 1, 1, 0], ceil_mode=1),
        helper.make_node("MaxPool", ["x"], ["c"], kernel_shape=[2, 3],
                         dilations=[2, 1], strides=[1, 2], ceil_mode=1),
        helper.make_node("MaxPool", ["x"], ["d"], kernel_shape=[2, 2],
                         strides=[2, 2], auto_pad="SAME_LOWER"),
        helper.make_node("AveragePool", ["y"], ["e"], kernel_shape=[2],
                         strides=[3]),
    ]
    graph = helper.make_graph(
        nodes, "pools",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 7, 8]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 11])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)
         for name in "abcde"])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = 9
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
