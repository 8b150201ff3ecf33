// Verifier errors of reductions and softmax, one case per labelled constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// reduce_sum_c1: axes are non-empty, increasing and in range.
func.func @reduce_sum_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_sum' op reduce_sum_c1: axes [1, 0] must be non-empty, strictly increasing and within [0, 2)}}
  %0 = tfm.reduce_sum %x axes = [1, 0] : (tensor<2x3xf32>) -> tensor<f32>
  return
}

// -----

// reduce_sum_c2: the result drops (or keeps as 1) the reduced axes.
func.func @reduce_sum_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_sum' op reduce_sum_c2: result type 'tensor<2xf32>' differs from the inferred type 'tensor<2x1xf32>'}}
  %0 = tfm.reduce_sum %x axes = [1] keepdims : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

// reduce_mean_c1: axes are non-empty, increasing and in range.
func.func @reduce_mean_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_mean' op reduce_mean_c1: axes [2] must be non-empty, strictly increasing and within [0, 2)}}
  %0 = tfm.reduce_mean %x axes = [2] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// reduce_mean_c2: the result drops (or keeps as 1) the reduced axes.
func.func @reduce_mean_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_mean' op reduce_mean_c2: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2xf32>'}}
  %0 = tfm.reduce_mean %x axes = [1] : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// reduce_max_c1: axes are non-empty, increasing and in range.
func.func @reduce_max_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_max' op reduce_max_c1: axes [] must be non-empty, strictly increasing and within [0, 2)}}
  %0 = tfm.reduce_max %x axes = [] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// reduce_max_c2: the result drops (or keeps as 1) the reduced axes.
func.func @reduce_max_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_max' op reduce_max_c2: result type 'tensor<3xf16>' differs from the inferred type 'tensor<3xf32>'}}
  %0 = "tfm.reduce_max"(%x) <{axes = array<i64: 0>}> : (tensor<2x3xf32>) -> tensor<3xf16>
  return
}

// -----

// reduce_min_c1: axes are non-empty, increasing and in range.
func.func @reduce_min_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_min' op reduce_min_c1: axes [0, 0] must be non-empty, strictly increasing and within [0, 2)}}
  %0 = tfm.reduce_min %x axes = [0, 0] : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

// reduce_min_c2: the result drops (or keeps as 1) the reduced axes.
func.func @reduce_min_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reduce_min' op reduce_min_c2: result type 'tensor<2xf32>' differs from the inferred type 'tensor<3xf32>'}}
  %0 = tfm.reduce_min %x axes = [0] : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

// reduce_mean only averages floats.
func.func @reduce_mean_int(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{'tfm.reduce_mean' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<2x3xi32>'}}
  %0 = "tfm.reduce_mean"(%x) <{axes = array<i64: 0>}> : (tensor<2x3xi32>) -> tensor<3xi32>
  return
}

// -----

// softmax_c1: the axis is in range.
func.func @softmax_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.softmax' op softmax_c1: axis -1 is out of range [0, 2)}}
  %0 = tfm.softmax %x axis = -1 : tensor<2x3xf32>
  return
}

// -----

// softmax_c2: the result has the input's type.
func.func @softmax_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.softmax' op requires the same type for all operands and results}}
  %0 = "tfm.softmax"(%x) <{axis = 1 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xf16>
  return
}

// -----

// log_softmax_c1: the axis is in range.
func.func @log_softmax_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.log_softmax' op log_softmax_c1: axis 2 is out of range [0, 2)}}
  %0 = tfm.log_softmax %x axis = 2 : tensor<2x3xf32>
  return
}

// -----

// log_softmax_c2: the result has the input's type.
func.func @log_softmax_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.log_softmax' op requires the same type for all operands and results}}
  %0 = "tfm.log_softmax"(%x) <{axis = 1 : i64}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// argmax_c1: the axis is in range.
func.func @argmax_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.argmax' op argmax_c1: axis 2 is out of range [0, 2)}}
  %0 = tfm.argmax %x axis = 2 : (tensor<2x3xf32>) -> tensor<2xi64>
  return
}

// -----

// argmin_c2: the result is i64 without the axis (or with it as 1).
func.func @argmin_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.argmin' op argmin_c2: result type 'tensor<2x1xi64>' differs from the inferred type 'tensor<2xi64>'}}
  %0 = tfm.argmin %x axis = 1 : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @argmax_result_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 64-bit signless integer values}}
  %0 = tfm.argmax %x axis = 1 : (tensor<2x3xf32>) -> tensor<2xi32>
  return
}

// -----

func.func @max_pool_c1(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{'tfm.max_pool' op max_pool_c1: input 'tensor<4x4xf32>' must have rank 3 or more (N x C x spatial)}}
  %0 = tfm.max_pool %x kernel = [2] strides = [1] padding = [0, 0] dilations = [1] : (tensor<4x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @max_pool_c2(%x: tensor<1x4x4xf32>) {
  // expected-error @+1 {{'tfm.max_pool' op max_pool_c2: kernel [2], strides [0] and dilations [1] need 1 positive entries and padding [0, 0] 2 non-negative ones}}
  %0 = tfm.max_pool %x kernel = [2] strides = [0] padding = [0, 0] dilations = [1] : (tensor<1x4x4xf32>) -> tensor<1x4x3xf32>
  return
}

// -----

func.func @avg_pool_c3(%x: tensor<1x4x4xf32>) {
  // expected-error @+1 {{'tfm.avg_pool' op avg_pool_c3: the window of spatial dimension 0 (7 positions) is larger than its padded size 6}}
  %0 = tfm.avg_pool %x kernel = [4] strides = [1] padding = [1, 1] dilations = [2] : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  return
}

// -----

// avg_pool_c4: with ceil_mode the last window may not start past the input
// and its leading padding: 5 + 0 - 2 = 3 positions left, ceil(3 / 3) + 1 =
// 3 windows, the third starting at 6 >= 5, so 2.
func.func @avg_pool_c4(%x: tensor<1x4x5xf32>) {
  // expected-error @+1 {{'tfm.avg_pool' op avg_pool_c4: result type 'tensor<1x4x3xf32>' differs from the inferred type 'tensor<1x4x2xf32>'}}
  %0 = tfm.avg_pool %x kernel = [2] strides = [3] padding = [0, 0] dilations = [1] ceil_mode : (tensor<1x4x5xf32>) -> tensor<1x4x3xf32>
  return
}

// -----

func.func @avg_pool_of_integers(%x: tensor<1x4x4xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of f16, bf16, f32 or f64 values}}
  %0 = tfm.avg_pool %x kernel = [2] strides = [1] padding = [0, 0] dilations = [1] : (tensor<1x4x4xi32>) -> tensor<1x4x3xi32>
  return
}

// -----

func.func @cumsum_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.cumsum' op cumsum_c1: axis 2 is out of range [0, 2)}}
  %0 = tfm.cumsum %x axis = 2 : tensor<2x3xf32>
  return
}
