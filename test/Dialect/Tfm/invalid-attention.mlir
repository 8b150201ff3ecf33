// Verifier errors of attention and rope, one case per labelled constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// attention_c1: query, key and value share a rank of 3 or 4.
func.func @attention_c1(%q: tensor<1x8x64xf32>, %k: tensor<1x2x8x32xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c1: query, key and value must all have rank 3 or all rank 4, got 'tensor<1x8x64xf32>', 'tensor<1x2x8x32xf32>', 'tensor<1x2x8x32xf32>'}}
  %0 = tfm.attention %q, %k, %k heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// attention_c1: query, key and value share an element type.
func.func @attention_c1_type(%q: tensor<1x8x64xf32>, %k: tensor<1x8x64xf16>) {
  // expected-error @+1 {{'tfm.attention' op attention_c1: query, key and value element types differ: 'f32', 'f16', 'f16'}}
  %0 = tfm.attention %q, %k, %k heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x8x64xf16>, tensor<1x8x64xf16>) -> tensor<1x8x64xf32>
  return
}

// -----

// attention_c2: num_heads is a positive multiple of num_kv_heads.
func.func @attention_c2(%q: tensor<1x8x96xf32>, %k: tensor<1x8x64xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c2: num_heads = 3 must be a positive multiple of num_kv_heads = 2}}
  %0 = tfm.attention %q, %k, %k heads = 3 kv_heads = 2 : (tensor<1x8x96xf32>, tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x96xf32>
  return
}

// -----

// attention_c3: split-head operands carry the head counts in dimension 1.
func.func @attention_c3(%q: tensor<1x4x8x16xf32>, %k: tensor<1x4x8x16xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c3: key [1, 4, 8, 16] has 4 heads in dimension 1, expected 2}}
  %0 = tfm.attention %q, %k, %k heads = 4 kv_heads = 2 : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return
}

// -----

// attention_c3: packed operands divide evenly into heads.
func.func @attention_c3_packed(%q: tensor<1x8x100xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c3: query [1, 8, 100] last dimension 100 is not a multiple of its 3 heads}}
  %0 = tfm.attention %q, %q, %q heads = 3 kv_heads = 3 : (tensor<1x8x100xf32>, tensor<1x8x100xf32>, tensor<1x8x100xf32>) -> tensor<1x8x100xf32>
  return
}

// -----

// attention_c4: query and key have the same head size.
func.func @attention_c4(%q: tensor<1x8x64xf32>, %k: tensor<1x8x32xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c4: query head size 32 differs from key head size 16}}
  %0 = tfm.attention %q, %k, %k heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// attention_c5: batch sizes agree.
func.func @attention_c5(%q: tensor<2x8x64xf32>, %k: tensor<1x8x64xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c5: batch sizes differ: query [2, 8, 64], key [1, 8, 64], value [1, 8, 64]}}
  %0 = tfm.attention %q, %k, %k heads = 2 kv_heads = 2 : (tensor<2x8x64xf32>, tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// attention_c5: key and value have the same sequence length.
func.func @attention_c5_seq(%q: tensor<1x8x64xf32>, %k: tensor<1x8x64xf32>, %v: tensor<1x9x64xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c5: key sequence length 8 differs from value sequence length 9}}
  %0 = tfm.attention %q, %k, %v heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>, tensor<1x9x64xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// attention_c6: the mask broadcasts to [B, Hq, Sq, Skv].
func.func @attention_c6(%q: tensor<1x8x64xf32>, %k: tensor<1x10x64xf32>, %m: tensor<1x1x1x8xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c6: mask 'tensor<1x1x1x8xf32>' does not broadcast to the scores' shape [1, 2, 8, 10] with element type 'f32'}}
  %0 = tfm.attention %q, %k, %k mask(%m) heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x10x64xf32>, tensor<1x10x64xf32>, tensor<1x1x1x8xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// attention_c6: the mask has the query's element type.
func.func @attention_c6_type(%q: tensor<1x8x64xf32>, %m: tensor<8x8xf16>) {
  // expected-error @+1 {{'tfm.attention' op attention_c6: mask 'tensor<8x8xf16>' does not broadcast to the scores' shape [1, 2, 8, 8] with element type 'f32'}}
  %0 = tfm.attention %q, %q, %q mask(%m) heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>, tensor<1x8x64xf32>, tensor<8x8xf16>) -> tensor<1x8x64xf32>
  return
}

// -----

// attention_c7: the result has the layout's shape.
func.func @attention_c7(%q: tensor<1x8x64xf32>, %k: tensor<1x8x64xf32>, %v: tensor<1x8x32xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c7: result type 'tensor<1x8x64xf32>' differs from the inferred type 'tensor<1x8x32xf32>'}}
  %0 = tfm.attention %q, %k, %v heads = 2 kv_heads = 2 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// rope_c1: a packed input needs num_heads.
func.func @rope_c1(%x: tensor<1x8x64xf32>, %c: tensor<8x16xf32>) {
  // expected-error @+1 {{'tfm.rope' op rope_c1: a rank-3 input [B, S, H*D] needs a positive num_heads}}
  %0 = tfm.rope %x, %c, %c : (tensor<1x8x64xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// rope_c1: num_heads matches a split-head input.
func.func @rope_c1_heads(%x: tensor<1x4x8x16xf32>, %c: tensor<8x8xf32>) {
  // expected-error @+1 {{'tfm.rope' op rope_c1: num_heads = 2 differs from the 4 heads of input [1, 4, 8, 16]}}
  %0 = tfm.rope %x, %c, %c heads = 2 : (tensor<1x4x8x16xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8x16xf32>
  return
}

// -----

// rope_c1: the input has rank 3 or 4.
func.func @rope_c1_rank(%x: tensor<8x16xf32>, %c: tensor<8x8xf32>) {
  // expected-error @+1 {{'tfm.rope' op rope_c1: input must have rank 3 or 4, got 'tensor<8x16xf32>'}}
  %0 = tfm.rope %x, %c, %c : (tensor<8x16xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x16xf32>
  return
}

// -----

// rope_c2: cos and sin share a type, with the input's element type.
func.func @rope_c2(%x: tensor<1x8x64xf32>, %c: tensor<8x16xf32>, %s: tensor<8x16xf16>) {
  // expected-error @+1 {{'tfm.rope' op rope_c2: cos 'tensor<8x16xf32>' and sin 'tensor<8x16xf16>' must have the same type, with element type 'f32'}}
  %0 = tfm.rope %x, %c, %s heads = 2 : (tensor<1x8x64xf32>, tensor<8x16xf32>, tensor<8x16xf16>) -> tensor<1x8x64xf32>
  return
}

// -----

// rope_c3: the tables cover the sequence with R <= D.
func.func @rope_c3(%x: tensor<1x8x64xf32>, %c: tensor<8x17xf32>) {
  // expected-error @+1 {{'tfm.rope' op rope_c3: cos/sin shape [8, 17] must be [S, R/2] or [B', S, R/2] with S = 8, B' = 1 or the batch size 1, and R <= the head size 32}}
  %0 = tfm.rope %x, %c, %c heads = 2 : (tensor<1x8x64xf32>, tensor<8x17xf32>, tensor<8x17xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

// rope_c3: the tables cover the sequence.
func.func @rope_c3_seq(%x: tensor<2x8x64xf32>, %c: tensor<2x4x16xf32>) {
  // expected-error @+1 {{'tfm.rope' op rope_c3: cos/sin shape [2, 4, 16] must be [S, R/2] or [B', S, R/2] with S = 8, B' = 1 or the batch size 2, and R <= the head size 32}}
  %0 = tfm.rope %x, %c, %c heads = 2 : (tensor<2x8x64xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// rope_c4: the result has the input's type.
func.func @rope_c4(%x: tensor<1x8x64xf32>, %c: tensor<8x16xf32>) {
  // expected-error @+1 {{'tfm.rope' op rope_c4: result type 'tensor<1x8x64xf16>' differs from the inferred type 'tensor<1x8x64xf32>'}}
  %0 = tfm.rope %x, %c, %c heads = 2 : (tensor<1x8x64xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<1x8x64xf16>
  return
}

// -----

// attention_c8: the past matches the keys but for its length.
func.func @attention_c8_heads(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x1x8xf32>, %pk: tensor<1x4x9x8xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c8: past_key [1, 4, 9, 8] and past_value [1, 4, 9, 8] must match key and value but for their length, the same for both: key [1, 2, 1, 8], value [1, 2, 1, 8]}}
  %0 = tfm.attention %q, %k, %k past(%pk, %pk) heads = 4 kv_heads = 2 : (tensor<1x4x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x4x9x8xf32>, tensor<1x4x9x8xf32>) -> tensor<1x4x1x8xf32>
  return
}

// -----

// attention_c8: past keys and values have one length.
func.func @attention_c8_length(%q: tensor<1x2x1x8xf32>, %pk: tensor<1x2x9x8xf32>, %pv: tensor<1x2x7x8xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c8: past_key [1, 2, 9, 8] and past_value [1, 2, 7, 8] must match key and value but for their length}}
  %0 = tfm.attention %q, %q, %q past(%pk, %pv) heads = 2 kv_heads = 2 : (tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x7x8xf32>) -> tensor<1x2x1x8xf32>
  return
}

// -----

// attention_c8: the past has the keys' element type, or f16/bf16 for f32
// keys; not a wider one.
func.func @attention_c8_type(%q: tensor<1x2x1x8xf16>, %pk: tensor<1x2x9x8xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c8: past_key 'tensor<1x2x9x8xf32>' and past_value 'tensor<1x2x9x8xf32>' must have the rank of key and its element type (f16 or bf16 for f32 keys), the same for both; key 'tensor<1x2x1x8xf16>'}}
  %0 = tfm.attention %q, %q, %q past(%pk, %pk) heads = 2 kv_heads = 2 : (tensor<1x2x1x8xf16>, tensor<1x2x1x8xf16>, tensor<1x2x1x8xf16>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32>) -> tensor<1x2x1x8xf16>
  return
}

// -----

// attention_c8: a key cache and a value cache of one type.
func.func @attention_c8_mixed(%q: tensor<1x2x1x8xf32>, %pk: tensor<1x2x9x8xf16>, %pv: tensor<1x2x9x8xbf16>) {
  // expected-error @+1 {{'tfm.attention' op attention_c8: past_key 'tensor<1x2x9x8xf16>' and past_value 'tensor<1x2x9x8xbf16>' must have the rank of key and its element type (f16 or bf16 for f32 keys), the same for both}}
  %0 = tfm.attention %q, %q, %q past(%pk, %pv) heads = 2 kv_heads = 2 : (tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x9x8xf16>, tensor<1x2x9x8xbf16>) -> tensor<1x2x1x8xf32>
  return
}

// -----

// attention_c6: with a past, the mask spans past and new keys (9 + 1).
func.func @attention_c6_past(%q: tensor<1x2x1x8xf32>, %pk: tensor<1x2x9x8xf32>, %m: tensor<1x1x1x9xf32>) {
  // expected-error @+1 {{'tfm.attention' op attention_c6: mask 'tensor<1x1x1x9xf32>' does not broadcast to the scores' shape [1, 2, 1, 10]}}
  %0 = tfm.attention %q, %q, %q past(%pk, %pk) mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x9x8xf32>, tensor<1x2x9x8xf32>, tensor<1x1x1x9xf32>) -> tensor<1x2x1x8xf32>
  return
}
