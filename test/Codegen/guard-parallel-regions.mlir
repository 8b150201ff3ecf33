// RUN: tfm-opt %s --tfm-cpu-guard-parallel-regions --split-input-file | FileCheck %s

// A worksharing loop over a run-time number of chunks: the region starts
// the team only when there are at least two.
// CHECK-LABEL: func.func @dynamic_chunks
// CHECK-SAME: (%{{.*}}: memref<?xf32>, %[[N:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %c0
// CHECK: %[[TRIPS:.*]] = arith.ceildivsi %[[SPAN]], %[[S]]
// CHECK: %[[MANY:.*]] = arith.cmpi sgt, %[[TRIPS]], %c1
// CHECK: omp.parallel if(%[[MANY]])
func.func @dynamic_chunks(%m: memref<?xf32>, %n: index, %s: index) {
  %c0 = arith.constant 0 : index
  %v = arith.constant 1.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%s) {
        memref.store %v, %m[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Two loops, one of them constant (4 iterations): the trip counts multiply.
// CHECK-LABEL: func.func @nest
// CHECK: %[[T:.*]] = arith.ceildivsi
// CHECK: %[[ALL:.*]] = arith.muli %[[T]], %c4
// CHECK: %[[MANY:.*]] = arith.cmpi sgt, %[[ALL]], %c1
// CHECK: omp.parallel if(%[[MANY]])
func.func @nest(%m: memref<?x4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %v = arith.constant 1.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i, %j) : index = (%c0, %c0) to (%n, %c4) step (%c1, %c1) {
        memref.store %v, %m[%i, %j] : memref<?x4xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// A constant trip count of at least two, a region that holds more than its
// loop, and one that already has a condition are left as they are.
// CHECK-LABEL: func.func @left_alone
// CHECK: omp.parallel {
// CHECK: omp.parallel {
// CHECK: omp.parallel if(%arg2)
// CHECK-NOT: arith.cmpi
func.func @left_alone(%m: memref<?xf32>, %n: index, %c: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %v = arith.constant 1.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c8) step (%c1) {
        memref.store %v, %m[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    memref.store %v, %m[%c0] : memref<?xf32>
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %v, %m[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel if(%c) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %v, %m[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
