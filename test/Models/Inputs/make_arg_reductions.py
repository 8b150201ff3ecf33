#!/usr/bin/python3
"""Writes arg_reductions.onnx for test/Models/arg-reductions.test: ArgMax
over the last axis of [2, 37, 1000] floats (rows longer than any vector),
ArgMin over the middle axis with select_last_index, and ArgMax of int32
values in {0, 1} (ties everywhere: the first position wins).

    make_arg_reductions.py OUT.onnx
"""

import sys

import onnx
from onnx import TensorProto, helper


def main():
    nodes = [
        helper.make_node("ArgMax", ["x"], ["a"], axis=-1, keepdims=0),
        helper.make_node("ArgMin", ["x"], ["b"], axis=1, keepdims=1,
                         select_last_index=1),
        helper.make_node("ArgMax", ["i"], ["c"], axis=0, keepdims=1),
    ]
    graph = helper.make_graph(
        nodes, "arg_reductions",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 37, 1000]),
         helper.make_tensor_value_info("i", TensorProto.INT32, [33, 7])],
        [helper.make_tensor_value_info("a", TensorProto.INT64, [2, 37]),
         helper.make_tensor_value_info("b", TensorProto.INT64, [2, 1, 1000]),
         helper.make_tensor_value_info("c", TensorProto.INT64, [1, 7])])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
