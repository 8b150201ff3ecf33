#!/usr/bin/python3
"""Writes a tiny decoder in the generation form built on ONNX Attention-23.

Exporters that target opset 23 emit one Attention node per layer, with the
cache as the node's past_key/past_value inputs and present_key/
present_value outputs, where torch 1.13 (scripts/export_models.py --past)
emits the concatenations and the attention's matmuls. This script builds
such a graph with seeded random weights: token and position embeddings,
per layer LayerNormalization, Q/K/V products with grouped-query attention
(4 query heads, 2 key/value heads, head size 8), an output product and a
GELU MLP, then the LM head. Inputs and outputs follow Hugging Face's
generation form (input_ids, attention_mask, position_ids,
past_key_values.N.key/value -> logits, present.N.key/value), with symbolic
batch, sequence, past_sequence and total_sequence dimensions, so that ONNX
Runtime's loop can grow the cache and tfmc can fix the sizes with --dim.
The attention mask is boolean (true: attend), built the way exporters do:
key j is visible to query i when attention_mask[j] is set and j <= (T - S)
+ i (the causal mask aligned to the end of the T keys).

    /usr/bin/python3 scripts/make_attention23_decoder.py OUT.onnx
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN, HEADS, KV_HEADS, HEAD_SIZE = 32, 4, 2, 8
LAYERS, VOCAB, POSITIONS, FFN = 2, 128, 256, 64


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rng = np.random.default_rng(23)
    inits = []
    nodes = []

    def weight(name, *shape, scale=0.2):
        inits.append(numpy_helper.from_array(
            (rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op, inputs, outputs, **attrs):
        nodes.append(helper.make_node(op, inputs, outputs,
                                      name="/" + outputs[0], **attrs))
        return outputs[0]

    def layer_norm(x, name):
        gamma = weight(name + ".gamma", HIDDEN, scale=0.1)
        inits[-1] = numpy_helper.from_array(
            1 + numpy_helper.to_array(inits[-1]), gamma)
        beta = weight(name + ".beta", HIDDEN, scale=0.1)
        return node("LayerNormalization", [x, gamma, beta], [name],
                    axis=-1, epsilon=1e-5)

    # Embeddings.
    tokens = node("Gather", [weight("wte", VOCAB, HIDDEN), "input_ids"],
                  ["tok_emb"])
    positions = node("Gather", [weight("wpe", POSITIONS, HIDDEN),
                                "position_ids"], ["pos_emb"])
    x = node("Add", [tokens, positions], ["emb"])

    # The boolean mask [B, 1, S, T].
    zero, one = const("zero", np.int64(0)), const("one", np.int64(1))
    ids_shape = node("Shape", ["input_ids"], ["ids_shape"])
    mask_shape = node("Shape", ["attention_mask"], ["mask_shape"])
    seq = node("Gather", [ids_shape, one], ["seq_len"], axis=0)
    total = node("Gather", [mask_shape, one], ["total_len"], axis=0)
    past = node("Sub", [total, seq], ["past_len"])
    keys = node("Range", [zero, total, one], ["key_index"])
    queries = node("Range", [zero, seq, one], ["query_index"])
    last_key = node("Add", [queries, past], ["last_key"])
    last_key = node("Unsqueeze", [last_key, const("axes_1", [1])],
                    ["last_key_col"])
    causal = node("LessOrEqual", [keys, last_key], ["causal"])  # [S, T]
    padding = node("Cast", ["attention_mask"], ["padding"],
                   to=TensorProto.BOOL)
    padding = node("Unsqueeze", [padding, const("axes_12", [1, 2])],
                   ["padding_b11t"])
    mask = node("And", [causal, padding], ["attn_mask"])  # [B, 1, S, T]

    graph_inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64,
                                      ["batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                      ["batch", "total_sequence"]),
        helper.make_tensor_value_info("position_ids", TensorProto.INT64,
                                      ["batch", "sequence"]),
    ]
    graph_outputs = [helper.make_tensor_value_info(
        "logits", TensorProto.FLOAT, ["batch", "sequence", VOCAB])]
    cache_shape = ["batch", KV_HEADS, "past_sequence", HEAD_SIZE]
    present_shape = ["batch", KV_HEADS, "total_sequence", HEAD_SIZE]
    presents = []
    for i in range(LAYERS):
        p = "layers.%d." % i
        past_key = "past_key_values.%d.key" % i
        past_value = "past_key_values.%d.value" % i
        for name in (past_key, past_value):
            graph_inputs.append(helper.make_tensor_value_info(
                name, TensorProto.FLOAT, cache_shape))
        h = layer_norm(x, p + "ln1")
        q = node("MatMul", [h, weight(p + "wq", HIDDEN, HEADS * HEAD_SIZE)],
                 [p + "q"])
        k = node("MatMul", [h, weight(p + "wk", HIDDEN,
                                      KV_HEADS * HEAD_SIZE)], [p + "k"])
        v = node("MatMul", [h, weight(p + "wv", HIDDEN,
                                      KV_HEADS * HEAD_SIZE)], [p + "v"])
        present_key, present_value = ("present.%d.key" % i,
                                      "present.%d.value" % i)
        nodes.append(helper.make_node(
            "Attention", [q, k, v, mask, past_key, past_value],
            [p + "attn", present_key, present_value], name="/" + p + "attn",
            q_num_heads=HEADS, kv_num_heads=KV_HEADS))
        presents += [present_key, present_value]
        o = node("MatMul", [p + "attn", weight(p + "wo", HEADS * HEAD_SIZE,
                                               HIDDEN)], [p + "o"])
        x = node("Add", [x, o], [p + "res1"])
        h = layer_norm(x, p + "ln2")
        up = node("MatMul", [h, weight(p + "w1", HIDDEN, FFN)], [p + "up"])
        up = node("Add", [up, weight(p + "b1", FFN, scale=0.1)],
                  [p + "up_bias"])
        act = node("Gelu", [up], [p + "gelu"])
        down = node("MatMul", [act, weight(p + "w2", FFN, HIDDEN)],
                    [p + "down"])
        x = node("Add", [x, down], [p + "res2"])
    h = layer_norm(x, "ln_f")
    node("MatMul", [h, weight("lm_head", HIDDEN, VOCAB)], ["logits"])
    for name in presents:
        graph_outputs.append(helper.make_tensor_value_info(
            name, TensorProto.FLOAT, present_shape))

    graph = helper.make_graph(nodes, "attention23_decoder", graph_inputs,
                              graph_outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 23)],
        producer_name="tfmc scripts/make_attention23_decoder.py")
    model.ir_version = 10
    onnx.save(model, sys.argv[1])


if __name__ == "__main__":
    main()
