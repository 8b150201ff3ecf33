// The CPU pipeline's phases, each reproducible on its own from the output
// of the phase before it.
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=graph" | FileCheck %s --check-prefix=GRAPH
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=linalg" | FileCheck %s --check-prefix=LINALG
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=vectorized" | FileCheck %s --check-prefix=VECTOR
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=linalg" | tfm-opt --tfm-cpu-vectorized | FileCheck %s --check-prefix=VECTOR
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=bufferized entry-name=mlp_main" | FileCheck %s --check-prefix=BUFFER
// RUN: tfm-opt %s --tfm-cpu-pipeline="entry-name=mlp_main" | FileCheck %s --check-prefix=LLVM
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=bufferized" | tfm-opt --tfm-cpu-llvm | FileCheck %s --check-prefix=LLVM-NAME
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=bufferized opt-level=0" | FileCheck %s --check-prefix=O0

// GRAPH-LABEL: func.func @mlp
// GRAPH: tfm.linear {{.*}} activation = gelu
// GRAPH-NOT: tfm.gelu
// GRAPH: tfm.linear

// LINALG-LABEL: func.func @mlp
// LINALG-NOT: = tfm.
// LINALG: linalg.matmul
// LINALG: linalg.generic
// LINALG: math.erf

// VECTOR-LABEL: func.func @mlp
// VECTOR: scf.forall
// VECTOR: vector.contract
// VECTOR: math.erf {{.*}} : vector<
// VECTOR-NOT: linalg.generic

// BUFFER-LABEL: func.func @mlp_main
// BUFFER-SAME: (%{{.*}}: memref<{{[0-9]+}}xi8> {tfm.weights}, %{{.*}}: memref<{{[0-9]+}}xi8> {tfm.arena}, %{{.*}}: memref<8x64xf32> {tfm.name = "x"}, %{{.*}}: memref<8x64xf32> {tfm.name = "y"})
// BUFFER-SAME: tfm.arena_size =
// BUFFER-NOT: tensor<
// BUFFER: memref.view

// LLVM-LABEL: llvm.func @mlp_main
// LLVM-SAME: (%{{.*}}: !llvm.ptr {tfm.weights}, %{{.*}}: !llvm.ptr {tfm.arena}, %{{.*}}: !llvm.ptr {tfm.name = "x"}, %{{.*}}: !llvm.ptr {tfm.name = "y"})
// LLVM-DAG: llvm.intr.fmuladd
// LLVM-DAG: omp.parallel
// LLVM-DAG: omp.wsloop
// LLVM-NOT: math.
// LLVM-NOT: vector.

// LLVM-NAME: llvm.func @mlp(

// O0: func.func @mlp
// O0-NOT: vector.
// O0: linalg.generic
func.func @mlp(%x: tensor<8x64xf32> {tfm.name = "x"}) -> (tensor<8x64xf32> {tfm.name = "y"}) {
  %w = tfm.constant dense<0.5> : tensor<256x64xf32>
  %b = tfm.constant dense<0.1> : tensor<256xf32>
  %w2 = tfm.constant dense<0.25> : tensor<64x256xf32>
  %h = tfm.linear %x, %w, %b : (tensor<8x64xf32>, tensor<256x64xf32>, tensor<256xf32>) -> tensor<8x256xf32>
  %g = tfm.gelu %h : tensor<8x256xf32>
  %y = tfm.linear %g, %w2 : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
