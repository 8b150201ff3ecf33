// The GPU pipeline: a fused linear with GELU becomes kernels on device
// buffers, launched on one stream by host code that touches no tensor
// memory: the narrowing to f16, then the initializer, the product (too
// small for tensor cores) and the epilogue as one kernel, their loops over
// the same points fused.
// (GELU's erf calls libdevice, which the NVVM lowering links.)
// REQUIRES: cuda-libdevice
// RUN: tfm-opt %s --tfm-gpu-pipeline="compile-to=kernels entry-name=ffn_main" | FileCheck %s --check-prefix=KERNELS
// RUN: tfm-opt %s --tfm-gpu-pipeline="compile-to=kernels precision=fp32" | FileCheck %s --check-prefix=FP32
// RUN: tfm-opt %s --tfm-gpu-pipeline="entry-name=ffn_main" | FileCheck %s
// RUN: tfm-opt %s --tfm-gpu-pipeline="chip=sm_90a" | FileCheck %s --check-prefix=SM90

// Buffers are the weights blob and the arena (every constant, however
// small, is in the blob: kernels cannot read host data); tiles of 32 x 4
// points are blocks of 128 threads.
// KERNELS-LABEL: func.func @ffn_main(
// KERNELS-SAME: {tfm.weights}
// KERNELS-SAME: {tfm.arena}
// KERNELS-NOT: memref.load
// KERNELS: %[[T0:.*]] = gpu.wait async
// KERNELS: gpu.launch_func async [%[[T0]]] @ffn_main_kernel::@ffn_main_kernel blocks in ({{.*}}) threads in (%c32, %c4, %c1)
// KERNELS: gpu.launch_func async {{.*}} @ffn_main_kernel::@ffn_main_kernel_0
// KERNELS-NOT: gpu.launch_func
// KERNELS-NOT: memref.load
// KERNELS: gpu.wait [
// KERNELS-NEXT: return
// Every kernel is in one module (one image to compile and load).
// KERNELS: gpu.module @ffn_main_kernel
// KERNELS-NOT: gpu.module
// The default precision narrows the product's input to f16.
// KERNELS: arith.truncf {{.*}} : f32 to f16
// FP32-NOT: f16

// CHECK-LABEL: llvm.func @ffn_main
// CHECK: %[[STREAM:.*]] = llvm.call @mgpuStreamCreate()
// CHECK: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @ffn_main_kernel::@ffn_main_kernel blocks in
// CHECK: llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK: gpu.binary @ffn_main_kernel
// CHECK-SAME: #nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// CHECK-SAME: .target sm_80
// CHECK-SAME: .visible .entry ffn_main_kernel(
// CHECK-SAME: .visible .entry ffn_main_kernel_0(
// CHECK-NOT: gpu.binary
// SM90: .target sm_90a
func.func @ffn(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  %w = tfm.constant dense<0.5> : tensor<32x16xf32>
  %b = tfm.constant dense<0.25> : tensor<32xf32>
  %y = tfm.linear %x, %w, %b activation = gelu : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}
