// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors))" --split-input-file | FileCheck %s
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{vector-bits=512}))" --split-input-file | FileCheck %s --check-prefix=V512
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{vector-bits=512 vnni}))" --split-input-file | FileCheck %s --check-prefix=VNNI
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{vector-bits=256 vnni}))" --split-input-file | FileCheck %s --check-prefix=VNNI256
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{vector-bits=512 bf16-dot}))" --split-input-file | FileCheck %s --check-prefix=BF16DOT
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{vector-bits=256 bf16-dot}))" --split-input-file | FileCheck %s --check-prefix=BF16DOT256
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{weight-prefetch-bytes=0}))" --split-input-file | FileCheck %s --check-prefix=NOPF
// RUN: not tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-lower-vectors{vector-bits=0}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADBITS
// BADBITS: error: tfm-cpu-lower-vectors: vector-bits must be 128, 256 or 512, got 0

// An accumulator read and written by every step of a loop moves into the
// loop's iteration arguments; the contraction becomes broadcast + FMA rows
// on 1-D vectors loaded and stored as plain vectors. Eight accumulator
// vectors are enough independent FMA chains: the loop is not unrolled.
// CHECK-LABEL: func.func @micro_kernel
// CHECK: %[[INIT:.*]] = vector.load %{{.*}} : memref<4x16xf32>, vector<16xf32>
// CHECK: scf.for {{.*}} step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<4x16xf32>)
// CHECK: %[[B:.*]] = vector.load %{{.*}} : memref<16x16xf32>, vector<16xf32>
// CHECK: %[[A0:.*]] = vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK: vector.fma %[[A0]], %[[B]], %{{.*}} : vector<16xf32>
// CHECK: vector.fma %{{.*}}, %[[B]], %{{.*}} : vector<16xf32>
// CHECK-NOT: vector.contract
// CHECK: vector.store %{{.*}} : memref<4x16xf32>, vector<16xf32>
// In 512-bit registers the same tile is four accumulators: split in two.
// V512-LABEL: func.func @micro_kernel
// V512: scf.for {{.*}} step %c2 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<4x16xf32>, vector<4x16xf32>)
#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#acc = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @micro_kernel(%a: memref<4x16xf32>, %b: memref<16x16xf32>, %c: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c16 step %c1 {
    %lhs = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x1xf32>
    %rhs = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : memref<16x16xf32>, vector<1x16xf32>
    %acc = vector.transfer_read %c[%c0, %c0], %pad {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
    %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %lhs, %rhs, %acc : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
    vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  }
  return
}

// -----

// A tile of two rows has four accumulator vectors, too few FMA chains to
// cover the FMA latency on both pipes: the K loop is unrolled by two, the
// second step accumulating into its own zeroed accumulator, and the two
// partial sums are added after the loop.
// CHECK-LABEL: func.func @split_accumulators
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<2x16xf32>
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[R:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %[[C2]] iter_args(%[[ACC0:.*]] = %{{.*}}, %[[ACC1:.*]] = %[[ZERO]]) -> (vector<2x16xf32>, vector<2x16xf32>)
// CHECK: vector.load %{{.*}}[%[[K]], %{{.*}}] : memref<16x16xf32>
// CHECK: vector.fma
// CHECK: vector.extract %[[ACC0]][1]
// CHECK: vector.fma
// CHECK: %[[K1:.*]] = arith.addi %[[K]], %c1
// CHECK: vector.load %{{.*}}[%[[K1]], %{{.*}}] : memref<16x16xf32>
// CHECK: vector.extract %[[ACC1]][0]
// CHECK: vector.fma
// CHECK: vector.extract %[[ACC1]][1]
// CHECK: vector.fma
// CHECK: scf.yield
// CHECK: %[[SUM:.*]] = arith.addf %[[R]]#0, %[[R]]#1 : vector<2x16xf32>
// CHECK: vector.extract %[[SUM]][0]
// CHECK: vector.store
// V512-LABEL: func.func @split_accumulators
// V512: scf.for {{.*}} step %c4 iter_args({{.*}}) -> (vector<2x16xf32>, vector<2x16xf32>, vector<2x16xf32>, vector<2x16xf32>)
#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#acc = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @split_accumulators(%a: memref<2x16xf32>, %b: memref<16x16xf32>, %c: memref<2x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c16 step %c1 {
    %lhs = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true]} : memref<2x16xf32>, vector<2x1xf32>
    %rhs = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : memref<16x16xf32>, vector<1x16xf32>
    %acc = vector.transfer_read %c[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x16xf32>, vector<2x16xf32>
    %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %lhs, %rhs, %acc : vector<2x1xf32>, vector<1x16xf32> into vector<2x16xf32>
    vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<2x16xf32>, memref<2x16xf32>
  }
  return
}

// -----

// A row reduction with unit leading dimensions becomes one vector.reduction.
// CHECK-LABEL: func.func @reduce
// CHECK: %[[ROW:.*]] = memref.subview %{{.*}}[0, 0] [1, 32] [1, 1] : memref<1x32xf32> to memref<32xf32, strided<[1]>>
// CHECK: %[[V:.*]] = vector.load %[[ROW]][%{{.*}}] : memref<32xf32, strided<[1]>>, vector<32xf32>
// CHECK: vector.reduction <add>, %[[V]]
func.func @reduce(%x: memref<1x32xf32>, %acc: vector<1xf32>) -> vector<1xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %x[%c0, %c0], %pad {in_bounds = [true, true]} : memref<1x32xf32>, vector<1x32xf32>
  %r = vector.multi_reduction <add>, %v, %acc [1] : vector<1x32xf32> to vector<1xf32>
  return %r : vector<1xf32>
}

// -----

// A transposed read of an 8x8 block is eight row loads and one register
// transpose (a shuffle LLVM lowers to unpack/permute), not 64 scalar loads.
// CHECK-LABEL: func.func @transposed_block
// CHECK-COUNT-8: vector.load %{{.*}} : memref<64x64xf32>, vector<8xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 8, 16, 24, 32, 40, 48, 56, 1, 9,
// CHECK-NOT: memref.load
// CHECK-COUNT-8: vector.store %{{.*}} : memref<64x64xf32>, vector<8xf32>
func.func @transposed_block(%src: memref<64x64xf32>, %dst: memref<64x64xf32>, %i: index, %j: index) {
  %pad = ub.poison : f32
  %0 = vector.transfer_read %src[%j, %i], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : memref<64x64xf32>, vector<8x8xf32>
  vector.transfer_write %0, %dst[%i, %j] {in_bounds = [true, true]} : vector<8x8xf32>, memref<64x64xf32>
  return
}

// -----

// A register tile streaming a weight panel [P, K, 16] for few rows (16: three
// tiles of 6 share each panel) prefetches the same row of the next panel,
// clamped to the last one, into L2.
// CHECK-LABEL: func.func @panel_prefetch
// CHECK-SAME: (%{{.*}}: memref<16x768xf32>, %[[W:.*]]: memref<48x768x16xf32>, %[[P:[a-z0-9]+]]: index
// CHECK: %[[NEXT:.*]] = arith.addi %[[P]], %{{.*}} : index
// CHECK: %[[CLAMPED:.*]] = arith.minui %[[NEXT]], %{{.*}} : index
// CHECK: scf.for %[[K:[a-z0-9]+]] =
// CHECK: memref.prefetch %[[W]][%[[CLAMPED]], %[[K]], %{{.*}}], read, locality<2>, data
func.func @panel_prefetch(%x: memref<16x768xf32>, %w: memref<48x768x16xf32>, %p: index, %m: index, %acc0: vector<6x16xf32>) -> vector<6x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %acc0) -> (vector<6x16xf32>) {
    %a = vector.transfer_read %x[%m, %k], %pad {in_bounds = [true, true]} : memref<16x768xf32>, vector<6x1xf32>
    %b = vector.transfer_read %w[%p, %k, %c0], %pad {in_bounds = [true, true]} : memref<48x768x16xf32>, vector<1x16xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
    scf.yield %c : vector<6x16xf32>
  }
  return %r : vector<6x16xf32>
}

// -----

// One row (a decode step's product): one tile streams each panel once, a
// sequential read left to the hardware prefetcher.
// CHECK-LABEL: func.func @single_tile_panel_no_prefetch
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @single_tile_panel_no_prefetch(%x: memref<1x768xf32>, %w: memref<24x768x32xf32>, %p: index, %acc0: vector<1x32xf32>) -> vector<1x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %acc0) -> (vector<1x32xf32>) {
    %a = vector.transfer_read %x[%c0, %k], %pad {in_bounds = [true, true]} : memref<1x768xf32>, vector<1x1xf32>
    %b = vector.transfer_read %w[%p, %k, %c0], %pad {in_bounds = [true, true]} : memref<24x768x32xf32>, vector<1x32xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<1x1xf32>, vector<1x32xf32> into vector<1x32xf32>
    scf.yield %c : vector<1x32xf32>
  }
  return %r : vector<1x32xf32>
}

// -----

// One row by int8 codes (a decode step's int8-weights product): the
// conversions slow the stream, so each read prefetches the weight's storage
// 2048 bytes ahead (flattened, clamped to its last byte: 96 * 768 * 32 - 1).
// NOPF selects weight-prefetch-bytes=0: nothing is prefetched.
// CHECK-LABEL: func.func @int8_stream_prefetch
// CHECK-SAME: (%{{.*}}: memref<1x768xi8>{{.*}}, %[[W:.*]]: memref<96x768x32xi8>, %[[P:.*]]: index
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[W]] {{\[}}[0, 1, 2]] : memref<96x768x32xi8> into memref<2359296xi8>
// CHECK: scf.for %[[K:.*]] = %c0 to %c768 step %c2
// CHECK: %[[AT:.*]] = affine.linearize_index disjoint [%[[P]], %[[K]], %c0] by (96, 768, 32) : index
// CHECK: %[[AHEAD:.*]] = arith.addi %[[AT]], %c2048 : index
// CHECK: %[[CLAMPED:.*]] = arith.minui %[[AHEAD]], %c2359295 : index
// CHECK: memref.prefetch %[[FLAT]][%[[CLAMPED]]], read, locality<3>, data : memref<2359296xi8>
// CHECK: vector.load %[[W]][%[[P]], %[[K]], %c0]
// The second copy of the loop body (two FMA chains) prefetches its own row.
// CHECK: memref.prefetch %[[FLAT]]
// CHECK-NOT: memref.prefetch
// CHECK: return
// NOPF-LABEL: func.func @int8_stream_prefetch
// NOPF-NOT: memref.prefetch
// NOPF: return
func.func @int8_stream_prefetch(%unused: memref<1x768xi8>, %x: memref<1x768xf32>, %w: memref<96x768x32xi8>, %p: index, %acc0: vector<1x32xf32>) -> vector<1x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant 0 : i8
  %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %acc0) -> (vector<1x32xf32>) {
    %a = vector.transfer_read %x[%c0, %k], %pad {in_bounds = [true, true]} : memref<1x768xf32>, vector<1x1xf32>
    %codes = vector.transfer_read %w[%p, %k, %c0], %zero {in_bounds = [true, true]} : memref<96x768x32xi8>, vector<1x32xi8>
    %b = arith.sitofp %codes : vector<1x32xi8> to vector<1x32xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<1x1xf32>, vector<1x32xf32> into vector<1x32xf32>
    scf.yield %c : vector<1x32xf32>
  }
  return %r : vector<1x32xf32>
}

// -----

// Packed int4 codes (two per byte, the low nibble masked, the high one
// shifted) are prefetched the same way.
// CHECK-LABEL: func.func @int4_stream_prefetch
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : memref<96x12x16x32xi8> into memref<589824xi8>
// CHECK: scf.for
// CHECK: affine.linearize_index disjoint [%{{.*}}, %{{.*}}, %{{.*}}, %c0] by (96, 12, 16, 32)
// CHECK: memref.prefetch %{{.*}}, read, locality<3>, data : memref<589824xi8>
// CHECK: memref.prefetch %{{.*}}, read, locality<3>, data : memref<589824xi8>
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @int4_stream_prefetch(%x: memref<1x12x16x2xf32>, %w: memref<96x12x16x32xi8>, %p: index, %kb: index, %acc0: vector<1x32xf32>) -> vector<1x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant 0 : i8
  %mask = arith.constant dense<15> : vector<1x32xi32>
  %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %acc0) -> (vector<1x32xf32>) {
    %a = vector.transfer_read %x[%c0, %kb, %k, %c0], %pad {in_bounds = [true, true]} : memref<1x12x16x2xf32>, vector<1x1xf32>
    %codes = vector.transfer_read %w[%p, %kb, %k, %c0], %zero {in_bounds = [true, true]} : memref<96x12x16x32xi8>, vector<1x32xi8>
    %wide = arith.extui %codes : vector<1x32xi8> to vector<1x32xi32>
    %low = arith.andi %wide, %mask : vector<1x32xi32>
    %b = arith.sitofp %low : vector<1x32xi32> to vector<1x32xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<1x1xf32>, vector<1x32xf32> into vector<1x32xf32>
    scf.yield %c : vector<1x32xf32>
  }
  return %r : vector<1x32xf32>
}

// -----

// Six rows of int8 codes: every row tile re-reads the panel from cache
// (here a single tile, but the product has rows beyond it), and a dynamic
// row count may be large: neither prefetches.
// CHECK-LABEL: func.func @int8_rows_no_stream_prefetch
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @int8_rows_no_stream_prefetch(%x: memref<128x768xf32>, %xd: memref<?x768xf32>, %w: memref<96x768x32xi8>, %p: index, %m: index, %acc0: vector<6x32xf32>) -> vector<6x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant 0 : i8
  %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %acc0) -> (vector<6x32xf32>) {
    %a = vector.transfer_read %x[%m, %k], %pad {in_bounds = [true, true]} : memref<128x768xf32>, vector<6x1xf32>
    %codes = vector.transfer_read %w[%p, %k, %c0], %zero {in_bounds = [true, true]} : memref<96x768x32xi8>, vector<1x32xi8>
    %b = arith.sitofp %codes : vector<1x32xi8> to vector<1x32xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<6x1xf32>, vector<1x32xf32> into vector<6x32xf32>
    scf.yield %c : vector<6x32xf32>
  }
  %s = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %r) -> (vector<6x32xf32>) {
    %a = vector.transfer_read %xd[%m, %k], %pad {in_bounds = [true, true]} : memref<?x768xf32>, vector<6x1xf32>
    %codes = vector.transfer_read %w[%p, %k, %c0], %zero {in_bounds = [true, true]} : memref<96x768x32xi8>, vector<1x32xi8>
    %b = arith.sitofp %codes : vector<1x32xi8> to vector<1x32xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<6x1xf32>, vector<1x32xf32> into vector<6x32xf32>
    scf.yield %c : vector<6x32xf32>
  }
  return %s : vector<6x32xf32>
}

// -----

// With 128 rows, 22 tiles share each panel: the loop over row tiles is
// peeled and only its first tile prefetches the next panel.
// CHECK-LABEL: func.func @panel_first_tile_prefetch
// CHECK: scf.for %{{.*}} = %c0 to %c6 step %c6
// CHECK: scf.for %[[K0:[a-z0-9]+]] =
// CHECK: memref.prefetch %{{.*}}[%{{.*}}, %[[K0]], %{{.*}}], read, locality<2>, data
// CHECK: scf.for %[[M:[a-z0-9]+]] = %c6 to %c126 step %c6
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @panel_first_tile_prefetch(%x: memref<128x768xf32>, %w: memref<48x768x16xf32>, %p: index, %out: memref<128x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c126 = arith.constant 126 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<6x16xf32>
  scf.for %m = %c0 to %c126 step %c6 {
    %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %zero) -> (vector<6x16xf32>) {
      %a = vector.transfer_read %x[%m, %k], %pad {in_bounds = [true, true]} : memref<128x768xf32>, vector<6x1xf32>
      %b = vector.transfer_read %w[%p, %k, %c0], %pad {in_bounds = [true, true]} : memref<48x768x16xf32>, vector<1x16xf32>
      %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
      scf.yield %c : vector<6x16xf32>
    }
    vector.transfer_write %r, %out[%m, %c0] {in_bounds = [true, true]} : vector<6x16xf32>, memref<128x16xf32>
  }
  return
}

// -----

// A panel of 32 f32 (AVX-512) spans two cache lines per K step: both lines
// of the next panel's row are prefetched.
// CHECK-LABEL: func.func @wide_panel_prefetch
// CHECK-SAME: (%{{.*}}: memref<16x768xf32>, %[[W:.*]]: memref<24x768x32xf32>
// CHECK: scf.for %[[K:[a-z0-9]+]] =
// CHECK: memref.prefetch %[[W]][%[[NEXT:.*]], %[[K]], %c0], read, locality<2>, data
// CHECK: memref.prefetch %[[W]][%[[NEXT]], %[[K]], %c16], read, locality<2>, data
// CHECK-NOT: memref.prefetch
// CHECK: scf.yield
func.func @wide_panel_prefetch(%x: memref<16x768xf32>, %w: memref<24x768x32xf32>, %p: index, %m: index, %acc0: vector<8x32xf32>) -> vector<8x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %acc0) -> (vector<8x32xf32>) {
    %a = vector.transfer_read %x[%m, %k], %pad {in_bounds = [true, true]} : memref<16x768xf32>, vector<8x1xf32>
    %b = vector.transfer_read %w[%p, %k, %c0], %pad {in_bounds = [true, true]} : memref<24x768x32xf32>, vector<1x32xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
    scf.yield %c : vector<8x32xf32>
  }
  return %r : vector<8x32xf32>
}

// -----

// In a K block, the panel row is the block start plus the K loop's induction
// variable: the next panel's same row is prefetched.
// CHECK-LABEL: func.func @panel_prefetch_k_block
// CHECK: scf.for %[[K:[a-z0-9]+]] =
// CHECK: %[[ROW:.*]] = affine.apply #{{.*}}()[%{{.*}}, %[[K]]]
// CHECK: memref.prefetch %{{.*}}[%{{.*}}, %[[ROW]], %{{.*}}], read, locality<2>, data
func.func @panel_prefetch_k_block(%x: memref<16x3072xf32>, %w: memref<48x3072x16xf32>, %p: index, %m: index, %kb: index, %acc0: vector<6x16xf32>) -> vector<6x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c768 = arith.constant 768 : index
  %pad = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c768 step %c1 iter_args(%acc = %acc0) -> (vector<6x16xf32>) {
    %row = affine.apply affine_map<()[s0, s1] -> (s0 + s1)>()[%kb, %k]
    %a = vector.transfer_read %x[%m, %row], %pad {in_bounds = [true, true]} : memref<16x3072xf32>, vector<6x1xf32>
    %b = vector.transfer_read %w[%p, %row, %c0], %pad {in_bounds = [true, true]} : memref<48x3072x16xf32>, vector<1x16xf32>
    %c = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
    scf.yield %c : vector<6x16xf32>
  }
  return %r : vector<6x16xf32>
}

// -----

// A contraction by an int8 weight, vectorized over its whole iteration
// space (its operands differ in type, so it has no named form): the
// conversion of the weight row moves below the broadcast over the tile's
// rows and the broadcasts fold into the contraction, which becomes the
// same broadcast + FMA rows: one conversion per K step, not one per row.
// CHECK-LABEL: func.func @int8_weight_tile
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<16x16xi8>, vector<16xi8>
// CHECK: arith.sitofp %{{.*}} : vector<1x16xi8> to vector<1x16xf32>
// CHECK-NOT: arith.sitofp
// CHECK: %[[B:.*]] = vector.extract %{{.*}}[0] : vector<16xf32> from vector<1x16xf32>
// CHECK-NOT: arith.sitofp
// CHECK: vector.fma %{{.*}}, %[[B]], %{{.*}} : vector<16xf32>
// CHECK: vector.fma %{{.*}}, %[[B]], %{{.*}} : vector<16xf32>
// CHECK-NOT: vector.contract
func.func @int8_weight_tile(%a: memref<4x16xf32>, %b: memref<16x16xi8>, %c: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant 0 : i8
  scf.for %k = %c0 to %c16 step %c1 {
    %lhs = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true, true], permutation_map = affine_map<(d0, d1) -> (d0, 0, d1)>} : memref<4x16xf32>, vector<4x16x1xf32>
    %rhs = vector.transfer_read %b[%k, %c0], %zero {in_bounds = [true, true, true], permutation_map = affine_map<(d0, d1) -> (0, d1, d0)>} : memref<16x16xi8>, vector<4x16x1xi8>
    %rhsf = arith.sitofp %rhs : vector<4x16x1xi8> to vector<4x16x1xf32>
    %acc = vector.transfer_read %c[%c0, %c0], %pad {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
    %r = vector.contract {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %lhs, %rhsf, %acc : vector<4x16x1xf32>, vector<4x16x1xf32> into vector<4x16xf32>
    vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  }
  return
}

// -----

// A 4-way dot product per 32-bit lane (W8A8 tiles): with vnni, one
// vpdpbusd, its byte operands as vectors of i8: the four activation bytes
// as one word broadcast to every lane, the lanes' weight bytes in order
// (this 2-D argument's shape cast lowers to inserts; the pipeline's comes
// from a 1-D load and folds away).
// Without it the multi-reduction is lowered like any other.
// VNNI-LABEL: func.func @dot_group_512
// VNNI-SAME: (%[[A:.*]]: vector<4xi8>, %[[W:.*]]: vector<16x4xi8>, %[[ACC:.*]]: vector<16xi32>)
// VNNI: %[[WORD:.*]] = vector.bitcast %[[A]] : vector<4xi8> to vector<1xi32>
// VNNI: %[[E:.*]] = vector.extract %[[WORD]][0] : i32 from vector<1xi32>
// VNNI: %[[B:.*]] = vector.broadcast %[[E]] : i32 to vector<16xi32>
// VNNI: %[[BB:.*]] = vector.bitcast %[[B]] : vector<16xi32> to vector<64xi8>
// VNNI: %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[ACC]], %[[BB]], %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI: return %[[R]]
// CHECK-LABEL: func.func @dot_group_512
// CHECK-NOT: llvm.call_intrinsic
// CHECK: return
// VNNI256-LABEL: func.func @dot_group_512
// VNNI256-NOT: llvm.call_intrinsic
// VNNI256: return
func.func @dot_group_512(%a: vector<4xi8>, %w: vector<16x4xi8>, %acc: vector<16xi32>) -> vector<16xi32> {
  %b = vector.broadcast %a : vector<4xi8> to vector<16x4xi8>
  %be = arith.extui %b : vector<16x4xi8> to vector<16x4xi32>
  %we = arith.extsi %w : vector<16x4xi8> to vector<16x4xi32>
  %p = arith.muli %be, %we : vector<16x4xi32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<16x4xi32> to vector<16xi32>
  return %r : vector<16xi32>
}

// -----

// AVX-VNNI: 8 lanes of 256 bits. A signed activation (sign extension) is
// not the instruction's u8 x s8 product.
// VNNI256-LABEL: func.func @dot_group_256
// VNNI256: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// VNNI256-LABEL: func.func @dot_group_signed
// VNNI256-NOT: llvm.call_intrinsic
// VNNI256: return
func.func @dot_group_256(%a: vector<4xi8>, %w: vector<8x4xi8>, %acc: vector<8xi32>) -> vector<8xi32> {
  %b = vector.broadcast %a : vector<4xi8> to vector<8x4xi8>
  %be = arith.extui %b : vector<8x4xi8> to vector<8x4xi32>
  %we = arith.extsi %w : vector<8x4xi8> to vector<8x4xi32>
  %p = arith.muli %we, %be : vector<8x4xi32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<8x4xi32> to vector<8xi32>
  return %r : vector<8xi32>
}
func.func @dot_group_signed(%a: vector<4xi8>, %w: vector<8x4xi8>, %acc: vector<8xi32>) -> vector<8xi32> {
  %b = vector.broadcast %a : vector<4xi8> to vector<8x4xi8>
  %be = arith.extsi %b : vector<8x4xi8> to vector<8x4xi32>
  %we = arith.extsi %w : vector<8x4xi8> to vector<8x4xi32>
  %p = arith.muli %be, %we : vector<8x4xi32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<8x4xi32> to vector<8xi32>
  return %r : vector<8xi32>
}

// -----

// A bf16 pair dot product per f32 lane (mixed-precision tiles): with
// bf16-dot, one vdpbf16ps, the activation pair as one word broadcast to
// every lane. Without it, two FMAs on the halves of each 32-bit lane read
// as f32: the even element is the word shifted left by 16, the odd one the
// word with its low half cleared.
// BF16DOT-LABEL: func.func @dot_pair_512
// BF16DOT-SAME: (%[[A:.*]]: vector<2xbf16>, %[[W:.*]]: vector<16x2xbf16>, %[[ACC:.*]]: vector<16xf32>)
// BF16DOT: %[[WORD:.*]] = vector.bitcast %[[A]] : vector<2xbf16> to vector<1xi32>
// BF16DOT: %[[E:.*]] = vector.extract %[[WORD]][0] : i32 from vector<1xi32>
// BF16DOT: %[[B:.*]] = vector.broadcast %[[E]] : i32 to vector<16xi32>
// BF16DOT: %[[BB:.*]] = vector.bitcast %[[B]] : vector<16xi32> to vector<32xbf16>
// BF16DOT: %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"(%[[ACC]], %[[BB]], %{{.*}}) : (vector<16xf32>, vector<32xbf16>, vector<32xbf16>) -> vector<16xf32>
// BF16DOT: return %[[R]]
// CHECK-LABEL: func.func @dot_pair_512
// CHECK-NOT: llvm.call_intrinsic
// CHECK: %[[AEVEN:.*]] = arith.shli %{{.*}}, %{{.*}} : i32
// CHECK: %[[AEVENF:.*]] = arith.bitcast %[[AEVEN]] : i32 to f32
// CHECK: %[[AODD:.*]] = arith.andi %{{.*}}, %{{.*}} : i32
// CHECK: %[[AODDF:.*]] = arith.bitcast %[[AODD]] : i32 to f32
// CHECK: %[[WW:.*]] = vector.bitcast %{{.*}} : vector<32xbf16> to vector<16xi32>
// CHECK: %[[EVEN:.*]] = arith.shli %[[WW]], %{{.*}} : vector<16xi32>
// CHECK: %[[EVENF:.*]] = arith.bitcast %[[EVEN]] : vector<16xi32> to vector<16xf32>
// CHECK: %[[ODD:.*]] = arith.andi %[[WW]], %{{.*}} : vector<16xi32>
// CHECK: %[[ODDF:.*]] = arith.bitcast %[[ODD]] : vector<16xi32> to vector<16xf32>
// CHECK: %[[BE:.*]] = vector.broadcast %[[AEVENF]] : f32 to vector<16xf32>
// CHECK: %[[S:.*]] = vector.fma %[[BE]], %[[EVENF]], %{{.*}} : vector<16xf32>
// CHECK: %[[BO:.*]] = vector.broadcast %[[AODDF]] : f32 to vector<16xf32>
// CHECK: %[[R:.*]] = vector.fma %[[BO]], %[[ODDF]], %[[S]] : vector<16xf32>
// CHECK: return %[[R]]
// BF16DOT256-LABEL: func.func @dot_pair_512
// BF16DOT256-NOT: llvm.call_intrinsic
// BF16DOT256: return
func.func @dot_pair_512(%a: vector<2xbf16>, %w: vector<16x2xbf16>, %acc: vector<16xf32>) -> vector<16xf32> {
  %b = vector.broadcast %a : vector<2xbf16> to vector<16x2xbf16>
  %be = arith.extf %b : vector<16x2xbf16> to vector<16x2xf32>
  %we = arith.extf %w : vector<16x2xbf16> to vector<16x2xf32>
  %p = arith.mulf %be, %we : vector<16x2xf32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<16x2xf32> to vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// AVX-512 BF16 with VL: 8 lanes of 256 bits.
// BF16DOT256-LABEL: func.func @dot_pair_256
// BF16DOT256: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.256"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xf32>, vector<16xbf16>, vector<16xbf16>) -> vector<8xf32>
func.func @dot_pair_256(%a: vector<2xbf16>, %w: vector<8x2xbf16>, %acc: vector<8xf32>) -> vector<8xf32> {
  %b = vector.broadcast %a : vector<2xbf16> to vector<8x2xbf16>
  %be = arith.extf %b : vector<8x2xbf16> to vector<8x2xf32>
  %we = arith.extf %w : vector<8x2xbf16> to vector<8x2xf32>
  %p = arith.mulf %we, %be : vector<8x2xf32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<8x2xf32> to vector<8xf32>
  return %r : vector<8xf32>
}

// -----

// A u8 x s8 pair dot product per 32-bit lane (W8A8 tiles without VNNI),
// at any width: one vpmaddwd on the weight bytes sign-extended to 16 bits
// and the activation pair (16-bit already, or widened here) broadcast as
// one word, then an add.
// CHECK-LABEL: func.func @pmaddwd_256
// CHECK-SAME: (%[[A:.*]]: vector<2xi16>, %[[W:.*]]: vector<8x2xi8>, %[[ACC:.*]]: vector<8xi32>)
// CHECK: %[[WORD:.*]] = vector.bitcast %[[A]] : vector<2xi16> to vector<1xi32>
// CHECK: %[[E:.*]] = vector.extract %[[WORD]][0] : i32 from vector<1xi32>
// CHECK: %[[B:.*]] = vector.broadcast %[[E]] : i32 to vector<8xi32>
// CHECK: %[[BH:.*]] = vector.bitcast %[[B]] : vector<8xi32> to vector<16xi16>
// CHECK: %[[WH:.*]] = arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// CHECK: %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[WH]], %[[BH]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK: %[[R:.*]] = arith.addi %[[ACC]], %[[S]] : vector<8xi32>
// CHECK: return %[[R]]
func.func @pmaddwd_256(%a: vector<2xi16>, %w: vector<8x2xi8>, %acc: vector<8xi32>) -> vector<8xi32> {
  %b = vector.broadcast %a : vector<2xi16> to vector<8x2xi16>
  %be = arith.extui %b : vector<8x2xi16> to vector<8x2xi32>
  %we = arith.extsi %w : vector<8x2xi8> to vector<8x2xi32>
  %p = arith.muli %be, %we : vector<8x2xi32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<8x2xi32> to vector<8xi32>
  return %r : vector<8xi32>
}

// -----

// V512-LABEL: func.func @pmaddwd_512
// V512: arith.extui %{{.*}} : vector<2xi8> to vector<2xi16>
// V512: llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%{{.*}}, %{{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
func.func @pmaddwd_512(%a: vector<2xi8>, %w: vector<16x2xi8>, %acc: vector<16xi32>) -> vector<16xi32> {
  %b = vector.broadcast %a : vector<2xi8> to vector<16x2xi8>
  %be = arith.extui %b : vector<16x2xi8> to vector<16x2xi32>
  %we = arith.extsi %w : vector<16x2xi8> to vector<16x2xi32>
  %p = arith.muli %we, %be : vector<16x2xi32>
  %r = vector.multi_reduction <add>, %p, %acc [1] : vector<16x2xi32> to vector<16xi32>
  return %r : vector<16xi32>
}
