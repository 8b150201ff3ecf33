#!/usr/bin/python3
"""Writes small quantized-product models in the forms ONNX Runtime's
quantizers and exporters write, for the comparison of tfmc with ONNX Runtime
on the same quantized graph:

  qdq_static        QuantizeLinear/DequantizeLinear around a MatMul (static
                    activation scale, per-channel int8 weight, int32 bias)
  qlinear_matmul    QLinearMatMul, per-tensor A, per-column B, uint8 Y
                    between a QuantizeLinear and a DequantizeLinear
  matmul_integer    DynamicQuantizeLinear + MatMulInteger with uint8 weights
                    and one zero point per column, Cast, scales, bias
  integer_to_float  com.microsoft.MatMulIntegerToFloat (per-column scales,
                    uint8 weights with zero points, bias)
  dynamic_matmul    com.microsoft.DynamicQuantizeMatMul (int8 weights,
                    per-column scales, bias), two layers and a GELU

    make_quantized_products.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

U8, I8 = TensorProto.UINT8, TensorProto.INT8


def weight(rng, k, n):
    return (rng.standard_normal([k, n]) / np.sqrt(k)).astype(np.float32)


def symmetric_per_column(w, limit=63):
    """int8 codes within 7 bits: ONNX Runtime runs these graphs as u8 x s8
    products, whose AVX2 kernel (vpmaddubsw) saturates pairs of products
    past int16; with full-range codes its results on AVX2-only hosts are
    off (by up to 0.68 in qdq_static, where tfmc's agree with numpy to
    1e-6)."""
    scale = (np.abs(w).max(axis=0) / float(limit)).astype(np.float32)
    q = np.clip(np.rint(w / scale), -limit, limit).astype(np.int8)
    return q, scale


def asymmetric_per_column(w):
    lo = np.minimum(w.min(axis=0), 0)
    hi = np.maximum(w.max(axis=0), 0)
    scale = ((hi - lo) / 255.0).astype(np.float32)
    zp = np.clip(np.rint(-lo / scale), 0, 255).astype(np.uint8)
    q = np.clip(np.rint(w / scale) + zp, 0, 255).astype(np.uint8)
    return q, scale, zp


class Builder:
    def __init__(self, seed):
        self.rng = np.random.RandomState(seed)
        self.inits, self.nodes = [], []

    def const(self, name, value):
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op, inputs, outputs, **attrs):
        self.nodes.append(helper.make_node(op, inputs, outputs, name=outputs[0],
                                           **attrs))
        return outputs[0]

    def save(self, path, x_shape, y_shape, name):
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
            self.inits)
        m = helper.make_model(graph, opset_imports=[
            helper.make_opsetid("", 17),
            helper.make_opsetid("com.microsoft", 1)])
        m.ir_version = 8
        onnx.checker.check_model(m)
        onnx.save(m, path)


def qdq_static(path):
    b = Builder(1)
    k, n = 64, 48
    w = weight(b.rng, k, n)
    q, ws = symmetric_per_column(w)
    xs = np.float32(4.0 / 255)
    bias = b.rng.standard_normal([n]).astype(np.float32)
    bq = np.rint(bias / (xs * ws)).astype(np.int32)
    xq = b.node("QuantizeLinear", ["x", b.const("xs", xs),
                                   b.const("xz", np.uint8(128))], ["xq"])
    xd = b.node("DequantizeLinear", [xq, "xs", "xz"], ["xd"])
    wd = b.node("DequantizeLinear", [b.const("wq", q), b.const("ws", ws),
                                     b.const("wz", np.zeros(n, np.int8))],
                ["wd"], axis=1)
    bd = b.node("DequantizeLinear", [b.const("bq", bq),
                                     b.const("bs", (xs * ws).astype(np.float32))],
                ["bd"], axis=0)
    y = b.node("MatMul", [xd, wd], ["xw"])
    b.node("Add", [y, bd], ["y"])
    b.save(path, [2, 5, k], [2, 5, n], "qdq_static")


def qlinear_matmul(path):
    b = Builder(2)
    k, n = 80, 40
    w = weight(b.rng, k, n)
    q, ws = symmetric_per_column(w)
    xq = b.node("QuantizeLinear", ["x", b.const("xs", np.float32(0.02)),
                                   b.const("xz", np.uint8(120))], ["xq"])
    yq = b.node("QLinearMatMul",
                [xq, "xs", "xz", b.const("wq", q), b.const("ws", ws),
                 b.const("wz", np.zeros(n, np.int8)),
                 b.const("ys", np.float32(0.05)),
                 b.const("yz", np.uint8(128))], ["yq"])
    b.node("DequantizeLinear", [yq, "ys", "yz"], ["y"])
    b.save(path, [6, k], [6, n], "qlinear_matmul")


def matmul_integer(path):
    b = Builder(3)
    k, n = 96, 64
    w = weight(b.rng, k, n)
    q, ws, wz = asymmetric_per_column(w)
    xq, xs, xz = "xq", "xs", "xz"
    b.node("DynamicQuantizeLinear", ["x"], [xq, xs, xz])
    yi = b.node("MatMulInteger", [xq, b.const("wq", q), xz,
                                  b.const("wz", wz)], ["yi"])
    yf = b.node("Cast", [yi], ["yf"], to=TensorProto.FLOAT)
    s = b.node("Mul", [xs, b.const("ws", ws)], ["s"])
    yd = b.node("Mul", [yf, s], ["yd"])
    b.node("Add", [yd, b.const("bias", b.rng.standard_normal([n])
                               .astype(np.float32))], ["y"])
    b.save(path, [1, 7, k], [1, 7, n], "matmul_integer")


def integer_to_float(path):
    b = Builder(4)
    k, n = 64, 32
    w = weight(b.rng, k, n)
    q, ws, wz = asymmetric_per_column(w)
    b.node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"])
    b.node("MatMulIntegerToFloat",
           ["xq", b.const("wq", q), "xs", b.const("ws", ws), "xz",
            b.const("wz", wz),
            b.const("bias", b.rng.standard_normal([n]).astype(np.float32))],
           ["y"], domain="com.microsoft")
    b.save(path, [3, 4, k], [3, 4, n], "integer_to_float")


def dynamic_matmul(path):
    b = Builder(5)
    x, k = "x", 128
    for i, n in enumerate([96, 64]):
        w = weight(b.rng, k, n)
        q, ws = symmetric_per_column(w)
        if i > 0:
            x = b.node("Gelu", [x], ["gelu%d" % i], domain="com.microsoft")
        x = b.node("DynamicQuantizeMatMul",
                   [x, b.const("wq%d" % i, q), b.const("ws%d" % i, ws), "",
                    b.const("bias%d" % i, b.rng.standard_normal([n])
                            .astype(np.float32))],
                   ["y" if i == 1 else "h%d" % i], domain="com.microsoft")
        k = n
    b.save(path, [2, 9, 128], [2, 9, 64], "dynamic_matmul")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for make in [qdq_static, qlinear_matmul, matmul_integer, integer_to_float,
                 dynamic_matmul]:
        make(os.path.join(out, make.__name__ + ".onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
