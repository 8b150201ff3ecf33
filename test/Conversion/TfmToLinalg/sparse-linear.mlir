// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s

// The panels are the threads' work; each panel walks its stored blocks for
// a tile of up to 8 rows (here 8 + 2), one vector FMA per row and block,
// the bias as the accumulators' start; the activation and residual follow
// as a linear's epilogue.
// CHECK-LABEL: func.func @sparse_linear
// CHECK: scf.forall (%[[P:.*]]) in (2) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<10x4xf32>)
// CHECK:   %[[TILE:.*]] = tensor.extract_slice %[[OUT]][0, %{{.*}}] [10, 2] [1, 1]
// CHECK:   %[[BEGIN:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:   %[[END:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:   %[[BIAS:.*]] = vector.transfer_read %{{.*}} : tensor<4xf32>, vector<2xf32>
// CHECK:   scf.for %{{.*}} = %c0 to %c8 step %{{.*}} iter_args
// CHECK:     scf.for %[[I:.*]] = %[[BEGIN]] to %[[END]] step %{{.*}} iter_args(%{{.*}} = %[[BIAS]],
// CHECK:       tensor.extract %{{.*}}[%[[I]]] : tensor<3xi32>
// CHECK:       vector.transfer_read %{{.*}}[%[[I]], %{{.*}}]{{.*}} : tensor<3x2xf32>, vector<2xf32>
// CHECK-COUNT-8: vector.fma
// CHECK:   scf.for %{{.*}} = %[[BEGIN]] to %[[END]]
// CHECK-COUNT-2: vector.fma
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice %{{.*}} into %[[OUT]][0, %{{.*}}] [10, 2] [1, 1]
// CHECK: linalg.generic
// CHECK:   math.erf
// CHECK:   arith.addf
func.func @sparse_linear(%x: tensor<10x6xf32>, %r: tensor<10x4xf32>) -> tensor<10x4xf32> {
  %v = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %c = tfm.constant dense<[0, 5, 2]> : tensor<3xi32>
  %o = tfm.constant dense<[0, 2, 3]> : tensor<3xi32>
  %b = tfm.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = tfm.sparse_linear %x, %v, %c, %o, %b residual(%r) activation = gelu {out_features = 4 : i64} : (tensor<10x6xf32>, tensor<3x2xf32>, tensor<3xi32>, tensor<3xi32>, tensor<4xf32>, tensor<10x4xf32>) -> tensor<10x4xf32>
  return %y : tensor<10x4xf32>
}

// -----

// int8 blocks: the codes widen in registers, the accumulators start at 0
// and take the panel's scales and bias once after the blocks.
// CHECK-LABEL: func.func @sparse_linear_int8
// CHECK: scf.forall
// CHECK:   %[[SCALE:.*]] = vector.transfer_read %{{.*}} : tensor<4xf32>, vector<2xf32>
// CHECK:   %[[BIAS:.*]] = vector.transfer_read %{{.*}} : tensor<4xf32>, vector<2xf32>
// CHECK:   scf.for
// CHECK:     vector.transfer_read %{{.*}} : tensor<3x2xi8>, vector<2xi8>
// CHECK:     arith.sitofp %{{.*}} : vector<2xi8> to vector<2xf32>
// CHECK:     vector.fma
// CHECK:   vector.fma %{{.*}}, %[[SCALE]], %[[BIAS]] : vector<2xf32>
func.func @sparse_linear_int8(%x: tensor<3x6xf32>) -> tensor<3x4xf32> {
  %v = tfm.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %c = tfm.constant dense<[0, 5, 2]> : tensor<3xi32>
  %o = tfm.constant dense<[0, 2, 3]> : tensor<3xi32>
  %s = tfm.constant dense<[0.5, 0.25, 2.0, 1.0]> : tensor<4xf32>
  %b = tfm.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = tfm.sparse_linear %x, %v, %c, %o scales(%s), %b {out_features = 4 : i64} : (tensor<3x6xf32>, tensor<3x2xi8>, tensor<3xi32>, tensor<3xi32>, tensor<4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// 2:4: the panels are the threads' work; each walks the K / 4 groups for a
// tile of rows (here 1), unpacking the two places from the group's meta
// vector (place 0 in [0, 2], place 1 in [1, 3]: two compares each), picking
// each lane's input with selects and multiplying the kept weights.
// CHECK-LABEL: func.func @nm_sparse_linear
// CHECK: scf.forall (%[[P:.*]]) in (2) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<1x4xf32>)
// CHECK:   %[[BIAS:.*]] = vector.transfer_read %{{.*}} : tensor<4xf32>, vector<2xf32>
// CHECK:   scf.for %[[G:.*]] = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args(%[[ACC:.*]] = %[[BIAS]]) -> (vector<2xf32>)
// CHECK:     %[[WORD:.*]] = vector.transfer_read %{{.*}}[%[[P]], %[[G]], %{{.*}}]{{.*}} : tensor<2x2x2xi8>, vector<2xi8>
// CHECK:     %[[PLACE0:.*]] = arith.andi %[[WORD]], %{{.*}} : vector<2xi8>
// CHECK:     %[[AT1:.*]] = arith.cmpi eq, %[[PLACE0]]
// CHECK:     %[[AT2:.*]] = arith.cmpi eq, %[[PLACE0]]
// CHECK:     arith.shrui %[[WORD]]
// CHECK:     %[[W0:.*]] = vector.transfer_read %{{.*}} : tensor<2x4x2xf32>, vector<2xf32>
// CHECK:     %[[W1:.*]] = vector.transfer_read %{{.*}} : tensor<2x4x2xf32>, vector<2xf32>
// CHECK-COUNT-4: tensor.extract %{{.*}} : tensor<1x8xf32>
// CHECK:     %[[S1:.*]] = arith.select %[[AT1]]
// CHECK:     %[[S2:.*]] = arith.select %[[AT2]], %{{.*}}, %[[S1]]
// CHECK:     %[[F0:.*]] = vector.fma %[[S2]], %[[W0]], %[[ACC]]
// CHECK:     arith.select
// CHECK:     arith.select
// CHECK:     vector.fma %{{.*}}, %[[W1]], %[[F0]]
// CHECK:   scf.forall.in_parallel
// CHECK: linalg.generic
// CHECK:   math.erf
func.func @nm_sparse_linear(%x: tensor<1x8xf32>) -> tensor<1x4xf32> {
  %v = tfm.constant dense<1.0> : tensor<2x4x2xf32>
  %meta = tfm.constant dense<[[[8, 9], [12, 4]], [[14, 4], [4, 14]]]> : tensor<2x2x2xi8>
  %b = tfm.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = tfm.nm_sparse_linear %x, %v, %meta, %b activation = gelu {n = 2 : i64, m = 4 : i64} : (tensor<1x8xf32>, tensor<2x4x2xf32>, tensor<2x2x2xi8>, tensor<4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// Rows in tiles of 8 (here 8 + 1), one accumulator per row.
// CHECK-LABEL: func.func @nm_sparse_linear_rows
// CHECK: scf.forall
// CHECK:   scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c8
// CHECK:     scf.for {{.*}} -> (vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>)
// CHECK-COUNT-8: vector.fma
// CHECK:   scf.for {{.*}} -> (vector<2xf32>)
func.func @nm_sparse_linear_rows(%x: tensor<9x4xf32>, %v: tensor<2x1x2xf32>, %meta: tensor<2x1x2xi8>) -> tensor<9x4xf32> {
  %y = tfm.nm_sparse_linear %x, %v, %meta {n = 1 : i64, m = 4 : i64} : (tensor<9x4xf32>, tensor<2x1x2xf32>, tensor<2x1x2xi8>) -> tensor<9x4xf32>
  return %y : tensor<9x4xf32>
}
