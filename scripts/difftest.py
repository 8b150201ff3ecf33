#!/usr/bin/python3
"""Differential tester: random small transformer-like ONNX graphs compiled by
tfmc at -O0..-O3 and compared with ONNX Runtime.

    difftest.py --graphs 1000 [--seed S] [--jobs N] [--levels 0,1,2,3]
        [--tfmc PATH] [--tfm-run PATH] [--work DIR] [--keep]

Each graph is a chain of random blocks on a [B, S, H] hidden state, drawn
from what exporters write and what tfm's fusions look for, in several
spellings each, plus near misses that must not fuse:

  linear layers with bias and activations (GELU in erf and tanh forms,
  SiLU, ...), decomposed and fused LayerNorm and RMSNorm, multi-head
  attention (scale before or after the product, additive, Where and no
  masks, a softmax on the wrong axis as a near miss), residual norms,
  SwiGLU MLPs, elementwise chains with broadcast constants, reshapes,
  transposes, concat/split/slice, gathers, comparisons and Where, an
  int64 embedding lookup, and a float16 stretch at the end.

Shapes, opsets (14, 17, 18) and values are random per graph (seeded by
--seed and the graph's index). tfmc builds a shared library per level and
tfm-run runs it; ONNX Runtime runs the same model on the same inputs
(one process for all graphs). Every output must satisfy
|tfmc - ort| <= atol + rtol * |ort| (1e-4 and 1e-3; 4e-3 relative after a
float16 stretch, which comes last). Prints "difftest: N graphs, N
compiles, N mismatches, N errors"; mismatching graphs are kept under
WORK/failures. Exits 1 on any mismatch or error.
"""

import argparse
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Graph:
    """An ONNX graph under construction, with fresh names."""

    def __init__(self, rng, opset):
        self.rng = rng
        self.opset = opset
        self.nodes = []
        self.initializers = []
        self.inputs = []
        self.feeds = {}
        self.count = 0
        self.float16 = False

    def fresh(self, prefix):
        self.count += 1
        return "%s_%d" % (prefix, self.count)

    def const(self, array, prefix="c"):
        name = self.fresh(prefix)
        self.initializers.append(numpy_helper.from_array(np.asarray(array),
                                                         name))
        return name

    def weight(self, shape, scale=None):
        fan_in = shape[0] if len(shape) > 1 else 1
        scale = scale or 1.0 / math.sqrt(max(fan_in, 1))
        return self.const((self.rng.standard_normal(shape) * scale)
                          .astype(np.float32), "w")

    def op(self, op_type, inputs, outputs=1, **attrs):
        names = [self.fresh(op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), names,
                                           name=names[0], **attrs))
        return names[0] if outputs == 1 else names

    def input(self, name, array, elem_type):
        self.inputs.append(helper.make_tensor_value_info(
            name, elem_type, list(array.shape)))
        self.feeds[name] = array
        return name

    def reduce(self, op_type, x, axes, keepdims=1):
        if self.opset >= 18 or op_type == "ReduceSum" and self.opset >= 13:
            return self.op(op_type, [x, self.const(np.array(axes, np.int64))],
                           keepdims=keepdims)
        return self.op(op_type, [x], axes=axes, keepdims=keepdims)

    def scalar(self, value):
        return self.const(np.array(value, np.float32))


# Blocks: each maps a [B, S, H] float32 value to a [B, S, H] one.

def activation(g, x, kind):
    if kind == "relu":
        return g.op("Relu", [x])
    if kind == "tanh":
        return g.op("Tanh", [x])
    if kind == "sigmoid":
        return g.op("Sigmoid", [x])
    if kind == "silu":
        return g.op("Mul", [x, g.op("Sigmoid", [x])])
    if kind == "gelu_erf":
        # x * 0.5 * (1 + erf(x / sqrt 2)), in either order of the halves.
        if g.rng.random() < 0.5:
            inner = g.op("Div", [x, g.scalar(math.sqrt(2.0))])
        else:
            inner = g.op("Mul", [x, g.scalar(1 / math.sqrt(2.0))])
        one = g.op("Add", [g.op("Erf", [inner]), g.scalar(1.0)])
        if g.rng.random() < 0.5:
            return g.op("Mul", [g.op("Mul", [x, g.scalar(0.5)]), one])
        return g.op("Mul", [g.op("Mul", [x, one]), g.scalar(0.5)])
    if kind == "gelu_erf_near_miss":
        # Not a GELU: divides by 1.5. Must compute, not fuse.
        inner = g.op("Div", [x, g.scalar(1.5)])
        one = g.op("Add", [g.op("Erf", [inner]), g.scalar(1.0)])
        return g.op("Mul", [g.op("Mul", [x, g.scalar(0.5)]), one])
    if kind == "gelu_tanh":
        if g.rng.random() < 0.5:
            cube = g.op("Pow", [x, g.scalar(3.0)])
        else:
            cube = g.op("Mul", [g.op("Mul", [x, x]), x])
        inner = g.op("Add", [x, g.op("Mul", [cube, g.scalar(0.044715)])])
        inner = g.op("Mul", [inner, g.scalar(math.sqrt(2 / math.pi))])
        one = g.op("Add", [g.op("Tanh", [inner]), g.scalar(1.0)])
        return g.op("Mul", [g.op("Mul", [x, g.scalar(0.5)]), one])
    return x


def linear(g, x, h_in, h_out, act=None):
    y = g.op("MatMul", [x, g.weight([h_in, h_out])])
    if g.rng.random() < 0.8:
        bias = g.weight([h_out], 0.1)
        y = g.op("Add", [y, bias] if g.rng.random() < 0.7 else [bias, y])
    if act:
        y = activation(g, y, act)
    return y


def block_linear(g, x, shape):
    acts = ["relu", "tanh", "sigmoid", "silu", "gelu_erf", "gelu_tanh",
            "gelu_erf_near_miss", None]
    h = shape[2]
    mid = int(g.rng.choice([h, 2 * h, 4 * h]))
    y = linear(g, x, h, mid, acts[g.rng.integers(len(acts))])
    return linear(g, y, mid, h)


def layer_norm(g, x, h, eps=None):
    eps = eps if eps is not None else float(g.rng.choice([1e-5, 1e-6, 1e-12]))
    kind = g.rng.integers(3) if g.opset >= 17 else g.rng.integers(2)
    gamma = g.const((1 + 0.1 * g.rng.standard_normal(h)).astype(np.float32))
    beta = g.weight([h], 0.1)
    if kind == 2:
        return g.op("LayerNormalization", [x, gamma, beta], axis=-1,
                    epsilon=eps)
    mean = g.reduce("ReduceMean", x, [-1])
    d = g.op("Sub", [x, mean])
    sq = g.op("Pow", [d, g.scalar(2.0)]) if kind == 0 else g.op("Mul", [d, d])
    var = g.reduce("ReduceMean", sq, [-1])
    n = g.op("Div", [d, g.op("Sqrt", [g.op("Add", [var, g.scalar(eps)])])])
    return g.op("Add", [g.op("Mul", [n, gamma]), beta])


def block_layer_norm(g, x, shape):
    if g.rng.random() < 0.2:
        # Near miss: statistics over the sequence axis, not the features.
        mean = g.reduce("ReduceMean", x, [1])
        d = g.op("Sub", [x, mean])
        var = g.reduce("ReduceMean", g.op("Mul", [d, d]), [1])
        return g.op("Div", [d, g.op("Sqrt", [g.op("Add", [var,
                                                          g.scalar(1e-5)])])])
    return layer_norm(g, x, shape[2])


def block_rms_norm(g, x, shape):
    ms = g.reduce("ReduceMean", g.op("Mul", [x, x]), [-1])
    root = g.op("Sqrt", [g.op("Add", [ms, g.scalar(1e-6)])])
    if g.rng.random() < 0.5:
        n = g.op("Div", [x, root])
    else:
        n = g.op("Mul", [x, g.op("Reciprocal", [root])])
    return g.op("Mul", [n, g.const((1 + 0.1 * g.rng.standard_normal(
        shape[2])).astype(np.float32))])


def block_attention(g, x, shape):
    b, s, h = shape
    heads = int(g.rng.choice([d for d in (1, 2, 4) if h % d == 0]))
    d = h // heads

    def split_heads(t, transpose_last=False):
        t = g.op("Reshape", [t, g.const(np.array([b, s, heads, d], np.int64))])
        perm = [0, 2, 3, 1] if transpose_last else [0, 2, 1, 3]
        return g.op("Transpose", [t], perm=perm)

    q, k, v = (linear(g, x, h, h) for _ in range(3))
    scale_first = g.rng.random() < 0.3
    qh = split_heads(q)
    if scale_first:
        qh = g.op("Mul", [qh, g.scalar(1 / math.sqrt(d))])
    scores = g.op("MatMul", [qh, split_heads(k, transpose_last=True)])
    if not scale_first:
        if g.rng.random() < 0.5:
            scores = g.op("Div", [scores, g.scalar(math.sqrt(d))])
        else:
            scores = g.op("Mul", [scores, g.scalar(1 / math.sqrt(d))])
    mask_kind = g.rng.integers(4)
    causal = np.triu(np.ones((s, s), bool), 1)
    if mask_kind == 1:  # additive, as BERT-style exports
        scores = g.op("Add", [scores, g.const(np.where(
            causal, np.float32(-1e4), np.float32(0)).astype(np.float32))])
    elif mask_kind == 2:  # masked_fill: Where(masked, -inf, scores)
        scores = g.op("Where", [g.const(causal), g.scalar(-np.inf), scores])
    elif mask_kind == 3:  # Where(keep, scores, lowest)
        scores = g.op("Where", [g.const(~causal), scores,
                                g.scalar(np.finfo(np.float32).min)])
    axis = -1 if g.rng.random() < 0.9 else 2  # near miss: the wrong axis
    probs = g.op("Softmax", [scores], axis=axis)
    ctx = g.op("MatMul", [probs, split_heads(v)])
    ctx = g.op("Transpose", [ctx], perm=[0, 2, 1, 3])
    ctx = g.op("Reshape", [ctx, g.const(np.array([b, s, h], np.int64))])
    return linear(g, ctx, h, h)


def block_residual_norm(g, x, shape):
    y = linear(g, x, shape[2], shape[2])
    return layer_norm(g, g.op("Add", [x, y] if g.rng.random() < 0.5
                              else [y, x]), shape[2])


def block_swiglu(g, x, shape):
    h = shape[2]
    f = int(g.rng.choice([h, 2 * h, 3 * h]))
    gate = activation(g, linear(g, x, h, f), "silu")
    up = linear(g, x, h, f)
    return linear(g, g.op("Mul", [gate, up]), f, h)


def block_elementwise(g, x, shape):
    b, s, h = shape
    for _ in range(g.rng.integers(1, 5)):
        const_shape = [[h], [1, s, 1], [b, 1, h], [], [1, 1, h]][
            g.rng.integers(5)]
        c = g.const((g.rng.standard_normal(const_shape) * 0.5)
                    .astype(np.float32))
        op = g.rng.choice(["Add", "Sub", "Mul", "Div", "Max", "Min", "Relu",
                           "Neg", "Abs", "Tanh", "Sigmoid", "Exp", "Sqrt",
                           "Square"])
        if op == "Div":
            pos = g.op("Add", [g.op("Abs", [c]), g.scalar(0.5)])
            x = g.op("Div", [x, pos])
        elif op in ("Add", "Sub", "Mul", "Max", "Min"):
            x = g.op(op, [x, c] if g.rng.random() < 0.5 else [c, x])
        elif op == "Exp":
            x = g.op("Exp", [g.op("Tanh", [x])])
        elif op == "Sqrt":
            x = g.op("Sqrt", [g.op("Add", [g.op("Abs", [x]),
                                           g.scalar(1.0)])])
        elif op == "Square":
            x = g.op("Pow", [g.op("Tanh", [x]), g.scalar(2.0)])
        else:
            x = g.op(op, [x])
    return x


def block_shapes(g, x, shape):
    b, s, h = shape
    kind = g.rng.integers(5)
    if kind == 0 and h % 2 == 0:
        t = g.op("Reshape", [x, g.const(np.array([b, s, 2, h // 2],
                                                 np.int64))])
        t = g.op("Transpose", [t], perm=[0, 2, 1, 3])
        t = g.op("Mul", [t, g.scalar(1.5)])
        t = g.op("Transpose", [t], perm=[0, 2, 1, 3])
        return g.op("Reshape", [t, g.const(np.array([b, s, h], np.int64))])
    if kind == 1:
        y = g.op("Tanh", [x])
        both = g.op("Concat", [x, y], axis=-1)
        if g.opset >= 18:
            a, c = g.op("Split", [both], outputs=2, axis=-1, num_outputs=2)
        elif g.opset >= 13:
            a, c = g.op("Split", [both, g.const(np.array([h, h], np.int64))],
                        outputs=2, axis=-1)
        else:
            a, c = g.op("Split", [both], outputs=2, axis=-1, split=[h, h])
        return g.op("Add", [a, c])
    if kind == 2:
        # Reverse the sequence with a negative-step slice.
        return g.op("Slice", [x, g.const(np.array([-1], np.int64)),
                              g.const(np.array([-s - 1], np.int64)),
                              g.const(np.array([1], np.int64)),
                              g.const(np.array([-1], np.int64))])
    if kind == 3:
        perm = g.rng.permutation(s).astype(np.int64)
        return g.op("Gather", [x, g.const(perm)], axis=1)
    t = g.op("Unsqueeze", [x, g.const(np.array([1], np.int64))])
    t = g.op("Relu", [t])
    return g.op("Squeeze", [t, g.const(np.array([1], np.int64))])


def block_reductions(g, x, shape):
    kind = g.rng.integers(3)
    if kind == 0:
        return g.op("Softmax", [x], axis=-1)
    if kind == 1:
        m = g.reduce("ReduceMax", x, [-1])
        return g.op("Sub", [x, m])
    s = g.reduce("ReduceSum", x, [1])
    return g.op("Add", [x, g.op("Mul", [s, g.scalar(0.1)])])


def block_where(g, x, shape):
    cond = g.op("Greater", [x, g.scalar(float(g.rng.standard_normal()
                                              * 0.3))])
    other = g.op("Mul", [x, g.scalar(0.1)])
    return g.op("Where", [cond, x, other])


def block_float16(g, x, shape):
    g.float16 = True
    t = g.op("Cast", [x], to=TensorProto.FLOAT16)
    c = g.const((g.rng.standard_normal([shape[2]]) * 0.5).astype(np.float16))
    t = g.op("Add", [t, c])
    t = g.op("Relu", [g.op("Mul", [t, t])])
    return g.op("Cast", [t], to=TensorProto.FLOAT)


BLOCKS = [block_linear, block_layer_norm, block_rms_norm, block_attention,
          block_residual_norm, block_swiglu, block_elementwise, block_shapes,
          block_reductions, block_where]
WEIGHTS = [3, 2, 1, 3, 2, 1, 3, 2, 1, 1]


def make_graph(seed):
    rng = np.random.default_rng(seed)
    opset = int(rng.choice([14, 17, 18]))
    g = Graph(rng, opset)
    b = int(rng.choice([1, 2]))
    s = int(rng.integers(1, 18))
    h = int(rng.choice([4, 8, 16, 24, 32]))
    shape = (b, s, h)
    if rng.random() < 0.3:
        vocab = int(rng.integers(5, 40))
        ids = g.input("ids", rng.integers(0, vocab, (b, s)).astype(np.int64),
                      TensorProto.INT64)
        x = g.op("Gather", [g.weight([vocab, h], 1.0), ids], axis=0)
    else:
        x = g.input("x", rng.standard_normal(shape).astype(np.float32),
                    TensorProto.FLOAT)
    p = np.array(WEIGHTS, float) / sum(WEIGHTS)
    for _ in range(int(rng.integers(1, 5))):
        x = BLOCKS[rng.choice(len(BLOCKS), p=p)](g, x, shape)
    # A float16 stretch only at the end: ONNX Runtime's CPU kernels compute
    # some float16 ops in float32 without rounding between them (tfm
    # rounds after every op, as ONNX specifies), and later layers would
    # amplify that one-ulp difference.
    if rng.random() < 0.1:
        x = block_float16(g, x, shape)
    graph = helper.make_graph(
        g.nodes, "difftest_%d" % seed, g.inputs,
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, list(shape))],
        g.initializers)
    model = helper.make_model(graph, ir_version=8, opset_imports=[
        helper.make_opsetid("", opset)])
    # ONNX 1.12's checker knows opsets up to 17.
    if opset <= 17:
        onnx.checker.check_model(model)
    return model, g.feeds, g.float16


def run(cmd, timeout=300):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
        return proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired:
        return -1, "timed out after %d s" % timeout


def compile_and_run(job, args):
    """Compiles one graph at every level and runs it; returns errors."""
    folder, levels = job["folder"], job["levels"]
    errors = []
    for level in levels:
        lib = os.path.join(folder, "O%d.so" % level)
        code, output = run([args.tfmc, job["model"], "--emit=lib",
                            "-O%d" % level, "-o", lib, "--num-threads=2"])
        if code != 0:
            errors.append("tfmc -O%d exited %d: %s" % (level, code,
                                                       output[-1500:]))
            continue
        cmd = [args.tfm_run, lib, "--output-dir",
               os.path.join(folder, "tfmc_O%d" % level)]
        for name, path in job["inputs"].items():
            cmd += ["--input", "%s=%s" % (name, path)]
        code, output = run(cmd)
        if code != 0:
            errors.append("tfm-run -O%d exited %d: %s" % (level, code,
                                                          output[-1500:]))
    return errors


def compare(folder, level, rtol, atol):
    ort_dir = os.path.join(folder, "ort")
    if os.path.exists(os.path.join(ort_dir, "ERROR.txt")):
        with open(os.path.join(ort_dir, "ERROR.txt")) as f:
            return "ONNX Runtime failed: " + f.read().strip()
    mine_dir = os.path.join(folder, "tfmc_O%d" % level)
    for name in sorted(os.listdir(ort_dir)):
        expected = np.load(os.path.join(ort_dir, name))
        actual = np.load(os.path.join(mine_dir, name))
        if actual.shape != expected.shape:
            return "%s: shape %s, ONNX Runtime %s" % (name, actual.shape,
                                                     expected.shape)
        a = actual.astype(np.float64)
        e = expected.astype(np.float64)
        both_nan = np.isnan(a) & np.isnan(e)
        bad = ~both_nan & ~(np.abs(a - e) <= atol + rtol * np.abs(e))
        if bad.any():
            worst = np.nanmax(np.abs(a - e)[bad]) if bad.any() else 0
            return "%s: %d of %d elements differ (max abs error %.3g)" % (
                name, int(bad.sum()), a.size, worst)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--graphs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--levels", default="0,1,2,3")
    parser.add_argument("--tfmc", default=os.path.join(ROOT, "build", "bin",
                                                       "tfmc"))
    parser.add_argument("--tfm-run", default=os.path.join(ROOT, "build",
                                                          "bin", "tfm-run"))
    parser.add_argument("--work")
    parser.add_argument("--keep", action="store_true",
                        help="keep every graph, not only failures")
    args = parser.parse_args()
    levels = [int(l) for l in args.levels.split(",")]
    work = args.work or tempfile.mkdtemp(prefix="tfm-difftest-")
    os.makedirs(work, exist_ok=True)

    jobs = []
    for i in range(args.graphs):
        seed = args.seed * 1000003 + i
        folder = os.path.join(work, "g%05d" % i)
        os.makedirs(folder, exist_ok=True)
        model, feeds, half = make_graph(seed)
        path = os.path.join(folder, "model.onnx")
        onnx.save(model, path)
        inputs = {}
        for name, array in feeds.items():
            inputs[name] = os.path.join(folder, name + ".npy")
            np.save(inputs[name], array)
        jobs.append({"index": i, "seed": seed, "folder": folder,
                     "model": path, "inputs": inputs, "levels": levels,
                     "half": half, "nodes": len(model.graph.node)})

    # ONNX Runtime: every graph in one process, in the background.
    ort_jobs = os.path.join(work, "ort_jobs.json")
    with open(ort_jobs, "w") as f:
        json.dump([{"model": j["model"], "inputs": j["inputs"],
                    "output_dir": os.path.join(j["folder"], "ort")}
                   for j in jobs], f)
    ort = subprocess.Popen(["node", os.path.join(HERE, "ort_run.mjs"),
                            "--batch", ort_jobs])
    errors = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for job, job_errors in zip(jobs, pool.map(
                lambda j: compile_and_run(j, args), jobs)):
            if job_errors:
                errors[job["index"]] = job_errors
    if ort.wait() != 0:
        print("difftest: ONNX Runtime failed", file=sys.stderr)
        sys.exit(1)

    mismatches = {}
    for job in jobs:
        # A float16 result may differ by an ulp (2^-10 relative) in each of
        # the last ops; float32 ones by summation order.
        rtol = 4e-3 if job["half"] else 1e-3
        for level in levels:
            if job["index"] in errors:
                break
            problem = compare(job["folder"], level, rtol, 1e-4)
            if problem:
                mismatches.setdefault(job["index"], []).append(
                    "-O%d %s" % (level, problem))
    failures = os.path.join(work, "failures")
    for index in sorted(set(errors) | set(mismatches)):
        job = jobs[index]
        kept = os.path.join(failures, os.path.basename(job["folder"]))
        shutil.copytree(job["folder"], kept, dirs_exist_ok=True)
        for line in errors.get(index, []) + mismatches.get(index, []):
            print("graph %d (seed %d, %d nodes): %s" % (
                index, job["seed"], job["nodes"], line.splitlines()[0]))
    if not args.keep:
        for job in jobs:
            shutil.rmtree(job["folder"], ignore_errors=True)
    nodes = sum(j["nodes"] for j in jobs)
    print("difftest: %d graphs (%d nodes), %d compiles at -O%s, "
          "%d mismatches, %d errors%s" % (
              len(jobs), nodes, len(jobs) * len(levels),
              ",".join(map(str, levels)), len(mismatches), len(errors),
              "; kept in " + failures if mismatches or errors else ""))
    sys.exit(1 if mismatches or errors else 0)


if __name__ == "__main__":
    main()
