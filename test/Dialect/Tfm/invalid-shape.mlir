// Verifier errors of the data-movement ops, one case per labelled constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// transpose_c1: perm is a permutation.
func.func @transpose_c1(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tfm.transpose' op transpose_c1: perm [0, 0, 1] is not a permutation of [0, 3)}}
  %0 = tfm.transpose %x perm = [0, 0, 1] : tensor<2x3x4xf32> -> tensor<2x2x3xf32>
  return
}

// -----

// transpose_c2: result[d] = input[perm[d]].
func.func @transpose_c2(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tfm.transpose' op transpose_c2: result type 'tensor<2x3x4xf32>' differs from the inferred type 'tensor<4x3x2xf32>'}}
  %0 = tfm.transpose %x perm = [2, 1, 0] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// -----

// reshape_c1: the element type is kept.
func.func @reshape_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reshape' op reshape_c1: result element type 'f16' differs from input element type 'f32'}}
  %0 = tfm.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

// reshape_c2: the element count is kept.
func.func @reshape_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.reshape' op reshape_c2: input shape [2, 3] has 6 elements but result shape [7] has 7}}
  %0 = tfm.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

// expand_c1: the result keeps the element type and at least the rank.
func.func @expand_c1(%x: tensor<1x2x3xf32>) {
  // expected-error @+1 {{'tfm.expand' op expand_c1: result 'tensor<2x3xf32>' must have the element type of input 'tensor<1x2x3xf32>' and at least its rank}}
  %0 = tfm.expand %x : tensor<1x2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

// expand_c2: each input dimension is 1 or the result's.
func.func @expand_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.expand' op expand_c2: input shape [2, 3] does not broadcast to result shape [4, 3]}}
  %0 = tfm.expand %x : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

// concat_c1: inputs share rank and element type.
func.func @concat_c1(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) {
  // expected-error @+1 {{'tfm.concat' op concat_c1: input #1 'tensor<2x3xf16>' differs in rank or element type from input #0 'tensor<2x3xf32>'}}
  %0 = tfm.concat %a, %b axis = 0 : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return
}

// -----

// concat_c1: there is at least one input.
func.func @concat_c1_empty() {
  // expected-error @+1 {{'tfm.concat' op concat_c1: needs at least one input}}
  %0 = "tfm.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  return
}

// -----

// concat_c2: the axis is in range.
func.func @concat_c2(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.concat' op concat_c2: axis 2 is out of range [0, 2)}}
  %0 = tfm.concat %a, %a axis = 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// concat_c3: inputs agree off the axis.
func.func @concat_c3(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfm.concat' op concat_c3: input #1 shape [2, 4] differs from input #0 shape [2, 3] in dimension 1}}
  %0 = tfm.concat %a, %b axis = 0 : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// concat_c4: the result sums the axis.
func.func @concat_c4(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.concat' op concat_c4: result type 'tensor<2x3xf32>' differs from the inferred type 'tensor<4x3xf32>'}}
  %0 = tfm.concat %a, %a axis = 0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// split_c1: the axis is in range.
func.func @split_c1(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.split' op split_c1: axis 2 must be in [0, 2) and there must be at least one result}}
  %0:2 = tfm.split %x axis = 2 : tensor<2x6xf32> -> tensor<2x3xf32>, tensor<2x3xf32>
  return
}

// -----

// split_c2: results match the input off the axis.
func.func @split_c2(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.split' op split_c2: result #1 'tensor<3x3xf32>' must match input 'tensor<2x6xf32>' except in dimension 1}}
  %0:2 = tfm.split %x axis = 1 : tensor<2x6xf32> -> tensor<2x3xf32>, tensor<3x3xf32>
  return
}

// -----

// split_c3: the pieces cover the input exactly.
func.func @split_c3(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.split' op split_c3: result sizes along axis 1 sum to 5 but input [2, 6] has 6}}
  %0:2 = tfm.split %x axis = 1 : tensor<2x6xf32> -> tensor<2x3xf32>, tensor<2x2xf32>
  return
}

// -----

// slice_c1: one start, limit and stride per dimension.
func.func @slice_c1(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.slice' op slice_c1: starts, limits and strides have 1, 2 and 2 entries; input [2, 6] has rank 2}}
  %0 = tfm.slice %x starts = [0] limits = [2, 3] strides = [1, 1] : tensor<2x6xf32> -> tensor<2x3xf32>
  return
}

// -----

// slice_c1: a dynamic limit needs its index operand (the generic form
// has limits and operands apart).
func.func @slice_c1_dynamic(%x: tensor<8x6xf32>) {
  // expected-error @+1 {{'tfm.slice' op slice_c1: limits have 1 dynamic entries for 0 index operands}}
  %0 = "tfm.slice"(%x) <{starts = array<i64: 0, 0>, limits = array<i64: -9223372036854775808, 6>, strides = array<i64: 1, 1>}> : (tensor<8x6xf32>) -> tensor<?x6xf32>
  return
}

// -----

// slice_c3: the static dimensions beside a run-time limit still follow.
func.func @slice_c3_dynamic(%x: tensor<8x6xf32>, %n: index) {
  // expected-error @+1 {{'tfm.slice' op slice_c3: result type 'tensor<?x5xf32>' differs from the inferred type 'tensor<?x6xf32>'}}
  %0 = tfm.slice %x starts = [0, 0] limits = [%n, 6] strides = [1, 1] : tensor<8x6xf32> -> tensor<?x5xf32>
  return
}

// -----

// slice_c2: bounds stay within the input.
func.func @slice_c2(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.slice' op slice_c2: dimension 1 of input [2, 6]: start 2, limit 7, stride 1 must satisfy 0 <= start <= limit <= size, stride > 0}}
  %0 = tfm.slice %x starts = [0, 2] limits = [2, 7] strides = [1, 1] : tensor<2x6xf32> -> tensor<2x5xf32>
  return
}

// -----

// slice_c2: strides are positive.
func.func @slice_c2_stride(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.slice' op slice_c2: dimension 0 of input [2, 6]: start 0, limit 2, stride 0 must satisfy 0 <= start <= limit <= size, stride > 0}}
  %0 = tfm.slice %x starts = [0, 0] limits = [2, 6] strides = [0, 1] : tensor<2x6xf32> -> tensor<2x6xf32>
  return
}

// -----

// slice_c3: the result has ceil((limit - start) / stride) elements per dimension.
func.func @slice_c3(%x: tensor<2x6xf32>) {
  // expected-error @+1 {{'tfm.slice' op slice_c3: result type 'tensor<2x2xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.slice %x starts = [0, 0] limits = [2, 5] strides = [1, 2] : tensor<2x6xf32> -> tensor<2x2xf32>
  return
}

// -----

// gather_c1: the axis is in range.
func.func @gather_c1(%x: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{'tfm.gather' op gather_c1: axis 2 is out of range [0, 2) for input [10, 4]}}
  %0 = tfm.gather %x, %i axis = 2 : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return
}

// -----

// gather_c2: result = input[:axis] + indices + input[axis+1:].
func.func @gather_c2(%x: tensor<10x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'tfm.gather' op gather_c2: result type 'tensor<6x4xf32>' differs from the inferred type 'tensor<2x3x4xf32>'}}
  %0 = tfm.gather %x, %i axis = 0 : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<6x4xf32>
  return
}

// -----

// Indices are i32 or i64.
func.func @gather_indices(%x: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.gather' op operand #1 must be ranked tensor of i32 or i64 values, but got 'tensor<3xf32>'}}
  %0 = tfm.gather %x, %i axis = 0 : (tensor<10x4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// select_c1: the axis is in range.
func.func @select_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.select' op select_c1: axis -1 is out of range [0, 2) for input [2, 3]}}
  %0 = tfm.select %x axis = -1 index = 0 : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

// select_c2: the index is in range.
func.func @select_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.select' op select_c2: index 3 is out of range for dimension 1 of input [2, 3]}}
  %0 = tfm.select %x axis = 1 index = 3 : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

// select_c3: the result drops the axis.
func.func @select_c3(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.select' op select_c3: result type 'tensor<3xf32>' differs from the inferred type 'tensor<2xf32>'}}
  %0 = tfm.select %x axis = 1 index = 0 : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

// gather_elements_c1: indices have the input's rank.
func.func @gather_elements_c1(%x: tensor<2x5xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{'tfm.gather_elements' op gather_elements_c1: axis 0 must be in [0, 2) and indices [3] must have the rank of input [2, 5]}}
  %0 = tfm.gather_elements %x, %i axis = 0 : (tensor<2x5xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// gather_elements_c2: indices fit the input off the axis.
func.func @gather_elements_c2(%x: tensor<2x5xf32>, %i: tensor<3x5xi64>) {
  // expected-error @+1 {{'tfm.gather_elements' op gather_elements_c2: indices [3, 5] exceed input [2, 5] in dimension 0}}
  %0 = tfm.gather_elements %x, %i axis = 1 : (tensor<2x5xf32>, tensor<3x5xi64>) -> tensor<3x5xf32>
  return
}

// -----

// gather_elements_c3: the result has the shape of indices.
func.func @gather_elements_c3(%x: tensor<2x5xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'tfm.gather_elements' op gather_elements_c3: result type 'tensor<2x5xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.gather_elements %x, %i axis = 1 : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x5xf32>
  return
}

// -----

// reverse_c1: axes are valid.
func.func @reverse_c1(%x: tensor<2x5xf32>) {
  // expected-error @+1 {{'tfm.reverse' op reverse_c1: axes [1, 1] must be non-empty, strictly increasing and within [0, 2)}}
  %0 = tfm.reverse %x axes = [1, 1] : tensor<2x5xf32>
  return
}

// -----

// reverse_c2: the result has the input's type.
func.func @reverse_c2(%x: tensor<2x5xf32>) {
  // expected-error @+1 {{'tfm.reverse' op requires the same type for all operands and results}}
  %0 = "tfm.reverse"(%x) <{axes = array<i64: 0>}> : (tensor<2x5xf32>) -> tensor<5x2xf32>
  return
}

// -----

func.func @pad_c1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.pad' op pad_c1: low [0, -1] and high [0, 0] need 2 non-negative entries (at most 2^32)}}
  %0 = tfm.pad %x low = [0, -1] high = [0, 0] mode = constant : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @pad_c2(%x: tensor<2x3xf32>, %v: tensor<f32>) {
  // expected-error @+1 {{'tfm.pad' op pad_c2: value 'tensor<f32>' must be a scalar of 'f32', given only in constant mode}}
  %0 = tfm.pad %x, %v low = [0, 1] high = [0, 0] mode = edge : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @pad_c3(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.pad' op pad_c3: dimension 1 of size 3 cannot be padded by 3 and 0 in reflect mode}}
  %0 = tfm.pad %x low = [0, 3] high = [0, 0] mode = reflect : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @pad_c4(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.pad' op pad_c4: result type 'tensor<2x5xf32>' differs from the inferred type 'tensor<2x4xf32>'}}
  %0 = tfm.pad %x low = [0, 1] high = [0, 0] mode = wrap : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

// scatter_nd_c1: the index tuples fit the input's rank.
func.func @scatter_nd_c1(%x: tensor<4x5xf32>, %i: tensor<2x3xi64>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'tfm.scatter_nd' op scatter_nd_c1: indices [2, 3] must end in a static tuple size from 1 to 2}}
  %0 = tfm.scatter_nd %x, %i, %u reduction = none : (tensor<4x5xf32>, tensor<2x3xi64>, tensor<2xf32>) -> tensor<4x5xf32>
  return
}

// -----

// scatter_nd_c2: updates are the indexed slices.
func.func @scatter_nd_c2(%x: tensor<4x5xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+1 {{'tfm.scatter_nd' op scatter_nd_c2: updates 'tensor<2x4xf32>' must be [2, 5] of 'f32'}}
  %0 = tfm.scatter_nd %x, %i, %u reduction = add : (tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x5xf32>
  return
}

// -----

// scatter_nd_c3: reductions need numbers.
func.func @scatter_nd_c3(%x: tensor<4xi1>, %i: tensor<2x1xi64>, %u: tensor<2xi1>) {
  // expected-error @+1 {{'tfm.scatter_nd' op scatter_nd_c3: mul needs a numeric element type, got 'i1'}}
  %0 = tfm.scatter_nd %x, %i, %u reduction = mul : (tensor<4xi1>, tensor<2x1xi64>, tensor<2xi1>) -> tensor<4xi1>
  return
}

// -----

// scatter_nd_c4: the result has the input's type.
func.func @scatter_nd_c4(%x: tensor<4x5xf32>, %i: tensor<2x1xi64>, %u: tensor<2x5xf32>) {
  // expected-error @+1 {{'tfm.scatter_nd' op scatter_nd_c4: result type 'tensor<5x4xf32>' differs from the inferred type 'tensor<4x5xf32>'}}
  %0 = tfm.scatter_nd %x, %i, %u reduction = none : (tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x5xf32>) -> tensor<5x4xf32>
  return
}
