// RUN: tfm-opt %s -split-input-file -verify-diagnostics -tfm-refine-shapes | FileCheck %s
// RUN: tfm-opt %s -split-input-file -verify-diagnostics -tfm-refine-shapes=update-signatures=false | FileCheck %s --check-prefix=KEEP

// Dynamic dimensions become static through a chain of ops, and the function
// returns the refined type.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: -> tensor<2x16xf32>
// CHECK: tfm.add %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// CHECK: tfm.gelu %{{.*}} : tensor<2x8xf32>
// CHECK: tfm.linear %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<16x8xf32>) -> tensor<2x16xf32>
// CHECK: return %{{.*}} : tensor<2x16xf32>
// Without signature updates the function keeps its type through a cast.
// KEEP-LABEL: func.func @chain
// KEEP-SAME: -> tensor<?x16xf32>
// KEEP: %[[L:.*]] = tfm.linear {{.*}} -> tensor<2x16xf32>
// KEEP: %[[C:.*]] = tensor.cast %[[L]] : tensor<2x16xf32> to tensor<?x16xf32>
// KEEP: return %[[C]] : tensor<?x16xf32>
func.func @chain(%x: tensor<2x8xf32>, %b: tensor<8xf32>, %w: tensor<16x8xf32>) -> tensor<?x16xf32> {
  %0 = tfm.add %x, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = tfm.gelu %0 : tensor<?x8xf32>
  %2 = tfm.linear %1, %w : (tensor<?x8xf32>, tensor<16x8xf32>) -> tensor<?x16xf32>
  return %2 : tensor<?x16xf32>
}

// -----

// cast takes its input's shape; a reshape's single unknown dimension
// follows from the element count, and the ops after it refine from there.
// CHECK-LABEL: func.func @given_types
// CHECK-SAME: -> tensor<1x1x1x128xf32>
// CHECK: tfm.cast %{{.*}} : tensor<1x128xi64> to tensor<1x128xf32>
// CHECK: tfm.reshape %{{.*}} : tensor<1x128xf32> -> tensor<1x1x1x128xf32>
// CHECK: tfm.mul %{{.*}}, %{{.*}} : (tensor<1x1x1x128xf32>, tensor<f32>) -> tensor<1x1x1x128xf32>
func.func @given_types(%mask: tensor<1x128xi64>, %s: tensor<f32>) -> tensor<1x1x1x?xf32> {
  %0 = tfm.cast %mask : tensor<1x128xi64> to tensor<?x?xf32>
  %1 = tfm.reshape %0 : tensor<?x?xf32> -> tensor<1x1x1x?xf32>
  %2 = tfm.mul %1, %s : (tensor<1x1x1x?xf32>, tensor<f32>) -> tensor<1x1x1x?xf32>
  return %2 : tensor<1x1x1x?xf32>
}

// -----

// Declared result types take the dimensions their input determines.
// CHECK-LABEL: func.func @declared_results
// CHECK: tfm.split %{{.*}} axis = 2 : tensor<1x8x96xf32> -> tensor<1x8x32xf32>, tensor<1x8x64xf32>
// CHECK: tfm.expand %{{.*}} : tensor<1x8xi64> -> tensor<4x8xi64>
// CHECK: tfm.reshape %{{.*}} : tensor<1x8x32xf32> -> tensor<1x8x4x8xf32>
// A reshape with two unknown dimensions stays as it is.
// CHECK: tfm.reshape %{{.*}} : tensor<1x8x64xf32> -> tensor<1x?x?xf32>
func.func @declared_results(%x: tensor<1x8x96xf32>, %p: tensor<1x8xi64>) -> (tensor<4x?xi64>, tensor<1x8x?x8xf32>, tensor<1x?x?xf32>) {
  %a, %b = tfm.split %x axis = 2 : tensor<1x8x96xf32> -> tensor<?x?x32xf32>, tensor<?x?x64xf32>
  %e = tfm.expand %p : tensor<1x8xi64> -> tensor<4x?xi64>
  %r = tfm.reshape %a : tensor<?x?x32xf32> -> tensor<1x8x?x8xf32>
  %r2 = tfm.reshape %b : tensor<?x?x64xf32> -> tensor<1x?x?xf32>
  return %e, %r, %r2 : tensor<4x?xi64>, tensor<1x8x?x8xf32>, tensor<1x?x?xf32>
}

// -----

// A function that is called keeps its signature; its body still refines.
// CHECK-LABEL: func.func private @callee
// CHECK-SAME: -> tensor<?xf32>
// CHECK: %[[A:.*]] = tfm.add %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tfm.exp %[[A]] : tensor<4xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[E]] : tensor<4xf32> to tensor<?xf32>
// CHECK: return %[[C]]
func.func private @callee(%x: tensor<4xf32>) -> tensor<?xf32> {
  %0 = tfm.add %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<?xf32>
  %1 = tfm.exp %0 : tensor<?xf32>
  return %1 : tensor<?xf32>
}
// CHECK-LABEL: func.func @caller
func.func @caller(%x: tensor<4xf32>) -> tensor<?xf32> {
  %0 = call @callee(%x) : (tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Refined operands that no longer fit an op are reported at that op.
func.func @conflict(%x: tensor<3xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tfm.add %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<?xf32>
  // expected-error @+1 {{'tfm.add' op add_c2: shapes lhs [3], rhs [4] are not broadcast-compatible}}
  %1 = tfm.add %0, %y : (tensor<?xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
