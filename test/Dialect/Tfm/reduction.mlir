// Round-trip of reductions and softmax: custom form, then generic form.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reductions
// CHECK-SAME: (%[[X:.*]]: tensor<2x128x768xf32>, %[[I:.*]]: tensor<4x5xi64>)
func.func @reductions(%x: tensor<2x128x768xf32>, %i: tensor<4x5xi64>) -> (tensor<2x128x1xf32>, tensor<768xf32>, tensor<2x1x1xf32>, tensor<4xi64>) {
  // CHECK: tfm.reduce_mean %[[X]] axes = [2] keepdims : (tensor<2x128x768xf32>) -> tensor<2x128x1xf32>
  %0 = tfm.reduce_mean %x axes = [2] keepdims : (tensor<2x128x768xf32>) -> tensor<2x128x1xf32>
  // CHECK: tfm.reduce_sum %[[X]] axes = [0, 1] : (tensor<2x128x768xf32>) -> tensor<768xf32>
  %1 = tfm.reduce_sum %x axes = [0, 1] : (tensor<2x128x768xf32>) -> tensor<768xf32>
  // CHECK: tfm.reduce_max %[[X]] axes = [1, 2] keepdims : (tensor<2x128x768xf32>) -> tensor<2x1x1xf32>
  %2 = tfm.reduce_max %x axes = [1, 2] keepdims : (tensor<2x128x768xf32>) -> tensor<2x1x1xf32>
  // CHECK: tfm.reduce_sum %[[I]] axes = [1] : (tensor<4x5xi64>) -> tensor<4xi64>
  %3 = tfm.reduce_sum %i axes = [1] : (tensor<4x5xi64>) -> tensor<4xi64>
  // CHECK: tfm.reduce_min %[[I]] axes = [0] keepdims : (tensor<4x5xi64>) -> tensor<1x5xi64>
  %4 = tfm.reduce_min %i axes = [0] keepdims : (tensor<4x5xi64>) -> tensor<1x5xi64>
  // CHECK: tfm.reduce_prod %[[X]] axes = [2] : (tensor<2x128x768xf32>) -> tensor<2x128xf32>
  %5 = tfm.reduce_prod %x axes = [2] : (tensor<2x128x768xf32>) -> tensor<2x128xf32>
  return %0, %1, %2, %3 : tensor<2x128x1xf32>, tensor<768xf32>, tensor<2x1x1xf32>, tensor<4xi64>
}

// -----

// Reducing every axis without keepdims gives a rank-0 tensor.
// CHECK-LABEL: func.func @reduce_to_scalar
func.func @reduce_to_scalar(%x: tensor<3x4xf16>) -> tensor<f16> {
  // CHECK: tfm.reduce_max %{{.*}} axes = [0, 1] : (tensor<3x4xf16>) -> tensor<f16>
  %0 = tfm.reduce_max %x axes = [0, 1] : (tensor<3x4xf16>) -> tensor<f16>
  return %0 : tensor<f16>
}

// -----

// CHECK-LABEL: func.func @softmax
func.func @softmax(%s: tensor<1x12x128x128xf32>) -> tensor<1x12x128x128xf32> {
  // CHECK: tfm.softmax %{{.*}} axis = 3 : tensor<1x12x128x128xf32>
  %0 = tfm.softmax %s axis = 3 : tensor<1x12x128x128xf32>
  return %0 : tensor<1x12x128x128xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
func.func @log_softmax(%s: tensor<1x8x100xf32>) -> tensor<1x8x100xf32> {
  // CHECK: tfm.log_softmax %{{.*}} axis = 2 : tensor<1x8x100xf32>
  %0 = tfm.log_softmax %s axis = 2 : tensor<1x8x100xf32>
  return %0 : tensor<1x8x100xf32>
}

// -----

// argmax/argmin: int64 positions along one axis.
// CHECK-LABEL: func.func @arg_reductions
// CHECK: tfm.argmax %{{.*}} axis = 2 : (tensor<2x8x50xf32>) -> tensor<2x8xi64>
// CHECK: tfm.argmin %{{.*}} axis = 0 keepdims select_last_index : (tensor<4x5xui8>) -> tensor<1x5xi64>
func.func @arg_reductions(%x: tensor<2x8x50xf32>, %u: tensor<4x5xui8>) -> (tensor<2x8xi64>, tensor<1x5xi64>) {
  %0 = tfm.argmax %x axis = 2 : (tensor<2x8x50xf32>) -> tensor<2x8xi64>
  %1 = tfm.argmin %u axis = 0 keepdims select_last_index : (tensor<4x5xui8>) -> tensor<1x5xi64>
  return %0, %1 : tensor<2x8xi64>, tensor<1x5xi64>
}

// -----

// CHECK-LABEL: func.func @pools
// CHECK: tfm.max_pool %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] : (tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32>
// CHECK: tfm.max_pool %{{.*}} kernel = [2] strides = [2] padding = [0, 0] dilations = [1] ceil_mode : (tensor<2x3x5xi8>) -> tensor<2x3x3xi8>
// CHECK: tfm.avg_pool %{{.*}} kernel = [2, 2] strides = [1, 1] padding = [1, 0, 1, 0] dilations = [2, 1] count_include_pad : (tensor<1x8x9x9xf16>) -> tensor<1x8x9x8xf16>
func.func @pools(%x: tensor<1x8x9x9xf32>, %i: tensor<2x3x5xi8>, %h: tensor<1x8x9x9xf16>) -> (tensor<1x8x5x5xf32>, tensor<2x3x3xi8>, tensor<1x8x9x8xf16>) {
  %0 = tfm.max_pool %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] : (tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32>
  %1 = tfm.max_pool %i kernel = [2] strides = [2] padding = [0, 0] dilations = [1] ceil_mode : (tensor<2x3x5xi8>) -> tensor<2x3x3xi8>
  %2 = tfm.avg_pool %h kernel = [2, 2] strides = [1, 1] padding = [1, 0, 1, 0] dilations = [2, 1] count_include_pad : (tensor<1x8x9x9xf16>) -> tensor<1x8x9x8xf16>
  return %0, %1, %2 : tensor<1x8x5x5xf32>, tensor<2x3x3xi8>, tensor<1x8x9x8xf16>
}

// -----

// CHECK-LABEL: func.func @cumsum
// CHECK: tfm.cumsum %{{.*}} axis = 1 : tensor<1x?xi64>
// CHECK: tfm.cumsum %{{.*}} axis = 0 exclusive reverse : tensor<4x3xf16>
func.func @cumsum(%m: tensor<1x?xi64>, %x: tensor<4x3xf16>) -> (tensor<1x?xi64>, tensor<4x3xf16>) {
  %0 = tfm.cumsum %m axis = 1 : tensor<1x?xi64>
  %1 = tfm.cumsum %x axis = 0 exclusive reverse : tensor<4x3xf16>
  return %0, %1 : tensor<1x?xi64>, tensor<4x3xf16>
}
