// Folders and canonicalization patterns of the tfm ops.
// RUN: tfm-opt %s -split-input-file -canonicalize | FileCheck %s

// Adding zero, multiplying by one, ... return the other operand.
// CHECK-LABEL: func.func @arithmetic_identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NOT: tfm.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @arithmetic_identities(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %zero = tfm.constant dense<0.0> : tensor<8xf32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %0 = tfm.add %x, %zero : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %1 = tfm.add %zero, %x : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = tfm.sub %x, %zero : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %3 = tfm.mul %x, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %4 = tfm.div %x, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %5 = tfm.pow %x, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %6 = tfm.max %x, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// An identity operand that broadcasting would grow is not dropped, and
// 0 - x is not x.
// CHECK-LABEL: func.func @identities_that_do_not_apply
// CHECK: tfm.add
// CHECK: tfm.sub
func.func @identities_that_do_not_apply(%x: tensor<8xf32>) -> (tensor<2x8xf32>, tensor<8xf32>) {
  %zero = tfm.constant dense<0.0> : tensor<2x8xf32>
  %zero1 = tfm.constant dense<0.0> : tensor<8xf32>
  %0 = tfm.add %x, %zero : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = tfm.sub %zero1, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<8xf32>
}

// -----

// Binary ops on constants fold, with broadcasting.
// CHECK-LABEL: func.func @binary_constants
// CHECK-DAG: %[[F:.*]] = tfm.constant dense<{{\[}}[1.100000e+01, 2.200000e+01], [1.300000e+01, 2.400000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[I:.*]] = tfm.constant dense<[3, -3, 9, 0]> : tensor<4xi64>
// CHECK-DAG: %[[P:.*]] = tfm.constant dense<[8, 1, 0, -1]> : tensor<4xi32>
// CHECK-DAG: %[[M:.*]] = tfm.constant dense<[2.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK: return %[[F]], %[[I]], %[[P]], %[[M]]
func.func @binary_constants() -> (tensor<2x2xf32>, tensor<4xi64>, tensor<4xi32>, tensor<2xf32>) {
  %a = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = tfm.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %0 = tfm.add %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %i = tfm.constant dense<[7, -7, 27, 0]> : tensor<4xi64>
  %j = tfm.constant dense<[2, 2, 3, 5]> : tensor<4xi64>
  %1 = tfm.div %i, %j : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %base = tfm.constant dense<[2, 1, 3, -1]> : tensor<4xi32>
  %exp = tfm.constant dense<[3, -2, -1, -3]> : tensor<4xi32>
  %2 = tfm.pow %base, %exp : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %c = tfm.constant dense<[2.0, -1.0]> : tensor<2xf32>
  %d = tfm.constant dense<[0.5, 5.0]> : tensor<2xf32>
  %3 = tfm.max %c, %d : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<4xi64>, tensor<4xi32>, tensor<2xf32>
}

// -----

// Rounding folds; round takes halves to even.
// CHECK-LABEL: func.func @fold_rounding
// CHECK-DAG: tfm.constant dense<[2.000000e+00, -3.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: tfm.constant dense<[3.000000e+00, -2.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: tfm.constant dense<[2.000000e+00, -2.000000e+00, 4.000000e+00]> : tensor<3xf32>
func.func @fold_rounding() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %x = tfm.constant dense<[2.5, -2.5, 3.5]> : tensor<3xf32>
  %0 = tfm.floor %x : tensor<3xf32>
  %1 = tfm.ceil %x : tensor<3xf32>
  %2 = tfm.round %x : tensor<3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Remainders: truncated (the dividend's sign) and floored (the divisor's),
// by zero 0 for integers, the signed minimum by -1 0, floats as fmod.
// CHECK-LABEL: func.func @fold_remainders
// CHECK-DAG: tfm.constant dense<[-1, 1, 0, 0, 0]> : tensor<5xi8>
// CHECK-DAG: tfm.constant dense<[2, -2, 0, 0, 0]> : tensor<5xi8>
// CHECK-DAG: tfm.constant dense<[1, 3]> : tensor<2xui8>
// CHECK-DAG: tfm.constant dense<[-1.500000e+00, 1.500000e+00]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK-NOT: tfm.rem
// CHECK-NOT: tfm.mod
func.func @fold_remainders() -> (tensor<5xi8>, tensor<5xi8>, tensor<2xui8>, tensor<2xf32>, tensor<2xf32>) {
  %a = tfm.constant dense<[-7, 7, 6, 5, -128]> : tensor<5xi8>
  %b = tfm.constant dense<[3, -3, 3, 0, -1]> : tensor<5xi8>
  %0 = tfm.rem %a, %b : (tensor<5xi8>, tensor<5xi8>) -> tensor<5xi8>
  %1 = tfm.mod %a, %b : (tensor<5xi8>, tensor<5xi8>) -> tensor<5xi8>
  %u = tfm.constant dense<[250, 3]> : tensor<2xui8>
  %v = tfm.constant dense<[3, 7]> : tensor<2xui8>
  %2 = tfm.mod %u, %v : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  %x = tfm.constant dense<[-5.5, 5.5]> : tensor<2xf32>
  %y = tfm.constant dense<[2.0, -2.0]> : tensor<2xf32>
  %3 = tfm.rem %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %4 = tfm.mod %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<5xi8>, tensor<5xi8>, tensor<2xui8>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Integer division by zero is undefined: it is left to run time.
// CHECK-LABEL: func.func @no_fold_division_by_zero
// CHECK: tfm.div
func.func @no_fold_division_by_zero() -> tensor<2xi32> {
  %a = tfm.constant dense<[1, 2]> : tensor<2xi32>
  %b = tfm.constant dense<[1, 0]> : tensor<2xi32>
  %0 = tfm.div %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Splat operands give splat results at any size.
// CHECK-LABEL: func.func @splat_constants
// CHECK: %[[C:.*]] = tfm.constant dense<-1.000000e+04> : tensor<1x1x128x128xf32>
// CHECK: return %[[C]]
func.func @splat_constants() -> tensor<1x1x128x128xf32> {
  %one = tfm.constant dense<1.0> : tensor<1x1x128x128xf32>
  %big = tfm.constant dense<-10000.0> : tensor<f32>
  %0 = tfm.mul %one, %big : (tensor<1x1x128x128xf32>, tensor<f32>) -> tensor<1x1x128x128xf32>
  return %0 : tensor<1x1x128x128xf32>
}

// -----

// CHECK-LABEL: func.func @unary_involutions
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[R:.*]] = tfm.relu %[[X]]
// CHECK-NOT: tfm.
// CHECK: return %[[X]], %[[R]]
func.func @unary_involutions(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = tfm.neg %x : tensor<4xf32>
  %1 = tfm.neg %0 : tensor<4xf32>
  %2 = tfm.relu %x : tensor<4xf32>
  %3 = tfm.relu %2 : tensor<4xf32>
  return %1, %3 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_constants
// CHECK-DAG: tfm.constant dense<[1.000000e+00, 2.71828175]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[0.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[0.000000e+00, 0.841344773]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[0.000000e+00, 8.411920e-01]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[0, 5]> : tensor<2xi32>
// CHECK-DAG: tfm.constant dense<[5.000000e-01, 0.731058597]> : tensor<2xf32>
// CHECK-NOT: tfm.exp
// CHECK-NOT: tfm.gelu
func.func @unary_constants() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xf32>) {
  %x = tfm.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %sq = tfm.constant dense<[0.0, 9.0]> : tensor<2xf32>
  %i = tfm.constant dense<[2, -5]> : tensor<2xi32>
  %0 = tfm.exp %x : tensor<2xf32>
  %1 = tfm.sqrt %sq : tensor<2xf32>
  %2 = tfm.gelu %x : tensor<2xf32>
  %3 = tfm.gelu %x approximate = tanh : tensor<2xf32>
  %n = tfm.neg %i : tensor<2xi32>
  %4 = tfm.relu %n : tensor<2xi32>
  %5 = tfm.sigmoid %x : tensor<2xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[T:.*]] = tfm.constant dense<[1, -1, 0, 3]> : tensor<4xi32>
// CHECK-DAG: %[[B:.*]] = tfm.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[M:.*]] = tfm.constant dense<-1.000000e+04> : tensor<1x128xf32>
// CHECK: return %[[X]], %[[T]], %[[B]], %[[M]]
func.func @casts(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<2xf32>, tensor<1x128xf32>) {
  %0 = tfm.cast %x : tensor<4xf32> to tensor<4xf32>
  %f = tfm.constant dense<[1.7, -1.7, 0.2, 3.0]> : tensor<4xf32>
  %1 = tfm.cast %f : tensor<4xf32> to tensor<4xi32>
  %b = tfm.constant dense<[false, true]> : tensor<2xi1>
  %2 = tfm.cast %b : tensor<2xi1> to tensor<2xf32>
  // BERT's extended attention mask, (1 - mask) * -10000, of an all-ones mask.
  %mask = tfm.constant dense<0> : tensor<1x128xi64>
  %mf = tfm.cast %mask : tensor<1x128xi64> to tensor<1x128xf32>
  %neg = tfm.constant dense<-10000.0> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %inv = tfm.sub %one, %mf : (tensor<f32>, tensor<1x128xf32>) -> tensor<1x128xf32>
  %3 = tfm.mul %inv, %neg : (tensor<1x128xf32>, tensor<f32>) -> tensor<1x128xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xi32>, tensor<2xf32>, tensor<1x128xf32>
}

// -----

// A narrow float constant widened to f32 stays narrow (a bf16 weight of the
// mixed-precision modes); a splat one folds.
// CHECK-LABEL: func.func @widening_casts
// CHECK-DAG: %[[N:.*]] = tfm.constant dense<[1.000000e+00, 1.500000e+00]> : tensor<2xbf16>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<2.500000e-01> : tensor<2xf32>
// CHECK: %[[W:.*]] = tfm.cast %[[N]] : tensor<2xbf16> to tensor<2xf32>
// CHECK: return %[[W]], %[[S]]
func.func @widening_casts() -> (tensor<2xf32>, tensor<2xf32>) {
  %n = tfm.constant dense<[1.0, 1.5]> : tensor<2xbf16>
  %w = tfm.cast %n : tensor<2xbf16> to tensor<2xf32>
  %s = tfm.constant dense<0.25> : tensor<2xf16>
  %v = tfm.cast %s : tensor<2xf16> to tensor<2xf32>
  return %w, %v : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK-SAME: (%[[C:.*]]: tensor<4xi1>, %[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[K:.*]] = tfm.constant dense<[1.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: return %[[X]], %[[Y]], %[[X]], %[[K]]
func.func @where(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %t = tfm.constant dense<true> : tensor<i1>
  %f = tfm.constant dense<false> : tensor<1xi1>
  %0 = tfm.where %t, %x, %y : (tensor<i1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tfm.where %f, %x, %y : (tensor<1xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = tfm.where %c, %x, %x : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %cc = tfm.constant dense<[true, false, false, true]> : tensor<4xi1>
  %a = tfm.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %z = tfm.constant dense<0.0> : tensor<f32>
  %3 = tfm.where %cc, %a, %z : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Reducing size-1 axes with keepdims changes nothing.
// CHECK-LABEL: func.func @trivial_reductions
// CHECK-SAME: (%[[X:.*]]: tensor<2x1x8xf32>)
// CHECK: %[[S:.*]] = tfm.reduce_sum %[[X]] axes = [1] : (tensor<2x1x8xf32>) -> tensor<2x8xf32>
// CHECK: %[[M:.*]] = tfm.reduce_max %[[X]] axes = [2] keepdims
// CHECK: return %[[X]], %[[S]], %[[M]]
func.func @trivial_reductions(%x: tensor<2x1x8xf32>) -> (tensor<2x1x8xf32>, tensor<2x8xf32>, tensor<2x1x1xf32>) {
  %0 = tfm.reduce_mean %x axes = [1] keepdims : (tensor<2x1x8xf32>) -> tensor<2x1x8xf32>
  %1 = tfm.reduce_sum %x axes = [1] : (tensor<2x1x8xf32>) -> tensor<2x8xf32>
  %2 = tfm.reduce_max %x axes = [2] keepdims : (tensor<2x1x8xf32>) -> tensor<2x1x1xf32>
  return %0, %1, %2 : tensor<2x1x8xf32>, tensor<2x8xf32>, tensor<2x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @transposes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-DAG: %[[K:.*]] = tfm.constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi32>
// CHECK-DAG: %[[T:.*]] = tfm.transpose %[[X]] perm = [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK: return %[[X]], %[[X]], %[[T]], %[[K]]
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x2x3xf32>, tensor<2x2xi32>) {
  %0 = tfm.transpose %x perm = [0, 1, 2] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // Inverse permutations cancel.
  %a = tfm.transpose %x perm = [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = tfm.transpose %a perm = [0, 2, 1] : tensor<2x4x3xf32> -> tensor<2x3x4xf32>
  // Others compose into one.
  %b = tfm.transpose %x perm = [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %2 = tfm.transpose %b perm = [1, 2, 0] : tensor<3x4x2xf32> -> tensor<4x2x3xf32>
  %c = tfm.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %3 = tfm.transpose %c perm = [1, 0] : tensor<2x2xi32> -> tensor<2x2xi32>
  return %0, %1, %2, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x2x3xf32>, tensor<2x2xi32>
}

// -----

// CHECK-LABEL: func.func @reshapes_and_expands
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>, %[[P:.*]]: tensor<1x4xi64>)
// CHECK-DAG: %[[R:.*]] = tfm.reshape %[[X]] : tensor<2x6xf32> -> tensor<12xf32>
// CHECK-DAG: %[[E:.*]] = tfm.expand %[[P]] : tensor<1x4xi64> -> tensor<2x3x4xi64>
// CHECK-DAG: %[[K:.*]] = tfm.constant dense<{{\[}}[0, 1, 2], [0, 1, 2]]> : tensor<2x3xi64>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK: return %[[X]], %[[R]], %[[X]], %[[E]], %[[K]], %[[S]]
func.func @reshapes_and_expands(%x: tensor<2x6xf32>, %p: tensor<1x4xi64>) -> (tensor<2x6xf32>, tensor<12xf32>, tensor<2x6xf32>, tensor<2x3x4xi64>, tensor<2x3xi64>, tensor<2x2xi64>) {
  %0 = tfm.reshape %x : tensor<2x6xf32> -> tensor<2x6xf32>
  %a = tfm.reshape %x : tensor<2x6xf32> -> tensor<3x4xf32>
  %1 = tfm.reshape %a : tensor<3x4xf32> -> tensor<12xf32>
  %2 = tfm.expand %x : tensor<2x6xf32> -> tensor<2x6xf32>
  %b = tfm.expand %p : tensor<1x4xi64> -> tensor<3x4xi64>
  %3 = tfm.expand %b : tensor<3x4xi64> -> tensor<2x3x4xi64>
  %r = tfm.constant dense<[0, 1, 2]> : tensor<3xi64>
  %4 = tfm.expand %r : tensor<3xi64> -> tensor<2x3xi64>
  %s = tfm.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %5 = tfm.reshape %s : tensor<4xi64> -> tensor<2x2xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<2x6xf32>, tensor<12xf32>, tensor<2x6xf32>, tensor<2x3x4xi64>, tensor<2x3xi64>, tensor<2x2xi64>
}

// -----

// A shape computation of the kind exporters emit folds to one constant:
// gather two dims of a shape, then concat with constants.
// CHECK-LABEL: func.func @shape_subgraph
// CHECK: %[[S:.*]] = tfm.constant dense<[1, 128, 12, 64]> : tensor<4xi64>
// CHECK-NEXT: return %[[S]]
func.func @shape_subgraph() -> tensor<4xi64> {
  %shape = tfm.constant dense<[1, 128, 768]> : tensor<3xi64>
  %idx = tfm.constant dense<[0, -2]> : tensor<2xi64>
  %bs = tfm.gather %shape, %idx axis = 0 : (tensor<3xi64>, tensor<2xi64>) -> tensor<2xi64>
  %heads = tfm.constant dense<[12, 64]> : tensor<2xi64>
  %0 = tfm.concat %bs, %heads axis = 0 : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @concat_split_slice_select
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-DAG: %[[C:.*]] = tfm.constant dense<{{\[}}[1, 2, 5], [3, 4, 6]]> : tensor<2x3xi32>
// CHECK-DAG: %[[P0:.*]] = tfm.constant dense<{{\[}}[1], [4]]> : tensor<2x1xi32>
// CHECK-DAG: %[[P1:.*]] = tfm.constant dense<{{\[}}[2, 3], [5, 6]]> : tensor<2x2xi32>
// CHECK-DAG: %[[SL:.*]] = tfm.constant dense<[2, 5]> : tensor<2xi32>
// CHECK-DAG: %[[SE:.*]] = tfm.constant dense<[4, 5, 6]> : tensor<3xi32>
// CHECK: return %[[X]], %[[X]], %[[X]], %[[C]], %[[P0]], %[[P1]], %[[SL]], %[[SE]]
func.func @concat_split_slice_select(%x: tensor<2x6xf32>) -> (tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x3xi32>, tensor<2x1xi32>, tensor<2x2xi32>, tensor<2xi32>, tensor<3xi32>) {
  %0 = tfm.concat %x axis = 1 : (tensor<2x6xf32>) -> tensor<2x6xf32>
  %1 = tfm.split %x axis = 1 : tensor<2x6xf32> -> tensor<2x6xf32>
  %2 = tfm.slice %x starts = [0, 0] limits = [2, 6] strides = [1, 1] : tensor<2x6xf32> -> tensor<2x6xf32>
  %a = tfm.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %b = tfm.constant dense<[[5], [6]]> : tensor<2x1xi32>
  %3 = tfm.concat %a, %b axis = 1 : (tensor<2x2xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  %m = tfm.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %4:2 = tfm.split %m axis = 1 : tensor<2x3xi32> -> tensor<2x1xi32>, tensor<2x2xi32>
  %5 = tfm.slice %m starts = [0, 1] limits = [2, 3] strides = [1, 2] : tensor<2x3xi32> -> tensor<2x1xi32>
  %6 = tfm.reshape %5 : tensor<2x1xi32> -> tensor<2xi32>
  %7 = tfm.select %m axis = 0 index = 1 : tensor<2x3xi32> -> tensor<3xi32>
  return %0, %1, %2, %3, %4#0, %4#1, %6, %7 : tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x3xi32>, tensor<2x1xi32>, tensor<2x2xi32>, tensor<2xi32>, tensor<3xi32>
}

// -----

// Out-of-range gather indices are undefined; they are not folded.
// CHECK-LABEL: func.func @no_fold_gather_out_of_range
// CHECK: tfm.gather
func.func @no_fold_gather_out_of_range() -> tensor<1xi64> {
  %shape = tfm.constant dense<[1, 128, 768]> : tensor<3xi64>
  %idx = tfm.constant dense<[3]> : tensor<1xi64>
  %0 = tfm.gather %shape, %idx axis = 0 : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// CHECK-LABEL: func.func @logical_and_compare_folds
// CHECK-SAME: (%[[B:.*]]: tensor<4xi1>)
// CHECK-DAG: %[[LT:.*]] = tfm.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: %[[NE:.*]] = tfm.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: %[[X:.*]] = tfm.constant dense<[false, true]> : tensor<2xi1>
// CHECK: return %[[B]], %[[B]], %[[LT]], %[[NE]], %[[X]]
func.func @logical_and_compare_folds(%b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<3xi1>, tensor<2xi1>, tensor<2xi1>) {
  %0 = tfm.not %b : tensor<4xi1>
  %1 = tfm.not %0 : tensor<4xi1>
  %2 = tfm.and %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %p = tfm.constant dense<[0, 1, 2]> : tensor<3xi64>
  %l = tfm.constant dense<1> : tensor<i64>
  %3 = tfm.compare lt, %p, %l : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  // NaN compares unequal.
  %f = tfm.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %4 = tfm.compare ne, %f, %one : (tensor<2xf32>, tensor<f32>) -> tensor<2xi1>
  %t = tfm.constant dense<[true, false]> : tensor<2xi1>
  %u = tfm.constant dense<true> : tensor<2xi1>
  %5 = tfm.xor %t, %u : (tensor<2xi1>, tensor<2xi1>) -> tensor<2xi1>
  return %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<3xi1>, tensor<2xi1>, tensor<2xi1>
}

// -----

// Unsigned integers compare by magnitude.
// CHECK-LABEL: func.func @unsigned_compare
// CHECK: tfm.constant dense<true> : tensor<1xi1>
func.func @unsigned_compare() -> tensor<1xi1> {
  %a = tfm.constant dense<200> : tensor<1xui8>
  %b = tfm.constant dense<100> : tensor<1xui8>
  %0 = tfm.compare gt, %a, %b : (tensor<1xui8>, tensor<1xui8>) -> tensor<1xi1>
  return %0 : tensor<1xi1>
}

// -----

// CHECK-LABEL: func.func @abs_sin_cos_reverse
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xf32>)
// CHECK-DAG: %[[A:.*]] = tfm.constant dense<[2.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[R:.*]] = tfm.constant dense<{{\[}}[3, 2, 1], [6, 5, 4]]> : tensor<2x3xi32>
// CHECK: return %[[A]], %[[S]], %[[R]], %[[X]]
func.func @abs_sin_cos_reverse(%x: tensor<1x4xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2x3xi32>, tensor<1x4xf32>) {
  %v = tfm.constant dense<[-2.0, 0.0]> : tensor<2xf32>
  %0 = tfm.abs %v : tensor<2xf32>
  %z = tfm.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %s = tfm.sin %z : tensor<2xf32>
  %c = tfm.cos %z : tensor<2xf32>
  %sc = tfm.concat %s, %c axis = 0 : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  %1 = tfm.slice %sc starts = [1] limits = [3] strides = [1] : tensor<4xf32> -> tensor<2xf32>
  %m = tfm.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %2 = tfm.reverse %m axes = [1] : tensor<2x3xi32>
  // Reversing a size-1 axis changes nothing.
  %3 = tfm.reverse %x axes = [0] : tensor<1x4xf32>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xf32>, tensor<2x3xi32>, tensor<1x4xf32>
}

// -----

// A slice with a run-time limit does not fold, not even from the origin
// of a constant or over the input's whole type.
// CHECK-LABEL: func.func @slice_dynamic_limit_kept
// CHECK-COUNT-2: tfm.slice
func.func @slice_dynamic_limit_kept(%x: tensor<?x4xf32>, %n: index) -> (tensor<?x2xi32>, tensor<?x4xf32>) {
  %m = tfm.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
  %0 = tfm.slice %m starts = [0, 0] limits = [%n, 2] strides = [1, 1] : tensor<3x2xi32> -> tensor<?x2xi32>
  %1 = tfm.slice %x starts = [0, 0] limits = [%n, 4] strides = [1, 1] : tensor<?x4xf32> -> tensor<?x4xf32>
  return %0, %1 : tensor<?x2xi32>, tensor<?x4xf32>
}

// -----

// A run-time limit that is the input's own size along its axis keeps all of
// it: the slice folds to its input (not when it reads another axis' size).
// CHECK-LABEL: func.func @slice_to_own_dim
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>)
// CHECK: %[[S:.*]] = tfm.slice %[[X]]
// CHECK: return %[[X]], %[[S]]
func.func @slice_to_own_dim(%x: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %x, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %x, %c1 : tensor<?x?xf32>
  %0 = tfm.slice %x starts = [0, 0] limits = [%d0, %d1] strides = [1, 1] : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = tfm.slice %x starts = [0, 0] limits = [%d1, %d0] strides = [1, 1] : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// The trigonometric and hyperbolic functions fold on constants; NaN where
// the argument is outside the domain.
// CHECK-LABEL: func.func @fold_trigonometric
// CHECK-DAG: tfm.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[1.57079637, 0x7FC00000]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[0.000000e+00, 1.17520118]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[{{0x7FC00000|0xFFC00000}}, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: tfm.constant dense<[0.000000e+00, 0x7F800000]> : tensor<2xf32>
// CHECK-NOT: tfm.tan
// CHECK-NOT: tfm.acos
// CHECK-NOT: tfm.sinh
// CHECK-NOT: tfm.acosh
// CHECK-NOT: tfm.atanh
func.func @fold_trigonometric() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %a = tfm.constant dense<[0.0, 0.785398163]> : tensor<2xf32>
  %0 = tfm.tan %a : tensor<2xf32>
  %b = tfm.constant dense<[0.0, 2.0]> : tensor<2xf32>
  %1 = tfm.acos %b : tensor<2xf32>
  %c = tfm.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %2 = tfm.sinh %c : tensor<2xf32>
  %d = tfm.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %3 = tfm.acosh %d : tensor<2xf32>
  %e = tfm.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %4 = tfm.atanh %e : tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// A running sum over one element is the element; exclusive, it is not.
// CHECK-LABEL: func.func @fold_cumsum
// CHECK-SAME: (%[[X:.*]]: tensor<3x1xf32>)
// CHECK: %[[E:.*]] = tfm.cumsum %[[X]] axis = 1 exclusive
// CHECK: %[[R:.*]] = tfm.cumsum %[[X]] axis = 0
// CHECK: return %[[X]], %[[E]], %[[R]]
func.func @fold_cumsum(%x: tensor<3x1xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>, tensor<3x1xf32>) {
  %0 = tfm.cumsum %x axis = 1 reverse : tensor<3x1xf32>
  %1 = tfm.cumsum %x axis = 1 exclusive : tensor<3x1xf32>
  %2 = tfm.cumsum %x axis = 0 : tensor<3x1xf32>
  return %0, %1, %2 : tensor<3x1xf32>, tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

// Shifts fold; by the width or more, to 0 (or the sign, arithmetically).
// CHECK-LABEL: func.func @shift_folds
// CHECK-DAG: tfm.constant dense<[6, 192, 0, 0]> : tensor<4xui8>
// CHECK-DAG: tfm.constant dense<[1, 12, 0, 0]> : tensor<4xui8>
// CHECK-DAG: tfm.constant dense<[-2, -1, 1, 0]> : tensor<4xi8>
func.func @shift_folds() -> (tensor<4xui8>, tensor<4xui8>, tensor<4xi8>) {
  %x = tfm.constant dense<[3, 99, 1, 255]> : tensor<4xui8>
  %s = tfm.constant dense<[1, 6, 8, 200]> : tensor<4xui8>
  %0 = tfm.shl %x, %s : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %r = tfm.constant dense<[3, 200, 8, 255]> : tensor<4xui8>
  %t = tfm.constant dense<[1, 4, 9, 8]> : tensor<4xui8>
  %1 = tfm.shr %r, %t : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %n = tfm.constant dense<[-4, -100, 64, 64]> : tensor<4xi8>
  %m = tfm.constant dense<[1, 100, 6, 7]> : tensor<4xi8>
  %2 = tfm.shr %n, %m : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1, %2 : tensor<4xui8>, tensor<4xui8>, tensor<4xi8>
}
