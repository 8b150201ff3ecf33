// Round-trip of the elementwise ops: custom form, then generic form.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// Binary ops broadcast NumPy-style.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:.*]]: tensor<2x4x8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @binary(%a: tensor<2x4x8xf32>, %b: tensor<8xf32>) -> tensor<2x4x8xf32> {
  // CHECK: %[[ADD:.*]] = tfm.add %[[A]], %[[B]] : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %0 = tfm.add %a, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[SUB:.*]] = tfm.sub %[[ADD]], %[[B]]
  %1 = tfm.sub %0, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[MUL:.*]] = tfm.mul %[[B]], %[[SUB]] : (tensor<8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %2 = tfm.mul %b, %1 : (tensor<8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[DIV:.*]] = tfm.div %[[MUL]], %[[B]]
  %3 = tfm.div %2, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[POW:.*]] = tfm.pow %[[DIV]], %[[B]]
  %4 = tfm.pow %3, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[MAX:.*]] = tfm.max %[[POW]], %[[B]]
  %5 = tfm.max %4, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[MIN:.*]] = tfm.min %[[MAX]], %[[B]]
  %6 = tfm.min %5, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[REM:.*]] = tfm.rem %[[MIN]], %[[B]]
  %7 = tfm.rem %6, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[MOD:.*]] = tfm.mod %[[REM]], %[[B]]
  %8 = tfm.mod %7, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: return %[[MOD]]
  return %8 : tensor<2x4x8xf32>
}

// -----

// Both operands may broadcast; integer and half types are accepted.
// CHECK-LABEL: func.func @binary_both_sides
func.func @binary_both_sides(%a: tensor<4x1xi64>, %b: tensor<1x3xi64>, %h: tensor<2xbf16>) -> (tensor<4x3xi64>, tensor<2xbf16>) {
  // CHECK: tfm.add %{{.*}}, %{{.*}} : (tensor<4x1xi64>, tensor<1x3xi64>) -> tensor<4x3xi64>
  %0 = tfm.add %a, %b : (tensor<4x1xi64>, tensor<1x3xi64>) -> tensor<4x3xi64>
  // CHECK: tfm.mul %{{.*}}, %{{.*}} : (tensor<2xbf16>, tensor<2xbf16>) -> tensor<2xbf16>
  %1 = tfm.mul %h, %h : (tensor<2xbf16>, tensor<2xbf16>) -> tensor<2xbf16>
  return %0, %1 : tensor<4x3xi64>, tensor<2xbf16>
}

// -----

// A dynamic dimension is allowed where a static one is inferred, and vice
// versa.
// CHECK-LABEL: func.func @binary_dynamic
func.func @binary_dynamic(%a: tensor<?x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  // CHECK: tfm.add %{{.*}}, %{{.*}} : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %0 = tfm.add %a, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[I:.*]]: tensor<4xi32>)
func.func @unary(%x: tensor<2x8xf32>, %i: tensor<4xi32>) -> tensor<2x8xf32> {
  // CHECK: %[[NEG:.*]] = tfm.neg %[[X]] : tensor<2x8xf32>
  %0 = tfm.neg %x : tensor<2x8xf32>
  // CHECK: tfm.neg %[[I]] : tensor<4xi32>
  %n = tfm.neg %i : tensor<4xi32>
  // CHECK: tfm.relu %[[I]] : tensor<4xi32>
  %r = tfm.relu %i : tensor<4xi32>
  // CHECK: %[[EXP:.*]] = tfm.exp %[[NEG]] : tensor<2x8xf32>
  %1 = tfm.exp %0 : tensor<2x8xf32>
  // CHECK: %[[LOG:.*]] = tfm.log %[[EXP]]
  %2 = tfm.log %1 : tensor<2x8xf32>
  // CHECK: %[[SQRT:.*]] = tfm.sqrt %[[LOG]]
  %3 = tfm.sqrt %2 : tensor<2x8xf32>
  // CHECK: %[[RSQRT:.*]] = tfm.rsqrt %[[SQRT]]
  %4 = tfm.rsqrt %3 : tensor<2x8xf32>
  // CHECK: %[[TANH:.*]] = tfm.tanh %[[RSQRT]]
  %5 = tfm.tanh %4 : tensor<2x8xf32>
  // CHECK: %[[ERF:.*]] = tfm.erf %[[TANH]]
  %6 = tfm.erf %5 : tensor<2x8xf32>
  // CHECK: %[[SIG:.*]] = tfm.sigmoid %[[ERF]]
  %7 = tfm.sigmoid %6 : tensor<2x8xf32>
  // CHECK: %[[RELU:.*]] = tfm.relu %[[SIG]]
  %8 = tfm.relu %7 : tensor<2x8xf32>
  // CHECK: %[[SILU:.*]] = tfm.silu %[[RELU]]
  %9 = tfm.silu %8 : tensor<2x8xf32>
  // CHECK: %[[GELU:.*]] = tfm.gelu %[[SILU]] : tensor<2x8xf32>
  %10 = tfm.gelu %9 : tensor<2x8xf32>
  // CHECK: %[[GELUT:.*]] = tfm.gelu %[[GELU]] approximate = tanh : tensor<2x8xf32>
  %11 = tfm.gelu %10 approximate = tanh : tensor<2x8xf32>
  // The default approximation is elided when written out.
  // CHECK: tfm.gelu %[[GELUT]] : tensor<2x8xf32>
  %12 = tfm.gelu %11 approximate = none : tensor<2x8xf32>
  return %12 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @cast
func.func @cast(%mask: tensor<1x128xi64>, %x: tensor<4xf32>, %u: tensor<4xui8>) -> (tensor<1x128xf32>, tensor<4xi1>, tensor<4xf16>) {
  // CHECK: tfm.cast %{{.*}} : tensor<1x128xi64> to tensor<1x128xf32>
  %0 = tfm.cast %mask : tensor<1x128xi64> to tensor<1x128xf32>
  // CHECK: tfm.cast %{{.*}} : tensor<4xf32> to tensor<4xi1>
  %1 = tfm.cast %x : tensor<4xf32> to tensor<4xi1>
  // CHECK: tfm.cast %{{.*}} : tensor<4xui8> to tensor<4xf16>
  %2 = tfm.cast %u : tensor<4xui8> to tensor<4xf16>
  return %0, %1, %2 : tensor<1x128xf32>, tensor<4xi1>, tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK-SAME: (%[[C:.*]]: tensor<128x128xi1>, %[[S:.*]]: tensor<1x12x128x128xf32>, %[[N:.*]]: tensor<f32>)
func.func @where(%c: tensor<128x128xi1>, %s: tensor<1x12x128x128xf32>, %n: tensor<f32>) -> tensor<1x12x128x128xf32> {
  // CHECK: tfm.where %[[C]], %[[S]], %[[N]] : (tensor<128x128xi1>, tensor<1x12x128x128xf32>, tensor<f32>) -> tensor<1x12x128x128xf32>
  %0 = tfm.where %c, %s, %n : (tensor<128x128xi1>, tensor<1x12x128x128xf32>, tensor<f32>) -> tensor<1x12x128x128xf32>
  return %0 : tensor<1x12x128x128xf32>
}

// -----

// CHECK-LABEL: func.func @logical_and_compare
// CHECK-SAME: (%[[A:.*]]: tensor<4xi1>, %[[B:.*]]: tensor<2x4xi1>, %[[P:.*]]: tensor<128xi64>, %[[L:.*]]: tensor<4x1xi64>)
func.func @logical_and_compare(%a: tensor<4xi1>, %b: tensor<2x4xi1>, %p: tensor<128xi64>, %l: tensor<4x1xi64>) -> (tensor<2x4xi1>, tensor<4x128xi1>) {
  // CHECK: %[[AND:.*]] = tfm.and %[[A]], %[[B]] : (tensor<4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  %0 = tfm.and %a, %b : (tensor<4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  // CHECK: %[[OR:.*]] = tfm.or %[[AND]], %[[A]]
  %1 = tfm.or %0, %a : (tensor<2x4xi1>, tensor<4xi1>) -> tensor<2x4xi1>
  // CHECK: %[[XOR:.*]] = tfm.xor %[[OR]], %[[B]]
  %2 = tfm.xor %1, %b : (tensor<2x4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  // CHECK: %[[NOT:.*]] = tfm.not %[[XOR]] : tensor<2x4xi1>
  %3 = tfm.not %2 : tensor<2x4xi1>
  // CHECK: tfm.compare lt, %[[P]], %[[L]] : (tensor<128xi64>, tensor<4x1xi64>) -> tensor<4x128xi1>
  %4 = tfm.compare lt, %p, %l : (tensor<128xi64>, tensor<4x1xi64>) -> tensor<4x128xi1>
  return %3, %4 : tensor<2x4xi1>, tensor<4x128xi1>
}

// -----

// CHECK-LABEL: func.func @more_unary
func.func @more_unary(%x: tensor<8xf32>, %i: tensor<8xi32>) -> (tensor<8xf32>, tensor<8xi32>) {
  // CHECK: tfm.abs %{{.*}} : tensor<8xf32>
  %0 = tfm.abs %x : tensor<8xf32>
  // CHECK: tfm.sin %{{.*}} : tensor<8xf32>
  %1 = tfm.sin %0 : tensor<8xf32>
  // CHECK: tfm.cos %{{.*}} : tensor<8xf32>
  %2 = tfm.cos %1 : tensor<8xf32>
  // CHECK: tfm.abs %{{.*}} : tensor<8xi32>
  %3 = tfm.abs %i : tensor<8xi32>
  // CHECK: tfm.floor %{{.*}} : tensor<8xf32>
  %4 = tfm.floor %2 : tensor<8xf32>
  // CHECK: tfm.ceil %{{.*}} : tensor<8xf32>
  %5 = tfm.ceil %4 : tensor<8xf32>
  // CHECK: tfm.round %{{.*}} : tensor<8xf32>
  %6 = tfm.round %5 : tensor<8xf32>
  return %6, %3 : tensor<8xf32>, tensor<8xi32>
}

// -----

// CHECK-LABEL: func.func @swiglu
// CHECK: tfm.swiglu %{{.*}} : tensor<2x16x8xf32> -> tensor<2x16x4xf32>
// CHECK: tfm.swiglu %{{.*}} : tensor<?x8xf16> -> tensor<?x4xf16>
func.func @swiglu(%x: tensor<2x16x8xf32>, %y: tensor<?x8xf16>) -> (tensor<2x16x4xf32>, tensor<?x4xf16>) {
  %0 = tfm.swiglu %x : tensor<2x16x8xf32> -> tensor<2x16x4xf32>
  %1 = tfm.swiglu %y : tensor<?x8xf16> -> tensor<?x4xf16>
  return %0, %1 : tensor<2x16x4xf32>, tensor<?x4xf16>
}

// -----

// CHECK-LABEL: func.func @trigonometric
func.func @trigonometric(%x: tensor<8xf32>) -> tensor<8xf32> {
  // CHECK: tfm.tan %{{.*}} : tensor<8xf32>
  %0 = tfm.tan %x : tensor<8xf32>
  // CHECK: tfm.asin %{{.*}} : tensor<8xf32>
  %1 = tfm.asin %0 : tensor<8xf32>
  // CHECK: tfm.acos %{{.*}} : tensor<8xf32>
  %2 = tfm.acos %1 : tensor<8xf32>
  // CHECK: tfm.atan %{{.*}} : tensor<8xf32>
  %3 = tfm.atan %2 : tensor<8xf32>
  // CHECK: tfm.sinh %{{.*}} : tensor<8xf32>
  %4 = tfm.sinh %3 : tensor<8xf32>
  // CHECK: tfm.cosh %{{.*}} : tensor<8xf32>
  %5 = tfm.cosh %4 : tensor<8xf32>
  // CHECK: tfm.asinh %{{.*}} : tensor<8xf32>
  %6 = tfm.asinh %5 : tensor<8xf32>
  // CHECK: tfm.acosh %{{.*}} : tensor<8xf32>
  %7 = tfm.acosh %6 : tensor<8xf32>
  // CHECK: tfm.atanh %{{.*}} : tensor<8xf32>
  %8 = tfm.atanh %7 : tensor<8xf32>
  return %8 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @shifts
// CHECK: tfm.shl %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
// CHECK: tfm.shr %{{.*}}, %{{.*}} : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
func.func @shifts(%a: tensor<4xui8>, %s: tensor<ui8>, %b: tensor<2x4xi32>, %t: tensor<4xi32>) -> (tensor<4xui8>, tensor<2x4xi32>) {
  %0 = tfm.shl %a, %s : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  %1 = tfm.shr %b, %t : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  return %0, %1 : tensor<4xui8>, tensor<2x4xi32>
}
