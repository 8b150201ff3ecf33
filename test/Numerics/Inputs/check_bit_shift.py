#!/usr/bin/python3
"""Runs tfm.shl and tfm.shr, compiled by tfmc, on every shift amount from 0
to past the type's width (uint8 and uint32 through ONNX BitShift, int16
arithmetic right shifts through a tfm module), against NumPy with the
semantics tfm defines: a shift by the width or more gives 0, or the sign
for an arithmetic right shift. Prints one "NAME: ok" line per case.

    check_bit_shift.py --tfmc TFMC --work DIR
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("check_bit_shift: %s failed:\n%s%s" % (
            " ".join(command), result.stdout, result.stderr))


def reference(x, s, left, bits, signed):
    out = []
    for a, b in zip(x.tolist(), s.tolist()):
        if left:
            out.append(0 if b >= bits else (a << b) % (1 << bits))
        elif signed:
            out.append(a >> min(b, bits - 1))
        else:
            out.append(0 if b >= bits else a >> b)
    return np.array(out, dtype=x.dtype)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.RandomState(0)
    cases = []
    for dtype, elem, bits in [(np.uint8, TensorProto.UINT8, 8),
                              (np.uint32, TensorProto.UINT32, 32)]:
        amounts = np.arange(bits + 3, dtype=dtype)
        values = rng.randint(0, 1 << min(bits, 31), size=amounts.size,
                             dtype=np.int64).astype(dtype)
        for direction in ["LEFT", "RIGHT"]:
            name = "bitshift_%s_%s" % (direction.lower(), dtype.__name__)
            n = amounts.size
            graph = helper.make_graph(
                [helper.make_node("BitShift", ["x", "s"], ["y"],
                                  direction=direction)], name,
                [helper.make_tensor_value_info("x", elem, [n]),
                 helper.make_tensor_value_info("s", elem, [n])],
                [helper.make_tensor_value_info("y", elem, [n])])
            model = helper.make_model(
                graph, opset_imports=[helper.make_opsetid("", 11)])
            path = os.path.join(args.work, name + ".onnx")
            onnx.save(model, path)
            cases.append((name, path, values, amounts,
                          reference(values, amounts, direction == "LEFT",
                                    bits, False)))
    # Signed right shifts (no ONNX form): negative and positive values.
    amounts = np.arange(19, dtype=np.int16)
    values = np.array([-30000, 30000, -1, 1] * 5, dtype=np.int16)[:19]
    path = os.path.join(args.work, "shr_int16.mlir")
    with open(path, "w") as f:
        f.write('func.func @shr_int16(%x: tensor<19xi16> {tfm.name = "x"}, '
                '%s: tensor<19xi16> {tfm.name = "s"}) -> '
                '(tensor<19xi16> {tfm.name = "y"}) {\n'
                '  %y = tfm.shr %x, %s : (tensor<19xi16>, tensor<19xi16>) '
                '-> tensor<19xi16>\n'
                '  return %y : tensor<19xi16>\n}\n')
    cases.append(("shr_int16", path, values, amounts,
                  reference(values, amounts, False, 16, True)))
    for name, path, values, amounts, expected in cases:
        exe = os.path.join(args.work, name)
        run([args.tfmc, path, "-o", exe])
        np.save(os.path.join(args.work, name + "_x.npy"), values)
        np.save(os.path.join(args.work, name + "_s.npy"), amounts)
        out = os.path.join(args.work, name + "_out")
        run([exe, "--quiet", "--output-dir", out,
             "--input", "x=" + os.path.join(args.work, name + "_x.npy"),
             "--input", "s=" + os.path.join(args.work, name + "_s.npy")])
        actual = np.load(os.path.join(out, "y.npy"))
        if actual.dtype != expected.dtype or not np.array_equal(actual,
                                                                expected):
            print("%s: MISMATCH\n  got      %s\n  expected %s" % (
                name, actual.tolist(), expected.tolist()))
        else:
            print("%s: ok" % name)


if __name__ == "__main__":
    main()
