// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s

// Reshapes, slices and selects are views: collapse/expand (through a flat
// vector when no reassociation exists), strided and rank-reducing slices.
// CHECK-LABEL: func.func @views
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 2, 2]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6]
// CHECK: tensor.extract_slice %[[X]][0, 0, 0] [2, 2, 4] [1, 2, 1] : tensor<2x3x4xf32> to tensor<2x2x4xf32>
// CHECK: tensor.extract_slice %[[X]][1, 0, 0] [1, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<3x4xf32>
func.func @views(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>, tensor<2x2x4xf32>, tensor<3x4xf32>) {
  %0 = tfm.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = tfm.reshape %x : tensor<2x3x4xf32> -> tensor<2x3x2x2xf32>
  %2 = tfm.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %3 = tfm.slice %x starts = [0, 0, 0] limits = [2, 3, 4] strides = [1, 2, 1] : tensor<2x3x4xf32> -> tensor<2x2x4xf32>
  %4 = tfm.select %x axis = 0 index = 1 : tensor<2x3x4xf32> -> tensor<3x4xf32>
  return %0, %1, %2, %3, %4 : tensor<6x4xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>, tensor<2x2x4xf32>, tensor<3x4xf32>
}

// -----

// Copies: transpose, broadcast, concat into one destination, and reverse
// reading element `size - 1 - d` (through tensor.extract, which tiles).
// CHECK: #[[BCAST:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x5xf32>)
// CHECK: linalg.transpose ins(%[[X]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: linalg.generic {indexing_maps = [#[[BCAST]], #{{.*}}]{{.*}} ins(%[[X]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<4x2x3xf32>)
// CHECK: %[[C0:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %[[Y]] into %[[C0]][0, 3] [2, 5] [1, 1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}], {{.*}} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[RJ:.*]] = arith.subi %[[C2]], %[[J]]
// CHECK: tensor.extract %[[X]][%[[I]], %[[RJ]]]
func.func @copies(%x: tensor<2x3xf32>, %y: tensor<2x5xf32>) -> (tensor<3x2xf32>, tensor<4x2x3xf32>, tensor<2x8xf32>, tensor<2x3xf32>) {
  %0 = tfm.transpose %x perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = tfm.expand %x : tensor<2x3xf32> -> tensor<4x2x3xf32>
  %2 = tfm.concat %x, %y axis = 1 : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %3 = tfm.reverse %x axes = [1] : tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<4x2x3xf32>, tensor<2x8xf32>, tensor<2x3xf32>
}

// -----

// split: consecutive slices along the axis.
// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 4] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 4] [2, 8] [1, 1]
func.func @split(%x: tensor<2x12xf32>) -> (tensor<2x4xf32>, tensor<2x8xf32>) {
  %0:2 = tfm.split %x axis = 1 : tensor<2x12xf32> -> tensor<2x4xf32>, tensor<2x8xf32>
  return %0#0, %0#1 : tensor<2x4xf32>, tensor<2x8xf32>
}

// -----

// gather reads the table through tensor.extract at an index that wraps
// when negative and is clamped to the axis; gather_elements likewise.
// CHECK: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gathers
// CHECK-SAME: (%[[T:.*]]: tensor<10x4xf32>, %[[IDS:.*]]: tensor<2x3xi64>, %[[X:.*]]: tensor<3x4xf32>, %[[I:.*]]: tensor<3x2xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #{{.*}}]{{.*}} ins(%[[IDS]] : tensor<2x3xi64>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[RAW:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[RAW]]
// CHECK: %[[WRAP:.*]] = arith.select %[[NEG]]
// CHECK: %[[LO:.*]] = arith.maxsi %[[WRAP]]
// CHECK: %[[ROW:.*]] = arith.minsi %[[LO]]
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<10x4xf32>
// CHECK: ins(%[[I]] : tensor<3x2xi32>)
// CHECK: %[[R:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = arith.minsi
// CHECK: tensor.extract %[[X]][%[[R]], %[[C]]] : tensor<3x4xf32>
func.func @gathers(%t: tensor<10x4xf32>, %ids: tensor<2x3xi64>, %x: tensor<3x4xf32>, %idx: tensor<3x2xi32>) -> (tensor<2x3x4xf32>, tensor<3x2xf32>) {
  %0 = tfm.gather %t, %ids axis = 0 : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  %1 = tfm.gather_elements %x, %idx axis = 1 : (tensor<3x4xf32>, tensor<3x2xi32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<3x2xf32>
}

// -----

// Pieces without elements are empty tensors, not slices: an empty last
// piece starts at the end of the axis, out of a slice's bounds (Split-18
// of 4 into 3 gives 2, 2 and 0).
// CHECK-LABEL: func.func @empty_pieces
// CHECK: tensor.extract_slice %{{.*}}[0] [2] [1]
// CHECK: tensor.extract_slice %{{.*}}[2] [2] [1]
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: %[[S:.*]] = tensor.empty() : tensor<0x4xf32>
func.func @empty_pieces(%x: tensor<4xf32>, %y: tensor<2x4xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<0xf32>, tensor<0x4xf32>) {
  %0:3 = tfm.split %x axis = 0 : tensor<4xf32> -> tensor<2xf32>, tensor<2xf32>, tensor<0xf32>
  %1 = tfm.slice %y starts = [2, 0] limits = [2, 4] strides = [1, 1] : tensor<2x4xf32> -> tensor<0x4xf32>
  return %0#0, %0#1, %0#2, %1 : tensor<2xf32>, tensor<2xf32>, tensor<0xf32>, tensor<0x4xf32>
}

// -----

// A constant table of 4-bit codes (a quantized embedding) is packed two
// codes per byte along its last axis; the gather reads byte d / 2 and its
// nibble d % 2, zero- or sign-extended.
// CHECK-LABEL: func.func @gather_four_bit
// CHECK: %[[U:.*]] = arith.constant dense<{{\[\[}}33, 3], [-2, 15]]> : tensor<2x2xi8>
// CHECK: arith.divui
// CHECK: arith.remui
// CHECK: tensor.extract %[[U]]
// CHECK: arith.shrui
// CHECK: arith.andi
// CHECK: %[[S:.*]] = arith.constant dense<{{\[\[}}-15, 127]]> : tensor<1x2xi8>
// CHECK: tensor.extract %[[S]]
// CHECK: arith.shli
// CHECK: arith.shrsi
func.func @gather_four_bit(%ids: tensor<3xi64>) -> (tensor<3x3xui4>, tensor<3x4xi4>) {
  %u = tfm.constant dense<[[1, 2, 3], [14, 15, 15]]> : tensor<2x3xui4>
  %a = tfm.gather %u, %ids axis = 0 : (tensor<2x3xui4>, tensor<3xi64>) -> tensor<3x3xui4>
  %s = tfm.constant dense<[[1, -1, -1, 7]]> : tensor<1x4xi4>
  %b = tfm.gather %s, %ids axis = 0 : (tensor<1x4xi4>, tensor<3xi64>) -> tensor<3x4xi4>
  return %a, %b : tensor<3x3xui4>, tensor<3x4xi4>
}

// -----

// pad in constant mode is tensor.pad yielding the value.
// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[V:.*]]: tensor<f32>)
// CHECK: %[[FILL:.*]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK: tensor.pad %[[X]] low[0, 1] high[2, 0]
// CHECK: tensor.yield %[[FILL]]
func.func @pad_constant(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<4x4xf32> {
  %0 = tfm.pad %x, %v low = [0, 1] high = [2, 0] mode = constant : (tensor<2x3xf32>, tensor<f32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// reflect reads o - low mirrored about both edges; unpadded axes read o.
// CHECK-LABEL: func.func @pad_reflect
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: linalg.generic
// CHECK: %[[R:.*]] = linalg.index 0
// CHECK: %[[C:.*]] = linalg.index 1
// CHECK: %[[I:.*]] = arith.subi %[[C]], %c2
// CHECK: arith.cmpi slt, %[[I]]
// CHECK: arith.cmpi sgt, %[[I]]
// CHECK: arith.select
// CHECK: %[[J:.*]] = arith.select
// CHECK: tensor.extract %[[X]][%[[R]], %[[J]]]
func.func @pad_reflect(%x: tensor<2x3xf32>) -> tensor<2x7xf32> {
  %0 = tfm.pad %x low = [0, 2] high = [0, 2] mode = reflect : (tensor<2x3xf32>) -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// -----

// ScatterND: a loop over the update tuples on the input, seen as [rows,
// row size]; each tuple's coordinates, counted from the end when negative
// and clamped to their dimension, pick a row that takes the update's.
// CHECK-LABEL: func.func @scatter_nd_rows
// CHECK-SAME: (%[[C:.*]]: tensor<16x64xf32>, %[[R:.*]]: tensor<2x1xi64>, %[[U:.*]]: tensor<2x64xf32>)
// CHECK: scf.for %[[T:.*]] = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %[[C]]) -> (tensor<16x64xf32>)
// CHECK: %[[I:.*]] = tensor.extract %[[R]][%[[T]], %{{.*}}] : tensor<2x1xi64>
// CHECK: arith.cmpi slt
// CHECK: arith.minsi
// CHECK: %[[ROW:.*]] = arith.addi
// CHECK: %[[NEW:.*]] = tensor.extract_slice %[[U]][%[[T]], 0] [1, 64] [1, 1]
// CHECK-NOT: linalg.generic
// CHECK: tensor.insert_slice %[[NEW]] into %[[ACC]][%[[ROW]], 0] [1, 64] [1, 1]
func.func @scatter_nd_rows(%c: tensor<16x64xf32>, %r: tensor<2x1xi64>, %u: tensor<2x64xf32>) -> tensor<16x64xf32> {
  %0 = tfm.scatter_nd %c, %r, %u reduction = none : (tensor<16x64xf32>, tensor<2x1xi64>, tensor<2x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// Element tuples with a reduction: the row (one element) is read, combined
// and written back; the flat row is coordinate 0 times 5 plus coordinate 1.
// CHECK-LABEL: func.func @scatter_nd_max
// CHECK: scf.for
// CHECK: %[[FIRST:.*]] = arith.minsi
// CHECK: %[[SECOND:.*]] = arith.minsi
// CHECK: %[[SCALED:.*]] = arith.muli %{{.*}}, %c5
// CHECK: %[[ROW:.*]] = arith.addi %[[SCALED]], %[[SECOND]]
// CHECK: %[[OLD:.*]] = tensor.extract_slice %{{.*}}[%[[ROW]], 0] [1, 1] [1, 1]
// CHECK: linalg.generic
// CHECK: arith.maxsi
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[ROW]], 0] [1, 1] [1, 1]
func.func @scatter_nd_max(%x: tensor<4x5xi32>, %e: tensor<3x2xi64>, %v: tensor<3xi32>) -> tensor<4x5xi32> {
  %1 = tfm.scatter_nd %x, %e, %v reduction = max : (tensor<4x5xi32>, tensor<3x2xi64>, tensor<3xi32>) -> tensor<4x5xi32>
  return %1 : tensor<4x5xi32>
}
