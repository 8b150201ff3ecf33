#!/usr/bin/python3
"""Writes dynamic_block.onnx: a one-layer decoder-like block whose inputs
declare a symbolic `sequence` and that computes no shapes (embedding and
position lookups, layer norm, single-head attention over the sequence, a
GELU MLP, logits and a mean), for the dynamic-dimension tests.

    make_dynamic_block.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

rng = np.random.default_rng(0)
V, D = 50, 32


def init(name, arr):
    return nh.from_array(arr.astype(np.float32), name)


inits = [init('emb', rng.standard_normal((V, D)) * 0.5), init('pos', rng.standard_normal((64, D)) * 0.1),
         init('g', 1 + 0.1 * rng.standard_normal(D)), init('b', 0.1 * rng.standard_normal(D)),
         init('w1', rng.standard_normal((D, 64)) * 0.2), init('b1', 0.1 * rng.standard_normal(64)),
         init('w2', rng.standard_normal((64, D)) * 0.2), init('wo', rng.standard_normal((D, V)) * 0.2),
         nh.from_array(np.array(np.sqrt(2.0), np.float32), 'sqrt2'), nh.from_array(np.array(1.0, np.float32), 'one'),
         nh.from_array(np.array(0.5, np.float32), 'half'), nh.from_array(np.array(0.125, np.float32), 'scale')]
nodes = [
  h.make_node('Gather', ['emb', 'input_ids'], ['e']),
  h.make_node('Gather', ['pos', 'position_ids'], ['p']),
  h.make_node('Add', ['e', 'p'], ['x']),
  h.make_node('LayerNormalization', ['x', 'g', 'b'], ['ln'], axis=-1, epsilon=1e-5),
  # attention without heads: softmax(ln ln^T * scale) ln
  h.make_node('Transpose', ['ln'], ['lnT'], perm=[0, 2, 1]),
  h.make_node('MatMul', ['ln', 'lnT'], ['s0']),
  h.make_node('Mul', ['s0', 'scale'], ['s']),
  h.make_node('Softmax', ['s'], ['a'], axis=-1),
  h.make_node('MatMul', ['a', 'ln'], ['ctx']),
  h.make_node('Add', ['x', 'ctx'], ['r']),
  # GELU MLP
  h.make_node('MatMul', ['r', 'w1'], ['m0']),
  h.make_node('Add', ['m0', 'b1'], ['m1']),
  h.make_node('Div', ['m1', 'sqrt2'], ['m2']),
  h.make_node('Erf', ['m2'], ['m3']),
  h.make_node('Add', ['m3', 'one'], ['m4']),
  h.make_node('Mul', ['m1', 'm4'], ['m5']),
  h.make_node('Mul', ['m5', 'half'], ['m6']),
  h.make_node('MatMul', ['m6', 'w2'], ['m7']),
  h.make_node('Add', ['r', 'm7'], ['y']),
  h.make_node('MatMul', ['y', 'wo'], ['logits']),
  h.make_node('ReduceMean', ['y'], ['mean'], axes=[-1], keepdims=1),
]
g = h.make_graph(nodes, 'dyn_block',
  [h.make_tensor_value_info('input_ids', T.INT64, [1, 'sequence']),
   h.make_tensor_value_info('position_ids', T.INT64, [1, 'sequence'])],
  [h.make_tensor_value_info('logits', T.FLOAT, [1, 'sequence', V]),
   h.make_tensor_value_info('mean', T.FLOAT, [1, 'sequence', 1])], inits)
m = h.make_model(g, opset_imports=[h.make_opsetid('', 17)])
m.ir_version = 8
onnx.checker.check_model(m)
onnx.save(m, sys.argv[1])
