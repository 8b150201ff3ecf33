#!/usr/bin/python3
"""Writes ONNX Einsum models with ellipses and repeated labels (diagonals)
for comparison with ONNX Runtime.

    make_einsum.py OUT_DIR
"""

import os
import sys

import onnx
from onnx import TensorProto, helper

CASES = [
    # name, equation, operand shapes, output shape
    ("ellipsis_matmul", "...ij,...jk->...ik", [[2, 3, 4, 5], [2, 3, 5, 6]],
     [2, 3, 4, 6]),
    ("ellipsis_implicit", "...ij,...jk", [[3, 4, 5], [3, 5, 2]], [3, 4, 2]),
    ("batch_diagonal", "...ii->...i", [[3, 4, 4]], [3, 4]),
    ("trace", "ii", [[5, 5]], []),
    ("diagonal_product", "bii,bij->bj", [[2, 3, 3], [2, 3, 4]], [2, 4]),
    ("ellipsis_middle", "b...d,bd->b...", [[2, 3, 4, 5], [2, 5]], [2, 3, 4]),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, equation, shapes, result in CASES:
        names = ["x%d" % i for i in range(len(shapes))]
        graph = helper.make_graph(
            [helper.make_node("Einsum", names, ["y"], equation=equation)],
            name,
            [helper.make_tensor_value_info(a, TensorProto.FLOAT, s)
             for a, s in zip(names, shapes)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, result)])
        model = helper.make_model(graph,
                                  opset_imports=[helper.make_opsetid("", 12)])
        model.ir_version = 8
        onnx.save(model, os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
