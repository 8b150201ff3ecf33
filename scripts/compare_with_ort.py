#!/usr/bin/python3
"""Compiles an ONNX model with tfmc and checks it against ONNX Runtime.

    compare_with_ort.py MODEL.onnx --shape input_ids=2x16 [--sets 3]
        [--rtol 1e-4] [--atol 1e-5] [--tfmc PATH] [--work DIR]

For every input set (seeded, so reruns are identical) it writes the inputs
as .npy, runs ONNX Runtime through scripts/ort_run.mjs and the tfmc-built
executable, and compares every output elementwise:
|tfmc - ort| <= atol + rtol * |ort|. Integer inputs that index a table (token
ids) stay within the table, attention masks hide a random-length padding
suffix, position ids count up. Exits 1 on any mismatch.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))

NP_TYPES = {
    onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.DOUBLE: np.float64,
    onnx.TensorProto.FLOAT16: np.float16, onnx.TensorProto.INT8: np.int8,
    onnx.TensorProto.INT16: np.int16, onnx.TensorProto.INT32: np.int32,
    onnx.TensorProto.INT64: np.int64, onnx.TensorProto.UINT8: np.uint8,
    onnx.TensorProto.BOOL: np.bool_,
}


def parse_shape(text):
    name, _, dims = text.partition("=")
    return name, [int(d) for d in dims.split("x")] if dims else []


def index_limits(graph):
    """Rows of the table each graph input indexes through Gather."""
    initializers = {t.name: t for t in graph.initializer}
    producers = {out: node for node in graph.node for out in node.output}
    limits = {}
    for node in graph.node:
        if node.op_type != "Gather" or len(node.input) < 2:
            continue
        table = initializers.get(node.input[0])
        if table is None:
            continue
        axis = next((a.i for a in node.attribute if a.name == "axis"), 0)
        rows = table.dims[axis]
        source = node.input[1]
        while source in producers and producers[source].op_type in (
                "Cast", "Reshape", "Unsqueeze", "Squeeze", "Flatten"):
            source = producers[source].input[0]
        limits[source] = min(rows, limits.get(source, rows))
    return limits


def make_inputs(graph, shapes, seed):
    rng = np.random.RandomState(seed)
    limits = index_limits(graph)
    initializer_names = {t.name for t in graph.initializer}
    inputs = {}
    for value in graph.input:
        if value.name in initializer_names:
            continue
        tensor_type = value.type.tensor_type
        dtype = NP_TYPES[tensor_type.elem_type]
        if value.name in shapes:
            shape = shapes[value.name]
        else:
            shape = [d.dim_value for d in tensor_type.shape.dim]
            if any(d <= 0 for d in shape):
                sys.exit(f"compare_with_ort: give the shape of input "
                         f"'{value.name}' with --shape")
        name = value.name.lower()
        if "mask" in name:
            data = np.ones(shape, dtype=dtype)
            if seed > 0 and len(shape) >= 1 and shape[-1] > 1:
                flat = data.reshape(-1, shape[-1])
                for row in flat:
                    row[rng.randint(1, shape[-1] + 1):] = 0
        elif "position" in name and np.issubdtype(dtype, np.integer):
            data = np.broadcast_to(np.arange(shape[-1], dtype=dtype),
                                   shape).copy()
        elif np.issubdtype(dtype, np.integer):
            data = rng.randint(0, limits.get(value.name, 2),
                               size=shape).astype(dtype)
        elif dtype == np.bool_:
            data = rng.rand(*shape) > 0.5
        else:
            data = rng.standard_normal(shape).astype(dtype)
        inputs[value.name] = data
    return inputs


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"compare_with_ort: {' '.join(command)} failed:\n"
                 f"{result.stdout}{result.stderr}")
    return result.stdout


def sanitize(name):
    return "".join(c if c.isalnum() or c in "_.-" else "_" for c in name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--shape", action="append", default=[])
    parser.add_argument("--sets", type=int, default=3)
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--tfmc", default="tfmc")
    parser.add_argument("--tfmc-arg", action="append", default=[],
                        help="extra tfmc argument (repeatable)")
    parser.add_argument("--work", default="compare-work")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    shapes = dict(parse_shape(s) for s in args.shape)
    graph = onnx.load(args.model, load_external_data=False).graph

    exe = os.path.join(args.work, "model")
    command = [args.tfmc, args.model, "-o", exe] + args.tfmc_arg
    for name, dims in shapes.items():
        command.append(f"--input-shape={name}={'x'.join(map(str, dims))}")
    run(command)

    failures = 0
    for seed in range(args.sets):
        set_dir = os.path.join(args.work, f"set{seed}")
        os.makedirs(set_dir, exist_ok=True)
        flags = []
        for name, data in make_inputs(graph, shapes, seed).items():
            path = os.path.join(set_dir, f"{sanitize(name)}.npy")
            np.save(path, data)
            flags += ["--input", f"{name}={path}"]
        ort_dir = os.path.join(set_dir, "ort")
        tfm_dir = os.path.join(set_dir, "tfmc")
        run(["node", os.path.join(HERE, "ort_run.mjs"), args.model,
             "--output-dir", ort_dir] + flags)
        run([exe, "--quiet", "--output-dir", tfm_dir] + flags)
        for output in graph.output:
            file = f"{sanitize(output.name)}.npy"
            expected = np.load(os.path.join(ort_dir, file))
            actual = np.load(os.path.join(tfm_dir, file))
            if expected.shape != actual.shape:
                print(f"set {seed} '{output.name}': shape {actual.shape}, "
                      f"ONNX Runtime {expected.shape}: FAIL")
                failures += 1
                continue
            # Equal elements agree, infinities included (inf - inf is NaN).
            diff = np.where(actual == expected, 0.0,
                            np.abs(actual.astype(np.float64) - expected))
            bound = args.atol + args.rtol * np.abs(expected.astype(np.float64))
            bad = int(np.count_nonzero(~(diff <= bound)))
            status = "ok" if bad == 0 else f"FAIL ({bad} elements)"
            print(f"set {seed} '{output.name}' {list(expected.shape)}: "
                  f"max abs err {diff.max():.3g}, max |ort| "
                  f"{np.abs(expected).max():.3g}: {status}")
            failures += bad != 0
    print(f"{os.path.basename(args.model)}: "
          f"{'PASS' if failures == 0 else 'FAIL'} "
          f"(rtol {args.rtol}, atol {args.atol}, {args.sets} input sets)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
