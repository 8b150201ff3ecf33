// The GPU kernel pipeline: a fused linear with GELU becomes NVPTX kernels
// (the product, its epilogue...) held as PTX in gpu.binary ops, and host
// code that launches them over 4 x 32 tiles.
// (GELU's erf calls libdevice, which the NVVM lowering links.)
// REQUIRES: cuda-libdevice
// RUN: tfm-opt %s --tfm-gpu-kernels | FileCheck %s
// RUN: tfm-opt %s --tfm-gpu-kernels="chip=sm_90a" | FileCheck %s --check-prefix=SM90
// CHECK-LABEL: llvm.func @ffn
// CHECK: gpu.launch_func {{ *}}@ffn_kernel::@ffn_kernel blocks in
// CHECK: gpu.binary @ffn_kernel
// CHECK-SAME: #nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// CHECK-SAME: .target sm_80
// CHECK-SAME: .visible .entry ffn_kernel(
// SM90: .target sm_90a
func.func @ffn(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  %w = tfm.constant dense<0.5> : tensor<32x16xf32>
  %b = tfm.constant dense<0.25> : tensor<32xf32>
  %y = tfm.linear %x, %w, %b activation = gelu : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}
