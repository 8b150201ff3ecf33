// RUN: tfm-opt %s --tfm-fuse-activations --split-input-file | FileCheck %s

// BERT's GELU: (x · (erf(x / √2) + 1)) · 0.5.
// CHECK-LABEL: func.func @gelu_erf
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[Y:.*]] = tfm.gelu %[[X]] : tensor<4x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @gelu_erf(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %sqrt2 = tfm.constant dense<1.41421354> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %0 = tfm.div %x, %sqrt2 : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = tfm.erf %0 : tensor<4x8xf32>
  %2 = tfm.add %1, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = tfm.mul %x, %2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = tfm.mul %3, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %4 : tensor<4x8xf32>
}

// -----

// The other association: (0.5 · x) · (1 + erf(x · (1/√2))).
// CHECK-LABEL: func.func @gelu_erf_reassociated
// CHECK-NEXT: tfm.gelu %{{.*}} : tensor<4x8xf32>
// CHECK-NEXT: return
func.func @gelu_erf_reassociated(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %rsqrt2 = tfm.constant dense<0.707106769> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %h = tfm.mul %half, %x : (tensor<f32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = tfm.mul %x, %rsqrt2 : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = tfm.erf %0 : tensor<4x8xf32>
  %2 = tfm.add %one, %1 : (tensor<f32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = tfm.mul %h, %2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %3 : tensor<4x8xf32>
}

// -----

// GPT-2's tanh GELU with x³ as x · (x · x).
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[Y:.*]] = tfm.gelu %[[X]] approximate = tanh : tensor<4x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @gelu_tanh(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %half = tfm.constant dense<0.5> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %c = tfm.constant dense<0.797884583> : tensor<f32>
  %k = tfm.constant dense<4.471500e-02> : tensor<f32>
  %0 = tfm.mul %x, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = tfm.mul %x, %0 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = tfm.mul %1, %k : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = tfm.add %x, %2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = tfm.mul %3, %c : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %5 = tfm.tanh %4 : tensor<4x8xf32>
  %6 = tfm.add %5, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %7 = tfm.mul %x, %6 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %8 = tfm.mul %7, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %8 : tensor<4x8xf32>
}

// -----

// x³ as Pow(x, 3).
// CHECK-LABEL: func.func @gelu_tanh_pow
// CHECK-NEXT: tfm.gelu %{{.*}} approximate = tanh
// CHECK-NEXT: return
func.func @gelu_tanh_pow(%x: tensor<8xf32>) -> tensor<8xf32> {
  %half = tfm.constant dense<0.5> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %three = tfm.constant dense<3.0> : tensor<f32>
  %c = tfm.constant dense<0.797884583> : tensor<f32>
  %k = tfm.constant dense<4.471500e-02> : tensor<f32>
  %1 = tfm.pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %2 = tfm.mul %k, %1 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %3 = tfm.add %2, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %4 = tfm.mul %c, %3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %5 = tfm.tanh %4 : tensor<8xf32>
  %6 = tfm.add %one, %5 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %7 = tfm.mul %half, %6 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %8 = tfm.mul %7, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %8 : tensor<8xf32>
}

// -----

// SiLU, sigmoid on either side.
// CHECK-LABEL: func.func @silu
// CHECK-NEXT: tfm.silu
// CHECK-NEXT: return
func.func @silu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %s = tfm.sigmoid %x : tensor<8xf32>
  %y = tfm.mul %s, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Negative: the wrong constant (1/2 instead of 1/√2 inside the erf).
// CHECK-LABEL: func.func @gelu_wrong_constant
// CHECK-NOT: tfm.gelu
// CHECK: tfm.erf
func.func @gelu_wrong_constant(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c = tfm.constant dense<0.5> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %0 = tfm.mul %x, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = tfm.erf %0 : tensor<8xf32>
  %2 = tfm.add %1, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %3 = tfm.mul %x, %2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %4 = tfm.mul %3, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %4 : tensor<8xf32>
}

// -----

// Negative: the erf term is also a graph output.
// CHECK-LABEL: func.func @gelu_extra_consumer
// CHECK-NOT: tfm.gelu
func.func @gelu_extra_consumer(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %sqrt2 = tfm.constant dense<1.41421354> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %0 = tfm.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = tfm.erf %0 : tensor<8xf32>
  %2 = tfm.add %1, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %3 = tfm.mul %x, %2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %4 = tfm.mul %3, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %4, %1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Negative: the sigmoid reads another value than the product.
// CHECK-LABEL: func.func @not_silu
// CHECK-NOT: tfm.silu
func.func @not_silu(%x: tensor<8xf32>, %z: tensor<8xf32>) -> tensor<8xf32> {
  %s = tfm.sigmoid %z : tensor<8xf32>
  %y = tfm.mul %x, %s : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
