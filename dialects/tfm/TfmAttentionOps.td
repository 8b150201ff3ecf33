//===- TfmAttentionOps.td - attention and rotary embedding -*- tablegen -*-===//

#ifndef TFM_ATTENTION_OPS_TD
#define TFM_ATTENTION_OPS_TD

include "TfmBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tfm_AttentionOp : Tfm_Op<"attention",
    [Pure, AttrSizedOperandSegments, Tfm_InferTensorTypes<7>]> {
  let summary = "scaled dot-product attention with grouped-query heads";
  let description = [{
    Multi-head scaled dot-product attention:

    `result = softmax(scale · Q·Kᵀ + mask + causal_mask) · V`

    computed independently per batch entry and query head. Query head `h`
    reads key/value head `h / (num_heads / num_kv_heads)`: with
    `num_kv_heads == num_heads` this is multi-head attention, with fewer KV
    heads it is grouped-query attention (GQA), with one it is multi-query
    attention (MQA).

    Layouts (the same two ONNX `Attention` accepts), selected by rank:

    * rank 4, heads split: `query [B, Hq, Sq, D]`, `key [B, Hkv, Skv, D]`,
      `value [B, Hkv, Skv, Dv]`, `result [B, Hq, Sq, Dv]`.
    * rank 3, heads packed in the last dimension (what linear layers
      produce, no transposes needed): `query [B, Sq, Hq·D]`,
      `key [B, Skv, Hkv·D]`, `value [B, Skv, Hkv·Dv]`,
      `result [B, Sq, Hq·Dv]`; the heads are contiguous slices of the last
      dimension.

    `scale` defaults to `1/sqrt(D)`. `mask`, when present, is added to the
    scores; it broadcasts NumPy-style to `[B, Hq, Sq, Skv]` (use `-inf` or a
    large negative value to hide a key). With `causal`, query `i` sees keys
    `j <= i + (Skv - Sq)`: the causal diagonal is aligned at the bottom
    right, so a query block that continues a cached prefix works. A query
    row that sees no key produces undefined values.

    Attention over a key/value cache: with `past_key` and `past_value`
    (`[B, Hkv, P, D]` and `[B, Hkv, P, Dv]`, or packed `[B, P, Hkv·D]`), the
    keys and values are the P rows of the past followed by the rows of
    `key` and `value`, as if concatenated along the sequence: `Skv` then
    counts both (`P + S`), for the mask and the causal diagonal alike. The
    concatenation is never materialized; `tfm-fuse-kv-cache` folds the
    exporters' `Concat(past, new)` into these operands.

    Constraints:
    * (attention_c1) `query`, `key` and `value` have the same rank, 3 or 4,
      and the same floating-point element type.
    * (attention_c2) `num_heads` and `num_kv_heads` are positive and
      `num_heads` is a multiple of `num_kv_heads`.
    * (attention_c3) the head counts match the layout: for rank 4,
      `query[1] == num_heads` and `key[1] == value[1] == num_kv_heads`; for
      rank 3, `query[2]` is a multiple of `num_heads` and `key[2]`,
      `value[2]` are multiples of `num_kv_heads`.
    * (attention_c4) `query` and `key` have the same head size `D`.
    * (attention_c5) `query`, `key` and `value` have the same batch size,
      and `key` and `value` the same sequence length `Skv`.
    * (attention_c6) `mask`, when present, has the element type of `query`,
      rank at most 4, and a shape that broadcasts to `[B, Hq, Sq, Skv]`.
    * (attention_c7) `result` has the element type of `query` and the
      layout's result shape.
    * (attention_c8) `past_key` and `past_value` are given together; they
      have the rank of `key` and its element type, or both f16 or both bf16
      for f32 keys (a cache stored narrow, extended as it is read); and
      `key`'s and `value`'s batch size, head count and head size; both have
      the same length P.

    Example (BERT-base self-attention on packed heads):

    ```mlir
    %o = tfm.attention %q, %k, %v mask(%m) heads = 12 kv_heads = 12
        : (tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>,
           tensor<1x1x1x128xf32>) -> tensor<1x128x768xf32>
    ```

    Example (one GPT-2 decode step over a cache of 127 rows):

    ```mlir
    %o = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 12
        kv_heads = 12
        : (tensor<1x12x1x64xf32>, tensor<1x12x1x64xf32>,
           tensor<1x12x1x64xf32>, tensor<1x12x127x64xf32>,
           tensor<1x12x127x64xf32>, tensor<1x1x1x128xf32>)
        -> tensor<1x12x1x64xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$query, Tfm_FloatTensor:$key,
                       Tfm_FloatTensor:$value,
                       Optional<Tfm_FloatTensor>:$past_key,
                       Optional<Tfm_FloatTensor>:$past_value,
                       Optional<Tfm_FloatTensor>:$mask,
                       Tfm_I64Attr:$num_heads, Tfm_I64Attr:$num_kv_heads,
                       UnitAttr:$causal, OptionalAttr<F32Attr>:$scale);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value
    (`past` `(` $past_key^ `,` $past_value `)`)?
    (`mask` `(` $mask^ `)`)?
    `heads` `=` $num_heads `kv_heads` `=` $num_kv_heads
    (`causal` $causal^)? (`scale` `=` $scale^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Head size of queries and keys (D).
    int64_t getHeadDim();
    /// The softmax scale: `scale` when set, else 1/sqrt(D).
    double getScaleOrDefault();
    /// Rows of the past (P), 0 without one.
    int64_t getPastLength();
  }];
}

def Tfm_RopeOp : Tfm_Op<"rope", [Pure, Tfm_InferTensorTypes<4>]> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates pairs of elements in each head of `input` by position-dependent
    angles, given as precomputed `cos` and `sin` tables (RoFormer, LLaMA,
    GPT-NeoX). For head vector `x` of size `D`, rotary size
    `R = 2 · cos[-1]` (`R <= D`; the last `D - R` elements pass through
    unchanged) and position `s`, pair `i < R/2` is
    `(x[a], x[b]) -> (x[a]·c - x[b]·s_, x[b]·c + x[a]·s_)` with
    `c = cos[.., s, i]`, `s_ = sin[.., s, i]` and:

    * half-split (default, LLaMA/NeoX `rotate_half`): `a = i`, `b = i + R/2`;
    * `interleaved` (GPT-J, RoFormer): `a = 2i`, `b = 2i + 1`.

    Layouts, by rank, as for `tfm.attention`: rank 4 `[B, H, S, D]`, or rank 3
    `[B, S, H·D]` with `num_heads` giving `H`. `cos` and `sin` are `[S, R/2]`
    (shared by the batch) or `[B', S, R/2]` with `B'` equal to 1 or `B`;
    frontends gather the rows for the wanted positions before this op.

    Constraints:
    * (rope_c1) `input` has rank 3 or 4; for rank 3, `num_heads` is set and
      divides `input[2]`; for rank 4, `num_heads`, if set, equals `input[1]`.
    * (rope_c2) `cos` and `sin` have the same type, with the element type of
      `input`.
    * (rope_c3) `cos` has rank 2 `[S, R/2]` or rank 3 `[B', S, R/2]` with
      `B'` equal to 1 or the batch size, `S` equal to the sequence length of
      `input`, and `R` at most the head size `D`.
    * (rope_c4) `result` has the type of `input`.

    Example (LLaMA, 32 heads of 64, positions gathered beforehand):

    ```mlir
    %qr = tfm.rope %q, %cos, %sin heads = 32
        : (tensor<1x128x2048xf32>, tensor<128x32xf32>, tensor<128x32xf32>)
        -> tensor<1x128x2048xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_FloatTensor:$cos,
                       Tfm_FloatTensor:$sin, OptionalAttr<Tfm_I64Attr>:$num_heads,
                       UnitAttr:$interleaved);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $cos `,` $sin (`heads` `=` $num_heads^)?
    (`interleaved` $interleaved^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // TFM_ATTENTION_OPS_TD
