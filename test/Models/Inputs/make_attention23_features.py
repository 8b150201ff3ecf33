#!/usr/bin/python3
"""Writes ONNX Attention-23 models that use the features tfm.attention does
not have and tfmc writes out op by op: a softcap, and the scores as the
qk_matmul_output output in each qk_matmul_output_mode; with grouped
queries, packed and split heads, a past cache, causal masks aligned at the
top left (no cache) and bottom right (cache), float and boolean masks, and
a boolean mask that hides every key of a row (ONNX Runtime gives zeros,
not NaN). And Attention-24's nonpad_kv_seqlen, which tfm.attention takes
as a padding mask (and, with is_causal and no cache, a causal diagonal at
each batch's length), as constants and as a run-time input.

    make_attention23_features.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def value(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def save(out, name, node, inputs, outputs, initializers=(), opset=23):
    graph = helper.make_graph([node], name, inputs, outputs,
                              list(initializers))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10
    onnx.save(model, os.path.join(out, name + ".onnx"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # Packed heads, 4 query heads over 2 key/value heads, causal over equal
    # lengths plus a float mask; the capped scores as an output.
    save(out, "softcap_gqa",
         helper.make_node("Attention", ["q", "k", "v", "mask"],
                          ["y", "", "", "qk"], q_num_heads=4, kv_num_heads=2,
                          is_causal=1, softcap=2.0, qk_matmul_output_mode=1),
         [value("q", [1, 5, 32]), value("k", [1, 5, 16]),
          value("v", [1, 5, 16]), value("mask", [1, 1, 5, 5])],
         [value("y", [1, 5, 32]), value("qk", [1, 4, 5, 5])])
    # Split heads with a past cache (the causal diagonal at the bottom
    # right), present outputs, the probabilities as the output.
    save(out, "softcap_cache",
         helper.make_node("Attention", ["q", "k", "v", "", "pk", "pv"],
                          ["y", "ko", "vo", "qk"], is_causal=1, softcap=1.5,
                          qk_matmul_output_mode=3),
         [value("q", [1, 2, 2, 8]), value("k", [1, 2, 2, 8]),
          value("v", [1, 2, 2, 8]), value("pk", [1, 2, 4, 8]),
          value("pv", [1, 2, 4, 8])],
         [value("y", [1, 2, 2, 8]), value("ko", [1, 2, 6, 8]),
          value("vo", [1, 2, 6, 8]), value("qk", [1, 2, 2, 6])])
    # Fewer queries than keys and no cache: causal at the top left; the
    # plain scaled product as the output.
    save(out, "softcap_causal_cross",
         helper.make_node("Attention", ["q", "k", "v"], ["y", "", "", "qk"],
                          is_causal=1, softcap=3.0, scale=0.3,
                          qk_matmul_output_mode=0),
         [value("q", [2, 2, 3, 4]), value("k", [2, 2, 5, 4]),
          value("v", [2, 2, 5, 6])],
         [value("y", [2, 2, 3, 6]), value("qk", [2, 2, 3, 5])])
    # A float mask and no causal mask: the capped scores plus the mask as
    # the output.
    save(out, "softcap_masked",
         helper.make_node("Attention", ["q", "k", "v", "mask"],
                          ["y", "", "", "qk"], softcap=0.5,
                          qk_matmul_output_mode=2),
         [value("q", [2, 2, 3, 4]), value("k", [2, 2, 5, 4]),
          value("v", [2, 2, 5, 4]), value("mask", [3, 5])],
         [value("y", [2, 2, 3, 4]), value("qk", [2, 2, 3, 5])])
    # No softcap; a boolean mask whose second row hides every key; the
    # probabilities as the output.
    keep = np.array([[True, False, True, True],
                     [False, False, False, False],
                     [True, True, False, True]])
    save(out, "probs_hidden_row",
         helper.make_node("Attention", ["q", "k", "v", "keep"],
                          ["y", "", "", "qk"], qk_matmul_output_mode=3),
         [value("q", [2, 3, 3, 4]), value("k", [2, 3, 4, 4]),
          value("v", [2, 3, 4, 4])],
         [value("y", [2, 3, 3, 4]), value("qk", [2, 3, 3, 4])],
         [numpy_helper.from_array(keep, "keep")])

    # Attention-24: per-batch key lengths. Causal without a cache: query i
    # of batch b sees keys j <= i + length[b] - Sq; a length of 1 hides
    # every key of the first query.
    for name, lengths in [("nonpad_causal", [3, 5]),
                          ("nonpad_causal_hidden", [1, 5])]:
        save(out, name,
             helper.make_node("Attention", ["q", "k", "v", "", "", "",
                                            "lengths"], ["y"], is_causal=1),
             [value("q", [2, 2, 2, 4]), value("k", [2, 2, 5, 4]),
              value("v", [2, 2, 5, 4])],
             [value("y", [2, 2, 2, 4])],
             [numpy_helper.from_array(np.array(lengths, np.int64),
                                      "lengths")], opset=24)
    # Run-time lengths (the comparison draws 0 or 1: rows with no visible
    # key, and one), packed heads with grouped queries and a float mask.
    save(out, "nonpad_input",
         helper.make_node("Attention", ["q", "k", "v", "mask", "", "",
                                        "lengths"], ["y"], q_num_heads=4,
                          kv_num_heads=2),
         [value("q", [2, 3, 16]), value("k", [2, 4, 8]),
          value("v", [2, 4, 8]), value("mask", [3, 4]),
          value("lengths", [2], TensorProto.INT64)],
         [value("y", [2, 3, 16])], opset=24)

if __name__ == "__main__":
    main()
