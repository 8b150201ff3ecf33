#!/usr/bin/python3
"""Writes channel_norms.onnx for test/Models/channel-norms.test:
InstanceNormalization over [2, 8, 5, 7] and GroupNormalization-21 with 4
groups of 2 channels, each with its own scale and bias per channel.

    make_channel_norms.py OUT.onnx
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    rng = np.random.default_rng(7)
    params = [numpy_helper.from_array(
        rng.standard_normal(8).astype(np.float32), name)
        for name in ("is", "ib", "gs", "gb")]
    nodes = [
        helper.make_node("InstanceNormalization", ["x", "is", "ib"], ["i"],
                         epsilon=1e-3),
        helper.make_node("GroupNormalization", ["x", "gs", "gb"], ["g"],
                         num_groups=4, epsilon=1e-4),
    ]
    shape = [2, 8, 5, 7]
    graph = helper.make_graph(
        nodes, "channel_norms",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("i", TensorProto.FLOAT, shape),
         helper.make_tensor_value_info("g", TensorProto.FLOAT, shape)],
        params)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
