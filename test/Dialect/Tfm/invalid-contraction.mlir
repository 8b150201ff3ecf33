// Verifier errors of matmul and linear, one case per labelled constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// matmul_c1: operands have rank 2 or more.
func.func @matmul_c1(%a: tensor<8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{'tfm.matmul' op matmul_c1: operands must have rank >= 2, got lhs 'tensor<8xf32>' and rhs 'tensor<8x4xf32>'}}
  %0 = "tfm.matmul"(%a, %b) : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  return
}

// -----

// matmul_c2: operands share an element type.
func.func @matmul_c2(%a: tensor<2x8xf32>, %b: tensor<8x4xbf16>) {
  // expected-error @+1 {{'tfm.matmul' op matmul_c2: lhs element type 'f32' differs from rhs element type 'bf16'}}
  %0 = "tfm.matmul"(%a, %b) : (tensor<2x8xf32>, tensor<8x4xbf16>) -> tensor<2x4xf32>
  return
}

// -----

// matmul_c3: contracted dimensions agree.
func.func @matmul_c3(%a: tensor<2x8xf32>, %b: tensor<6x4xf32>) {
  // expected-error @+1 {{'tfm.matmul' op matmul_c3: contracted dimensions differ: lhs [2, 8] has K = 8, rhs [6, 4] has K = 6}}
  %0 = tfm.matmul %a, %b : (tensor<2x8xf32>, tensor<6x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// matmul_c4: batch dimensions broadcast.
func.func @matmul_c4(%a: tensor<3x2x8xf32>, %b: tensor<5x8x4xf32>) {
  // expected-error @+1 {{'tfm.matmul' op matmul_c4: batch dimensions of lhs [3, 2, 8] and rhs [5, 8, 4] are not broadcast-compatible}}
  %0 = tfm.matmul %a, %b : (tensor<3x2x8xf32>, tensor<5x8x4xf32>) -> tensor<3x2x4xf32>
  return
}

// -----

// matmul_c5: the result shape is batch + [M, N].
func.func @matmul_c5(%a: tensor<3x2x8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{'tfm.matmul' op matmul_c5: result type 'tensor<3x4x2xf32>' differs from the inferred type 'tensor<3x2x4xf32>'}}
  %0 = tfm.matmul %a, %b : (tensor<3x2x8xf32>, tensor<8x4xf32>) -> tensor<3x4x2xf32>
  return
}

// -----

// linear_c1: the weight is [N, K].
func.func @linear_c1(%x: tensor<2x8xf32>, %w: tensor<1x4x8xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c1: weight must have rank 2 [N, K], got 'tensor<1x4x8xf32>'}}
  %0 = tfm.linear %x, %w : (tensor<2x8xf32>, tensor<1x4x8xf32>) -> tensor<2x4xf32>
  return
}

// -----

// linear_c1: a weight in the panel layout (out_features) is [P, K, w].
func.func @linear_c1_panels(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c1: a weight in the panel layout (out_features) must have rank 3 [P, K, w], got 'tensor<4x8xf32>'}}
  %0 = tfm.linear %x, %w {out_features = 4 : i64} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return
}

// -----

// linear_c2: the input has rank 1 or more.
func.func @linear_c2(%x: tensor<f32>, %w: tensor<4x1xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c2: input must have rank >= 1, got 'tensor<f32>'}}
  %0 = "tfm.linear"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 0, 0>}> : (tensor<f32>, tensor<4x1xf32>) -> tensor<4xf32>
  return
}

// -----

// linear_c3: input, weight and bias share an element type.
func.func @linear_c3(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.linear' op linear_c3: bias element type 'f16' differs from input element type 'f32'}}
  %0 = tfm.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf16>) -> tensor<2x4xf32>
  return
}

// -----

// linear_c3: input, weight and bias share an element type.
func.func @linear_c3_weight(%x: tensor<2x8xf32>, %w: tensor<4x8xbf16>) {
  // expected-error @+1 {{'tfm.linear' op linear_c3: weight element type 'bf16' differs from input element type 'f32'}}
  %0 = tfm.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xbf16>) -> tensor<2x4xf32>
  return
}

// -----

// linear_c4: the input ends in the weight's K.
func.func @linear_c4(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c4: input [2, 8] does not end in the weight's K = 4 (weight [8, 4])}}
  %0 = tfm.linear %x, %w : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

// linear_c5: the bias is [N].
func.func @linear_c5(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c5: bias shape [8] must be [4] to match weight [4, 8]}}
  %0 = tfm.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  return
}

// -----

// linear_c6: the result is input[:-1] + [N].
func.func @linear_c6(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c6: result type 'tensor<2x8xf32>' differs from the inferred type 'tensor<2x4xf32>'}}
  %0 = tfm.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// conv_c1: input and weight share a rank of at least 3.
func.func @conv_c1(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'tfm.conv' op conv_c1: input 'tensor<1x3x8x8xf32>' and weight 'tensor<4x3x3xf32>' must have the same rank, at least 3}}
  %0 = tfm.conv %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv_c2: one stride and dilation per spatial dimension, two paddings.
func.func @conv_c2(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'tfm.conv' op conv_c2: strides [1] and dilations [1, 1] need 2 positive entries and padding [0, 0, 0, 0] 4 non-negative ones}}
  %0 = tfm.conv %x, %w strides = [1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// conv_c3: groups split the channels evenly.
func.func @conv_c3(%x: tensor<1x6x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'tfm.conv' op conv_c3: groups = 3 must divide the 4 output channels, and input channels 6 must equal weight[1] = 3 times groups}}
  %0 = tfm.conv %x, %w strides = [1] padding = [0, 0] dilations = [1] groups = 3 : (tensor<1x6x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6xf32>
  return
}

// -----

// conv_c4: the bias is [M] with the input's element type.
func.func @conv_c4(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.conv' op conv_c4: bias 'tensor<3xf32>' must be [4] of element type 'f32'}}
  %0 = tfm.conv %x, %w, %b strides = [1] padding = [0, 0] dilations = [1] groups = 1 : (tensor<1x3x8xf32>, tensor<4x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6xf32>
  return
}

// -----

// conv_c5: the kernel fits the padded input.
func.func @conv_c5(%x: tensor<1x3x2xf32>, %w: tensor<4x3x5xf32>) {
  // expected-error @+1 {{'tfm.conv' op conv_c5: spatial dimension 0 of input [1, 3, 2] is smaller than the dilated kernel [4, 3, 5]}}
  %0 = tfm.conv %x, %w strides = [1] padding = [0, 0] dilations = [1] groups = 1 : (tensor<1x3x2xf32>, tensor<4x3x5xf32>) -> tensor<1x4x1xf32>
  return
}

// -----

// conv_c6: the result is [N, M, out...].
func.func @conv_c6(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'tfm.conv' op conv_c6: result type 'tensor<1x4x8xf32>' differs from the inferred type 'tensor<1x4x6xf32>'}}
  %0 = tfm.conv %x, %w strides = [1] padding = [0, 0] dilations = [1] groups = 1 : (tensor<1x3x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// linear_c7: the residual has the result's shape.
func.func @linear_c7(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %r: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c7: residual shape [4] differs from the result shape [2, 4]}}
  %0 = tfm.linear %x, %w residual(%r) : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// linear_c5: in the panel layout the bias is [out_features].
func.func @linear_c5_panels(%x: tensor<2x8xf32>, %w: tensor<2x8x16xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c5: bias shape [32] must be [20] to match out_features}}
  %0 = tfm.linear %x, %w, %b {out_features = 20 : i64} : (tensor<2x8xf32>, tensor<2x8x16xf32>, tensor<32xf32>) -> tensor<2x20xf32>
  return
}

// -----

// linear_c8: the weight has ceil(out_features / w) panels.
func.func @linear_c8(%x: tensor<2x8xf32>, %w: tensor<2x8x16xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c8: out_features = 40 needs ceil(40 / 16) panels, the weight [2, 8, 16] has 2}}
  %0 = tfm.linear %x, %w {out_features = 40 : i64} : (tensor<2x8xf32>, tensor<2x8x16xf32>) -> tensor<2x40xf32>
  return
}

// -----

// linear_c8: out_features is positive.
func.func @linear_c8_positive(%x: tensor<2x8xf32>, %w: tensor<0x8x16xf32>) {
  // expected-error @+1 {{'tfm.linear' op linear_c8: out_features must be positive, got 0}}
  %0 = tfm.linear %x, %w {out_features = 0 : i64} : (tensor<2x8xf32>, tensor<0x8x16xf32>) -> tensor<2x0xf32>
  return
}

// -----

// sparse_linear_c1: values is [B, w], cols [B].
func.func @sparse_linear_c1_blocks(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>, %c: tensor<2xi32>, %o: tensor<3xi32>) {
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c1: values has 3 blocks and cols 2}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<2xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return
}

// -----

// sparse_linear_c1: one offset per panel, plus one.
func.func @sparse_linear_c1_offsets(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>, %c: tensor<3xi32>, %o: tensor<2xi32>) {
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c1: offsets must have 3 elements (one per panel of 4, plus one), got 'tensor<2xi32>'}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<2xi32>) -> tensor<3x8xf32>
  return
}

// -----

// sparse_linear_c2: out_features is a multiple of the block width.
func.func @sparse_linear_c2_width(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>, %c: tensor<3xi32>, %o: tensor<3xi32>) {
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c2: out_features = 6 must be a positive multiple of the block width 4}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 6 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x6xf32>
  return
}

// -----

// sparse_linear_c4: the bias has N elements.
func.func @sparse_linear_c4_bias(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>, %c: tensor<3xi32>, %o: tensor<3xi32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c4: bias must be [8] of the input's element type, got 'tensor<4xf32>'}}
  %0 = tfm.sparse_linear %x, %v, %c, %o, %b {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<4xf32>) -> tensor<3x8xf32>
  return
}

// -----

// sparse_linear_c5: constant offsets start at 0 and do not decrease.
func.func @sparse_linear_c5_offsets(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>) {
  %c = tfm.constant dense<[0, 1, 2]> : tensor<3xi32>
  %o = tfm.constant dense<[0, 3, 2]> : tensor<3xi32>
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c5: offsets[2] = 2 breaks the panel ranges: offsets must start at 0, not decrease and stay within the 3 blocks}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return
}

// -----

// sparse_linear_c5: the last offset is the number of blocks.
func.func @sparse_linear_c5_last(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>) {
  %c = tfm.constant dense<[0, 1, 2]> : tensor<3xi32>
  %o = tfm.constant dense<[0, 1, 2]> : tensor<3xi32>
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c5: the last offset is 2, not the number of blocks 3}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return
}

// -----

// sparse_linear_c5: every stored block's input feature is in [0, K).
func.func @sparse_linear_c5_cols(%x: tensor<3x6xf32>, %v: tensor<3x4xf32>) {
  %c = tfm.constant dense<[0, 6, 2]> : tensor<3xi32>
  %o = tfm.constant dense<[0, 2, 3]> : tensor<3xi32>
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c5: cols[1] = 6 is outside the input's K = 6}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xf32>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return
}

// -----

// sparse_linear_c1: int8 values carry one scale per output feature.
func.func @sparse_linear_c1_int8_scales(%x: tensor<3x6xf32>, %v: tensor<3x4xi8>, %c: tensor<3xi32>, %o: tensor<3xi32>) {
  // expected-error @+1 {{'tfm.sparse_linear' op sparse_linear_c1: i8 values need scales}}
  %0 = tfm.sparse_linear %x, %v, %c, %o {out_features = 8 : i64} : (tensor<3x6xf32>, tensor<3x4xi8>, tensor<3xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c2: 0 < n < m <= 16.
func.func @nm_sparse_linear_c2(%x: tensor<3x8xf32>, %v: tensor<2x8x4xf32>, %meta: tensor<2x2x4xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c2: needs 0 < n < m <= 16, got 4:4}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 4 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x8x4xf32>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c1: values [P, G * n, w] and meta [P, G, w].
func.func @nm_sparse_linear_c1_shapes(%x: tensor<3x8xf32>, %v: tensor<2x3x4xf32>, %meta: tensor<2x2x4xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c1: values [2, 3, 4] and meta [2, 2, 4] must be [P, G * n, w] and [P, G, w] with n = 2}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 2 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x3x4xf32>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c1: panels of at least one feature.
func.func @nm_sparse_linear_c1_width(%x: tensor<3x8xf32>, %v: tensor<2x4x0xf32>, %meta: tensor<2x2x0xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c1: values [2, 4, 0] and meta [2, 2, 0] must be [P, G * n, w] and [P, G, w] with n = 2}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 2 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x4x0xf32>, tensor<2x2x0xi8>) -> tensor<3x0xf32>
  return
}

// -----

// nm_sparse_linear_c1: 4:8 needs four places of three bits, more than i8.
func.func @nm_sparse_linear_c1_meta_width(%x: tensor<3x16xf32>, %v: tensor<2x8x4xf32>, %meta: tensor<2x2x4xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c1: meta element type 'i8' cannot hold 4 places of 3 bits}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 4 : i64, m = 8 : i64} : (tensor<3x16xf32>, tensor<2x8x4xf32>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c1: values of the input's element type.
func.func @nm_sparse_linear_c1_type(%x: tensor<3x8xf32>, %v: tensor<2x4x4xf16>, %meta: tensor<2x2x4xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c1: values element type 'f16' differs from input element type 'f32'}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 2 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x4x4xf16>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c3: the input's K is the groups times m.
func.func @nm_sparse_linear_c3(%x: tensor<3x6xf32>, %v: tensor<2x4x4xf32>, %meta: tensor<2x2x4xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c3: input [3, 6] must have K = 8 (2 groups of 4)}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 2 : i64, m = 4 : i64} : (tensor<3x6xf32>, tensor<2x4x4xf32>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c4: the bias has N = P * w elements.
func.func @nm_sparse_linear_c4(%x: tensor<3x8xf32>, %v: tensor<2x4x4xf32>, %meta: tensor<2x2x4xi8>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c4: bias must be [8] of the input's element type, got 'tensor<4xf32>'}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta, %b {n = 2 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x4x4xf32>, tensor<2x2x4xi8>, tensor<4xf32>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c5: constant places increase within a group (0b0101
// places both kept weights at 1).
func.func @nm_sparse_linear_c5_order(%x: tensor<3x8xf32>, %v: tensor<2x4x4xf32>) {
  %meta = tfm.constant dense<[[[8, 8, 8, 8], [8, 8, 8, 8]], [[8, 8, 8, 8], [8, 8, 5, 8]]]> : tensor<2x2x4xi8>
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c5: meta[1, 1, 2] places weight 1 at 1: places must be below m = 4 and increase}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 2 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x4x4xf32>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c5: places stay below m (place 6 in groups of 6, whose
// places take three bits).
func.func @nm_sparse_linear_c5_range(%x: tensor<3x12xf32>, %v: tensor<2x2x4xf32>) {
  %meta = tfm.constant dense<[[[0, 6, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [0, 0, 0, 0]]]> : tensor<2x2x4xi8>
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c5: meta[0, 0, 1] places weight 0 at 6: places must be below m = 6 and increase}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 1 : i64, m = 6 : i64} : (tensor<3x12xf32>, tensor<2x2x4xf32>, tensor<2x2x4xi8>) -> tensor<3x8xf32>
  return
}

// -----

// nm_sparse_linear_c6: the result is the input's rows by N = P * w.
func.func @nm_sparse_linear_c6(%x: tensor<3x8xf32>, %v: tensor<2x4x4xf32>, %meta: tensor<2x2x4xi8>) {
  // expected-error @+1 {{'tfm.nm_sparse_linear' op nm_sparse_linear_c6}}
  %0 = tfm.nm_sparse_linear %x, %v, %meta {n = 2 : i64, m = 4 : i64} : (tensor<3x8xf32>, tensor<2x4x4xf32>, tensor<2x2x4xi8>) -> tensor<3x4xf32>
  return
}
