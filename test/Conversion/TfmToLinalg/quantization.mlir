// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s
// RUN: tfm-opt %s --convert-tfm-to-linalg="int8-group=2" --split-input-file | FileCheck %s --check-prefix=PAIRS
// RUN: not tfm-opt %s --convert-tfm-to-linalg="int8-group=3" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADGROUP
// BADGROUP: error: convert-tfm-to-linalg: int8-group must be 2 or 4, got 3

// Quantize: x / s rounded half to even, plus the zero point (ui8: read
// unsigned), saturated to [0, 255] (maxnum first: NaN becomes 0), to i8
// storage. The per-axis scale and zero point are read along d0.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[S:.*]]: tensor<2xf32>, %[[Z:.*]]: tensor<2xi8>) -> tensor<2x4xi8>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[S]], %[[Z]] : tensor<2x4xf32>, tensor<2xf32>, tensor<2xi8>)
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[SV:.*]]: f32, %[[ZV:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[DIV:.*]] = arith.divf %[[XV]], %[[SV]] : f32
// CHECK: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK: %[[ZF:.*]] = arith.uitofp %[[ZV]] : i8 to f32
// CHECK: %[[SUM:.*]] = arith.addf %[[ROUND]], %[[ZF]] : f32
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[MAX:.*]] = arith.maxnumf %[[SUM]], %[[LO]] : f32
// CHECK: %[[HI:.*]] = arith.constant 2.550000e+02 : f32
// CHECK: %[[MIN:.*]] = arith.minnumf %[[MAX]], %[[HI]] : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[MIN]] : f32 to i32
// CHECK: %[[T:.*]] = arith.trunci %[[I]] : i32 to i8
// CHECK: linalg.yield %[[T]] : i8
func.func @quantize_per_axis(%x: tensor<2x4xf32>, %s: tensor<2xf32>, %z: tensor<2xui8>) -> tensor<2x4xui8> {
  %q = tfm.quantize %x, %s, %z {axis = 0 : i64} : (tensor<2x4xf32>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x4xui8>
  return %q : tensor<2x4xui8>
}

// -----

// Dequantize in blocks of 2 along d1: the scale is read at d1 floordiv 2;
// f16 arithmetic in f32.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[BLOCK]], #[[ID]]]
// CHECK: ^bb0(%[[Q:.*]]: i8, %[[S:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[QF:.*]] = arith.sitofp %[[Q]] : i8 to f32
// CHECK: %[[SF:.*]] = arith.extf %[[S]] : f16 to f32
// CHECK: %[[P:.*]] = arith.mulf %[[QF]], %[[SF]] : f32
// CHECK: %[[R:.*]] = arith.truncf %[[P]] : f32 to f16
// CHECK: linalg.yield %[[R]] : f16
func.func @dequantize_blocked(%q: tensor<2x5xi8>, %s: tensor<2x3xf16>) -> tensor<2x5xf16> {
  %d = tfm.dequantize %q, %s {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x5xi8>, tensor<2x3xf16>) -> tensor<2x5xf16>
  return %d : tensor<2x5xf16>
}

// -----

// Per tensor with a zero point: (q - z) · s, the scalars read through
// empty maps.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @dequantize_per_tensor
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]]
// CHECK: arith.sitofp
// CHECK: arith.sitofp
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK-NOT: arith.truncf
func.func @dequantize_per_tensor(%q: tensor<6xi32>, %s: tensor<f32>, %z: tensor<i32>) -> tensor<6xf32> {
  %d = tfm.dequantize %q, %s, %z : (tensor<6xi32>, tensor<f32>, tensor<i32>) -> tensor<6xf32>
  return %d : tensor<6xf32>
}

// -----

// A linear on a per-channel int8 weight: the product reads the int8
// matrix (transposed at compile time) and converts it in the body; the
// epilogue scales each feature's sum and adds the bias, then the
// activation and the residual follow as for a float weight. The
// dequantized float weight is left unused.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[N:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear_int8
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[BIAS:.*]]: tensor<3xf32>, %[[R:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.000000e+00, 5.000000e-01, 2.500000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[QT:.*]] = arith.constant dense<{{\[\[}}127, 0, -127], [-63, 0, 20], [0, 0, 60], [13, 0, 2]]> : tensor<4x3xi8>
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[QT]] : tensor<2x4xf32>, tensor<4x3xi8>) outs(%[[ZERO]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[QV:.*]]: i8, %[[ACC:.*]]: f32):
// CHECK: %[[QF:.*]] = arith.sitofp %[[QV]] : i8 to f32
// CHECK: %[[M:.*]] = arith.mulf %[[XV]], %[[QF]] : f32
// CHECK: arith.addf %[[ACC]], %[[M]] : f32
// CHECK: %[[E:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[N]], #[[N]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[P]], %[[S]], %[[BIAS]] : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[E]], %[[R]] : tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK: arith.maximumf
// CHECK: arith.addf
func.func @linear_int8(%x: tensor<2x4xf32>, %b: tensor<3xf32>, %r: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = tfm.constant dense<[[127, -63, 0, 13], [0, 0, 0, 0], [-127, 20, 60, 2]]> : tensor<3x4xi8>
  %s = tfm.constant dense<[1.0, 0.5, 0.25]> : tensor<3xf32>
  %w = tfm.dequantize %q, %s {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w, %b residual(%r) activation = relu : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A per-tensor scale is read through an empty map; a weight with a zero
// point takes the general path: dequantized, transposed, multiplied.
// CHECK-LABEL: func.func @linear_int8_per_tensor
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xi8>)
// CHECK-LABEL: func.func @linear_zero_point
// CHECK: %[[D:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3x4xi8>, tensor<3xf32>, tensor<3xi8>)
// CHECK: arith.uitofp
// CHECK: linalg.transpose ins(%[[D]] : tensor<3x4xf32>)
func.func @linear_int8_per_tensor(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %q = tfm.constant dense<1> : tensor<3x4xi8>
  %s = tfm.constant dense<0.5> : tensor<f32>
  %w = tfm.dequantize %q, %s : (tensor<3x4xi8>, tensor<f32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
func.func @linear_zero_point(%x: tensor<2x4xf32>, %q: tensor<3x4xui8>, %s: tensor<3xf32>, %z: tensor<3xui8>) -> tensor<2x3xf32> {
  %w = tfm.dequantize %q, %s, %z {axis = 0 : i64} : (tensor<3x4xui8>, tensor<3xf32>, tensor<3xui8>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// W8A8: a uint8 input with one scale and zero point per row by the int8
// weight: an integer product (zero-extended activations, sign-extended
// weights into i32), then one epilogue: the zero point times the weight's
// column sums (127 - 63 + 0 + 13 = 77, 0, -127 + 20 + 60 + 2 = -45)
// subtracted, both scales, the bias. (The input's own dequantize is left
// to dead-code elimination.)
// CHECK-LABEL: func.func @linear_w8a8
// CHECK-SAME: (%[[A:.*]]: tensor<2x4xi8>, %[[SA:.*]]: tensor<2x1xf32>, %[[ZA:.*]]: tensor<2x1xi8>, %[[BIAS:.*]]: tensor<3xf32>)
// CHECK: %[[SW:.*]] = arith.constant dense<[1.000000e+00, 5.000000e-01, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Z32:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2xi8>) outs(%{{.*}} : tensor<2xi32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: %[[QT:.*]] = arith.constant dense<{{\[\[}}127, 0, -127], [-63, 0, 20], [0, 0, 60], [13, 0, 2]]> : tensor<4x3xi8>
// CHECK: %[[P:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[A]], %[[QT]] : tensor<2x4xi8>, tensor<4x3xi8>) outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: ^bb0(%[[AV:.*]]: i8, %[[WV:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK: %[[AE:.*]] = arith.extui %[[AV]] : i8 to i32
// CHECK: %[[WE:.*]] = arith.extsi %[[WV]] : i8 to i32
// CHECK: %[[M:.*]] = arith.muli %[[AE]], %[[WE]] : i32
// CHECK: arith.addi %[[ACC]], %[[M]] : i32
// CHECK: %[[SUMS:.*]] = arith.constant dense<[77, 0, -45]> : tensor<3xi32>
// CHECK: linalg.generic {{.*}} ins(%[[P]], %{{.*}}, %[[SW]], %[[Z32]], %[[SUMS]], %[[BIAS]] : tensor<2x3xi32>, tensor<2xf32>, tensor<3xf32>, tensor<2xi32>, tensor<3xi32>, tensor<3xf32>)
// CHECK: ^bb0(%[[PV:.*]]: i32, %[[SAV:.*]]: f32, %[[SWV:.*]]: f32, %[[ZV:.*]]: i32, %[[CV:.*]]: i32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ZC:.*]] = arith.muli %[[ZV]], %[[CV]] : i32
// CHECK: %[[D:.*]] = arith.subi %[[PV]], %[[ZC]] : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: %[[F1:.*]] = arith.mulf %[[F]], %[[SAV]] : f32
// CHECK: %[[F2:.*]] = arith.mulf %[[F1]], %[[SWV]] : f32
// CHECK: arith.addf %[[F2]], %[[BV]] : f32
func.func @linear_w8a8(%q: tensor<2x4xui8>, %sa: tensor<2x1xf32>, %za: tensor<2x1xui8>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %x = tfm.dequantize %q, %sa, %za {axis = 1 : i64, block_size = 4 : i64} : (tensor<2x4xui8>, tensor<2x1xf32>, tensor<2x1xui8>) -> tensor<2x4xf32>
  %qw = tfm.constant dense<[[127, -63, 0, 13], [0, 0, 0, 0], [-127, 20, 60, 2]]> : tensor<3x4xi8>
  %sw = tfm.constant dense<[1.0, 0.5, 0.25]> : tensor<3xf32>
  %w = tfm.dequantize %qw, %sw {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// An int8 input (one scale for all, no zero point) enters the product as
// uint8: its sign bit flipped (q + 128), and 128 as its zero point.
// CHECK-LABEL: func.func @linear_w8a8_signed
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x4xi8>)
// CHECK: arith.xori %{{.*}}, %{{.*}} : i8
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<i32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[Z]], %{{.*}} : tensor<2x3xi32>, tensor<f32>, tensor<3xf32>, tensor<i32>, tensor<3xi32>)
func.func @linear_w8a8_signed(%q: tensor<2x4xi8>, %sa: tensor<f32>) -> tensor<2x3xf32> {
  %x = tfm.dequantize %q, %sa : (tensor<2x4xi8>, tensor<f32>) -> tensor<2x4xf32>
  %qw = tfm.constant dense<[[127, -63, 0, 13], [0, 0, 0, 0], [-127, 20, 60, 2]]> : tensor<3x4xi8>
  %sw = tfm.constant dense<[1.0, 0.5, 0.25]> : tensor<3xf32>
  %w = tfm.dequantize %qw, %sw {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Panels: the int8 panels [P, K, w] are laid out as [P, K/4, w, 4] at
// compile time (weight[p, g, j, t] = panels[p, 4g + t, j]) and contracted
// with the activations read as [M, K/4, 4] over (m, p, g, j, t): the
// default, int8-group=4, for vpdpbusd.
// CHECK-DAG: #[[DA:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG: #[[DW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d3, d4)>
// CHECK-DAG: #[[DC:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @linear_w8a8_panels
// CHECK: %[[G:.*]] = arith.constant dense<{{\[\[\[\[}}1, 5, 9, 13], [2, 6, 10, 14]]]]> : tensor<1x1x2x4xi8>
// CHECK: %[[A:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [3, 1, 4] : tensor<3x4xi8> into tensor<3x1x4xi8>
// CHECK: linalg.generic {indexing_maps = [#[[DA]], #[[DW]], #[[DC]]], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction"]} ins(%[[A]], %[[G]] : tensor<3x1x4xi8>, tensor<1x1x2x4xi8>) outs(%{{.*}} : tensor<3x1x2xi32>)
// Without VNNI (int8-group=2) the groups are pairs for vpmaddwd,
// [P, K/2, w, 2], and the activations are widened to 16 bits once.
// PAIRS-LABEL: func.func @linear_w8a8_panels
// PAIRS: %[[G:.*]] = arith.constant dense<{{\[\[\[\[}}1, 5], [2, 6]], {{\[\[}}9, 13], [10, 14]]]]> : tensor<1x2x2x2xi8>
// PAIRS: %[[W:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3x4xi8>) outs(%{{.*}} : tensor<3x4xi16>)
// PAIRS: arith.extui %{{.*}} : i8 to i16
// PAIRS: %[[A:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0], [1, 2]] output_shape [3, 2, 2] : tensor<3x4xi16> into tensor<3x2x2xi16>
// PAIRS: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction"]} ins(%[[A]], %[[G]] : tensor<3x2x2xi16>, tensor<1x2x2x2xi8>) outs(%{{.*}} : tensor<3x1x2xi32>)
// PAIRS: arith.extui %{{.*}} : i16 to i32
// PAIRS: arith.extsi %{{.*}} : i8 to i32
func.func @linear_w8a8_panels(%q: tensor<3x4xui8>, %sa: tensor<3x1xf32>) -> tensor<3x2xf32> {
  %x = tfm.dequantize %q, %sa {axis = 1 : i64, block_size = 4 : i64} : (tensor<3x4xui8>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %qw = tfm.constant dense<[[[1, 2], [5, 6], [9, 10], [13, 14]]]> : tensor<1x4x2xi8>
  %sw = tfm.constant dense<[[[0.5, 0.25]]]> : tensor<1x1x2xf32>
  %w = tfm.dequantize %qw, %sw {axis = 1 : i64, block_size = 4 : i64} : (tensor<1x4x2xi8>, tensor<1x1x2xf32>) -> tensor<1x4x2xf32>
  %y = tfm.linear %x, %w {out_features = 2 : i64} : (tensor<3x4xf32>, tensor<1x4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// One block over the whole last axis (per-token scales [2, 3, 1]): the
// scale and zero point drop their unit dimension and are read through a
// projection, which vectorizes, rather than through a floordiv.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @quantize_per_token
// CHECK: %[[S:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<2x3x1xf32> into tensor<2x3xf32>
// CHECK: %[[Z:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<2x3x1xi8> into tensor<2x3xi8>
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[ROWS]], #[[ROWS]], #[[ID3]]], {{.*}} ins(%{{.*}}, %[[S]], %[[Z]] : tensor<2x3x8xf32>, tensor<2x3xf32>, tensor<2x3xi8>)
func.func @quantize_per_token(%x: tensor<2x3x8xf32>, %s: tensor<2x3x1xf32>, %z: tensor<2x3x1xui8>) -> tensor<2x3x8xui8> {
  %q = tfm.quantize %x, %s, %z {axis = 2 : i64, block_size = 8 : i64} : (tensor<2x3x8xf32>, tensor<2x3x1xf32>, tensor<2x3x1xui8>) -> tensor<2x3x8xui8>
  return %q : tensor<2x3x8xui8>
}

// -----

// A weight quantized in blocks of 4-bit codes (int4-weights): packed at
// compile time two per byte ([P, K/b, b/2, w], code 2h in the low nibble,
// one panel of all N here), with per-block scales (f16, which holds these
// exactly) and zero points, two blocks' nibbles per byte (an even number
// of blocks: the block axis splits into (K/2b, 2), Z of block 2c+e the
// nibble e of byte c); one generic dequantizes each value
// (u = (byte >> 4t) & 15, (u - Z)·S) and the panel product reduces over
// (K/2b, 2, b/2, 2) from the bias.
// CHECK-DAG: #[[QB:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d5)>
// CHECK-DAG: #[[QS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-DAG: #[[QZ:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d5)>
// CHECK-DAG: #[[QX:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d3, d4, d5, d6)>
// CHECK-DAG: #[[QW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d3, d4, d5, d6, d2)>
// CHECK-LABEL: func.func @linear_int4
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<{{\[\[\[}}24, -16]]]> : tensor<1x1x2xi8>
// CHECK-DAG: %[[SC:.*]] = arith.constant dense<{{\[\[\[\[}}5.000000e-01, 2.500000e-01], [2.000000e+00, 1.000000e+00]]]]> : tensor<1x1x2x2xf16>
// CHECK-DAG: %[[PK:.*]] = arith.constant dense<{{\[\[\[\[\[}}33, 15]], {{\[\[}}67, -119]]]]]> : tensor<1x1x2x1x2xi8>
// CHECK: %[[W:.*]] = linalg.generic {indexing_maps = [#[[QB]], #[[QS]], #[[QZ]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PK]], %[[SC]], %[[ZERO]] : tensor<1x1x2x1x2xi8>, tensor<1x1x2x2xf16>, tensor<1x1x2xi8>) outs(%{{.*}} : tensor<1x1x2x1x2x2xf32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: linalg.index 4 : index
// CHECK: arith.shrui
// CHECK: %[[U:.*]] = arith.andi
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: linalg.index 2 : index
// CHECK: arith.shrui
// CHECK: %[[Z:.*]] = arith.andi
// CHECK: %[[D:.*]] = arith.subi %[[U]], %[[Z]] : i32
// CHECK: %[[V:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: %[[S:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.mulf %[[V]], %[[S]] : f32
// CHECK: %[[X:.*]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2, 3, 4]] output_shape [3, 1, 2, 1, 2]
// CHECK: linalg.generic {indexing_maps = [#[[QX]], #[[QW]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[X]], %[[W]] : tensor<3x1x2x1x2xf32>, tensor<1x1x2x1x2x2xf32>) outs(%{{.*}} : tensor<3x1x2xf32>)
func.func @linear_int4(%x: tensor<3x4xf32>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  %q = tfm.constant dense<[[1, 2, 3, 4], [15, 0, 9, 8]]> : tensor<2x4xui4>
  %s = tfm.constant dense<[[0.5, 2.0], [0.25, 1.0]]> : tensor<2x2xf32>
  %z = tfm.constant dense<[[8, 1], [0, 15]]> : tensor<2x2xui4>
  %w = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x4xui4>, tensor<2x2xf32>, tensor<2x2xui4>) -> tensor<2x4xf32>
  %y = tfm.linear %x, %w, %b : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// An odd number of blocks (3 of 2) keeps one byte per zero point: the
// block axis stays whole.
// CHECK-LABEL: func.func @linear_int4_odd_blocks
// CHECK-DAG: arith.constant dense<{{\[\[\[}}8, 0], [1, 15], [3, 4]]]> : tensor<1x3x2xi8>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x3x1x2x2xf32>)
// CHECK-NOT: linalg.index 2
// CHECK: arith.subi
func.func @linear_int4_odd_blocks(%x: tensor<3x6xf32>) -> tensor<3x2xf32> {
  %q = tfm.constant dense<[[1, 2, 3, 4, 5, 6], [15, 0, 9, 8, 7, 6]]> : tensor<2x6xui4>
  %s = tfm.constant dense<[[0.5, 2.0, 1.0], [0.25, 1.0, 4.0]]> : tensor<2x3xf32>
  %z = tfm.constant dense<[[8, 1, 3], [0, 15, 4]]> : tensor<2x3xui4>
  %w = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x6xui4>, tensor<2x3xf32>, tensor<2x3xui4>) -> tensor<2x6xf32>
  %y = tfm.linear %x, %w : (tensor<3x6xf32>, tensor<2x6xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// 8-bit codes in blocks (MatMulNBits bits = 8) in panels: one code per
// byte, signed codes stored offset by 128 with their zero point
// (Z + 128); no nibble selection.
// CHECK-LABEL: func.func @linear_int8_blocks
// CHECK-DAG: arith.constant dense<{{\[\[\[}}-127, 126], [-128, -128]]]> : tensor<1x2x2xi8>
// CHECK-DAG: arith.constant dense<{{\[\[\[\[}}-127, -126], [-125, -124]], {{\[\[}}-123, -122], [-121, -120]]]]> : tensor<1x2x2x2xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<1x2x2x2xi8>, tensor<1x2x2xf16>, tensor<1x2x2xi8>) outs(%{{.*}} : tensor<1x2x2x2xf32>)
// CHECK-NOT: linalg.index
// CHECK: arith.sitofp
func.func @linear_int8_blocks(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %q = tfm.constant dense<[[[1, 2], [3, 4], [5, 6], [7, 8]]]> : tensor<1x4x2xi8>
  %s = tfm.constant dense<[[[1.0, 0.5], [1.0, 0.5]]]> : tensor<1x2x2xf32>
  %z = tfm.constant dense<[[[1, -2], [0, 0]]]> : tensor<1x2x2xi8>
  %w = tfm.dequantize %q, %s, %z {axis = 1 : i64, block_size = 2 : i64} : (tensor<1x4x2xi8>, tensor<1x2x2xf32>, tensor<1x2x2xi8>) -> tensor<1x4x2xf32>
  %y = tfm.linear %x, %w {out_features = 2 : i64} : (tensor<3x4xf32>, tensor<1x4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A uint8 weight with one zero point per feature (an imported asymmetric
// per-column weight) and a quantized input: the integer product of the
// codes offset to int8 (q - 128, zero points with them: Q - Z unchanged),
// the activations' zero point through the column sums, and the weight's
// through the activations' row sums less K·Za:
//   Σ (a - Za)(q - Z) = Σ a·q - Za·Σ q - Z·(Σ a - K·Za).
// CHECK-LABEL: func.func @linear_weight_zero_points
// CHECK: %[[QT:.*]] = arith.constant dense<{{\[\[}}-128, 72], [0, 73], [127, 74], [-118, 75]]> : tensor<4x2xi8>
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[QT]] : tensor<3x4xi8>, tensor<4x2xi8>) outs(%{{.*}} : tensor<3x2xi32>)
// CHECK: %[[COLS:.*]] = arith.constant dense<[-119, 294]> : tensor<2xi32>
// CHECK: %[[SUMS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<3x4xi8>) outs(%{{.*}} : tensor<3xi32>)
// CHECK: %[[ROWS:.*]] = linalg.generic {{.*}} ins(%[[SUMS]], %{{.*}} : tensor<3xi32>, tensor<i32>) outs(%{{.*}} : tensor<3xi32>)
// CHECK: arith.muli %{{.*}}, %{{.*}} : i32
// CHECK: arith.subi
// CHECK: %[[ZW:.*]] = arith.constant dense<[0, 72]> : tensor<2xi32>
// CHECK: linalg.generic {{.*}} ins(%[[P]], %{{.*}}, %{{.*}}, %{{.*}}, %[[COLS]], %[[ROWS]], %[[ZW]] : tensor<3x2xi32>, tensor<f32>, tensor<2xf32>, tensor<i32>, tensor<2xi32>, tensor<3xi32>, tensor<2xi32>)
// CHECK: %[[A:.*]] = arith.muli %{{.*}}, %{{.*}} : i32
// CHECK: %[[B:.*]] = arith.subi %{{.*}}, %[[A]] : i32
// CHECK: %[[C:.*]] = arith.muli %{{.*}}, %{{.*}} : i32
// CHECK: %[[D:.*]] = arith.subi %[[B]], %[[C]] : i32
// CHECK: arith.sitofp %[[D]] : i32 to f32
func.func @linear_weight_zero_points(%q: tensor<3x4xui8>, %sa: tensor<f32>, %za: tensor<ui8>) -> tensor<3x2xf32> {
  %x = tfm.dequantize %q, %sa, %za : (tensor<3x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<3x4xf32>
  %qw = tfm.constant dense<[[0, 128, 255, 10], [200, 201, 202, 203]]> : tensor<2x4xui8>
  %sw = tfm.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %zw = tfm.constant dense<[128, 200]> : tensor<2xui8>
  %w = tfm.dequantize %qw, %sw, %zw {axis = 0 : i64} : (tensor<2x4xui8>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x4xf32>
  %y = tfm.linear %x, %w : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// The same weight with a float input: no integer product, the weight is
// dequantized.
// CHECK-LABEL: func.func @weight_zero_points_float_input
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4xi8>, tensor<2xf32>, tensor<2xi8>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: arith.subf
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<4x2xf32>)
func.func @weight_zero_points_float_input(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %qw = tfm.constant dense<[[0, 128, 255, 10], [200, 201, 202, 203]]> : tensor<2x4xui8>
  %sw = tfm.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %zw = tfm.constant dense<[128, 200]> : tensor<2xui8>
  %w = tfm.dequantize %qw, %sw, %zw {axis = 0 : i64} : (tensor<2x4xui8>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x4xf32>
  %y = tfm.linear %x, %w : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
