#!/usr/bin/python3
"""Rewrites an fp32 ONNX model into ONNX Runtime's 4-bit weight form: every
MatMul by a constant 2-D weight becomes com.microsoft.MatMulNBits (bits 4,
blocks of 32 along K, asymmetric uint4 with packed zero points, round to
nearest), as ONNX Runtime's MatMulNBitsQuantizer (default RTN settings)
writes it. The int4 peer of bench/run_bench.py and the source of the
MatMulNBits import tests.

    quantize_ort_nbits.py MODEL.onnx OUT.onnx [--block 32] [--bits 4]

Run with Debian's Python (python3-onnx).
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


def quantize_blocks(w, bits, block):
    """[K, N] float weight -> (B [N, blocks, block*bits/8] uint8, scales
    [N*blocks] f32, zero points [N, blocks] ints): asymmetric per block of
    K, the range holding 0, the last block zero-padded."""
    k, n = w.shape
    blocks = -(-k // block)
    padded = np.zeros([blocks * block, n], np.float32)
    padded[:k] = w
    wb = padded.T.reshape(n, blocks, block)
    top = (1 << bits) - 1
    lo = np.minimum(wb.min(axis=2), 0)
    hi = np.maximum(wb.max(axis=2), 0)
    scale = np.where(hi > lo, (hi - lo) / top, 1).astype(np.float32)
    zp = np.clip(np.rint(-lo / scale), 0, top).astype(np.int64)
    q = np.clip(np.rint(wb / scale[:, :, None]) + zp[:, :, None], 0, top)
    q = q.astype(np.uint8)
    if bits == 4:
        q = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
    return q, scale.reshape(-1), zp


def pack_zero_points(zp, bits):
    """[N, blocks] zero points as MatMulNBits stores them: uint8, 4-bit
    ones two per byte (low nibble first), each row padded to whole bytes."""
    n, blocks = zp.shape
    if bits == 8:
        return zp.astype(np.uint8).reshape(-1)
    if blocks % 2:
        zp = np.concatenate([zp, np.zeros([n, 1], zp.dtype)], axis=1)
    return (zp[:, 0::2] | (zp[:, 1::2] << 4)).astype(np.uint8).reshape(-1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--block", type=int, default=32)
    parser.add_argument("--bits", type=int, default=4)
    args = parser.parse_args()
    model = onnx.load(args.model)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    uses = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
    nodes, converted = [], 0
    for node in graph.node:
        weight = inits.get(node.input[1]) if (
            node.op_type == "MatMul" and len(node.input) == 2) else None
        if weight is None or len(weight.dims) != 2 or \
                weight.data_type != onnx.TensorProto.FLOAT:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weight)
        k, n = w.shape
        q, scales, zp = quantize_blocks(w, args.bits, args.block)
        prefix = node.name or node.output[0]
        names = [prefix + suffix for suffix in ("_Q4", "_scales", "_zp")]
        graph.initializer.extend([
            numpy_helper.from_array(q, names[0]),
            numpy_helper.from_array(scales, names[1]),
            numpy_helper.from_array(pack_zero_points(zp, args.bits),
                                    names[2])])
        nodes.append(helper.make_node(
            "MatMulNBits", [node.input[0]] + names, list(node.output),
            name=prefix + "_MatMulNBits", domain="com.microsoft", K=k, N=n,
            bits=args.bits, block_size=args.block))
        uses[node.input[1]] -= 1
        converted += 1
    del graph.node[:]
    graph.node.extend(nodes)
    # Float weights no node reads any more.
    kept = [i for i in graph.initializer if uses.get(i.name, 1) > 0]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, args.out)
    print("%s: %d MatMul -> MatMulNBits (bits %d, block %d)" % (
        args.out, converted, args.bits, args.block))
    return 0


if __name__ == "__main__":
    sys.exit(main())
