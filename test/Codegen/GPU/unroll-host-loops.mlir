// RUN: tfm-opt %s -split-input-file --tfm-gpu-unroll-host-loops --canonicalize | FileCheck %s

// A host loop over heads that launches a kernel per head becomes a
// straight sequence of launches (with constant arguments once folded).
// CHECK-LABEL: func.func @heads
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-NOT: scf.for
// CHECK: gpu.launch_func @k::@kernel {{.*}} args(%[[C0]] : index
// CHECK: gpu.launch_func @k::@kernel {{.*}} args(%[[C1]] : index
// CHECK: gpu.launch_func @k::@kernel {{.*}} args(%[[C2]] : index
// CHECK-NOT: gpu.launch_func
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @kernel(%head: index, %buf: memref<3x16xf32>) kernel {
      gpu.return
    }
  }
  func.func @heads(%buf: memref<3x16xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    scf.for %h = %c0 to %c3 step %c1 {
      gpu.launch_func @k::@kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%h : index, %buf : memref<3x16xf32>)
    }
    return
  }
}

// -----

// A trip count known only at run time: the loop stays.
// CHECK-LABEL: func.func @dynamic
// CHECK: scf.for
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @kernel(%i: index) kernel {
      gpu.return
    }
  }
  func.func @dynamic(%n: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %i = %c0 to %n step %c1 {
      gpu.launch_func @k::@kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%i : index)
    }
    return
  }
}
