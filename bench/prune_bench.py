#!/usr/bin/python3
"""Speed of pruned models against their dense tfmc form (issue 19).

Cases, each compiled at -O3 dense and pruned, timed with `tfm-run --bench`
in alternating rounds (the median of each round's median, each round at
least --runs runs and ~0.3 s; the ratio is dense / pruned, so above 1 is
faster):

  attention   one BERT-base attention block (seq 128, 12 heads of 64,
              merged QKV, softmax, output projection), --prune=heads 50 %
  ffn         one BERT-base FFN block (768 -> 3072 GELU -> 768),
              --prune=ffn-channels 50 %
  ffn-linear  one BERT-base FFN linear (128 x 768 -> 3072), 16x1 blocks
              at 90 % (--prune=block --prune-block=16x1)
  ffn-linear-int8  the same with --quantize=int8-weights, against the
              dense int8 linear
  ffn-decode  twelve BERT-base FFN blocks (each with its residual) at one
              row, a decode step's shape (225 MB of f32 weights, so the
              products wait on memory), 2:4 (--prune=n-m): N:M linears
  ffn-decode-avx2  the same compiled for x86-64-v3 (8-lane panels)
  bert        BERT-base (scripts/export_models.py --config full), seq 128:
              heads 50 %, ffn-channels 50 %, and the FFN linears at 90 %
              in 16x1 blocks (--prune-exclude=attention)

The block models have random weights (N(0, 0.02)); pruning picks by
magnitude, so the speed does not depend on them.

    prune_bench.py --tfmc build/bin/tfmc --tfm-run build/bin/tfm-run \\
        --work /tmp/prune-bench [--rounds 3] [--cases attention,ffn,...]
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEQ, HIDDEN, HEADS, FFN = 128, 768, 12, 3072


def weight(rng, name, shape):
    return numpy_helper.from_array(
        (rng.standard_normal(shape) * 0.02).astype(np.float32), name)


def save(path, nodes, inits, out_dim, rows=SEQ):
    graph = helper.make_graph(
        nodes, "block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [1, rows, HIDDEN])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [1, rows, out_dim])], inits)
    onnx.save(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 20)]), path)


def make_attention(path):
    rng = np.random.default_rng(0)
    head = HIDDEN // HEADS
    inits = [weight(rng, n, (HIDDEN, HIDDEN)) for n in ("wq", "wk", "wv",
                                                        "wo")]
    inits += [weight(rng, n, (HIDDEN,)) for n in ("bq", "bk", "bv", "bo")]
    inits += [numpy_helper.from_array(np.array([1, SEQ, HEADS, head],
                                               np.int64), "heads"),
              numpy_helper.from_array(np.array([1, SEQ, HIDDEN], np.int64),
                                      "merged"),
              numpy_helper.from_array(np.array(np.sqrt(head), np.float32),
                                      "root")]
    nodes = []
    for p in "qkv":
        nodes += [helper.make_node("MatMul", ["x", "w" + p], [p + "0"]),
                  helper.make_node("Add", [p + "0", "b" + p], [p + "1"]),
                  helper.make_node("Reshape", [p + "1", "heads"], [p + "2"])]
    nodes += [
        helper.make_node("Transpose", ["q2"], ["q3"], perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["k2"], ["k3"], perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["v2"], ["v3"], perm=[0, 2, 1, 3]),
        helper.make_node("MatMul", ["q3", "k3"], ["s0"]),
        helper.make_node("Div", ["s0", "root"], ["s1"]),
        helper.make_node("Softmax", ["s1"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v3"], ["o0"]),
        helper.make_node("Transpose", ["o0"], ["o1"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["o1", "merged"], ["o2"]),
        helper.make_node("MatMul", ["o2", "wo"], ["o3"]),
        helper.make_node("Add", ["o3", "bo"], ["y"]),
    ]
    save(path, nodes, inits, HIDDEN)


def make_ffn(path, linear_only=False):
    rng = np.random.default_rng(1)
    inits = [weight(rng, "w1", (HIDDEN, FFN)), weight(rng, "b1", (FFN,))]
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h0"])]
    if linear_only:
        nodes.append(helper.make_node("Add", ["h0", "b1"], ["y"]))
        return save(path, nodes, inits, FFN)
    inits += [weight(rng, "w2", (FFN, HIDDEN)), weight(rng, "b2", (HIDDEN,))]
    nodes += [helper.make_node("Add", ["h0", "b1"], ["h1"]),
              helper.make_node("Gelu", ["h1"], ["h2"]),
              helper.make_node("MatMul", ["h2", "w2"], ["y0"]),
              helper.make_node("Add", ["y0", "b2"], ["y"])]
    save(path, nodes, inits, HIDDEN)


def make_ffn_stack(path, layers=12, rows=1):
    rng = np.random.default_rng(2)
    nodes, inits, x = [], [], "x"
    for i in range(layers):
        w1, b1, w2, b2 = ("%s%d" % (n, i) for n in ("w1_", "b1_", "w2_", "b2_"))
        inits += [weight(rng, w1, (HIDDEN, FFN)), weight(rng, b1, (FFN,)),
                  weight(rng, w2, (FFN, HIDDEN)), weight(rng, b2, (HIDDEN,))]
        t = ["t%d_%d" % (i, j) for j in range(5)]
        y = "y" if i == layers - 1 else "x%d" % (i + 1)
        nodes += [helper.make_node("MatMul", [x, w1], [t[0]]),
                  helper.make_node("Add", [t[0], b1], [t[1]]),
                  helper.make_node("Gelu", [t[1]], [t[2]]),
                  helper.make_node("MatMul", [t[2], w2], [t[3]]),
                  helper.make_node("Add", [t[3], b2], [t[4]]),
                  helper.make_node("Add", [t[4], x], [y])]
        x = y
    save(path, nodes, inits, HIDDEN, rows)


BLOCK_90 = ["--prune=block", "--prune-block=16x1", "--prune-sparsity=0.9"]

# case -> (model maker or None for BERT-base, tfmc input flags, variants)
CASES = {
    "attention": (make_attention, [], [
        ("heads 50 %", ["--prune=heads", "--prune-sparsity=0.5"])]),
    "ffn": (make_ffn, [], [
        ("ffn-channels 50 %", ["--prune=ffn-channels",
                               "--prune-sparsity=0.5"])]),
    "ffn-linear": (lambda p: make_ffn(p, linear_only=True), [], [
        ("16x1 blocks 90 %", BLOCK_90)]),
    "ffn-linear-int8": (lambda p: make_ffn(p, linear_only=True),
                        ["--quantize=int8-weights"], [
        ("16x1 blocks 90 %, int8 weights", BLOCK_90)]),
    "ffn-decode": (make_ffn_stack, [], [
        ("2:4, one row", ["--prune=n-m", "--prune-n-m=2:4"])]),
    "ffn-decode-avx2": (make_ffn_stack, ["--target-cpu=x86-64-v3"], [
        ("2:4, one row, x86-64-v3", ["--prune=n-m", "--prune-n-m=2:4"])]),
    "bert": (None, ["--input-shape=input_ids=1x%d" % SEQ,
                    "--input-shape=attention_mask=1x%d" % SEQ], [
        ("heads 50 %", ["--prune=heads", "--prune-sparsity=0.5"]),
        ("ffn-channels 50 %", ["--prune=ffn-channels",
                               "--prune-sparsity=0.5"]),
        ("FFN 16x1 blocks 90 %", BLOCK_90 + ["--prune-exclude=attention"]),
    ]),
}


def median_ms(tfm_run, library, runs):
    out = subprocess.run([tfm_run, library, "--bench", str(runs)],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--tfm-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--models-dir",
                        default=os.path.join(ROOT, "build", "bench-models"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print("CPU: %s; tfm-run --bench (at least %d runs and ~0.3 s), %d "
          "alternating rounds, median of the rounds' medians" % (
              cpu, args.runs, args.rounds))
    print("| case | variant | dense ms | pruned ms | dense / pruned |")
    print("|---|---|---|---|---|")
    for case in args.cases.split(","):
        maker, flags, variants = CASES[case]
        if maker is None:
            sys.path.insert(0, os.path.join(ROOT, "bench"))
            from run_bench import ensure_model
            model = ensure_model("bert", args.models_dir)
        else:
            model = os.path.join(args.work, case + ".onnx")
            maker(model)
        libraries = []
        for name, extra in [("dense", [])] + variants:
            library = os.path.join(
                args.work, "%s_%s.so" % (case, re.sub(r"\W+", "_", name)))
            subprocess.run([args.tfmc, model, "-O3", "--emit=lib", "-o",
                            library] + flags + extra, check=True)
            libraries.append(library)
        # Each measurement runs for at least ~0.3 s: the first runs of a
        # sub-millisecond model are slower (threads and caches warming up)
        # and would weigh in a median over few runs.
        runs = [max(args.runs, int(300 / median_ms(args.tfm_run, library, 5)))
                for library in libraries]
        times = [[] for _ in libraries]
        for _ in range(args.rounds):
            for i, library in enumerate(libraries):
                times[i].append(median_ms(args.tfm_run, library, runs[i]))
        dense = float(np.median(times[0]))
        for (name, _), t in zip(variants, times[1:]):
            pruned = float(np.median(t))
            print("| %s | %s | %.3f | %.3f | %.2f |" % (
                case, name, dense, pruned, dense / pruned), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
