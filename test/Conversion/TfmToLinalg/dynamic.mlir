// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s

// Dynamic dimensions: each result's sizes are read from an operand with
// tensor.dim (elementwise ops: the first operand whose aligned dimension is
// dynamic), and a static 1 broadcasts as before.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x64xf32>, %[[B:.*]]: tensor<64xf32>
// CHECK: %[[S:.*]] = tensor.dim %[[X]], %c1 : tensor<1x?x64xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[S]]) : tensor<1x?x64xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[B]] : tensor<1x?x64xf32>, tensor<64xf32>) outs(%[[E]] : tensor<1x?x64xf32>)
// CHECK: arith.addf
// CHECK: tensor.empty(%{{.*}}) : tensor<1x?x64xf32>
// CHECK: math.erf
func.func @elementwise(%x: tensor<1x?x64xf32>, %b: tensor<64xf32>) -> tensor<1x?x64xf32> {
  %0 = tfm.add %x, %b : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %1 = tfm.gelu %0 : tensor<1x?x64xf32>
  return %1 : tensor<1x?x64xf32>
}

// -----

// A row of ones broadcasting against dynamic rows.
// CHECK-LABEL: func.func @broadcast_rows
// CHECK-SAME: (%[[X:.*]]: tensor<1x64xf32>, %[[Y:.*]]: tensor<?x64xf32>)
// CHECK: %[[S:.*]] = tensor.dim %[[Y]], %c0
// CHECK: tensor.empty(%[[S]]) : tensor<?x64xf32>
func.func @broadcast_rows(%x: tensor<1x64xf32>, %y: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = tfm.mul %x, %y : (tensor<1x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// swiglu's halves are slices as long as the input's dynamic rows.
// CHECK-LABEL: func.func @swiglu
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x64xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [%[[S]], 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 32] [%[[S]], 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
func.func @swiglu(%x: tensor<?x64xf32>) -> tensor<?x32xf32> {
  %0 = tfm.swiglu %x : tensor<?x64xf32> -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

// A norm's statistics have the input's dynamic leading dimensions; its
// count (1/64) stays static.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c1 : tensor<1x?x64xf32>
// CHECK: tensor.empty(%[[S]]) : tensor<1x?xf32>
// CHECK: arith.constant 1.562500e-02
// CHECK: tensor.empty(%{{.*}}) : tensor<1x?x64xf32>
func.func @layer_norm(%x: tensor<1x?x64xf32>, %g: tensor<64xf32>) -> tensor<1x?x64xf32> {
  %0 = tfm.layer_norm %x scale(%g) axes = [2] epsilon = 1.0e-5 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  return %0 : tensor<1x?x64xf32>
}

// -----

// CHECK-LABEL: func.func @rms_norm_residual
// CHECK: tensor.empty(%{{.*}}) : tensor<?x64xf32>
// CHECK: tensor.empty(%{{.*}}) : tensor<?xf32>
// CHECK: tensor.empty(%{{.*}}) : tensor<?x64xf32>
func.func @rms_norm_residual(%x: tensor<?x64xf32>, %r: tensor<?x64xf32>, %g: tensor<64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %0, %1 = tfm.rms_norm %x residual(%r) scale(%g) axes = [1] epsilon = 1.0e-6 : (tensor<?x64xf32>, tensor<?x64xf32>, tensor<64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>)
  return %0, %1 : tensor<?x64xf32>, tensor<?x64xf32>
}

// -----

// Softmax along a dynamic axis: its statistics are static rows; a
// reduction keeps its dynamic dimensions, a mean divides by the static
// count of its reduced axis.
// CHECK-LABEL: func.func @reductions
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x?xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: tensor.empty(%{{.*}}) : tensor<2x?xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK: tensor.empty(%{{.*}}) : tensor<?xf32>
// CHECK: arith.constant 2.000000e+00
func.func @reductions(%x: tensor<2x?xf32>) -> (tensor<2x?xf32>, tensor<2x1xf32>, tensor<?xf32>) {
  %0 = tfm.softmax %x axis = 1 : tensor<2x?xf32>
  %1 = tfm.reduce_max %x axes = [1] keepdims : (tensor<2x?xf32>) -> tensor<2x1xf32>
  %2 = tfm.reduce_mean %x axes = [0] : (tensor<2x?xf32>) -> tensor<?xf32>
  return %0, %1, %2 : tensor<2x?xf32>, tensor<2x1xf32>, tensor<?xf32>
}

// -----

// A float linear with dynamic rows: the input collapses to [?, K], the
// bias broadcast, product and epilogue are [?, N], and the result expands
// back with the row count as its output shape.
// CHECK-LABEL: func.func @linear
// CHECK: %[[X2:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
// CHECK: %[[M:.*]] = tensor.dim %[[X2]], %c0
// CHECK: %[[INIT:.*]] = tensor.empty(%[[M]]) : tensor<?x32xf32>
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} outs(%[[INIT]] : tensor<?x32xf32>)
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[X2]], %{{.*}} : tensor<?x64xf32>, tensor<64x32xf32>) outs(%[[BIAS]] : tensor<?x32xf32>)
// CHECK: math.erf
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, %{{.*}}, 32] : tensor<?x32xf32> into tensor<1x?x32xf32>
func.func @linear(%x: tensor<1x?x64xf32>) -> tensor<1x?x32xf32> {
  %w = tfm.constant dense<0.5> : tensor<32x64xf32>
  %b = tfm.constant dense<0.1> : tensor<32xf32>
  %0 = tfm.linear %x, %w, %b activation = gelu : (tensor<1x?x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<1x?x32xf32>
  return %0 : tensor<1x?x32xf32>
}

// -----

// In the panel layout (-O3's packed weights) the padding columns of the
// last panel are sliced off the dynamic rows.
// CHECK-LABEL: func.func @linear_panels
// CHECK: tensor.dim %{{.*}}, %c0 : tensor<?x8xf32>
// CHECK: tensor.empty(%{{.*}}) : tensor<?x2x16xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [%{{.*}}, 20] [1, 1] : tensor<?x32xf32> to tensor<?x20xf32>
func.func @linear_panels(%x: tensor<?x8xf32>, %w: tensor<2x8x16xf32>) -> tensor<?x20xf32> {
  %0 = tfm.linear %x, %w {out_features = 20 : i64} : (tensor<?x8xf32>, tensor<2x8x16xf32>) -> tensor<?x20xf32>
  return %0 : tensor<?x20xf32>
}

// -----

// A transpose's sizes are its input's, permuted.
// CHECK-LABEL: func.func @transpose
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c1 : tensor<1x?x4x16xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[S]]) : tensor<1x4x?x16xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x?x4x16xf32>) outs(%[[E]] : tensor<1x4x?x16xf32>) permutation = [0, 2, 1, 3]
func.func @transpose(%x: tensor<1x?x4x16xf32>) -> tensor<1x4x?x16xf32> {
  %0 = tfm.transpose %x perm = [0, 2, 1, 3] : tensor<1x?x4x16xf32> -> tensor<1x4x?x16xf32>
  return %0 : tensor<1x4x?x16xf32>
}

// -----

// Reshapes to heads and back are an expand and a collapse.
// CHECK-LABEL: func.func @reshape
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [1, %{{.*}}, 4, 16] : tensor<1x?x64xf32> into tensor<1x?x4x16xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x?x4x16xf32> into tensor<?x64xf32>
func.func @reshape(%x: tensor<1x?x64xf32>, %y: tensor<1x?x4x16xf32>) -> (tensor<1x?x4x16xf32>, tensor<?x64xf32>) {
  %0 = tfm.reshape %x : tensor<1x?x64xf32> -> tensor<1x?x4x16xf32>
  %1 = tfm.reshape %y : tensor<1x?x4x16xf32> -> tensor<?x64xf32>
  return %0, %1 : tensor<1x?x4x16xf32>, tensor<?x64xf32>
}

// -----

// A concat along a dynamic axis inserts each input at the sum of the sizes
// before it.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<1x?x64xf32>, %[[B:.*]]: tensor<1x?x64xf32>)
// CHECK: %[[SA:.*]] = tensor.dim %[[A]], %c1
// CHECK: %[[SB:.*]] = tensor.dim %[[B]], %c1
// CHECK: %[[T:.*]] = arith.addi %[[SA]], %[[SB]] : index
// CHECK: %[[E:.*]] = tensor.empty(%[[T]]) : tensor<1x?x64xf32>
// CHECK: %[[R:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0, 0] [1, %[[SA]], 64] [1, 1, 1]
// CHECK: tensor.insert_slice %[[B]] into %[[R]][0, %[[SA]], 0] [1, %[[SB]], 64] [1, 1, 1]
func.func @concat(%a: tensor<1x?x64xf32>, %b: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %0 = tfm.concat %a, %b axis = 1 : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %0 : tensor<1x?x64xf32>
}

// -----

// Split and select along a static axis keep the dynamic one whole.
// CHECK-LABEL: func.func @split_select
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x96xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [%[[S]], 64] [1, 1] : tensor<?x96xf32> to tensor<?x64xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 64] [%[[S]], 32] [1, 1] : tensor<?x96xf32> to tensor<?x32xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 5] [%{{.*}}, 1] [1, 1] : tensor<?x32xf32> to tensor<?xf32>
func.func @split_select(%x: tensor<?x96xf32>) -> (tensor<?x64xf32>, tensor<?xf32>) {
  %0:2 = tfm.split %x axis = 1 : tensor<?x96xf32> -> tensor<?x64xf32>, tensor<?x32xf32>
  %1 = tfm.select %0#1 axis = 1 index = 5 : tensor<?x32xf32> -> tensor<?xf32>
  return %0#0, %1 : tensor<?x64xf32>, tensor<?xf32>
}

// -----

// An embedding lookup of a run-time number of ids: rows as many as ids.
// CHECK-LABEL: func.func @gather
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c1 : tensor<1x?xi64>
// CHECK: tensor.empty(%[[S]]) : tensor<1x?x64xf32>
// CHECK: tensor.extract
func.func @gather(%t: tensor<50x64xf32>, %ids: tensor<1x?xi64>) -> tensor<1x?x64xf32> {
  %0 = tfm.gather %t, %ids axis = 0 : (tensor<50x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
  return %0 : tensor<1x?x64xf32>
}

// -----

// An expand keeps the input's dynamic dimension and broadcasts static ones.
// CHECK-LABEL: func.func @expand
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c1 : tensor<1x?x1xf32>
// CHECK: tensor.empty(%[[S]]) : tensor<1x?x16xf32>
func.func @expand(%x: tensor<1x?x1xf32>) -> tensor<1x?x16xf32> {
  %0 = tfm.expand %x : tensor<1x?x1xf32> -> tensor<1x?x16xf32>
  return %0 : tensor<1x?x16xf32>
}

// -----

// Attention over a run-time number of queries and keys (its tiled form;
// options as in the numerics test): blocks of 4 queries up to the last
// multiple of 4, then blocks of 2 over what they leave (each tier only when
// it has blocks), then one-query blocks, each with the new keys in whole
// tiles of 8 up to the causal end's last multiple of 8, then one key at a
// time. Every tile is static.
// RUN: tfm-opt %s --convert-tfm-to-linalg="attention-query-block=4 attention-key-tile=8" --split-input-file | FileCheck %s --check-prefix=TILES
// TILES-LABEL: func.func @attention_dynamic
// TILES: %[[S:.*]] = tensor.dim %arg0, %c2 : tensor<1x2x?x16xf32>
// TILES: %[[OUT:.*]] = tensor.empty(%[[S]]) : tensor<1x2x?x16xf32>
// TILES: %[[BLOCKS:.*]] = arith.divui %[[S]], %c4
// TILES: %[[ANY:.*]] = arith.cmpi ugt, %[[BLOCKS]], %c0
// TILES: %[[WHOLE:.*]] = scf.if %[[ANY]] -> (tensor<1x2x?x16xf32>) {
// TILES: scf.forall ({{.*}}) in (1, 2, %[[BLOCKS]]) shared_outs(%{{.*}} = %[[OUT]])
// TILES: tensor.extract_slice %arg0{{.*}} [1, 1, 4, 16] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<4x16xf32>
// TILES: %[[TILED:.*]]:3 = scf.for %{{.*}} = %{{.*}} to %[[END:.*]] step %c8
// TILES: tensor.extract_slice %arg1{{.*}} [1, 1, 8, 16] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<8x16xf32>
// TILES: scf.for %{{.*}} = %[[END]] to %{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %[[TILED]]#0, %{{.*}} = %[[TILED]]#1, %{{.*}} = %[[TILED]]#2)
// TILES: tensor.extract_slice %arg1{{.*}} [1, 1, 1, 16] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<1x16xf32>
// TILES: tensor.parallel_insert_slice {{.*}} [1, 1, 4, 16] [1, 1, 1, 1] : tensor<4x16xf32> into tensor<1x2x?x16xf32>
// TILES: } else {
// TILES-NEXT: scf.yield %[[OUT]]
// TILES: %[[COVERED:.*]] = arith.muli %[[BLOCKS]], %c4
// TILES: %[[LEFT:.*]] = arith.subi %[[S]], %[[COVERED]]
// TILES: %[[PAIRS:.*]] = arith.divui %[[LEFT]], %c2
// TILES: %[[HALF:.*]] = scf.if
// TILES: scf.forall ({{.*}}) in (1, 2, %[[PAIRS]]) shared_outs(%{{.*}} = %[[WHOLE]])
// TILES: tensor.extract_slice %arg0{{.*}} [1, 1, 2, 16] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<2x16xf32>
// TILES: scf.forall ({{.*}}) in (1, 2, %{{.*}}) shared_outs(%{{.*}} = %[[HALF]])
// TILES: tensor.extract_slice %arg0{{.*}} [1, 1, 1, 16] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<1x16xf32>
// TILES: tensor.parallel_insert_slice {{.*}} [1, 1, 1, 16] [1, 1, 1, 1] : tensor<1x16xf32> into tensor<1x2x?x16xf32>
func.func @attention_dynamic(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>, %v: tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %0 = tfm.attention %q, %k, %v heads = 2 kv_heads = 2 causal : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  return %0 : tensor<1x2x?x16xf32>
}

// -----

// RoPE's halves are as long as the input's sequence.
// CHECK-LABEL: func.func @rope_dynamic
// CHECK: %[[S:.*]] = tensor.dim %{{.*}}, %c2 : tensor<1x2x?x16xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 2, %[[S]], 4] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<1x2x?x4xf32>
// CHECK: tensor.empty(%[[S]]) : tensor<1x2x?x4xf32>
func.func @rope_dynamic(%x: tensor<1x2x?x16xf32>, %c: tensor<?x4xf32>, %s: tensor<?x4xf32>) -> tensor<1x2x?x16xf32> {
  %0 = tfm.rope %x, %c, %s : (tensor<1x2x?x16xf32>, tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<1x2x?x16xf32>
  return %0 : tensor<1x2x?x16xf32>
}

// -----

// Products with dynamic M, N and K over a static batch: sizes from the
// operands.
// CHECK-LABEL: func.func @matmul_dynamic
// CHECK: %[[M:.*]] = tensor.dim %arg0, %c1 : tensor<1x?x64xf32>
// CHECK: %[[N:.*]] = tensor.dim %arg1, %c2 : tensor<1x64x?xf32>
// CHECK: tensor.empty(%[[M]], %[[N]]) : tensor<1x?x?xf32>
// CHECK: linalg.batch_matmul
func.func @matmul_dynamic(%a: tensor<1x?x64xf32>, %b: tensor<1x64x?xf32>) -> tensor<1x?x?xf32> {
  %0 = tfm.matmul %a, %b : (tensor<1x?x64xf32>, tensor<1x64x?xf32>) -> tensor<1x?x?xf32>
  return %0 : tensor<1x?x?xf32>
}

// -----

// With grouped queries the one-query blocks hold a key/value head's two
// query heads (rows [2, 16]), as the static decode's do: a decode step
// over a dynamic sequence is all such blocks.
// TILES-LABEL: func.func @attention_dynamic_gqa
// TILES: scf.forall ({{.*}}) in (1, 2, %{{.*}})
// TILES: scf.forall ({{.*}}) in (1, 1, %{{.*}})
// TILES: tensor.extract_slice %arg0{{.*}} [1, 2, 1, 16] [1, 1, 1, 1] : tensor<1x2x?x16xf32> to tensor<2x16xf32>
// TILES: tensor.parallel_insert_slice {{.*}} [1, 2, 1, 16] [1, 1, 1, 1] : tensor<2x16xf32> into tensor<1x2x?x16xf32>
func.func @attention_dynamic_gqa(%q: tensor<1x2x?x16xf32>, %k: tensor<1x1x?x16xf32>, %v: tensor<1x1x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %0 = tfm.attention %q, %k, %v heads = 2 kv_heads = 1 causal : (tensor<1x2x?x16xf32>, tensor<1x1x?x16xf32>, tensor<1x1x?x16xf32>) -> tensor<1x2x?x16xf32>
  return %0 : tensor<1x2x?x16xf32>
}

// -----

// A slice with a run-time limit extracts ceil((limit - start) / stride)
// rows; static limits over a dynamic dimension are static sizes (the
// dimension must hold them at run time, as a run-time limit must lie
// within it).
// CHECK-LABEL: func.func @slice_dynamic_limit
// CHECK-SAME: (%[[T:.*]]: tensor<64x8xf32>, %[[N:.*]]: index, %[[X:.*]]: tensor<?x4xf32>)
// CHECK: tensor.extract_slice %[[T]][0, 0] [%[[N]], 8] [1, 1] : tensor<64x8xf32> to tensor<?x8xf32>
// CHECK: %[[LEFT:.*]] = arith.subi %[[N]], %c1
// CHECK: %[[ROWS:.*]] = arith.ceildivui %[[LEFT]], %c2
// CHECK: tensor.extract_slice %[[T]][1, 0] [%[[ROWS]], 8] [2, 1] : tensor<64x8xf32> to tensor<?x8xf32>
// CHECK: tensor.extract_slice %[[X]][0, 0] [2, 4] [1, 1] : tensor<?x4xf32> to tensor<2x4xf32>
func.func @slice_dynamic_limit(%t: tensor<64x8xf32>, %n: index, %x: tensor<?x4xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<2x4xf32>) {
  %0 = tfm.slice %t starts = [0, 0] limits = [%n, 8] strides = [1, 1] : tensor<64x8xf32> -> tensor<?x8xf32>
  %1 = tfm.slice %t starts = [1, 0] limits = [%n, 8] strides = [2, 1] : tensor<64x8xf32> -> tensor<?x8xf32>
  %2 = tfm.slice %x starts = [0, 0] limits = [2, 4] strides = [1, 1] : tensor<?x4xf32> -> tensor<2x4xf32>
  return %0, %1, %2 : tensor<?x8xf32>, tensor<?x8xf32>, tensor<2x4xf32>
}

// -----

// A static query count that no block of at least 4 divides (13 with
// 4-query blocks) takes the tiers of a run-time count (their counts are
// constants, folded later): whole blocks, a 2-query tier, then one-query
// blocks, not 13 one-query blocks.
// TILES-LABEL: func.func @attention_prime_queries
// TILES: scf.if
// TILES: tensor.extract_slice %arg0{{.*}} [1, 1, 4, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<4x16xf32>
// TILES: scf.if
// TILES: tensor.extract_slice %arg0{{.*}} [1, 1, 2, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<2x16xf32>
// TILES: tensor.extract_slice %arg0{{.*}} [1, 1, 1, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x16xf32>
func.func @attention_prime_queries(%q: tensor<1x2x13x16xf32>, %k: tensor<1x2x13x16xf32>, %v: tensor<1x2x13x16xf32>) -> tensor<1x2x13x16xf32> {
  %0 = tfm.attention %q, %k, %v heads = 2 kv_heads = 2 causal : (tensor<1x2x13x16xf32>, tensor<1x2x13x16xf32>, tensor<1x2x13x16xf32>) -> tensor<1x2x13x16xf32>
  return %0 : tensor<1x2x13x16xf32>
}
