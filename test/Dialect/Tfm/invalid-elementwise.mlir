// Verifier errors of the elementwise ops, one case per labelled constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// add_c1: operands share an element type.
func.func @add_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.add' op add_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.add"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// add_c2: shapes broadcast.
func.func @add_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.add' op add_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// add_c3: the result has the broadcast shape.
func.func @add_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.add' op add_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// sub_c1: operands share an element type.
func.func @sub_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.sub' op sub_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.sub"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// sub_c2: shapes broadcast.
func.func @sub_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.sub' op sub_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.sub %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// sub_c3: the result has the broadcast shape.
func.func @sub_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.sub' op sub_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// mul_c1: operands share an element type.
func.func @mul_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.mul' op mul_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.mul"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// mul_c2: shapes broadcast.
func.func @mul_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.mul' op mul_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// mul_c3: the result has the broadcast shape.
func.func @mul_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.mul' op mul_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.mul %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// div_c1: operands share an element type.
func.func @div_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.div' op div_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.div"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// div_c2: shapes broadcast.
func.func @div_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.div' op div_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.div %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// div_c3: the result has the broadcast shape.
func.func @div_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.div' op div_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.div %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// pow_c1: operands share an element type.
func.func @pow_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.pow' op pow_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.pow"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// pow_c2: shapes broadcast.
func.func @pow_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.pow' op pow_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.pow %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// pow_c3: the result has the broadcast shape.
func.func @pow_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.pow' op pow_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.pow %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// max_c1: operands share an element type.
func.func @max_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.max' op max_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.max"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// max_c2: shapes broadcast.
func.func @max_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.max' op max_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.max %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// max_c3: the result has the broadcast shape.
func.func @max_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.max' op max_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.max %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// min_c1: operands share an element type.
func.func @min_c1(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tfm.min' op min_c1: lhs element type 'f32' differs from rhs element type 'f16'}}
  %0 = "tfm.min"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// min_c2: shapes broadcast.
func.func @min_c2(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.min' op min_c2: shapes lhs [2, 3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.min %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// min_c3: the result has the broadcast shape.
func.func @min_c3(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.min' op min_c3: result type 'tensor<2x1xf32>' differs from the inferred type 'tensor<2x3xf32>'}}
  %0 = tfm.min %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// exp_c1: the input is a float tensor.
func.func @exp_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.exp' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.exp"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// log_c1: the input is a float tensor.
func.func @log_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.log' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.log"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// sqrt_c1: the input is a float tensor.
func.func @sqrt_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.sqrt' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.sqrt"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// rsqrt_c1: the input is a float tensor.
func.func @rsqrt_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.rsqrt' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.rsqrt"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// tanh_c1: the input is a float tensor.
func.func @tanh_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.tanh' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.tanh"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// erf_c1: the input is a float tensor.
func.func @erf_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.erf' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.erf"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// sigmoid_c1: the input is a float tensor.
func.func @sigmoid_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.sigmoid' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.sigmoid"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// silu_c1: the input is a float tensor.
func.func @silu_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.silu' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.silu"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// gelu_c1: the input is a float tensor.
func.func @gelu_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.gelu' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.gelu"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// neg_c1: the input is a float or signed integer tensor.
func.func @neg_c1(%x: tensor<4xui8>) {
  // expected-error @+1 {{'tfm.neg' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 or i8, i16, i32 or i64 values, but got 'tensor<4xui8>'}}
  %0 = "tfm.neg"(%x) : (tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

// relu_c1: the input is a float or signed integer tensor.
func.func @relu_c1(%x: tensor<4xui8>) {
  // expected-error @+1 {{'tfm.relu' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 or i8, i16, i32 or i64 values, but got 'tensor<4xui8>'}}
  %0 = "tfm.relu"(%x) : (tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

// neg_c2: the result has the input's type.
func.func @neg_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.neg' op requires the same type for all operands and results}}
  %0 = "tfm.neg"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// relu_c2: the result has the input's type.
func.func @relu_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.relu' op requires the same type for all operands and results}}
  %0 = "tfm.relu"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// exp_c2: the result has the input's type.
func.func @exp_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.exp' op requires the same type for all operands and results}}
  %0 = "tfm.exp"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// log_c2: the result has the input's type.
func.func @log_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.log' op requires the same type for all operands and results}}
  %0 = "tfm.log"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// sqrt_c2: the result has the input's type.
func.func @sqrt_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.sqrt' op requires the same type for all operands and results}}
  %0 = "tfm.sqrt"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// rsqrt_c2: the result has the input's type.
func.func @rsqrt_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.rsqrt' op requires the same type for all operands and results}}
  %0 = "tfm.rsqrt"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// tanh_c2: the result has the input's type.
func.func @tanh_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.tanh' op requires the same type for all operands and results}}
  %0 = "tfm.tanh"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// erf_c2: the result has the input's type.
func.func @erf_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.erf' op requires the same type for all operands and results}}
  %0 = "tfm.erf"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// sigmoid_c2: the result has the input's type.
func.func @sigmoid_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.sigmoid' op requires the same type for all operands and results}}
  %0 = "tfm.sigmoid"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// silu_c2: the result has the input's type.
func.func @silu_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.silu' op requires the same type for all operands and results}}
  %0 = "tfm.silu"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// gelu_c2: the result has the input's type.
func.func @gelu_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.gelu' op requires the same type for all operands and results}}
  %0 = "tfm.gelu"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// cast_c1: input and result have the same shape.
func.func @cast_c1(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.cast' op cast_c1: input shape [4] differs from result shape [2, 2]}}
  %0 = tfm.cast %x : tensor<4xf32> to tensor<2x2xi32>
  return
}

// -----

// where_c1: the condition is a tensor of i1.
func.func @where_c1(%c: tensor<4xi8>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.where' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = tfm.where %c, %x, %x : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// where_c2: both values share an element type.
func.func @where_c2(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.where' op where_c2: true_value element type 'f32' differs from false_value element type 'i32'}}
  %0 = tfm.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

// where_c3: the three shapes broadcast.
func.func @where_c3(%c: tensor<3xi1>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.where' op where_c3: shapes condition [3], true_value [4], false_value [4] are not broadcast-compatible}}
  %0 = tfm.where %c, %x, %x : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// where_c4: the result has the values' element type and the broadcast shape.
func.func @where_c4(%c: tensor<2x1xi1>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.where' op where_c4: result type 'tensor<2x4xf16>' differs from the inferred type 'tensor<2x4xf32>'}}
  %0 = tfm.where %c, %x, %x : (tensor<2x1xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf16>
  return
}

// -----

// and_c1..c3 / or / xor share the binary rules; operands are booleans.
func.func @and_bool_only(%a: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.and' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = "tfm.and"(%a, %a) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// and_c2: shapes broadcast.
func.func @and_c2(%a: tensor<3xi1>, %b: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.and' op and_c2: shapes lhs [3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.and %a, %b : (tensor<3xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

// and_c3: the result has the broadcast shape.
func.func @and_c3(%a: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.and' op and_c3: result type 'tensor<2x4xi1>' differs from the inferred type 'tensor<4xi1>'}}
  %0 = tfm.and %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<2x4xi1>
  return
}

// -----

// or_c2: shapes broadcast.
func.func @or_c2(%a: tensor<3xi1>, %b: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.or' op or_c2: shapes lhs [3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.or %a, %b : (tensor<3xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

// or_c3: the result has the broadcast shape.
func.func @or_c3(%a: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.or' op or_c3: result type 'tensor<1xi1>' differs from the inferred type 'tensor<4xi1>'}}
  %0 = tfm.or %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<1xi1>
  return
}

// -----

// xor_c2: shapes broadcast.
func.func @xor_c2(%a: tensor<3xi1>, %b: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.xor' op xor_c2: shapes lhs [3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.xor %a, %b : (tensor<3xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

// xor_c3: the result has the broadcast shape.
func.func @xor_c3(%a: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.xor' op xor_c3: result type 'tensor<4x1xi1>' differs from the inferred type 'tensor<4xi1>'}}
  %0 = tfm.xor %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4x1xi1>
  return
}

// -----

// compare_c1: operands share an element type.
func.func @compare_c1(%a: tensor<4xi64>, %b: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.compare' op compare_c1: lhs element type 'i64' differs from rhs element type 'i32'}}
  %0 = tfm.compare eq, %a, %b : (tensor<4xi64>, tensor<4xi32>) -> tensor<4xi1>
  return
}

// -----

// compare_c2: shapes broadcast.
func.func @compare_c2(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.compare' op compare_c2: shapes lhs [3], rhs [4] are not broadcast-compatible}}
  %0 = tfm.compare gt, %a, %b : (tensor<3xf32>, tensor<4xf32>) -> tensor<4xi1>
  return
}

// -----

// compare_c3: the result is i1 with the broadcast shape.
func.func @compare_c3(%a: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.compare' op compare_c3: result type 'tensor<3xi1>' differs from the inferred type 'tensor<4xi1>'}}
  %0 = tfm.compare ge, %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<3xi1>
  return
}

// -----

// An unknown predicate names the allowed ones.
func.func @compare_predicate(%a: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::tfm::ComparisonPredicate to be one of: eq, ne, lt, le, gt, ge}}
  // expected-error @+1 {{failed to parse Tfm_ComparisonPredicateAttr parameter 'value'}}
  %0 = tfm.compare lessthan, %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return
}

// -----

// abs_c1: the input has an accepted element type.
func.func @abs_c1(%x: tensor<4xui8>) {
  // expected-error @+1 {{'tfm.abs' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 or i8, i16, i32 or i64 values, but got 'tensor<4xui8>'}}
  %0 = "tfm.abs"(%x) : (tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

// abs_c2: the result has the input's type.
func.func @abs_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.abs' op requires the same type for all operands and results}}
  %0 = "tfm.abs"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// not_c1: the input has an accepted element type.
func.func @not_c1(%x: tensor<4xi8>) {
  // expected-error @+1 {{'tfm.not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = "tfm.not"(%x) : (tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

// not_c2: the result has the input's type.
func.func @not_c2(%x: tensor<4xi1>) {
  // expected-error @+1 {{'tfm.not' op requires the same type for all operands and results}}
  %0 = "tfm.not"(%x) : (tensor<4xi1>) -> tensor<2x2xi1>
  return
}

// -----

// sin_c1: the input has an accepted element type.
func.func @sin_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.sin' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.sin"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// sin_c2: the result has the input's type.
func.func @sin_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.sin' op requires the same type for all operands and results}}
  %0 = "tfm.sin"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// cos_c1: the input has an accepted element type.
func.func @cos_c1(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tfm.cos' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.cos"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

// cos_c2: the result has the input's type.
func.func @cos_c2(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.cos' op requires the same type for all operands and results}}
  %0 = "tfm.cos"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// swiglu_c1: the input has rank at least 1.
func.func @swiglu_c1(%x: tensor<f32>) {
  // expected-error @+1 {{'tfm.swiglu' op swiglu_c1: input must have rank at least 1}}
  %0 = tfm.swiglu %x : tensor<f32> -> tensor<f32>
  return
}

// -----

// swiglu_c2: the last dimension splits into two halves.
func.func @swiglu_c2(%x: tensor<2x7xf32>) {
  // expected-error @+1 {{'tfm.swiglu' op swiglu_c2: last dimension 7 of the input is odd}}
  %0 = tfm.swiglu %x : tensor<2x7xf32> -> tensor<2x3xf32>
  return
}

// -----

// swiglu_c3: the result is half the input along the last dimension.
func.func @swiglu_c3(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.swiglu' op swiglu_c3: result type 'tensor<2x8xf32>' differs from the inferred type 'tensor<2x4xf32>'}}
  %0 = tfm.swiglu %x : tensor<2x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @acosh_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'tfm.acosh' op operand #0 must be ranked tensor of f16, bf16, f32 or f64 values, but got 'tensor<4xi32>'}}
  %0 = "tfm.acosh"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Shifts take integers only.
func.func @shl_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.shl' op operand #0 must be ranked tensor of integer values}}
  %0 = tfm.shl %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}
