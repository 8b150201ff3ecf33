// RUN: tfm-opt %s --tfm-fold-constants --split-input-file | FileCheck %s
// RUN: tfm-opt %s --tfm-fold-constants=max-elements=8 --split-input-file | FileCheck %s --check-prefix=LIMIT

// Ops over constants evaluate at compile time, beyond canonicalization's
// 16 Ki elements; the limit option keeps large results as ops.
// CHECK-LABEL: func.func @large
// CHECK: %[[C:.*]] = tfm.constant dense<3.000000e+00> : tensor<256x256xf32>
// CHECK-NOT: tfm.add
// LIMIT-LABEL: func.func @large
// LIMIT: tfm.concat
func.func @large(%x: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %a = tfm.constant dense<1.0> : tensor<128x256xf32>
  %b = tfm.constant dense<2.0> : tensor<128x256xf32>
  %c = tfm.concat %a, %a axis = 0 : (tensor<128x256xf32>, tensor<128x256xf32>) -> tensor<256x256xf32>
  %d = tfm.concat %b, %b axis = 0 : (tensor<128x256xf32>, tensor<128x256xf32>) -> tensor<256x256xf32>
  %e = tfm.add %c, %d : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %y = tfm.mul %x, %e : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %y : tensor<256x256xf32>
}

// -----

// Weights in resource blobs fold too: the concatenation of merged weights.
// CHECK-LABEL: func.func @resource_weights
// CHECK: tfm.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: tfm.concat
func.func @resource_weights(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %a = tfm.constant dense_resource<wa> : tensor<1x2xf32>
  %b = tfm.constant dense_resource<wb> : tensor<1x2xf32>
  %w = tfm.concat %a, %b axis = 0 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %y = tfm.linear %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      wa: "0x040000000000803F00000040",
      wb: "0x040000000000404000008040"
    }
  }
#-}

// -----

// A [K, N] weight transposed only for linears is the backend's layout and
// stays; the same transpose feeding anything else folds.
// CHECK-LABEL: func.func @weight_layout
// CHECK: %[[W:.*]] = tfm.constant dense<{{.*}}> : tensor<2x3xf32>
// CHECK: %[[T:.*]] = tfm.transpose %[[W]] perm = [1, 0]
// CHECK: tfm.linear %{{.*}}, %[[T]]
// CHECK: tfm.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
func.func @weight_layout(%x: tensor<4x2xf32>) -> (tensor<4x3xf32>, tensor<3x2xf32>) {
  %w = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %wt = tfm.transpose %w perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %y = tfm.linear %x, %wt : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  %w2 = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t2 = tfm.transpose %w2 perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %y, %t2 : tensor<4x3xf32>, tensor<3x2xf32>
}
