#!/usr/bin/python3
"""Runs a model compiled once with a dynamic sequence length at several
lengths, and ONNX Runtime on its ONNX form, and compares the outputs.

    check_dynamic.py EXE MODEL.onnx --lengths 1,7,48 --work DIR

The inputs are those of `input_ids` (ids below --vocab), `position_ids`
(0, 1, ...) and `attention_mask` (ones, then zeros over the last quarter from 4 tokens
on) that the model has, each [1, L]. Each output must have ONNX Runtime's shape and agree
to rtol 1e-4 / atol 1e-5. Prints one line per length and output, then PASS
or FAIL.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ORT_RUN = os.path.join(HERE, "..", "..", "..", "scripts", "ort_run.mjs")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("exe")
    parser.add_argument("model")
    parser.add_argument("--lengths", required=True)
    parser.add_argument("--vocab", type=int, default=50)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    ok = True
    for length in [int(n) for n in args.lengths.split(",")]:
        work = os.path.join(args.work, str(length))
        os.makedirs(work, exist_ok=True)
        rng = np.random.default_rng(length)
        values = {
            "input_ids": rng.integers(0, args.vocab, (1, length)),
            "position_ids": np.arange(length)[None],
            # A padding suffix hidden from 4 tokens on.
            "attention_mask": (np.arange(length) < max(4, length * 3 // 4))[None],
        }
        inputs = []
        for name in [i.name for i in onnx.load(args.model).graph.input]:
            path = os.path.join(work, name + ".npy")
            np.save(path, values[name].astype(np.int64))
            inputs += ["--input", f"{name}={path}"]
        subprocess.run([args.exe, *inputs, "--output-dir",
                        os.path.join(work, "tfm"), "--quiet"], check=True)
        subprocess.run(["node", ORT_RUN, args.model, *inputs, "--output-dir",
                        os.path.join(work, "ort")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name in sorted(os.listdir(os.path.join(work, "ort"))):
            ref = np.load(os.path.join(work, "ort", name))
            got = np.load(os.path.join(work, "tfm", name))
            same = got.shape == ref.shape and np.allclose(
                got, ref, rtol=1e-4, atol=1e-5)
            ok &= bool(same)
            print("length %d: %s %s %s" % (length, name[:-4],
                                           list(got.shape),
                                           "ok" if same else "FAIL"))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
