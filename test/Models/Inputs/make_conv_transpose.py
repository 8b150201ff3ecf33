#!/usr/bin/python3
"""Writes ONNX ConvTranspose models (constant weights and bias) for
comparison with ONNX Runtime:

  convt_1d_group     1-D, 2 groups, stride 3, dilation 2, pads, output_padding
  convt_same_upper   2-D SAME_UPPER, stride 2, kernel 3x4 (odd and even total
                     padding)
  convt_same_lower   the same with SAME_LOWER
  convt_crop         pads beyond the kernel's reach (the input is cropped)
  convt_output_shape output_shape larger than the input reaches on one axis

    make_conv_transpose.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(out, name, x_shape, w_shape, y_shape, bias=False, **attrs):
    rng = np.random.RandomState(len(name))
    inits = [numpy_helper.from_array(
        rng.standard_normal(w_shape).astype(np.float32), "w")]
    inputs = ["x", "w"]
    if bias:
        inits.append(numpy_helper.from_array(
            rng.standard_normal([w_shape[1] * attrs.get("group", 1)]).astype(
                np.float32), "b"))
        inputs.append("b")
    node = helper.make_node("ConvTranspose", inputs, ["y"], **attrs)
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                     x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # (7 - 1) * 3 + 2 * (3 - 1) + 1 - 2 - 1 + 1 = 21
    save(out, "convt_1d_group", [2, 4, 7], [4, 3, 3], [2, 6, 21], bias=True,
         group=2, strides=[3], dilations=[2], pads=[2, 1],
         output_padding=[1])
    save(out, "convt_same_upper", [1, 2, 5, 6], [2, 3, 3, 4], [1, 3, 10, 12],
         bias=True, strides=[2, 2], auto_pad="SAME_UPPER")
    save(out, "convt_same_lower", [1, 2, 5, 6], [2, 3, 3, 4], [1, 3, 10, 12],
         strides=[2, 2], auto_pad="SAME_LOWER")
    # (6 - 1) * 2 + 2 - 3 - 2 = 7 rows; (4 - 1) + 2 - 0 - 0 = 5 columns.
    save(out, "convt_crop", [1, 3, 6, 4], [3, 2, 2, 2], [1, 2, 7, 5],
         strides=[2, 1], pads=[3, 0, 2, 0])
    save(out, "convt_output_shape", [1, 1, 3, 3], [1, 2, 3, 3],
         [1, 2, 10, 8], strides=[3, 2], output_shape=[10, 8])


if __name__ == "__main__":
    main()
