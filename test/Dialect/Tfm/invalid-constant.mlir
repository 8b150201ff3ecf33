// Verifier errors of tfm.constant.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// constant_c1: the value is a ranked tensor of a tfm element type.
func.func @constant_c1() {
  // expected-error @+1 {{'tfm.constant' op result #0 must be ranked tensor of f16, bf16, f32 or f64 or integer or 1-bit signless integer or 4-bit signless integer or 4-bit unsigned integer values, but got 'tensor<2xi2>'}}
  %0 = tfm.constant dense<[1, 0]> : tensor<2xi2>
  return
}

// -----

// constant_c1: vectors are not tfm values.
func.func @constant_c1_vector() {
  // expected-error @+1 {{'tfm.constant' op result #0 must be ranked tensor of f16, bf16, f32 or f64 or integer or 1-bit signless integer or 4-bit signless integer or 4-bit unsigned integer values, but got 'vector<2xf32>'}}
  %0 = tfm.constant dense<1.0> : vector<2xf32>
  return
}

// -----

// constant_c2: a weight blob shorter than its tensor.
func.func @constant_c2() {
  // expected-error @+1 {{'tfm.constant' op constant_c2: blob 'short' holds 8 bytes; 'tensor<4xf32>' needs 16}}
  %0 = tfm.constant dense_resource<short> : tensor<4xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000803F0000803F"
    }
  }
#-}

// -----

// Every op: a result whose element count overflows 64 bits.
func.func @tensor_size(%x: tensor<1xf32>) {
  // expected-error @+1 {{'tfm.expand' op result #0 of type 'tensor<4294967296x4294967296xf32>' is too large: shape [4294967296, 4294967296] has more elements than a 64-bit count holds}}
  %0 = tfm.expand %x : tensor<1xf32> -> tensor<4294967296x4294967296xf32>
  return
}
