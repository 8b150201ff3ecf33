// RUN: tfm-opt %s --tfm-plan-memory --split-input-file | FileCheck %s

// A, B, C are 1 KiB each, live [A: 0-1], [B: 1-2], [C: 2-3] by top-level
// position: A and C never overlap in time and share offset 0, B sits after
// A. The arena is 2 KiB; allocations become views of it.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[ARENA:.*]]: memref<2048xi8> {tfm.arena}, %[[X:.*]]: memref<256xf32>, %[[Y:.*]]: memref<256xf32>)
// CHECK-SAME: tfm.arena_size = 2048 : i64
// CHECK: memref.view %[[ARENA]][%c0{{(_[0-9]+)?}}][] : memref<2048xi8> to memref<256xf32>
// CHECK: memref.view %[[ARENA]][%c1024{{(_[0-9]+)?}}][] : memref<2048xi8> to memref<256xf32>
// CHECK: memref.view %[[ARENA]][%c0{{(_[0-9]+)?}}][] : memref<2048xi8> to memref<256xf32>
// CHECK-NOT: memref.alloc
#id = affine_map<(d0) -> (d0)>
func.func @chain(%x: memref<256xf32>, %y: memref<256xf32>) attributes {tfm.entry} {
  %a = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<256xf32>) outs(%a : memref<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  %b = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<256xf32>) outs(%b : memref<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  %c = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%b : memref<256xf32>) outs(%c : memref<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%c : memref<256xf32>) outs(%y : memref<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  return
}

// -----

// A view keeps its buffer alive: %a is used through a reshape after %b is
// allocated, so the two may not share memory.
// CHECK-LABEL: func.func @alias
// CHECK-SAME: tfm.arena_size = 128 : i64
// CHECK: memref.view %{{.*}}[%c0{{(_[0-9]+)?}}][] : memref<128xi8> to memref<16xf32>
// CHECK: memref.view %{{.*}}[%c64{{(_[0-9]+)?}}][] : memref<128xi8> to memref<16xf32>
#id = affine_map<(d0) -> (d0)>
func.func @alias(%x: memref<16xf32>, %y: memref<4x4xf32>) attributes {tfm.entry} {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  %view = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%b : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  linalg.copy ins(%view : memref<4x4xf32>) outs(%y : memref<4x4xf32>)
  return
}

// -----

// Functions that are not entry points keep their allocations; so do
// allocations inside loops.
// CHECK-LABEL: func.func @helper
// CHECK: memref.alloc
func.func @helper() -> f32 {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<4xf32>
  %v = memref.load %a[%c0] : memref<4xf32>
  return %v : f32
}
// CHECK-LABEL: func.func @nested
// CHECK-SAME: (%{{.*}}: memref<0xi8> {tfm.arena})
// CHECK-SAME: tfm.arena_size = 0 : i64
// CHECK: scf.for
// CHECK: memref.alloc
func.func @nested() attributes {tfm.entry} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %a = memref.alloc() : memref<4xf32>
    %v = memref.load %a[%c0] : memref<4xf32>
    memref.dealloc %a : memref<4xf32>
  }
  return
}

// -----

// A buffer nothing reads (a product's tiles whose epilogue took the
// accumulators in registers) goes, with the stores into it and its views;
// one that is read stays.
// CHECK-LABEL: func.func @write_only
// CHECK-NOT: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}]
// CHECK: memref.load
// CHECK: return
func.func @write_only(%x: vector<2x4xf32>) -> f32 attributes {tfm.entry} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %dead = memref.alloc() : memref<8x4xf32>
    %tile = memref.subview %dead[%i, 0] [2, 4] [1, 1] : memref<8x4xf32> to memref<2x4xf32, strided<[4, 1], offset: ?>>
    vector.transfer_write %x, %tile[%c0, %c0] {in_bounds = [true, true]} : vector<2x4xf32>, memref<2x4xf32, strided<[4, 1], offset: ?>>
    memref.dealloc %dead : memref<8x4xf32>
  }
  %live = memref.alloc() : memref<4xf32>
  %v = memref.load %live[%c0] : memref<4xf32>
  return %v : f32
}

// -----

// A dynamically shaped buffer whose rows are clamped to 256 (as a
// sequence length is to the bound a model is compiled for) takes the room
// of 256 rows, 64 KiB, and keeps its run-time rows in its view; %b, live
// with it, sits after it. A buffer whose rows have no bound stays an
// allocation.
// CHECK-LABEL: func.func @bounded_rows
// CHECK-SAME: (%[[ARENA:.*]]: memref<66560xi8> {tfm.arena}, %[[N:.*]]: index
// CHECK-SAME: tfm.arena_size = 66560 : i64
// CHECK: %[[S:.*]] = affine.min
// CHECK: memref.view %[[ARENA]][%c0{{(_[0-9]+)?}}][%[[S]]] : memref<66560xi8> to memref<?x64xf32>
// CHECK: memref.view %[[ARENA]][%c65536{{(_[0-9]+)?}}][] : memref<66560xi8> to memref<256xf32>
// CHECK: memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?x64xf32>
#map = affine_map<()[s0] -> (s0, 256)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @bounded_rows(%n: index, %x: memref<256xf32>, %y: memref<256xf32>) attributes {tfm.entry} {
  %s = affine.min #map()[%n]
  %a = memref.alloc(%s) {alignment = 64 : i64} : memref<?x64xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : memref<256xf32>) outs(%a : memref<?x64xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%a : memref<?x64xf32>) outs(%b : memref<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  %c = memref.alloc(%n) {alignment = 64 : i64} : memref<?x64xf32>
  linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]} ins(%b : memref<256xf32>) outs(%c : memref<?x64xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%c : memref<?x64xf32>) outs(%y : memref<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  memref.dealloc %c : memref<?x64xf32>
  return
}
