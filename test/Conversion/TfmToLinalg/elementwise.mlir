// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s

// A broadcast operand loses its unit dimension and is read through a
// projected map.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<1x3xf32>)
// CHECK: %[[BC:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[BC]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.add %a, %b : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Arithmetic by element kind: float, signed and unsigned integers.
// CHECK-LABEL: func.func @arithmetic
// CHECK-SAME: tensor<4xi8>, %{{.*}}: tensor<4xi8>)
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.maxui
// CHECK: arith.minui
func.func @arithmetic(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi32>, %j: tensor<4xi32>, %u: tensor<4xui8>, %v: tensor<4xui8>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xui8>, tensor<4xui8>) {
  %0 = tfm.sub %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tfm.mul %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = tfm.div %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = tfm.max %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = tfm.min %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %5 = tfm.sub %i, %j : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %6 = tfm.mul %i, %j : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %7 = tfm.max %i, %j : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %8 = tfm.min %i, %j : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %9 = tfm.max %u, %v : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %10 = tfm.min %u, %v : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10
      : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xui8>, tensor<4xui8>
}

// -----

// Integer division never traps: a zero divisor, and -1 under the most
// negative dividend, read as 1. Unsigned types are signless with unsigned
// division and comparisons.
// CHECK-LABEL: func.func @integer_division
// CHECK-SAME: (%{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi32>, tensor<4xi8>, tensor<4xi1>)
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : i32
// CHECK: %[[SAFE:.*]] = arith.select %[[ZERO]]
// CHECK: arith.constant -2147483648 : i32
// CHECK: %[[DIVISOR:.*]] = arith.select
// CHECK: arith.divsi %{{.*}}, %[[DIVISOR]] : i32
// CHECK: arith.divui %{{.*}}, %{{.*}} : i8
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i8
func.func @integer_division(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xui8>, %d: tensor<4xui8>)
    -> (tensor<4xi32>, tensor<4xui8>, tensor<4xi1>) {
  %0 = tfm.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = tfm.div %c, %d : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = tfm.compare lt, %c, %d : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xi32>, tensor<4xui8>, tensor<4xi1>
}

// -----

// Floor, ceil and round (halves to even).
// CHECK-LABEL: func.func @rounding
// CHECK: math.floor %{{.*}} : f32
// CHECK: math.ceil %{{.*}} : f32
// CHECK: math.roundeven %{{.*}} : f16
func.func @rounding(%x: tensor<4xf32>, %h: tensor<4xf16>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf16>) {
  %0 = tfm.floor %x : tensor<4xf32>
  %1 = tfm.ceil %x : tensor<4xf32>
  %2 = tfm.round %h : tensor<4xf16>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf16>
}

// -----

// Remainders: integers guard a zero divisor (read as 1) and -1 (the
// signed minimum's remainder traps); the floored form moves a nonzero
// remainder whose sign differs from the divisor's by the divisor. Floats
// are frem (fmod). Unsigned ones are remui.
// CHECK-LABEL: func.func @remainders
// CHECK: arith.remsi
// CHECK-NOT: arith.xori
// CHECK: linalg.yield
// CHECK: %[[R:.*]] = arith.remsi %{{.*}}, %[[DIV:.*]] : i32
// CHECK: %[[NONZERO:.*]] = arith.cmpi ne, %[[R]], %{{.*}} : i32
// CHECK: %[[DIFFER:.*]] = arith.xori
// CHECK: %[[ADJUST:.*]] = arith.andi %[[NONZERO]], %[[DIFFER]] : i1
// CHECK: %[[MOVED:.*]] = arith.addi %[[R]], %[[DIV]] : i32
// CHECK: arith.select %[[ADJUST]], %[[MOVED]], %[[R]] : i32
// CHECK: arith.remui %{{.*}}, %{{.*}} : i8
// CHECK: arith.remf %{{.*}}, %{{.*}} : f32
func.func @remainders(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xui8>, %d: tensor<4xui8>, %x: tensor<4xf32>, %y: tensor<4xf32>)
    -> (tensor<4xi32>, tensor<4xi32>, tensor<4xui8>, tensor<4xf32>) {
  %0 = tfm.rem %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = tfm.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = tfm.mod %c, %d : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %3 = tfm.rem %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xui8>, tensor<4xf32>
}

// -----

// Comparison predicates: ordered for floats except `ne`, signed for signed
// integers; booleans combine with bitwise ops.
// CHECK-LABEL: func.func @compare_and_logic
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf une
// CHECK: arith.cmpf ole
// CHECK: arith.cmpi sgt
// CHECK: arith.cmpi sge
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK: arith.xori
func.func @compare_and_logic(%x: tensor<4xf32>, %i: tensor<4xi64>, %p: tensor<4xi1>, %q: tensor<4xi1>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = tfm.compare eq, %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = tfm.compare ne, %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = tfm.compare le, %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %3 = tfm.compare gt, %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %4 = tfm.compare ge, %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %5 = tfm.and %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %6 = tfm.or %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %7 = tfm.xor %p, %q : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Unary float ops map to math ops; sigmoid and silu to exp-based forms.
// CHECK-LABEL: func.func @unary
// CHECK: arith.negf
// CHECK: arith.maximumf
// CHECK: math.absf
// CHECK: math.sin
// CHECK: math.cos
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.rsqrt
// CHECK: math.tanh
// CHECK: math.erf
// CHECK: %[[NEG:.*]] = arith.negf
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]]
// CHECK: %[[DEN:.*]] = arith.addf %{{.*}}, %[[EXP]]
// CHECK: arith.divf %{{.*}}, %[[DEN]]
// CHECK: math.exp
// CHECK: arith.mulf
func.func @unary(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = tfm.neg %x : tensor<8xf32>
  %1 = tfm.relu %x : tensor<8xf32>
  %2 = tfm.abs %x : tensor<8xf32>
  %3 = tfm.sin %x : tensor<8xf32>
  %4 = tfm.cos %x : tensor<8xf32>
  %5 = tfm.exp %x : tensor<8xf32>
  %6 = tfm.log %x : tensor<8xf32>
  %7 = tfm.sqrt %x : tensor<8xf32>
  %8 = tfm.rsqrt %x : tensor<8xf32>
  %9 = tfm.tanh %x : tensor<8xf32>
  %10 = tfm.erf %x : tensor<8xf32>
  %11 = tfm.sigmoid %x : tensor<8xf32>
  %12 = tfm.silu %x : tensor<8xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Integer unary ops, and logical not as xor with true.
// CHECK-LABEL: func.func @integer_unary
// CHECK: arith.subi
// CHECK: arith.maxsi
// CHECK: math.absi
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: arith.xori %{{.*}}, %[[TRUE]] : i1
func.func @integer_unary(%i: tensor<4xi32>, %p: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi1>) {
  %0 = tfm.neg %i : tensor<4xi32>
  %1 = tfm.relu %i : tensor<4xi32>
  %2 = tfm.abs %i : tensor<4xi32>
  %3 = tfm.not %p : tensor<4xi1>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi1>
}

// -----

// GELU, exact (erf) and tanh-approximated.
// CHECK-LABEL: func.func @gelu
// CHECK: arith.constant 0.707106769 : f32
// CHECK: math.erf
// CHECK: arith.constant 0.797884583 : f32
// CHECK: math.tanh
func.func @gelu(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = tfm.gelu %x : tensor<8xf32>
  %1 = tfm.gelu %x approximate = tanh : tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Transcendental functions on f16 compute in f32.
// CHECK-LABEL: func.func @narrow_float
// CHECK: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[WIDE:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK: %[[EXP:.*]] = math.exp %[[WIDE]] : f32
// CHECK: arith.truncf %[[EXP]] : f32 to f16
func.func @narrow_float(%x: tensor<8xf16>) -> tensor<8xf16> {
  %0 = tfm.exp %x : tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// pow by a constant small integer or +-1/2 is multiplication or a root;
// other exponents call powf, integers ipowi.
// CHECK-LABEL: func.func @pow
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[A]], %[[A]] : f32
// CHECK-NEXT: linalg.yield %[[SQ]]
// CHECK: math.sqrt
// CHECK: math.powf
// CHECK: math.ipowi
func.func @pow(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>) {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %0 = tfm.pow %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = tfm.pow %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = tfm.pow %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = tfm.pow %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// cast by source and destination kinds.
// CHECK-LABEL: func.func @cast
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.extui %{{.*}} : i8 to i64
func.func @cast(%x: tensor<4xf32>, %u: tensor<4xui8>, %p: tensor<4xi1>, %i: tensor<4xi32>)
    -> (tensor<4xi64>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf16>, tensor<4xi64>, tensor<4xi64>) {
  %0 = tfm.cast %x : tensor<4xf32> to tensor<4xi64>
  %1 = tfm.cast %u : tensor<4xui8> to tensor<4xf32>
  %2 = tfm.cast %x : tensor<4xf32> to tensor<4xi1>
  %3 = tfm.cast %p : tensor<4xi1> to tensor<4xf32>
  %4 = tfm.cast %x : tensor<4xf32> to tensor<4xf16>
  %5 = tfm.cast %i : tensor<4xi32> to tensor<4xi64>
  %6 = tfm.cast %u : tensor<4xui8> to tensor<4xi64>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi64>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf16>, tensor<4xi64>, tensor<4xi64>
}

// -----

// where selects with three broadcast operands.
// CHECK-LABEL: func.func @where
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x4xi1>, tensor<4x4xf32>, tensor<f32>)
// CHECK: arith.select
func.func @where(%c: tensor<4x4xi1>, %x: tensor<4x4xf32>, %y: tensor<f32>) -> tensor<4x4xf32> {
  %0 = tfm.where %c, %x, %y : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Constants keep their values; unsigned literals are re-typed signless.
// CHECK-LABEL: func.func @constants
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: arith.constant dense<[-56, 7]> : tensor<2xi8>
func.func @constants() -> (tensor<2xf32>, tensor<2xui8>) {
  %0 = tfm.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = tfm.constant dense<[200, 7]> : tensor<2xui8>
  return %0, %1 : tensor<2xf32>, tensor<2xui8>
}

// -----

// swiglu reads the gate and up halves as slices of its input in one loop.
// CHECK-LABEL: func.func @swiglu
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[G:.*]] = tensor.extract_slice %[[X]][0, 0] [2, 4] [1, 1]
// CHECK: %[[U:.*]] = tensor.extract_slice %[[X]][0, 4] [2, 4] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[G]], %[[U]] : tensor<2x4xf32>, tensor<2x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK: arith.mulf
func.func @swiglu(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %0 = tfm.swiglu %x : tensor<2x8xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Splats of more than 1024 elements are filled at run time, never stored:
// a ConstantOfShape of 2^40 elements is one value. Small ones stay literals.
// CHECK-LABEL: func.func @large_splat
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1099511627776xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ONE]] : f32) outs(%[[E]] : tensor<1099511627776xf32>)
// CHECK: %[[S:.*]] = arith.constant dense<7> : tensor<1024xi32>
// CHECK: return %[[F]], %[[S]]
func.func @large_splat() -> (tensor<1099511627776xf32>, tensor<1024xui32>) {
  %0 = tfm.constant dense<1.0> : tensor<1099511627776xf32>
  %1 = tfm.constant dense<7> : tensor<1024xui32>
  return %0, %1 : tensor<1099511627776xf32>, tensor<1024xui32>
}

// -----

// The trigonometric and hyperbolic functions map to their math ops.
// CHECK-LABEL: func.func @trigonometric
// CHECK: math.tan
// CHECK: math.asin
// CHECK: math.acos
// CHECK: math.atan
// CHECK: math.sinh
// CHECK: math.cosh
// CHECK: math.asinh
// CHECK: math.acosh
// CHECK: math.atanh
func.func @trigonometric(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tfm.tan %x : tensor<8xf32>
  %1 = tfm.asin %0 : tensor<8xf32>
  %2 = tfm.acos %1 : tensor<8xf32>
  %3 = tfm.atan %2 : tensor<8xf32>
  %4 = tfm.sinh %3 : tensor<8xf32>
  %5 = tfm.cosh %4 : tensor<8xf32>
  %6 = tfm.asinh %5 : tensor<8xf32>
  %7 = tfm.acosh %6 : tensor<8xf32>
  %8 = tfm.atanh %7 : tensor<8xf32>
  return %8 : tensor<8xf32>
}

// -----

// Shifts guard the amounts arith leaves undefined: by the width or more,
// a left or logical right shift gives 0, an arithmetic one shifts by
// width - 1 (the sign).
// CHECK-LABEL: func.func @shifts
// CHECK: linalg.generic
// CHECK: %[[FAR:.*]] = arith.cmpi uge, %[[S:.*]], %c8_i8 : i8
// CHECK: %[[SHL:.*]] = arith.shli %{{.*}}, %[[S]] : i8
// CHECK: arith.select %[[FAR]], %c0_i8, %[[SHL]] : i8
// CHECK: linalg.generic
// CHECK: %[[FAR2:.*]] = arith.cmpi uge, %[[T:.*]], %c32_i32 : i32
// CHECK: %[[AMOUNT:.*]] = arith.select %[[FAR2]], %c31_i32, %[[T]] : i32
// CHECK: arith.shrsi %{{.*}}, %[[AMOUNT]] : i32
func.func @shifts(%a: tensor<4xui8>, %s: tensor<4xui8>, %b: tensor<4xi32>, %t: tensor<4xi32>) -> (tensor<4xui8>, tensor<4xi32>) {
  %0 = tfm.shl %a, %s : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = tfm.shr %b, %t : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xui8>, tensor<4xi32>
}
