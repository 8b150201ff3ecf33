#!/usr/bin/python3
"""Writes small models whose float arithmetic is exactly what tfmc's
mixed-precision modes compute, so that ONNX Runtime (running them in f32)
is a tight reference for `tfmc --quantize=bf16|fp16`:

  bf16_linears  three MatMul + Add layers, each on its own input (K = 96,
                128 with a ReLU, and the odd 81; N = 80 is not a whole
                number of weight panels), the input rounded to bf16 by
                Cast(BFLOAT16) + Cast(FLOAT), the weights f32 values that
                bf16 holds exactly
  fp16_linears  the same with float16

With weights and inputs already in the narrow type, the mode's rounding
changes nothing and each product of two narrow values is exact in f32: the
results differ from ONNX Runtime's only by the order of the f32 sums.

    make_mixed_precision.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def round_bf16(x):
    """f32 values rounded to the nearest bf16 (ties to even), as f32."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return rounded.astype(np.uint32).view(np.float32)


def round_fp16(x):
    return np.asarray(x, dtype=np.float32).astype(np.float16).astype(
        np.float32)


def make_linears(name, narrow_type, rounding, seed):
    """Independent layers (no rounding of one layer's result before the
    next: a 1-ulp f32 difference of summation order could flip it)."""
    rng = np.random.RandomState(seed)
    inits, nodes, inputs, outputs = [], [], [], []
    for layer, (k, n) in enumerate([(96, 80), (128, 64), (81, 40)]):
        w = rounding(rng.standard_normal([k, n]) / np.sqrt(k))
        b = (rng.standard_normal([n]) * 0.1).astype(np.float32)
        inits.append(numpy_helper.from_array(w, "w%d" % layer))
        inits.append(numpy_helper.from_array(b, "b%d" % layer))
        x, y = "x%d" % layer, "y%d" % layer
        inputs.append(helper.make_tensor_value_info(x, TensorProto.FLOAT,
                                                    [2, 8, k]))
        outputs.append(helper.make_tensor_value_info(y, TensorProto.FLOAT,
                                                     [2, 8, n]))
        nodes.append(helper.make_node("Cast", [x], ["narrow%d" % layer],
                                      to=narrow_type))
        nodes.append(helper.make_node("Cast", ["narrow%d" % layer],
                                      ["rounded%d" % layer],
                                      to=TensorProto.FLOAT))
        nodes.append(helper.make_node("MatMul", ["rounded%d" % layer,
                                                 "w%d" % layer],
                                      ["product%d" % layer]))
        if layer == 1:
            # A ReLU epilogue.
            nodes.append(helper.make_node("Add", ["product%d" % layer,
                                                  "b%d" % layer],
                                          ["sum%d" % layer]))
            nodes.append(helper.make_node("Relu", ["sum%d" % layer], [y]))
        else:
            nodes.append(helper.make_node("Add", ["product%d" % layer,
                                                  "b%d" % layer], [y]))
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    onnx.save(make_linears("bf16_linears", TensorProto.BFLOAT16, round_bf16, 1),
              os.path.join(out, "bf16_linears.onnx"))
    onnx.save(make_linears("fp16_linears", TensorProto.FLOAT16, round_fp16, 2),
              os.path.join(out, "fp16_linears.onnx"))


if __name__ == "__main__":
    main()
