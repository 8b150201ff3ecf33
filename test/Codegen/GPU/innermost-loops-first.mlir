// RUN: tfm-opt %s -split-input-file --tfm-gpu-innermost-loops-first | FileCheck %s

// The loop's dimensions are reversed: the innermost, contiguous one comes
// first (to be tiled widest and mapped to threadIdx.x). Nested loops and
// the body are untouched but for the induction variables.
// CHECK-LABEL: func.func @copy
// CHECK: scf.parallel (%[[J:.*]], %[[I:.*]]) = (%c0, %c0) to (%c32, %c4) step (%c1, %c1) {
// CHECK:   memref.load %{{.*}}[%[[I]], %[[J]]] : memref<4x32xf32>
// CHECK:   memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]] : memref<4x32xf32>
func.func @copy(%a: memref<4x32xf32>, %b: memref<4x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c32) step (%c1, %c1) {
    %v = memref.load %a[%i, %j] : memref<4x32xf32>
    memref.store %v, %b[%i, %j] : memref<4x32xf32>
    scf.reduce
  }
  return
}

// -----

// One dimension, or a loop with a reduction: left alone.
// CHECK-LABEL: func.func @untouched
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c4) step (%c1) {
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c4, %c32) step (%c1, %c1) init
func.func @untouched(%a: memref<4x32xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    memref.store %zero, %a[%i, %c0] : memref<4x32xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c32) step (%c1, %c1) init (%zero) -> f32 {
    %v = memref.load %a[%i, %j] : memref<4x32xf32>
    scf.reduce(%v : f32) {
    ^bb0(%x: f32, %y: f32):
      %s = arith.addf %x, %y : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}
