#!/usr/bin/python3
"""Writes ONNX TopK models with a constant K for comparison with ONNX
Runtime:

  topk_largest      float [3, 10], K 3 on the last axis (an MoE router's
                    choice)
  topk_ties         float [2, 6] whose rows hold repeated values and -inf,
                    K 5 (ties come out lowest index first, -inf included)
  topk_smallest     int32 [6, 4], the 4 smallest along axis 0, with ties

    make_topk.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(out, name, x, k, y_shape, elem=TensorProto.FLOAT, fixed=None,
         **attrs):
    """TopK of input x; with `fixed`, of fixed + 0 * x, so that the values
    are known (ties) but computed at run time."""
    inits = [numpy_helper.from_array(np.array([k], np.int64), "k")]
    nodes = []
    topk_input = "x"
    if fixed is not None:
        inits += [numpy_helper.from_array(fixed, "fixed"),
                  numpy_helper.from_array(np.zeros([], fixed.dtype), "zero")]
        nodes += [helper.make_node("Mul", ["x", "zero"], ["nothing"]),
                  helper.make_node("Add", ["fixed", "nothing"], ["held"])]
        topk_input = "held"
    nodes.append(helper.make_node("TopK", [topk_input, "k"],
                                  ["values", "indices"], **attrs))
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", elem, x)],
        [helper.make_tensor_value_info("values", elem, y_shape),
         helper.make_tensor_value_info("indices", TensorProto.INT64,
                                       y_shape)], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save(out, "topk_largest", [3, 10], 3, [3, 3])
    # Ties that random inputs never make.
    ties = np.array([[1.0, 3.0, 3.0, -np.inf, 2.0, -np.inf],
                     [-np.inf, -np.inf, -np.inf, 0.5, 0.5, -np.inf]],
                    np.float32)
    save(out, "topk_ties", [2, 6], 5, [2, 5], fixed=ties)
    ints = np.array([[5, 1, 7, 2], [5, 0, 7, 2], [3, 1, -7, 9],
                     [3, 1, 7, 2], [8, 8, 8, 8], [-2, 1, 7, 2]], np.int32)
    save(out, "topk_smallest", [6, 4], 4, [4, 4], elem=TensorProto.INT32,
         fixed=ints, axis=0, largest=0)


if __name__ == "__main__":
    main()
