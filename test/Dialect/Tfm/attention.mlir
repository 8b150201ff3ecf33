// Round-trip of attention and rope: custom form, then generic form.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// Packed heads [B, S, H*D] with an additive padding mask (BERT).
// CHECK-LABEL: func.func @attention_packed
// CHECK-SAME: (%[[Q:.*]]: tensor<1x128x768xf32>, %[[K:.*]]: tensor<1x128x768xf32>, %[[V:.*]]: tensor<1x128x768xf32>, %[[M:.*]]: tensor<1x1x1x128xf32>)
func.func @attention_packed(%q: tensor<1x128x768xf32>, %k: tensor<1x128x768xf32>, %v: tensor<1x128x768xf32>, %m: tensor<1x1x1x128xf32>) -> tensor<1x128x768xf32> {
  // CHECK: tfm.attention %[[Q]], %[[K]], %[[V]] mask(%[[M]]) heads = 12 kv_heads = 12 : (tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x1x1x128xf32>) -> tensor<1x128x768xf32>
  %0 = tfm.attention %q, %k, %v mask(%m) heads = 12 kv_heads = 12 : (tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x1x1x128xf32>) -> tensor<1x128x768xf32>
  return %0 : tensor<1x128x768xf32>
}

// -----

// Split heads [B, H, S, D], causal, explicit scale (GPT-2).
// CHECK-LABEL: func.func @attention_split_causal
func.func @attention_split_causal(%q: tensor<2x12x64x64xf32>, %k: tensor<2x12x64x64xf32>, %v: tensor<2x12x64x64xf32>) -> tensor<2x12x64x64xf32> {
  // CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} heads = 12 kv_heads = 12 causal scale = 1.250000e-01 : (tensor<2x12x64x64xf32>, tensor<2x12x64x64xf32>, tensor<2x12x64x64xf32>) -> tensor<2x12x64x64xf32>
  %0 = tfm.attention %q, %k, %v heads = 12 kv_heads = 12 causal scale = 0.125 : (tensor<2x12x64x64xf32>, tensor<2x12x64x64xf32>, tensor<2x12x64x64xf32>) -> tensor<2x12x64x64xf32>
  return %0 : tensor<2x12x64x64xf32>
}

// -----

// Grouped-query attention: 32 query heads share 8 KV heads, over a KV cache
// longer than the query block (LLaMA decoding).
// CHECK-LABEL: func.func @attention_gqa
func.func @attention_gqa(%q: tensor<1x4x4096xbf16>, %k: tensor<1x260x1024xbf16>, %v: tensor<1x260x1024xbf16>) -> tensor<1x4x4096xbf16> {
  // CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} heads = 32 kv_heads = 8 causal : (tensor<1x4x4096xbf16>, tensor<1x260x1024xbf16>, tensor<1x260x1024xbf16>) -> tensor<1x4x4096xbf16>
  %0 = tfm.attention %q, %k, %v heads = 32 kv_heads = 8 causal : (tensor<1x4x4096xbf16>, tensor<1x260x1024xbf16>, tensor<1x260x1024xbf16>) -> tensor<1x4x4096xbf16>
  return %0 : tensor<1x4x4096xbf16>
}

// -----

// Values may have a different head size than queries and keys.
// CHECK-LABEL: func.func @attention_value_head_size
func.func @attention_value_head_size(%q: tensor<1x2x8x16xf32>, %k: tensor<1x1x10x16xf32>, %v: tensor<1x1x10x32xf32>, %m: tensor<8x10xf32>) -> tensor<1x2x8x32xf32> {
  // CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) heads = 2 kv_heads = 1 : (tensor<1x2x8x16xf32>, tensor<1x1x10x16xf32>, tensor<1x1x10x32xf32>, tensor<8x10xf32>) -> tensor<1x2x8x32xf32>
  %0 = tfm.attention %q, %k, %v mask(%m) heads = 2 kv_heads = 1 : (tensor<1x2x8x16xf32>, tensor<1x1x10x16xf32>, tensor<1x1x10x32xf32>, tensor<8x10xf32>) -> tensor<1x2x8x32xf32>
  return %0 : tensor<1x2x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @rope
func.func @rope(%x: tensor<1x128x2048xf32>, %c: tensor<128x32xf32>, %s: tensor<128x32xf32>, %y: tensor<2x32x128x64xf32>, %c3: tensor<1x128x16xf32>, %s3: tensor<1x128x16xf32>) -> (tensor<1x128x2048xf32>, tensor<2x32x128x64xf32>) {
  // Packed heads need `heads`.
  // CHECK: tfm.rope %{{.*}}, %{{.*}}, %{{.*}} heads = 32 : (tensor<1x128x2048xf32>, tensor<128x32xf32>, tensor<128x32xf32>) -> tensor<1x128x2048xf32>
  %0 = tfm.rope %x, %c, %s heads = 32 : (tensor<1x128x2048xf32>, tensor<128x32xf32>, tensor<128x32xf32>) -> tensor<1x128x2048xf32>
  // Split heads, interleaved pairs, partial rotary size R = 32 of D = 64.
  // CHECK: tfm.rope %{{.*}}, %{{.*}}, %{{.*}} interleaved : (tensor<2x32x128x64xf32>, tensor<1x128x16xf32>, tensor<1x128x16xf32>) -> tensor<2x32x128x64xf32>
  %1 = tfm.rope %y, %c3, %s3 interleaved : (tensor<2x32x128x64xf32>, tensor<1x128x16xf32>, tensor<1x128x16xf32>) -> tensor<2x32x128x64xf32>
  return %0, %1 : tensor<1x128x2048xf32>, tensor<2x32x128x64xf32>
}

// -----

// Attention over a cache: 127 past rows, then the new one (GPT-2 decode).
// CHECK-LABEL: func.func @attention_past
func.func @attention_past(%q: tensor<1x12x1x64xf32>, %k: tensor<1x12x1x64xf32>, %v: tensor<1x12x1x64xf32>, %pk: tensor<1x12x127x64xf32>, %pv: tensor<1x12x127x64xf32>, %m: tensor<1x1x1x128xf32>) -> tensor<1x12x1x64xf32> {
  // CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} past(%{{.*}}, %{{.*}}) mask(%{{.*}}) heads = 12 kv_heads = 12 : (tensor<1x12x1x64xf32>, tensor<1x12x1x64xf32>, tensor<1x12x1x64xf32>, tensor<1x12x127x64xf32>, tensor<1x12x127x64xf32>, tensor<1x1x1x128xf32>) -> tensor<1x12x1x64xf32>
  %0 = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 12 kv_heads = 12 : (tensor<1x12x1x64xf32>, tensor<1x12x1x64xf32>, tensor<1x12x1x64xf32>, tensor<1x12x127x64xf32>, tensor<1x12x127x64xf32>, tensor<1x1x1x128xf32>) -> tensor<1x12x1x64xf32>
  return %0 : tensor<1x12x1x64xf32>
}

// -----

// A cache stored in bf16 for f32 keys (tfm-narrow-kv-cache).
// CHECK-LABEL: func.func @attention_narrow_past
func.func @attention_narrow_past(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x1x8xf32>, %pk: tensor<1x2x15x8xbf16>) -> tensor<1x4x1x8xf32> {
  // CHECK: tfm.attention {{.*}} past({{.*}}) heads = 4 kv_heads = 2 : (tensor<1x4x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x15x8xbf16>, tensor<1x2x15x8xbf16>) -> tensor<1x4x1x8xf32>
  %0 = tfm.attention %q, %k, %k past(%pk, %pk) heads = 4 kv_heads = 2 : (tensor<1x4x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x15x8xbf16>, tensor<1x2x15x8xbf16>) -> tensor<1x4x1x8xf32>
  return %0 : tensor<1x4x1x8xf32>
}
