// RUN: tfm-opt %s --tfm-eliminate-dead-nodes --split-input-file | FileCheck %s

// Unused ops and weights go; identities and transpose/reshape chains
// collapse; duplicates merge; inputs and outputs stay.
// CHECK-LABEL: func.func @cleanup
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[UNUSED:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[E:.*]] = tfm.exp %[[X]] : tensor<2x3xf32>
// CHECK-NEXT: %[[S:.*]] = tfm.add %[[E]], %[[E]]
// CHECK-NEXT: return %[[S]], %[[X]]
func.func @cleanup(%x: tensor<2x3xf32>, %unused: tensor<4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = tfm.constant dense<1.0> : tensor<64x64xf32>
  %zero = tfm.constant dense<0.0> : tensor<f32>
  %dead = tfm.tanh %x : tensor<2x3xf32>
  %t0 = tfm.transpose %x perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %t1 = tfm.transpose %t0 perm = [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  %r0 = tfm.reshape %t1 : tensor<2x3xf32> -> tensor<6xf32>
  %r1 = tfm.reshape %r0 : tensor<6xf32> -> tensor<2x3xf32>
  %c = tfm.cast %r1 : tensor<2x3xf32> to tensor<2x3xf32>
  %a = tfm.add %c, %zero : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %e1 = tfm.exp %a : tensor<2x3xf32>
  %e2 = tfm.exp %x : tensor<2x3xf32>
  %s = tfm.add %e1, %e2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %s, %x : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Constant subexpressions are left to tfm-fold-constants.
// CHECK-LABEL: func.func @keeps_constant_math
// CHECK: tfm.add
func.func @keeps_constant_math(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = tfm.constant dense<1.0> : tensor<4xf32>
  %b = tfm.add %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = tfm.mul %x, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}
