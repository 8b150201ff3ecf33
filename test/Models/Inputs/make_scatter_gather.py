#!/usr/bin/python3
"""Writes ONNX models of ScatterND, ScatterElements and GatherND with
constant indices (negative ones, repeated ones) for comparison with ONNX
Runtime:

  scatternd_cache        a cache row written per (batch, head) tuple, as a
                         static KV cache update exports (opset 18)
  scatternd_reductions   max, then min, then mul over repeated row tuples
  scatter_elements       add over repeated indices along a negative axis,
                         int32 indices, then max along axis 0
  gathernd               batch_dims 1, tuples of two coordinates, negative

    make_scatter_gather.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def value(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, array):
    return numpy_helper.from_array(np.array(array), name)


def save(out, name, nodes, inputs, outputs, initializers, opset=18):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # [B, H, S, D] cache; row 5 of (0, 0) and row -1 (7) of (0, 1).
    save(out, "scatternd_cache",
         [helper.make_node("ScatterND", ["cache", "rows", "new"], ["y"])],
         [value("cache", [1, 2, 8, 4]), value("new", [2, 4])],
         [value("y", [1, 2, 8, 4])],
         [const("rows", np.array([[0, 0, 5], [0, 1, -1]], np.int64))])
    save(out, "scatternd_reductions",
         [helper.make_node("ScatterND", ["x", "i", "u"], ["a"],
                           reduction="max"),
          helper.make_node("ScatterND", ["a", "i", "u"], ["b"],
                           reduction="min"),
          helper.make_node("ScatterND", ["b", "i", "u"], ["y"],
                           reduction="mul")],
         [value("x", [4, 3]), value("u", [3, 3])],
         [value("y", [4, 3])],
         [const("i", np.array([[1], [1], [-1]], np.int64))])
    save(out, "scatter_elements",
         [helper.make_node("ScatterElements", ["x", "i", "u"], ["a"],
                           axis=-1, reduction="add"),
          helper.make_node("ScatterElements", ["a", "j", "u"], ["y"],
                           axis=0, reduction="max")],
         [value("x", [3, 5]), value("u", [2, 4])],
         [value("y", [3, 5])],
         [const("i", np.array([[0, 4, 0, -2], [1, 1, 1, 3]], np.int32)),
          const("j", np.array([[2, 0, 1, 2], [2, -3, 0, 1]], np.int64))])
    save(out, "gathernd",
         [helper.make_node("GatherND", ["x", "i"], ["y"], batch_dims=1)],
         [value("x", [2, 3, 4, 5])],
         [value("y", [2, 3, 5])],
         [const("i", np.array([[[0, 1], [2, -1], [-3, 0]],
                               [[1, 3], [1, 3], [0, 2]]], np.int64))])


if __name__ == "__main__":
    main()
