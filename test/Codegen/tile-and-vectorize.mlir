// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-tile-and-vectorize{num-threads=2 min-parallel-work=1024}))" --split-input-file | FileCheck %s
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-tile-and-vectorize{num-threads=2 min-parallel-work=1024 vector-bits=512}))" --split-input-file | FileCheck %s --check-prefix=V512
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-tile-and-vectorize{num-threads=2 min-parallel-work=1024 vector-bits=512 fuse-epilogues=false}))" --split-input-file | FileCheck %s --check-prefix=UNFUSED
// RUN: not tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-tile-and-vectorize{vector-bits=300}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADBITS
// BADBITS: error: tfm-cpu-tile-and-vectorize: vector-bits must be 128, 256 or 512, got 300

// A matmul splits N over two threads, then walks 6x16 register tiles, N
// outer, with K stepped by one: each step is a 6x1 by 1x16 contraction
// into an accumulator carried in registers across the K loop. The 64 rows
// are ten tiles of 6 and a peeled remainder of 4. The zero fill is fused
// into each register tile (no parallel loop of its own): the shared output
// starts from the uninitialized tensor.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<64x64xf32>
// CHECK-NOT: scf.forall
// CHECK: scf.forall (%[[N0:.*]]) = (0) to (64) step (32) shared_outs(%{{.*}} = %[[EMPTY]])
// CHECK: scf.for %[[N:.*]] = %c0 to %c32 step %c16
// CHECK: scf.for %[[M:.*]] = %c0 to %c60 step %c6
// CHECK: %[[TILE:.*]] = tensor.extract_slice %{{.*}}[%[[M]], %[[N]]] [6, 16]
// CHECK: %[[ZERO:.*]] = vector.transfer_write %{{.*}}, %[[TILE]][%c0, %c0] {{.*}} : vector<6x16xf32>, tensor<6x16xf32>
// CHECK: %[[ACC0:.*]] = vector.transfer_read %[[ZERO]]{{.*}} : tensor<6x16xf32>, vector<6x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[ACC:.*]] = %[[ACC0]]) -> (tensor<6x16xf32>, vector<6x16xf32>)
// CHECK: %[[LHS:.*]] = vector.transfer_read {{.*}} : tensor<64x32xf32>, vector<6x1xf32>
// CHECK: %[[RHS:.*]] = vector.transfer_read {{.*}} : tensor<32x64xf32>, vector<1x16xf32>
// CHECK: vector.contract {{.*}} %[[LHS]], %[[RHS]], %[[ACC]] : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK: tensor.extract_slice %{{.*}}[60, %[[N]]] [4, 16]
// CHECK: vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK: scf.forall.in_parallel
// With AVX-512's 32 registers of 16 lanes, the tile is two registers wide
// and 8 rows high (sixteen accumulators), and divides the 64 rows.
// V512-LABEL: func.func @matmul
// V512: scf.forall (%{{.*}}) = (0) to (64) step (32)
// V512: scf.for %{{.*}} = %c0 to %c64 step %c8
// V512: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// V512-NOT: vector.contract
// V512: scf.forall.in_parallel
func.func @matmul(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// A bias broadcast initializing a matmul is fused into each register tile:
// the accumulators start from the 16 bias values of the tile's columns,
// read once per tile, with no parallel loop writing the broadcast first.
// CHECK-LABEL: func.func @matmul_bias
// CHECK-SAME: %[[BIAS:[a-z0-9]+]]: tensor<64xf32>
// CHECK-NOT: scf.forall
// CHECK: scf.forall (%[[N0:.*]]) = (0) to (64) step (32)
// CHECK: scf.for %[[N:.*]] = %c0 to %c32 step %c16
// CHECK: scf.for %[[M:.*]] = %c0 to %c60 step %c6
// CHECK: %[[COL:.*]] = affine.apply #{{.*}}()[%[[N0]], %[[N]]]
// CHECK: %[[B:.*]] = vector.transfer_read %[[BIAS]][%[[COL]]], {{.*}} : tensor<64xf32>, vector<6x16xf32>
// CHECK: vector.transfer_write %[[B]], {{.*}} : vector<6x16xf32>, tensor<6x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1
// CHECK: vector.contract
func.func @matmul_bias(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %bias: tensor<64xf32>) -> tensor<64x64xf32> {
  %e = tensor.empty() : tensor<64x64xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<64x64xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%init : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// A product by a weight in the panel layout [P, K, 16] splits the panels
// over two threads; its 6 x 1 x 16 register tile (one panel) drops the unit
// panel dimension and becomes a matmul, vectorized like one: each K step
// reads a 6x1 column of the input and 16 contiguous weights.
// CHECK-LABEL: func.func @panel_product
// CHECK: scf.forall (%[[P0:.*]]) = (0) to (4) step (2)
// CHECK: scf.for %[[P:.*]] = %c0 to %c2 step %c1
// CHECK: scf.for %[[M:.*]] = %c0 to %c48 step %c6
// CHECK: %[[ACC0:.*]] = vector.transfer_read {{.*}} : tensor<6x1x16xf32>, vector<6x16xf32>
// CHECK: scf.for %[[K:.*]] = %c0 to %c32 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[ACC:.*]] = %[[ACC0]])
// CHECK: %[[LHS:.*]] = vector.transfer_read %{{.*}}[%[[M]], %[[K]]], {{.*}} : tensor<48x32xf32>, vector<6x1xf32>
// CHECK: %[[RHS:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %[[K]], %c0], {{.*}} : tensor<4x32x16xf32>, vector<1x16xf32>
// CHECK: vector.contract {{.*}} %[[LHS]], %[[RHS]], %[[ACC]] : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
#lhs = affine_map<(m, p, j, k) -> (m, k)>
#rhs = affine_map<(m, p, j, k) -> (p, k, j)>
#out = affine_map<(m, p, j, k) -> (m, p, j)>
func.func @panel_product(%a: tensor<48x32xf32>, %w: tensor<4x32x16xf32>) -> tensor<48x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<48x4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<48x4x16xf32>) -> tensor<48x4x16xf32>
  %0 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %w : tensor<48x32xf32>, tensor<4x32x16xf32>) outs(%f : tensor<48x4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<48x4x16xf32>
  return %0 : tensor<48x4x16xf32>
}

// -----

// A product whose left operand is stored transposed (attention's p^T v)
// keeps its maps through the register tile: split over N between the two
// threads, the 6 x 16 tile reads a 1x6 row
// of the transposed operand per K step, and the contraction pairs its
// dimensions as the generic did.
// CHECK-DAG: #[[LHST:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @transposed_lhs_product
// CHECK: scf.forall (%[[N:.*]]) = (0) to (32) step (16)
// CHECK: scf.for %[[M:.*]] = %c0 to %c60 step %c6
// CHECK: scf.for %[[K:.*]] = %c0 to %c32 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[ACC:.*]] = %{{.*}})
// CHECK: %[[LHS:.*]] = vector.transfer_read %{{.*}}[%[[K]], %{{.*}}], {{.*}} : tensor<32x64xf32>, vector<1x6xf32>
// CHECK: %[[RHS:.*]] = vector.transfer_read %{{.*}}[%[[K]], %{{.*}}], {{.*}} : tensor<32x32xf32>, vector<1x16xf32>
// CHECK: vector.contract {indexing_maps = [#[[LHST]], {{.*}} %[[LHS]], %[[RHS]], %[[ACC]] : vector<1x6xf32>, vector<1x16xf32> into vector<6x16xf32>
#at = affine_map<(m, n, k) -> (k, m)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_lhs_product(%at: tensor<32x64xf32>, %b: tensor<32x32xf32>, %c: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %0 = linalg.generic {indexing_maps = [#at, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%at, %b : tensor<32x64xf32>, tensor<32x32xf32>) outs(%c : tensor<64x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  return %0 : tensor<64x32xf32>
}

// -----

// An elementwise op splits its rows over threads and is vectorized 32
// lanes at a time along the innermost loop; the partial last vector of a
// 40-wide row is peeled into an 8-wide remainder.
// CHECK-LABEL: func.func @elementwise
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (32)
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1
// CHECK: math.exp %{{.*}} : vector<1x32xf32>
// CHECK: math.exp %{{.*}} : vector<1x8xf32>
// V512-LABEL: func.func @elementwise
// V512: math.exp %{{.*}} : vector<1x40xf32>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @elementwise(%x: tensor<64x40xf32>) -> tensor<64x40xf32> {
  %e = tensor.empty() : tensor<64x40xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x40xf32>) outs(%e : tensor<64x40xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<64x40xf32>
  return %0 : tensor<64x40xf32>
}

// -----

// Too little work to fork threads for; booleans stay scalar (LLVM would
// bit-pack i1 vectors in memory).
// CHECK-LABEL: func.func @small_boolean
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
// CHECK: arith.xori
// CHECK-NOT: vector.
#id = affine_map<(d0) -> (d0)>
func.func @small_boolean(%x: tensor<16xi1>) -> tensor<16xi1> {
  %true = arith.constant true
  %e = tensor.empty() : tensor<16xi1>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xi1>) outs(%e : tensor<16xi1>) {
  ^bb0(%a: i1, %o: i1):
    %n = arith.xori %a, %true : i1
    linalg.yield %n : i1
  } -> tensor<16xi1>
  return %0 : tensor<16xi1>
}

// -----

// A row reduction is split into 32 lanes: each thread keeps whole rows and
// accumulates a row's 12 vectors of 32 elementwise into 32 partial sums
// carried in registers; one horizontal reduction per row then adds the
// lanes (instead of one per vector of the row), in the same thread tile.
// CHECK-LABEL: func.func @row_sum
// CHECK: %[[LANES:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [128, 12, 32]
// CHECK: scf.forall (%{{.*}}) = (0) to (128) step (64)
// CHECK: scf.for %{{.*}} = %c0 to %c12 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[PARTIAL:.*]] = %{{.*}})
// CHECK: %[[V:.*]] = vector.transfer_read %[[LANES]]
// CHECK: %[[C:.*]] = vector.shape_cast %[[V]] : vector<1x1x32xf32> to vector<1x32xf32>
// CHECK: arith.addf %[[PARTIAL]], %[[C]] : vector<1x32xf32>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x32xf32> to vector<1xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.forall
func.func @row_sum(%x: tensor<128x384xf32>) -> tensor<128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128xf32>) -> tensor<128xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<128x384xf32>) outs(%f : tensor<128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<128xf32>
  return %0 : tensor<128xf32>
}

// -----

// An op that reads its input transposed is tiled to 8x8 blocks (each read
// as rows and transposed in registers by tfm-cpu-lower-vectors), not to
// one-row vectors that would gather a column; the blocks are walked in the
// input's storage order (its rows outer), and the 10 columns of a thread
// are a block of 8 and a peeled block of 2.
// CHECK-LABEL: func.func @transposed_read
// CHECK: scf.forall (%[[R:.*]]) = (0) to (20) step (10)
// CHECK: scf.for %[[C:.*]] = %c0 to %c64 step %c8
// CHECK: vector.transfer_read %{{.*}}[%[[C]], %[[R]]], %{{.*}} {in_bounds = [true, true], permutation_map = #{{.*}}} : tensor<64x20xf32>, vector<8x8xf32>
// CHECK: arith.mulf %{{.*}}, %{{.*}} : vector<8x8xf32>
// CHECK-NOT: scf.for
// CHECK: vector.transfer_read %{{.*}}[%[[C]], %{{.*}}], {{.*}} : tensor<64x20xf32>, vector<2x8xf32>
// CHECK: scf.yield
func.func @transposed_read(%x: tensor<64x20xf32>) -> tensor<20x64xf32> {
  %e = tensor.empty() : tensor<20x64xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x20xf32>) outs(%e : tensor<20x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %c = arith.constant 2.0 : f32
    %m = arith.mulf %a, %c : f32
    linalg.yield %m : f32
  } -> tensor<20x64xf32>
  return %0 : tensor<20x64xf32>
}

// -----

// A contraction with K > 1024 walks K in blocks of 768, outermost in each
// thread, so that the rows of a block stay in L2 while the panels stream
// past. The zero fill cannot move into the register tiles (they run once per
// block): it stays a pass over the thread's slice before the blocks.
// CHECK-LABEL: func.func @blocked_k
// CHECK: scf.forall (%{{.*}}) = (0) to (32) step (16)
// CHECK: %[[ZERO:.*]] = scf.for %{{.*}} = %c0 to %c12 step %c1
// CHECK: vector.transfer_write %{{.*}} : vector<1x16xf32>, tensor<12x16xf32>
// CHECK: scf.for %[[KB:.*]] = %c0 to %c1536 step %c768 iter_args(%{{.*}} = %[[ZERO]])
// CHECK: scf.for %{{.*}} = %c0 to %c12 step %c6
// CHECK-NOT: vector.transfer_write %cst
// CHECK: scf.for %{{.*}} = %c0 to %c768 step %c1
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
func.func @blocked_k(%a: tensor<12x1536xf32>, %b: tensor<1536x32xf32>) -> tensor<12x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<12x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<12x32xf32>) -> tensor<12x32xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<12x1536xf32>, tensor<1536x32xf32>) outs(%f : tensor<12x32xf32>) -> tensor<12x32xf32>
  return %0 : tensor<12x32xf32>
}

// -----

// Rows that one register tile holds (a decode product) are read once per
// panel whether K is blocked or not: K is walked whole, so that each panel
// streams in one piece.
// CHECK-LABEL: func.func @one_row_long_k
// CHECK-NOT: step %c768
// CHECK: scf.for %{{.*}} = %c0 to %c1536 step %c1
// CHECK: vector.contract {{.*}} : vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
func.func @one_row_long_k(%a: tensor<1x1536xf32>, %b: tensor<1536x32xf32>) -> tensor<1x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32xf32>) -> tensor<1x32xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<1x1536xf32>, tensor<1536x32xf32>) outs(%f : tensor<1x32xf32>) -> tensor<1x32xf32>
  return %0 : tensor<1x32xf32>
}

// -----

// A single row (attention's p v in a decode step) takes register tiles
// four times as wide as a micro-tile's: eight vectors of accumulators, each
// K step reading a whole row of the thread's 128 columns at 512 bits.
// CHECK-LABEL: func.func @one_row_wide
// CHECK: scf.forall (%{{.*}}) = (0) to (256) step (128)
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK: vector.contract {{.*}} : vector<1x1xf32>, vector<1x64xf32> into vector<1x64xf32>
// V512-LABEL: func.func @one_row_wide
// V512: scf.forall (%{{.*}}) = (0) to (256) step (128)
// V512-NOT: step %c64
// V512: scf.for %{{.*}} = %c0 to %c128 step %c1
// V512: vector.contract {{.*}} : vector<1x1xf32>, vector<1x128xf32> into vector<1x128xf32>
func.func @one_row_wide(%a: tensor<1x128xf32>, %b: tensor<128x256xf32>) -> tensor<1x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x256xf32>) -> tensor<1x256xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<1x128xf32>, tensor<128x256xf32>) outs(%f : tensor<1x256xf32>) -> tensor<1x256xf32>
  return %0 : tensor<1x256xf32>
}

// -----

// Five panels do not split evenly over two threads: the product is cut at
// four panels, which split two by two (each thread streams its own
// weights), and the fifth splits its rows. The zero fill is cut with it and
// fused into each part's register tiles; the parts write their slices of
// the one output.
// CHECK-LABEL: func.func @uneven_panels
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<48x5x16xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[BULK:.*]] = scf.forall (%{{.*}}) = (0) to (4) step (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<48x4x16xf32>)
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK: %[[PART:.*]] = tensor.insert_slice %[[BULK]] into %[[EMPTY]][0, 0, 0] [48, 4, 16]
// CHECK: %[[REST:.*]] = scf.forall (%{{.*}}) = (0) to (48) step (24) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<48x1x16xf32>)
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK: %[[ALL:.*]] = tensor.insert_slice %[[REST]] into %[[PART]][0, 4, 0] [48, 1, 16]
// CHECK: return %[[ALL]]
#lhs = affine_map<(m, p, j, k) -> (m, k)>
#rhs = affine_map<(m, p, j, k) -> (p, k, j)>
#out = affine_map<(m, p, j, k) -> (m, p, j)>
func.func @uneven_panels(%a: tensor<48x32xf32>, %w: tensor<5x32x16xf32>) -> tensor<48x5x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<48x5x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<48x5x16xf32>) -> tensor<48x5x16xf32>
  %0 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %w : tensor<48x32xf32>, tensor<5x32x16xf32>) outs(%f : tensor<48x5x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<48x5x16xf32>
  return %0 : tensor<48x5x16xf32>
}

// -----

// A norm's statistic and the op that reads it run in one thread tile: the
// tile over 64 rows computes the sums of its own rows (partial lanes, then
// their reduction) and then normalizes those rows, one parallel loop in
// all. The input, read whole by every statistic, is not fused.
// CHECK-LABEL: func.func @norm_rows
// CHECK: scf.forall (%{{.*}}) = (0) to (128) step (64)
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<1x32xf32>
// CHECK: vector.multi_reduction <add>
// CHECK: arith.divf %{{.*}}, %{{.*}} : vector<1x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.forall
func.func @norm_rows(%x: tensor<128x384xf32>) -> tensor<128x384xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128xf32>) -> tensor<128xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<128x384xf32>) outs(%f : tensor<128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<128xf32>
  %e2 = tensor.empty() : tensor<128x384xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sum : tensor<128x384xf32>, tensor<128xf32>) outs(%e2 : tensor<128x384xf32>) {
  ^bb0(%a: f32, %t: f32, %o: f32):
    %d = arith.divf %a, %t : f32
    linalg.yield %d : f32
  } -> tensor<128x384xf32>
  return %0 : tensor<128x384xf32>
}

// -----

// An op whose iteration space is empty (K = 0) leaves its output as it is:
// its result is its init, the zero fill, which alone is tiled.
// CHECK-LABEL: func.func @empty_reduction
// CHECK-NOT: linalg.matmul
// CHECK-NOT: vector.contract
// CHECK: %[[FILL:.*]] = scf.for
// CHECK: vector.transfer_write %cst
// CHECK-NOT: vector.contract
// CHECK: return %[[FILL]]
func.func @empty_reduction(%a: tensor<3x0xf32>, %b: tensor<0x4xf32>) -> tensor<3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<3x0xf32>, tensor<0x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// A u8 x s8 product in the 4-way dot product layout (loops m, p, g, j, t):
// register tiles keep the group of four whole and are vectorized by hand,
// per row and 16 lanes: the row's four activation bytes broadcast, times
// the lanes' weight bytes (one 64-byte load), reduced over the group into
// the 32-bit sums; the accumulator tile stays in registers across K.
// V512-LABEL: func.func @dot_group
// V512: scf.forall (%{{.*}}) in (2)
// V512: %[[ACC:.*]] = vector.transfer_read %{{.*}} : tensor<8x1x32xi32>, vector<8x1x32xi32>
// V512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[SUMS:.*]] = %[[ACC]]) -> (tensor<8x1x32xi32>, vector<8x1x32xi32>)
// V512: vector.transfer_read %{{.*}} {in_bounds = [true, true], permutation_map = #{{.*}}} : tensor<8x1x4xi8>, vector<8x4xi8>
// V512: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<1x1x32x4xi8> into tensor<128xi8>
// V512: %[[W0:.*]] = vector.transfer_read %[[W]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<128xi8>, vector<64xi8>
// V512: %[[W0G:.*]] = vector.shape_cast %[[W0]] : vector<64xi8> to vector<16x4xi8>
// V512: %[[W0E:.*]] = arith.extsi %[[W0G]] : vector<16x4xi8> to vector<16x4xi32>
// V512: %[[A0:.*]] = vector.broadcast %{{.*}} : vector<4xi8> to vector<16x4xi8>
// V512: %[[A0E:.*]] = arith.extui %[[A0]] : vector<16x4xi8> to vector<16x4xi32>
// V512: %[[P:.*]] = arith.muli %[[A0E]], %[[W0E]] : vector<16x4xi32>
// V512: vector.multi_reduction <add>, %[[P]], %{{.*}} [1] : vector<16x4xi32> to vector<16xi32>
// V512-COUNT-15: vector.multi_reduction <add>
// V512-NOT: vector.multi_reduction
// V512: scf.yield
#dot_a = affine_map<(m, p, g, j, t) -> (m, g, t)>
#dot_w = affine_map<(m, p, g, j, t) -> (p, g, j, t)>
#dot_c = affine_map<(m, p, g, j, t) -> (m, p, j)>
func.func @dot_group(%a: tensor<16x8x4xi8>, %w: tensor<2x8x32x4xi8>) -> tensor<16x2x32xi32> {
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<16x2x32xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<16x2x32xi32>) -> tensor<16x2x32xi32>
  %r = linalg.generic {indexing_maps = [#dot_a, #dot_w, #dot_c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction"]}
      ins(%a, %w : tensor<16x8x4xi8>, tensor<2x8x32x4xi8>) outs(%f : tensor<16x2x32xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %x32 = arith.extui %x : i8 to i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %x32, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<16x2x32xi32>
  return %r : tensor<16x2x32xi32>
}

// -----

// A bf16 x bf16 product in the 2-way layout (loops m, p, g, j, t) is a dot
// group too: per row and 16 lanes, the row's activation pair broadcast,
// times the lanes' weight pairs (one 64-byte load), both widened to f32,
// reduced over the pair into the f32 sums — one vdpbf16ps each. The tile
// is not specialized into a plain contraction first.
// V512-LABEL: func.func @dot_pair
// V512: %[[ACC:.*]] = vector.transfer_read %{{.*}} : tensor<8x1x32xf32>, vector<8x1x32xf32>
// V512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %[[ACC]]) -> (tensor<8x1x32xf32>, vector<8x1x32xf32>)
// V512: vector.transfer_read %{{.*}} : tensor<8x1x2xbf16>, vector<8x2xbf16>
// V512: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<1x1x32x2xbf16> into tensor<64xbf16>
// V512: %[[W0:.*]] = vector.transfer_read %[[W]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<64xbf16>, vector<32xbf16>
// V512: %[[W0G:.*]] = vector.shape_cast %[[W0]] : vector<32xbf16> to vector<16x2xbf16>
// V512: %[[W0E:.*]] = arith.extf %[[W0G]] : vector<16x2xbf16> to vector<16x2xf32>
// V512: %[[A0:.*]] = vector.broadcast %{{.*}} : vector<2xbf16> to vector<16x2xbf16>
// V512: %[[A0E:.*]] = arith.extf %[[A0]] : vector<16x2xbf16> to vector<16x2xf32>
// V512: %[[P:.*]] = arith.mulf %[[A0E]], %[[W0E]] : vector<16x2xf32>
// V512: vector.multi_reduction <add>, %[[P]], %{{.*}} [1] : vector<16x2xf32> to vector<16xf32>
// V512-COUNT-15: vector.multi_reduction <add>
// V512-NOT: vector.multi_reduction
// V512: scf.yield
#pair_a = affine_map<(m, p, g, j, t) -> (m, g, t)>
#pair_w = affine_map<(m, p, g, j, t) -> (p, g, j, t)>
#pair_c = affine_map<(m, p, g, j, t) -> (m, p, j)>
func.func @dot_pair(%a: tensor<16x8x2xbf16>, %w: tensor<2x8x32x2xbf16>) -> tensor<16x2x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x2x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x2x32xf32>) -> tensor<16x2x32xf32>
  %r = linalg.generic {indexing_maps = [#pair_a, #pair_w, #pair_c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction"]}
      ins(%a, %w : tensor<16x8x2xbf16>, tensor<2x8x32x2xbf16>) outs(%f : tensor<16x2x32xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %x32 = arith.extf %x : bf16 to f32
    %y32 = arith.extf %y : bf16 to f32
    %p = arith.mulf %x32, %y32 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x2x32xf32>
  return %r : tensor<16x2x32xf32>
}

// -----

// A u8 x s8 product in pairs (no VNNI), the activations already widened to
// 16 bits: per row and 8 lanes (AVX2), the row's pair broadcast, times the
// lanes' weight byte pairs (one 16-byte load), reduced over the pair — one
// vpmaddwd each.
// CHECK-LABEL: func.func @dot_pair_int8
// CHECK: vector.transfer_read %{{.*}} : tensor<6x1x2xi16>, vector<6x2xi16>
// CHECK: %[[W0:.*]] = vector.transfer_read %{{.*}}[%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<32xi8>, vector<16xi8>
// CHECK: %[[W0G:.*]] = vector.shape_cast %[[W0]] : vector<16xi8> to vector<8x2xi8>
// CHECK: %[[W0E:.*]] = arith.extsi %[[W0G]] : vector<8x2xi8> to vector<8x2xi32>
// CHECK: %[[A0:.*]] = vector.broadcast %{{.*}} : vector<2xi16> to vector<8x2xi16>
// CHECK: %[[A0E:.*]] = arith.extui %[[A0]] : vector<8x2xi16> to vector<8x2xi32>
// CHECK: %[[P:.*]] = arith.muli %[[A0E]], %[[W0E]] : vector<8x2xi32>
// CHECK: vector.multi_reduction <add>, %[[P]], %{{.*}} [1] : vector<8x2xi32> to vector<8xi32>
// CHECK-COUNT-11: vector.multi_reduction <add>
// CHECK-NOT: vector.multi_reduction
#pair_a = affine_map<(m, p, g, j, t) -> (m, g, t)>
#pair_w = affine_map<(m, p, g, j, t) -> (p, g, j, t)>
#pair_c = affine_map<(m, p, g, j, t) -> (m, p, j)>
func.func @dot_pair_int8(%a: tensor<12x8x2xi16>, %w: tensor<2x8x16x2xi8>) -> tensor<12x2x16xi32> {
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<12x2x16xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<12x2x16xi32>) -> tensor<12x2x16xi32>
  %r = linalg.generic {indexing_maps = [#pair_a, #pair_w, #pair_c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "reduction"]}
      ins(%a, %w : tensor<12x8x2xi16>, tensor<2x8x16x2xi8>) outs(%f : tensor<12x2x16xi32>) {
  ^bb0(%x: i16, %y: i8, %acc: i32):
    %x32 = arith.extui %x : i16 to i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %x32, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<12x2x16xi32>
  return %r : tensor<12x2x16xi32>
}

// -----

// One zero fill initializing two products (CSE merges equal fills) is
// cloned per product, and each clone fused into its product's tiles: no
// fill is left to compute once and copy into both outputs.
// CHECK-LABEL: func.func @shared_fill
// CHECK-NOT: linalg.fill
// CHECK: scf.forall
// CHECK: vector.transfer_write %{{.*}} : vector<6x16xf32>, tensor<6x16xf32>
// CHECK: scf.forall
// CHECK: vector.transfer_write %{{.*}} : vector<6x16xf32>, tensor<6x16xf32>
// CHECK-NOT: linalg.fill
func.func @shared_fill(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  %1 = linalg.matmul ins(%a, %c : tensor<16x64xf32>, tensor<64x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %0, %1 : tensor<16x64xf32>, tensor<16x64xf32>
}

// -----

// A weight dequantizer (an all-parallel generic of constants, 4-bit codes
// two per byte) read by a product: not distributed on its own, it is
// computed in each K step of the product's register tiles (16 lanes of
// one byte row), the loop over the two values of a byte unrolled so that
// the second value's shift is a constant; the dequantized weight is never
// materialized whole.
// CHECK-LABEL: func.func @dequantized_weight
// CHECK-NOT: tensor<4x2x16x2x16xf32>
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.transfer_read %{{.*}} : tensor<1x1x1x16xi8>, vector<1x1x1x1x16xi8>
// CHECK: arith.andi
// CHECK: math.fma
// CHECK: vector.contract
// CHECK: vector.transfer_read %{{.*}} : tensor<1x1x1x16xi8>, vector<1x1x1x1x16xi8>
// CHECK: arith.shrui %{{.*}}, %{{.*}} : vector<1x1x1x1x16xi32>
// CHECK: math.fma
// CHECK: vector.contract
// CHECK-NOT: tensor<4x2x16x2x16xf32>
#deq_b = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
#deq_s = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
#deq_o = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#mm_x = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d4, d5)>
#mm_w = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d3, d4, d5, d2)>
#mm_y = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>
func.func @dequantized_weight(%x: tensor<16x2x16x2xf32>) -> tensor<16x4x16xf32> {
  %c4 = arith.constant 4 : index
  %c15 = arith.constant 15 : i32
  %packed = arith.constant dense<33> : tensor<4x2x16x16xi8>
  %scale = arith.constant dense<0.5> : tensor<4x2x16xf32>
  %offset = arith.constant dense<-4.0> : tensor<4x2x16xf32>
  %e = tensor.empty() : tensor<4x2x16x2x16xf32>
  %w = linalg.generic {indexing_maps = [#deq_b, #deq_s, #deq_s, #deq_o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%packed, %scale, %offset : tensor<4x2x16x16xi8>, tensor<4x2x16xf32>, tensor<4x2x16xf32>) outs(%e : tensor<4x2x16x2x16xf32>) {
  ^bb0(%b: i8, %s: f32, %o: f32, %out: f32):
    %u = arith.extui %b : i8 to i32
    %t = linalg.index 3 : index
    %t4 = arith.muli %t, %c4 : index
    %shift = arith.index_cast %t4 : index to i32
    %v = arith.shrui %u, %shift : i32
    %n = arith.andi %v, %c15 : i32
    %f = arith.sitofp %n : i32 to f32
    %r = math.fma %f, %s, %o : f32
    linalg.yield %r : f32
  } -> tensor<4x2x16x2x16xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<16x4x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e2 : tensor<16x4x16xf32>) -> tensor<16x4x16xf32>
  %y = linalg.generic {indexing_maps = [#mm_x, #mm_w, #mm_y], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<16x2x16x2xf32>, tensor<4x2x16x2x16xf32>) outs(%init : tensor<16x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x4x16xf32>
  return %y : tensor<16x4x16xf32>
}

// -----

// A product's epilogue (here a column scale and a ReLU after a panel
// product) is computed in the product's register tiles, from the
// accumulators: the collapse between them is folded by expanding the
// epilogue to the product's [M, P, w] shape, the epilogue joins the
// product's thread tiles and then each 8 x 16 register tile, after its K
// loop. One scf.forall yields only the epilogue's result; with
// fuse-epilogues=false the epilogue is a parallel loop of its own.
// V512-LABEL: func.func @product_epilogue
// V512: scf.forall {{.*}} -> (tensor<64x4x16xf32>)
// V512: scf.for
// V512: scf.for
// V512: scf.for
// V512: vector.contract
// V512: scf.yield
// V512: arith.maximumf {{.*}} : vector<8x1x16xf32>
// V512: scf.forall.in_parallel
// V512-NEXT: tensor.parallel_insert_slice
// V512-NEXT: }
// V512-NOT: scf.forall
// V512: tensor.collapse_shape
// UNFUSED-LABEL: func.func @product_epilogue
// UNFUSED: scf.forall
// UNFUSED: vector.contract
// UNFUSED: scf.forall
// UNFUSED: arith.maximumf
#x = affine_map<(m, p, j, k) -> (m, k)>
#w = affine_map<(m, p, j, k) -> (p, k, j)>
#o = affine_map<(m, p, j, k) -> (m, p, j)>
#id = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @product_epilogue(%x: tensor<64x64xf32>, %w: tensor<4x64x16xf32>, %s: tensor<64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x4x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<64x4x16xf32>) -> tensor<64x4x16xf32>
  %p = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x64xf32>, tensor<4x64x16xf32>) outs(%init : tensor<64x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<64x4x16xf32>
  %c = tensor.collapse_shape %p [[0], [1, 2]] : tensor<64x4x16xf32> into tensor<64x64xf32>
  %oe = tensor.empty() : tensor<64x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %s : tensor<64x64xf32>, tensor<64xf32>) outs(%oe : tensor<64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  } -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}

// -----

// Dynamic rows: N splits over the threads as before; inside, the rows are
// 6-row register tiles up to the last multiple of 6 (each tile whole: no
// minimum, no peeled remainder) and then one-row tiles, both with K
// innermost and the accumulators in registers. The zero fill is fused into
// each register tile, as for static rows (the tiling's size queries of the
// filled tensor do not keep it a pass of its own).
// CHECK-LABEL: func.func @matmul_dynamic_rows
// CHECK-NOT: scf.for
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (32)
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c6
// CHECK-NOT: affine.min
// CHECK: tensor.extract_slice %{{.*}} [6, 16] [1, 1] : tensor<?x32xf32> to tensor<6x16xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<6x16xf32>, tensor<6x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args(%{{.*}}, %{{.*}}) -> (tensor<6x16xf32>, vector<6x16xf32>)
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c1
// CHECK: tensor.extract_slice %{{.*}} [1, 16] [1, 1] : tensor<?x32xf32> to tensor<1x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args(%{{.*}}, %{{.*}}) -> (tensor<1x16xf32>, vector<1x16xf32>)
// CHECK: vector.contract {{.*}} : vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.
func.func @matmul_dynamic_rows(%a: tensor<?x32xf32>, %b: tensor<32x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x32xf32>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x32xf32>, tensor<32x64xf32>) outs(%f : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// -----

// An elementwise op over dynamic rows, whose static loop (64 points a row)
// is too small to split, is spread over the threads in chunks of its rows:
// half of them each when the rows bring at least min-parallel-work points,
// else one chunk of every row (the loop's single iteration then runs on
// the calling thread, tfm-cpu-guard-parallel-regions). Each chunk takes a
// row of vectors per step; a dynamic innermost loop takes whole vectors,
// then single elements.
// CHECK-LABEL: func.func @elementwise_dynamic
// CHECK: tensor.dim %{{.*}}, %c0
// CHECK: %[[POINTS:.*]] = arith.muli %{{.*}}, %c64
// CHECK: %[[WORTH:.*]] = arith.cmpi sge, %[[POINTS]], %c1024
// CHECK: %[[ALL:.*]] = arith.maxui %{{.*}}, %c1
// CHECK: %[[CHUNK:.*]] = arith.select %[[WORTH]], %{{.*}}, %[[ALL]] : index
// CHECK: scf.forall (%[[I:.*]]) = (0) to (%{{.*}}) step (%[[CHUNK]])
// CHECK: %[[N:.*]] = affine.min #{{.*}}(%[[I]])
// CHECK: scf.for %{{.*}} = %c0 to %[[N]] step %c1
// CHECK: vector.transfer_read {{.*}} : tensor<?x64xf32>, vector<1x32xf32>
// CHECK: math.exp {{.*}} : vector<1x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-LABEL: func.func @innermost_dynamic
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c32
// CHECK: math.exp {{.*}} : vector<1x32xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// CHECK: math.exp {{.*}} : vector<1x1xf32>
// CHECK-NOT: linalg.
func.func @elementwise_dynamic(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x64xf32>) outs(%e : tensor<?x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = math.exp %in : f32
    linalg.yield %y : f32
  } -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
func.func @innermost_dynamic(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<2x?xf32>
  %e = tensor.empty(%n) : tensor<2x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x?xf32>) outs(%e : tensor<2x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = math.exp %in : f32
    linalg.yield %y : f32
  } -> tensor<2x?xf32>
  return %r : tensor<2x?xf32>
}

// -----

// A row reduction over dynamic rows walks them one at a time, each row
// split into 32 lanes that accumulate elementwise (as static rows are)
// and one horizontal reduction per row.
// CHECK-LABEL: func.func @row_sums_dynamic
// CHECK: scf.for %[[ROW:.*]] = %c0 to %{{.*}} step %c1
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [1, 2, 32] : tensor<1x64xf32> into tensor<1x2x32xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%{{.*}}, %{{.*}}) -> (tensor<1x32xf32>, vector<1x32xf32>)
// CHECK: arith.addf %{{.*}} : vector<1x32xf32>
// CHECK: vector.multi_reduction <add>, %{{.*}} [1] : vector<1x32xf32> to vector<1xf32>
// CHECK-NOT: linalg.
func.func @row_sums_dynamic(%x: tensor<?x64xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x64xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<?x64xf32>) outs(%f : tensor<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %out, %in : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// A declaration (a runtime function the model calls) is left alone; it
// crashed the pass.
// CHECK-LABEL: func.func private @rtclock() -> f64
func.func private @rtclock() -> f64

// -----

// A norm over dynamic rows: the normalization is spread over the threads in
// chunks of rows, and each chunk computes the row sums it reads (the
// statistic is fused into the chunk, not left a serial pass before it).
// CHECK-LABEL: func.func @norm_dynamic_rows
// CHECK: scf.forall (%[[I:.*]]) = (0) to (%{{.*}}) step (%{{.*}})
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c1
// CHECK: vector.multi_reduction <add>, %{{.*}} [1] : vector<1x32xf32> to vector<1xf32>
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c1
// CHECK: arith.divf %{{.*}} : vector<1x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.for
// CHECK: return
func.func @norm_dynamic_rows(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x64xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty(%n) : tensor<?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<?x64xf32>) outs(%f : tensor<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %out, %in : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %e2 = tensor.empty(%n) : tensor<?x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %sum : tensor<?x64xf32>, tensor<?xf32>) outs(%e2 : tensor<?x64xf32>) {
  ^bb0(%in: f32, %t: f32, %out: f32):
    %y = arith.divf %in, %t : f32
    linalg.yield %y : f32
  } -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// -----

// A product over dynamic rows and its epilogue behind a collapse (a panel
// layout's result, as a linear lowers): the epilogue's sizes, read from
// the collapse, are read from the product's `tensor.empty`, so the
// collapse folds and the epilogue shares the product's thread tiles (one
// scf.forall), after its whole register tiles (K in blocks of 768 over
// 3072) and its one-row tiles (K unblocked).
// CHECK-LABEL: func.func @dynamic_rows_epilogue
// CHECK: %[[ROWS:.*]] = tensor.dim %arg0, %c0
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [%[[ROWS]], 24, 32]
// CHECK: scf.forall (%{{.*}}) = (0) to (24) step (12)
// CHECK: scf.for %{{.*}} = %c0 to %c3072 step %c768
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c3072 step %c1
// CHECK: vector.contract {{.*}} : vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
// CHECK: math.tanh
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.forall
// CHECK: return
#bias = affine_map<(m, p, w) -> (p, w)>
#id3 = affine_map<(m, p, w) -> (m, p, w)>
#x = affine_map<(m, p, w, k) -> (m, k)>
#wt = affine_map<(m, p, w, k) -> (p, k, w)>
#y = affine_map<(m, p, w, k) -> (m, p, w)>
#id2 = affine_map<(m, n) -> (m, n)>
func.func @dynamic_rows_epilogue(%x: tensor<?x3072xf32>, %w: tensor<24x3072x32xf32>, %b: tensor<24x32xf32>) -> tensor<?x768xf32> {
  %c0 = arith.constant 0 : index
  %rows = tensor.dim %x, %c0 : tensor<?x3072xf32>
  %e = tensor.empty(%rows) : tensor<?x24x32xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b : tensor<24x32xf32>) outs(%e : tensor<?x24x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<?x24x32xf32>
  %p = linalg.generic {indexing_maps = [#x, #wt, #y], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<?x3072xf32>, tensor<24x3072x32xf32>) outs(%init : tensor<?x24x32xf32>) {
  ^bb0(%in: f32, %in_w: f32, %out: f32):
    %m = arith.mulf %in, %in_w : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x24x32xf32>
  %c = tensor.collapse_shape %p [[0], [1, 2]] : tensor<?x24x32xf32> into tensor<?x768xf32>
  %n = tensor.dim %c, %c0 : tensor<?x768xf32>
  %e2 = tensor.empty(%n) : tensor<?x768xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%c : tensor<?x768xf32>) outs(%e2 : tensor<?x768xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<?x768xf32>
  return %r : tensor<?x768xf32>
}
