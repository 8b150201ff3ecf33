// The graph-level pipeline at each optimization level.
// RUN: tfm-opt %s -split-input-file --tfm-graph-pipeline | FileCheck %s
// RUN: tfm-opt %s -split-input-file --tfm-graph-pipeline=opt-level=0 | FileCheck %s --check-prefix=O0
// RUN: tfm-opt %s -split-input-file --tfm-graph-pipeline=opt-level=3 | FileCheck %s --check-prefix=O3

// Level 0 only refines shapes; higher levels also fold constants, drop
// identities and merge duplicates.
// CHECK-LABEL: func.func @cleanup
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK: %[[E:.*]] = tfm.exp %[[X]] : tensor<2x8xf32>
// CHECK-NEXT: %[[S:.*]] = tfm.add %[[E]], %[[E]]
// CHECK-NEXT: return %[[S]]
// O0-LABEL: func.func @cleanup
// O0-SAME: -> tensor<2x8xf32>
// O0-COUNT-2: tfm.mul
// O0-COUNT-2: tfm.exp
func.func @cleanup(%x: tensor<2x8xf32>) -> tensor<?x8xf32> {
  %one = tfm.constant dense<1.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %unit = tfm.mul %half, %two : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %0 = tfm.mul %x, %unit : (tensor<2x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  %1 = tfm.exp %0 : tensor<?x8xf32>
  %2 = tfm.exp %0 : tensor<?x8xf32>
  %3 = tfm.add %1, %2 : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return %3 : tensor<?x8xf32>
}

// -----

// -O3 adds the layout decisions: after the fusions (matmul + bias ->
// linear), the constant weight is packed in panels of 16 features. -O2
// keeps the [N, K] layout.
// CHECK-LABEL: func.func @layout
// CHECK: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<32x8xf32>, tensor<32xf32>) -> tensor<2x32xf32>
// O3-LABEL: func.func @layout
// O3-NOT: tfm.transpose
// O3: %[[WP:.*]] = tfm.constant {{.*}} : tensor<2x8x16xf32>
// O3: tfm.linear %{{.*}}, %[[WP]], %{{.*}} {out_features = 32 : i64} : (tensor<2x8xf32>, tensor<2x8x16xf32>, tensor<32xf32>) -> tensor<2x32xf32>
func.func @layout(%x: tensor<2x8xf32>) -> tensor<2x32xf32> {
  %w = tfm.constant dense<0.5> : tensor<8x32xf32>
  %b = tfm.constant dense<0.25> : tensor<32xf32>
  %0 = tfm.matmul %x, %w : (tensor<2x8xf32>, tensor<8x32xf32>) -> tensor<2x32xf32>
  %1 = tfm.add %0, %b : (tensor<2x32xf32>, tensor<32xf32>) -> tensor<2x32xf32>
  return %1 : tensor<2x32xf32>
}

// -----

// The panel width is the module target's: with 512-bit vectors the panels
// are 32 features wide.
// O3-LABEL: func.func @layout_avx512
// O3: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} {out_features = 32 : i64} : (tensor<2x8xf32>, tensor<1x8x32xf32>, tensor<32xf32>) -> tensor<2x32xf32>
module attributes {tfm.target = #tfm.cpu_target<cpu = "znver5", vector_bits = 512, int8_dot = true, bf16_dot = true>} {
  func.func @layout_avx512(%x: tensor<2x8xf32>) -> tensor<2x32xf32> {
    %w = tfm.constant dense<0.5> : tensor<8x32xf32>
    %b = tfm.constant dense<0.25> : tensor<32xf32>
    %0 = tfm.matmul %x, %w : (tensor<2x8xf32>, tensor<8x32xf32>) -> tensor<2x32xf32>
    %1 = tfm.add %0, %b : (tensor<2x32xf32>, tensor<32xf32>) -> tensor<2x32xf32>
    return %1 : tensor<2x32xf32>
  }
}

// -----

// A GPU target keeps weights in their own layout: no panels.
// O3-LABEL: func.func @layout_cuda
// O3: tfm.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<32x8xf32>, tensor<32xf32>) -> tensor<2x32xf32>
module attributes {tfm.target = #tfm.cuda_target<chip = "sm_80", features = "+ptx80">} {
  func.func @layout_cuda(%x: tensor<2x8xf32>) -> tensor<2x32xf32> {
    %w = tfm.constant dense<0.5> : tensor<8x32xf32>
    %b = tfm.constant dense<0.25> : tensor<32xf32>
    %0 = tfm.matmul %x, %w : (tensor<2x8xf32>, tensor<8x32xf32>) -> tensor<2x32xf32>
    %1 = tfm.add %0, %b : (tensor<2x32xf32>, tensor<32xf32>) -> tensor<2x32xf32>
    return %1 : tensor<2x32xf32>
  }
}
