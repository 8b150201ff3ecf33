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

// A result declared dynamic where its operands fix the size: no operand to
// read the size from (tfm-refine-shapes makes it static first).
func.func @loose_result(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'tfm.add' op declares a dynamic result dimension that its operands fix (run tfm-refine-shapes first)}}
  %0 = tfm.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @loose_broadcast(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.mul' op declares a dynamic result dimension that its operands fix (run tfm-refine-shapes first)}}
  %0 = tfm.mul %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @loose_cast(%a: tensor<4xf32>) -> tensor<?xf16> {
  // expected-error @+1 {{'tfm.cast' op declares a dynamic result dimension that its operands fix (run tfm-refine-shapes first)}}
  %0 = tfm.cast %a : tensor<4xf32> to tensor<?xf16>
  return %0 : tensor<?xf16>
}

// -----

// A linear folds its rows into one dimension and back: one of them may be
// dynamic.
func.func @dynamic_linear_two_row_dims(%x: tensor<?x?x4xf32>) -> tensor<?x?x3xf32> {
  %w = tfm.constant dense<0.5> : tensor<3x4xf32>
  // expected-error @+1 {{'tfm.linear' op has a dynamic shape that its lowering does not handle yet}}
  %0 = tfm.linear %x, %w : (tensor<?x?x4xf32>, tensor<3x4xf32>) -> tensor<?x?x3xf32>
  return %0 : tensor<?x?x3xf32>
}
