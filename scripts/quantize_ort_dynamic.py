#!/usr/bin/python3
"""Rewrites an fp32 ONNX model into ONNX Runtime's dynamic int8 form.

Every MatMul by a constant 2-D float weight W [K, N] becomes the graph that
ONNX Runtime's own `quantize_dynamic` writes (its defaults: int8 weights,
symmetric, one scale for the tensor; uint8 activations quantized at run
time):

    x_q, x_s, x_z = DynamicQuantizeLinear(x)
    y_i = MatMulInteger(x_q, W_q, x_z, 0)
    y   = Cast(y_i, float) * (x_s * W_s)

with W_s = max|W| / 127 and W_q = round(W / W_s). ONNX Runtime fuses it
into its int8 kernels (MatMulIntegerToFloat, DynamicQuantizeMatMul), so
the result is the int8 peer of `make bench`. (PyPI, and with it
onnxruntime's Python quantizer, is out of reach here; this script writes
the same graph with the onnx package.)

--reduce-range quantizes to 7 bits (W_s = max|W| / 63), as
`quantize_dynamic(reduce_range=True)`: ONNX Runtime's AVX2 u8 x s8 kernel
(vpmaddubsw) saturates pairs of products past int16, so on AVX2-only hosts
its results for full-range weights are off; tests that compare with it
use 7-bit weights.

    quantize_ort_dynamic.py MODEL.onnx OUT.onnx [--exclude NAME ...]
        [--reduce-range]
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_weight(w, limit):
    scale = float(np.abs(w).max()) / float(limit)
    if scale == 0.0 or not np.isfinite(scale):
        scale = 1.0
    q = np.clip(np.rint(w / np.float32(scale)), -limit, limit).astype(np.int8)
    return q, np.float32(scale)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--exclude", action="append", default=[],
                        help="leave MatMuls whose node name contains this")
    parser.add_argument("--reduce-range", action="store_true",
                        help="7-bit weights (ONNX Runtime's reduce_range)")
    args = parser.parse_args()

    model = onnx.load(args.model)
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    nodes, new_initializers, count = [], [], 0
    for node in graph.node:
        weight = initializers.get(node.input[1]) if (
            node.op_type == "MatMul" and len(node.input) == 2) else None
        if (weight is None or len(weight.dims) != 2 or
                weight.data_type != TensorProto.FLOAT or
                any(e in node.name for e in args.exclude)):
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weight)
        q, scale = quantize_weight(w, 63 if args.reduce_range else 127)
        base = "%s_q%d" % (node.name or "matmul", count)
        count += 1
        new_initializers += [
            numpy_helper.from_array(q, base + "_W_q"),
            numpy_helper.from_array(np.array(scale, np.float32),
                                    base + "_W_s"),
            numpy_helper.from_array(np.array(0, np.int8), base + "_W_z"),
        ]
        x = node.input[0]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [x],
                             [base + "_x_q", base + "_x_s", base + "_x_z"],
                             name=base + "_quantize"),
            helper.make_node("MatMulInteger",
                             [base + "_x_q", base + "_W_q", base + "_x_z",
                              base + "_W_z"], [base + "_y_i"],
                             name=base + "_matmul"),
            helper.make_node("Cast", [base + "_y_i"], [base + "_y_f"],
                             to=TensorProto.FLOAT, name=base + "_cast"),
            helper.make_node("Mul", [base + "_x_s", base + "_W_s"],
                             [base + "_s"], name=base + "_scale"),
            helper.make_node("Mul", [base + "_y_f", base + "_s"],
                             list(node.output), name=base + "_dequantize"),
        ]
    used = {i for n in nodes for i in n.input}
    kept = [t for t in graph.initializer if t.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + new_initializers)
    onnx.checker.check_model(model)
    onnx.save(model, args.out)
    print("%s: %d MatMuls quantized" % (args.out, count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
