// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file --verify-diagnostics

// Code generation needs static shapes.
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'tfm.relu' op has a dynamic shape; code generation needs static shapes}}
  %0 = tfm.relu %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
