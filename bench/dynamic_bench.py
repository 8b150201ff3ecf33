#!/usr/bin/python3
"""A GPT-2-small decoder block compiled once with a dynamic sequence length
against the same block compiled for each static length.

The block (layer norm, QKV linear, causal attention over a 128-row cache and
the new rows, output linear + residual, layer norm, FFN up + GELU, FFN
down + residual; random weights in dense_resource blobs, -O3) is written
once with its sequence dimension dynamic and once per --seq length static.
Both are lowered with tfm-opt (the CPU pipeline's vectorized phase,
bufferized at the function boundaries, the LLVM phase) and timed in one
mlir-runner process: @main calls each form --iters times per round,
alternating, and prints the time per call. With --runtime, tfmc builds an
executable of each form instead (the dynamic one takes any length up to
the largest --seq through runtime ABI 4) and each runs with --bench
--iters, alternating. Prints, per length, the medians over --rounds and
the dynamic / static ratio (1.00: no cost for the dynamic form).

    /usr/bin/python3 bench/dynamic_bench.py [--seq 1,128] [--threads 2]
        [--rounds 5] [--iters 20] [--vector-bits 512|256] [--runtime]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D, HEADS, FF, PAST = 768, 12, 3072, 128


def blob(rng, shape, scale):
    data = (rng.standard_normal(shape) * scale).astype(np.float32)
    # dense_resource hex: a 4-byte alignment word, then the bytes.
    return "0x04000000" + data.tobytes().hex().upper()


def block(name, s):
    t = f"tensor<1x{s}x{D}xf32>"
    qkv = f"tensor<1x{s}x{3 * D}xf32>"
    h = f"tensor<1x{s}x{FF}xf32>"
    cache = f"tensor<1x{HEADS}x{PAST}x64xf32>"
    return f'''func.func @{name}(%x: {t}, %pk: {cache}, %pv: {cache}) -> {t} {{
  %g1 = tfm.constant dense_resource<g1> : tensor<{D}xf32>
  %g2 = tfm.constant dense_resource<g2> : tensor<{D}xf32>
  %wqkv = tfm.constant dense_resource<wqkv> : tensor<{3 * D}x{D}xf32>
  %bqkv = tfm.constant dense_resource<bqkv> : tensor<{3 * D}xf32>
  %wo = tfm.constant dense_resource<wo> : tensor<{D}x{D}xf32>
  %w1 = tfm.constant dense_resource<w1> : tensor<{FF}x{D}xf32>
  %b1 = tfm.constant dense_resource<b1> : tensor<{FF}xf32>
  %w2 = tfm.constant dense_resource<w2> : tensor<{D}x{FF}xf32>
  %n1 = tfm.layer_norm %x scale(%g1) axes = [2] epsilon = 1.0e-5 : ({t}, tensor<{D}xf32>) -> {t}
  %a = tfm.linear %n1, %wqkv, %bqkv : ({t}, tensor<{3 * D}x{D}xf32>, tensor<{3 * D}xf32>) -> {qkv}
  %qkv:3 = tfm.split %a axis = 2 : {qkv} -> {t}, {t}, {t}
  %k4 = tfm.reshape %qkv#1 : {t} -> tensor<1x{s}x{HEADS}x64xf32>
  %k5 = tfm.transpose %k4 perm = [0, 2, 1, 3] : tensor<1x{s}x{HEADS}x64xf32> -> tensor<1x{HEADS}x{s}x64xf32>
  %v4 = tfm.reshape %qkv#2 : {t} -> tensor<1x{s}x{HEADS}x64xf32>
  %v5 = tfm.transpose %v4 perm = [0, 2, 1, 3] : tensor<1x{s}x{HEADS}x64xf32> -> tensor<1x{HEADS}x{s}x64xf32>
  %q4 = tfm.reshape %qkv#0 : {t} -> tensor<1x{s}x{HEADS}x64xf32>
  %q5 = tfm.transpose %q4 perm = [0, 2, 1, 3] : tensor<1x{s}x{HEADS}x64xf32> -> tensor<1x{HEADS}x{s}x64xf32>
  %o = tfm.attention %q5, %k5, %v5 past(%pk, %pv) heads = {HEADS} kv_heads = {HEADS} causal : (tensor<1x{HEADS}x{s}x64xf32>, tensor<1x{HEADS}x{s}x64xf32>, tensor<1x{HEADS}x{s}x64xf32>, {cache}, {cache}) -> tensor<1x{HEADS}x{s}x64xf32>
  %o1 = tfm.transpose %o perm = [0, 2, 1, 3] : tensor<1x{HEADS}x{s}x64xf32> -> tensor<1x{s}x{HEADS}x64xf32>
  %o2 = tfm.reshape %o1 : tensor<1x{s}x{HEADS}x64xf32> -> {t}
  %y = tfm.linear %o2, %wo residual(%x) : ({t}, tensor<{D}x{D}xf32>, {t}) -> {t}
  %n2 = tfm.layer_norm %y scale(%g2) axes = [2] epsilon = 1.0e-5 : ({t}, tensor<{D}xf32>) -> {t}
  %f = tfm.linear %n2, %w1, %b1 activation = gelu : ({t}, tensor<{FF}x{D}xf32>, tensor<{FF}xf32>) -> {h}
  %z = tfm.linear %f, %w2 residual(%y) : ({h}, tensor<{D}x{FF}xf32>, {t}) -> {t}
  return %z : {t}
}}
'''


def module(seqs, iters, rounds):
    rng = np.random.default_rng(0)
    funcs = [block("dyn", "?")] + [block(f"static{s}", s) for s in seqs]
    cache = f"tensor<1x{HEADS}x{PAST}x64xf32>"
    main = ["func.func private @rtclock() -> f64\n",
            "func.func @main() {\n",
            "  %c0 = arith.constant 0 : index\n  %c1 = arith.constant 1 : index\n",
            f"  %iters = arith.constant {iters} : index\n",
            f"  %rounds = arith.constant {rounds} : index\n",
            f"  %fi = arith.constant {float(iters)} : f64\n",
            "  %ms = arith.constant 1000.0 : f64\n",
            f"  %half = arith.constant 0.5 : f32\n",
            f"  %pk = tensor.splat %half : {cache}\n",
            f"  %pv = tensor.splat %half : {cache}\n",
            "  scf.for %r = %c0 to %rounds step %c1 {\n"]
    for s in seqs:
        t = f"tensor<1x{s}x{D}xf32>"
        main.append(
            f"    %x{s} = tensor.splat %half : {t}\n"
            f"    %xd{s} = tensor.cast %x{s} : {t} to tensor<1x?x{D}xf32>\n")
        for kind, call in (
                ("dynamic", f"func.call @dyn(%xd{s}, %pk, %pv) : (tensor<1x?x{D}xf32>, {cache}, {cache}) -> tensor<1x?x{D}xf32>"),
                ("static", f"func.call @static{s}(%x{s}, %pk, %pv) : ({t}, {cache}, {cache}) -> {t}")):
            tag = f"{kind}{s}"
            main.append(
                f"    %t0_{tag} = func.call @rtclock() : () -> f64\n"
                f"    scf.for %i = %c0 to %iters step %c1 {{\n"
                f"      %y = {call}\n"
                f"    }}\n"
                f"    %t1_{tag} = func.call @rtclock() : () -> f64\n"
                f"    %dt_{tag} = arith.subf %t1_{tag}, %t0_{tag} : f64\n"
                f"    %per_{tag} = arith.divf %dt_{tag}, %fi : f64\n"
                f"    %ms_{tag} = arith.mulf %per_{tag}, %ms : f64\n"
                f"    %id_{tag} = arith.constant {s} : index\n"
                f"    %kind_{tag} = arith.constant {1 if kind == 'dynamic' else 0} : index\n"
                f"    vector.print %kind_{tag} : index\n"
                f"    vector.print %id_{tag} : index\n"
                f"    vector.print %ms_{tag} : f64\n")
    main.append("  }\n  return\n}\n")
    return "\n".join(funcs) + "".join(main) + resources(rng)


def resources(rng):
    shapes = {"g1": (D,), "g2": (D,), "wqkv": (3 * D, D), "bqkv": (3 * D,),
              "wo": (D, D), "w1": (FF, D), "b1": (FF,), "w2": (D, FF)}
    entries = ",\n      ".join(
        f'{k}: "{blob(rng, v, 0.02 if len(v) == 2 else 1.0)}"'
        for k, v in shapes.items())
    return ("\n{-#\n  dialect_resources: {\n    builtin: {\n      " +
            entries + "\n    }\n  }\n#-}\n")


def print_table(times, seqs):
    """Per length: the static and dynamic medians and their ratio."""
    print(f"{'seq':>5} {'static':>9} {'dynamic':>9} {'dyn/static':>10}")
    for s in seqs:
        st = statistics.median(times[("static", s)])
        dy = statistics.median(times[("dynamic", s)])
        print(f"{s:>5} {st:>9.3f} {dy:>9.3f} {dy / st:>10.2f}")


def runtime_bench(args, seqs):
    """Times executables built by tfmc: one with the sequence dynamic (at
    most max(seqs), symbol `seq`) and one per static length, alternating,
    each run with `--bench`; prints the medians and their ratio."""
    tfmc = os.path.join(args.build, "bin", "tfmc")
    bound = max(seqs)
    rng = np.random.default_rng(0)
    blobs = resources(rng)
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        forms = {"dynamic": block("block", "?").replace(
            f"%x: tensor<1x?x{D}xf32>",
            f'%x: tensor<1x?x{D}xf32> {{tfm.name = "x", tfm.dims = ["", "seq", ""], '
            f"tfm.dim_bounds = array<i64: 1, {bound}, {D}>}}")}
        for s in seqs:
            forms[f"static{s}"] = block("block", s).replace(
                f"%x: tensor<1x{s}x{D}xf32>",
                f'%x: tensor<1x{s}x{D}xf32> {{tfm.name = "x"}}')
        for name, text in forms.items():
            src = os.path.join(tmp, name + ".mlir")
            with open(src, "w") as f:
                f.write(text + blobs)
            subprocess.run([tfmc, src, "-O3", f"--num-threads={args.threads}",
                            "-o", os.path.join(tmp, name)], check=True)
        for s in seqs:
            np.save(os.path.join(tmp, f"x{s}.npy"),
                    np.full((1, s, D), 0.5, np.float32))
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
        for _ in range(args.rounds):
            for s in seqs:
                for kind, exe in (("static", f"static{s}"),
                                  ("dynamic", "dynamic")):
                    out = subprocess.run(
                        [os.path.join(tmp, exe), "--input",
                         f"x={os.path.join(tmp, f'x{s}.npy')}", "--bench",
                         str(args.iters), "--quiet"],
                        check=True, capture_output=True, text=True,
                        env=env).stdout
                    median = float(re.search(r"median ([0-9.]+) ms", out)[1])
                    times.setdefault((kind, s), []).append(median)
    print(f"GPT-2-small block, cache {PAST} rows, tfmc -O3 executables, "
          f"{args.threads} threads; the dynamic one at most {bound} rows; "
          f"ms per run, median of {args.rounds} rounds of --bench "
          f"{args.iters}")
    print_table(times, seqs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seq", default="1,128")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iters", type=int, default=20)
    parser.add_argument("--vector-bits", type=int, default=0,
                        help="512 on AVX-512 hosts, else 256 (default: the host's)")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runtime", action="store_true",
                        help="time tfmc-built executables (runtime ABI 4) "
                        "instead of the lowered modules in mlir-runner")
    args = parser.parse_args()
    seqs = [int(s) for s in args.seq.split(",")]
    if args.runtime:
        return runtime_bench(args, seqs)
    with open("/proc/cpuinfo") as f:
        flags = set(next((line.split(":", 1)[1].split() for line in f
                          if line.startswith("flags")), []))
    bits = args.vector_bits or (512 if "avx512f" in flags else 256)
    # The JIT compiles for a generic x86-64 unless told the host's vector
    # extensions (tfmc passes its target CPU's).
    features = ["avx2", "fma", "f16c"]
    if bits == 512:
        features += ["avx512f", "avx512bw", "avx512vl", "avx512dq"]
    mattr = ",".join("+" + f for f in features
                     if f in flags or f.replace("avx512", "avx512") in flags)
    tfm_opt = os.path.join(args.build, "bin", "tfm-opt")
    llvm = "/usr/lib/llvm-22"
    libs = [f"-shared-libs={llvm}/lib/libmlir_c_runner_utils.so",
            f"-shared-libs={llvm}/lib/libomp.so"]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "block.mlir")
        with open(src, "w") as f:
            f.write(module(seqs, args.iters, args.rounds))
        vec = os.path.join(tmp, "vec.mlir")
        subprocess.run(
            [tfm_opt, src, "--tfm-cpu-pipeline=compile-to=vectorized opt-level=3 "
             f"num-threads={args.threads} vector-bits={bits}", "-o", vec],
            check=True)
        buf = os.path.join(tmp, "buf.mlir")
        # CSE and canonicalization drop the copies of a buffer onto itself
        # that bufferizing the tiles' insert_slice chains leaves, as the
        # CPU pipeline's bufferized phase does.
        subprocess.run(
            [tfm_opt, vec, "--one-shot-bufferize=bufferize-function-boundaries "
             "function-boundary-type-conversion=identity-layout-map "
             "allow-return-allocs-from-loops", "--cse", "--canonicalize",
             "-o", buf], check=True)
        low = os.path.join(tmp, "llvm.mlir")
        subprocess.run([tfm_opt, buf, f"--tfm-cpu-llvm=vector-bits={bits}",
                        "-o", low], check=True)
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
        out = subprocess.run(
            [f"{llvm}/bin/mlir-runner", low, "-e", "main", "-O3",
             f"--mattr={mattr}", "-entry-point-result=void"] + libs,
            check=True, capture_output=True, text=True, env=env).stdout
    values = out.split()
    times = {}
    for i in range(0, len(values) - 2, 3):
        kind = "dynamic" if values[i] == "1" else "static"
        times.setdefault((kind, int(values[i + 1])), []).append(
            float(values[i + 2]))
    print(f"GPT-2-small block, cache {PAST} rows, -O3, {args.threads} threads, "
          f"{bits}-bit vectors (JIT: {mattr}); ms per call, median of "
          f"{args.rounds} rounds x {args.iters} calls")
    print_table(times, seqs)


if __name__ == "__main__":
    main()
