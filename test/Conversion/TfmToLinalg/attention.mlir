// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s
// RUN: tfm-opt %s --convert-tfm-to-linalg="attention-query-block=32 attention-key-tile=64" --split-input-file | FileCheck %s --check-prefix=TILES
// RUN: not tfm-opt %s --convert-tfm-to-linalg="attention-key-tile=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADTILE
// RUN: tfm-opt %s --convert-tfm-to-linalg="attention-batched" --split-input-file | FileCheck %s --check-prefix=BATCHED

// Attention is a forall over (batch, query head, query block of 64) with
// an online-softmax loop over key tiles of 128: no 128x256 score matrix.
// The query block is transposed and scaled once; scores are kept
// transposed, sT = k qT (a plain matmul per key tile, accumulated onto the
// mask with causal positions at -inf), so that the softmax reduces over
// keys along dim 0, and p v reads p transposed.
// Query head h reads KV head h / 2; with `causal` the key loop stops at the
// first tile boundary past the block's diagonal (aligned bottom-right:
// offset Skv - Sq = 128).
// CHECK-DAG: #[[TRANSPOSE:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[PT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @attention_causal_gqa
// CHECK: scf.forall (%[[B:.*]], %[[H:.*]], %[[QB:.*]]) in (1, 4, 2) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<1x4x128x16xf32>)
// CHECK: %[[Q0:.*]] = arith.muli %[[QB]], %{{.*}} : index
// CHECK: %[[KVH:.*]] = arith.divui %[[H]], %{{.*}} : index
// CHECK: %[[QTILE:.*]] = tensor.extract_slice %{{.*}}[%[[B]], %[[H]], %[[Q0]], 0] [1, 1, 64, 16] [1, 1, 1, 1] : tensor<1x4x128x16xf32> to tensor<64x16xf32>
// CHECK: %[[QT:.*]] = linalg.generic {indexing_maps = [#[[TRANSPOSE]], #{{.*}}], {{.*}} ins(%[[QTILE]] : tensor<64x16xf32>) outs(%{{.*}} : tensor<16x64xf32>)
// CHECK: arith.constant 2.500000e-01 : f32
// CHECK: %[[REACH:.*]] = arith.addi %[[Q0]], %{{.*}} : index
// CHECK: %[[END:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[J:.*]] = %{{.*}} to %[[END]] step %{{.*}} iter_args(%[[M:.*]] = %{{.*}}, %[[L:.*]] = %{{.*}}, %[[ACC:.*]] = %{{.*}}) -> (tensor<64xf32>, tensor<64xf32>, tensor<64x16xf32>)
// CHECK: %[[KT:.*]] = tensor.extract_slice %{{.*}}[%[[B]], %[[KVH]], %[[J]], 0] [1, 1, 128, 16]
// CHECK: %[[VT:.*]] = tensor.extract_slice %{{.*}}[%[[B]], %[[KVH]], %[[J]], 0] [1, 1, 128, 16]
// CHECK-NOT: linalg.transpose
// CHECK: %[[MASK:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, %[[J]]] [1, 1, 1, 128]
// CHECK: %[[SINIT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<128xf32>) outs(%{{.*}} : tensor<128x64xf32>)
// CHECK: arith.cmpi sgt
// CHECK: arith.select
// CHECK: %[[S:.*]] = linalg.matmul ins(%[[KT]], %[[QT]] : tensor<128x16xf32>, tensor<16x64xf32>) outs(%[[SINIT]] : tensor<128x64xf32>)
// CHECK: %[[MNEW:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[S]] : tensor<128x64xf32>) outs(%[[M]] : tensor<64xf32>)
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: math.exp
// CHECK: %[[LNEW:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK: %[[ACCNEW:.*]] = linalg.generic {indexing_maps = [#[[PT]], {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[VT]] : tensor<128x64xf32>, tensor<128x16xf32>)
// CHECK: scf.yield %[[MNEW]], %[[LNEW]], %[[ACCNEW]]
// CHECK: %[[TILE:.*]] = linalg.generic {{.*}} ins(%[[LOOP]]#2, %{{.*}} : tensor<64x16xf32>, tensor<64xf32>)
// CHECK: arith.divf
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %[[TILE]] into %[[OUT]][%[[B]], %[[H]], %[[Q0]], 0] [1, 1, 64, 16]
// The tiles are the target's choice: 32-query blocks (four per head) and
// 64-key tiles.
// TILES-LABEL: func.func @attention_causal_gqa
// TILES: scf.forall ({{.*}}) in (1, 4, 4)
// TILES: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x16xf32>, tensor<16x32xf32>) outs(%{{.*}} : tensor<64x32xf32>)
// BADTILE: error: convert-tfm-to-linalg: attention-query-block and attention-key-tile must be positive, got 64 and 0
// The batched form (the GPU's): whole-tensor ops over [B, H], no loops.
// Scores sT[b, h, j, i] start from the mask broadcast from its unit
// dimensions, causal positions at -inf; the keys and values of a query
// head are those of head h floordiv 2.
// BATCHED-DAG: #[[QT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
// BATCHED-DAG: #[[MASK:.*]] = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d2)>
// BATCHED-DAG: #[[KEYS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d2, d4)>
// BATCHED-DAG: #[[VALUES:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d4, d3)>
// BATCHED-LABEL: func.func @attention_causal_gqa
// BATCHED-SAME: (%[[Q:.*]]: tensor<1x4x128x16xf32>, %[[K:.*]]: tensor<1x2x256x16xf32>, %[[V:.*]]: tensor<1x2x256x16xf32>, %[[M:.*]]: tensor<1x1x1x256xf32>)
// BATCHED-NOT: scf.for
// BATCHED: %[[QS:.*]] = linalg.generic {indexing_maps = [#[[QT]], {{.*}}]{{.*}} ins(%[[Q]] : tensor<1x4x128x16xf32>) outs(%{{.*}} : tensor<1x4x16x128xf32>)
// BATCHED: arith.constant 2.500000e-01
// BATCHED: %[[S0:.*]] = linalg.generic {indexing_maps = [#[[MASK]], {{.*}}]{{.*}} ins(%[[M]] : tensor<1x1x1x256xf32>) outs(%{{.*}} : tensor<1x4x256x128xf32>)
// BATCHED: arith.cmpi sgt
// BATCHED: %[[S:.*]] = linalg.generic {indexing_maps = [#[[KEYS]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[K]], %[[QS]] : {{.*}}) outs(%[[S0]] : tensor<1x4x256x128xf32>)
// BATCHED: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[S]] : tensor<1x4x256x128xf32>) outs(%{{.*}} : tensor<1x4x128xf32>)
// BATCHED: arith.maximumf
// BATCHED: %[[P:.*]] = linalg.generic {{.*}} ins(%[[S]], %[[MAX]] : tensor<1x4x256x128xf32>, tensor<1x4x128xf32>)
// BATCHED: math.exp
// BATCHED: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]] : tensor<1x4x256x128xf32>) outs(%{{.*}} : tensor<1x4x128xf32>)
// BATCHED: %[[ACC:.*]] = linalg.generic {indexing_maps = [{{.*}}, #[[VALUES]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[P]], %[[V]] : {{.*}}) outs(%{{.*}} : tensor<1x4x128x16xf32>)
// BATCHED: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %[[SUM]] : tensor<1x4x128x16xf32>, tensor<1x4x128xf32>)
// BATCHED: arith.divf
// BATCHED: return %[[OUT]]
func.func @attention_causal_gqa(%q: tensor<1x4x128x16xf32>, %k: tensor<1x2x256x16xf32>, %v: tensor<1x2x256x16xf32>, %m: tensor<1x1x1x256xf32>) -> tensor<1x4x128x16xf32> {
  %0 = tfm.attention %q, %k, %v mask(%m) heads = 4 kv_heads = 2 causal
      : (tensor<1x4x128x16xf32>, tensor<1x2x256x16xf32>, tensor<1x2x256x16xf32>, tensor<1x1x1x256xf32>) -> tensor<1x4x128x16xf32>
  return %0 : tensor<1x4x128x16xf32>
}

// -----

// Packed heads [B, S, H*D] are viewed as [B, S, H, D]; a small key length
// is one tile.
// CHECK-LABEL: func.func @attention_packed
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 10, 3, 4] : tensor<2x10x12xf32> into tensor<2x10x3x4xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (2, 3, 1)
// CHECK: tensor.extract_slice %{{.*}} [1, 10, 1, 4] [1, 1, 1, 1] : tensor<2x10x3x4xf32> to tensor<10x4xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}}
// CHECK-NOT: arith.cmpi sgt
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<2x10x3x4xf32> into tensor<2x10x12xf32>
// Batched, the packed operands are read in place through their maps, and
// the result is written packed.
// BATCHED-DAG: #[[PACKED:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d4)>
// BATCHED-LABEL: func.func @attention_packed
// BATCHED-NOT: scf.forall
// BATCHED: linalg.generic {indexing_maps = [#[[PACKED]], {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x10x3x4xf32>, tensor<2x3x4x10xf32>) outs(%{{.*}} : tensor<2x3x10x10xf32>)
// BATCHED-NOT: arith.cmpi sgt
// BATCHED: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x10x3x4xf32>)
// BATCHED: tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<2x10x3x4xf32> into tensor<2x10x12xf32>
func.func @attention_packed(%q: tensor<2x10x12xf32>, %k: tensor<2x10x12xf32>, %v: tensor<2x10x12xf32>) -> tensor<2x10x12xf32> {
  %0 = tfm.attention %q, %k, %v heads = 3 kv_heads = 3 scale = 5.000000e-01
      : (tensor<2x10x12xf32>, tensor<2x10x12xf32>, tensor<2x10x12xf32>) -> tensor<2x10x12xf32>
  return %0 : tensor<2x10x12xf32>
}

// -----

// One query per block (decode over a cache): the scores are a row [1, keys]
// (the query row times the key tile transposed), so that the softmax's
// reductions run along the row and the values' product is a plain one.
// CHECK-LABEL: func.func @attention_decode_past
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 2, 1)
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %{{.*}} step %c64
// CHECK: %[[KT:.*]] = linalg.transpose ins(%{{.*}} : tensor<64x16xf32>) outs(%{{.*}} : tensor<16x64xf32>) permutation = [1, 0]
// CHECK: %[[S:.*]] = linalg.matmul ins(%{{.*}}, %[[KT]] : tensor<1x16xf32>, tensor<16x64xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[S]] : tensor<1x64xf32>) outs(%{{.*}} : tensor<1xf32>)
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[S]], %{{.*}} : tensor<1x64xf32>, tensor<1xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// CHECK: math.exp
// CHECK: linalg.matmul ins(%[[P]], %{{.*}} : tensor<1x64xf32>, tensor<64x16xf32>) outs(%{{.*}} : tensor<1x16xf32>)
func.func @attention_decode_past(%q: tensor<1x2x1x16xf32>, %k: tensor<1x2x1x16xf32>, %v: tensor<1x2x1x16xf32>, %pk: tensor<1x2x64x16xf32>, %pv: tensor<1x2x64x16xf32>, %m: tensor<1x1x1x65xf32>) -> tensor<1x2x1x16xf32> {
  %0 = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x1x1x65xf32>) -> tensor<1x2x1x16xf32>
  return %0 : tensor<1x2x1x16xf32>
}

// -----

// A cache of 27 rows, which no power of two divides: a tile of 16, one of
// 8, then single rows, each tier from where the last one ended up to the
// tile holding the last row the mask shows (all 27 when some row has seen
// no visible key).
// CHECK-LABEL: func.func @attention_decode_uneven_cache
// CHECK: %[[END:.*]] = arith.select %{{.*}}, %{{.*}}, %c27{{.*}} : index
// CHECK: %[[T16:.*]] = arith.ceildivui %[[END]], %c16
// CHECK: %[[R16:.*]] = arith.muli %[[T16]], %c16
// CHECK: %[[E16:.*]] = arith.minui %[[R16]], %c16
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %[[E16]] step %c16
// CHECK: tensor.extract_slice %arg3[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, 16, 16]
// CHECK: %[[T8:.*]] = arith.ceildivui %[[END]], %c8
// CHECK: %[[R8:.*]] = arith.muli %[[T8]], %c8
// CHECK: %[[E8:.*]] = arith.minui %[[R8]], %c24
// CHECK: scf.for %{{.*}} = %c16{{.*}} to %[[E8]] step %c8
// CHECK: tensor.extract_slice %arg3[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, 8, 16]
// CHECK: %[[E1:.*]] = arith.minui %[[END]], %c27
// CHECK: scf.for %{{.*}} = %c24{{.*}} to %[[E1]] step %c1
// CHECK: tensor.extract_slice %arg3[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, 1, 16]
func.func @attention_decode_uneven_cache(%q: tensor<1x2x1x16xf32>, %k: tensor<1x2x1x16xf32>, %v: tensor<1x2x1x16xf32>, %pk: tensor<1x2x27x16xf32>, %pv: tensor<1x2x27x16xf32>, %m: tensor<1x1x1x28xf32>) -> tensor<1x2x1x16xf32> {
  %0 = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x27x16xf32>, tensor<1x2x27x16xf32>, tensor<1x1x1x28xf32>) -> tensor<1x2x1x16xf32>
  return %0 : tensor<1x2x1x16xf32>
}

// -----

// A cache stored in f16 for f32 keys: each cache tile is extended as it
// is read (the new keys' are not), the key tile by its transpose, the
// value tile by the product; the batched form extends the whole cache
// before its concatenation with the new keys.
// CHECK-LABEL: func.func @attention_decode_f16_cache
// CHECK: %[[KT:.*]] = tensor.extract_slice %arg3{{.*}} : tensor<1x2x16x16xf16> to tensor<16x16xf16>
// CHECK: %[[VT:.*]] = tensor.extract_slice %arg4{{.*}} : tensor<1x2x16x16xf16> to tensor<16x16xf16>
// CHECK: %[[KTT:.*]] = linalg.generic {{.*}} ins(%[[KT]] : tensor<16x16xf16>) outs(%{{.*}} : tensor<16x16xf32>)
// CHECK-NEXT: ^bb0(%{{.*}}: f16, %{{.*}}: f32):
// CHECK-NEXT: arith.extf
// CHECK: linalg.matmul ins(%{{.*}}, %[[KTT]] : tensor<1x16xf32>, tensor<16x16xf32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[VT]] : tensor<1x16xf32>, tensor<16x16xf16>) outs(%{{.*}} : tensor<1x16xf32>)
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f16, %{{.*}}: f32):
// CHECK-NEXT: arith.extf
// BATCHED-LABEL: func.func @attention_decode_f16_cache
// BATCHED: linalg.generic {{.*}} ins(%arg3 : tensor<1x2x16x16xf16>) outs(%{{.*}} : tensor<1x2x16x16xf32>)
// BATCHED: linalg.generic {{.*}} ins(%arg4 : tensor<1x2x16x16xf16>) outs(%{{.*}} : tensor<1x2x16x16xf32>)
func.func @attention_decode_f16_cache(%q: tensor<1x2x1x16xf32>, %k: tensor<1x2x1x16xf32>, %v: tensor<1x2x1x16xf32>, %pk: tensor<1x2x16x16xf16>, %pv: tensor<1x2x16x16xf16>) -> tensor<1x2x1x16xf32> {
  %0 = tfm.attention %q, %k, %v past(%pk, %pv) heads = 2 kv_heads = 2 : (tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x16x16xf16>, tensor<1x2x16x16xf16>) -> tensor<1x2x1x16xf32>
  return %0 : tensor<1x2x1x16xf32>
}

// -----

// Grouped queries with one query per head: a block holds the query heads
// of one key/value head (two here), one row each, so that the group reads
// its key and value tiles once; a mask that varies along heads is sliced
// at the block's heads.
// CHECK-LABEL: func.func @attention_decode_gqa
// CHECK: scf.forall (%[[B:.*]], %[[G:.*]], %{{.*}}) in (1, 2, 1)
// CHECK: %[[H:.*]] = arith.muli %[[G]], %c2
// CHECK: %[[KVH:.*]] = arith.divui %[[H]], %{{.*}} : index
// CHECK: tensor.extract_slice %arg0[%[[B]], %[[H]], %{{.*}}, 0] [1, 2, 1, 16] [1, 1, 1, 1] : tensor<1x4x1x16xf32> to tensor<2x16xf32>
// CHECK: scf.for %{{.*}} step %c64
// CHECK: tensor.extract_slice %arg3[%[[B]], %[[KVH]], %{{.*}}, 0] [1, 1, 64, 16]
// CHECK: tensor.extract_slice %arg5[0, %[[H]], 0, %{{.*}}] [1, 2, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x65xf32> to tensor<2x64xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x16xf32>, tensor<16x64xf32>) outs(%{{.*}} : tensor<2x64xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x64xf32>, tensor<64x16xf32>) outs(%{{.*}} : tensor<2x16xf32>)
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[B]], %[[H]], %{{.*}}, 0] [1, 2, 1, 16] [1, 1, 1, 1] : tensor<2x16xf32> into tensor<1x4x1x16xf32>
func.func @attention_decode_gqa(%q: tensor<1x4x1x16xf32>, %k: tensor<1x2x1x16xf32>, %v: tensor<1x2x1x16xf32>, %pk: tensor<1x2x64x16xf32>, %pv: tensor<1x2x64x16xf32>, %m: tensor<1x4x1x65xf32>) -> tensor<1x4x1x16xf32> {
  %0 = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 4 kv_heads = 2 : (tensor<1x4x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x4x1x65xf32>) -> tensor<1x4x1x16xf32>
  return %0 : tensor<1x4x1x16xf32>
}

// -----

// rope (half split): x[:R/2] and x[R/2:R] rotate into two halves written
// back in place of the input; the last D - R elements pass through.
// CHECK-LABEL: func.func @rope_partial
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x8x16xf32>, %[[C:.*]]: tensor<8x4xf32>, %[[S:.*]]: tensor<8x4xf32>)
// CHECK: %[[X1:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 2, 8, 4] [1, 1, 1, 1]
// CHECK: %[[X2:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 4] [1, 2, 8, 4] [1, 1, 1, 1]
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} ins(%[[X1]], %[[X2]], %[[C]], %[[S]] : {{.*}}) outs(%{{.*}}, %{{.*}} : tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>)
// CHECK: %[[A:.*]] = tensor.insert_slice %[[R]]#0 into %[[X]][0, 0, 0, 0] [1, 2, 8, 4] [1, 1, 1, 1]
// CHECK: tensor.insert_slice %[[R]]#1 into %[[A]][0, 0, 0, 4] [1, 2, 8, 4] [1, 1, 1, 1]
func.func @rope_partial(%x: tensor<1x2x8x16xf32>, %c: tensor<8x4xf32>, %s: tensor<8x4xf32>) -> tensor<1x2x8x16xf32> {
  %0 = tfm.rope %x, %c, %s : (tensor<1x2x8x16xf32>, tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

// Interleaved rope on packed heads: even and odd elements, stride 2.
// CHECK-LABEL: func.func @rope_interleaved
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 8, 2, 8]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 8, 2, 4] [1, 1, 1, 2]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 1] [1, 8, 2, 4] [1, 1, 1, 2]
// CHECK: tensor.empty() : tensor<1x8x2x8xf32>
// CHECK: tensor.insert_slice %{{.*}}[0, 0, 0, 0] [1, 8, 2, 4] [1, 1, 1, 2]
// CHECK: tensor.insert_slice %{{.*}}[0, 0, 0, 1] [1, 8, 2, 4] [1, 1, 1, 2]
func.func @rope_interleaved(%x: tensor<1x8x16xf32>, %c: tensor<1x8x4xf32>, %s: tensor<1x8x4xf32>) -> tensor<1x8x16xf32> {
  %0 = tfm.rope %x, %c, %s heads = 2 interleaved : (tensor<1x8x16xf32>, tensor<1x8x4xf32>, tensor<1x8x4xf32>) -> tensor<1x8x16xf32>
  return %0 : tensor<1x8x16xf32>
}
