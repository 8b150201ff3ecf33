// RUN: tfm-opt %s --tfm-fold-empty-tensors --split-input-file --verify-diagnostics | FileCheck %s

// A product over an empty K is zeros; with a bias, the bias broadcast.
// CHECK-LABEL: func.func @empty_k
// CHECK-SAME: %[[BIAS:[^:]*]]: tensor<4xf32>)
// CHECK-DAG: %[[Z:.*]] = tfm.constant dense<0.000000e+00> : tensor<3x4xf32>
// CHECK-DAG: %[[Z2:.*]] = tfm.constant dense<0.000000e+00> : tensor<2x4xf32>
// CHECK: %[[L:.*]] = tfm.add %[[Z2]], %[[BIAS]]
// CHECK-NOT: tfm.matmul
// CHECK-NOT: tfm.linear
// CHECK: return %[[Z]], %[[L]]
func.func @empty_k(%a: tensor<3x0xf32>, %b: tensor<0x4xf32>, %x: tensor<2x0xf32>,
                   %w: tensor<4x0xf32>, %bias: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<2x4xf32>) {
  %0 = tfm.matmul %a, %b : (tensor<3x0xf32>, tensor<0x4xf32>) -> tensor<3x4xf32>
  %1 = tfm.linear %x, %w, %bias : (tensor<2x0xf32>, tensor<4x0xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<2x4xf32>
}

// -----

// Reductions over an empty axis: ONNX's values for an empty set.
// CHECK-LABEL: func.func @empty_reductions
// CHECK-DAG: %[[SUM:.*]] = tfm.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-DAG: %[[MEAN:.*]] = tfm.constant dense<0x7FC00000> : tensor<3xf32>
// CHECK-DAG: %[[MAX:.*]] = tfm.constant dense<0xFF800000> : tensor<3xf32>
// CHECK-DAG: %[[MIN:.*]] = tfm.constant dense<0x7F800000> : tensor<3xf32>
// CHECK-DAG: %[[IMAX:.*]] = tfm.constant dense<-128> : tensor<3xi8>
// CHECK-DAG: %[[UMIN:.*]] = tfm.constant dense<255> : tensor<3xui8>
// CHECK: return %[[SUM]], %[[MEAN]], %[[MAX]], %[[MIN]], %[[IMAX]], %[[UMIN]]
func.func @empty_reductions(%x: tensor<3x0xf32>, %i: tensor<3x0xi8>, %u: tensor<3x0xui8>)
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi8>, tensor<3xui8>) {
  %0 = tfm.reduce_sum %x axes = [1] : (tensor<3x0xf32>) -> tensor<3xf32>
  %1 = tfm.reduce_mean %x axes = [1] : (tensor<3x0xf32>) -> tensor<3xf32>
  %2 = tfm.reduce_max %x axes = [1] : (tensor<3x0xf32>) -> tensor<3xf32>
  %3 = tfm.reduce_min %x axes = [1] : (tensor<3x0xf32>) -> tensor<3xf32>
  %4 = tfm.reduce_max %i axes = [1] : (tensor<3x0xi8>) -> tensor<3xi8>
  %5 = tfm.reduce_min %u axes = [1] : (tensor<3x0xui8>) -> tensor<3xui8>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi8>, tensor<3xui8>
}

// -----

// Results without elements are empty constants; so are graph inputs
// without elements, for their users.
// CHECK-LABEL: func.func @empty_results
// CHECK-DAG: %[[E:.*]] = tfm.constant dense<> : tensor<3x0xf32>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<> : tensor<0x4xf32>
// CHECK-NOT: tfm.softmax
// CHECK-NOT: tfm.layer_norm
// CHECK: return %[[E]], %[[E]], %[[S]]
func.func @empty_results(%x: tensor<3x0xf32>, %g: tensor<0xf32>, %y: tensor<2x4xf32>)
    -> (tensor<3x0xf32>, tensor<3x0xf32>, tensor<0x4xf32>) {
  %0 = tfm.softmax %x axis = 1 : tensor<3x0xf32>
  %1 = tfm.layer_norm %x scale(%g) axes = [1] epsilon = 1.0e-05 : (tensor<3x0xf32>, tensor<0xf32>) -> tensor<3x0xf32>
  %2 = tfm.slice %y starts = [2, 0] limits = [2, 4] strides = [1, 1] : tensor<2x4xf32> -> tensor<0x4xf32>
  return %0, %1, %2 : tensor<3x0xf32>, tensor<3x0xf32>, tensor<0x4xf32>
}

// -----

// concat drops empty pieces; with one piece left, it is that piece.
// CHECK-LABEL: func.func @empty_concat
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %{{.*}}: tensor<2x0xf32>)
// CHECK-NOT: tfm.concat
// CHECK: return %[[X]]
func.func @empty_concat(%x: tensor<2x3xf32>, %e: tensor<2x0xf32>) -> tensor<2x3xf32> {
  %0 = tfm.concat %e, %x, %e axis = 1 : (tensor<2x0xf32>, tensor<2x3xf32>, tensor<2x0xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Near miss: a concat with two non-empty pieces keeps them.
// CHECK-LABEL: func.func @concat_two_left
// CHECK: tfm.concat %{{.*}}, %{{.*}} axis = 1 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
func.func @concat_two_left(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>, %e: tensor<2x0xf32>) -> tensor<2x4xf32> {
  %0 = tfm.concat %x, %e, %y axis = 1 : (tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Near miss: ops on non-empty tensors are left alone.
// CHECK-LABEL: func.func @not_empty
// CHECK: tfm.matmul
// CHECK: tfm.reduce_mean
func.func @not_empty(%a: tensor<3x2xf32>, %b: tensor<2x4xf32>) -> (tensor<3x4xf32>, tensor<3xf32>) {
  %0 = tfm.matmul %a, %b : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
  %1 = tfm.reduce_mean %a axes = [1] : (tensor<3x2xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<3xf32>
}

// -----

// Gathering rows of an empty table has no value: every index is out of range.
func.func @empty_table(%t: tensor<0x4xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'tfm.gather' op reads a tensor without elements to produce elements}}
  %0 = tfm.gather %t, %i axis = 0 : (tensor<0x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A convolution over zero input channels is its bias along the channels;
// attention over zero keys is zeros.
// CHECK-LABEL: func.func @empty_conv_attention
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x0x8xf32>, %{{.*}}: tensor<4x0x3xf32>, %[[B:[^:]*]]: tensor<4xf32>
// CHECK-DAG: %[[Z:.*]] = tfm.constant dense<0.000000e+00> : tensor<1x4x6xf32>
// CHECK-DAG: %[[ZA:.*]] = tfm.constant dense<0.000000e+00> : tensor<1x2x8xf32>
// CHECK: %[[B2:.*]] = tfm.reshape %[[B]] : tensor<4xf32> -> tensor<4x1xf32>
// CHECK: %[[C:.*]] = tfm.add %[[Z]], %[[B2]]
// CHECK: return %[[C]], %[[ZA]]
func.func @empty_conv_attention(%x: tensor<1x0x8xf32>, %w: tensor<4x0x3xf32>, %b: tensor<4xf32>,
                                %q: tensor<1x2x8xf32>, %kv: tensor<1x0x8xf32>)
    -> (tensor<1x4x6xf32>, tensor<1x2x8xf32>) {
  %0 = tfm.conv %x, %w, %b strides = [1] padding = [0, 0] dilations = [1] groups = 1 : (tensor<1x0x8xf32>, tensor<4x0x3xf32>, tensor<4xf32>) -> tensor<1x4x6xf32>
  %1 = tfm.attention %q, %kv, %kv heads = 2 kv_heads = 2 : (tensor<1x2x8xf32>, tensor<1x0x8xf32>, tensor<1x0x8xf32>) -> tensor<1x2x8xf32>
  return %0, %1 : tensor<1x4x6xf32>, tensor<1x2x8xf32>
}
