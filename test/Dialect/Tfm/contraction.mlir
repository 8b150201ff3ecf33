// Round-trip of matmul and linear: custom form, then generic form.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul_batched
// CHECK-SAME: (%[[Q:.*]]: tensor<1x12x128x64xf32>, %[[K:.*]]: tensor<1x12x64x128xf32>)
func.func @matmul_batched(%q: tensor<1x12x128x64xf32>, %k: tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32> {
  // CHECK: tfm.matmul %[[Q]], %[[K]] : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
  %0 = tfm.matmul %q, %k : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
  return %0 : tensor<1x12x128x128xf32>
}

// -----

// Batch dimensions broadcast; a rank-2 rhs is shared by every batch.
// CHECK-LABEL: func.func @matmul_broadcast
func.func @matmul_broadcast(%a: tensor<3x1x4x8xf16>, %b: tensor<5x8x2xf16>, %w: tensor<8x16xf16>) -> (tensor<3x5x4x2xf16>, tensor<3x1x4x16xf16>) {
  // CHECK: tfm.matmul %{{.*}}, %{{.*}} : (tensor<3x1x4x8xf16>, tensor<5x8x2xf16>) -> tensor<3x5x4x2xf16>
  %0 = tfm.matmul %a, %b : (tensor<3x1x4x8xf16>, tensor<5x8x2xf16>) -> tensor<3x5x4x2xf16>
  // CHECK: tfm.matmul %{{.*}}, %{{.*}} : (tensor<3x1x4x8xf16>, tensor<8x16xf16>) -> tensor<3x1x4x16xf16>
  %1 = tfm.matmul %a, %w : (tensor<3x1x4x8xf16>, tensor<8x16xf16>) -> tensor<3x1x4x16xf16>
  return %0, %1 : tensor<3x5x4x2xf16>, tensor<3x1x4x16xf16>
}

// -----

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<1x128x768xf32>, %[[W:.*]]: tensor<3072x768xf32>, %[[B:.*]]: tensor<3072xf32>)
func.func @linear(%x: tensor<1x128x768xf32>, %w: tensor<3072x768xf32>, %b: tensor<3072xf32>) -> (tensor<1x128x3072xf32>, tensor<1x128x3072xf32>) {
  // CHECK: tfm.linear %[[X]], %[[W]], %[[B]] : (tensor<1x128x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<1x128x3072xf32>
  %0 = tfm.linear %x, %w, %b : (tensor<1x128x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<1x128x3072xf32>
  // CHECK: tfm.linear %[[X]], %[[W]] : (tensor<1x128x768xf32>, tensor<3072x768xf32>) -> tensor<1x128x3072xf32>
  %1 = tfm.linear %x, %w : (tensor<1x128x768xf32>, tensor<3072x768xf32>) -> tensor<1x128x3072xf32>
  return %0, %1 : tensor<1x128x3072xf32>, tensor<1x128x3072xf32>
}

// -----

// The panel layout: 50257 features in ceil(50257 / 16) = 3142 panels.
// CHECK-LABEL: func.func @linear_panels
func.func @linear_panels(%x: tensor<1x4x768xf32>, %w: tensor<3142x768x16xf32>, %b: tensor<50257xf32>) -> tensor<1x4x50257xf32> {
  // CHECK: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} activation = gelu {out_features = 50257 : i64} : (tensor<1x4x768xf32>, tensor<3142x768x16xf32>, tensor<50257xf32>) -> tensor<1x4x50257xf32>
  %0 = tfm.linear %x, %w, %b activation = gelu {out_features = 50257 : i64} : (tensor<1x4x768xf32>, tensor<3142x768x16xf32>, tensor<50257xf32>) -> tensor<1x4x50257xf32>
  return %0 : tensor<1x4x50257xf32>
}

// -----

// A rank-1 input is a single vector.
// CHECK-LABEL: func.func @linear_vector
func.func @linear_vector(%x: tensor<8xbf16>, %w: tensor<4x8xbf16>) -> tensor<4xbf16> {
  // CHECK: tfm.linear %{{.*}}, %{{.*}} : (tensor<8xbf16>, tensor<4x8xbf16>) -> tensor<4xbf16>
  %0 = tfm.linear %x, %w : (tensor<8xbf16>, tensor<4x8xbf16>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

// Epilogues: an activation, a residual, or both.
// CHECK-LABEL: func.func @linear_epilogue
func.func @linear_epilogue(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>, %r: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  // CHECK: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} residual(%{{.*}}) activation = gelu_tanh : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %0 = tfm.linear %x, %w, %b residual(%r) activation = gelu_tanh : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: tfm.linear %{{.*}}, %{{.*}} residual(%{{.*}}) : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = tfm.linear %x, %w residual(%r) : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} activation = silu : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %2 = tfm.linear %x, %w, %b activation = silu : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @conv
func.func @conv(%img: tensor<1x3x224x224xf32>, %w: tensor<768x3x16x16xf32>, %b: tensor<768xf32>, %mel: tensor<1x80x3000xf32>, %w1: tensor<384x80x3xf32>, %dw: tensor<80x1x3xf32>) -> (tensor<1x768x14x14xf32>, tensor<1x384x1500xf32>, tensor<1x80x3000xf32>) {
  // ViT patch embedding.
  // CHECK: tfm.conv %{{.*}}, %{{.*}}, %{{.*}} strides = [16, 16] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x224x224xf32>, tensor<768x3x16x16xf32>, tensor<768xf32>) -> tensor<1x768x14x14xf32>
  %0 = tfm.conv %img, %w, %b strides = [16, 16] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x224x224xf32>, tensor<768x3x16x16xf32>, tensor<768xf32>) -> tensor<1x768x14x14xf32>
  // Whisper's second stem conv: kernel 3, stride 2, padding 1.
  // CHECK: tfm.conv %{{.*}}, %{{.*}} strides = [2] padding = [1, 1] dilations = [1] groups = 1 : (tensor<1x80x3000xf32>, tensor<384x80x3xf32>) -> tensor<1x384x1500xf32>
  %1 = tfm.conv %mel, %w1 strides = [2] padding = [1, 1] dilations = [1] groups = 1 : (tensor<1x80x3000xf32>, tensor<384x80x3xf32>) -> tensor<1x384x1500xf32>
  // Depthwise.
  // CHECK: tfm.conv %{{.*}}, %{{.*}} strides = [1] padding = [2, 2] dilations = [2] groups = 80
  %2 = tfm.conv %mel, %dw strides = [1] padding = [2, 2] dilations = [2] groups = 80 : (tensor<1x80x3000xf32>, tensor<80x1x3xf32>) -> tensor<1x80x3000xf32>
  return %0, %1, %2 : tensor<1x768x14x14xf32>, tensor<1x384x1500xf32>, tensor<1x80x3000xf32>
}

// -----

// A block-sparse weight: 2 panels of 4 features, 3 stored blocks of 4 x 1.
// CHECK-LABEL: func.func @sparse_linear
// CHECK: tfm.sparse_linear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} residual(%{{.*}}) activation = gelu {out_features = 8 : i64} : (tensor<2x3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
// CHECK: tfm.sparse_linear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x8xf32>
func.func @sparse_linear(%x: tensor<2x3x6xf32>, %x2: tensor<3x6xf32>, %v: tensor<3x4xf32>, %b: tensor<8xf32>, %r: tensor<2x3x8xf32>) -> (tensor<2x3x8xf32>, tensor<3x8xf32>) {
  %cols = tfm.constant dense<[0, 5, 2]> : tensor<3xi32>
  %offsets = tfm.constant dense<[0, 2, 3]> : tensor<3xi32>
  %0 = tfm.sparse_linear %x, %v, %cols, %offsets, %b residual(%r) activation = gelu {out_features = 8 : i64} : (tensor<2x3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %1 = tfm.sparse_linear %x2, %v, %cols, %offsets {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return %0, %1 : tensor<2x3x8xf32>, tensor<3x8xf32>
}

// -----

// int8 blocks with one scale per output feature.
// CHECK-LABEL: func.func @sparse_linear_int8
// CHECK: tfm.sparse_linear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} scales(%{{.*}}), %{{.*}} {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xi8>, tensor<3xi32>, tensor<3xi32>, tensor<8xf32>, tensor<8xf32>) -> tensor<3x8xf32>
func.func @sparse_linear_int8(%x: tensor<3x6xf32>, %v: tensor<3x4xi8>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<3x8xf32> {
  %cols = tfm.constant dense<[0, 5, 2]> : tensor<3xi32>
  %offsets = tfm.constant dense<[0, 2, 3]> : tensor<3xi32>
  %0 = tfm.sparse_linear %x, %v, %cols, %offsets scales(%s), %b {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xi8>, tensor<3xi32>, tensor<3xi32>, tensor<8xf32>, tensor<8xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

// An N:M weight: 2 panels of 4 features, K = 8 in 2 groups of 4, two kept
// weights per group (places packed two bits each: 0b1000 = places 0, 2).
// CHECK-LABEL: func.func @nm_sparse_linear
// CHECK: tfm.nm_sparse_linear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} residual(%{{.*}}) activation = gelu {m = 4 : i64, n = 2 : i64} : (tensor<2x3x8xf32>, tensor<2x4x4xf32>, tensor<2x2x4xi8>, tensor<8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
// CHECK: tfm.nm_sparse_linear %{{.*}}, %{{.*}}, %{{.*}} {m = 8 : i64, n = 4 : i64} : (tensor<1x16xf32>, tensor<2x8x4xf32>, tensor<2x2x4xi16>) -> tensor<1x8xf32>
func.func @nm_sparse_linear(%x: tensor<2x3x8xf32>, %v: tensor<2x4x4xf32>, %b: tensor<8xf32>, %r: tensor<2x3x8xf32>, %x2: tensor<1x16xf32>, %v2: tensor<2x8x4xf32>, %meta2: tensor<2x2x4xi16>) -> (tensor<2x3x8xf32>, tensor<1x8xf32>) {
  %meta = tfm.constant dense<8> : tensor<2x2x4xi8>
  %0 = tfm.nm_sparse_linear %x, %v, %meta, %b residual(%r) activation = gelu {n = 2 : i64, m = 4 : i64} : (tensor<2x3x8xf32>, tensor<2x4x4xf32>, tensor<2x2x4xi8>, tensor<8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %1 = tfm.nm_sparse_linear %x2, %v2, %meta2 {n = 4 : i64, m = 8 : i64} : (tensor<1x16xf32>, tensor<2x8x4xf32>, tensor<2x2x4xi16>) -> tensor<1x8xf32>
  return %0, %1 : tensor<2x3x8xf32>, tensor<1x8xf32>
}
