// RUN: tfm-opt %s --split-input-file --tfm-prune="method=magnitude sparsity=0.5" | FileCheck %s --check-prefix=MAG
// RUN: tfm-opt %s --split-input-file --tfm-prune="method=magnitude sparsity=0.5 global=true" | FileCheck %s --check-prefix=GLOBAL
// RUN: tfm-opt %s --split-input-file --tfm-prune="method=block sparsity=0.5 block-rows=1 block-cols=2" | FileCheck %s --check-prefix=BLOCK
// RUN: tfm-opt %s --split-input-file --tfm-prune="method=n-m n=2 m=4" | FileCheck %s --check-prefix=NM
// RUN: tfm-opt %s --split-input-file --tfm-prune="method=magnitude sparsity=0.5 exclude=keep" | FileCheck %s --check-prefix=EXCLUDE
// RUN: tfm-opt %s --split-input-file --tfm-prune="method=ffn-channels sparsity=0.5" | FileCheck %s --check-prefix=FFN
// RUN: tfm-opt %s --split-input-file --tfm-prune="method=heads sparsity=0.5" | FileCheck %s --check-prefix=HEADS
// RUN: not tfm-opt %s --split-input-file --tfm-prune="sparsity=1" 2>&1 | FileCheck %s --check-prefix=ERR-SPARSITY
// RUN: not tfm-opt %s --split-input-file --tfm-prune="method=n-m n=4 m=4" 2>&1 | FileCheck %s --check-prefix=ERR-NM

// ERR-SPARSITY: error: tfm-prune: sparsity 1 is not in [0, 1)
// ERR-NM: error: tfm-prune: n-m needs 1 <= n < m <= 64 (got 4:4)

// Two linears: per weight, half of each goes; globally, the half of all
// with the smallest magnitudes (all of %w1, none of %w2).
// MAG-LABEL: func.func @two_linears
// MAG-DAG: tfm.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00, 3.000000e+00], [5.000000e+00, 0.000000e+00, -6.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// MAG-DAG: tfm.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [5.000000e+01, 6.000000e+01, 7.000000e+01, 8.000000e+01]]> : tensor<2x4xf32>
// GLOBAL-LABEL: func.func @two_linears
// GLOBAL-DAG: tfm.constant dense<0.000000e+00> : tensor<2x4xf32>
// GLOBAL-DAG: tfm.constant dense<{{\[}}[1.000000e+01, 2.000000e+01, 3.000000e+01, 4.000000e+01], [5.000000e+01, 6.000000e+01, 7.000000e+01, 8.000000e+01]]> : tensor<2x4xf32>
// Blocks of 1 x 2: per weight the two of four pairs with the smallest RMS
// (in %w1 (2, 3) 2.55 and (1, -4) 2.92 against 3.69 and 4.26).
// BLOCK-LABEL: func.func @two_linears
// BLOCK-DAG: tfm.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [5.000000e+00, 1.500000e+00, -6.000000e+00, 5.000000e-01]]> : tensor<2x4xf32>
// BLOCK-DAG: tfm.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [5.000000e+01, 6.000000e+01, 7.000000e+01, 8.000000e+01]]> : tensor<2x4xf32>
// 2:4: the two largest of each group of four along K stay.
// NM-LABEL: func.func @two_linears
// NM-DAG: tfm.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00, 3.000000e+00], [5.000000e+00, 0.000000e+00, -6.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// NM-DAG: tfm.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 3.000000e+01, 4.000000e+01], [0.000000e+00, 0.000000e+00, 7.000000e+01, 8.000000e+01]]> : tensor<2x4xf32>
// A name in exclude leaves that linear alone.
// EXCLUDE-LABEL: func.func @two_linears
// EXCLUDE-DAG: tfm.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00, 3.000000e+00], [5.000000e+00, 0.000000e+00, -6.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// EXCLUDE-DAG: tfm.constant dense<{{\[}}[1.000000e+01, 2.000000e+01, 3.000000e+01, 4.000000e+01], [5.000000e+01, 6.000000e+01, 7.000000e+01, 8.000000e+01]]> : tensor<2x4xf32>
// FFN-LABEL: func.func @two_linears
// FFN-COUNT-2: tfm.linear {{.*}} -> tensor<3x2xf32>
func.func @two_linears(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %w1 = tfm.constant dense<[[1.0, -4.0, 2.0, 3.0], [5.0, 1.5, -6.0, 0.5]]> : tensor<2x4xf32>
  %w2 = tfm.constant dense<[[10.0, 20.0, 30.0, 40.0], [50.0, 60.0, 70.0, 80.0]]> : tensor<2x4xf32>
  %a = tfm.linear %x, %w1 : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
  %b = tfm.linear %x, %w2 : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32> loc("keep_me")
  return %a, %b : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A matmul by a constant [K, N] matrix: the weight is stored transposed
// (column n of the constant is row n of the linear's weight); n-m groups
// run along K, down each column. Its K of 6 is not a multiple of 4 in
// the second product, which n-m leaves alone.
// NM-LABEL: func.func @matmul_by_constant
// NM-DAG: tfm.constant dense<{{\[}}[0.000000e+00, 8.000000e+00], [7.000000e+00, 0.000000e+00], [0.000000e+00, 6.000000e+00], [5.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>
// NM-DAG: tfm.constant dense<1.000000e+00> : tensor<6x2xf32>
func.func @matmul_by_constant(%x: tensor<3x4xf32>, %y: tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %w = tfm.constant dense<[[1.0, 8.0], [7.0, 2.0], [3.0, 6.0], [5.0, 4.0]]> : tensor<4x2xf32>
  %a = tfm.matmul %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %v = tfm.constant dense<1.0> : tensor<6x2xf32>
  %b = tfm.matmul %y, %v : (tensor<3x6xf32>, tensor<6x2xf32>) -> tensor<3x2xf32>
  return %a, %b : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A table both gathered (embedding) and read by a linear (tied output
// projection) is left alone: pruning it would change the embedding.
// MAG-LABEL: func.func @tied_embedding
// MAG: tfm.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]>
// MAG-NOT: 0.000000e+00
func.func @tied_embedding(%ids: tensor<3xi64>) -> tensor<3x2xf32> {
  %t = tfm.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tfm.gather %t, %ids axis = 0 : (tensor<2x2xf32>, tensor<3xi64>) -> tensor<3x2xf32>
  %l = tfm.linear %e, %t : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %l : tensor<3x2xf32>
}

// -----

// FFN channels: the hidden channels scored ||W1 row|| · ||W2 column||
// (channel 0: 1 · 1, 1: 3 · 2, 2: 0.5 · 8, 3: 2 · 0.25); half of them, the
// lowest two (0 and 3), go from W1's rows, the bias and W2's columns.
// FFN-LABEL: func.func @ffn
// FFN-DAG: %[[W1:.*]] = tfm.constant dense<{{\[}}[0.000000e+00, 3.000000e+00], [5.000000e-01, 0.000000e+00]]> : tensor<2x2xf32>
// FFN-DAG: %[[B1:.*]] = tfm.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// FFN-DAG: %[[W2:.*]] = tfm.constant dense<{{\[}}[2.000000e+00, 0.000000e+00], [0.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// FFN: %[[H:.*]] = tfm.linear %{{.*}}, %[[W1]], %[[B1]] activation = gelu : (tensor<5x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
// FFN: tfm.linear %[[H]], %[[W2]], %{{.*}} : (tensor<5x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
// MAG-LABEL: func.func @ffn
func.func @ffn(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = tfm.constant dense<[[1.0, 0.0], [0.0, 3.0], [0.5, 0.0], [2.0, 0.0]]> : tensor<4x2xf32>
  %b1 = tfm.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w2 = tfm.constant dense<[[1.0, 2.0, 0.0, 0.25], [0.0, 0.0, 8.0, 0.0]]> : tensor<2x4xf32>
  %b2 = tfm.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %h = tfm.linear %x, %w1, %b1 activation = gelu : (tensor<5x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<5x4xf32>
  %y = tfm.linear %h, %w2, %b2 : (tensor<5x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// SwiGLU: channel c is rows c (gate) and 2 + c (up) of W1; the score
// multiplies both rows' norms (channel 0: 1 · 1 · 1, 1: 2 · 3 · 1).
// FFN-LABEL: func.func @swiglu
// FFN-DAG: %[[W1:.*]] = tfm.constant dense<{{\[}}[2.000000e+00, 0.000000e+00], [0.000000e+00, 3.000000e+00]]> : tensor<2x2xf32>
// FFN-DAG: %[[W2:.*]] = tfm.constant dense<1.000000e+00> : tensor<2x1xf32>
// FFN: %[[G:.*]] = tfm.linear %{{.*}}, %[[W1]] : (tensor<5x2xf32>, tensor<2x2xf32>) -> tensor<5x2xf32>
// FFN: %[[S:.*]] = tfm.swiglu %[[G]] : tensor<5x2xf32> -> tensor<5x1xf32>
// FFN: tfm.linear %[[S]], %[[W2]] : (tensor<5x1xf32>, tensor<2x1xf32>) -> tensor<5x2xf32>
func.func @swiglu(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = tfm.constant dense<[[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 3.0]]> : tensor<4x2xf32>
  %w2 = tfm.constant dense<[[1.0, 1.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %g = tfm.linear %x, %w1 : (tensor<5x2xf32>, tensor<4x2xf32>) -> tensor<5x4xf32>
  %s = tfm.swiglu %g : tensor<5x4xf32> -> tensor<5x2xf32>
  %y = tfm.linear %s, %w2 : (tensor<5x2xf32>, tensor<2x2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// Not an FFN to narrow: the hidden activations have another reader.
// FFN-LABEL: func.func @hidden_read_twice
// FFN: tfm.linear {{.*}} -> tensor<5x4xf32>
func.func @hidden_read_twice(%x: tensor<5x2xf32>) -> (tensor<5x2xf32>, tensor<5x4xf32>) {
  %w1 = tfm.constant dense<[[1.0, 0.0], [0.0, 3.0], [0.5, 0.0], [2.0, 0.0]]> : tensor<4x2xf32>
  %w2 = tfm.constant dense<[[1.0, 2.0, 0.0, 0.25], [0.0, 0.0, 8.0, 0.0]]> : tensor<2x4xf32>
  %h = tfm.linear %x, %w1 : (tensor<5x2xf32>, tensor<4x2xf32>) -> tensor<5x4xf32>
  %y = tfm.linear %h, %w2 : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x2xf32>
  return %y, %h : tensor<5x2xf32>, tensor<5x4xf32>
}

// -----

// Heads: a merged QKV linear [3 * H * D, E] split in three, attention with
// 4 heads of 1, the output linear [E, H * D]. Head h scores
// ||W_v row h|| * ||W_o column h||: 1, 6, 2, 0.5; heads 0 and 3 go from
// the Q, K and V rows (and bias) and the output columns.
// HEADS-LABEL: func.func @heads
// HEADS-DAG: %[[WQKV:.*]] = tfm.constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [2.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00], [4.000000e+00, 0.000000e+00], [2.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<6x2xf32>
// HEADS-DAG: %[[BQKV:.*]] = tfm.constant dense<[1.000000e+00, 2.000000e+00, 5.000000e+00, 6.000000e+00, 9.000000e+00, 1.000000e+01]> : tensor<6xf32>
// HEADS-DAG: %[[WO:.*]] = tfm.constant dense<{{\[}}[3.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// HEADS: %[[QKV:.*]] = tfm.linear %{{.*}}, %[[WQKV]], %[[BQKV]] : (tensor<1x3x2xf32>, tensor<6x2xf32>, tensor<6xf32>) -> tensor<1x3x6xf32>
// HEADS: %[[S:.*]]:3 = tfm.split %[[QKV]] axis = 2 : tensor<1x3x6xf32> -> tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>
// HEADS: %[[A:.*]] = tfm.attention %[[S]]#0, %[[S]]#1, %[[S]]#2 heads = 2 kv_heads = 2 causal
// HEADS: tfm.linear %[[A]], %[[WO]] residual(%{{.*}}) : (tensor<1x3x2xf32>, tensor<2x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
func.func @heads(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %wqkv = tfm.constant dense<[[9.0, 0.0], [1.0, 0.0], [2.0, 0.0], [9.0, 0.0],
                              [9.0, 0.0], [3.0, 0.0], [4.0, 0.0], [9.0, 0.0],
                              [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 1.0]]> : tensor<12x2xf32>
  %bqkv = tfm.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>
  %wo = tfm.constant dense<[[1.0, 3.0, 0.0, 0.5], [0.0, 0.0, 1.0, 0.0]]> : tensor<2x4xf32>
  %qkv = tfm.linear %x, %wqkv, %bqkv : (tensor<1x3x2xf32>, tensor<12x2xf32>, tensor<12xf32>) -> tensor<1x3x12xf32>
  %s:3 = tfm.split %qkv axis = 2 : tensor<1x3x12xf32> -> tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>
  %a = tfm.attention %s#0, %s#1, %s#2 heads = 4 kv_heads = 4 causal : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = tfm.linear %a, %wo residual(%x) : (tensor<1x3x4xf32>, tensor<2x4xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}

// -----

// Grouped queries (4 query heads of 2 over 2 key/value heads), the queries
// and keys rotated: a group (a key/value head and its 2 query heads) is the
// unit. Group g scores ||W_v rows of g|| * ||W_o columns of its query
// heads||: 1 * 2 and 3 * 2; group 0 goes: query rows 0-3, key rows 8-9,
// value rows 12-13 and output columns 0-3; the rotations and the attention
// keep 2 query heads over 1 key/value head.
// HEADS-LABEL: func.func @grouped_query_rope
// HEADS-DAG: %[[WQKV:.*]] = tfm.constant dense<{{\[}}[4.000000e+00, 0.000000e+00], [5.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00], [7.000000e+00, 0.000000e+00], [1.200000e+01, 0.000000e+00], [1.300000e+01, 0.000000e+00], [0.000000e+00, 3.000000e+00], [0.000000e+00, 0.000000e+00]]> : tensor<8x2xf32>
// HEADS-DAG: %[[WO:.*]] = tfm.constant dense<{{\[}}[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// HEADS: %[[QKV:.*]] = tfm.linear %{{.*}}, %[[WQKV]] : (tensor<1x3x2xf32>, tensor<8x2xf32>) -> tensor<1x3x8xf32>
// HEADS: %[[S:.*]]:3 = tfm.split %[[QKV]] axis = 2 : tensor<1x3x8xf32> -> tensor<1x3x4xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>
// HEADS: %[[Q:.*]] = tfm.rope %[[S]]#0, %{{.*}}, %{{.*}} heads = 2 : (tensor<1x3x4xf32>, tensor<3x1xf32>, tensor<3x1xf32>) -> tensor<1x3x4xf32>
// HEADS: %[[K:.*]] = tfm.rope %[[S]]#1, %{{.*}}, %{{.*}} heads = 1 : (tensor<1x3x2xf32>, tensor<3x1xf32>, tensor<3x1xf32>) -> tensor<1x3x2xf32>
// HEADS: %[[A:.*]] = tfm.attention %[[Q]], %[[K]], %[[S]]#2 heads = 2 kv_heads = 1 causal : (tensor<1x3x4xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x4xf32>
// HEADS: tfm.linear %[[A]], %[[WO]] : (tensor<1x3x4xf32>, tensor<2x4xf32>) -> tensor<1x3x2xf32>
func.func @grouped_query_rope(%x: tensor<1x3x2xf32>, %cos: tensor<3x1xf32>, %sin: tensor<3x1xf32>) -> tensor<1x3x2xf32> {
  %wqkv = tfm.constant dense<[[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0],
                              [4.0, 0.0], [5.0, 0.0], [6.0, 0.0], [7.0, 0.0],
                              [10.0, 0.0], [11.0, 0.0], [12.0, 0.0], [13.0, 0.0],
                              [1.0, 0.0], [0.0, 0.0], [0.0, 3.0], [0.0, 0.0]]> : tensor<16x2xf32>
  %wo = tfm.constant dense<[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x8xf32>
  %qkv = tfm.linear %x, %wqkv : (tensor<1x3x2xf32>, tensor<16x2xf32>) -> tensor<1x3x16xf32>
  %s:3 = tfm.split %qkv axis = 2 : tensor<1x3x16xf32> -> tensor<1x3x8xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>
  %q = tfm.rope %s#0, %cos, %sin heads = 4 : (tensor<1x3x8xf32>, tensor<3x1xf32>, tensor<3x1xf32>) -> tensor<1x3x8xf32>
  %k = tfm.rope %s#1, %cos, %sin heads = 2 : (tensor<1x3x4xf32>, tensor<3x1xf32>, tensor<3x1xf32>) -> tensor<1x3x4xf32>
  %a = tfm.attention %q, %k, %s#2 heads = 4 kv_heads = 2 causal : (tensor<1x3x8xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x8xf32>
  %y = tfm.linear %a, %wo : (tensor<1x3x8xf32>, tensor<2x8xf32>) -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}

// -----

// Not pruned: queries from a linear of their own (not one QKV linear split
// in three).
// HEADS-LABEL: func.func @grouped_query
// HEADS: heads = 4 kv_heads = 2
func.func @grouped_query(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %wq = tfm.constant dense<1.0> : tensor<4x2xf32>
  %wkv = tfm.constant dense<1.0> : tensor<4x2xf32>
  %wo = tfm.constant dense<1.0> : tensor<2x4xf32>
  %q = tfm.linear %x, %wq : (tensor<1x3x2xf32>, tensor<4x2xf32>) -> tensor<1x3x4xf32>
  %kv = tfm.linear %x, %wkv : (tensor<1x3x2xf32>, tensor<4x2xf32>) -> tensor<1x3x4xf32>
  %s:2 = tfm.split %kv axis = 2 : tensor<1x3x4xf32> -> tensor<1x3x2xf32>, tensor<1x3x2xf32>
  %a = tfm.attention %q, %s#0, %s#1 heads = 4 kv_heads = 2 : (tensor<1x3x4xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x4xf32>
  %y = tfm.linear %a, %wo : (tensor<1x3x4xf32>, tensor<2x4xf32>) -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}

// -----

// Not pruned: a mask with a dimension of heads.
// HEADS-LABEL: func.func @per_head_mask
// HEADS: heads = 2 kv_heads = 2
func.func @per_head_mask(%x: tensor<1x3x2xf32>, %m: tensor<1x2x3x3xf32>) -> tensor<1x3x2xf32> {
  %wqkv = tfm.constant dense<1.0> : tensor<6x2xf32>
  %wo = tfm.constant dense<1.0> : tensor<2x2xf32>
  %qkv = tfm.linear %x, %wqkv : (tensor<1x3x2xf32>, tensor<6x2xf32>) -> tensor<1x3x6xf32>
  %s:3 = tfm.split %qkv axis = 2 : tensor<1x3x6xf32> -> tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>
  %a = tfm.attention %s#0, %s#1, %s#2 mask(%m) heads = 2 kv_heads = 2 : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x2x3x3xf32>) -> tensor<1x3x2xf32>
  %y = tfm.linear %a, %wo : (tensor<1x3x2xf32>, tensor<2x2xf32>) -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}

// A decode step's attention over a cache (the heads split out of the
// merged QKV linear by reshape and transpose, the past keys and values
// function arguments whose concatenations with the new ones the function
// returns): @heads' weights keep heads 1 and 2, and the cache loses the
// other two; the arguments, the present results and the function's type
// follow.
// HEADS-LABEL: func.func @cached_heads
// HEADS-SAME: (%{{.*}}: tensor<1x1x2xf32>, %[[PK:.*]]: tensor<1x2x2x1xf32>, %[[PV:.*]]: tensor<1x2x2x1xf32>) -> (tensor<1x1x2xf32>, tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>)
// HEADS: tfm.split %{{.*}} axis = 2 : tensor<1x1x6xf32> -> tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x2xf32>
// HEADS: %[[Q:.*]] = tfm.transpose %{{.*}} perm = [0, 2, 1, 3] : tensor<1x1x2x1xf32> -> tensor<1x2x1x1xf32>
// HEADS: %[[K:.*]] = tfm.transpose %{{.*}} perm = [0, 2, 1, 3] : tensor<1x1x2x1xf32> -> tensor<1x2x1x1xf32>
// HEADS: %[[V:.*]] = tfm.transpose %{{.*}} perm = [0, 2, 1, 3] : tensor<1x1x2x1xf32> -> tensor<1x2x1x1xf32>
// HEADS: %[[PRESK:.*]] = tfm.concat %[[PK]], %[[K]] axis = 2 : (tensor<1x2x2x1xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x1xf32>
// HEADS: %[[PRESV:.*]] = tfm.concat %[[PV]], %[[V]] axis = 2
// HEADS: %[[A:.*]] = tfm.attention %[[Q]], %[[K]], %[[V]] past(%[[PK]], %[[PV]]) heads = 2 kv_heads = 2 : (tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>, tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x1x1xf32>
// HEADS: tfm.transpose %[[A]] perm = [0, 2, 1, 3] : tensor<1x2x1x1xf32> -> tensor<1x1x2x1xf32>
// HEADS: tfm.reshape %{{.*}} : tensor<1x1x2x1xf32> -> tensor<1x1x2xf32>
// HEADS: tfm.linear {{.*}} : (tensor<1x1x2xf32>, tensor<2x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
// HEADS: return %{{.*}}, %[[PRESK]], %[[PRESV]] : tensor<1x1x2xf32>, tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>
func.func @cached_heads(%x: tensor<1x1x2xf32>, %pk: tensor<1x4x2x1xf32>, %pv: tensor<1x4x2x1xf32>) -> (tensor<1x1x2xf32>, tensor<1x4x3x1xf32>, tensor<1x4x3x1xf32>) {
  %wqkv = tfm.constant dense<[[9.0, 0.0], [1.0, 0.0], [2.0, 0.0], [9.0, 0.0],
                              [9.0, 0.0], [3.0, 0.0], [4.0, 0.0], [9.0, 0.0],
                              [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 1.0]]> : tensor<12x2xf32>
  %bqkv = tfm.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>
  %wo = tfm.constant dense<[[1.0, 3.0, 0.0, 0.5], [0.0, 0.0, 1.0, 0.0]]> : tensor<2x4xf32>
  %qkv = tfm.linear %x, %wqkv, %bqkv : (tensor<1x1x2xf32>, tensor<12x2xf32>, tensor<12xf32>) -> tensor<1x1x12xf32>
  %s:3 = tfm.split %qkv axis = 2 : tensor<1x1x12xf32> -> tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>
  %q4 = tfm.reshape %s#0 : tensor<1x1x4xf32> -> tensor<1x1x4x1xf32>
  %q = tfm.transpose %q4 perm = [0, 2, 1, 3] : tensor<1x1x4x1xf32> -> tensor<1x4x1x1xf32>
  %k4 = tfm.reshape %s#1 : tensor<1x1x4xf32> -> tensor<1x1x4x1xf32>
  %k = tfm.transpose %k4 perm = [0, 2, 1, 3] : tensor<1x1x4x1xf32> -> tensor<1x4x1x1xf32>
  %v4 = tfm.reshape %s#2 : tensor<1x1x4xf32> -> tensor<1x1x4x1xf32>
  %v = tfm.transpose %v4 perm = [0, 2, 1, 3] : tensor<1x1x4x1xf32> -> tensor<1x4x1x1xf32>
  %presk = tfm.concat %pk, %k axis = 2 : (tensor<1x4x2x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x3x1xf32>
  %presv = tfm.concat %pv, %v axis = 2 : (tensor<1x4x2x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x3x1xf32>
  %a = tfm.attention %q, %k, %v past(%pk, %pv) heads = 4 kv_heads = 4 : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>, tensor<1x4x2x1xf32>, tensor<1x4x2x1xf32>) -> tensor<1x4x1x1xf32>
  %at = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x1x1xf32> -> tensor<1x1x4x1xf32>
  %m = tfm.reshape %at : tensor<1x1x4x1xf32> -> tensor<1x1x4xf32>
  %y = tfm.linear %m, %wo residual(%x) : (tensor<1x1x4xf32>, tensor<2x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %y, %presk, %presv : tensor<1x1x2xf32>, tensor<1x4x3x1xf32>, tensor<1x4x3x1xf32>
}

// -----

// Left alone: a cache that something else reads too (here returned as it
// is) keeps its heads, and so does the attention.
// HEADS-LABEL: func.func @cache_read_elsewhere
// HEADS: tfm.attention {{.*}} heads = 4 kv_heads = 4
func.func @cache_read_elsewhere(%x: tensor<1x1x2xf32>, %pk: tensor<1x4x2x1xf32>, %pv: tensor<1x4x2x1xf32>) -> (tensor<1x1x2xf32>, tensor<1x4x3x1xf32>, tensor<1x4x3x1xf32>, tensor<1x4x2x1xf32>) {
  %wqkv = tfm.constant dense<[[9.0, 0.0], [1.0, 0.0], [2.0, 0.0], [9.0, 0.0],
                              [9.0, 0.0], [3.0, 0.0], [4.0, 0.0], [9.0, 0.0],
                              [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 1.0]]> : tensor<12x2xf32>
  %bqkv = tfm.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>
  %wo = tfm.constant dense<[[1.0, 3.0, 0.0, 0.5], [0.0, 0.0, 1.0, 0.0]]> : tensor<2x4xf32>
  %qkv = tfm.linear %x, %wqkv, %bqkv : (tensor<1x1x2xf32>, tensor<12x2xf32>, tensor<12xf32>) -> tensor<1x1x12xf32>
  %s:3 = tfm.split %qkv axis = 2 : tensor<1x1x12xf32> -> tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>
  %q4 = tfm.reshape %s#0 : tensor<1x1x4xf32> -> tensor<1x1x4x1xf32>
  %q = tfm.transpose %q4 perm = [0, 2, 1, 3] : tensor<1x1x4x1xf32> -> tensor<1x4x1x1xf32>
  %k4 = tfm.reshape %s#1 : tensor<1x1x4xf32> -> tensor<1x1x4x1xf32>
  %k = tfm.transpose %k4 perm = [0, 2, 1, 3] : tensor<1x1x4x1xf32> -> tensor<1x4x1x1xf32>
  %v4 = tfm.reshape %s#2 : tensor<1x1x4xf32> -> tensor<1x1x4x1xf32>
  %v = tfm.transpose %v4 perm = [0, 2, 1, 3] : tensor<1x1x4x1xf32> -> tensor<1x4x1x1xf32>
  %presk = tfm.concat %pk, %k axis = 2 : (tensor<1x4x2x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x3x1xf32>
  %presv = tfm.concat %pv, %v axis = 2 : (tensor<1x4x2x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x3x1xf32>
  %a = tfm.attention %q, %k, %v past(%pk, %pv) heads = 4 kv_heads = 4 : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>, tensor<1x4x2x1xf32>, tensor<1x4x2x1xf32>) -> tensor<1x4x1x1xf32>
  %at = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x1x1xf32> -> tensor<1x1x4x1xf32>
  %m = tfm.reshape %at : tensor<1x1x4x1xf32> -> tensor<1x1x4xf32>
  %y = tfm.linear %m, %wo residual(%x) : (tensor<1x1x4xf32>, tensor<2x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %y, %presk, %presv, %pk : tensor<1x1x2xf32>, tensor<1x4x3x1xf32>, tensor<1x4x3x1xf32>, tensor<1x4x2x1xf32>
}

// -----


// A NaN weight orders as the largest: it is never pruned first (and the
// selection stays well defined).
// MAG-LABEL: func.func @nan_weight
// MAG: tfm.constant dense<{{\[}}[0x7FC00000, 0.000000e+00, 0.000000e+00, 3.000000e+00]]> : tensor<1x4xf32>
func.func @nan_weight(%x: tensor<3x4xf32>) -> tensor<3x1xf32> {
  %w = tfm.constant dense<[[0x7FC00000, 1.0, 2.0, 3.0]]> : tensor<1x4xf32>
  %y = tfm.linear %x, %w : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}
