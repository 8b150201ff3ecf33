// RUN: tfm-opt %s --tfm-fuse-softmax --split-input-file | FileCheck %s

// ONNX's Softmax-13 function body along the last axis.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[Y:.*]] = tfm.softmax %[[X]] axis = 1 : tensor<2x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %m = tfm.reduce_max %x axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = tfm.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %e = tfm.exp %d : tensor<2x8xf32>
  %s = tfm.reduce_sum %e axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %y = tfm.div %e, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// LogSoftmax-13's body along the first axis.
// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>)
// CHECK: %[[Y:.*]] = tfm.log_softmax %[[X]] axis = 0 : tensor<3x4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @log_softmax(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %m = tfm.reduce_max %x axes = [0] keepdims : (tensor<3x4xf32>) -> tensor<1x4xf32>
  %d = tfm.sub %x, %m : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %e = tfm.exp %d : tensor<3x4xf32>
  %s = tfm.reduce_sum %e axes = [0] keepdims : (tensor<3x4xf32>) -> tensor<1x4xf32>
  %l = tfm.log %s : tensor<1x4xf32>
  %y = tfm.sub %d, %l : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// The maximum and the sum along different axes: not a softmax.
// CHECK-LABEL: func.func @different_axes
// CHECK-NOT: tfm.softmax
// CHECK: tfm.div
func.func @different_axes(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %m = tfm.reduce_max %x axes = [0] keepdims : (tensor<3x4xf32>) -> tensor<1x4xf32>
  %d = tfm.sub %x, %m : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %e = tfm.exp %d : tensor<3x4xf32>
  %s = tfm.reduce_sum %e axes = [1] keepdims : (tensor<3x4xf32>) -> tensor<3x1xf32>
  %y = tfm.div %e, %s : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// The maximum of another tensor, or a numerator other than the summed
// exponential: not a softmax.
// CHECK-LABEL: func.func @not_softmax
// CHECK-NOT: tfm.softmax
// CHECK-NOT: tfm.log_softmax
func.func @not_softmax(%x: tensor<2x8xf32>, %z: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %m = tfm.reduce_max %z axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = tfm.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %e = tfm.exp %d : tensor<2x8xf32>
  %s = tfm.reduce_sum %e axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %y = tfm.div %e, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %m2 = tfm.reduce_max %x axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d2 = tfm.sub %x, %m2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %e2 = tfm.exp %d2 : tensor<2x8xf32>
  %s2 = tfm.reduce_sum %e2 axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %y2 = tfm.div %x, %s2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %l2 = tfm.log %s2 : tensor<2x1xf32>
  %y3 = tfm.sub %x, %l2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y, %y2, %y3 : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}
