// RUN: tfm-opt %s -split-input-file -tfm-gpu-serial-kernels | FileCheck %s

// One-element reductions (a decode step's layer norm statistics) left no
// parallel loop: the run of buffer accesses, with the pure ops between
// them, becomes one one-point parallel loop; the parallel loops around it
// stay as they are; a view that a later loop reads moves before the run.
// CHECK-LABEL: func.func @statistics
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c32) step (%c1)
// CHECK: %[[VIEW:.*]] = memref.view %arg2[%c0][] : memref<64xi8> to memref<1x1xf32>
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK-NEXT: memref.store %{{.*}}, %arg1[%c0, %c0]
// CHECK-NEXT: memref.load %arg1[%c0, %c0]
// CHECK-NEXT: scf.for
// CHECK: memref.store %{{.*}}, %arg1[%c0, %c0]
// CHECK-NEXT: memref.store %{{.*}}, %[[VIEW]][%c0, %c0]
// CHECK-NEXT: scf.reduce
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c32) step (%c1)
// CHECK: memref.load %[[VIEW]]
func.func @statistics(%x: memref<1x1x32xf32>, %mean: memref<1x1xf32>, %arena: memref<64xi8>, %y: memref<32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c32) step (%c1) {
    memref.store %zero, %y[%i] : memref<32xf32>
    scf.reduce
  }
  memref.store %zero, %mean[%c0, %c0] : memref<1x1xf32>
  %init = memref.load %mean[%c0, %c0] : memref<1x1xf32>
  %sum = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (f32) {
    %v = memref.load %x[%c0, %c0, %k] : memref<1x1x32xf32>
    %a = arith.addf %acc, %v : f32
    scf.yield %a : f32
  }
  memref.store %sum, %mean[%c0, %c0] : memref<1x1xf32>
  %view = memref.view %arena[%c0][] : memref<64xi8> to memref<1x1xf32>
  memref.store %sum, %view[%c0, %c0] : memref<1x1xf32>
  scf.parallel (%i) = (%c0) to (%c32) step (%c1) {
    %m = memref.load %view[%c0, %c0] : memref<1x1xf32>
    memref.store %m, %y[%i] : memref<32xf32>
    scf.reduce
  }
  return
}

// -----

// A run whose loaded value is read after it stays on the host (the check
// of the host code then names it); so does code without buffer accesses.
// CHECK-LABEL: func.func @escapes
// CHECK-NOT: scf.parallel
// CHECK: memref.load
// CHECK: return %{{.*}} : f32
func.func @escapes(%mean: memref<1x1xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %v = memref.load %mean[%c0, %c0] : memref<1x1xf32>
  %w = arith.addf %v, %v : f32
  return %w : f32
}

// -----

// A host loop around parallel loops (attention's loop over heads) launches
// kernels: it stays on the host, and its parallel loops stay kernels.
// CHECK-LABEL: func.func @launcher
// CHECK: scf.for
// CHECK-NEXT: scf.parallel (%{{.*}}) = (%c0) to (%c32) step (%c1)
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @launcher(%y: memref<4x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  scf.for %h = %c0 to %c4 step %c1 {
    scf.parallel (%i) = (%c0) to (%c32) step (%c1) {
      memref.store %zero, %y[%h, %i] : memref<4x32xf32>
      scf.reduce
    }
  }
  return
}
