#!/usr/bin/python3
"""Writes ONNX RNN, GRU and LSTM models (random constant weights) for
comparison with ONNX Runtime:

  gru_torch          bidirectional GRU with linear_before_reset = 1 (what
                     torch.nn.GRU exports), initial state, all outputs
  lstm_reverse_clip  reverse LSTM with clip, peepholes and initial states
                     (layout 1, which ONNX Runtime's CPU kernels refuse, is
                     covered by the ONNX node tests)
  lstm_lengths       forward LSTM over sequences of lengths 5, 2 and 0
  rnn_relu_bidir     bidirectional RNN with Relu and Tanh activations

    make_recurrent.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(out, name, op, x_shape, hidden, directions, gates, outputs,
         extra_inputs=(), layout=0, **attrs):
    rng = np.random.RandomState(len(name))
    size = x_shape[2]
    batch = x_shape[1] if layout == 0 else x_shape[0]
    steps = x_shape[0] if layout == 0 else x_shape[1]
    inits = [
        numpy_helper.from_array((rng.standard_normal(
            [directions, gates * hidden, size]) * 0.5).astype(np.float32), "W"),
        numpy_helper.from_array((rng.standard_normal(
            [directions, gates * hidden, hidden]) * 0.5).astype(np.float32),
            "R"),
        numpy_helper.from_array((rng.standard_normal(
            [directions, 2 * gates * hidden]) * 0.5).astype(np.float32), "B"),
    ]
    inputs = ["X", "W", "R", "B"]
    state = ([directions, batch, hidden] if layout == 0
             else [batch, directions, hidden])
    for extra in extra_inputs:
        if extra == "":
            inputs.append("")
            continue
        kind, value = extra
        if value is None:
            value = rng.standard_normal(state if kind != "P" else
                                        [directions, 3 * hidden]).astype(
                                            np.float32)
        inits.append(numpy_helper.from_array(value, kind))
        inputs.append(kind)
    y_shape = ([steps, directions, batch, hidden] if layout == 0
               else [batch, steps, directions, hidden])
    shapes = {"Y": y_shape, "Y_h": state, "Y_c": state}
    node = helper.make_node(op, inputs, outputs, hidden_size=hidden,
                            layout=layout, **attrs)
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, shapes[o])
         for o in outputs if o], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save(out, "gru_torch", "GRU", [6, 3, 4], 5, 2, 3, ["Y", "Y_h"],
         extra_inputs=["", ("initial_h", None)], direction="bidirectional",
         linear_before_reset=1)
    save(out, "lstm_reverse_clip", "LSTM", [5, 2, 3], 4, 1, 4,
         ["Y", "Y_h", "Y_c"],
         extra_inputs=["", ("initial_h", None), ("initial_c", None),
                       ("P", None)], direction="reverse", clip=0.8)
    save(out, "lstm_lengths", "LSTM", [5, 3, 2], 3, 1, 4,
         ["Y", "Y_h", "Y_c"],
         extra_inputs=[("sequence_lens", np.array([5, 2, 0], np.int32))])
    save(out, "rnn_relu_bidir", "RNN", [4, 2, 3], 6, 2, 1, ["Y", "Y_h"],
         direction="bidirectional", activations=["Relu", "Tanh"])


if __name__ == "__main__":
    main()
