// Round-trip of the data-movement ops: custom form, then generic form.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// Head plumbing: [B, S, H*D] -> [B, S, H, D] -> [B, H, S, D].
// CHECK-LABEL: func.func @reshape_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x128x768xf32>)
func.func @reshape_transpose(%x: tensor<1x128x768xf32>) -> tensor<1x12x128x64xf32> {
  // CHECK: %[[R:.*]] = tfm.reshape %[[X]] : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
  %0 = tfm.reshape %x : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
  // CHECK: tfm.transpose %[[R]] perm = [0, 2, 1, 3] : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  %1 = tfm.transpose %0 perm = [0, 2, 1, 3] : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  return %1 : tensor<1x12x128x64xf32>
}

// -----

// CHECK-LABEL: func.func @expand
func.func @expand(%p: tensor<1x128xi64>, %s: tensor<f32>) -> (tensor<4x128xi64>, tensor<2x3xf32>) {
  // CHECK: tfm.expand %{{.*}} : tensor<1x128xi64> -> tensor<4x128xi64>
  %0 = tfm.expand %p : tensor<1x128xi64> -> tensor<4x128xi64>
  // CHECK: tfm.expand %{{.*}} : tensor<f32> -> tensor<2x3xf32>
  %1 = tfm.expand %s : tensor<f32> -> tensor<2x3xf32>
  return %0, %1 : tensor<4x128xi64>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat_split
// CHECK-SAME: (%[[A:.*]]: tensor<1x64xf32>, %[[B:.*]]: tensor<1x32xf32>)
func.func @concat_split(%a: tensor<1x64xf32>, %b: tensor<1x32xf32>) -> (tensor<1x40xf32>, tensor<1x56xf32>) {
  // CHECK: %[[C:.*]] = tfm.concat %[[A]], %[[B]] axis = 1 : (tensor<1x64xf32>, tensor<1x32xf32>) -> tensor<1x96xf32>
  %0 = tfm.concat %a, %b axis = 1 : (tensor<1x64xf32>, tensor<1x32xf32>) -> tensor<1x96xf32>
  // CHECK: %{{.*}}:2 = tfm.split %[[C]] axis = 1 : tensor<1x96xf32> -> tensor<1x40xf32>, tensor<1x56xf32>
  %1:2 = tfm.split %0 axis = 1 : tensor<1x96xf32> -> tensor<1x40xf32>, tensor<1x56xf32>
  return %1#0, %1#1 : tensor<1x40xf32>, tensor<1x56xf32>
}

// -----

// CHECK-LABEL: func.func @slice
func.func @slice(%x: tensor<1x128x64xf32>) -> (tensor<1x128x32xf32>, tensor<1x64x22xf32>) {
  // CHECK: tfm.slice %{{.*}} starts = [0, 0, 0] limits = [1, 128, 32] strides = [1, 1, 1] : tensor<1x128x64xf32> -> tensor<1x128x32xf32>
  %0 = tfm.slice %x starts = [0, 0, 0] limits = [1, 128, 32] strides = [1, 1, 1] : tensor<1x128x64xf32> -> tensor<1x128x32xf32>
  // Strides round sizes up: ceil(128 / 2) = 64 rows, ceil(64 / 3) = 22 columns.
  // CHECK: tfm.slice %{{.*}} starts = [0, 0, 0] limits = [1, 128, 64] strides = [1, 2, 3] : tensor<1x128x64xf32> -> tensor<1x64x22xf32>
  %1 = tfm.slice %x starts = [0, 0, 0] limits = [1, 128, 64] strides = [1, 2, 3] : tensor<1x128x64xf32> -> tensor<1x64x22xf32>
  return %0, %1 : tensor<1x128x32xf32>, tensor<1x64x22xf32>
}

// A run-time limit: the first %n rows of a table, every other row from 1.
// CHECK-LABEL: func.func @slice_dynamic_limit
// CHECK: tfm.slice %{{.*}} starts = [0, 0] limits = [%{{.*}}, 64] strides = [1, 1] : tensor<1024x64xf32> -> tensor<?x64xf32>
// CHECK: tfm.slice %{{.*}} starts = [1, 0] limits = [%{{.*}}, 64] strides = [2, 1] : tensor<1024x64xf32> -> tensor<?x64xf32>
func.func @slice_dynamic_limit(%t: tensor<1024x64xf32>, %n: index) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %0 = tfm.slice %t starts = [0, 0] limits = [%n, 64] strides = [1, 1] : tensor<1024x64xf32> -> tensor<?x64xf32>
  %1 = tfm.slice %t starts = [1, 0] limits = [%n, 64] strides = [2, 1] : tensor<1024x64xf32> -> tensor<?x64xf32>
  return %0, %1 : tensor<?x64xf32>, tensor<?x64xf32>
}

// -----

// CHECK-LABEL: func.func @gather
func.func @gather(%table: tensor<30522x768xf32>, %ids: tensor<1x128xi64>, %x: tensor<2x5x7xf32>, %i: tensor<3xi32>) -> (tensor<1x128x768xf32>, tensor<2x3x7xf32>) {
  // Embedding lookup.
  // CHECK: tfm.gather %{{.*}}, %{{.*}} axis = 0 : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
  %0 = tfm.gather %table, %ids axis = 0 : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
  // CHECK: tfm.gather %{{.*}}, %{{.*}} axis = 1 : (tensor<2x5x7xf32>, tensor<3xi32>) -> tensor<2x3x7xf32>
  %1 = tfm.gather %x, %i axis = 1 : (tensor<2x5x7xf32>, tensor<3xi32>) -> tensor<2x3x7xf32>
  return %0, %1 : tensor<1x128x768xf32>, tensor<2x3x7xf32>
}

// -----

// The [CLS] token of every sequence.
// CHECK-LABEL: func.func @select
func.func @select(%h: tensor<4x128x768xf32>) -> tensor<4x768xf32> {
  // CHECK: tfm.select %{{.*}} axis = 1 index = 0 : tensor<4x128x768xf32> -> tensor<4x768xf32>
  %0 = tfm.select %h axis = 1 index = 0 : tensor<4x128x768xf32> -> tensor<4x768xf32>
  return %0 : tensor<4x768xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements_reverse
func.func @gather_elements_reverse(%x: tensor<2x5xf32>, %i: tensor<2x3xi64>) -> (tensor<2x3xf32>, tensor<2x5xf32>) {
  // CHECK: tfm.gather_elements %{{.*}}, %{{.*}} axis = 1 : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  %0 = tfm.gather_elements %x, %i axis = 1 : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  // CHECK: tfm.reverse %{{.*}} axes = [0, 1] : tensor<2x5xf32>
  %1 = tfm.reverse %x axes = [0, 1] : tensor<2x5xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK: tfm.pad %{{.*}}, %{{.*}} low = [0, 1] high = [2, 0] mode = constant : (tensor<2x3xf32>, tensor<f32>) -> tensor<4x4xf32>
// CHECK: tfm.pad %{{.*}} low = [0, 2] high = [0, 2] mode = reflect : (tensor<2x3xf32>) -> tensor<2x7xf32>
// CHECK: tfm.pad %{{.*}} low = [1, 0] high = [0, 0] mode = edge : (tensor<?x3xi8>) -> tensor<?x3xi8>
func.func @pad(%x: tensor<2x3xf32>, %v: tensor<f32>, %i: tensor<?x3xi8>) -> (tensor<4x4xf32>, tensor<2x7xf32>, tensor<?x3xi8>) {
  %0 = tfm.pad %x, %v low = [0, 1] high = [2, 0] mode = constant : (tensor<2x3xf32>, tensor<f32>) -> tensor<4x4xf32>
  %1 = tfm.pad %x low = [0, 2] high = [0, 2] mode = reflect : (tensor<2x3xf32>) -> tensor<2x7xf32>
  %2 = tfm.pad %i low = [1, 0] high = [0, 0] mode = edge : (tensor<?x3xi8>) -> tensor<?x3xi8>
  return %0, %1, %2 : tensor<4x4xf32>, tensor<2x7xf32>, tensor<?x3xi8>
}

// -----

// CHECK-LABEL: func.func @scatter_nd
// CHECK: tfm.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} reduction = none : (tensor<16x64xf32>, tensor<2x1xi64>, tensor<2x64xf32>) -> tensor<16x64xf32>
// CHECK: tfm.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} reduction = max : (tensor<4x5xi32>, tensor<3x2xi64>, tensor<3xi32>) -> tensor<4x5xi32>
func.func @scatter_nd(%c: tensor<16x64xf32>, %r: tensor<2x1xi64>, %u: tensor<2x64xf32>, %x: tensor<4x5xi32>, %e: tensor<3x2xi64>, %v: tensor<3xi32>) -> (tensor<16x64xf32>, tensor<4x5xi32>) {
  %0 = tfm.scatter_nd %c, %r, %u reduction = none : (tensor<16x64xf32>, tensor<2x1xi64>, tensor<2x64xf32>) -> tensor<16x64xf32>
  %1 = tfm.scatter_nd %x, %e, %v reduction = max : (tensor<4x5xi32>, tensor<3x2xi64>, tensor<3xi32>) -> tensor<4x5xi32>
  return %0, %1 : tensor<16x64xf32>, tensor<4x5xi32>
}
