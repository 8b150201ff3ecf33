// RUN: tfm-opt %s -split-input-file --tfm-gpu-accumulate-in-registers | FileCheck %s

// A row sum: the output element is loaded once, carried through the key
// loop, and stored once.
// CHECK-LABEL: func.func @row_sum
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK: %[[INIT:.*]] = memref.load %[[OUT:.*]][%[[I]]] : memref<16xf32>
// CHECK: %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CHECK: %[[X:.*]] = memref.load %{{.*}} : memref<16x32xf32>
// CHECK: %[[NEXT:.*]] = arith.addf %[[ACC]], %[[X]] : f32
// CHECK-NOT: memref.store
// CHECK: scf.yield %[[NEXT]] : f32
// CHECK: memref.store %[[SUM]], %[[OUT]][%[[I]]] : memref<16xf32>
func.func @row_sum(%x: memref<16x32xf32>, %out: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c32 step %c1 {
      %v = memref.load %x[%i, %k] : memref<16x32xf32>
      %acc = memref.load %out[%i] : memref<16xf32>
      %s = arith.addf %acc, %v : f32
      memref.store %s, %out[%i] : memref<16xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Two outputs of one reduction (maximum and sum): both carried.
// CHECK-LABEL: func.func @two_outputs
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32)
// CHECK-NOT: memref.store
// CHECK: scf.yield
// CHECK-COUNT-2: memref.store
func.func @two_outputs(%x: memref<32xf32>, %m: memref<1xf32>, %s: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  scf.for %k = %c0 to %c32 step %c1 {
    %v = memref.load %x[%k] : memref<32xf32>
    %a = memref.load %m[%c0] : memref<1xf32>
    %b = memref.load %s[%c0] : memref<1xf32>
    %mx = arith.maximumf %a, %v : f32
    %sm = arith.addf %b, %v : f32
    memref.store %mx, %m[%c0] : memref<1xf32>
    memref.store %sm, %s[%c0] : memref<1xf32>
  }
  return
}

// -----

// Left alone: the loop also reads the output through a view of it, or the
// element's index varies with the loop.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: iter_args
#strided = strided<[1], offset: ?>
func.func @left_alone(%x: memref<32xf32>, %out: memref<32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %view = memref.subview %out[1] [31] [1] : memref<32xf32> to memref<31xf32, strided<[1], offset: 1>>
  scf.for %k = %c0 to %c32 step %c1 {
    %a = memref.load %out[%c0] : memref<32xf32>
    %w = memref.load %view[%c0] : memref<31xf32, strided<[1], offset: 1>>
    %s = arith.addf %a, %w : f32
    memref.store %s, %out[%c0] : memref<32xf32>
  }
  scf.for %k = %c0 to %c32 step %c1 {
    %a = memref.load %out[%k] : memref<32xf32>
    %v = memref.load %x[%k] : memref<32xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %out[%k] : memref<32xf32>
  }
  return
}
