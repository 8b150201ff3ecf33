#!/usr/bin/python3
"""Measures tfmc's GPU back end on a machine with an NVIDIA GPU, in one command.

For BERT-base (build/models/bert_full_opset17.onnx, exported by
scripts/export_models.py when missing) at batch 1 and the given sequence
length, it compiles a shared library with tfmc --target=cuda for the GPU's
architecture in each precision (fp16, the default, with its products on
tensor cores and, for comparison, without; and fp32), checks each
against the CPU backend's outputs on the same generated inputs (fp32
within 1e-3, fp16 within 3e-2), and times them with tfm-run --bench, with
the kernels launched one by one and replayed as a CUDA graph
(--cuda-graph), beside the CPU backend on this machine's cores. It prints one row per
build: compile time, the largest error against the CPU, and the median
latency.

    /usr/bin/python3 bench/gpu_bench.py [--seq 128] [--runs 50]
        [--gpu-arch sm_90a] [--json FILE]

The architecture defaults to the first GPU's, read from nvidia-smi.
Debian's PyTorch has no CUDA support, so the PyTorch and cuBLAS peers the
GPU issue asks for are not measured here.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODEL = os.path.join(ROOT, "build", "models", "bert_full_opset17.onnx")


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit("gpu_bench: failed: %s\n%s%s" %
                 (" ".join(cmd), result.stdout, result.stderr))
    return result.stdout + result.stderr


def gpu_arch():
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=compute_cap,name", "--format=csv,noheader"],
            capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        sys.exit("gpu_bench: no GPU (nvidia-smi failed); pass --gpu-arch to "
                 "compile only")
    cap, name = [f.strip() for f in out.splitlines()[0].split(",", 1)]
    major, minor = cap.split(".")
    arch = "sm_%s%s" % (major, minor)
    # Hopper's tensor-core instructions need the architecture-specific target.
    return (arch + "a" if major == "9" else arch), name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--gpu-arch")
    parser.add_argument("--json")
    args = parser.parse_args()

    if not os.path.exists(MODEL):
        run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "export_models.py"),
             "--config", "full", "--family", "bert", "--opset", "17",
             "--out", os.path.dirname(MODEL)])
    arch, name = (args.gpu_arch, "?") if args.gpu_arch else gpu_arch()
    shapes = ["--input-shape=input_ids=1x%d" % args.seq,
              "--input-shape=attention_mask=1x%d" % args.seq]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cpu = os.path.join(tmp, "cpu.so")
        run([os.path.join(BIN, "tfmc"), MODEL, *shapes, "--emit=lib", "-o", cpu])
        ref = os.path.join(tmp, "ref")
        run([os.path.join(BIN, "tfm-run"), cpu, "--output-dir", ref])
        expect = []
        for f in sorted(os.listdir(ref)):
            expect += ["--expect", "%s=%s" % (f[:-4], os.path.join(ref, f))]
        builds = [("cpu", cpu, None, 0.0, [])]
        variants = (("fp16", "fp16", "3e-2", []),
                    ("fp16 simt", "fp16", "3e-2", ["--gpu-tensor-cores=false"]),
                    ("fp32", "fp32", "1e-3", []))
        for label, precision, tol, tfmc_flags in variants:
            lib = os.path.join(tmp, "gpu_%s.so" % label.replace(" ", "_"))
            start = time.time()
            run([os.path.join(BIN, "tfmc"), MODEL, *shapes, "--target=cuda",
                 "--gpu-arch=" + arch, "--gpu-precision=" + precision,
                 *tfmc_flags, "--emit=lib", "-o", lib])
            seconds = time.time() - start
            builds.append(("cuda " + label, lib, tol, seconds, []))
            builds.append(("+ graph", lib, tol, seconds, ["--cuda-graph"]))
        for label, lib, tol, compile_s, flags in builds:
            error = None
            if tol:
                out = subprocess.run(
                    [os.path.join(BIN, "tfm-run"), lib, *expect, "--rtol", tol,
                     "--atol", tol], capture_output=True, text=True).stdout
                errors = [float(e) for e in re.findall(r"max abs error ([0-9.e+-]+)", out)]
                error = max(errors) if errors else None
            out = run([os.path.join(BIN, "tfm-run"), lib, "--bench", str(args.runs),
                       *flags])
            median = float(re.search(r"median ([0-9.]+) ms", out).group(1))
            rows.append({"build": label, "compile_s": round(compile_s, 1),
                         "max_abs_error": error, "median_ms": median})
    print("BERT-base, batch 1, seq %d, on %s (%s)" % (args.seq, name, arch))
    print("%-16s %10s %14s %10s" % ("build", "compile s", "max |error|", "ms"))
    for r in rows:
        err = "-" if r["max_abs_error"] is None else "%.3g" % r["max_abs_error"]
        print("%-16s %10s %14s %10.3f" % (r["build"], r["compile_s"] or "-", err,
                                          r["median_ms"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"gpu": name, "arch": arch, "seq": args.seq, "rows": rows}, f,
                      indent=2)


if __name__ == "__main__":
    main()
