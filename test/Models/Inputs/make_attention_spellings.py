#!/usr/bin/python3
"""Writes one small ONNX attention graph per way exporters spell a causal
(and padding) mask, for test/Models/attention-spellings.test.

    make_attention_spellings.py OUT_DIR

Each graph takes q, k, v [1, 2, 6, 8] (and, where it has one, an int64
attention_mask [1, 6] that hides a padding suffix) and computes
softmax(q k^T / sqrt(8) + mask) v. The spellings: an additive constant;
Where(keep, scores, fill) (GPT-2); Where(hide, fill, scores) (torch's
masked_fill); a mask made by Trilu; a padding mask combined with the causal
one by And (on the scores, and as an additive Where, as LLaMA exports do)
and by Or in masked_fill's sense; the scale on q before the product.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

H, S, D = 2, 6, 8
FMIN = float(np.finfo(np.float32).min)


def const(name, array):
    return helper.make_node("Constant", [], [name],
                            value=numpy_helper.from_array(array, name))


def scores_nodes(scale_q=False):
    """q k^T / sqrt(D) as 'scores' (or q / sqrt(D) first)."""
    nodes = [helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 1, 3, 2])]
    if scale_q:
        nodes += [const("inv", np.array(1 / np.sqrt(D), np.float32)),
                  helper.make_node("Mul", ["q", "inv"], ["qs"]),
                  helper.make_node("MatMul", ["qs", "kt"], ["scores"])]
    else:
        nodes += [const("sqrt_d", np.array(np.sqrt(D), np.float32)),
                  helper.make_node("MatMul", ["q", "kt"], ["raw"]),
                  helper.make_node("Div", ["raw", "sqrt_d"], ["scores"])]
    return nodes


def pad_nodes():
    """'pad' [1, 1, 1, S] bool: true where attention_mask keeps the key."""
    return [const("pad_axes", np.array([1, 2], np.int64)),
            helper.make_node("Unsqueeze", ["attention_mask", "pad_axes"],
                             ["pad_i"]),
            helper.make_node("Cast", ["pad_i"], ["pad"], to=TensorProto.BOOL)]


def model(name, nodes, with_mask, opset=14):
    tail = [helper.make_node("Softmax", ["masked"], ["p"], axis=-1),
            helper.make_node("MatMul", ["p", "v"], ["y"])]
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, H, S, D])
              for n in ("q", "k", "v")]
    if with_mask:
        inputs.append(helper.make_tensor_value_info(
            "attention_mask", TensorProto.INT64, [1, S]))
    graph = helper.make_graph(
        nodes + tail, name, inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, H, S, D])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    tril = np.tril(np.ones((S, S), bool))
    hide = ~tril
    additive = np.where(tril, 0, FMIN).astype(np.float32)
    models = {
        "additive": model("additive", scores_nodes() + [
            const("m", additive),
            helper.make_node("Add", ["scores", "m"], ["masked"])], False),
        "where_keep": model("where_keep", scores_nodes() + [
            const("keep", tril), const("fill", np.array(FMIN, np.float32)),
            helper.make_node("Where", ["keep", "scores", "fill"],
                             ["masked"])], False),
        "masked_fill": model("masked_fill", scores_nodes() + [
            const("hide", hide),
            const("fill", np.array(-np.inf, np.float32)),
            helper.make_node("Where", ["hide", "fill", "scores"],
                             ["masked"])], False),
        "masked_fill_opset18": model("masked_fill_opset18", scores_nodes() + [
            const("hide", hide),
            const("fill", np.array(-np.inf, np.float32)),
            helper.make_node("Where", ["hide", "fill", "scores"],
                             ["masked"])], False, opset=18),
        "trilu": model("trilu", scores_nodes() + [
            const("ones", np.ones((S, S), np.float32)),
            helper.make_node("Trilu", ["ones"], ["lower"], upper=0),
            const("zero", np.array(0, np.float32)),
            helper.make_node("Equal", ["lower", "zero"], ["above"]),
            const("fill", np.array(FMIN, np.float32)),
            helper.make_node("Where", ["above", "fill", "scores"],
                             ["masked"])], False),
        "and_padding": model("and_padding", scores_nodes() + pad_nodes() + [
            const("causal", tril),
            helper.make_node("And", ["pad", "causal"], ["keep"]),
            const("fill", np.array(FMIN, np.float32)),
            helper.make_node("Where", ["keep", "scores", "fill"],
                             ["masked"])], True),
        "and_padding_additive": model(
            "and_padding_additive", scores_nodes() + pad_nodes() + [
                const("causal", tril),
                helper.make_node("And", ["pad", "causal"], ["keep"]),
                const("zero", np.array(0, np.float32)),
                const("fill", np.array(FMIN, np.float32)),
                helper.make_node("Where", ["keep", "zero", "fill"], ["m"]),
                helper.make_node("Add", ["scores", "m"], ["masked"])], True),
        "or_masked_fill": model("or_masked_fill", scores_nodes() + pad_nodes() + [
            helper.make_node("Not", ["pad"], ["padded"]),
            const("above", hide),
            helper.make_node("Or", ["padded", "above"], ["hide"]),
            const("fill", np.array(FMIN, np.float32)),
            helper.make_node("Where", ["hide", "fill", "scores"],
                             ["masked"])], True),
        "scale_q": model("scale_q", scores_nodes(scale_q=True) + [
            const("hide", hide),
            const("fill", np.array(-np.inf, np.float32)),
            helper.make_node("Where", ["hide", "fill", "scores"],
                             ["masked"])], False),
    }
    for name, m in models.items():
        onnx.save(m, os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
