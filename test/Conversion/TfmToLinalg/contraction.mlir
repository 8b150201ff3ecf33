// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s
// RUN: tfm-opt %s --convert-tfm-to-linalg="bf16-dot=true" --split-input-file | FileCheck %s --check-prefix=DOT2

// A matmul by a 2-D weight folds its batch into the rows of one
// linalg.matmul.
// CHECK-LABEL: func.func @matmul_weights
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x16xf32>, %[[W:.*]]: tensor<16x32xf32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x8x16xf32> into tensor<16x16xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[ROWS]], %[[W]] : tensor<16x16xf32>, tensor<16x32xf32>) outs(%[[ZERO]] : tensor<16x32xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [2, 8, 32]
func.func @matmul_weights(%x: tensor<2x8x16xf32>, %w: tensor<16x32xf32>) -> tensor<2x8x32xf32> {
  %0 = tfm.matmul %x, %w : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  return %0 : tensor<2x8x32xf32>
}

// -----

// Equal batch dimensions collapse into one batch_matmul.
// CHECK-LABEL: func.func @matmul_batch
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<2x4x16x8xf32> into tensor<8x16x8xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<8x8x16xf32>, tensor<8x16x8xf32>)
// CHECK: tensor.expand_shape {{.*}} output_shape [2, 4, 8, 8]
func.func @matmul_batch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32> {
  %0 = tfm.matmul %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

// -----

// Broadcast batch dimensions: a contraction generic whose maps skip them.
// CHECK: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast
// CHECK: %[[A:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : tensor<2x1x8x16xf32> into tensor<2x8x16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %{{.*}} : tensor<2x8x16xf32>, tensor<4x16x8xf32>)
func.func @matmul_broadcast(%a: tensor<2x1x8x16xf32>, %b: tensor<4x16x8xf32>) -> tensor<2x4x8x8xf32> {
  %0 = tfm.matmul %a, %b : (tensor<2x1x8x16xf32>, tensor<4x16x8xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

// -----

// f16 products accumulate in f32, then round once.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8x8xf32>)
// CHECK: ^bb0(%[[L:.*]]: f16, %[[R:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK: %[[LW:.*]] = arith.extf %[[L]] : f16 to f32
// CHECK: %[[RW:.*]] = arith.extf %[[R]] : f16 to f32
// CHECK: %[[P:.*]] = arith.mulf %[[LW]], %[[RW]] : f32
// CHECK: arith.addf %[[ACC]], %[[P]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @matmul_f16(%a: tensor<8x16xf16>, %b: tensor<16x8xf16>) -> tensor<8x8xf16> {
  %0 = tfm.matmul %a, %b : (tensor<8x16xf16>, tensor<16x8xf16>) -> tensor<8x8xf16>
  return %0 : tensor<8x8xf16>
}

// -----

// A constant linear weight is transposed at compile time; the bias
// initializes the output.
// CHECK: #[[BIAS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear_constant
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x3xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: %[[ROWS:.*]] = tensor.collapse_shape %[[X]]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.*}}]{{.*}} ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<8x2xf32>)
// CHECK: linalg.matmul ins(%[[ROWS]], %[[WT]] : tensor<8x3xf32>, tensor<3x2xf32>) outs(%[[INIT]] : tensor<8x2xf32>)
func.func @linear_constant(%x: tensor<2x4x3xf32>, %b: tensor<2xf32>) -> tensor<2x4x2xf32> {
  %w = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = tfm.linear %x, %w, %b : (tensor<2x4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x4x2xf32>
  return %0 : tensor<2x4x2xf32>
}

// -----

// A weight computed at run time is transposed by a linalg.transpose.
// CHECK-LABEL: func.func @linear_dynamic_weight
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[W:.*]]: tensor<2x3xf32>)
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%[[X]], %[[WT]] : tensor<4x3xf32>, tensor<3x2xf32>)
func.func @linear_dynamic_weight(%x: tensor<4x3xf32>, %w: tensor<2x3xf32>) -> tensor<4x2xf32> {
  %0 = tfm.linear %x, %w : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// A weight built as transpose(W) (a fused MatMul) is read as W, [K, N],
// without a copy.
// CHECK-LABEL: func.func @linear_transposed_weight
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[W:.*]]: tensor<3x2xf32>)
// CHECK: linalg.matmul ins(%[[X]], %[[W]] : tensor<4x3xf32>, tensor<3x2xf32>)
func.func @linear_transposed_weight(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>) -> tensor<4x2xf32> {
  %wt = tfm.transpose %w perm = [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  %0 = tfm.linear %x, %wt : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// A weight in the panel layout [P, K, w] is contracted as it is, into
// [M, P, w]; the bias is padded to whole panels, and the padding columns
// are sliced off before the epilogue.
// CHECK-DAG: #[[BIASP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @linear_panels
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[W:.*]]: tensor<2x3x2xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[PB:.*]] = tensor.pad %[[B]] low[0] high[1]
// CHECK: %[[B2:.*]] = tensor.expand_shape %[[PB]] {{\[}}[0, 1]] output_shape [2, 2]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIASP]], #{{.*}}]{{.*}} ins(%[[B2]] : tensor<2x2xf32>) outs(%{{.*}} : tensor<4x2x2xf32>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<4x3xf32>, tensor<2x3x2xf32>) outs(%[[INIT]] : tensor<4x2x2xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[P]] {{\[}}[0], [1, 2]] : tensor<4x2x2xf32> into tensor<4x4xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[FLAT]][0, 0] [4, 3] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<4x3xf32>)
// CHECK: arith.maximumf
func.func @linear_panels(%x: tensor<4x3xf32>, %w: tensor<2x3x2xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = tfm.linear %x, %w, %b activation = relu {out_features = 3 : i64} : (tensor<4x3xf32>, tensor<2x3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// The epilogue runs on the product in the compute type: the activation,
// then the residual, then the truncation to f16.
// CHECK-LABEL: func.func @linear_epilogue
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf16>, %[[W:.*]]: tensor<2x3xf16>, %[[R:.*]]: tensor<4x2xf16>)
// CHECK: %[[P:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.generic {{.*}} ins(%[[P]], %[[R]] : tensor<4x2xf32>, tensor<4x2xf16>)
// CHECK: math.erf
// CHECK: %[[E:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.addf %{{.*}}, %[[E]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @linear_epilogue(%x: tensor<4x3xf16>, %w: tensor<2x3xf16>, %r: tensor<4x2xf16>) -> tensor<4x2xf16> {
  %0 = tfm.linear %x, %w residual(%r) activation = gelu : (tensor<4x3xf16>, tensor<2x3xf16>, tensor<4x2xf16>) -> tensor<4x2xf16>
  return %0 : tensor<4x2xf16>
}

// -----

// Grouped, strided, padded conv: the padded input and the weight are split
// by group; the input map walks out * stride + kernel * dilation.
// CHECK: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-LABEL: func.func @conv
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[GIN:.*]] = tensor.expand_shape %[[PAD]] {{.*}} output_shape [1, 2, 2, 10, 10]
// CHECK: %[[GW:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 3, 2, 3, 3]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[GIN]], %[[GW]]
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  %0 = tfm.conv %x, %w, %b strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] groups = 2
      : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// Mixed precision (a bf16 weight in panels, the input rounded to bf16 and
// widened): without a bf16 dot product the panel product reads the f32
// rows and the bf16 panels, widened in the body; with `bf16-dot` the
// panels are regrouped in pairs of K at compile time, [P, K/2, w, 2], and
// the product reads the bf16 input as [M, K/2, 2] (loops m, p, g, j, t).
// CHECK-LABEL: func.func @narrow_panels
// CHECK: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x4x2xbf16>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3x4xbf16>) outs(%{{.*}} : tensor<3x4xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[R]], %[[W]] : tensor<3x4xf32>, tensor<2x4x2xbf16>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: bf16, %[[ACC:.*]]: f32):
// CHECK: %[[E:.*]] = arith.extf %[[B]] : bf16 to f32
// CHECK: %[[P:.*]] = arith.mulf %[[A]], %[[E]]
// CHECK: arith.addf %[[ACC]], %[[P]]
// DOT2-LABEL: func.func @narrow_panels
// DOT2: %[[N:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3x4xf32>) outs(%{{.*}} : tensor<3x4xbf16>)
// DOT2: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]], {{\[\[}}5.000000e+00, 7.000000e+00], [6.000000e+00, 8.000000e+00]]], {{\[\[\[}}1.500000e+00, 2.500000e+00], [0.000000e+00, 0.000000e+00]], {{\[\[}}3.500000e+00, 4.500000e+00], [0.000000e+00, 0.000000e+00]]]]> : tensor<2x2x2x2xbf16>
// DOT2: %[[NP:.*]] = tensor.expand_shape %[[N]] {{\[\[}}0], [1, 2]] output_shape [3, 2, 2]
// DOT2: %[[PROD:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction"]} ins(%[[NP]], %[[W]] : tensor<3x2x2xbf16>, tensor<2x2x2x2xbf16>) outs(%{{.*}} : tensor<3x2x2xf32>)
// DOT2: arith.extf %{{.*}} : bf16 to f32
// DOT2: arith.extf %{{.*}} : bf16 to f32
// DOT2: arith.mulf
// DOT2: arith.addf
// DOT2: tensor.collapse_shape %[[PROD]] {{\[\[}}0], [1, 2]] : tensor<3x2x2xf32> into tensor<3x4xf32>
// DOT2: tensor.extract_slice %{{.*}}[0, 0] [3, 3] [1, 1]
func.func @narrow_panels(%x: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<3x3xf32> {
  %w16 = tfm.constant dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], [[1.5, 0.0], [2.5, 0.0], [3.5, 0.0], [4.5, 0.0]]]> : tensor<2x4x2xbf16>
  %w = tfm.cast %w16 : tensor<2x4x2xbf16> to tensor<2x4x2xf32>
  %x16 = tfm.cast %x : tensor<3x4xf32> to tensor<3x4xbf16>
  %xr = tfm.cast %x16 : tensor<3x4xbf16> to tensor<3x4xf32>
  %y = tfm.linear %xr, %w, %b {out_features = 3 : i64} : (tensor<3x4xf32>, tensor<2x4x2xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

// An f16 weight in [N, K]: transposed at compile time and contracted
// narrow into an f32 accumulator initialized with the bias.
// CHECK-LABEL: func.func @narrow_matrix
// CHECK: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[WT]] : tensor<5x2xf32>, tensor<2x2xf16>) outs(%{{.*}} : tensor<5x2xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
func.func @narrow_matrix(%x: tensor<5x2xf32>, %b: tensor<2xf32>) -> tensor<5x2xf32> {
  %w16 = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf16>
  %w = tfm.cast %w16 : tensor<2x2xf16> to tensor<2x2xf32>
  %y = tfm.linear %x, %w, %b : (tensor<5x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}
