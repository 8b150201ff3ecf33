// RUN: tfm-opt %s --tfm-fuse-linear --split-input-file | FileCheck %s

// MatMul by a constant weight, bias, GELU and residual: one linear with the
// weight in [N, K] (the transpose of a small constant folds at once).
// CHECK-LABEL: func.func @mlp_block
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x2xf32>, %[[R:.*]]: tensor<2x4x3xf32>)
// CHECK-DAG: %[[B:.*]] = tfm.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[WT:.*]] = tfm.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: %[[Y:.*]] = tfm.linear %[[X]], %[[WT]], %[[B]] residual(%[[R]]) activation = gelu
// CHECK-NEXT: return %[[Y]]
func.func @mlp_block(%x: tensor<2x4x2xf32>, %r: tensor<2x4x3xf32>) -> tensor<2x4x3xf32> {
  %w = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = tfm.constant dense<[[0.1, 0.2, 0.3]]> : tensor<1x3xf32>
  %0 = tfm.matmul %x, %w : (tensor<2x4x2xf32>, tensor<2x3xf32>) -> tensor<2x4x3xf32>
  %1 = tfm.add %b, %0 : (tensor<1x3xf32>, tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %2 = tfm.gelu %1 : tensor<2x4x3xf32>
  %3 = tfm.add %r, %2 : (tensor<2x4x3xf32>, tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  return %3 : tensor<2x4x3xf32>
}

// -----

// A scale after the linear goes into its weight and bias (here folded).
// CHECK-LABEL: func.func @scaled
// CHECK-DAG: %[[B:.*]] = tfm.constant dense<2.500000e-02> : tensor<16xf32>
// CHECK-DAG: %[[W:.*]] = tfm.constant dense<1.250000e-01> : tensor<16x8xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]], %[[B]] :
// CHECK-NOT: tfm.div
func.func @scaled(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = tfm.constant dense<0.5> : tensor<8x16xf32>
  %b = tfm.constant dense<0.1> : tensor<16xf32>
  %c = tfm.constant dense<4.0> : tensor<f32>
  %0 = tfm.matmul %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = tfm.add %0, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %2 = tfm.div %1, %c : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}

// -----

// Negative: the product is also a graph output, so nothing joins it.
// CHECK-LABEL: func.func @extra_consumer
// CHECK: %[[L:.*]] = tfm.linear %{{.*}}, %{{.*}} :
// CHECK: tfm.add %[[L]]
func.func @extra_consumer(%x: tensor<4x8xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %w = tfm.constant dense<0.5> : tensor<8x16xf32>
  %b = tfm.constant dense<0.1> : tensor<16xf32>
  %0 = tfm.matmul %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = tfm.add %0, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %1, %0 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// Negative: an add after the activation that is bias-shaped is neither a
// bias (it comes after the activation) nor a residual (wrong shape).
// CHECK-LABEL: func.func @bias_after_activation
// CHECK: tfm.linear %{{.*}}, %{{.*}} activation = relu
// CHECK: tfm.add
func.func @bias_after_activation(%x: tensor<4x8xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %w = tfm.constant dense<0.5> : tensor<8x16xf32>
  %0 = tfm.matmul %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = tfm.relu %0 : tensor<4x16xf32>
  %2 = tfm.add %1, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}

// -----

// Negative: a product of two activations is not a linear layer.
// CHECK-LABEL: func.func @activation_product
// CHECK: tfm.matmul
// CHECK-NOT: tfm.linear
func.func @activation_product(%x: tensor<4x8xf32>, %y: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = tfm.matmul %x, %y : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A residual computed after the product (here from the product's own
// input): the linear moves down to the add, so that every operand it takes
// is defined before it (found by the differential tester).
// CHECK-LABEL: func.func @residual_defined_later
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK: %[[R:.*]] = tfm.tanh %[[X]]
// CHECK-NEXT: %[[Y:.*]] = tfm.linear %[[X]], %{{.*}} residual(%[[R]])
// CHECK-NEXT: return %[[Y]]
func.func @residual_defined_later(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = tfm.constant dense<0.5> : tensor<4x4xf32>
  %0 = tfm.matmul %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %r = tfm.tanh %x : tensor<2x4xf32>
  %1 = tfm.add %0, %r : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// With one row, a [1, 1, N] tensor is a bias; its [N] view is made before
// the linear, which moves down to the add.
// CHECK-LABEL: func.func @row_as_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x4xf32>)
// CHECK: %[[B:.*]] = tfm.reshape %[[X]] : tensor<1x1x4xf32> -> tensor<4xf32>
// CHECK-NEXT: %[[Y:.*]] = tfm.linear %[[X]], %{{.*}}, %[[B]] :
// CHECK-NEXT: return %[[Y]]
func.func @row_as_bias(%x: tensor<1x1x4xf32>) -> tensor<1x1x4xf32> {
  %w = tfm.constant dense<0.5> : tensor<4x4xf32>
  %0 = tfm.matmul %x, %w : (tensor<1x1x4xf32>, tensor<4x4xf32>) -> tensor<1x1x4xf32>
  %1 = tfm.add %0, %x : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  return %1 : tensor<1x1x4xf32>
}

// -----

// A scale after a linear with a bias: the scaled operands are made at the
// scale, and the linear moves down to them.
// CHECK-LABEL: func.func @scale_after_bias
// CHECK: %[[W:.*]] = tfm.mul
// CHECK: %[[B:.*]] = tfm.mul
// CHECK-NEXT: %[[Y:.*]] = tfm.linear %{{.*}}, %[[W]], %[[B]] :
// CHECK-NEXT: return %[[Y]]
func.func @scale_after_bias(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %c = tfm.constant dense<0.5> : tensor<f32>
  %0 = tfm.linear %x, %w, %b : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = tfm.mul %0, %c : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// A scale after a linear with a quantized weight goes into the weight's
// scales: the weight stays quantized.
// CHECK-LABEL: func.func @scale_quantized_weight
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[Q:.*]]: tensor<3x4xi8>, %[[S:.*]]: tensor<3xf32>)
// CHECK: %[[C:.*]] = tfm.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[S2:.*]] = tfm.mul %[[S]], %[[C]]
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S2]] {axis = 0 : i64}
// CHECK: %[[L:.*]] = tfm.linear %[[X]], %[[W]]
// CHECK-NOT: tfm.mul
// CHECK: return %[[L]]
func.func @scale_quantized_weight(%x: tensor<2x4xf32>, %q: tensor<3x4xi8>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %w = tfm.dequantize %q, %s {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
  %0 = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %c = tfm.constant dense<0.5> : tensor<f32>
  %1 = tfm.mul %0, %c : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Over dynamic rows: the same linear with its epilogue.
// CHECK-LABEL: func.func @mlp_block_dynamic_rows
// CHECK: tfm.linear %arg0, %{{.*}}, %{{.*}} residual(%arg1) activation = gelu : (tensor<2x?x2xf32>, tensor<3x2xf32>, tensor<3xf32>, tensor<2x?x3xf32>) -> tensor<2x?x3xf32>
// CHECK-NOT: tfm.matmul
func.func @mlp_block_dynamic_rows(%x: tensor<2x?x2xf32>, %r: tensor<2x?x3xf32>) -> tensor<2x?x3xf32> {
  %w = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = tfm.constant dense<[[0.1, 0.2, 0.3]]> : tensor<1x3xf32>
  %0 = tfm.matmul %x, %w : (tensor<2x?x2xf32>, tensor<2x3xf32>) -> tensor<2x?x3xf32>
  %1 = tfm.add %b, %0 : (tensor<1x3xf32>, tensor<2x?x3xf32>) -> tensor<2x?x3xf32>
  %2 = tfm.gelu %1 : tensor<2x?x3xf32>
  %3 = tfm.add %r, %2 : (tensor<2x?x3xf32>, tensor<2x?x3xf32>) -> tensor<2x?x3xf32>
  return %3 : tensor<2x?x3xf32>
}
