#!/usr/bin/python3
"""Imports every ONNX backend node test model with tfmc and counts outcomes.

For each test in Debian's libonnx-testdata (data/node/*/model.onnx), the
inputs of its first test data set give --input-shape values, then

    tfmc model.onnx --emit=tfm -o /dev/null

runs and the test counts as
  * imported    - tfmc succeeded;
  * unsupported - tfmc reported an operator, domain, element type or
                  feature it does not support;
  * failed      - any other error (a bug to fix, or a limitation to list);
  * crashed     - tfmc died on a signal or timed out; never acceptable.

Prints one line per failed test with its first error, then the counts.
Exits non-zero on a crash, or when fewer tests import than --min-imported.

    /usr/bin/python3 scripts/onnx_node_tests.py --tfmc build/bin/tfmc
"""

import argparse
import concurrent.futures
import glob
import os
import subprocess
import sys

import onnx

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"
UNSUPPORTED_MARKERS = ("unsupported operator", "is not supported",
                       "are not supported", "unsupported element type",
                       "not supported (", "supported opsets are")


def input_shapes(test_dir, model):
    """--input-shape flags, from the first data set (matched by position),
    for the inputs whose declared shape is not fully static."""
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    flags = []
    data = sorted(glob.glob(os.path.join(test_dir, "test_data_set_0",
                                         "input_*.pb")),
                  key=lambda p: int(p.rsplit("_", 1)[1].split(".")[0]))
    for info, path in zip(inputs, data):
        tensor_type = info.type.tensor_type
        if not info.type.HasField("tensor_type"):
            continue  # Sequences and optionals: tfmc reports them.
        if tensor_type.HasField("shape") and all(
                d.HasField("dim_value") for d in tensor_type.shape.dim):
            continue
        tensor = onnx.TensorProto()
        with open(path, "rb") as f:
            tensor.ParseFromString(f.read())
        flags.append("--input-shape=%s=%s" %
                     (info.name, "x".join(str(d) for d in tensor.dims)))
    return flags


def run_one(tfmc, test_dir, timeout):
    name = os.path.basename(test_dir)
    model_path = os.path.join(test_dir, "model.onnx")
    try:
        model = onnx.load(model_path)
        flags = input_shapes(test_dir, model)
    except Exception as e:  # pragma: no cover - broken test data
        return name, "failed", "cannot read the test: %s" % e
    try:
        proc = subprocess.run([tfmc, model_path, "--emit=tfm", "-o", os.devnull] + flags,
                              capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return name, "crashed", "timed out after %ds" % timeout
    if proc.returncode == 0:
        return name, "imported", ""
    first = next((l for l in proc.stderr.splitlines() if "error:" in l),
                 proc.stderr.strip().splitlines()[-1:] or ["(no output)"])
    if isinstance(first, list):
        first = first[0] if first else ""
    if proc.returncode < 0 or proc.returncode > 1:
        return name, "crashed", "exit %d: %s" % (proc.returncode,
                                                 proc.stderr[-400:])
    if any(marker in first for marker in UNSUPPORTED_MARKERS):
        return name, "unsupported", first
    return name, "failed", first


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--min-imported", type=int, default=0)
    parser.add_argument("--list", choices=["failed", "unsupported", "all"],
                        default="failed",
                        help="which outcomes to list one per line")
    args = parser.parse_args()

    tests = sorted(d for d in glob.glob(os.path.join(args.data, "*"))
                   if os.path.isfile(os.path.join(d, "model.onnx")))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(
            lambda d: run_one(args.tfmc, d, args.timeout), tests))

    counts = {"imported": 0, "unsupported": 0, "failed": 0, "crashed": 0}
    for name, outcome, detail in results:
        counts[outcome] += 1
        if outcome == "crashed" or args.list == "all" or outcome == args.list:
            print("%-11s %s: %s" % (outcome, name, detail))
    print("node tests: %d imported, %d unsupported, %d failed, %d crashed "
          "of %d" % (counts["imported"], counts["unsupported"],
                     counts["failed"], counts["crashed"], len(results)))
    if counts["crashed"]:
        print("error: tfmc crashed on %d tests" % counts["crashed"])
        return 1
    if counts["imported"] < args.min_imported:
        print("error: %d tests imported, fewer than --min-imported %d" %
              (counts["imported"], args.min_imported))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
