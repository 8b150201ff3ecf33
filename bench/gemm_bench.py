#!/usr/bin/python3
"""fp32 GEMM: tfmc's generated code against OpenBLAS and the machine's peak.

For each size M x N x K it compiles, with tfmc, a `tfm.linear` of an
[M, K] input by an [N, K] weight given in the panel layout `[N/w, K, w]`
that -O3 packs constant weights into at compile time (w is the panel
width tfmc uses on this machine, `tfmc --print-target`: 16, or 32 with
AVX-512; so the kernel timed is the one -O3 models run, and the packing
itself costs nothing at run time). It then alternates rounds of tfmc
(tfm-run --bench) and OpenBLAS's row-major sgemm (bench/gemm_peers.c) on
the same thread count, and prints the median GFLOP/s of each, their ratio,
and each as a fraction of the fp32 peak measured by gemm_peers
(independent FMAs from registers on every thread: 2 FMA x 8 lanes x 2
flops per cycle per core with AVX2, 16 lanes where the CPU has AVX-512).

Then it times `tfm.attention` (12 heads of 64, no mask) at sequence
lengths 128 and 512, and prints its rate in GEMM-equivalent flops
(4·H·S²·D: the two products) and how many times slower that is than the
largest GEMM above. The attention is the tiled online-softmax lowering: its
scores take one 64 x 128 tile per query block, O(S · tile), never S x S.

    /usr/bin/python3 bench/gemm_bench.py [--sizes 128x768x768,...]
        [--threads N] [--rounds 3] [--runs 20] [--json FILE]

Each measurement is the median of at least --runs runs and of 0.5 s of
runs, after at least 0.3 s of warm-up; everything is compiled first.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

import measure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = "128x768x768,128x3072x768,128x768x3072,1024x1024x1024"


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("gemm_bench: %s failed:\n%s%s" % (
            " ".join(command), result.stdout, result.stderr))
    return result.stdout


def build_peers(work):
    exe = os.path.join(work, "gemm_peers")
    run(["/usr/lib/llvm-22/bin/clang", "-O2", "-mavx2", "-mfma", "-fopenmp",
         "-L/usr/lib/llvm-22/lib", "-Wl,-rpath,/usr/lib/llvm-22/lib",
         os.path.join(ROOT, "bench", "gemm_peers.c"), "-lopenblas", "-o",
         exe])
    return exe


def panel_width(tfmc):
    """The width of -O3's weight panels for this machine."""
    for line in run([tfmc, "--print-target"]).splitlines():
        if line.startswith("panel-width:"):
            return int(line.split(":")[1])
    sys.exit("gemm_bench: tfmc --print-target names no panel width")


def compile_linear(tfmc, m, n, k, threads, work, panel):
    if n % panel:
        sys.exit("gemm_bench: N = %d is not a multiple of %d" % (n, panel))
    name = "linear_%dx%dx%d" % (m, n, k)
    x, w, y = ("tensor<%dx%dxf32>" % (m, k),
               "tensor<%dx%dx%dxf32>" % (n // panel, k, panel),
               "tensor<%dx%dxf32>" % (m, n))
    source = os.path.join(work, name + ".mlir")
    with open(source, "w") as f:
        f.write("func.func @%s(%%x: %s, %%w: %s) -> %s {\n"
                "  %%y = tfm.linear %%x, %%w {out_features = %d : i64} : "
                "(%s, %s) -> %s\n  return %%y : %s\n}\n" % (
                    name, x, w, y, n, x, w, y, y))
    library = os.path.join(work, name + ".so")
    run([tfmc, source, "--emit=lib", "--num-threads", str(threads), "-o",
         library])
    return library


def compile_attention(tfmc, seq, heads, dim, threads, work):
    name = "attention_%d" % seq
    t = "tensor<1x%dx%dx%dxf32>" % (heads, seq, dim)
    source = os.path.join(work, name + ".mlir")
    with open(source, "w") as f:
        f.write("func.func @%s(%%q: %s, %%k: %s, %%v: %s) -> %s {\n"
                "  %%o = tfm.attention %%q, %%k, %%v heads = %d kv_heads = %d"
                " : (%s, %s, %s) -> %s\n  return %%o : %s\n}\n" % (
                    name, t, t, t, t, heads, heads, t, t, t, t, t))
    library = os.path.join(work, name + ".so")
    run([tfmc, source, "--emit=lib", "--num-threads", str(threads), "-o",
         library])
    return library


def median_ms(args, library, runs, warmup):
    out = run([args.tfm_run, library, "--bench", str(runs), "--warmup",
               str(warmup), "--num-threads", str(args.threads)])
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def run_counts(args, library):
    """Timed and warm-up runs for `library` (bench/measure.py's rule)."""
    return measure.run_counts(median_ms(args, library, 3, 1), args.runs,
                              args.warmup)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=SIZES)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    bin_dir = os.path.join(ROOT, "build", "bin")
    parser.add_argument("--tfmc", default=os.path.join(bin_dir, "tfmc"))
    parser.add_argument("--tfm-run", default=os.path.join(bin_dir, "tfm-run"))
    parser.add_argument("--work", default=os.path.join(ROOT, "build", "bench",
                                                       "gemm"))
    parser.add_argument("--json")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    peers = build_peers(args.work)
    # The widest vectors the CPU has (16 lanes with AVX-512) set the peak.
    peaks = dict(tuple(float(v) for v in line.split())
                 for line in run([peers, "peak", str(args.threads),
                                  "1"]).splitlines())
    lanes = max(peaks)
    peak = peaks[lanes]
    panel = panel_width(args.tfmc)
    # Everything is compiled before anything is timed: a run right after a
    # compile was measured up to 2x slower (the attention at seq 128: 0.81
    # against 0.37 ms), while the machine settles from it.
    sizes = [tuple(int(d) for d in size.split("x"))
             for size in args.sizes.split(",")]
    linears = {size: compile_linear(args.tfmc, *size, args.threads,
                                    args.work, panel) for size in sizes}
    heads, dim = 12, 64
    attentions = {seq: compile_attention(args.tfmc, seq, heads, dim,
                                         args.threads, args.work)
                  for seq in (128, 512)}

    rows = []
    for (m, n, k), library in linears.items():
        flops = 2.0 * m * n * k
        ours, blas = [], []
        runs, warmup = run_counts(args, library)
        for _ in range(args.rounds):
            ours.append(median_ms(args, library, runs, warmup))
            blas.append(float(run([peers, "sgemm", str(m), str(n), str(k),
                                   str(args.threads), str(runs),
                                   str(warmup)])))
        ours_gflops = flops / statistics.median(ours) / 1e6
        blas_gflops = flops / statistics.median(blas) / 1e6
        rows.append({"size": "%dx%dx%d" % (m, n, k),
                     "tfmc_gflops": ours_gflops,
                     "openblas_gflops": blas_gflops,
                     "ratio": ours_gflops / blas_gflops,
                     "tfmc_peak": ours_gflops / peak,
                     "openblas_peak": blas_gflops / peak})

    others = "".join("; %d-lane FMAs: %.1f" % (l, g)
                     for l, g in sorted(peaks.items()) if l != lanes)
    print("%d threads, fp32 peak %.1f GFLOP/s (measured, %d-lane FMAs%s), "
          "weight panels of %d, %d rounds, each the median of at least %d "
          "runs and 0.5 s (warm-up at least 0.3 s)"
          % (args.threads, peak, lanes, others, panel, args.rounds,
             args.runs))
    header = ("M x N x K", "tfmc GFLOP/s", "OpenBLAS GFLOP/s",
              "tfmc/OpenBLAS", "tfmc % peak", "OpenBLAS % peak")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        print("| %s | %.1f | %.1f | %.2f | %.0f%% | %.0f%% |" % (
            r["size"], r["tfmc_gflops"], r["openblas_gflops"], r["ratio"],
            100 * r["tfmc_peak"], 100 * r["openblas_peak"]))

    gemm_gflops = max(r["tfmc_gflops"] for r in rows)
    attention = []
    for seq, library in attentions.items():
        runs, warmup = run_counts(args, library)
        ms = statistics.median(median_ms(args, library, runs, warmup)
                               for _ in range(args.rounds))
        gflops = 4.0 * heads * seq * seq * dim / ms / 1e6
        attention.append({"seq": seq, "ms": ms, "gflops": gflops,
                          "gemm_over_attention": gemm_gflops / gflops})
    print("\nattention, 12 heads x 64, GEMM-equivalent flops (4·H·S²·D), "
          "against the best GEMM above (%.1f GFLOP/s)" % gemm_gflops)
    header = ("seq", "ms", "GFLOP/s", "GEMM rate / attention rate")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for a in attention:
        print("| %d | %.2f | %.1f | %.2f |" % (a["seq"], a["ms"], a["gflops"],
                                               a["gemm_over_attention"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": args.threads, "peak_gflops": peak,
                       "peak_lanes": lanes, "panel_width": panel,
                       "rows": rows, "attention": attention}, f, indent=2)


if __name__ == "__main__":
    main()
