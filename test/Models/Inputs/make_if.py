#!/usr/bin/python3
"""Writes ONNX If models for comparison with ONNX Runtime: a condition
computed at run time (x's sum above 0) choosing between branches that read
x from the enclosing graph, one with an initializer of its own; and a
constant condition, whose untaken branch holds an operator tfmc does not
import.

    make_if.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def value(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save(out, name, nodes, inits, inputs, outputs):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    then_branch = helper.make_graph(
        [helper.make_node("Add", ["x", "bias"], ["t"]),
         helper.make_node("Tanh", ["t"], ["then_y"])], "then",
        [], [value("then_y", [2, 3])],
        [numpy_helper.from_array(np.array([0.5, -1, 2], np.float32), "bias")])
    else_branch = helper.make_graph(
        [helper.make_node("Mul", ["x", "x"], ["else_y"])], "else",
        [], [value("else_y", [2, 3])])
    save(out, "if_runtime",
         [helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0),
          helper.make_node("Greater", ["s", "zero"], ["cond"]),
          helper.make_node("If", ["cond"], ["y"], then_branch=then_branch,
                           else_branch=else_branch)],
         [numpy_helper.from_array(np.array(0, np.float32), "zero")],
         [value("x", [2, 3])], [value("y", [2, 3])])
    # The untaken branch's Unique (not imported) must not matter.
    unused = helper.make_graph(
        [helper.make_node("Unique", ["x"], ["u"]),
         helper.make_node("Identity", ["x"], ["else_y"])], "else",
        [], [value("else_y", [2, 3])])
    save(out, "if_constant",
         [helper.make_node("Constant", [], ["cond"],
                           value=numpy_helper.from_array(np.array(True))),
          helper.make_node("If", ["cond"], ["y"], then_branch=then_branch,
                           else_branch=unused)],
         [], [value("x", [2, 3])], [value("y", [2, 3])])


if __name__ == "__main__":
    main()
