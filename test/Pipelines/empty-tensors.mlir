// Zero-element tensors through the whole CPU pipeline, at every level: the
// graph phase folds them, code generation never tiles an empty range, and
// the entry takes 0xT buffers that the bare-pointer convention lowers.
// RUN: tfm-opt %s --tfm-cpu-pipeline="opt-level=0 entry-name=empty_main" | FileCheck %s
// RUN: tfm-opt %s --tfm-cpu-pipeline="opt-level=2 entry-name=empty_main" | FileCheck %s
// RUN: tfm-opt %s --tfm-cpu-pipeline="opt-level=3 entry-name=empty_main" | FileCheck %s
// The phase is an enum option: an unknown one is an error, not a crash.
// RUN: not tfm-opt %s --tfm-cpu-pipeline="compile-to=assembly" 2>&1 | FileCheck %s --check-prefix=PHASE
// PHASE: Cannot find option named 'assembly'

// CHECK: llvm.func @empty_main(%{{.*}}: !llvm.ptr {tfm.weights}, %{{.*}}: !llvm.ptr {tfm.arena}, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: func.func
func.func @empty(%a: tensor<3x0xf32>, %b: tensor<0x4xf32>)
    -> (tensor<3x4xf32>, tensor<3xf32>, tensor<3x0xf32>) {
  %0 = tfm.matmul %a, %b : (tensor<3x0xf32>, tensor<0x4xf32>) -> tensor<3x4xf32>
  %1 = tfm.reduce_mean %a axes = [1] : (tensor<3x0xf32>) -> tensor<3xf32>
  %2 = tfm.softmax %a axis = 1 : tensor<3x0xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<3xf32>, tensor<3x0xf32>
}
