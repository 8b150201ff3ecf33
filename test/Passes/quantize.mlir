// RUN: tfm-opt %s --tfm-quantize --split-input-file | FileCheck %s
// RUN: tfm-opt %s --tfm-quantize="exclude=fc2,matmul,gather" --split-input-file | FileCheck %s --check-prefix=EXCLUDE
// RUN: tfm-opt %s --tfm-quantize="mode=none" --split-input-file | FileCheck %s --check-prefix=NONE
// RUN: tfm-opt %s --tfm-quantize="mode=w8a8-dynamic" --split-input-file | FileCheck %s --check-prefix=W8A8
// RUN: tfm-opt %s --tfm-quantize="mode=int4-weights block-size=4" --split-input-file | FileCheck %s --check-prefix=INT4
// RUN: tfm-opt %s --tfm-quantize="mode=int4-weights block-size=4 report=true" --split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tfm-opt %s --tfm-quantize="mode=int4-weights block-size=16" --split-input-file | FileCheck %s --check-prefix=CLIP
// RUN: not tfm-opt %s --tfm-quantize="mode=int3" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not tfm-opt %s --tfm-quantize="mode=int4-weights block-size=3" 2>&1 | FileCheck %s --check-prefix=BADBLOCK
// RUN: tfm-opt %s --tfm-quantize="mode=w8a8-static" --split-input-file | FileCheck %s --check-prefix=STATIC
// RUN: tfm-opt %s --tfm-quantize="mode=bf16" --split-input-file | FileCheck %s --check-prefix=BF16
// RUN: tfm-opt %s --tfm-quantize="mode=fp16" --split-input-file | FileCheck %s --check-prefix=FP16
// RUN: tfm-opt %s --tfm-quantize="mode=bf16 report=true" --split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=BF16-REPORT

// BAD: for the --mode option: Cannot find option named 'int3'!
// BADBLOCK: error: tfm-quantize: block-size must be an even number from 2 to 4096, got 3

// One scale per output feature, max |W[n, :]| / 127 (1 for a row of
// zeros); values rounded to nearest. The float weight goes.
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense<{{\[\[}}127, -63, 0, 13], [0, 0, 0, 0], [-127, 20, 60, 2]]> : tensor<3x4xi8>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<[1.000000e+00, 1.000000e+00, {{.*}}]> : tensor<3xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]] {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
// CHECK: tfm.linear %{{.*}}, %[[W]], %{{.*}} activation = gelu
// CHECK-NOT: tfm.constant {{.*}} : tensor<3x4xf32>
// NONE-LABEL: func.func @linear
// NONE-NOT: tfm.dequantize
// w8a8-dynamic: the same weight, and the input quantized per row at run
// time: scale max(max |x|, FLT_MIN) / 127, uint8 around 128, one block of
// K = 4 along the last axis.
// W8A8-LABEL: func.func @linear
// W8A8-SAME: (%[[X:.*]]: tensor<2x4xf32>
// W8A8: %[[W:.*]] = tfm.dequantize %{{.*}} {axis = 0 : i64} : (tensor<3x4xi8>, tensor<3xf32>) -> tensor<3x4xf32>
// W8A8: %[[ABS:.*]] = tfm.abs %[[X]]
// W8A8: %[[MAX:.*]] = tfm.reduce_max %[[ABS]] axes = [1] keepdims : (tensor<2x4xf32>) -> tensor<2x1xf32>
// W8A8: %[[TINY:.*]] = tfm.constant dense<1.17549435E-38> : tensor<f32>
// W8A8: %[[POS:.*]] = tfm.max %[[MAX]], %[[TINY]]
// W8A8: %[[R:.*]] = tfm.constant dense<0.00787401571> : tensor<f32>
// W8A8: %[[S:.*]] = tfm.mul %[[POS]], %[[R]]
// W8A8: %[[Z:.*]] = tfm.constant dense<128> : tensor<2x1xui8>
// W8A8: %[[Q:.*]] = tfm.quantize %[[X]], %[[S]], %[[Z]] {axis = 1 : i64, block_size = 4 : i64} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xui8>) -> tensor<2x4xui8>
// W8A8: %[[D:.*]] = tfm.dequantize %[[Q]], %[[S]], %[[Z]] {axis = 1 : i64, block_size = 4 : i64} : (tensor<2x4xui8>, tensor<2x1xf32>, tensor<2x1xui8>) -> tensor<2x4xf32>
// W8A8: tfm.linear %[[D]], %[[W]], %{{.*}} activation = gelu
func.func @linear(%x: tensor<2x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %w = tfm.constant dense<[[127.0, -63.0, 0.0, 12.7], [0.0, 0.0, 0.0, 0.0], [-6.35, 1.0, 3.0, 0.1]]> : tensor<3x4xf32>
  %y = tfm.linear %x, %w, %b activation = gelu : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A matmul by a constant [K, N] matrix becomes a linear on the quantized
// [N, K] weight ([[1, 3], [2, 4]]: scales 3/127 and 4/127); so does a linear reading transpose([K, N]). A weight two
// ops read is quantized once.
// CHECK-LABEL: func.func @transposed
// CHECK: %[[Q:.*]] = tfm.constant dense<{{\[\[}}42, 127], [64, 127]]> : tensor<2x2xi8>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]]
// CHECK-NOT: tfm.dequantize
// CHECK-NOT: tfm.transpose
// CHECK-NOT: tfm.matmul
// CHECK: %[[A:.*]] = tfm.linear %{{.*}}, %[[W]] : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[B:.*]] = tfm.linear %{{.*}}, %[[W]] : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
// EXCLUDE-LABEL: func.func @transposed
// EXCLUDE: tfm.dequantize
// EXCLUDE: tfm.matmul
// EXCLUDE-NOT: tfm.transpose
// EXCLUDE: tfm.linear
func.func @transposed(%x: tensor<1x3x2xf32>, %y: tensor<3x2xf32>) -> (tensor<1x3x2xf32>, tensor<3x2xf32>) {
  %w = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = tfm.matmul %x, %w : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  %t = tfm.transpose %w perm = [1, 0] : tensor<2x2xf32> -> tensor<2x2xf32>
  %b = tfm.linear %y, %t : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %a, %b : tensor<1x3x2xf32>, tensor<3x2xf32>
}

// -----

// A weight blob's scales are a blob too, expanded when they are all equal.
// CHECK-LABEL: func.func @blob_scales
// CHECK-DAG: %[[Q:.*]] = tfm.constant dense_resource<equal.rows.int8> : tensor<2x2xi8>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense_resource<equal.rows.scale> : tensor<2xf32>
// CHECK: tfm.dequantize %[[Q]], %[[S]] {axis = 0 : i64}
func.func @blob_scales(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = tfm.constant dense_resource<equal.rows> : tensor<2x2xf32>
  %a = tfm.linear %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %a : tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      equal.rows: "0x400000000000803F000080BF0000803F0000803F"
    }
  }
#-}

// -----

// Excluded by node name; by weight name; weights that are not constant, or
// already in the panel layout, stay as they are.
// CHECK-LABEL: func.func @kept
// CHECK: tfm.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x2xi8>
// CHECK: tfm.dequantize %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x2xi8>
// CHECK-NOT: tfm.dequantize
// EXCLUDE-LABEL: func.func @kept
// EXCLUDE-NOT: tfm.dequantize
func.func @kept(%x: tensor<3x2xf32>, %v: tensor<2x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %w1 = tfm.constant dense_resource<layer.dense.weight> : tensor<2x2xf32>
  %a = tfm.linear %x, %w1 : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32> loc("fc2")
  %w2 = tfm.constant dense_resource<layer.fc2.weight> : tensor<2x2xf32>
  %b = tfm.linear %x, %w2 : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32> loc("other")
  %c = tfm.linear %x, %v : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %p = tfm.constant dense<1.0> : tensor<1x2x16xf32>
  %d = tfm.linear %x, %p {out_features = 2 : i64} : (tensor<3x2xf32>, tensor<1x2x16xf32>) -> tensor<3x2xf32>
  return %a, %b, %c, %d : tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      layer.dense.weight: "0x40000000000080BF0000803F0000004000000040",
      layer.fc2.weight: "0x40000000000080BF0000803F0000004000000040"
    }
  }
#-}

// -----

// w8a8-dynamic over dynamic rows: the same scale, and int8 without a zero
// point (the uint8 values less 128; a zero-point constant would need the
// rows' run-time shape).
// CHECK-LABEL: func.func @dynamic_rows
// EXCLUDE-LABEL: func.func @dynamic_rows
// W8A8-LABEL: func.func @dynamic_rows
// W8A8: %[[S:.*]] = tfm.mul %{{.*}}, %{{.*}} : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
// W8A8: %[[Q:.*]] = tfm.quantize %arg0, %[[S]] {axis = 1 : i64, block_size = 4 : i64} : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xi8>
// W8A8: %[[D:.*]] = tfm.dequantize %[[Q]], %[[S]] {axis = 1 : i64, block_size = 4 : i64} : (tensor<?x4xi8>, tensor<?x1xf32>) -> tensor<?x4xf32>
// W8A8: tfm.linear %[[D]]
func.func @dynamic_rows(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %w = tfm.constant dense<[[127.0, -63.0, 0.0, 12.7], [0.0, 0.0, 0.0, 0.0], [-6.35, 1.0, 3.0, 0.1]]> : tensor<3x4xf32>
  %y = tfm.linear %x, %w : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// w8a8-dynamic on a linear over an empty K: the weight is quantized, the
// input (rows of no elements) is left as it is.
// CHECK-LABEL: func.func @empty_k
// EXCLUDE-LABEL: func.func @empty_k
// W8A8-LABEL: func.func @empty_k
// W8A8-NOT: tfm.quantize
// W8A8: tfm.linear %arg0, %{{.*}} : (tensor<3x0xf32>, tensor<4x0xf32>) -> tensor<3x4xf32>
func.func @empty_k(%x: tensor<3x0xf32>) -> tensor<3x4xf32> {
  %w = tfm.constant dense<0.0> : tensor<4x0xf32>
  %0 = tfm.linear %x, %w : (tensor<3x0xf32>, tensor<4x0xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// And over no rows: the input is quantized (a [0, 1] scale), nothing runs.
// W8A8-LABEL: func.func @empty_m
// W8A8: tfm.quantize %arg0, %{{.*}}, %{{.*}} {axis = 1 : i64, block_size = 8 : i64} : (tensor<0x8xf32>, tensor<0x1xf32>, tensor<0x1xui8>) -> tensor<0x8xui8>
func.func @empty_m(%x: tensor<0x8xf32>) -> tensor<0x4xf32> {
  %w = tfm.constant dense<0.5> : tensor<4x8xf32>
  %0 = tfm.linear %x, %w : (tensor<0x8xf32>, tensor<4x8xf32>) -> tensor<0x4xf32>
  return %0 : tensor<0x4xf32>
}

// -----

// int4-weights: uint4 in blocks of 4 along K, each with its scale
// (max(0, max) - min(0, min)) / 15, rounded to a value f16 holds (1/3 ->
// 0.333251953), and zero point round(-min / scale); an
// all-zero block gets scale 1 and zero point 0. A K the block does not
// divide (6) gets int8-weights instead.
// With report=true, one remark per quantized weight with its error.
// REPORT: quantize.mlir:[[# @LINE + 11]]:8: remark: quantized '<literal>' [2, 8] as uint4 in blocks of 4: max |W - Q| = 0.167 (5.55 % of max |W|), relative RMS error 0.0436
// REPORT: quantize.mlir:[[# @LINE + 12]]:8: remark: quantized '<literal>' [2, 6] as int8 per channel: max |W - Q| = 0.00984 (0.33 % of max |W|), relative RMS error 0.00441
// INT4-LABEL: func.func @int4_blocks
// INT4-DAG: %[[Q:.*]] = tfm.constant dense<{{\[\[}}9, 0, 15, 8, 0, 0, 0, 0], [4, 7, 11, 15, 11, 8, 4, 0]]> : tensor<2x8xui4>
// INT4-DAG: %[[S:.*]] = tfm.constant dense<{{\[\[}}0.333251953, 1.000000e+00], [0.0266723633, 0.0266723633]]> : tensor<2x2xf32>
// INT4-DAG: %[[Z:.*]] = tfm.constant dense<{{\[\[}}6, 0], [0, 15]]> : tensor<2x2xui4>
// INT4: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]], %[[Z]] {axis = 1 : i64, block_size = 4 : i64} : (tensor<2x8xui4>, tensor<2x2xf32>, tensor<2x2xui4>) -> tensor<2x8xf32>
// INT4: tfm.linear %arg0, %[[W]] :
// INT4: %[[Q8:.*]] = tfm.constant dense<{{.*}}> : tensor<2x6xi8>
// INT4: tfm.dequantize %[[Q8]], %{{.*}} {axis = 0 : i64} : (tensor<2x6xi8>, tensor<2xf32>) -> tensor<2x6xf32>
func.func @int4_blocks(%x: tensor<3x8xf32>, %z: tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %w = tfm.constant dense<[[1.0, -2.0, 3.0, 0.5, 0.0, 0.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4, -0.1, -0.2, -0.3, -0.4]]> : tensor<2x8xf32>
  %y = tfm.linear %x, %w : (tensor<3x8xf32>, tensor<2x8xf32>) -> tensor<3x2xf32>
  %v = tfm.constant dense<[[1.0, -2.0, 3.0, 0.5, 0.25, 1.0], [0.1, 0.2, 0.3, 0.4, -0.1, -0.2]]> : tensor<2x6xf32>
  %u = tfm.linear %z, %v : (tensor<3x6xf32>, tensor<2x6xf32>) -> tensor<3x2xf32>
  return %y, %u : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// Embedding tables: the gather reads rows of the quantized table (shared
// with the tied linear), dequantized after it along the last axis: int8 one
// scale per row (a block of the whole row), int4 the table's own blocks,
// its scales (which f16 holds exactly) gathered from an f16 table.
// CHECK-LABEL: func.func @embedding
// CHECK: %[[Q:.*]] = tfm.constant dense<{{.*}}> : tensor<3x4xi8>
// CHECK: %[[S:.*]] = tfm.constant dense<{{.*}}> : tensor<3xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]] {axis = 0 : i64}
// CHECK: %[[QR:.*]] = tfm.gather %[[Q]], %arg0 axis = 0 : (tensor<3x4xi8>, tensor<2xi64>) -> tensor<2x4xi8>
// CHECK: %[[SR:.*]] = tfm.gather %[[S]], %arg0 axis = 0 : (tensor<3xf32>, tensor<2xi64>) -> tensor<2xf32>
// CHECK: %[[SR1:.*]] = tfm.reshape %[[SR]] : tensor<2xf32> -> tensor<2x1xf32>
// CHECK: %[[E:.*]] = tfm.dequantize %[[QR]], %[[SR1]] {axis = 1 : i64, block_size = 4 : i64} : (tensor<2x4xi8>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK: tfm.linear %[[E]], %[[W]]
// CHECK-NOT: tfm.constant dense<{{.*}}> : tensor<3x4xf32>
// INT4-LABEL: func.func @embedding
// INT4: %[[QR:.*]] = tfm.gather %{{.*}}, %arg0 axis = 0 : (tensor<3x4xui4>, tensor<2xi64>) -> tensor<2x4xui4>
// INT4: %[[SH:.*]] = tfm.constant dense<{{.*}}> : tensor<3x1xf16>
// INT4: %[[SG:.*]] = tfm.gather %[[SH]], %arg0 axis = 0 : (tensor<3x1xf16>, tensor<2xi64>) -> tensor<2x1xf16>
// INT4: %[[SR:.*]] = tfm.cast %[[SG]] : tensor<2x1xf16> to tensor<2x1xf32>
// INT4: %[[ZR:.*]] = tfm.gather %{{.*}}, %arg0 axis = 0 : (tensor<3x1xui4>, tensor<2xi64>) -> tensor<2x1xui4>
// INT4: tfm.dequantize %[[QR]], %[[SR]], %[[ZR]] {axis = 1 : i64, block_size = 4 : i64}
// EXCLUDE-LABEL: func.func @embedding
// EXCLUDE: tfm.gather %{{.*}}, %arg0 axis = 0 : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
func.func @embedding(%ids: tensor<2xi64>) -> tensor<2x3xf32> {
  %t = tfm.constant dense<[[1.0, -2.0, 3.0, 0.5], [0.1, 0.2, 0.3, 0.4], [1.0, 1.0, 1.0, -1.0]]> : tensor<3x4xf32>
  %e = tfm.gather %t, %ids axis = 0 : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  %y = tfm.linear %e, %t : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// int4-weights searches each block's range: of the range shrunk by 1, 0.95,
// ..., 0.75, the one with the least squared error. Here 0.95: the scale is
// 0.95 x (1.79 + 1.86) / 15 (0.231166661, in f16 0.231201172) and the
// extremes saturate.
// CLIP-LABEL: func.func @int4_clip
// CLIP-DAG: tfm.constant dense<{{\[\[}}15, 10, 8, 0, 7, 6, 8, 5, 8, 6, 2, 12, 12, 15, 8, 6]]> : tensor<1x16xui4>
// CLIP-DAG: tfm.constant dense<0.231201172> : tensor<1x1xf32>
// CLIP-DAG: tfm.constant dense<8> : tensor<1x1xui4>
func.func @int4_clip(%x: tensor<1x16xf32>) -> tensor<1x1xf32> {
  %w = tfm.constant dense<[[1.79, 0.44, 0.10, -1.86, -0.28, -0.35, -0.08, -0.63, -0.04, -0.48, -1.31, 0.88, 0.88, 1.71, 0.05, -0.40]]> : tensor<1x16xf32>
  %y = tfm.linear %x, %w : (tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

// w8a8-static: a linear with a calibrated range [-1.5, 3.6] gets its input
// quantized per tensor with constants, s = 5.1 / 255 = 0.02 and
// z = round(1.5 / 0.02) = 75; one without a range keeps a float input.
// STATIC-LABEL: func.func @calibrated
// STATIC-SAME: (%[[X:[a-z0-9]*]]: tensor<2x4xf32>, %[[Y:[a-z0-9]*]]: tensor<2x4xf32>)
// STATIC-DAG: %[[S:.*]] = tfm.constant dense<2.000000e-02> : tensor<f32>
// STATIC-DAG: %[[Z:.*]] = tfm.constant dense<75> : tensor<ui8>
// STATIC: %[[Q:.*]] = tfm.quantize %[[X]], %[[S]], %[[Z]] : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
// STATIC: %[[D:.*]] = tfm.dequantize %[[Q]], %[[S]], %[[Z]] : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
// STATIC: tfm.linear %[[D]], %{{.*}} {tfm.input_range = array<f32: -1.500000e+00, 3.600000e+00>}
// STATIC: tfm.linear %[[X]], %{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
// A range that does not hold 0 is widened to hold it: [0, 2.55], z = 0.
// STATIC: tfm.constant dense<0> : tensor<ui8>
func.func @calibrated(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = tfm.constant dense<0.5> : tensor<3x4xf32>
  %0 = tfm.linear %x, %w {tfm.input_range = array<f32: -1.5, 3.6>} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %1 = tfm.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %2 = tfm.linear %y, %w {tfm.input_range = array<f32: 1.0, 2.55>} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Mixed precision: each weight rounded to the narrow float at compile time
// (to nearest, ties to even: 1 + 2^-8 -> 1, 1 + 3·2^-8 -> 1 + 2^-6) and
// read through a widening cast; the input rounded at run time, once for
// both linears that read it; the embedding table stored narrow and widened
// after the gather. The bias stays f32.
// BF16-LABEL: func.func @mixed
// BF16-SAME: (%[[X:[^:]*]]: tensor<2x4xf32>, %[[IDS:[^:]*]]: tensor<2xi64>, %[[B:[^:]*]]: tensor<3xf32>)
// BF16: %[[N:.*]] = tfm.cast %[[X]] : tensor<2x4xf32> to tensor<2x4xbf16>
// BF16: %[[R:.*]] = tfm.cast %[[N]] : tensor<2x4xbf16> to tensor<2x4xf32>
// BF16: %[[W16:.*]] = tfm.constant dense<{{\[\[}}1.000000e+00, 1.015630e+00, -2.000000e+00, 5.000000e-01], [3.000000e+00, 0.000000e+00, 6.553600e+04, {{.*}}]]> : tensor<3x4xbf16>
// BF16: %[[W:.*]] = tfm.cast %[[W16]] : tensor<3x4xbf16> to tensor<3x4xf32>
// BF16: tfm.linear %[[R]], %[[W]], %[[B]] activation = relu
// BF16: %[[V16:.*]] = tfm.constant {{.*}} : tensor<3x4xbf16>
// BF16: %[[V:.*]] = tfm.cast %[[V16]] : tensor<3x4xbf16> to tensor<3x4xf32>
// BF16: tfm.linear %[[R]], %[[V]] :
// BF16: %[[ROWS:.*]] = tfm.gather %[[V16]], %[[IDS]] axis = 0 : (tensor<3x4xbf16>, tensor<2xi64>) -> tensor<2x4xbf16>
// BF16: %[[E:.*]] = tfm.cast %[[ROWS]] : tensor<2x4xbf16> to tensor<2x4xf32>
// BF16: return %{{.*}}, %{{.*}}, %[[E]]
// BF16-NOT: tfm.constant {{.*}}xf32>
// f16 cannot hold 65520: that weight stays f32, the other goes to f16.
// FP16-LABEL: func.func @mixed
// FP16: tfm.cast %{{.*}} : tensor<2x4xf32> to tensor<2x4xf16>
// FP16: %[[W:.*]] = tfm.constant {{.*}} : tensor<3x4xf32>
// FP16: tfm.linear %{{.*}}, %[[W]], %{{.*}} activation = relu
// FP16: %[[V16:.*]] = tfm.constant {{.*}} : tensor<3x4xf16>
// FP16: tfm.cast %[[V16]] : tensor<3x4xf16> to tensor<3x4xf32>
// FP16: tfm.gather %[[V16]]
// BF16-REPORT: remark: quantized '<literal>' [3, 4] as bf16: max |W - Q| = 16 (0.02 % of max |W|)
// BF16-REPORT: remark: quantized '<literal>' [3, 4] as bf16: max |W - Q| = 0 (0.00 % of max |W|)
func.func @mixed(%x: tensor<2x4xf32>, %ids: tensor<2xi64>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x4xf32>) {
  %w = tfm.constant dense<[[1.00390625, 1.01171875, -2.0, 0.5], [3.0, 0.0, 65520.0, 1.0e-8], [1.0, 2.0, 3.0, 4.0]]> : tensor<3x4xf32>
  %y = tfm.linear %x, %w, %b activation = relu : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %v = tfm.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [1.5, 2.5, 3.5, 4.5]]> : tensor<3x4xf32>
  %z = tfm.linear %x, %v : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %e = tfm.gather %v, %ids axis = 0 : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return %y, %z, %e : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x4xf32>
}
