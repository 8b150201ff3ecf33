// Round-trip of quantize and dequantize in each granularity, and the
// folding of quantize over constants.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -canonicalize | FileCheck %s --check-prefix=FOLD

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[S:.*]]: tensor<f32>, %[[Z:.*]]: tensor<ui8>)
func.func @per_tensor(%x: tensor<2x4xf32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2x4xf32> {
  // CHECK: %[[Q:.*]] = tfm.quantize %[[X]], %[[S]], %[[Z]] : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %q = tfm.quantize %x, %s, %z : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  // CHECK: tfm.dequantize %[[Q]], %[[S]], %[[Z]] : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %d = tfm.dequantize %q, %s, %z : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @per_axis
func.func @per_axis(%q: tensor<32x64xi8>, %s: tensor<32xf16>) -> tensor<32x64xf16> {
  // CHECK: tfm.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<32x64xi8>, tensor<32xf16>) -> tensor<32x64xf16>
  %w = tfm.dequantize %q, %s {axis = 0 : i64} : (tensor<32x64xi8>, tensor<32xf16>) -> tensor<32x64xf16>
  return %w : tensor<32x64xf16>
}

// -----

// Blocks of 32 along K = 80: three blocks, the last of 16.
// CHECK-LABEL: func.func @blocked
func.func @blocked(%q: tensor<8x80xi8>, %s: tensor<8x3xf32>, %z: tensor<8x3xi8>) -> tensor<8x80xf32> {
  // CHECK: tfm.dequantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, block_size = 32 : i64} : (tensor<8x80xi8>, tensor<8x3xf32>, tensor<8x3xi8>) -> tensor<8x80xf32>
  %w = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 32 : i64} : (tensor<8x80xi8>, tensor<8x3xf32>, tensor<8x3xi8>) -> tensor<8x80xf32>
  return %w : tensor<8x80xf32>
}

// -----

// Dynamic dimensions agree with anything.
// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%x: tensor<?x64xbf16>, %s: tensor<?xbf16>) -> tensor<?x64xi8> {
  // CHECK: tfm.quantize %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<?x64xbf16>, tensor<?xbf16>) -> tensor<?x64xi8>
  %q = tfm.quantize %x, %s {axis = 0 : i64} : (tensor<?x64xbf16>, tensor<?xbf16>) -> tensor<?x64xi8>
  return %q : tensor<?x64xi8>
}

// -----

// Quantize folds over constants: x / s rounded half to even (2.5 -> 2,
// -2.5 -> -2, 3.5 -> 4, 10.5 -> 10), plus the zero point, saturated
// (1000 -> 127, -1000 -> -128).
// FOLD-LABEL: func.func @fold_per_tensor
// FOLD-DAG: %[[Z:.*]] = tfm.constant dense<[3, -1, 5, 127, -128, 11]> : tensor<6xi8>
// FOLD-DAG: %[[C:.*]] = tfm.constant dense<[2, -2, 4, 127, -128, 10]> : tensor<6xi8>
// FOLD: return %[[Z]], %[[C]]
func.func @fold_per_tensor() -> (tensor<6xi8>, tensor<6xi8>) {
  %x = tfm.constant dense<[5.0, -5.0, 7.0, 1000.0, -1000.0, 21.0]> : tensor<6xf32>
  %s = tfm.constant dense<2.0> : tensor<f32>
  %z = tfm.constant dense<1> : tensor<i8>
  %q = tfm.quantize %x, %s, %z : (tensor<6xf32>, tensor<f32>, tensor<i8>) -> tensor<6xi8>
  %r = tfm.quantize %x, %s : (tensor<6xf32>, tensor<f32>) -> tensor<6xi8>
  return %q, %r : tensor<6xi8>, tensor<6xi8>
}

// -----

// Per axis 0 and in blocks of 2 along axis 1 (the last block of one), into
// ui8 with zero points: [[1, 2, 3], [4, 5, 6]] / [[1, 2], [4, 8]] + zp.
// FOLD-LABEL: func.func @fold_blocked
// FOLD: tfm.constant dense<{{\[\[}}1, 2, 2], [1, 1, 1]]> : tensor<2x3xi8>
// FOLD: tfm.constant dense<{{\[\[}}11, 12, 13], [21, 21, 22]]> : tensor<2x3xui8>
func.func @fold_blocked() -> (tensor<2x3xi8>, tensor<2x3xui8>) {
  %x = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %s = tfm.constant dense<[[1.0, 2.0], [4.0, 8.0]]> : tensor<2x2xf32>
  %q = tfm.quantize %x, %s {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x3xi8>
  %sa = tfm.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %za = tfm.constant dense<[10, 20]> : tensor<2xui8>
  %r = tfm.quantize %x, %sa, %za {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x3xui8>
  return %q, %r : tensor<2x3xi8>, tensor<2x3xui8>
}

// -----

// A dequantized constant is a quantized weight: it stays as it is.
// FOLD-LABEL: func.func @no_fold_dequantize
// FOLD: tfm.dequantize
func.func @no_fold_dequantize() -> tensor<2xf32> {
  %q = tfm.constant dense<[1, -3]> : tensor<2xi8>
  %s = tfm.constant dense<0.5> : tensor<f32>
  %d = tfm.dequantize %q, %s : (tensor<2xi8>, tensor<f32>) -> tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

// 4-bit codes (int4-weights, MatMulNBits): constants of ui4 and i4, one
// value per byte; blocked along K with zero points of the codes' type.
// CHECK-LABEL: func.func @four_bit
// CHECK: tfm.constant dense<{{\[\[}}0, 15, 7, 8]]> : tensor<1x4xui4>
// CHECK: tfm.dequantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, block_size = 2 : i64} : (tensor<1x4xui4>, tensor<1x2xf32>, tensor<1x2xui4>) -> tensor<1x4xf32>
// CHECK: tfm.constant dense<{{\[\[}}-8, 7, 0, -1]]> : tensor<1x4xi4>
// FOLD-LABEL: func.func @four_bit
// FOLD: tfm.constant dense<[-8, 7, 2, -1]> : tensor<4xi4>
func.func @four_bit(%s: tensor<1x2xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>, tensor<4xi4>) {
  %q = tfm.constant dense<[[0, 15, 7, 8]]> : tensor<1x4xui4>
  %z = tfm.constant dense<[[8, 3]]> : tensor<1x2xui4>
  %d = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<1x4xui4>, tensor<1x2xf32>, tensor<1x2xui4>) -> tensor<1x4xf32>
  %qi = tfm.constant dense<[[-8, 7, 0, -1]]> : tensor<1x4xi4>
  %e = tfm.dequantize %qi, %s {axis = 1 : i64, block_size = 2 : i64} : (tensor<1x4xi4>, tensor<1x2xf32>) -> tensor<1x4xf32>
  // Saturated to [-8, 7].
  %x = tfm.constant dense<[-100.0, 100.0, 2.0, -1.0]> : tensor<4xf32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %f = tfm.quantize %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xi4>
  return %d, %e, %f : tensor<1x4xf32>, tensor<1x4xf32>, tensor<4xi4>
}
