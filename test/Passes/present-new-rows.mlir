// RUN: tfm-opt %s -split-input-file -tfm-present-new-rows | FileCheck %s

// A result appending rows to an argument returns the rows; the function
// type follows, the result's name stays.
// CHECK-LABEL: func.func @present
// CHECK-SAME: -> (tensor<1x4x1x8xf32>, tensor<1x2x1x8xf32> {tfm.name = "present.0.key"}, tensor<1x2x16x8xf32>)
func.func @present(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x1x8xf32>, %pk: tensor<1x2x15x8xf32>) -> (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32> {tfm.name = "present.0.key"}, tensor<1x2x16x8xf32>) {
  // CHECK: %[[KK:.*]] = tfm.concat %arg2, %arg1 axis = 2
  // CHECK: %[[OTHER:.*]] = tfm.concat %[[NEG:.*]], %arg2 axis = 2
  // CHECK: return %arg0, %arg1, %[[OTHER]]
  %kk = tfm.concat %pk, %k axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  // Appending to something that is not an argument stays.
  %neg = tfm.neg %k : tensor<1x2x1x8xf32>
  %other = tfm.concat %neg, %pk axis = 2 : (tensor<1x2x1x8xf32>, tensor<1x2x15x8xf32>) -> tensor<1x2x16x8xf32>
  return %q, %kk, %other : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>
}
