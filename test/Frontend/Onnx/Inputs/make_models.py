"""Writes the binary ONNX models of binary-models.test into a directory.

Run with Debian's /usr/bin/python3 (python3-onnx, numpy).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def linear_model(weight, bias):
    """Y = MatMul(X, W) + B with W [4, 300] and B [300] initializers."""
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["XW"]),
         helper.make_node("Add", ["XW", "B"], ["Y"])],
        "linear",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 300])],
        [weight, bias])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def main(out):
    # W has more elements than are inlined (1024): it becomes a blob.
    w = numpy_helper.from_array(
        np.arange(1200, dtype=np.float32).reshape(4, 300) * 0.5, "W")
    b = numpy_helper.from_array(np.arange(300, dtype=np.float32), "B")

    # Both initializers in an external data file next to the model.
    model = linear_model(w, b)
    onnx.save_model(model, os.path.join(out, "external.onnx"),
                    save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external.onnx.data", size_threshold=0)

    # The same, but the data file is missing.
    model = linear_model(w, b)
    onnx.save_model(model, os.path.join(out, "missing_external.onnx"),
                    save_as_external_data=True, all_tensors_to_one_file=True,
                    location="nowhere.data", size_threshold=0)
    os.remove(os.path.join(out, "nowhere.data"))

    # Initializers in ONNX's typed fields instead of raw bytes.
    typed = [
        helper.make_tensor("f32", TensorProto.FLOAT, [2], [1.5, -2.0]),
        helper.make_tensor("f16", TensorProto.FLOAT16, [2], [1.5, -2.0]),
        helper.make_tensor("i8", TensorProto.INT8, [2], [-3, 7]),
        helper.make_tensor("u8", TensorProto.UINT8, [2], [200, 7]),
        helper.make_tensor("i64", TensorProto.INT64, [2], [-5, 1 << 40]),
        helper.make_tensor("f64", TensorProto.DOUBLE, [1], [0.25]),
        helper.make_tensor("b", TensorProto.BOOL, [3], [1, 0, 1]),
    ]
    graph = helper.make_graph(
        [helper.make_node("Identity", [t.name], [t.name + "_out"])
         for t in typed],
        "typed_fields", [],
        [helper.make_tensor_value_info(t.name + "_out", t.data_type, t.dims)
         for t in typed],
        typed)
    onnx.save_model(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)]),
        os.path.join(out, "typed_fields.onnx"))

    # raw_data that does not fit the shape.
    bad = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[4, 300],
                      raw_data=b"\0" * 12)
    onnx.save_model(linear_model(bad, b), os.path.join(out, "bad_raw.onnx"))

    # A model cut in half, bytes that are no model, and an empty file.
    good = linear_model(w, b).SerializeToString()
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(good[:len(good) // 2])
    with open(os.path.join(out, "garbage.onnx"), "wb") as f:
        f.write(b"\xff\xfe this is not a protobuf \x00\x01")
    open(os.path.join(out, "empty.onnx"), "wb").close()


if __name__ == "__main__":
    main(sys.argv[1])
