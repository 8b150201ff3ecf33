// RUN: tfm-opt %s -split-input-file --tfm-gpu-tensor-core-matmul | FileCheck %s
// RUN: tfm-opt %s -split-input-file --tfm-gpu-tensor-core-matmul=round-f32-operands | FileCheck %s --check-prefix=ROUND
// RUN: tfm-opt %s -split-input-file --tfm-gpu-tensor-core-matmul=fuse-elementwise=false | FileCheck %s --check-prefix=UNFUSED

// A linear's product: f32 activations, f16 weights, f32 C holding the bias.
// 32 x 96 in 32 x 32 tiles: three blocks of one warp, each warp 2 x 4
// fragments of 16 x 8. K advances 32 per stage in shared memory (rows
// padded to 40). The activations are read 16 bytes at a time and rounded
// to f16; the f16 weights are copied by cp.async; both only when their
// rows are 16-byte aligned, which is checked at run time.
// CHECK-LABEL: func.func @linear
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c3{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c32{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) dynamic_shared_memory_size %c5120_i32
// CHECK: %[[SHARED:.*]] = gpu.dynamic_shared_memory
// CHECK: %[[AS:.*]] = memref.view %[[SHARED]][%{{.*}}][] : {{.*}} to memref<32x40xf16, #gpu.address_space<workgroup>>
// CHECK: %[[BS:.*]] = memref.view %[[SHARED]][%{{.*}}][] : {{.*}} to memref<32x40xf16, #gpu.address_space<workgroup>>
// CHECK: memref.extract_aligned_pointer_as_index %{{.*}} : memref<32x64xf32>
// CHECK: memref.extract_aligned_pointer_as_index %{{.*}} : memref<64x96xf16>
// CHECK: %[[ALIGNED:.*]] = arith.andi
// The lanes' accumulators start from C.
// CHECK: gpu.lane_id
// CHECK: vector.load %{{.*}} : memref<32x96xf32>, vector<2xf32>
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>)
// CHECK: scf.if %[[ALIGNED]] {
// CHECK-COUNT-4: vector.load %{{.*}} {alignment = 16 : i64} : memref<32x64xf32>, vector<8xf32>
// CHECK-NOT: scf.if
// CHECK-COUNT-4: nvgpu.device_async_copy %{{.*}}, %[[BS]][%{{.*}}, %{{.*}}], 8 {bypassL1} : memref<64x96xf16> to memref<32x40xf16, #gpu.address_space<workgroup>>
// CHECK: %[[GROUP:.*]] = nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_wait %[[GROUP]] {numGroups = 0 : i32}
// CHECK: } else {
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// CHECK: vector.store %{{.*}}, %[[AS]][%{{.*}}] {alignment = 16 : i64}
// CHECK: vector.load %{{.*}} : memref<64x96xf16>, vector<8xf16>
// CHECK: {{^ *}}}{{$}}
// CHECK-NEXT: gpu.barrier
// Two steps of 16 along K; each: two A fragments, four B fragments
// (transposed), eight products.
// CHECK-COUNT-2: nvgpu.ldmatrix %[[AS]]{{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-4: nvgpu.ldmatrix %[[BS]]{{.*}} {numTiles = 2 : i32, transpose = true}
// CHECK-COUNT-8: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]}
// CHECK-COUNT-2: nvgpu.ldmatrix %[[AS]]
// CHECK-COUNT-4: nvgpu.ldmatrix %[[BS]]
// CHECK-COUNT-8: nvgpu.mma.sync
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.yield
// CHECK-COUNT-16: vector.store %{{.*}} : memref<32x96xf32>, vector<2xf32>
// CHECK-NOT: linalg.generic
// CHECK-NOT: vector.contract
// CHECK-NOT: vector.transfer_read
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
func.func @linear(%a: memref<32x64xf32>, %b: memref<64x96xf16>, %c: memref<32x96xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<32x64xf32>, memref<64x96xf16>) outs(%c : memref<32x96xf32>) {
  ^bb0(%x: f32, %w: f16, %acc: f32):
    %wf = arith.extf %w : f16 to f32
    %p = arith.mulf %x, %wf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Both operands f16: 128 x 256 in 64 x 64 tiles of four warps (2 x 2, each
// 32 x 32), eight blocks; both tiles by cp.async, two 16-byte chunks per
// thread each.
// CHECK-LABEL: func.func @f16_matmul
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c4{{.*}}, {{.*}} = %c2{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c128{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) dynamic_shared_memory_size %c9728_i32
// CHECK: memref.view {{.*}} to memref<64x40xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<32x72xf16, #gpu.address_space<workgroup>>
// CHECK: scf.if
// CHECK-COUNT-4: nvgpu.device_async_copy
// CHECK: } else {
// CHECK-COUNT-4: vector.load %{{.*}} : memref<{{.*}}xf16>, vector<8xf16>
// CHECK: {{^ *}}}{{$}}
// CHECK-COUNT-16: nvgpu.mma.sync
// CHECK-NOT: nvgpu.mma.sync
// CHECK-NOT: linalg.matmul
func.func @f16_matmul(%a: memref<128x64xf16>, %b: memref<64x256xf16>, %c: memref<128x256xf32>) {
  linalg.matmul ins(%a, %b : memref<128x64xf16>, memref<64x256xf16>) outs(%c : memref<128x256xf32>)
  return
}

// -----

// Rows of B that are not a multiple of 16 bytes apart (stride 100 halves):
// never aligned, so no cp.async and no run-time check for B; A still is.
// CHECK-LABEL: func.func @unaligned_rows
// CHECK: gpu.launch
// CHECK: memref.extract_aligned_pointer_as_index %{{.*}} : memref<16x32xf16>
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK-COUNT-2: nvgpu.device_async_copy %{{.*}} : memref<16x32xf16> to
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: nvgpu.mma.sync
func.func @unaligned_rows(%a: memref<16x32xf16>, %b: memref<32x8xf16, strided<[100, 1]>>, %c: memref<16x8xf32>) {
  linalg.matmul ins(%a, %b : memref<16x32xf16>, memref<32x8xf16, strided<[100, 1]>>) outs(%c : memref<16x8xf32>)
  return
}

// -----

// Left alone: f32 products (fp32 precision), shapes off the mma grid,
// transposed or strided operands, dynamic shapes, other bodies.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: gpu.launch
// CHECK-COUNT-6: linalg.matmul
// CHECK: linalg.generic
// CHECK-NOT: gpu.launch
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
func.func @left_alone(%f32a: memref<32x32xf32>, %f32b: memref<32x32xf32>, %f32c: memref<32x32xf32>,
                      %a24: memref<24x32xf16>, %b: memref<32x32xf16>, %c24: memref<24x32xf32>,
                      %a: memref<32x32xf16>, %bt: memref<32x32xf16, strided<[1, 32]>>, %c: memref<32x32xf32>,
                      %ad: memref<?x32xf16>, %cd: memref<?x32xf32>,
                      %k8: memref<32x8xf16>, %b8: memref<8x32xf16>, %c16: memref<32x32xf16>) {
  linalg.matmul ins(%f32a, %f32b : memref<32x32xf32>, memref<32x32xf32>) outs(%f32c : memref<32x32xf32>)
  linalg.matmul ins(%a24, %b : memref<24x32xf16>, memref<32x32xf16>) outs(%c24 : memref<24x32xf32>)
  linalg.matmul ins(%a, %bt : memref<32x32xf16>, memref<32x32xf16, strided<[1, 32]>>) outs(%c : memref<32x32xf32>)
  linalg.matmul ins(%ad, %b : memref<?x32xf16>, memref<32x32xf16>) outs(%cd : memref<?x32xf32>)
  linalg.matmul ins(%k8, %b8 : memref<32x8xf16>, memref<8x32xf16>) outs(%c : memref<32x32xf32>)
  linalg.matmul ins(%a, %b : memref<32x32xf16>, memref<32x32xf16>) outs(%c16 : memref<32x32xf16>)
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<32x32xf16>, memref<32x32xf16>) outs(%c : memref<32x32xf32>) {
  ^bb0(%x: f16, %w: f16, %acc: f32):
    %xf = arith.extf %x : f16 to f32
    %wf = arith.extf %w : f16 to f32
    %p = arith.mulf %xf, %wf : f32
    %s = arith.subf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Attention's products. Scores Q K^T, with K stored (n, k): B's tile keeps
// K's layout (64 x 40 in shared memory) and is read without transposing
// (mma.sync's B is column-major); probabilities P^T V with P stored (k, m):
// A's tile is read through ldmatrix.trans. Both are f32 here, rounded to
// f16 only with round-f32-operands.
// CHECK-LABEL: func.func @attention_products
// CHECK-NOT: gpu.launch
// ROUND-LABEL: func.func @attention_products
// ROUND: gpu.launch
// ROUND: memref.view {{.*}} to memref<64x40xf16, #gpu.address_space<workgroup>>
// ROUND: memref.view {{.*}} to memref<64x40xf16, #gpu.address_space<workgroup>>
// ROUND: arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// ROUND: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false}
// ROUND: nvgpu.ldmatrix {{.*}} {numTiles = 2 : i32, transpose = false}
// ROUND: nvgpu.mma.sync
// ROUND: gpu.launch
// ROUND: memref.view {{.*}} to memref<32x72xf16, #gpu.address_space<workgroup>>
// ROUND: memref.view {{.*}} to memref<32x72xf16, #gpu.address_space<workgroup>>
// ROUND: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// ROUND: nvgpu.ldmatrix {{.*}} {numTiles = 2 : i32, transpose = true}
// ROUND: nvgpu.mma.sync
// ROUND-NOT: linalg.generic
#q = affine_map<(m, n, k) -> (m, k)>
#kt = affine_map<(m, n, k) -> (n, k)>
#pt = affine_map<(m, n, k) -> (k, m)>
#v = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
func.func @attention_products(%q: memref<128x64xf32, strided<[192, 1], offset: ?>>,
                              %k: memref<128x64xf32, strided<[192, 1], offset: ?>>,
                              %s: memref<128x128xf32>, %p: memref<128x128xf32>,
                              %v: memref<128x64xf32, strided<[192, 1], offset: ?>>,
                              %o: memref<128x64xf32>) {
  linalg.generic {indexing_maps = [#q, #kt, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<128x64xf32, strided<[192, 1], offset: ?>>, memref<128x64xf32, strided<[192, 1], offset: ?>>) outs(%s : memref<128x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %a = arith.addf %acc, %m : f32
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#pt, #v, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %v : memref<128x128xf32>, memref<128x64xf32, strided<[192, 1], offset: ?>>) outs(%o : memref<128x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %a = arith.addf %acc, %m : f32
    linalg.yield %a : f32
  }
  return
}

// -----

// Batch loops: the scores of every head at once, keys in the packed
// [B, S, H, D] layout. One grid z index per (batch, head); each block
// takes its head's matrices as rank-reduced subviews.
// CHECK-LABEL: func.func @batched_scores
// CHECK: gpu.launch
// ROUND-LABEL: func.func @batched_scores
// ROUND: gpu.launch blocks({{.*}}) in ({{.*}} = %c2{{.*}}, {{.*}} = %c2{{.*}}, {{.*}} = %c4{{.*}}) threads({{.*}}) in ({{.*}} = %c128
// ROUND: memref.subview %{{.*}}[0, 0, %{{.*}}, 0] [1, 128, 1, 64] [1, 1, 1, 1] : memref<1x128x4x64xf32> to memref<128x64xf32, strided<[256, 1], offset: ?>>
// ROUND: memref.subview %{{.*}}[0, %{{.*}}, 0, 0] [1, 1, 64, 128] [1, 1, 1, 1] : memref<1x4x64x128xf16> to memref<64x128xf16, strided<[128, 1], offset: ?>>
// ROUND: memref.subview %{{.*}}[0, %{{.*}}, 0, 0] [1, 1, 128, 128] [1, 1, 1, 1] : memref<1x4x128x128xf32> to memref<128x128xf32, strided<[128, 1], offset: ?>>
// ROUND: nvgpu.device_async_copy {{.*}} : memref<64x128xf16, strided<[128, 1], offset: ?>> to
// ROUND: nvgpu.mma.sync
// ROUND-NOT: linalg.generic
#k = affine_map<(b, h, j, i, c) -> (b, j, h, c)>
#qt = affine_map<(b, h, j, i, c) -> (b, h, c, i)>
#s = affine_map<(b, h, j, i, c) -> (b, h, j, i)>
func.func @batched_scores(%k: memref<1x128x4x64xf32>, %qt: memref<1x4x64x128xf16>, %s: memref<1x4x128x128xf32>) {
  linalg.generic {indexing_maps = [#k, #qt, #s], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%k, %qt : memref<1x128x4x64xf32>, memref<1x4x64x128xf16>) outs(%s : memref<1x4x128x128xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %yf = arith.extf %y : f16 to f32
    %m = arith.mulf %x, %yf : f32
    %a = arith.addf %acc, %m : f32
    linalg.yield %a : f32
  }
  return
}

// -----

// A linear with its bias and GELU: the bias broadcast just before the
// product is computed where the lanes would load C, the GELU just after
// it where they store C; neither is a kernel of its own.
// CHECK-LABEL: func.func @bias_and_activation
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK-NOT: vector.load {{.*}} : memref<32x64xf32>, vector<2xf32>
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<64xf32>
// CHECK: nvgpu.mma.sync
// CHECK: vector.store %{{.*}} : memref<32x64xf32>, vector<2xf32>
// CHECK: math.erf
// CHECK: math.erf
// CHECK: vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<32x64xf32>, vector<2xf32>
// CHECK-NOT: linalg.generic
// ROUND-LABEL: func.func @bias_and_activation
// UNFUSED-LABEL: func.func @bias_and_activation
// UNFUSED: linalg.generic
// UNFUSED: gpu.launch
// UNFUSED-NOT: math.erf
// UNFUSED: linalg.generic
// UNFUSED: math.erf
#row = affine_map<(m, n) -> (n)>
#id = affine_map<(m, n) -> (m, n)>
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
func.func @bias_and_activation(%x: memref<32x32xf32>, %w: memref<32x64xf16>, %bias: memref<64xf32>) -> memref<32x64xf32> {
  %c = memref.alloc() : memref<32x64xf32>
  linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<64xf32>) outs(%c : memref<32x64xf32>) {
  ^bb0(%b: f32, %o: f32):
    linalg.yield %b : f32
  }
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<32x32xf32>, memref<32x64xf16>) outs(%c : memref<32x64xf32>) {
  ^bb0(%a: f32, %v: f16, %acc: f32):
    %vf = arith.extf %v : f16 to f32
    %p = arith.mulf %a, %vf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %y = memref.alloc() : memref<32x64xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<32x64xf32>) outs(%y : memref<32x64xf32>) {
  ^bb0(%in: f32, %o: f32):
    %e = math.erf %in : f32
    linalg.yield %e : f32
  }
  return %y : memref<32x64xf32>
}

// -----

// An epilogue writing into A's buffer (free once the product is done, but
// other blocks still read it while this one would write) stays a pass of
// its own.
// CHECK-LABEL: func.func @epilogue_into_lhs
// CHECK: gpu.launch
// CHECK: linalg.generic
// CHECK: math.erf
#id = affine_map<(m, n) -> (m, n)>
func.func @epilogue_into_lhs(%x: memref<32x32xf32>, %w: memref<32x32xf16>, %c: memref<32x32xf32>) {
  linalg.matmul ins(%x, %w : memref<32x32xf32>, memref<32x32xf16>) outs(%c : memref<32x32xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<32x32xf32>) outs(%x : memref<32x32xf32>) {
  ^bb0(%in: f32, %o: f32):
    %e = math.erf %in : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// The f16 precision rounds a linear's input to f16 and back in a pass of
// its own; the kernel rounds f32 operands as it stages them, so it reads
// the unrounded input and the pass goes.
// CHECK-LABEL: func.func @rounded_input
// CHECK-SAME: (%[[X:.*]]: memref<1x32x32xf32>
// CHECK-NOT: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[A:.*]] = memref.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : memref<1x32x32xf32> into memref<32x32xf32>
// CHECK: gpu.launch
// CHECK: vector.load %[[A]]
// CHECK: arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// CHECK-NOT: linalg.generic
#id3 = affine_map<(b, m, k) -> (b, m, k)>
func.func @rounded_input(%x: memref<1x32x32xf32>, %w: memref<32x32xf16>, %c: memref<32x32xf32>) {
  %r = memref.alloc() : memref<1x32x32xf32>
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<1x32x32xf32>) outs(%r : memref<1x32x32xf32>) {
  ^bb0(%in: f32, %o: f32):
    %t = arith.truncf %in : f32 to f16
    %e = arith.extf %t : f16 to f32
    linalg.yield %e : f32
  }
  %a = memref.collapse_shape %r [[0, 1], [2]] : memref<1x32x32xf32> into memref<32x32xf32>
  linalg.matmul ins(%a, %w : memref<32x32xf32>, memref<32x32xf16>) outs(%c : memref<32x32xf32>)
  return
}

// -----

// Two products in a row. The generic between them reads the first's C and
// writes the second's: it is fused once, as the first's epilogue. The
// rounding of the second's input would have been the first's epilogue too;
// it goes, the second product reading the first's output directly.
// CHECK-LABEL: func.func @chained
// CHECK-SAME: (%[[X:[^:]*]]: memref<32x32xf32>
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: math.erf
// CHECK: gpu.launch
// CHECK-NOT: math.erf
// CHECK: gpu.launch
// CHECK-NOT: linalg.generic
#id = affine_map<(m, n) -> (m, n)>
func.func @chained(%x: memref<32x32xf32>, %w: memref<32x32xf16>, %c1: memref<32x32xf32>, %c2: memref<32x32xf32>, %c3: memref<32x32xf32>) {
  linalg.matmul ins(%x, %w : memref<32x32xf32>, memref<32x32xf16>) outs(%c1 : memref<32x32xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c1 : memref<32x32xf32>) outs(%c2 : memref<32x32xf32>) {
  ^bb0(%in: f32, %o: f32):
    %e = math.erf %in : f32
    linalg.yield %e : f32
  }
  linalg.matmul ins(%x, %w : memref<32x32xf32>, memref<32x32xf16>) outs(%c2 : memref<32x32xf32>)
  %r = memref.alloc() : memref<32x32xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c2 : memref<32x32xf32>) outs(%r : memref<32x32xf32>) {
  ^bb0(%in: f32, %o: f32):
    %t = arith.truncf %in : f32 to f16
    %e = arith.extf %t : f16 to f32
    linalg.yield %e : f32
  }
  linalg.matmul ins(%r, %w : memref<32x32xf32>, memref<32x32xf16>) outs(%c3 : memref<32x32xf32>)
  return
}
