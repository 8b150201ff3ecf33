#!/usr/bin/python3
"""Runs the ONNX backend node tests through tfmc and counts outcomes.

For each test in Debian's libonnx-testdata (data/node/*/model.onnx), the
inputs of its first test data set give --input-shape values. Without --run
the model is only imported (`tfmc --emit=tfm`); with --run it is compiled
(`tfmc --emit=lib`) and every test data set runs through
`tfm-run --test-dir`, which compares the outputs with the expected ones
within ONNX's default tolerance (rtol 1e-3, atol 1e-7). A test counts as
  * passed      - imported (import only), or every data set matched;
  * unsupported - tfmc reported an operator, domain, element type or
                  feature it does not support;
  * failed      - any other error or a numerical mismatch;
  * crashed     - tfmc or the compiled model died on a signal or timed out.

Failures listed in --expected-failures (one `test_name  # cause` per line)
are reported as known; any other failure, a crash, or a listed test that
now passes makes the script exit non-zero, as do fewer passes than
--min-passed.

    /usr/bin/python3 scripts/onnx_node_tests.py --tfmc build/bin/tfmc \
        --run --tfm-run build/bin/tfm-run
"""

import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile

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


def classify_error(returncode, stderr):
    first = next((l for l in stderr.splitlines() if "error:" in l),
                 (stderr.strip().splitlines() or ["(no output)"])[-1])
    if returncode < 0 or returncode > 1:
        return "crashed", "exit %d: %s" % (returncode, stderr[-400:])
    if any(marker in first for marker in UNSUPPORTED_MARKERS):
        return "unsupported", first
    return "failed", first


def run_one(args, test_dir):
    name = os.path.basename(test_dir)
    model_path = os.path.join(test_dir, "model.onnx")
    try:
        model = onnx.load(model_path)
        flags = input_shapes(test_dir, model)
    except Exception as e:  # pragma: no cover - broken test data
        return name, "failed", "cannot read the test: %s" % e
    work = tempfile.mkdtemp(prefix="tfm-node-")
    try:
        if args.run:
            command = [args.tfmc, model_path, "--emit=lib", "-o",
                       os.path.join(work, "model.so")] + flags
        else:
            command = [args.tfmc, model_path, "--emit=tfm", "-o",
                       os.devnull] + flags
        try:
            proc = subprocess.run(command, capture_output=True, text=True,
                                  timeout=args.timeout)
        except subprocess.TimeoutExpired:
            return name, "crashed", "tfmc timed out after %ds" % args.timeout
        if proc.returncode != 0:
            return (name,) + classify_error(proc.returncode, proc.stderr)
        if not args.run:
            return name, "passed", ""
        data_sets = sorted(glob.glob(os.path.join(test_dir,
                                                  "test_data_set_*")))
        for data_set in data_sets:
            try:
                run = subprocess.run(
                    [args.tfm_run, os.path.join(work, "model.so"),
                     "--test-dir", data_set, "--rtol", str(args.rtol),
                     "--atol", str(args.atol)],
                    capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                return name, "crashed", "the model timed out"
            if run.returncode < 0 or run.returncode > 1:
                return name, "crashed", "model exit %d: %s" % (
                    run.returncode, (run.stdout + run.stderr)[-400:])
            if run.returncode != 0:
                lines = [l for l in (run.stdout + run.stderr).splitlines()
                         if "FAIL" in l or "error" in l]
                return name, "failed", "%s: %s" % (
                    os.path.basename(data_set),
                    lines[0] if lines else "mismatch")
        return name, "passed", ""
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_expected_failures(path):
    expected = {}
    if not path:
        return expected
    with open(path) as f:
        for line in f:
            text, _, cause = line.partition("#")
            if text.strip():
                expected[text.strip()] = cause.strip()
    return expected


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--run", action="store_true",
                        help="compile and run the tests, not just import")
    parser.add_argument("--tfm-run", default="tfm-run")
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-7)
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--min-passed", type=int, default=0)
    parser.add_argument("--expected-failures")
    parser.add_argument("--list", choices=["failed", "unsupported", "all"],
                        default="failed",
                        help="which outcomes to list one per line")
    parser.add_argument("--filter", default="",
                        help="only tests whose name contains this")
    args = parser.parse_args()

    tests = sorted(d for d in glob.glob(os.path.join(args.data, "*"))
                   if os.path.isfile(os.path.join(d, "model.onnx"))
                   and args.filter in os.path.basename(d))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda d: run_one(args, d), tests))

    expected = read_expected_failures(args.expected_failures)
    counts = {"passed": 0, "unsupported": 0, "failed": 0, "crashed": 0}
    unexpected, stale = [], []
    for name, outcome, detail in results:
        counts[outcome] += 1
        if outcome == "failed" and name not in expected:
            unexpected.append(name)
        if outcome == "passed" and name in expected:
            stale.append(name)
        if outcome == "crashed" or args.list == "all" or outcome == args.list:
            known = " (known: %s)" % expected[name] if name in expected else ""
            print("%-11s %s: %s%s" % (outcome, name, detail, known))
    print("node tests: %d passed, %d unsupported, %d failed, %d crashed "
          "of %d" % (counts["passed"], counts["unsupported"],
                     counts["failed"], counts["crashed"], len(results)))
    status = 0
    if counts["crashed"]:
        print("error: %d tests crashed" % counts["crashed"])
        status = 1
    if expected and unexpected:
        print("error: failures not in %s: %s" % (args.expected_failures,
                                                 " ".join(unexpected)))
        status = 1
    if stale:
        print("error: listed as failing but passed: %s" % " ".join(stale))
        status = 1
    if counts["passed"] < args.min_passed:
        print("error: %d tests passed, fewer than --min-passed %d" %
              (counts["passed"], args.min_passed))
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
