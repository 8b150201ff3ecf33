#!/usr/bin/python3
"""Compiles single tfm ops with tfmc and checks them against NumPy.

Covers the ops that ONNX node tests and the exported models do not reach
(tfm.attention and tfm.rope come from fusion, which the frontend does not
emit for these models) and the shapes that exercise the tilings: blocks that
divide, a whole odd-sized tile, causal masks aligned bottom-right, grouped
KV heads, packed heads, partial rotary. It also checks erf and GELU,
whose f32 approximation the node tests sample at a few points only, over a
dense grid of their whole range.

    check_ops.py --tfmc tfmc --tfm-run tfm-run --work DIR [--filter NAME]
"""

import argparse
import os
import subprocess
import sys

import numpy as np


def attention_reference(q, k, v, heads, kv_heads, mask=None, causal=False,
                        scale=None):
    packed = q.ndim == 3
    if packed:  # [B, S, H*D] -> [B, H, S, D]
        def split(x, h):
            b, s, hd = x.shape
            return x.reshape(b, s, h, hd // h).transpose(0, 2, 1, 3)
        q, k, v = split(q, heads), split(k, kv_heads), split(v, kv_heads)
    group = heads // kv_heads
    k = np.repeat(k, group, axis=1)
    v = np.repeat(v, group, axis=1)
    d = q.shape[-1]
    scale = 1.0 / np.sqrt(d) if scale is None else scale
    s = np.einsum("bhqd,bhkd->bhqk", q.astype(np.float64),
                  k.astype(np.float64)) * scale
    if mask is not None:
        s = s + mask
    if causal:
        sq, skv = s.shape[-2], s.shape[-1]
        i = np.arange(sq)[:, None]
        j = np.arange(skv)[None, :]
        s = np.where(j > i + (skv - sq), -np.inf, s)
    s = s - s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p = p / p.sum(axis=-1, keepdims=True)
    out = np.einsum("bhqk,bhkd->bhqd", p, v.astype(np.float64))
    if packed:
        b, h, sq, dv = out.shape
        out = out.transpose(0, 2, 1, 3).reshape(b, sq, h * dv)
    return out.astype(np.float32)


def rope_reference(x, cos, sin, heads=None, interleaved=False):
    packed = x.ndim == 3
    if packed:
        b, s, hd = x.shape
        x = x.reshape(b, s, heads, hd // heads).transpose(0, 2, 1, 3)
    half = cos.shape[-1]
    c = cos if cos.ndim == 3 else cos[None]
    sn = sin if sin.ndim == 3 else sin[None]
    c, sn = c[:, None], sn[:, None]  # [B', 1, S, R/2]
    out = x.copy()
    if interleaved:
        a, b2 = x[..., 0:2 * half:2], x[..., 1:2 * half:2]
        out[..., 0:2 * half:2] = a * c - b2 * sn
        out[..., 1:2 * half:2] = b2 * c + a * sn
    else:
        a, b2 = x[..., :half], x[..., half:2 * half]
        out[..., :half] = a * c - b2 * sn
        out[..., half:2 * half] = b2 * c + a * sn
    if packed:
        out = out.transpose(0, 2, 1, 3).reshape(x.shape[0], x.shape[2], -1)
    return out.astype(np.float32)


def ttype(shape, element="f32"):
    return "tensor<%sx%s>" % ("x".join(map(str, shape)), element)


def attention_case(name, q_shape, kv_shape, heads, kv_heads, mask_shape=None,
                   causal=False, scale=None, element="f32"):
    rng = np.random.RandomState(len(name))
    dtype = np.float16 if element == "f16" else np.float32
    q = rng.standard_normal(q_shape).astype(dtype)
    k = rng.standard_normal(kv_shape).astype(dtype)
    v = rng.standard_normal(kv_shape).astype(dtype)
    inputs = {"q": q, "k": k, "v": v}
    args = ["%q", "%k", "%v"]
    types = [ttype(q_shape, element), ttype(kv_shape, element),
             ttype(kv_shape, element)]
    mask = None
    if mask_shape:
        mask = np.where(rng.rand(*mask_shape) < 0.2, -1e4, 0).astype(dtype)
        # Keep a visible key in every row.
        mask[..., 0] = 0
        inputs["m"] = mask
        types.append(ttype(mask_shape, element))
    out_shape = list(q_shape)
    expected = attention_reference(q.astype(np.float32), k.astype(np.float32),
                                   v.astype(np.float32), heads, kv_heads,
                                   None if mask is None else
                                   mask.astype(np.float32), causal,
                                   scale).astype(dtype)
    attrs = "heads = %d kv_heads = %d" % (heads, kv_heads)
    if causal:
        attrs += " causal"
    if scale is not None:
        attrs += " scale = %e" % scale
    mask_text = " mask(%m)" if mask_shape else ""
    signature = ", ".join("%%%s: %s {tfm.name = \"%s\"}" % (n, t, n)
                          for n, t in zip(inputs.keys(), types))
    module = """func.func @%s(%s) -> (%s {tfm.name = "out"}) {
  %%0 = tfm.attention %%q, %%k, %%v%s %s : (%s) -> %s
  return %%0 : %s
}
""" % (name, signature, ttype(out_shape, element), mask_text, attrs,
       ", ".join(types), ttype(out_shape, element), ttype(out_shape, element))
    return module, inputs, expected


def rope_case(name, x_shape, cos_shape, heads=None, interleaved=False):
    rng = np.random.RandomState(len(name))
    x = rng.standard_normal(x_shape).astype(np.float32)
    angles = rng.uniform(0, 6.3, cos_shape)
    cos, sin = np.cos(angles).astype(np.float32), np.sin(angles).astype(
        np.float32)
    expected = rope_reference(x, cos, sin, heads, interleaved)
    attrs = ""
    if heads:
        attrs += " heads = %d" % heads
    if interleaved:
        attrs += " interleaved"
    types = [ttype(x_shape), ttype(cos_shape), ttype(cos_shape)]
    module = """func.func @%s(%%x: %s {tfm.name = "x"}, %%c: %s {tfm.name = "c"},
    %%s: %s {tfm.name = "s"}) -> (%s {tfm.name = "out"}) {
  %%0 = tfm.rope %%x, %%c, %%s%s : (%s) -> %s
  return %%0 : %s
}
""" % (name, types[0], types[1], types[2], types[0], attrs, ", ".join(types),
       types[0], types[0])
    return module, {"x": x, "c": cos, "s": sin}, expected


def dense_literal(array):
    return "dense<%s>" % np.array2string(
        array, separator=", ", threshold=sys.maxsize,
        formatter={"float_kind": lambda v: "%.9e" % v}).replace("\n", "")


def int8_weights(w):
    """The weight tfmc --quantize=int8-weights computes with: per output
    feature (row) a scale max|w| / 127 in f32, values rounded half to even
    and saturated, dequantized."""
    scale = np.abs(w).max(axis=1) / np.float32(127)
    scale = np.where(scale > 0, scale, np.float32(1)).astype(np.float32)
    q = np.clip(np.rint(w.astype(np.float64) / scale[:, None]), -128, 127)
    return q * scale[:, None].astype(np.float64)


INT4_CLIP_FACTORS = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75)


def int4_weights(w, block):
    """The weight tfmc --quantize=int4-weights computes with: per row and
    block of `block` elements of K, lo = min(0, min w), hi = max(0, max w);
    of the ranges (lo, hi) shrunk by each INT4_CLIP_FACTORS factor f, the
    one whose quantization has the least squared error (the first on
    ties): a scale (hi - lo) f / 15 in f32 (1 for an all-zero block),
    rounded to a value f16 holds, a zero point round(-lo f / scale) in
    [0, 15], values rounded half to even around it and saturated to
    [0, 15], dequantized."""
    n, k = w.shape
    blocks = w.reshape(n, k // block, block).astype(np.float32)
    lo = np.minimum(blocks.min(axis=2), np.float32(0))
    hi = np.maximum(blocks.max(axis=2), np.float32(0))
    rng = (hi - lo).astype(np.float32)
    usable = rng > 0

    def quantize(scale, low):
        z = np.clip(np.rint(-low.astype(np.float64) / scale), 0, 15)
        q = np.clip(np.rint(blocks.astype(np.float64) / scale[:, :, None]) +
                    z[:, :, None], 0, 15)
        return (q - z[:, :, None]) * scale[:, :, None].astype(np.float64)

    best_scale, best_low, best_error = None, None, None
    for factor in INT4_CLIP_FACTORS:
        f = np.float32(factor)
        scale = np.where(usable, (rng * f) / np.float32(15), np.float32(1))
        scale = scale.astype(np.float32)
        low = np.where(usable, lo * f, np.float32(0)).astype(np.float32)
        error = ((quantize(scale, low) - blocks) ** 2).sum(axis=2)
        if best_scale is None:
            best_scale, best_low, best_error = scale, low, error
        else:
            better = error < best_error
            best_scale = np.where(better, scale, best_scale)
            best_low = np.where(better, low, best_low)
            best_error = np.where(better, error, best_error)
    # The chosen scale rounded to a value f16 holds (normal f16 only).
    half = best_scale.astype(np.float16).astype(np.float32)
    normal = (np.abs(half) >= np.float32(np.finfo(np.float16).tiny)) & \
        np.isfinite(half)
    scale = np.where(normal, half, best_scale).astype(np.float32)
    return quantize(scale, best_low).reshape(n, k)


def uint8_tokens(x):
    """The input tfmc --quantize=w8a8-dynamic computes with: per row (token)
    a scale max(max|x|, FLT_MIN) * (1/127) in f32, x / scale rounded half
    to even around 128 and saturated to uint8, dequantized."""
    amax = np.maximum(np.abs(x).max(axis=-1, keepdims=True),
                      np.finfo(np.float32).tiny).astype(np.float32)
    scale = amax * np.float32(1.0 / 127.0)
    q = np.clip(np.rint(x.astype(np.float32) / scale) + 128, 0, 255)
    return (q - 128) * scale.astype(np.float64)


def linear_case(name, x_shape, n, transposed=False, quantized=False,
                activations=False, int4_block=None):
    """A linear with constant weights, a bias, GELU and a residual; with
    `transposed`, spelled as a MatMul by a [K, N] matrix plus a bias, as
    exporters emit it. -O3 packs the weight in panels of 16 features, 32
    with AVX-512 (zero-padded when the width does not divide N). With
    `quantized` the reference uses the int8 weight of int8_weights(); with
    `activations` also the uint8 input of uint8_tokens(); with `int4_block`
    the uint4 weight of int4_weights()."""
    rng = np.random.RandomState(len(name))
    k = x_shape[-1]
    x = rng.standard_normal(x_shape).astype(np.float32)
    r = rng.standard_normal(x_shape[:-1] + [n]).astype(np.float32)
    w = (rng.standard_normal([n, k]) / np.sqrt(k)).astype(np.float32)
    bias = rng.standard_normal([n]).astype(np.float32)
    used = int8_weights(w) if quantized else w.astype(np.float64)
    if int4_block:
        used = int4_weights(w, int4_block)
    used_x = uint8_tokens(x) if activations else x.astype(np.float64)
    h = used_x @ used.T + bias
    if transposed:
        expected = h
    else:
        from math import erf
        gelu = np.vectorize(lambda v: 0.5 * v * (1 + erf(v / np.sqrt(2))))
        expected = gelu(h) + r
    out = x_shape[:-1] + [n]
    if transposed:
        body = """  %%w = tfm.constant %s : %s
  %%b = tfm.constant %s : %s
  %%p = tfm.matmul %%x, %%w : (%s, %s) -> %s
  %%0 = tfm.add %%p, %%b : (%s, %s) -> %s
""" % (dense_literal(w.T), ttype([k, n]), dense_literal(bias), ttype([n]),
           ttype(x_shape), ttype([k, n]), ttype(out), ttype(out), ttype([n]),
           ttype(out))
    else:
        body = """  %%w = tfm.constant %s : %s
  %%b = tfm.constant %s : %s
  %%0 = tfm.linear %%x, %%w, %%b residual(%%r) activation = gelu : (%s, %s, %s, %s) -> %s
""" % (dense_literal(w), ttype([n, k]), dense_literal(bias), ttype([n]),
           ttype(x_shape), ttype([n, k]), ttype([n]), ttype(out), ttype(out))
    module = """func.func @%s(%%x: %s {tfm.name = "x"}, %%r: %s {tfm.name = "r"}) -> (%s {tfm.name = "out"}) {
%s  return %%0 : %s
}
""" % (name, ttype(x_shape), ttype(out), ttype(out), body, ttype(out))
    inputs = {"x": x, "r": r}
    return module, inputs, expected.astype(np.float32)


def embedding_case(name, vocab, dim, int4_block=None):
    """A token embedding and the output projection tied to it (GPT-2's
    lm_head): gather of rows of a [V, D] table, then a linear on the same
    table. Quantized, both read the quantized table: int8 per row (one
    scale per token), or int4 in blocks of `int4_block` (rows of codes
    packed two per byte for the gather)."""
    rng = np.random.RandomState(len(name))
    table = rng.standard_normal([vocab, dim]).astype(np.float32)
    ids = rng.randint(-vocab, vocab, size=[2, 5]).astype(np.int64)
    used = (int4_weights(table, int4_block) if int4_block
            else int8_weights(table))
    rows = used[ids]
    logits = rows @ used.T
    module = """func.func @%s(%%ids: tensor<2x5xi64> {tfm.name = "ids"}) -> (%s {tfm.name = "rows"}, %s {tfm.name = "logits"}) {
  %%t = tfm.constant %s : %s
  %%e = tfm.gather %%t, %%ids axis = 0 : (%s, tensor<2x5xi64>) -> %s
  %%y = tfm.linear %%e, %%t : (%s, %s) -> %s
  return %%e, %%y : %s, %s
}
""" % (name, ttype([2, 5, dim]), ttype([2, 5, vocab]), dense_literal(table),
       ttype([vocab, dim]), ttype([vocab, dim]), ttype([2, 5, dim]),
       ttype([2, 5, dim]), ttype([vocab, dim]), ttype([2, 5, vocab]),
       ttype([2, 5, dim]), ttype([2, 5, vocab]))
    return module, {"ids": ids}, {"rows": rows.astype(np.float32),
                                  "logits": logits.astype(np.float32)}


def unary_case(name, op, reference):
    """One f32 unary op over a dense grid of [-8, 8] (both saturations, and
    every interval an approximation could split) against a float64
    reference."""
    x = np.linspace(-8, 8, 64001).astype(np.float32)
    expected = np.vectorize(reference)(x.astype(np.float64))
    module = """func.func @%s(%%x: %s {tfm.name = "x"}) -> (%s {tfm.name = "out"}) {
  %%0 = tfm.%s %%x : %s
  return %%0 : %s
}
""" % (name, ttype(x.shape), ttype(x.shape), op, ttype(x.shape),
       ttype(x.shape))
    return module, {"x": x}, expected.astype(np.float32)


def quantization_case(name):
    """Quantize per axis into ui8 with zero points (ties, saturation both
    ways), then dequantize the result in blocks of 3 along a last axis of
    8 (the last block of 2) with i8 zero points, from an input."""
    rng = np.random.RandomState(7)
    x = (rng.standard_normal([4, 8]) * 40).astype(np.float32)
    x[0, :3] = [2.5, 3.5, -1000.0]
    scale = np.array([0.5, 1.0, 2.0, 0.25], np.float32)
    zero = np.array([128, 0, 255, 10], np.uint8)
    q = np.clip(np.rint(x.astype(np.float64) / scale[:, None]) +
                zero[:, None], 0, 255)
    qi = rng.randint(-128, 128, size=[4, 8]).astype(np.int8)
    bscale = (rng.random_sample([4, 3]) + 0.1).astype(np.float32)
    bzero = rng.randint(-5, 5, size=[4, 3]).astype(np.int8)
    blocks = np.arange(8) // 3
    d = (qi.astype(np.float64) - bzero[:, blocks]) * bscale[:, blocks]
    module = """func.func @%s(%%x: tensor<4x8xf32> {tfm.name = "x"}, %%qi: tensor<4x8xi8> {tfm.name = "qi"}) -> (tensor<4x8xf32> {tfm.name = "out"}, tensor<4x8xf32> {tfm.name = "deq"}) {
  %%s = tfm.constant %s : tensor<4xf32>
  %%z = tfm.constant %s : tensor<4xui8>
  %%q = tfm.quantize %%x, %%s, %%z {axis = 0 : i64} : (tensor<4x8xf32>, tensor<4xf32>, tensor<4xui8>) -> tensor<4x8xui8>
  %%out = tfm.cast %%q : tensor<4x8xui8> to tensor<4x8xf32>
  %%bs = tfm.constant %s : tensor<4x3xf32>
  %%bz = tfm.constant %s : tensor<4x3xi8>
  %%deq = tfm.dequantize %%qi, %%bs, %%bz {axis = 1 : i64, block_size = 3 : i64} : (tensor<4x8xi8>, tensor<4x3xf32>, tensor<4x3xi8>) -> tensor<4x8xf32>
  return %%out, %%deq : tensor<4x8xf32>, tensor<4x8xf32>
}
""" % (name, dense_literal(scale), dense_literal(zero.astype(np.int64)),
       dense_literal(bscale), dense_literal(bzero.astype(np.int64)))
    return module, {"x": x, "qi": qi}, {"out": q.astype(np.float32),
                                        "deq": d.astype(np.float32)}


def erf(v):
    from math import erf
    return erf(v)


def gelu(v):
    from math import erf, sqrt
    return 0.5 * v * (1 + erf(v / sqrt(2)))


# Extra tfmc flags per case (default: none, i.e. -O2).
CASE_FLAGS = {
    "linear_O2": [], "linear_panels_O3": ["-O3"],
    "linear_panels_transposed_O3": ["-O3"],
    "linear_blocked_k_O3": ["-O3"], "linear_uneven_panels_O3": ["-O3"],
    "linear_int8_O2": ["--quantize=int8-weights"],
    "linear_int8_transposed_O3": ["-O3", "--quantize=int8-weights"],
    "linear_int8_O0": ["-O0", "--quantize=int8-weights"],
    "linear_int8_uneven_panels_O3": ["-O3", "--quantize=int8-weights"],
    "linear_w8a8_O2": ["--quantize=w8a8-dynamic"],
    "linear_w8a8_transposed_O3": ["-O3", "--quantize=w8a8-dynamic"],
    "linear_w8a8_uneven_panels_O3": ["-O3", "--quantize=w8a8-dynamic"],
    "linear_w8a8_odd_k_O3": ["-O3", "--quantize=w8a8-dynamic"],
    "linear_w8a8_O0": ["-O0", "--quantize=w8a8-dynamic"],
    "linear_int4_O2": ["--quantize=int4-weights"],
    "linear_int4_transposed_O3": ["-O3", "--quantize=int4-weights"],
    "linear_int4_uneven_panels_O3": ["-O3", "--quantize=int4-weights",
                                     "--quantize-block-size=16"],
    "linear_int4_blocked_k_O3": ["-O3", "--quantize=int4-weights",
                                 "--quantize-block-size=128"],
    "linear_int4_odd_k_O3": ["-O3", "--quantize=int4-weights"],
    "linear_int4_O0": ["-O0", "--quantize=int4-weights",
                       "--quantize-block-size=8"],
    "embedding_int8_O3": ["-O3", "--quantize=int8-weights"],
    "embedding_int4_O3": ["-O3", "--quantize=int4-weights"],
    "embedding_int4_O0": ["-O0", "--quantize=int4-weights",
                          "--quantize-block-size=16"],
}

CASES = {
    # 128 queries in blocks of 64, 128 keys in one tile.
    "attention_mha": lambda: attention_case(
        "attention_mha", [2, 4, 128, 32], [2, 4, 128, 32], 4, 4),
    # Grouped KV heads, packed layout, an odd length taken as one tile.
    "attention_gqa_packed": lambda: attention_case(
        "attention_gqa_packed", [1, 37, 8 * 16], [1, 37, 2 * 16], 8, 2),
    # Causal with blocks that are not powers of two (50 queries, 100 keys).
    "attention_causal": lambda: attention_case(
        "attention_causal", [1, 2, 100, 16], [1, 2, 100, 16], 2, 2,
        causal=True),
    # Decoding 4 new tokens after 252 cached ones: causal bottom-right,
    # 256 keys in two tiles, a per-query mask, an explicit scale.
    "attention_cache": lambda: attention_case(
        "attention_cache", [2, 3, 4, 8], [2, 3, 256, 8], 3, 3,
        mask_shape=[2, 1, 4, 256], causal=True, scale=0.3),
    # f16 operands (f32 scores and accumulation), causal, with a mask; the
    # result is rounded to f16.
    "attention_f16": lambda: attention_case(
        "attention_f16", [1, 2, 96, 32], [1, 2, 160, 32], 2, 2,
        mask_shape=[160], causal=True, element="f16"),
    # Multi-query attention over long keys (5 tiles of 128).
    "attention_mqa_long": lambda: attention_case(
        "attention_mqa_long", [1, 4, 16, 64], [1, 1, 640, 64], 4, 1,
        mask_shape=[640]),
    "rope_half": lambda: rope_case("rope_half", [2, 4, 16, 32], [16, 16]),
    "rope_interleaved_partial": lambda: rope_case(
        "rope_interleaved_partial", [2, 10, 3 * 24], [2, 10, 8], heads=3,
        interleaved=True),
    "rope_half_packed": lambda: rope_case(
        "rope_half_packed", [1, 12, 2 * 16], [1, 12, 8], heads=2),
    # 50 features: whole panels of 16 (or 32) and a padded one; 14 rows, not
    # a multiple of the 6- or 8-row register tile.
    "linear_O2": lambda: linear_case("linear_O2", [2, 7, 40], 50),
    "linear_panels_O3": lambda: linear_case("linear_panels_O3", [2, 7, 40],
                                            50),
    "linear_panels_transposed_O3": lambda: linear_case(
        "linear_panels_transposed_O3", [3, 24], 48, transposed=True),
    # 80 features: an odd number of panels (3 of 32, or 5 of 16, the last
    # one padded), which the threads cannot share evenly: the product is
    # cut, the bias initializer with it.
    "linear_uneven_panels_O3": lambda: linear_case(
        "linear_uneven_panels_O3", [2, 7, 40], 80),
    # K = 1536 walked in two blocks of 768 after the bias initializes the
    # output; 14 rows (few tiles per panel: the next panel is prefetched).
    "linear_blocked_k_O3": lambda: linear_case(
        "linear_blocked_k_O3", [2, 7, 1536], 40),
    # int8 weights (tfmc --quantize=int8-weights): the product reads the
    # int8 matrix and scales its sums; the epilogue as above. -O3 packs the
    # int8 weight in panels; -O0 quantizes the MatMul itself.
    "linear_int8_O2": lambda: linear_case(
        "linear_int8_O2", [2, 7, 40], 50, quantized=True),
    "linear_int8_transposed_O3": lambda: linear_case(
        "linear_int8_transposed_O3", [3, 24], 48, transposed=True,
        quantized=True),
    "linear_int8_O0": lambda: linear_case(
        "linear_int8_O0", [3, 24], 48, transposed=True, quantized=True),
    # int8 panels (-O3): 80 features, the last panel padded (its scales 1).
    "linear_int8_uneven_panels_O3": lambda: linear_case(
        "linear_int8_uneven_panels_O3", [2, 7, 40], 80, quantized=True),
    # W8A8 (tfmc --quantize=w8a8-dynamic): rows quantized to uint8 at run
    # time, integer products with the int8 weight, the zero point's share
    # from the weight's column sums. -O3: the u8 x s8 dot-product layout
    # (K in groups of 4), or plain panels for an odd K (42); -O0 quantizes
    # the MatMul itself.
    "linear_w8a8_O2": lambda: linear_case(
        "linear_w8a8_O2", [2, 7, 40], 50, quantized=True, activations=True),
    "linear_w8a8_transposed_O3": lambda: linear_case(
        "linear_w8a8_transposed_O3", [3, 24], 48, transposed=True,
        quantized=True, activations=True),
    "linear_w8a8_uneven_panels_O3": lambda: linear_case(
        "linear_w8a8_uneven_panels_O3", [2, 7, 40], 80, quantized=True,
        activations=True),
    "linear_w8a8_odd_k_O3": lambda: linear_case(
        "linear_w8a8_odd_k_O3", [5, 42], 64, quantized=True,
        activations=True),
    "linear_w8a8_O0": lambda: linear_case(
        "linear_w8a8_O0", [3, 24], 48, transposed=True, quantized=True,
        activations=True),
    # int4 weights (tfmc --quantize=int4-weights, blocks of 32 unless
    # given): two values per byte, dequantized in the product's K loop;
    # -O3 in panels (one padded), a K of 1536 walked in blocks; a K the
    # block does not divide (40) gets int8 weights instead.
    "linear_int4_O2": lambda: linear_case(
        "linear_int4_O2", [2, 7, 64], 50, int4_block=32),
    "linear_int4_transposed_O3": lambda: linear_case(
        "linear_int4_transposed_O3", [3, 96], 48, transposed=True,
        int4_block=32),
    "linear_int4_uneven_panels_O3": lambda: linear_case(
        "linear_int4_uneven_panels_O3", [2, 7, 48], 80, int4_block=16),
    "linear_int4_blocked_k_O3": lambda: linear_case(
        "linear_int4_blocked_k_O3", [16, 1536], 64, int4_block=128),
    "linear_int4_odd_k_O3": lambda: linear_case(
        "linear_int4_odd_k_O3", [5, 40], 64, quantized=True),
    "linear_int4_O0": lambda: linear_case(
        "linear_int4_O0", [3, 24], 48, transposed=True, int4_block=8),
    # Quantized embedding tables, gathered and tied to a linear: int8 rows,
    # int4 rows packed two codes per byte (an odd width, 33 x 64 codes).
    "embedding_int8_O3": lambda: embedding_case("embedding_int8_O3", 40,
                                                64),
    "embedding_int4_O3": lambda: embedding_case("embedding_int4_O3", 33, 64,
                                                int4_block=32),
    "embedding_int4_O0": lambda: embedding_case("embedding_int4_O0", 20, 48,
                                                int4_block=16),
    "quantize_dequantize": lambda: quantization_case("quantize_dequantize"),
    "erf": lambda: unary_case("erf", "erf", erf),
    "gelu": lambda: unary_case("gelu", "gelu", gelu),
}


# f16 results: about two f16 ulps (2^-10 relative) of the rounded reference.
# erf: within 6 ulp of 1 (its f32 approximation measures 5.5 at most);
# GELU: 3 ulp relative, and for large negative inputs, where 1 + erf
# cancels, the erf's error times |x| / 2.
CASE_TOLERANCES = {"attention_f16": ("4e-3", "4e-3"), "erf": ("0", "3.6e-7"),
                   "gelu": ("3.6e-7", "1.4e-6")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tfmc", default="tfmc")
    parser.add_argument("--tfm-run", default="tfm-run")
    parser.add_argument("--work", required=True)
    parser.add_argument("--filter", default="")
    parser.add_argument("--tfmc-arg", action="append", default=[],
                        help="extra tfmc flag for every case (repeatable)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    failures = 0
    for name, make in CASES.items():
        if args.filter not in name:
            continue
        module, inputs, expected = make()
        case_dir = os.path.join(args.work, name)
        os.makedirs(case_dir, exist_ok=True)
        source = os.path.join(case_dir, name + ".mlir")
        with open(source, "w") as f:
            f.write(module)
        library = os.path.join(case_dir, name + ".so")
        compiled = subprocess.run(
            [args.tfmc, source, "--emit=lib", "-o", library] +
            CASE_FLAGS.get(name, []) + args.tfmc_arg,
            capture_output=True, text=True)
        if compiled.returncode != 0:
            print("%s: FAIL (tfmc)\n%s" % (name, compiled.stderr))
            failures += 1
            continue
        flags = []
        for input_name, value in inputs.items():
            path = os.path.join(case_dir, input_name + ".npy")
            np.save(path, value)
            flags += ["--input", "%s=%s" % (input_name, path)]
        if not isinstance(expected, dict):
            expected = {"out": expected}
        for output, value in expected.items():
            expected_path = os.path.join(case_dir, output + ".expected.npy")
            np.save(expected_path, value)
            flags += ["--expect", "%s=%s" % (output, expected_path)]
        rtol, atol = CASE_TOLERANCES.get(name, ("1e-4", "1e-5"))
        run = subprocess.run(
            [args.tfm_run, library, "--rtol", rtol, "--atol", atol] + flags,
            capture_output=True, text=True)
        verdict = "ok" if run.returncode == 0 else "FAIL"
        print("%s: %s %s" % (name, verdict,
                             run.stdout.strip().splitlines()[0]
                             if run.stdout.strip() else run.stderr.strip()))
        failures += run.returncode != 0
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
