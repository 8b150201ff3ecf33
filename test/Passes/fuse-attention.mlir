// RUN: tfm-opt %s --tfm-fuse-attention --split-input-file | FileCheck %s

// BERT: heads split by reshape/transpose, Kᵀ by a transpose, the scores
// divided by √D, an additive padding mask, heads merged back: attention on
// the packed tensors.
// CHECK-LABEL: func.func @bert_self_attention
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x16xf32>, %[[K:.*]]: tensor<1x4x16xf32>, %[[V:.*]]: tensor<1x4x16xf32>, %[[M:.*]]: tensor<1x1x1x4xf32>)
// CHECK-NEXT: %[[O:.*]] = tfm.attention %[[Q]], %[[K]], %[[V]] mask(%[[M]]) heads = 2 kv_heads = 2 scale = 0.353553385 : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32>
// CHECK-NEXT: return %[[O]]
func.func @bert_self_attention(%q: tensor<1x4x16xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x4x16xf32>, %mask: tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %q0 = tfm.reshape %q : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %q1 = tfm.transpose %q0 perm = [0, 2, 1, 3] : tensor<1x4x2x8xf32> -> tensor<1x2x4x8xf32>
  %k0 = tfm.reshape %k : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %kt = tfm.transpose %k0 perm = [0, 2, 3, 1] : tensor<1x4x2x8xf32> -> tensor<1x2x8x4xf32>
  %v0 = tfm.reshape %v : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %v1 = tfm.transpose %v0 perm = [0, 2, 1, 3] : tensor<1x4x2x8xf32> -> tensor<1x2x4x8xf32>
  %s = tfm.matmul %q1, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %s2 = tfm.add %s1, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x4x4xf32>
  %o = tfm.matmul %p, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %o1 = tfm.transpose %o perm = [0, 2, 1, 3] : tensor<1x2x4x8xf32> -> tensor<1x4x2x8xf32>
  %o2 = tfm.reshape %o1 : tensor<1x4x2x8xf32> -> tensor<1x4x16xf32>
  return %o2 : tensor<1x4x16xf32>
}

// -----

// GPT-2: Where with a constant lower-triangular condition and finfo.min as
// the fill is the causal flag.
// CHECK-LABEL: func.func @gpt2_causal
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} heads = 2 kv_heads = 2 causal scale = 0.353553385 : (tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
// CHECK-NOT: tfm.softmax
func.func @gpt2_causal(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %cond = tfm.constant dense<[[[[true, false, false], [true, true, false], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %fill = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %cond, %s1, %fill : (tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// LLaMA: keys and values repeated from 1 KV head to 2 query heads, Q scaled
// by 1/√D before the product, an additive constant causal mask.
// CHECK-LABEL: func.func @llama_gqa
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x3x8xf32>, %[[K:.*]]: tensor<1x1x3x8xf32>, %[[V:.*]]: tensor<1x1x3x8xf32>)
// CHECK: tfm.attention %[[Q]], %[[K]], %[[V]] heads = 2 kv_heads = 1 causal scale = 0.353553385 :
func.func @llama_gqa(%q: tensor<1x2x3x8xf32>, %k: tensor<1x1x3x8xf32>, %v: tensor<1x1x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %c = tfm.constant dense<0.353553385> : tensor<f32>
  %mask = tfm.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %k0 = tfm.reshape %k : tensor<1x1x3x8xf32> -> tensor<1x1x1x3x8xf32>
  %k1 = tfm.expand %k0 : tensor<1x1x1x3x8xf32> -> tensor<1x1x2x3x8xf32>
  %k2 = tfm.reshape %k1 : tensor<1x1x2x3x8xf32> -> tensor<1x2x3x8xf32>
  %v0 = tfm.reshape %v : tensor<1x1x3x8xf32> -> tensor<1x1x1x3x8xf32>
  %v1 = tfm.expand %v0 : tensor<1x1x1x3x8xf32> -> tensor<1x1x2x3x8xf32>
  %v2 = tfm.reshape %v1 : tensor<1x1x2x3x8xf32> -> tensor<1x2x3x8xf32>
  %kt = tfm.transpose %k2 perm = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %qs = tfm.mul %q, %c : (tensor<1x2x3x8xf32>, tensor<f32>) -> tensor<1x2x3x8xf32>
  %s = tfm.matmul %qs, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s1 = tfm.add %mask, %s : (tensor<3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s1 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v2 : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// A non-causal constant Where becomes an additive mask.
// CHECK-LABEL: func.func @where_mask
// CHECK: %[[M:.*]] = tfm.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x1x1x3xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x1x3xf32>
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) heads = 2 kv_heads = 2 scale = 1.000000e+00
func.func @where_mask(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %cond: tensor<1x1x1x3xi1>) -> tensor<1x2x3x8xf32> {
  %fill = tfm.constant dense<-1.0e+9> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %cond, %s, %fill : (tensor<1x1x1x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// masked_fill's spelling, Where(hide, fill, scores): a constant condition
// true exactly above the diagonal is the causal flag; another condition
// becomes the additive mask where(hide, fill, 0).
// CHECK-LABEL: func.func @masked_fill_causal
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} heads = 2 kv_heads = 2 causal scale = 1.000000e+00 :
// CHECK-NOT: tfm.softmax
// CHECK-LABEL: func.func @masked_fill_mask
// CHECK: %[[ZERO:.*]] = tfm.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[M:.*]] = tfm.where %{{.*}}, %{{.*}}, %[[ZERO]] : (tensor<1x1x1x3xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x1x3xf32>
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) heads = 2 kv_heads = 2 scale
func.func @masked_fill_causal(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %hide = tfm.constant dense<[[false, true, true], [false, false, true], [false, false, false]]> : tensor<3x3xi1>
  %fill = tfm.constant dense<0xFF800000> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %hide, %fill, %s : (tensor<3x3xi1>, tensor<f32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}
func.func @masked_fill_mask(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %hide: tensor<1x1x1x3xi1>) -> tensor<1x2x3x8xf32> {
  %fill = tfm.constant dense<-1.0e+9> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %hide, %fill, %s : (tensor<1x1x1x3xi1>, tensor<f32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// A fill that does not hide the score (Where(keep, scores, -1)) is no mask.
// CHECK-LABEL: func.func @where_soft_fill
// CHECK-NOT: tfm.attention
// CHECK: tfm.softmax
func.func @where_soft_fill(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %cond: tensor<1x1x1x3xi1>) -> tensor<1x2x3x8xf32> {
  %fill = tfm.constant dense<-1.0> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %cond, %s, %fill : (tensor<1x1x1x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// A padding mask combined with a causal one: and(pad, causal) as the
// condition of an additive mask (the LLaMA export's), or of the Where on
// the scores; or(hide, anticausal) in masked_fill's spelling. The causal
// operand becomes the flag, the padding the mask.
// CHECK-LABEL: func.func @and_causal_additive
// CHECK-SAME: %[[PAD:[^:]*]]: tensor<1x1x1x3xi1>
// CHECK: %[[M:.*]] = tfm.where %[[PAD]], %{{.*}}, %{{.*}} : (tensor<1x1x1x3xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x1x3xf32>
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) heads = 2 kv_heads = 2 causal
// CHECK-LABEL: func.func @and_causal_where
// CHECK-SAME: %[[PAD:[^:]*]]: tensor<1x1x1x3xi1>
// CHECK: %[[M:.*]] = tfm.where %[[PAD]], %{{.*}}, %{{.*}} : (tensor<1x1x1x3xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x1x3xf32>
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) heads = 2 kv_heads = 2 causal
// CHECK-LABEL: func.func @or_anticausal_masked_fill
// CHECK-SAME: %[[HIDE:[^:]*]]: tensor<1x1x1x3xi1>
// CHECK: %[[M:.*]] = tfm.where %[[HIDE]], %{{.*}}, %{{.*}} : (tensor<1x1x1x3xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x1x3xf32>
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) heads = 2 kv_heads = 2 causal
func.func @and_causal_additive(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %pad: tensor<1x1x1x3xi1>) -> tensor<1x2x3x8xf32> {
  %causal = tfm.constant dense<[[[[true, false, false], [true, true, false], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %zero = tfm.constant dense<0.0> : tensor<f32>
  %fill = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %keep = tfm.and %pad, %causal : (tensor<1x1x1x3xi1>, tensor<1x1x3x3xi1>) -> tensor<1x1x3x3xi1>
  %mask = tfm.where %keep, %zero, %fill : (tensor<1x1x3x3xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x3x3xf32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s1 = tfm.add %s, %mask : (tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s1 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}
func.func @and_causal_where(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %pad: tensor<1x1x1x3xi1>) -> tensor<1x2x3x8xf32> {
  %causal = tfm.constant dense<[[[[true, false, false], [true, true, false], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %fill = tfm.constant dense<0xFF800000> : tensor<f32>
  %keep = tfm.and %causal, %pad : (tensor<1x1x3x3xi1>, tensor<1x1x1x3xi1>) -> tensor<1x1x3x3xi1>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %keep, %s, %fill : (tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}
func.func @or_anticausal_masked_fill(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %hide: tensor<1x1x1x3xi1>) -> tensor<1x2x3x8xf32> {
  %above = tfm.constant dense<[[[[false, true, true], [false, false, true], [false, false, false]]]]> : tensor<1x1x3x3xi1>
  %fill = tfm.constant dense<0xFF800000> : tensor<f32>
  %any = tfm.or %hide, %above : (tensor<1x1x1x3xi1>, tensor<1x1x3x3xi1>) -> tensor<1x1x3x3xi1>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s2 = tfm.where %any, %fill, %s : (tensor<1x1x3x3xi1>, tensor<f32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// Negative: softmax over the query axis.
// CHECK-LABEL: func.func @wrong_softmax_axis
// CHECK-NOT: tfm.attention
func.func @wrong_softmax_axis(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s axis = 2 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// Negative: the mask is added to the probabilities, after the softmax.
// CHECK-LABEL: func.func @mask_after_softmax
// CHECK-NOT: tfm.attention
func.func @mask_after_softmax(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>, %m: tensor<1x1x1x3xf32>) -> tensor<1x2x3x8xf32> {
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s axis = 3 : tensor<1x2x3x3xf32>
  %p1 = tfm.add %p, %m : (tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x2x3x3xf32>
  %o = tfm.matmul %p1, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// Negative: the scores are also returned (attention weights as an output).
// CHECK-LABEL: func.func @scores_returned
// CHECK-NOT: tfm.attention
func.func @scores_returned(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>) -> (tensor<1x2x3x8xf32>, tensor<1x2x3x3xf32>) {
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o, %p : tensor<1x2x3x8xf32>, tensor<1x2x3x3xf32>
}

// -----

// Negative: a mask that is not causal stays a mask (here an anti-causal
// constant).
// CHECK-LABEL: func.func @anti_causal_mask
// CHECK: tfm.attention {{.*}} mask(%{{.*}}) heads = 2 kv_heads = 2 scale
// CHECK-NOT: causal
func.func @anti_causal_mask(%q: tensor<1x2x3x8xf32>, %kt: tensor<1x2x8x3xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %mask = tfm.constant dense<[[0.0, 0.0, 0.0], [0xFF800000, 0.0, 0.0], [0xFF800000, 0xFF800000, 0.0]]> : tensor<3x3xf32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %s1 = tfm.add %s, %mask : (tensor<1x2x3x3xf32>, tensor<3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = tfm.softmax %s1 axis = 3 : tensor<1x2x3x3xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// The same over a run-time sequence length: the batch, heads and head size
// are static, the query and key counts dynamic (as is the padding mask's
// key dimension).
// CHECK-LABEL: func.func @bert_dynamic_sequence
// CHECK-SAME: (%[[Q:.*]]: tensor<1x?x16xf32>, %[[K:.*]]: tensor<1x?x16xf32>, %[[V:.*]]: tensor<1x?x16xf32>, %[[M:.*]]: tensor<1x1x1x?xf32>)
// CHECK-NEXT: %[[O:.*]] = tfm.attention %[[Q]], %[[K]], %[[V]] mask(%[[M]]) heads = 2 kv_heads = 2 scale = 0.353553385 : (tensor<1x?x16xf32>, tensor<1x?x16xf32>, tensor<1x?x16xf32>, tensor<1x1x1x?xf32>) -> tensor<1x?x16xf32>
// CHECK-NEXT: return %[[O]]
func.func @bert_dynamic_sequence(%q: tensor<1x?x16xf32>, %k: tensor<1x?x16xf32>, %v: tensor<1x?x16xf32>, %mask: tensor<1x1x1x?xf32>) -> tensor<1x?x16xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %q0 = tfm.reshape %q : tensor<1x?x16xf32> -> tensor<1x?x2x8xf32>
  %q1 = tfm.transpose %q0 perm = [0, 2, 1, 3] : tensor<1x?x2x8xf32> -> tensor<1x2x?x8xf32>
  %k0 = tfm.reshape %k : tensor<1x?x16xf32> -> tensor<1x?x2x8xf32>
  %kt = tfm.transpose %k0 perm = [0, 2, 3, 1] : tensor<1x?x2x8xf32> -> tensor<1x2x8x?xf32>
  %v0 = tfm.reshape %v : tensor<1x?x16xf32> -> tensor<1x?x2x8xf32>
  %v1 = tfm.transpose %v0 perm = [0, 2, 1, 3] : tensor<1x?x2x8xf32> -> tensor<1x2x?x8xf32>
  %s = tfm.matmul %q1, %kt : (tensor<1x2x?x8xf32>, tensor<1x2x8x?xf32>) -> tensor<1x2x?x?xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %s2 = tfm.add %s1, %mask : (tensor<1x2x?x?xf32>, tensor<1x1x1x?xf32>) -> tensor<1x2x?x?xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x?x?xf32>
  %o = tfm.matmul %p, %v1 : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  %o1 = tfm.transpose %o perm = [0, 2, 1, 3] : tensor<1x2x?x8xf32> -> tensor<1x?x2x8xf32>
  %o2 = tfm.reshape %o1 : tensor<1x?x2x8xf32> -> tensor<1x?x16xf32>
  return %o2 : tensor<1x?x16xf32>
}

// -----

// A dynamic head count is not fused (the attention op's heads are static).
// CHECK-LABEL: func.func @dynamic_heads
// CHECK: tfm.softmax
// CHECK-NOT: tfm.attention
func.func @dynamic_heads(%q: tensor<1x?x4x8xf32>, %kt: tensor<1x?x8x4xf32>, %v: tensor<1x?x4x8xf32>) -> tensor<1x?x4x8xf32> {
  %s = tfm.matmul %q, %kt : (tensor<1x?x4x8xf32>, tensor<1x?x8x4xf32>) -> tensor<1x?x4x4xf32>
  %p = tfm.softmax %s axis = 3 : tensor<1x?x4x4xf32>
  %o = tfm.matmul %p, %v : (tensor<1x?x4x4xf32>, tensor<1x?x4x8xf32>) -> tensor<1x?x4x8xf32>
  return %o : tensor<1x?x4x8xf32>
}

// -----

// A causal condition cut to a run-time length from the origin of a
// constant lower-triangular one (the same length for rows and keys, as the
// importer gives GPT-2's mask over a dynamic sequence) is the causal flag.
// CHECK-LABEL: func.func @gpt2_causal_cut
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} heads = 2 kv_heads = 2 causal scale = 0.353553385 : (tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
// CHECK-NOT: tfm.softmax
func.func @gpt2_causal_cut(%q: tensor<1x2x?x8xf32>, %kt: tensor<1x2x8x?xf32>, %v: tensor<1x2x?x8xf32>, %n: index) -> tensor<1x2x?x8xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %full = tfm.constant dense<[[[[true, false, false], [true, true, false], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %cond = tfm.slice %full starts = [0, 0, 0, 0] limits = [1, 1, %n, %n] strides = [1, 1, 1, 1] : tensor<1x1x3x3xi1> -> tensor<1x1x?x?xi1>
  %fill = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x?x8xf32>, tensor<1x2x8x?xf32>) -> tensor<1x2x?x?xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %s2 = tfm.where %cond, %s1, %fill : (tensor<1x1x?x?xi1>, tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x?x?xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}

// -----

// Over a cache of P rows the exporters cut rows [0, S) and keys [0, P + S)
// of a constant [R, R + P] mask: causal when the constant is (key j
// visible to query i iff j <= i + P), here P = 2. The keys' length must be
// the rows' plus P exactly: P = 1 is not causal.
// CHECK-LABEL: func.func @past_causal_cut
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} heads = 2 kv_heads = 2 causal scale
// CHECK-LABEL: func.func @past_causal_cut_wrong_offset
// CHECK: tfm.attention
// CHECK-NOT: causal
func.func @past_causal_cut(%q: tensor<1x2x?x8xf32>, %kt: tensor<1x2x8x?xf32>, %v: tensor<1x2x?x8xf32>, %n: index) -> tensor<1x2x?x8xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %full = tfm.constant dense<[[[[true, true, true, false], [true, true, true, true]]]]> : tensor<1x1x2x4xi1>
  %c2 = arith.constant 2 : index
  %keys = arith.addi %n, %c2 : index
  %cond = tfm.slice %full starts = [0, 0, 0, 0] limits = [1, 1, %n, %keys] strides = [1, 1, 1, 1] : tensor<1x1x2x4xi1> -> tensor<1x1x?x?xi1>
  %fill = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x?x8xf32>, tensor<1x2x8x?xf32>) -> tensor<1x2x?x?xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %s2 = tfm.where %cond, %s1, %fill : (tensor<1x1x?x?xi1>, tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x?x?xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}
func.func @past_causal_cut_wrong_offset(%q: tensor<1x2x?x8xf32>, %kt: tensor<1x2x8x?xf32>, %v: tensor<1x2x?x8xf32>, %n: index) -> tensor<1x2x?x8xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %full = tfm.constant dense<[[[[true, true, true, false], [true, true, true, true]]]]> : tensor<1x1x2x4xi1>
  %c1 = arith.constant 1 : index
  %keys = arith.addi %c1, %n : index
  %cond = tfm.slice %full starts = [0, 0, 0, 0] limits = [1, 1, %n, %keys] strides = [1, 1, 1, 1] : tensor<1x1x2x4xi1> -> tensor<1x1x?x?xi1>
  %fill = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x?x8xf32>, tensor<1x2x8x?xf32>) -> tensor<1x2x?x?xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %s2 = tfm.where %cond, %s1, %fill : (tensor<1x1x?x?xi1>, tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x?x?xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}

// -----

// Rows and keys cut to different lengths: not causal; the condition stays
// a mask.
// CHECK-LABEL: func.func @causal_cut_unequal
// CHECK: tfm.attention
// CHECK-NOT: causal
func.func @causal_cut_unequal(%q: tensor<1x2x?x8xf32>, %kt: tensor<1x2x8x?xf32>, %v: tensor<1x2x?x8xf32>, %n: index, %m: index) -> tensor<1x2x?x8xf32> {
  %sqrt_d = tfm.constant dense<2.82842708> : tensor<f32>
  %full = tfm.constant dense<[[[[true, false, false], [true, true, false], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %cond = tfm.slice %full starts = [0, 0, 0, 0] limits = [1, 1, %n, %m] strides = [1, 1, 1, 1] : tensor<1x1x3x3xi1> -> tensor<1x1x?x?xi1>
  %fill = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %s = tfm.matmul %q, %kt : (tensor<1x2x?x8xf32>, tensor<1x2x8x?xf32>) -> tensor<1x2x?x?xf32>
  %s1 = tfm.div %s, %sqrt_d : (tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %s2 = tfm.where %cond, %s1, %fill : (tensor<1x1x?x?xi1>, tensor<1x2x?x?xf32>, tensor<f32>) -> tensor<1x2x?x?xf32>
  %p = tfm.softmax %s2 axis = 3 : tensor<1x2x?x?xf32>
  %o = tfm.matmul %p, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}
