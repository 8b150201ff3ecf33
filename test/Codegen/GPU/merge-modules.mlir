// RUN: tfm-opt %s -split-input-file --tfm-gpu-merge-modules | FileCheck %s

// Outlined kernels, one module each, end up in the first module; a kernel
// whose name is taken there is renamed, and its launches follow.
// CHECK-LABEL: func.func @entry
// CHECK: gpu.launch_func @k::@kernel blocks
// CHECK: gpu.launch_func @k::@kernel_0 blocks
// CHECK: gpu.launch_func @k::@other blocks
// CHECK: gpu.module @k {
// CHECK: gpu.func @kernel(%{{.*}}: memref<4xf32>) kernel
// CHECK: gpu.func @kernel_0(%{{.*}}: memref<8xf32>) kernel
// CHECK: gpu.func @other(%{{.*}}: memref<8xf32>) kernel
// CHECK-NOT: gpu.module
module attributes {gpu.container_module} {
  func.func @entry(%a: memref<4xf32>, %b: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k::@kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @k_0::@kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<8xf32>)
    gpu.launch_func @k_1::@other blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<8xf32>)
    return
  }
  gpu.module @k {
    gpu.func @kernel(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @k_0 {
    gpu.func @kernel(%b: memref<8xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @k_1 {
    gpu.func @other(%b: memref<8xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// Modules for different targets stay apart.
// CHECK-LABEL: func.func @targets
// CHECK: gpu.launch_func @a::@kernel
// CHECK: gpu.launch_func @b::@kernel
// CHECK: gpu.module @a [#nvvm.target<chip = "sm_80">]
// CHECK: gpu.module @b [#nvvm.target<chip = "sm_90a">]
module attributes {gpu.container_module} {
  func.func @targets(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @a::@kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @b::@kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
  gpu.module @a [#nvvm.target<chip = "sm_80">] {
    gpu.func @kernel(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @b [#nvvm.target<chip = "sm_90a">] {
    gpu.func @kernel(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
}
