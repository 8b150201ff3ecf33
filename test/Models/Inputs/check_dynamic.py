#!/usr/bin/python3
"""Runs a model compiled once with a dynamic sequence length at several
lengths, and ONNX Runtime on its ONNX form, and compares the outputs.

    check_dynamic.py EXE MODEL.onnx --lengths 1,7,48 --work DIR

The inputs are `input_ids` (ids below --vocab) and `position_ids` (0, 1,
...), both [1, L]. Each output must have ONNX Runtime's shape and agree
to rtol 1e-4 / atol 1e-5. Prints one line per length and output, then PASS
or FAIL.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

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
        ids = os.path.join(work, "ids.npy")
        positions = os.path.join(work, "positions.npy")
        np.save(ids, rng.integers(0, args.vocab, (1, length)).astype(np.int64))
        np.save(positions, np.arange(length, dtype=np.int64)[None])
        inputs = ["--input", "input_ids=" + ids, "--input",
                  "position_ids=" + positions]
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
