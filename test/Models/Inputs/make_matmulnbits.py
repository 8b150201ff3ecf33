#!/usr/bin/python3
"""Writes small com.microsoft.MatMulNBits models, as ONNX Runtime's weight
quantizers (MatMulNBitsQuantizer, GPTQ/AWQ exports) produce them, for the
comparison of tfmc with ONNX Runtime on the same quantized graph:

  nbits4_zp      4-bit codes, packed uint8 zero points, bias, 3-D input
  nbits4_sym     4-bit codes, no zero points (8), K not a multiple of the
                 block (the last block padded), -O3's panels elsewhere
  nbits8_zp      8-bit codes, packed uint8 zero points
  nbits4_fzp     4-bit codes, float zero points, trivial g_idx
  nbits4_chain   two MatMulNBits (a GELU between), blocks of 16 and 128

    make_matmulnbits.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "scripts"))
from quantize_ort_nbits import pack_zero_points, quantize_blocks  # noqa: E402


def nbits_node(name, x, y, k, n, bits, block, rng, inits, zero_points,
               bias=False, g_idx=False):
    w = (rng.standard_normal([k, n]) / np.sqrt(k)).astype(np.float32)
    q, scale, zp = quantize_blocks(w, bits, block)
    inits += [numpy_helper.from_array(q, name + ".B"),
              numpy_helper.from_array(scale, name + ".scales")]
    inputs = [x, name + ".B", name + ".scales"]
    if zero_points == "packed":
        inits.append(numpy_helper.from_array(pack_zero_points(zp, bits),
                                             name + ".zp"))
        inputs.append(name + ".zp")
    elif zero_points == "float":
        inits.append(numpy_helper.from_array(
            zp.astype(np.float32).reshape(-1), name + ".zp"))
        inputs.append(name + ".zp")
    elif bias or g_idx:
        inputs.append("")
    if g_idx:
        inits.append(numpy_helper.from_array(
            (np.arange(k) // block).astype(np.int32), name + ".g_idx"))
        inputs.append(name + ".g_idx")
    elif bias:
        inputs.append("")
    if bias:
        inits.append(numpy_helper.from_array(
            rng.standard_normal([n]).astype(np.float32), name + ".bias"))
        inputs.append(name + ".bias")
    return helper.make_node("MatMulNBits", inputs, [y], name=name,
                            domain="com.microsoft", K=k, N=n, bits=bits,
                            block_size=block)


def model(path, x_shape, layers):
    rng = np.random.RandomState(len(os.path.basename(path)))
    inits, nodes = [], []
    x, k = "x", x_shape[-1]
    for i, layer in enumerate(layers):
        n = layer.pop("n")
        y = "y" if i == len(layers) - 1 else "h%d" % i
        if layer.pop("gelu", False):
            nodes.append(helper.make_node("Gelu", [x], [x + ".gelu"],
                                          domain="com.microsoft"))
            x = x + ".gelu"
        nodes.append(nbits_node("fc%d" % i, x, y, k, n, rng=rng,
                                inits=inits, **layer))
        x, k = y, n
    graph = helper.make_graph(
        nodes, "matmulnbits",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       x_shape[:-1] + [k])], inits)
    m = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    m.ir_version = 8
    onnx.save(m, path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    model(os.path.join(out, "nbits4_zp.onnx"), [2, 5, 64],
          [dict(n=48, bits=4, block=32, zero_points="packed", bias=True)])
    model(os.path.join(out, "nbits4_sym.onnx"), [3, 80],
          [dict(n=40, bits=4, block=32, zero_points=None)])
    model(os.path.join(out, "nbits8_zp.onnx"), [4, 96],
          [dict(n=64, bits=8, block=32, zero_points="packed")])
    model(os.path.join(out, "nbits4_fzp.onnx"), [4, 96],
          [dict(n=64, bits=4, block=32, zero_points="float", g_idx=True)])
    model(os.path.join(out, "nbits4_chain.onnx"), [1, 7, 128],
          [dict(n=256, bits=4, block=16, zero_points="packed"),
           dict(n=96, bits=4, block=128, zero_points="packed", gelu=True)])
    # One row, as in decode: the block's scale and zero point applied once
    # per block (tfm-cpu-factor-block-scales).
    model(os.path.join(out, "nbits4_row.onnx"), [1, 256],
          [dict(n=96, bits=4, block=32, zero_points="packed", bias=True)])
    model(os.path.join(out, "nbits8_row.onnx"), [1, 1, 128],
          [dict(n=80, bits=8, block=64, zero_points="packed")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
