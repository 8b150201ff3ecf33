// Verifier errors of tfm.constant.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// constant_c1: the value is a ranked tensor of a tfm element type.
func.func @constant_c1() {
  // expected-error @+1 {{'tfm.constant' op result #0 must be ranked tensor of f16, bf16, f32 or f64 or integer or 1-bit signless integer values, but got 'tensor<2xi4>'}}
  %0 = tfm.constant dense<[1, 2]> : tensor<2xi4>
  return
}

// -----

// constant_c1: vectors are not tfm values.
func.func @constant_c1_vector() {
  // expected-error @+1 {{'tfm.constant' op result #0 must be ranked tensor of f16, bf16, f32 or f64 or integer or 1-bit signless integer values, but got 'vector<2xf32>'}}
  %0 = tfm.constant dense<1.0> : vector<2xf32>
  return
}
