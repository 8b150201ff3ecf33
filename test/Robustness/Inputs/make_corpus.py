"""Writes the malformed-model corpus: models a hostile or careless user could
hand tfmc, each with what tfmc must do with it.

    make_corpus.py OUT_DIR

Every case is a folder OUT_DIR/<name>/ holding the model (model.onnx or
model.mlir), any side files, the inputs (<input>.npy) and expected outputs
(expected/<output>.npy). OUT_DIR/cases.json lists the cases:

  kind "error":     tfmc exits 1 with one or more "tfmc: error:" lines, one
                    matching `expect` (a regular expression);
  kind "run":       tfmc compiles it at each of `levels`, and the executable
                    run on the inputs produces the expected outputs
                    (NaN equals NaN);
  kind "run_error": tfmc compiles it, and the executable (with `exe_args`)
                    exits 1 with a message matching `expect`.

Never a crash, a hang or a silent wrong answer: run_corpus.py checks that.
Run with Debian's /usr/bin/python3 (python3-onnx, numpy).
"""

import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

CASES = []


def value_info(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def make_model(nodes, inputs, outputs, initializers=(), opset=18, ir=8):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    return helper.make_model(graph, ir_version=ir,
                             opset_imports=[helper.make_opsetid("", opset)])


def const(name, array):
    return helper.make_node("Constant", [], [name],
                            value=numpy_helper.from_array(np.asarray(array)))


class Case:
    def __init__(self, out, name, kind, expect=None, levels=(0, 2),
                 args=(), exe_args=()):
        self.dir = os.path.join(out, name)
        # A rerun starts the case afresh (its links and pipes included).
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "expected"))
        self.entry = {"name": name, "kind": kind, "model": "model.onnx",
                      "expect": expect, "levels": list(levels),
                      "args": list(args), "exe_args": list(exe_args),
                      "inputs": [], "outputs": []}
        CASES.append(self.entry)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def save(self, model, name="model.onnx"):
        # Models are written as bytes: onnx.save would refuse (check) some
        # of the malformed ones.
        with open(self.path(name), "wb") as f:
            f.write(model.SerializeToString())
        self.entry["model"] = name

    def text(self, text, name):
        with open(self.path(name), "w") as f:
            f.write(text)
        self.entry["model"] = name

    def input(self, name, array):
        np.save(self.path(name + ".npy"), array)
        self.entry["inputs"].append(name)

    def output(self, name, array):
        np.save(self.path("expected", name + ".npy"), array)
        self.entry["outputs"].append(name)


def external_tensor(name, dims, location, offset=None, length=None):
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = TensorProto.FLOAT
    tensor.dims.extend(dims)
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", offset),
                       ("length", length)):
        if value is not None:
            entry = tensor.external_data.add()
            entry.key = key
            entry.value = str(value)
    return tensor


def add_model(weight, n):
    """Y = X + W for X, W of [n] floats."""
    return make_model([helper.make_node("Add", ["X", "W"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [n])],
                      [value_info("Y", TensorProto.FLOAT, [n])], [weight])


def external_data_cases(out):
    """Defect 1 and 2: locations outside the model's folder, data files
    shorter than their tensors, offsets past the end, non-files."""
    n = 16
    c = Case(out, "ext_traversal", "error",
             r"initializer 'W' names external data file "
             r"'(\.\./)+etc/passwd' outside the model's folder")
    c.save(add_model(external_tensor("W", [n], "../" * 40 + "etc/passwd",
                                     length=4 * n), n))

    # Climbing out and back in is refused too: the file it names is
    # outside until the path is resolved.
    c = Case(out, "ext_traversal_missing", "error",
             r"initializer 'W' names external data file "
             r"'\.\./no/such/file' outside the model's folder")
    c.save(add_model(external_tensor("W", [n], "../no/such/file"), n))

    c = Case(out, "ext_absolute", "error",
             r"initializer 'W' names external data file '/etc/passwd' by an "
             r"absolute path")
    c.save(add_model(external_tensor("W", [n], "/etc/passwd"), n))

    # A symbolic link inside the folder that points out of it.
    c = Case(out, "ext_symlink_out", "error",
             r"initializer 'W' names external data file 'w\.bin', which "
             r"resolves to '.*secret\.bin' outside the model's folder")
    os.makedirs(c.path("model"), exist_ok=True)
    with open(c.path("secret.bin"), "wb") as f:
        f.write(np.arange(n, dtype=np.float32).tobytes())
    os.symlink("../secret.bin", c.path("model", "w.bin"))
    c.save(add_model(external_tensor("W", [n], "w.bin"), n),
           os.path.join("model", "model.onnx"))

    # A link that stays inside is fine; so is "sub/../w.bin".
    c = Case(out, "ext_inside", "run")
    os.makedirs(c.path("sub"), exist_ok=True)
    w = np.arange(n, dtype=np.float32) * 0.5
    with open(c.path("w.bin"), "wb") as f:
        f.write(b"\0" * 8 + w.tobytes())
    os.symlink("w.bin", c.path("link.bin"))
    model = make_model(
        [helper.make_node("Add", ["X", "W"], ["T"]),
         helper.make_node("Add", ["T", "V"], ["Y"])],
        [value_info("X", TensorProto.FLOAT, [n])],
        [value_info("Y", TensorProto.FLOAT, [n])],
        [external_tensor("W", [n], "sub/../w.bin", offset=8, length=4 * n),
         external_tensor("V", [n], "link.bin", offset=8)])
    c.save(model)
    x = np.linspace(-1, 1, n).astype(np.float32)
    c.input("X", x)
    c.output("Y", (x + w) + w)

    c = Case(out, "ext_short_small", "error",
             r"initializer 'W' needs 64 bytes at offset 0 of external data "
             r"file '.*short\.bin', which has 10 bytes")
    with open(c.path("short.bin"), "wb") as f:
        f.write(b"\1" * 10)
    c.save(add_model(external_tensor("W", [n], "short.bin"), n))

    # 32 KiB: a mapped slice of a short file used to fault (SIGBUS).
    big = 8192
    c = Case(out, "ext_short_big", "error",
             r"initializer 'W' needs 32768 bytes at offset 0 of external "
             r"data file '.*short\.bin', which has 100 bytes")
    with open(c.path("short.bin"), "wb") as f:
        f.write(b"\1" * 100)
    c.save(add_model(external_tensor("W", [big], "short.bin"), big))

    c = Case(out, "ext_offset_past_end", "error",
             r"initializer 'W' needs 64 bytes at offset 4096 of external "
             r"data file '.*w\.bin', which has 64 bytes")
    with open(c.path("w.bin"), "wb") as f:
        f.write(b"\0" * 64)
    c.save(add_model(external_tensor("W", [n], "w.bin", offset=4096), n))

    c = Case(out, "ext_offset_overflow", "error",
             r"initializer 'W' needs 64 bytes at offset 18446744073709551615")
    with open(c.path("w.bin"), "wb") as f:
        f.write(b"\0" * 64)
    c.save(add_model(external_tensor("W", [n], "w.bin",
                                     offset=2**64 - 1), n))

    c = Case(out, "ext_bad_offset", "error",
             r"initializer 'W' has a malformed external data offset '-8'")
    with open(c.path("w.bin"), "wb") as f:
        f.write(b"\0" * 64)
    c.save(add_model(external_tensor("W", [n], "w.bin", offset=-8), n))

    # A pipe would block a reader forever; a folder is not data either.
    c = Case(out, "ext_fifo", "error",
             r"initializer 'W' names external data 'pipe', which is not a "
             r"regular file")
    os.mkfifo(c.path("pipe"))
    c.save(add_model(external_tensor("W", [n], "pipe"), n))

    c = Case(out, "ext_directory", "error",
             r"initializer 'W' names external data 'sub', which is not a "
             r"regular file")
    os.makedirs(c.path("sub"), exist_ok=True)
    c.save(add_model(external_tensor("W", [n], "sub"), n))


def tensor_data_cases(out):
    """Defect 6: tensors whose data is ambiguous or out of range, names
    defined twice, constant indices out of range."""
    w = numpy_helper.from_array(np.ones(2, np.float32), "W")
    w.float_data.extend([5.0, 6.0])
    c = Case(out, "raw_and_typed", "error",
             r"initializer 'W' holds its values in more than one of external "
             r"data, raw_data and typed data fields")
    c.save(add_model(w, 2))

    for name, data_type, values, shown in (
            ("float16_range", TensorProto.FLOAT16, [0x12345, 0], "74565"),
            ("int8_range", TensorProto.INT8, [1, 300], "300"),
            ("bool_range", TensorProto.BOOL, [1, 2], "2")):
        tensor = TensorProto()
        tensor.name = "W"
        tensor.data_type = data_type
        tensor.dims.append(2)
        tensor.int32_data.extend(values)
        c = Case(out, name, "error",
                 r"initializer 'W' holds %s at element \d, outside the "
                 r"range of" % shown)
        c.save(make_model([helper.make_node("Identity", ["W"], ["Y"])], [],
                          [value_info("Y", data_type, [2])], [tensor]))

    c = Case(out, "duplicate_input", "error",
             r"graph input 'X' is declared twice")
    c.save(make_model([helper.make_node("Relu", ["X"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [2]),
                       value_info("X", TensorProto.FLOAT, [3])],
                      [value_info("Y", TensorProto.FLOAT, [2])]))

    c = Case(out, "duplicate_initializer", "error",
             r"initializer 'W' is defined twice")
    c.save(make_model([helper.make_node("Add", ["X", "W"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [2])],
                      [value_info("Y", TensorProto.FLOAT, [2])],
                      [numpy_helper.from_array(np.ones(2, np.float32), "W"),
                       numpy_helper.from_array(np.zeros(2, np.float32), "W")]))

    c = Case(out, "gather_constant_index", "error",
             r"Gather \(opset 18\): index 9 \(element 1\) is out of range "
             r"\[-4, 4\)")
    c.save(make_model([helper.make_node("Gather", ["W", "I"], ["Y"])], [],
                      [value_info("Y", TensorProto.FLOAT, [2])],
                      [numpy_helper.from_array(np.ones(4, np.float32), "W"),
                       numpy_helper.from_array(np.array([1, 9]), "I")]))

    # A dense_resource blob shorter than its tensor (tfm IR input).
    c = Case(out, "resource_short", "error",
             r"constant_c2: blob 'w' holds 8 bytes; 'tensor<4xf32>' needs 16")
    c.text("""func.func @m(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = tfm.constant dense_resource<w> : tensor<4xf32>
  %y = tfm.add %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000803F"
    }
  }
#-}
""", "model.mlir")


def trilu_range_rotary_cases(out):
    """Defect 6: Trilu's k at the ends of int64, Range over non-finite or
    overflowing bounds, RotaryEmbedding outside its caches."""
    x = np.arange(1, 13, dtype=np.float32).reshape(3, 4)
    for name, upper, k, expected in (
            ("trilu_upper_kmax", 1, INT64_MAX, np.zeros_like(x)),
            ("trilu_lower_kmin", 0, INT64_MIN, np.zeros_like(x)),
            ("trilu_upper_kmin", 1, INT64_MIN, x),
            ("trilu_lower_kmax", 0, INT64_MAX, x),
            ("trilu_upper_k1", 1, 1, np.triu(x, 1)),
            ("trilu_lower_km1", 0, -1, np.tril(x, -1))):
        c = Case(out, name, "run")
        c.save(make_model([const("k", np.array(k, np.int64)),
                           helper.make_node("Trilu", ["X", "k"], ["Y"],
                                            upper=upper)],
                          [value_info("X", TensorProto.FLOAT, [3, 4])],
                          [value_info("Y", TensorProto.FLOAT, [3, 4])]))
        c.input("X", x)
        c.output("Y", expected)

    def range_model(start, limit, delta, dtype, elem):
        return make_model([const("s", np.array(start, dtype)),
                           const("l", np.array(limit, dtype)),
                           const("d", np.array(delta, dtype)),
                           helper.make_node("Range", ["s", "l", "d"], ["Y"])],
                          [], [value_info("Y", elem, None)])

    for name, args, expect in (
            ("range_inf", (0, np.inf, 1, np.float32, TensorProto.FLOAT),
             r"start 0, limit inf and delta 1 must be finite numbers"),
            ("range_nan", (0, 4, np.nan, np.float32, TensorProto.FLOAT),
             r"start 0, limit 4 and delta nan must be finite numbers"),
            ("range_span", (INT64_MIN, INT64_MAX, 1, np.int64,
                            TensorProto.INT64),
             r"Range \(opset 18\): output of shape \[9223372036854775807\] "
             r"is too large"),
            ("range_2_62", (0, 2**62, 1, np.int64, TensorProto.INT64),
             r"output of shape \[4611686018427387904\] is too large")):
        c = Case(out, name, "error", expect)
        c.save(range_model(*args))

    # Ranges at the ends of int64 that are small are exact.
    c = Case(out, "range_int64_end", "run")
    c.save(range_model(INT64_MAX - 5, INT64_MAX, 2, np.int64,
                       TensorProto.INT64))
    c.output("Y", np.array([INT64_MAX - 5, INT64_MAX - 3, INT64_MAX - 1],
                           np.int64))

    # RotaryEmbedding-23 over [1, 2 heads, 2 positions, 4] with caches of
    # 8 positions.
    cache = np.ones((8, 2), np.float32)
    rope_inputs = [value_info("X", TensorProto.FLOAT, [1, 2, 2, 4])]
    rope_outputs = [value_info("Y", TensorProto.FLOAT, [1, 2, 2, 4])]
    caches = [numpy_helper.from_array(cache, "cos"),
              numpy_helper.from_array(cache, "sin")]
    c = Case(out, "rotary_constant_positions", "error",
             r"RotaryEmbedding \(opset 23\): position id 8 \(element 1\) is "
             r"out of range \[-8, 8\)")
    c.save(make_model(
        [const("p", np.array([[0, 8]], np.int64)),
         helper.make_node("RotaryEmbedding", ["X", "cos", "sin", "p"], ["Y"])],
        rope_inputs, rope_outputs, caches, opset=23, ir=10))

    # Position ids given at run time are checked by the runtime.
    c = Case(out, "rotary_runtime_positions", "run_error",
             r"input 'pos' holds 9 at element 1, outside \[-8, 8\): it "
             r"indexes a table of 8 rows",
             exe_args=["--input", "pos=pos.npy", "--quiet"])
    c.save(make_model(
        [helper.make_node("RotaryEmbedding", ["X", "cos", "sin", "pos"],
                          ["Y"])],
        rope_inputs + [value_info("pos", TensorProto.INT64, [1, 2])],
        rope_outputs, caches, opset=23, ir=10))
    np.save(c.path("pos.npy"), np.array([[0, 9]], np.int64))

    for name, attrs, x_shape, cache_shape, expect in (
            ("rotary_dim_over_head", {"num_heads": 2,
                                      "rotary_embedding_dim": 8},
             [1, 2, 8], [2, 4],
             r"rotates 8 elements of each head, more than the head size 4"),
            ("rotary_odd_dim", {"num_heads": 2, "rotary_embedding_dim": 3},
             [1, 2, 8], [2, 1],
             r"rotary_embedding_dim 3 must be a non-negative even number"),
            ("rotary_negative_heads", {"num_heads": -2}, [1, 2, 8], [2, 2],
             r"num_heads is -2; it must be positive"),
            ("rotary_heads_not_dividing", {"num_heads": 3}, [1, 2, 8], [2, 1],
             r"num_heads 3 does not divide the hidden size 8"),
            ("rotary_cache_over_head", {}, [1, 2, 2, 3], [2, 2],
             r"rotates 4 elements of each head, more than the head size 3")):
        c = Case(out, name, "error", expect)
        c.save(make_model(
            [helper.make_node("RotaryEmbedding", ["X", "cos", "sin"], ["Y"],
                              **attrs)],
            [value_info("X", TensorProto.FLOAT, x_shape),
             value_info("cos", TensorProto.FLOAT, cache_shape),
             value_info("sin", TensorProto.FLOAT, cache_shape)],
            [value_info("Y", TensorProto.FLOAT, x_shape)], opset=23, ir=10))


def empty_tensor_cases(out):
    """Defect 3: zero-size dimensions compile at every level and give
    ONNX's results (its reference for ReduceMean over nothing is NaN;
    ONNX Runtime 1.30 gives 0, and ONNX calls it undefined)."""
    levels = (0, 1, 2, 3)
    a = np.zeros((3, 0), np.float32)

    c = Case(out, "matmul_k0", "run", levels=levels)
    c.save(make_model([helper.make_node("MatMul", ["A", "B"], ["Y"])],
                      [value_info("A", TensorProto.FLOAT, [3, 0]),
                       value_info("B", TensorProto.FLOAT, [0, 4])],
                      [value_info("Y", TensorProto.FLOAT, [3, 4])]))
    c.input("A", a)
    c.input("B", np.zeros((0, 4), np.float32))
    c.output("Y", np.zeros((3, 4), np.float32))

    # Gemm with K = 0 and a bias: the bias, broadcast.
    c = Case(out, "gemm_k0_bias", "run", levels=levels)
    bias = np.array([1, 2, 3, 4], np.float32)
    c.save(make_model([helper.make_node("Gemm", ["A", "B", "C"], ["Y"])],
                      [value_info("A", TensorProto.FLOAT, [3, 0])],
                      [value_info("Y", TensorProto.FLOAT, [3, 4])],
                      [numpy_helper.from_array(np.zeros((0, 4), np.float32),
                                               "B"),
                       numpy_helper.from_array(bias, "C")]))
    c.input("A", a)
    c.output("Y", np.tile(bias, (3, 1)))

    for name, op, attrs, opset, shape, expected in (
            ("softmax_empty_axis", "Softmax", {"axis": -1}, 18, [3, 0], a),
            ("reduce_mean_empty_axis", "ReduceMean",
             {"axes": [1], "keepdims": 0}, 17, [3],
             np.full(3, np.nan, np.float32)),
            ("reduce_sum_empty_axis", "ReduceSum", {"keepdims": 0}, 18, [3],
             np.zeros(3, np.float32)),
            ("reduce_max_empty_axis", "ReduceMax",
             {"axes": [1], "keepdims": 0}, 17, [3],
             np.full(3, -np.inf, np.float32)),
            ("layer_norm_empty_axis", "LayerNormalization", {"axis": -1}, 18,
             [3, 0], a)):
        c = Case(out, name, "run", levels=levels)
        inputs = ["A"]
        nodes = []
        if op == "ReduceSum":
            nodes.append(const("axes", np.array([1], np.int64)))
            inputs.append("axes")
        extra = []
        if op == "LayerNormalization":
            extra = [numpy_helper.from_array(np.ones(0, np.float32), "g")]
            inputs.append("g")
        nodes.append(helper.make_node(op, inputs, ["Y"], **attrs))
        c.save(make_model(nodes, [value_info("A", TensorProto.FLOAT, [3, 0])],
                          [value_info("Y", TensorProto.FLOAT, shape)], extra,
                          opset=opset))
        c.input("A", a)
        c.output("Y", expected)

    c = Case(out, "slice_empty", "run", levels=levels)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    c.save(make_model([const("s", np.array([3], np.int64)),
                       const("e", np.array([1], np.int64)),
                       const("ax", np.array([1], np.int64)),
                       helper.make_node("Slice", ["X", "s", "e", "ax"],
                                        ["S"]),
                       helper.make_node("Concat", ["S", "X"], ["Y"], axis=1)],
                      [value_info("X", TensorProto.FLOAT, [2, 4])],
                      [value_info("Y", TensorProto.FLOAT, [2, 4]),
                       value_info("S", TensorProto.FLOAT, [2, 0])]))
    c.input("X", x)
    c.output("Y", x)
    c.output("S", np.zeros((2, 0), np.float32))


def huge_shape_cases(out):
    """Defect 4: shapes whose counts overflow, splats that must stay splats,
    allocations that cannot succeed."""
    def constant_of_shape(shape):
        return make_model(
            [const("s", np.array(shape, np.int64)),
             helper.make_node("ConstantOfShape", ["s"], ["Y"],
                              value=numpy_helper.from_array(
                                  np.array([1.0], np.float32)))],
            [], [value_info("Y", TensorProto.FLOAT, None)])

    c = Case(out, "constant_of_shape_overflow", "error",
             r"ConstantOfShape \(opset 18\): output of shape \[8589934592, "
             r"8589934592\] is too large")
    c.save(constant_of_shape([2**33, 2**33]))

    # 2^40 floats: a splat, compiled in an instant into a fill (no 4 TiB
    # weights file); the executable cannot allocate its 4 TiB output.
    c = Case(out, "constant_of_shape_2_40", "run_error",
             r"cannot allocate 4398046511104 bytes for output 'Y'",
             exe_args=["--quiet"])
    c.save(constant_of_shape([2**40]))

    c = Case(out, "expand_overflow", "error",
             r"'tfm.expand' op result #0 of type "
             r"'tensor<2147483648x2147483648x4xf32>' is too large")
    c.save(make_model([const("s", np.array([2**31, 2**31, 4], np.int64)),
                       helper.make_node("Expand", ["X", "s"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [1])],
                      [value_info("Y", TensorProto.FLOAT, None)]))

    c = Case(out, "reshape_overflow", "error",
             r"Reshape \(opset 18\): shape \[4294967296, 4294967296, -1\] "
             r"has more elements than a 64-bit count holds")
    c.save(make_model([const("s", np.array([2**32, 2**32, -1], np.int64)),
                       helper.make_node("Reshape", ["X", "s"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [4])],
                      [value_info("Y", TensorProto.FLOAT, None)]))

    # An input of 2^40 floats: the executable cannot make one up.
    c = Case(out, "huge_input", "run_error",
             r"cannot allocate 4398046511104 bytes for input 'X'",
             exe_args=["--quiet"])
    c.save(make_model([helper.make_node("Relu", ["X"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [2**40])],
                      [value_info("Y", TensorProto.FLOAT, [2**40])]))

    c = Case(out, "input_overflow", "error",
             r"graph input 'X' has shape \[4294967296, 4294967296\], too "
             r"large")
    c.save(make_model([helper.make_node("Relu", ["X"], ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [2**32, 2**32])],
                      [value_info("Y", TensorProto.FLOAT, [2**32, 2**32])]))


def valid_model_cases(out):
    """Defect 7: valid models that used to fail."""
    x = np.arange(10, dtype=np.float32).reshape(2, 5)
    c = Case(out, "slice_negative_step", "run", levels=(0, 1, 2, 3))
    c.save(make_model([const("s", np.array([-1], np.int64)),
                       const("e", np.array([-100], np.int64)),
                       const("ax", np.array([1], np.int64)),
                       const("st", np.array([-2], np.int64)),
                       helper.make_node("Slice", ["X", "s", "e", "ax", "st"],
                                        ["Y"])],
                      [value_info("X", TensorProto.FLOAT, [2, 5])],
                      [value_info("Y", TensorProto.FLOAT, [2, 3])]))
    c.input("X", x)
    c.output("Y", x[:, -1:-100:-2])

    # Split-18 of 4 into 3: ONNX's reference gives 2, 2 and 0 (ONNX Runtime
    # 1.30 rejects the model).
    c = Case(out, "split18_uneven", "run", levels=(0, 2))
    v = np.arange(4, dtype=np.float32)
    c.save(make_model([helper.make_node("Split", ["X"], ["a", "b", "c"],
                                        axis=0, num_outputs=3)],
                      [value_info("X", TensorProto.FLOAT, [4])],
                      [value_info(o, TensorProto.FLOAT, None)
                       for o in "abc"]))
    c.input("X", v)
    c.output("a", v[:2])
    c.output("b", v[2:])
    c.output("c", v[4:])

    c = Case(out, "split18_ten_into_three", "run", levels=(2,))
    v = np.arange(10, dtype=np.float32)
    c.save(make_model([helper.make_node("Split", ["X"], ["a", "b", "c"],
                                        axis=0, num_outputs=3)],
                      [value_info("X", TensorProto.FLOAT, [10])],
                      [value_info(o, TensorProto.FLOAT, None)
                       for o in "abc"]))
    c.input("X", v)
    c.output("a", v[:4])
    c.output("b", v[4:8])
    c.output("c", v[8:])


def driver_cases(out):
    """Defect 8: names with control characters are escaped wherever they
    are printed."""
    c = Case(out, "control_characters", "error",
             r"node 'evil\\x1b\[31m\\nname': unsupported|unsupported operator "
             r"NoSuchOp \(opset 18\) used by 1 node: 'evil\\x1b\[31m\\nname'")
    c.save(make_model([helper.make_node("NoSuchOp", ["X"], ["Y"],
                                        name="evil\x1b[31m\nname")],
                      [value_info("X", TensorProto.FLOAT, [2])],
                      [value_info("Y", TensorProto.FLOAT, [2])]))

    c = Case(out, "control_characters_info", "run_error",
             r"the model has no input 'nope'; its inputs: "
             r"'in\\x07put\\nX'",
             exe_args=["--input", "nope=x.npy"])
    c.save(make_model([helper.make_node("Relu", ["in\x07put\nX"], ["Y"])],
                      [value_info("in\x07put\nX", TensorProto.FLOAT, [2])],
                      [value_info("Y", TensorProto.FLOAT, [2])]))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    external_data_cases(out)
    tensor_data_cases(out)
    trilu_range_rotary_cases(out)
    empty_tensor_cases(out)
    huge_shape_cases(out)
    valid_model_cases(out)
    driver_cases(out)
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(CASES, f, indent=1)
    print("corpus: %d cases in %s" % (len(CASES), out))


if __name__ == "__main__":
    main()
