// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file --verify-diagnostics

// Ops whose lowering does not take dynamic dimensions yet say so (the
// ones that do: dynamic.mlir).
func.func @dynamic_matmul_batch(%x: tensor<?x2x4xf32>, %y: tensor<?x4x4xf32>) -> tensor<?x2x4xf32> {
  // expected-error @+1 {{'tfm.matmul' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.matmul %x, %y : (tensor<?x2x4xf32>, tensor<?x4x4xf32>) -> tensor<?x2x4xf32>
  return %0 : tensor<?x2x4xf32>
}

// -----

// A mean divides by the count of its reduced axes, which must be static.
func.func @dynamic_mean_axis(%x: tensor<2x?xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'tfm.reduce_mean' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.reduce_mean %x axes = [1] : (tensor<2x?xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// So does a norm, over its normalized axes.
func.func @dynamic_norm_axis(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  // expected-error @+1 {{'tfm.rms_norm' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.rms_norm %x axes = [1] epsilon = 1.0e-6 : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// A linear's rows may be dynamic, not its features; (de)quantization's
// axis is static.
func.func @dynamic_linear_features(%x: tensor<2x?xf32>, %w: tensor<4x?xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'tfm.linear' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.linear %x, %w : (tensor<2x?xf32>, tensor<4x?xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @dynamic_quantize_axis(%x: tensor<2x?xf32>, %s: tensor<?xf32>) -> tensor<2x?xi8> {
  // expected-error @+1 {{'tfm.quantize' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.quantize %x, %s {axis = 1 : i64} : (tensor<2x?xf32>, tensor<?xf32>) -> tensor<2x?xi8>
  return %0 : tensor<2x?xi8>
}

// -----

// A reshape that is neither one collapse nor one expand would go through a
// flat vector, whose size is not known.
func.func @dynamic_reshape_regroup(%x: tensor<?x6xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'tfm.reshape' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.reshape %x : tensor<?x6xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// A split along a dynamic axis, or a slice of one, needs run-time sizes.
func.func @dynamic_split_axis(%x: tensor<?x4xf32>) -> (tensor<2x4xf32>, tensor<?x4xf32>) {
  // expected-error @+1 {{'tfm.split' op has a dynamic shape that its lowering does not handle yet}}
  %0:2 = tfm.split %x axis = 0 : tensor<?x4xf32> -> tensor<2x4xf32>, tensor<?x4xf32>
  return %0#0, %0#1 : tensor<2x4xf32>, tensor<?x4xf32>
}

// -----

func.func @dynamic_slice(%x: tensor<?x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'tfm.slice' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.slice %x starts = [0, 0] limits = [2, 4] strides = [1, 1] : tensor<?x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
