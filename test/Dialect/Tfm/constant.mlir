// Round-trip of tfm.constant: literals, and weights as resource blobs.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @literals
func.func @literals() -> (tensor<f32>, tensor<2x2xi64>, tensor<3xi1>, tensor<768xbf16>) {
  // CHECK: tfm.constant dense<9.99999996E-13> : tensor<f32>
  %0 = tfm.constant dense<1.0e-12> : tensor<f32>
  // CHECK: tfm.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
  %1 = tfm.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  // CHECK: tfm.constant dense<[true, false, true]> : tensor<3xi1>
  %2 = tfm.constant dense<[true, false, true]> : tensor<3xi1>
  // CHECK: tfm.constant dense<1.000000e+00> : tensor<768xbf16>
  %3 = tfm.constant dense<1.0> : tensor<768xbf16>
  return %0, %1, %2, %3 : tensor<f32>, tensor<2x2xi64>, tensor<3xi1>, tensor<768xbf16>
}

// -----

// Weights refer to a named blob; the IR prints the name, the bytes go to
// the resource section.
// CHECK-LABEL: func.func @weight
func.func @weight() -> tensor<2x2xf32> {
  // CHECK: tfm.constant dense_resource<encoder.0.q.weight> : tensor<2x2xf32>
  %0 = tfm.constant dense_resource<encoder.0.q.weight> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
// CHECK: dialect_resources
// CHECK: encoder.0.q.weight: "0x040000000000803F000000400000404000008040"

{-#
  dialect_resources: {
    builtin: {
      encoder.0.q.weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
