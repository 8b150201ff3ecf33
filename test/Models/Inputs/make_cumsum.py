#!/usr/bin/python3
"""Writes cumsum.onnx for test/Models/cumsum.test: position ids from a
padding mask as Hugging Face exports compute them (cumsum(mask) - 1, 1
where the mask is 0), and the exclusive reverse running sum of a float
derived from the mask, over attention_mask [1, sequence] (int64).

    make_cumsum.py OUT.onnx
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    const = lambda name, value, dtype: numpy_helper.from_array(
        np.array(value, dtype), name)
    inits = [const("axis", -1, np.int64), const("one", 1, np.int64),
             const("zero", 0, np.int64), const("half", 0.5, np.float32),
             const("bias", 0.25, np.float32)]
    nodes = [
        helper.make_node("CumSum", ["attention_mask", "axis"], ["running"]),
        helper.make_node("Sub", ["running", "one"], ["shifted"]),
        helper.make_node("Equal", ["attention_mask", "zero"], ["padding"]),
        helper.make_node("Where", ["padding", "one", "shifted"],
                         ["position_ids"]),
        helper.make_node("Cast", ["attention_mask"], ["maskf"],
                         to=TensorProto.FLOAT),
        helper.make_node("Mul", ["maskf", "half"], ["scaled"]),
        helper.make_node("Add", ["scaled", "bias"], ["values"]),
        helper.make_node("CumSum", ["values", "axis"], ["tail"], exclusive=1,
                         reverse=1),
    ]
    graph = helper.make_graph(
        nodes, "cumsum",
        [helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                       [1, "sequence"])],
        [helper.make_tensor_value_info("position_ids", TensorProto.INT64,
                                       [1, "sequence"]),
         helper.make_tensor_value_info("tail", TensorProto.FLOAT,
                                       [1, "sequence"])],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
