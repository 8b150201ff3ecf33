// RUN: tfm-opt %s --tfm-fuse-quantized --split-input-file | FileCheck %s

// MatMulInteger as imported (uint8 activations with a run-time zero point,
// an int8 weight the importer folded into an i32 constant), then its Cast:
// the product of the dequantized operands, the weight transposed into a
// linear at compile time.
// CHECK-LABEL: func.func @matmul_integer
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xui8>, %[[Z:.*]]: tensor<ui8>)
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense<{{\[}}[1, 3, -5], [2, 4, 6]]> : tensor<2x3xi8>
// CHECK-DAG: %[[ONE:.*]] = tfm.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[X:.*]] = tfm.dequantize %[[A]], %[[ONE]], %[[Z]] : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %{{.*}} : (tensor<2x3xi8>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: %[[L:.*]] = tfm.linear %[[X]], %[[W]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
// CHECK: return %[[L]]
func.func @matmul_integer(%a: tensor<2x3xui8>, %z: tensor<ui8>) -> tensor<2x2xf32> {
  %0 = tfm.cast %a : tensor<2x3xui8> to tensor<2x3xi32>
  %1 = tfm.cast %z : tensor<ui8> to tensor<i32>
  %2 = tfm.sub %0, %1 : (tensor<2x3xi32>, tensor<i32>) -> tensor<2x3xi32>
  %w = tfm.constant dense<[[1, 2], [3, 4], [-5, 6]]> : tensor<3x2xi32>
  %3 = tfm.matmul %2, %w : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
  %4 = tfm.cast %3 : tensor<2x2xi32> to tensor<2x2xf32>
  return %4 : tensor<2x2xf32>
}

// -----

// The weight's zero point one per column, the weight a run-time tensor:
// the product stays a matmul of dequantized operands, the zero point per
// index of the last axis.
// CHECK-LABEL: func.func @zero_point_per_column
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xi8>, %[[B:.*]]: tensor<3x4xui8>, %[[Z:.*]]: tensor<4xui8>)
// CHECK: %[[X:.*]] = tfm.dequantize %[[A]], %{{.*}} : (tensor<2x3xi8>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[B]], %{{.*}}, %[[Z]] {axis = 1 : i64} : (tensor<3x4xui8>, tensor<4xf32>, tensor<4xui8>) -> tensor<3x4xf32>
// CHECK: tfm.matmul %[[X]], %[[W]] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
func.func @zero_point_per_column(%a: tensor<2x3xi8>, %b: tensor<3x4xui8>, %z: tensor<4xui8>) -> tensor<2x4xf32> {
  %0 = tfm.cast %a : tensor<2x3xi8> to tensor<2x3xi32>
  %1 = tfm.cast %b : tensor<3x4xui8> to tensor<3x4xi32>
  %2 = tfm.cast %z : tensor<4xui8> to tensor<4xi32>
  %3 = tfm.sub %1, %2 : (tensor<3x4xi32>, tensor<4xi32>) -> tensor<3x4xi32>
  %4 = tfm.matmul %0, %3 : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  %5 = tfm.cast %4 : tensor<2x4xi32> to tensor<2x4xf32>
  return %5 : tensor<2x4xf32>
}

// -----

// The activations' zero point one per row: left as integers.
// CHECK-LABEL: func.func @zero_point_per_row
// CHECK: tfm.matmul %{{.*}} : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
// CHECK-NOT: tfm.dequantize
func.func @zero_point_per_row(%a: tensor<2x3xui8>, %z: tensor<2x1xui8>, %b: tensor<3x4xi8>) -> tensor<2x4xf32> {
  %0 = tfm.cast %a : tensor<2x3xui8> to tensor<2x3xi32>
  %1 = tfm.cast %z : tensor<2x1xui8> to tensor<2x1xi32>
  %2 = tfm.sub %0, %1 : (tensor<2x3xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  %3 = tfm.cast %b : tensor<3x4xi8> to tensor<3x4xi32>
  %4 = tfm.matmul %2, %3 : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  %5 = tfm.cast %4 : tensor<2x4xi32> to tensor<2x4xf32>
  return %5 : tensor<2x4xf32>
}

// -----

// An i32 product that is not 8-bit codes (a 16-bit operand) stays.
// CHECK-LABEL: func.func @not_eight_bit
// CHECK: tfm.matmul %{{.*}} : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
// CHECK-NOT: tfm.dequantize
func.func @not_eight_bit(%a: tensor<2x3xi16>, %b: tensor<3x4xi8>) -> tensor<2x4xf32> {
  %0 = tfm.cast %a : tensor<2x3xi16> to tensor<2x3xi32>
  %1 = tfm.cast %b : tensor<3x4xi8> to tensor<3x4xi32>
  %2 = tfm.matmul %0, %1 : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  %3 = tfm.cast %2 : tensor<2x4xi32> to tensor<2x4xf32>
  return %3 : tensor<2x4xf32>
}

// -----

// A QDQ weight [K, N] with one scale per column (axis 1) and a zero zero
// point: transposed into the linear's [N, K] at compile time, the axis
// with it; the zero point goes (a symmetric int8 weight).
// CHECK-LABEL: func.func @qdq_weight
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xf32>)
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense<{{\[}}[1, 3], [-2, 4], [5, -6]]> : tensor<3x2xi8>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]] {axis = 0 : i64} : (tensor<3x2xi8>, tensor<3xf32>) -> tensor<3x2xf32>
// CHECK: tfm.linear %[[X]], %[[W]] : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
func.func @qdq_weight(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %q = tfm.constant dense<[[1, -2, 5], [3, 4, -6]]> : tensor<2x3xi8>
  %s = tfm.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %z = tfm.constant dense<0> : tensor<3xi8>
  %w = tfm.dequantize %q, %s, %z {axis = 1 : i64} : (tensor<2x3xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xf32>
  %0 = tfm.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A blocked weight [K, N] (blocks along K): its scales transpose too
// (folded here).
// CHECK-LABEL: func.func @blocked_weight
// CHECK: %[[Q:.*]] = tfm.constant dense<{{\[}}[1, 4, 7, 10], [2, 5, 8, 11], [3, 6, 9, 12]]> : tensor<3x4xi8>
// CHECK: %[[ST:.*]] = tfm.constant dense<{{\[}}[1.000000e-01, 4.000000e-01], [2.000000e-01, 5.000000e-01], [3.000000e-01, 6.000000e-01]]> : tensor<3x2xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[ST]] {axis = 1 : i64, block_size = 2 : i64} : (tensor<3x4xi8>, tensor<3x2xf32>) -> tensor<3x4xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]]
func.func @blocked_weight(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %q = tfm.constant dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]> : tensor<4x3xi8>
  %s = tfm.constant dense<[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]> : tensor<2x3xf32>
  %w = tfm.dequantize %q, %s {axis = 0 : i64, block_size = 2 : i64} : (tensor<4x3xi8>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %0 = tfm.matmul %x, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// A run-time weight is not a linear's.
// CHECK-LABEL: func.func @runtime_weight
// CHECK: tfm.matmul
// CHECK-NOT: tfm.linear
func.func @runtime_weight(%x: tensor<4x2xf32>, %q: tensor<2x3xi8>, %s: tensor<f32>) -> tensor<4x3xf32> {
  %w = tfm.dequantize %q, %s : (tensor<2x3xi8>, tensor<f32>) -> tensor<2x3xf32>
  %0 = tfm.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// uint8 codes with a zero point of 128: symmetric int8 codes q - 128.
// CHECK-LABEL: func.func @symmetrize
// CHECK: %[[Q:.*]] = tfm.constant dense<{{\[}}[-128, 0], [127, 1]]> : tensor<2x2xi8>
// CHECK: tfm.dequantize %[[Q]], %{{.*}} : (tensor<2x2xi8>, tensor<f32>) -> tensor<2x2xf32>
func.func @symmetrize() -> tensor<2x2xf32> {
  %q = tfm.constant dense<[[0, 128], [255, 129]]> : tensor<2x2xui8>
  %s = tfm.constant dense<0.5> : tensor<f32>
  %z = tfm.constant dense<128> : tensor<ui8>
  %w = tfm.dequantize %q, %s, %z : (tensor<2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x2xf32>
  return %w : tensor<2x2xf32>
}

// -----

// Zero points per row (axis 0) whose q - z leave int8: kept.
// CHECK-LABEL: func.func @not_symmetric
// CHECK: tfm.dequantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x2xui8>, tensor<2xf32>, tensor<2xui8>)
func.func @not_symmetric() -> tensor<2x2xf32> {
  %q = tfm.constant dense<[[0, 255], [10, 20]]> : tensor<2x2xui8>
  %s = tfm.constant dense<0.5> : tensor<2xf32>
  %z = tfm.constant dense<[100, 10]> : tensor<2xui8>
  %w = tfm.dequantize %q, %s, %z {axis = 0 : i64} : (tensor<2x2xui8>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x2xf32>
  return %w : tensor<2x2xf32>
}

// -----

// ONNX Runtime's dynamic form: y = linear(dequantize(Qa, 1, Za), W) ·
// (s_a · s_w). The run-time s_a goes to the input's scale, the constant
// s_w to the weight's (1 · s_w folded here).
// CHECK-LABEL: func.func @scales
// CHECK-SAME: (%[[QA:.*]]: tensor<2x4xui8>, %[[SA:.*]]: tensor<f32>, %[[ZA:.*]]: tensor<ui8>)
// CHECK: %[[SW:.*]] = tfm.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[X:.*]] = tfm.dequantize %[[QA]], %[[SA]], %[[ZA]] : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %{{.*}}, %[[SW]] : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
// CHECK: %[[L:.*]] = tfm.linear %[[X]], %[[W]]
// CHECK-NOT: tfm.mul
// CHECK: return %[[L]]
func.func @scales(%qa: tensor<2x4xui8>, %sa: tensor<f32>, %za: tensor<ui8>) -> tensor<2x3xf32> {
  %one = tfm.constant dense<1.0> : tensor<f32>
  %x = tfm.dequantize %qa, %one, %za : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %q = tfm.constant dense<3> : tensor<3x4xi8>
  %w = tfm.dequantize %q, %one : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %sw = tfm.constant dense<0.25> : tensor<f32>
  %s = tfm.mul %sa, %sw : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %0 = tfm.mul %y, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A constant of one scale per feature goes to the weight, which becomes
// per feature (folded here).
// CHECK-LABEL: func.func @scales_per_feature
// CHECK: %[[SW:.*]] = tfm.constant dense<[5.000000e-01, 2.500000e-01, 2.000000e+00]> : tensor<3xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %{{.*}}, %[[SW]] {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
// CHECK: %[[L:.*]] = tfm.linear %{{.*}}, %[[W]]
// CHECK: return %[[L]]
func.func @scales_per_feature(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %one = tfm.constant dense<1.0> : tensor<f32>
  %q = tfm.constant dense<3> : tensor<3x4xi8>
  %w = tfm.dequantize %q, %one : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %c = tfm.constant dense<[[0.5, 0.25, 2.0]]> : tensor<1x3xf32>
  %0 = tfm.mul %y, %c : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A run-time scale per feature, or a scale after a bias: the mul stays.
// CHECK-LABEL: func.func @scales_kept
// CHECK: tfm.mul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: tfm.mul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
func.func @scales_kept(%x: tensor<2x4xf32>, %c: tensor<3xf32>, %s: tensor<f32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %one = tfm.constant dense<1.0> : tensor<f32>
  %q = tfm.constant dense<3> : tensor<3x4xi8>
  %w = tfm.dequantize %q, %one : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %0 = tfm.mul %y, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %z = tfm.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = tfm.mul %z, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A folded constant weight Q - Z whose columns only fit 8 bits one by one
// (an asymmetric per-column uint8 weight): uint8 codes Q = v + Z with one
// zero point per column (Z = -min of the column, clamped to [0, 255]).
// Spanning more than 255 in a column, it stays an i32 product.
// CHECK-LABEL: func.func @folded_per_column
// It then goes on as any quantized weight: a linear on the transposed
// codes, the zero points per feature.
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense<{{\[\[}}0, 200, 255], [255, 0, 55]]> : tensor<2x3xui8>
// CHECK-DAG: %[[Z:.*]] = tfm.constant dense<[200, 0]> : tensor<2xui8>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %{{.*}}, %[[Z]] {axis = 0 : i64} : (tensor<2x3xui8>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x3xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
// CHECK-NOT: xi32>
// CHECK-LABEL: func.func @too_wide
// CHECK: tfm.matmul %{{.*}} : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
func.func @folded_per_column(%a: tensor<2x3xui8>) -> tensor<2x2xf32> {
  %0 = tfm.cast %a : tensor<2x3xui8> to tensor<2x3xi32>
  %w = tfm.constant dense<[[-200, 255], [0, 0], [55, 55]]> : tensor<3x2xi32>
  %1 = tfm.matmul %0, %w : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
  %2 = tfm.cast %1 : tensor<2x2xi32> to tensor<2x2xf32>
  return %2 : tensor<2x2xf32>
}
func.func @too_wide(%a: tensor<2x3xui8>) -> tensor<2x2xf32> {
  %0 = tfm.cast %a : tensor<2x3xui8> to tensor<2x3xi32>
  %w = tfm.constant dense<[[-200, 255], [0, 0], [56, -1]]> : tensor<3x2xi32>
  %1 = tfm.matmul %0, %w : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
  %2 = tfm.cast %1 : tensor<2x2xi32> to tensor<2x2xf32>
  return %2 : tensor<2x2xf32>
}
