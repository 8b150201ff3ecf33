#!/usr/bin/python3
"""tfmc's quantized linears against its fp32 ones, interleaved.

Compiles one BERT-base FFN linear (128 x 768 -> 3072, bias, GELU) with
f32 weights, with `--quantize=int8-weights` and with
`--quantize=w8a8-dynamic`, at -O2 and -O3, and times them in interleaved
rounds with tfm-run (medians); prints each median, the ratio of each mode
to fp32 per level, and the integer rate of the W8A8 product (2·M·K·N
operations over its median, quantization and epilogue included) against
this machine's vpdpbusd peak on the same threads, measured by
bench/vnni_peak.c in the same run (compiled with clang-22; skipped on a
CPU without AVX-512 VNNI), and the same for the W8A8 product alone (no
bias or GELU: the int8 GEMM microbenchmark), with its dequantizing
epilogue in the product's register tiles (the default) and as a pass of
its own (`--fuse-epilogues=false`). Ratios, not milliseconds, are the figure: all
run in the same rounds on the same machine.

    quant_bench.py --tfmc build/bin/tfmc --tfm-run build/bin/tfm-run \\
        --work /tmp/quant-bench [--rounds 3]
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np

from measure import run_counts

K, N = 768, 3072
MODES = ("none", "int8-weights", "w8a8-dynamic", "int4-weights")


def write_model(path, m, epilogue=True):
    """The FFN linear [m, K] -> [m, N]; with `epilogue`, + bias and GELU
    (else the product alone: the GEMM microbenchmark)."""
    rng = np.random.RandomState(0)
    w = (rng.standard_normal([N, K]) / np.sqrt(K)).astype(np.float32)
    b = rng.standard_normal([N]).astype(np.float32)

    def blob(name, array):
        # Resource blobs: a 4-byte alignment header (64), then the bytes.
        return '      %s: "0x40000000%s"' % (name, array.tobytes().hex())

    x, wt, bt, y = ("tensor<%dx%dxf32>" % (m, K), "tensor<%dx%dxf32>" % (N, K),
                    "tensor<%dxf32>" % N, "tensor<%dx%dxf32>" % (m, N))
    if not epilogue:
        with open(path, "w") as f:
            f.write("""func.func @gemm(%%x: %s {tfm.name = "x"}) -> (%s {tfm.name = "out"}) {
  %%w = tfm.constant dense_resource<w> : %s
  %%y = tfm.linear %%x, %%w : (%s, %s) -> %s
  return %%y : %s
}
{-#
  dialect_resources: {
    builtin: {
%s
    }
  }
#-}
""" % (x, y, wt, x, wt, y, y, blob("w", w)))
        return
    with open(path, "w") as f:
        f.write("""func.func @ffn(%%x: %s {tfm.name = "x"}) -> (%s {tfm.name = "out"}) {
  %%w = tfm.constant dense_resource<w> : %s
  %%b = tfm.constant dense_resource<b> : %s
  %%y = tfm.linear %%x, %%w, %%b activation = gelu : (%s, %s, %s) -> %s
  return %%y : %s
}
{-#
  dialect_resources: {
    builtin: {
%s,
%s
    }
  }
#-}
""" % (x, y, wt, bt, x, wt, bt, y, y, blob("w", w), blob("b", b)))


def median_ms(tfm_run, library, runs, warmup):
    out = subprocess.run([tfm_run, library, "--bench", str(runs), "--warmup",
                          str(warmup)], capture_output=True, text=True,
                         check=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def vnni_peak(cc, work, threads):
    """The measured vpdpbusd rate in GOP/s, or None without AVX-512 VNNI."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "vnni_peak.c")
    binary = os.path.join(work, "vnni_peak")
    subprocess.run([cc, "-O2", "-pthread", source, "-o", binary], check=True)
    run = subprocess.run([binary, "--threads", str(threads)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return None
    return float(re.search(r"peak: ([0-9.]+) GOP/s", run.stdout).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--tfm-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", type=int, default=128,
                        help="M: 128 tokens (a prompt), 1 (one decode step)")
    parser.add_argument("--cc", default="clang-22",
                        help="C compiler for bench/vnni_peak.c")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    source = os.path.join(args.work, "ffn.mlir")
    M = args.rows
    write_model(source, M)
    variants = []
    for level in ("-O2", "-O3"):
        for mode in MODES:
            library = os.path.join(args.work, "ffn%s_%s.so" % (level, mode))
            subprocess.run([args.tfmc, source, level, "--quantize=" + mode,
                            "--num-threads=%d" % args.threads,
                            "--emit=lib", "-o", library], check=True)
            variants.append((level, mode, library))
    # The GEMM microbenchmark: the W8A8 product alone (no bias, no GELU; the
    # run-time quantization of x and the dequantizing epilogue are in it),
    # with the epilogue in the product's register tiles and without.
    gemm = os.path.join(args.work, "gemm.mlir")
    write_model(gemm, M, epilogue=False)
    for fused in ("true", "false"):
        library = os.path.join(args.work, "gemm_%s.so" % fused)
        subprocess.run([args.tfmc, gemm, "-O3", "--quantize=w8a8-dynamic",
                        "--fuse-epilogues=" + fused,
                        "--num-threads=%d" % args.threads,
                        "--emit=lib", "-o", library], check=True)
        variants.append(("gemm", fused, library))
    peak = vnni_peak(args.cc, args.work, args.threads)
    times = {v: [] for v in variants}
    estimate = median_ms(args.tfm_run, variants[0][2], 5, 2)
    runs, warmup = run_counts(estimate, 20, 3)
    for _ in range(args.rounds):
        for variant in variants:
            times[variant].append(
                median_ms(args.tfm_run, variant[2], runs, warmup))
    print("FFN linear %dx%d -> %d, GELU; medians of %d runs, %d rounds (ms)"
          % (M, K, N, runs, args.rounds))
    for level in ("-O2", "-O3"):
        by_mode = {v[1]: times[v] for v in variants if v[0] == level}
        fp32 = float(np.median(by_mode["none"]))
        line = level
        for mode in MODES:
            line += "  %s %s" % (mode, " / ".join(
                "%.3f" % t for t in by_mode[mode]))
            if mode != "none":
                line += " (%.2fx fp32)" % (
                    float(np.median(by_mode[mode])) / fp32)
        print(line)
        w8a8 = float(np.median(by_mode["w8a8-dynamic"]))
        gops = 2.0 * M * K * N / (w8a8 * 1e-3) / 1e9
        rate = "%s w8a8-dynamic: %.0f GOP/s" % (level, gops)
        if peak:
            rate += ", %.0f %% of the measured vpdpbusd peak (%.0f GOP/s, " \
                    "%d threads)" % (100 * gops / peak, peak, args.threads)
        else:
            rate += " (no AVX-512 VNNI here: no peak)"
        print(rate)
    for fused in ("true", "false"):
        ms = float(np.median(times[next(v for v in variants
                                        if v[:2] == ("gemm", fused))]))
        gops = 2.0 * M * K * N / (ms * 1e-3) / 1e9
        line = ("GEMM alone %dx%d -> %d, -O3 w8a8-dynamic, epilogue %s: "
                "%.3f ms, %.0f GOP/s" % (
                    M, K, N, "in the register tiles" if fused == "true"
                    else "a pass of its own", ms, gops))
        if peak:
            line += ", %.0f %% of the vpdpbusd peak" % (100 * gops / peak)
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
