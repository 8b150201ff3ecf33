#!/usr/bin/python3
"""Writes products.onnx: linears whose shapes cover the tilings of the GPU
backend's tensor-core kernels, for comparing them with the CPU backend.

  x [128, 256] -> MatMul [256, 384] + bias -> Gelu     four warps a block
               -> MatMul [384, 200] + bias             N = 200: 16 x 8 warps
               -> MatMul [200, 64]                     K = 200: no tensor cores
  y [48, 256]  -> MatMul [256, 96] + bias + y @ ...    M = 48: one warp row

    make_gpu_products.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out_dir = sys.argv[1]
    rng = np.random.RandomState(7)
    inits, nodes = [], []

    def const(name, shape, scale):
        value = (rng.standard_normal(shape) * scale).astype(np.float32)
        inits.append(numpy_helper.from_array(value, name))
        return name

    def linear(name, x, k, n, bias=True):
        w = const(name + ".weight", [k, n], 1.0 / np.sqrt(k))
        nodes.append(helper.make_node("MatMul", [x, w], [name + ".mm"],
                                      name=name + ".mm"))
        if not bias:
            return name + ".mm"
        b = const(name + ".bias", [n], 0.1)
        nodes.append(helper.make_node("Add", [name + ".mm", b], [name],
                                      name=name))
        return name

    h = linear("up", "x", 256, 384)
    nodes.append(helper.make_node("Gelu", [h], ["act"], name="act",
                                  domain="com.microsoft"))
    h = linear("down", "act", 384, 200)
    linear("narrow", h, 200, 64, bias=False)
    nodes.append(helper.make_node("Identity", ["narrow.mm"], ["out_x"],
                                  name="out_x"))
    h = linear("side", "y", 256, 96)
    nodes.append(helper.make_node("Identity", [h], ["out_y"], name="out_y"))

    graph = helper.make_graph(
        nodes, "products",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [128, 256]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, [48, 256])],
        [helper.make_tensor_value_info("out_x", TensorProto.FLOAT, [128, 64]),
         helper.make_tensor_value_info("out_y", TensorProto.FLOAT, [48, 96])],
        inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17),
                              helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out_dir, "products.onnx"))


if __name__ == "__main__":
    main()
