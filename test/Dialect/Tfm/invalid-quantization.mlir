// Verifier errors of quantize and dequantize, one case per labelled
// constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// quantize_c1: the scale has the input's element type.
func.func @quantize_c1(%x: tensor<4xf32>, %s: tensor<f16>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c1: scale element type 'f16' differs from 'f32'}}
  %0 = tfm.quantize %x, %s : (tensor<4xf32>, tensor<f16>) -> tensor<4xi8>
  return
}

// -----

// quantize_c2: axis in range.
func.func @quantize_c2_axis(%x: tensor<4x8xf32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c2: axis 2 is out of range for rank 2}}
  %0 = tfm.quantize %x, %s {axis = 2 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xi8>
  return
}

// -----

// quantize_c2: a per-axis scale matches the axis.
func.func @quantize_c2_per_axis(%x: tensor<4x8xf32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c2: scale shape [8] does not match [4] for [4, 8] with axis 0}}
  %0 = tfm.quantize %x, %s {axis = 0 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xi8>
  return
}

// -----

// quantize_c2: a per-axis scale needs its axis.
func.func @quantize_c2_no_axis(%x: tensor<4x8xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c2: a per-axis scale needs an axis}}
  %0 = tfm.quantize %x, %s : (tensor<4x8xf32>, tensor<4xf32>) -> tensor<4x8xi8>
  return
}

// -----

// quantize_c2: a per-tensor scale takes no axis.
func.func @quantize_c2_scalar_axis(%x: tensor<4x8xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c2: a per-tensor scale (rank 0) takes no axis}}
  %0 = tfm.quantize %x, %s {axis = 1 : i64} : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi8>
  return
}

// -----

// dequantize_c2: blocked scales have ceil(K / block) entries along the axis.
func.func @dequantize_c2_blocks(%q: tensor<4x80xi8>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c2: scale shape [4, 2] does not match [4, 3] for [4, 80] with axis 1 and block_size 32}}
  %0 = tfm.dequantize %q, %s {axis = 1 : i64, block_size = 32 : i64} : (tensor<4x80xi8>, tensor<4x2xf32>) -> tensor<4x80xf32>
  return
}

// -----

// dequantize_c2: the block size is positive.
func.func @dequantize_c2_block_size(%q: tensor<4x80xi8>, %s: tensor<4x3xf32>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c2: block_size 0 is not positive}}
  %0 = tfm.dequantize %q, %s {axis = 1 : i64, block_size = 0 : i64} : (tensor<4x80xi8>, tensor<4x3xf32>) -> tensor<4x80xf32>
  return
}

// -----

// dequantize_c2: scales of rank 2 or more are blocked.
func.func @dequantize_c2_rank(%q: tensor<4x80xi8>, %s: tensor<4x3xf32>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c2: scale of rank 2 needs a block_size}}
  %0 = tfm.dequantize %q, %s {axis = 1 : i64} : (tensor<4x80xi8>, tensor<4x3xf32>) -> tensor<4x80xf32>
  return
}

// -----

// dequantize_c2: a blocked scheme has an axis.
func.func @dequantize_c2_block_axis(%q: tensor<4x80xi8>, %s: tensor<4x3xf32>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c2: a blocked scheme needs an axis}}
  %0 = tfm.dequantize %q, %s {block_size = 32 : i64} : (tensor<4x80xi8>, tensor<4x3xf32>) -> tensor<4x80xf32>
  return
}

// -----

// dequantize_c1: the scale has the result's element type.
func.func @dequantize_c1(%q: tensor<4xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c1: scale element type 'f32' differs from 'bf16'}}
  %0 = tfm.dequantize %q, %s : (tensor<4xi8>, tensor<f32>) -> tensor<4xbf16>
  return
}

// -----

// dequantize_c3: the zero point has the scale's shape.
func.func @dequantize_c3_shape(%q: tensor<4x8xi8>, %s: tensor<4xf32>, %z: tensor<i8>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c3: zero point 'tensor<i8>' differs from the scale's shape [4] with element type 'i8'}}
  %0 = tfm.dequantize %q, %s, %z {axis = 0 : i64} : (tensor<4x8xi8>, tensor<4xf32>, tensor<i8>) -> tensor<4x8xf32>
  return
}

// -----

// quantize_c3: the zero point has the result's element type.
func.func @quantize_c3_type(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<ui8>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c3: zero point 'tensor<ui8>' differs from the scale's shape [] with element type 'i8'}}
  %0 = tfm.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xi8>
  return
}

// -----

// quantize_c4: the result has the input's shape.
func.func @quantize_c4(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tfm.quantize' op quantize_c4: result shape [5] differs from input shape [4]}}
  %0 = tfm.quantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<5xi8>
  return
}

// -----

// dequantize_c4: the result has the input's shape.
func.func @dequantize_c4(%q: tensor<4x2xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c4: result shape [4] differs from input shape [4, 2]}}
  %0 = tfm.dequantize %q, %s : (tensor<4x2xi8>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

// Storage types: i4, ui4, i8, ui8, i16 or ui16 (ODS; dequantize also reads i32).
func.func @storage_type(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tfm.quantize' op result #0 must be ranked tensor of i4, ui4, i8, ui8, i16 or ui16 values}}
  %0 = tfm.quantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<4xi32>
  return
}

// -----

// dequantize_c3: 4-bit codes take zero points of their own type.
func.func @dequantize_c3_four_bit(%q: tensor<2x4xui4>, %s: tensor<2x2xf32>, %z: tensor<2x2xui8>) {
  // expected-error @+1 {{'tfm.dequantize' op dequantize_c3: zero point 'tensor<2x2xui8>' differs from the scale's shape [2, 2] with element type 'ui4'}}
  %0 = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x4xui4>, tensor<2x2xf32>, tensor<2x2xui8>) -> tensor<2x4xf32>
  return
}

// -----

// 4-bit values exist only as quantized tensors.
func.func @four_bit_add(%a: tensor<4xi4>) {
  // expected-error @+1 {{'tfm.add' op operand #0 must be ranked tensor of}}
  %0 = tfm.add %a, %a : (tensor<4xi4>, tensor<4xi4>) -> tensor<4xi4>
  return
}
