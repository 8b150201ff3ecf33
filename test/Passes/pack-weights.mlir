// RUN: tfm-opt %s --tfm-pack-weights="panel-width=2" --split-input-file | FileCheck %s
// RUN: tfm-opt %s --tfm-pack-weights --split-input-file | FileCheck %s --check-prefix=W16
// RUN: not tfm-opt %s --tfm-pack-weights="panel-width=-1" --split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: tfm-pack-weights: panel-width must be positive (or 0: the target's), got -1

// A constant [N, K] = [3, 2] weight becomes ceil(3 / 2) = 2 panels of 2
// features: panel 0 holds rows 0 and 1, panel 1 row 2 and a zero row,
// each K step one contiguous pair. The old weight goes.
// CHECK-LABEL: func.func @constant
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[WP:.*]] = tfm.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]], {{\[\[}}5.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NOT: tensor<3x2xf32>
// CHECK: %[[Y:.*]] = tfm.linear %[[X]], %[[WP]], %[[B]] activation = relu {out_features = 3 : i64} : (tensor<4x2xf32>, tensor<2x2x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK: return %[[Y]]
// W16-LABEL: func.func @constant
// W16: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} activation = relu : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>)
func.func @constant(%x: tensor<4x2xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %w = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %y = tfm.linear %x, %w, %b activation = relu : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// A weight read through transpose([K, N]) (a fused MatMul) packs from the
// [K, N] matrix: the same panels as above. Both the transpose and the
// matrix go.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: tfm.transpose
// CHECK: %[[WP:.*]] = tfm.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]], {{\[\[}}5.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NOT: tfm.transpose
// CHECK: tfm.linear %{{.*}}, %[[WP]] {out_features = 3 : i64}
func.func @transposed(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %kn = tfm.constant dense<[[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]> : tensor<2x3xf32>
  %w = tfm.transpose %kn perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %y = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Linears sharing a weight share its packed form.
// CHECK-LABEL: func.func @shared
// CHECK: %[[WP:.*]] = tfm.constant dense<{{.*}}> : tensor<1x2x2xf32>
// CHECK-NOT: tfm.constant
// CHECK: tfm.linear %{{.*}}, %[[WP]] {out_features = 2 : i64}
// CHECK: tfm.linear %{{.*}}, %[[WP]] {out_features = 2 : i64}
func.func @shared(%x: tensor<4x2xf32>, %z: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %w = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %b = tfm.linear %z, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %a, %b : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// Left alone: a weight computed at run time, a weight with fewer features
// than a panel, and one already packed.
// CHECK-LABEL: func.func @not_packed
// CHECK: tfm.linear %{{.*}}, %{{.*}} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
// CHECK: tfm.linear %{{.*}}, %{{.*}} : (tensor<4x2xf32>, tensor<1x2xf32>) -> tensor<4x1xf32>
// CHECK: tfm.linear %{{.*}}, %{{.*}} {out_features = 3 : i64} : (tensor<4x2xf32>, tensor<2x2x2xf32>) -> tensor<4x3xf32>
func.func @not_packed(%x: tensor<4x2xf32>, %w: tensor<3x2xf32>, %p: tensor<2x2x2xf32>) -> (tensor<4x3xf32>, tensor<4x1xf32>, tensor<4x3xf32>) {
  %a = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  %narrow = tfm.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %b = tfm.linear %x, %narrow : (tensor<4x2xf32>, tensor<1x2xf32>) -> tensor<4x1xf32>
  %c = tfm.linear %x, %p {out_features = 3 : i64} : (tensor<4x2xf32>, tensor<2x2x2xf32>) -> tensor<4x3xf32>
  return %a, %b, %c : tensor<4x3xf32>, tensor<4x1xf32>, tensor<4x3xf32>
}

// -----

// One square constant read both directly and through a transpose: two
// packed forms (the panels of W and of Wᵀ), and the constant and the
// transpose go.
// CHECK-LABEL: func.func @direct_and_transposed
// CHECK-NOT: tensor<2x2xf32>
// CHECK-DAG: %[[P1:.*]] = tfm.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>
// CHECK-DAG: %[[P2:.*]] = tfm.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>
// CHECK-NOT: tfm.transpose
// CHECK: tfm.linear %{{.*}}, %[[P1]] {out_features = 2 : i64}
// CHECK: tfm.linear %{{.*}}, %[[P2]] {out_features = 2 : i64}
func.func @direct_and_transposed(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %w = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %wt = tfm.transpose %w perm = [1, 0] : tensor<2x2xf32> -> tensor<2x2xf32>
  %a = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %b = tfm.linear %x, %wt : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %a, %b : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// A per-feature int8 weight packs like a float one: Q in panels, its
// scales as [P, 1, w] blocks of K along axis 1 (1 past N), a new
// dequantize of the panels; the old Q, S and dequantize go. A per-tensor
// scale stays as it is.
// CHECK-LABEL: func.func @quantized
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<{{\[\[\[}}5.000000e-01, 2.500000e-01]], {{\[\[}}1.250000e-01, 1.000000e+00]]]> : tensor<2x1x2xf32>
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense<{{\[\[\[}}1, 3], [2, 4]], {{\[\[}}5, 0], [6, 0]]]> : tensor<2x2x2xi8>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]] {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x2x2xi8>, tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]] {out_features = 3 : i64} : (tensor<4x2xf32>, tensor<2x2x2xf32>) -> tensor<4x3xf32>
// CHECK: %[[T:.*]] = tfm.dequantize %{{.*}}, %{{.*}} : (tensor<2x2x2xi8>, tensor<f32>) -> tensor<2x2x2xf32>
// CHECK: tfm.linear %{{.*}}, %[[T]] {out_features = 3 : i64}
// CHECK-NOT: tensor<3x2xi8>
func.func @quantized(%x: tensor<4x2xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %q = tfm.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %s = tfm.constant dense<[0.5, 0.25, 0.125]> : tensor<3xf32>
  %w = tfm.dequantize %q, %s {axis = 0 : i64} : (tensor<3x2xi8>, tensor<3xf32>) -> tensor<3x2xf32>
  %a = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  %t = tfm.constant dense<0.5> : tensor<f32>
  %wt = tfm.dequantize %q, %t : (tensor<3x2xi8>, tensor<f32>) -> tensor<3x2xf32>
  %b = tfm.linear %x, %wt : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %a, %b : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// A weight quantized in blocks along K (int4-weights): codes, scales and
// zero points all in panels, zero past N, still blocked along axis 1.
// CHECK-LABEL: func.func @block_quantized
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense<{{\[\[\[}}1, 5], [2, 6], [3, 7], [4, 8]], {{\[\[}}9, 0], [10, 0], [11, 0], [12, 0]]]> : tensor<2x4x2xui4>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<{{\[\[\[}}5.000000e-01, 2.500000e+00], [1.500000e+00, 3.500000e+00]], {{\[\[}}4.500000e+00, 0.000000e+00], [5.500000e+00, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-DAG: %[[Z:.*]] = tfm.constant dense<{{\[\[\[}}1, 3], [2, 4]], {{\[\[}}5, 0], [6, 0]]]> : tensor<2x2x2xui4>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]], %[[Z]] {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x4x2xui4>, tensor<2x2x2xf32>, tensor<2x2x2xui4>) -> tensor<2x4x2xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]] {out_features = 3 : i64} : (tensor<5x4xf32>, tensor<2x4x2xf32>) -> tensor<5x3xf32>
// CHECK-NOT: tensor<3x4xui4>
func.func @block_quantized(%x: tensor<5x4xf32>) -> tensor<5x3xf32> {
  %q = tfm.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]> : tensor<3x4xui4>
  %s = tfm.constant dense<[[0.5, 1.5], [2.5, 3.5], [4.5, 5.5]]> : tensor<3x2xf32>
  %z = tfm.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xui4>
  %w = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<3x4xui4>, tensor<3x2xf32>, tensor<3x2xui4>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<5x4xf32>, tensor<3x4xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// A narrow float weight read through a widening cast (bf16, f16 modes):
// the bf16 constant goes into panels (zero past N), read through a new
// cast; the old constant and cast go.
// CHECK-LABEL: func.func @widened
// CHECK: %[[P:.*]] = tfm.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]], {{\[\[}}5.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]]> : tensor<2x2x2xbf16>
// CHECK: %[[W:.*]] = tfm.cast %[[P]] : tensor<2x2x2xbf16> to tensor<2x2x2xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]] {out_features = 3 : i64} : (tensor<4x2xf32>, tensor<2x2x2xf32>) -> tensor<4x3xf32>
// CHECK-NOT: tensor<3x2xbf16>
func.func @widened(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w16 = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xbf16>
  %w = tfm.cast %w16 : tensor<3x2xbf16> to tensor<3x2xf32>
  %a = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %a : tensor<4x3xf32>
}

// -----

// Per-feature zero points pack with their scales: [P, 1, w], 0 past N.
// CHECK-LABEL: func.func @zero_points
// CHECK-DAG: %[[Z:.*]] = tfm.constant dense<{{\[\[\[}}128, 200]], {{\[\[}}7, 0]]]> : tensor<2x1x2xui8>
// CHECK: tfm.dequantize %{{.*}}, %{{.*}}, %[[Z]] {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x2x2xui8>, tensor<2x1x2xf32>, tensor<2x1x2xui8>) -> tensor<2x2x2xf32>
func.func @zero_points(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %q = tfm.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xui8>
  %s = tfm.constant dense<[0.5, 0.25, 0.125]> : tensor<3xf32>
  %z = tfm.constant dense<[128, 200, 7]> : tensor<3xui8>
  %w = tfm.dequantize %q, %s, %z {axis = 0 : i64} : (tensor<3x2xui8>, tensor<3xf32>, tensor<3xui8>) -> tensor<3x2xf32>
  %a = tfm.linear %x, %w : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %a : tensor<4x3xf32>
}
