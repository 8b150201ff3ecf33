// RUN: tfm-opt %s --tfm-bufferize --canonicalize --cse --canonicalize --split-input-file | FileCheck %s

// One CSE'd fill initializes two products: each gets its own, and both
// products are computed in their output buffers, without copies.
// CHECK-LABEL: func.func @shared_fill
// CHECK-SAME: (%[[A:.*]]: memref<4x4xf32>, %[[B:.*]]: memref<4x4xf32>, %[[O1:.*]]: memref<4x4xf32>, %[[O2:.*]]: memref<4x4xf32>)
// CHECK-NOT: memref.alloc
// CHECK-DAG: linalg.fill ins(%{{.*}} : f32) outs(%[[O1]] : memref<4x4xf32>)
// CHECK-DAG: linalg.fill ins(%{{.*}} : f32) outs(%[[O2]] : memref<4x4xf32>)
// CHECK-DAG: linalg.matmul ins(%[[A]], %[[B]] : memref<4x4xf32>, memref<4x4xf32>) outs(%[[O1]] : memref<4x4xf32>)
// CHECK-DAG: linalg.matmul ins(%[[B]], %[[A]] : memref<4x4xf32>, memref<4x4xf32>) outs(%[[O2]] : memref<4x4xf32>)
// CHECK-NOT: linalg.copy
func.func @shared_fill(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %o1: memref<4x4xf32>, %o2: memref<4x4xf32>) attributes {tfm.entry} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  bufferization.materialize_in_destination %0 in restrict writable %o1 : (tensor<4x4xf32>, memref<4x4xf32>) -> ()
  bufferization.materialize_in_destination %1 in restrict writable %o2 : (tensor<4x4xf32>, memref<4x4xf32>) -> ()
  return
}

// -----

// An input written to an output is copied with linalg.copy (vectorized
// later), not memref.copy (a runtime call); intermediates are 64-byte
// aligned allocations.
// CHECK-LABEL: func.func @copy_and_alloc
// CHECK-SAME: (%[[X:.*]]: memref<8xf32>, %[[O1:.*]]: memref<8xf32>, %[[O2:.*]]: memref<8xf32>)
// CHECK: %[[T:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
// CHECK: linalg.copy ins(%[[X]] : memref<8xf32>) outs(%[[O1]] : memref<8xf32>)
func.func @copy_and_alloc(%x: tensor<8xf32>, %o1: memref<8xf32>, %o2: memref<8xf32>) attributes {tfm.entry} {
  %e = tensor.empty() : tensor<8xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %e2 = tensor.empty() : tensor<8xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%0 : tensor<8xf32>) outs(%e2 : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.log %a : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  bufferization.materialize_in_destination %x in restrict writable %o1 : (tensor<8xf32>, memref<8xf32>) -> ()
  bufferization.materialize_in_destination %1 in restrict writable %o2 : (tensor<8xf32>, memref<8xf32>) -> ()
  return
}

// -----

// The two parts of a product split over its panels write slices of one
// fresh destination and insert them back: the destination is not
// duplicated, so both parts write one buffer in place, without copies.
// CHECK-LABEL: func.func @split_parts
// CHECK: %[[DEST:.*]] = memref.alloc() {{.*}} : memref<4x8xf32>
// CHECK: %[[LEFT:.*]] = memref.subview %[[DEST]][0, 0] [4, 4] [1, 1]
// CHECK: linalg.matmul {{.*}} outs(%[[LEFT]]
// CHECK: %[[RIGHT:.*]] = memref.subview %[[DEST]][0, 4] [4, 4] [1, 1]
// CHECK: linalg.matmul {{.*}} outs(%[[RIGHT]]
// CHECK-NOT: linalg.copy
// CHECK: return %[[DEST]]
func.func @split_parts(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %s0 = tensor.extract_slice %e[0, 0] [4, 4] [1, 1] : tensor<4x8xf32> to tensor<4x4xf32>
  %p0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %i0 = tensor.insert_slice %p0 into %e[0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<4x8xf32>
  %s1 = tensor.extract_slice %i0[0, 4] [4, 4] [1, 1] : tensor<4x8xf32> to tensor<4x4xf32>
  %p1 = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%s1 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %i1 = tensor.insert_slice %p1 into %i0[0, 4] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<4x8xf32>
  return %i1 : tensor<4x8xf32>
}

// -----

// With dynamic shapes, affine.apply ops that divide become arith ops before
// the analysis, whose slice comparisons would solve a Presburger system
// for each division (a dynamic model's whole tiles up to s floordiv 8 * 8).
// CHECK-LABEL: func.func @dynamic_divisions
// CHECK-NOT: affine.apply
// CHECK: arith.divsi %{{.*}}, %c8
// CHECK: memref.subview
func.func @dynamic_divisions(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %whole = affine.apply affine_map<()[s0] -> ((s0 floordiv 8) * 8)>()[%n]
  %s = tensor.extract_slice %x[0] [%whole] [1] : tensor<?xf32> to tensor<?xf32>
  return %s : tensor<?xf32>
}

// -----

// A static module keeps its applies.
// CHECK-LABEL: func.func @static_divisions
// CHECK: affine.apply
func.func @static_divisions(%x: tensor<64xf32>, %i: index) -> tensor<8xf32> {
  %o = affine.apply affine_map<(d0) -> ((d0 floordiv 8) * 8)>(%i)
  %s = tensor.extract_slice %x[%o] [8] [1] : tensor<64xf32> to tensor<8xf32>
  return %s : tensor<8xf32>
}
