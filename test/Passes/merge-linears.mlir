// RUN: tfm-opt %s --tfm-merge-linears --split-input-file | FileCheck %s

// Q, K and V projections of one input with constant weights: one linear
// over the weights concatenated along N (folded here), then a split.
// CHECK-LABEL: func.func @qkv
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK: %[[W:.*]] = tfm.constant dense<{{\[}}[1.000000e+00, {{.*}}[3.000000e+00, 3.000000e+00, 3.000000e+00, 3.000000e+00]]> : tensor<8x4xf32>
// CHECK: %[[B:.*]] = tfm.constant dense<[1.000000e-01, 1.000000e-01, 1.000000e-01, 1.000000e-01, 2.000000e-01, 2.000000e-01, 3.000000e-01, 3.000000e-01]> : tensor<8xf32>
// CHECK: %[[L:.*]] = tfm.linear %[[X]], %[[W]], %[[B]]
// CHECK: tfm.split %[[L]] axis = 1 : tensor<2x8xf32> -> tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>
// CHECK-NOT: tfm.linear
func.func @qkv(%x: tensor<2x4xf32>) -> (tensor<2x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %wq = tfm.constant dense<1.0> : tensor<4x4xf32>
  %wk = tfm.constant dense<2.0> : tensor<4x2xf32>
  %wv = tfm.constant dense<3.0> : tensor<4x2xf32>
  %bq = tfm.constant dense<0.1> : tensor<4xf32>
  %bk = tfm.constant dense<0.2> : tensor<2xf32>
  %bv = tfm.constant dense<0.3> : tensor<2xf32>
  %wqt = tfm.transpose %wq perm = [1, 0] : tensor<4x4xf32> -> tensor<4x4xf32>
  %wkt = tfm.transpose %wk perm = [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
  %wvt = tfm.transpose %wv perm = [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
  %q = tfm.linear %x, %wqt, %bq : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %k = tfm.linear %x, %wkt, %bk : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %v = tfm.linear %x, %wvt, %bv : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %q1 = tfm.reshape %q : tensor<2x4xf32> -> tensor<2x2x2xf32>
  return %q1, %k, %v : tensor<2x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A linear meets a group merged before it whose concatenated weights are
// too large for canonicalization to fold: the unfolded concatenation still
// counts as constant, so all three end in one linear (the result of the
// merge is the same whichever pair met first).
// CHECK-LABEL: func.func @merge_into_merged
// CHECK: %[[L:.*]] = tfm.linear %{{.*}}, %{{.*}} : (tensor<2x128xf32>, tensor<384x128xf32>) -> tensor<2x384xf32>
// CHECK: tfm.split %[[L]] axis = 1 : tensor<2x384xf32> -> tensor<2x128xf32>, tensor<2x128xf32>, tensor<2x128xf32>
// CHECK-NOT: tfm.linear
func.func @merge_into_merged(%x: tensor<2x128xf32>) -> (tensor<2x128xf32>, tensor<2x128xf32>, tensor<2x128xf32>) {
  %wq = tfm.constant dense<1.0> : tensor<128x128xf32>
  %wk = tfm.constant dense<2.0> : tensor<128x128xf32>
  %wv = tfm.constant dense<3.0> : tensor<128x128xf32>
  %wkv = tfm.concat %wk, %wv axis = 1 : (tensor<128x128xf32>, tensor<128x128xf32>) -> tensor<128x256xf32>
  %wqt = tfm.transpose %wq perm = [1, 0] : tensor<128x128xf32> -> tensor<128x128xf32>
  %wkvt = tfm.transpose %wkv perm = [1, 0] : tensor<128x256xf32> -> tensor<256x128xf32>
  %q = tfm.linear %x, %wqt : (tensor<2x128xf32>, tensor<128x128xf32>) -> tensor<2x128xf32>
  %kv = tfm.linear %x, %wkvt : (tensor<2x128xf32>, tensor<256x128xf32>) -> tensor<2x256xf32>
  %s:2 = tfm.split %kv axis = 1 : tensor<2x256xf32> -> tensor<2x128xf32>, tensor<2x128xf32>
  return %q, %s#0, %s#1 : tensor<2x128xf32>, tensor<2x128xf32>, tensor<2x128xf32>
}

// -----

// Negative: weights computed at run time would be concatenated on every
// run; such linears stay apart.
// CHECK-LABEL: func.func @runtime_weights
// CHECK-COUNT-2: tfm.linear
// CHECK-NOT: tfm.split
func.func @runtime_weights(%x: tensor<2x4xf32>, %w1: tensor<4x4xf32>, %w2: tensor<4x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %a = tfm.linear %x, %w1 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %b = tfm.linear %x, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Negative: weights already in the panel layout (-O3 packs after the
// merges) stay apart; concatenating panels would need the padding undone.
// CHECK-LABEL: func.func @packed_weights
// CHECK-COUNT-2: tfm.linear
// CHECK-NOT: tfm.split
func.func @packed_weights(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %w1 = tfm.constant dense<1.0> : tensor<1x4x16xf32>
  %w2 = tfm.constant dense<2.0> : tensor<1x4x16xf32>
  %a = tfm.linear %x, %w1 {out_features = 4 : i64} : (tensor<2x4xf32>, tensor<1x4x16xf32>) -> tensor<2x4xf32>
  %b = tfm.linear %x, %w2 {out_features = 4 : i64} : (tensor<2x4xf32>, tensor<1x4x16xf32>) -> tensor<2x4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// SwiGLU: silu(x Wg) * (x Wu) is one linear over [Wg | Wu] and a swiglu,
// with the silu still apart or already the gate linear's activation, and
// the product in either order.
// CHECK-LABEL: func.func @swiglu
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK: %[[W:.*]] = tfm.constant dense<{{\[}}[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], {{.*}}[2.000000e+00, 2.000000e+00, 2.000000e+00, 2.000000e+00]]> : tensor<6x4xf32>
// CHECK: %[[B:.*]] = tfm.constant dense<[1.000000e-01, 1.000000e-01, 1.000000e-01, 2.000000e-01, 2.000000e-01, 2.000000e-01]> : tensor<6xf32>
// CHECK: %[[L:.*]] = tfm.linear %[[X]], %[[W]], %[[B]] : (tensor<2x4xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<2x6xf32>
// CHECK: %[[Y:.*]] = tfm.swiglu %[[L]] : tensor<2x6xf32> -> tensor<2x3xf32>
// CHECK: %[[L2:.*]] = tfm.linear %[[X]], %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<2x6xf32>
// CHECK: %[[Y2:.*]] = tfm.swiglu %[[L2]]
// CHECK-NOT: tfm.linear
// CHECK: return %[[Y]], %[[Y2]]
func.func @swiglu(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %wg = tfm.constant dense<1.0> : tensor<3x4xf32>
  %wu = tfm.constant dense<2.0> : tensor<3x4xf32>
  %bg = tfm.constant dense<0.1> : tensor<3xf32>
  %bu = tfm.constant dense<0.2> : tensor<3xf32>
  %g = tfm.linear %x, %wg, %bg : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %u = tfm.linear %x, %wu, %bu : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %s = tfm.silu %g : tensor<2x3xf32>
  %y = tfm.mul %s, %u : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %g2 = tfm.linear %x, %wg, %bg activation = silu : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %u2 = tfm.linear %x, %wu, %bu : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %y2 = tfm.mul %u2, %g2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y, %y2 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Negative: a gate read by another op as well, a gate whose activation is
// not SiLU, and a gate and up projection of different inputs stay apart.
// CHECK-LABEL: func.func @not_swiglu
// CHECK-NOT: tfm.swiglu
// CHECK-NOT: tfm.split
func.func @not_swiglu(%x: tensor<2x4xf32>, %z: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %w1 = tfm.constant dense<1.0> : tensor<4x4xf32>
  %w2 = tfm.constant dense<2.0> : tensor<4x4xf32>
  %a = tfm.linear %x, %w1 activation = silu : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %b = tfm.linear %x, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %y = tfm.mul %a, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %c = tfm.linear %x, %w1 activation = gelu : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %d = tfm.linear %x, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %y2 = tfm.mul %c, %d : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %e = tfm.linear %x, %w1 activation = silu : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %f = tfm.linear %z, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %y3 = tfm.mul %e, %f : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y, %a, %y2, %y3 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Quantized weights merge quantized: codes concatenated, per-tensor scales
// broadcast to one per feature and concatenated; one dequantize.
// CHECK-LABEL: func.func @quantized_qkv
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK: %[[Q:.*]] = tfm.constant dense<{{\[}}[1, 1, 1, 1], [1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]> : tensor<4x4xi8>
// CHECK: %[[S:.*]] = tfm.constant dense<[5.000000e-01, 5.000000e-01, 2.500000e-01, 1.250000e-01]> : tensor<4xf32>
// CHECK: %[[W:.*]] = tfm.dequantize %[[Q]], %[[S]] {axis = 0 : i64} : (tensor<4x4xi8>, tensor<4xf32>) -> tensor<4x4xf32>
// CHECK: %[[L:.*]] = tfm.linear %[[X]], %[[W]]
// CHECK: tfm.split %[[L]] axis = 1 : tensor<2x4xf32> -> tensor<2x2xf32>, tensor<2x1xf32>, tensor<2x1xf32>
// CHECK-NOT: tfm.linear
func.func @quantized_qkv(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x1xf32>, tensor<2x1xf32>) {
  %q1 = tfm.constant dense<1> : tensor<2x4xi8>
  %q2 = tfm.constant dense<2> : tensor<1x4xi8>
  %q3 = tfm.constant dense<3> : tensor<1x4xi8>
  %s1 = tfm.constant dense<0.5> : tensor<f32>
  %s2 = tfm.constant dense<0.25> : tensor<1xf32>
  %s3 = tfm.constant dense<0.125> : tensor<f32>
  %w1 = tfm.dequantize %q1, %s1 : (tensor<2x4xi8>, tensor<f32>) -> tensor<2x4xf32>
  %w2 = tfm.dequantize %q2, %s2 {axis = 0 : i64} : (tensor<1x4xi8>, tensor<1xf32>) -> tensor<1x4xf32>
  %w3 = tfm.dequantize %q3, %s3 : (tensor<1x4xi8>, tensor<f32>) -> tensor<1x4xf32>
  %a = tfm.linear %x, %w1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %b = tfm.linear %x, %w2 : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  %c = tfm.linear %x, %w3 : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x1xf32>
  return %a, %b, %c : tensor<2x2xf32>, tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

// A quantized weight and a float one do not merge.
// CHECK-LABEL: func.func @quantized_and_float
// CHECK-COUNT-2: tfm.linear
// CHECK-NOT: tfm.split
func.func @quantized_and_float(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %q = tfm.constant dense<1> : tensor<2x4xi8>
  %s = tfm.constant dense<0.5> : tensor<f32>
  %w1 = tfm.dequantize %q, %s : (tensor<2x4xi8>, tensor<f32>) -> tensor<2x4xf32>
  %w2 = tfm.constant dense<1.0> : tensor<2x4xf32>
  %a = tfm.linear %x, %w1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %b = tfm.linear %x, %w2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %a, %b : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Over dynamic rows: one product of the concatenated weights, split.
// CHECK-LABEL: func.func @qkv_dynamic_rows
// CHECK: %[[Y:.*]] = tfm.linear %arg0, %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK: tfm.split %[[Y]] axis = 1 : tensor<?x8xf32> -> tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>
func.func @qkv_dynamic_rows(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %wq = tfm.constant dense<1.0> : tensor<4x4xf32>
  %wk = tfm.constant dense<2.0> : tensor<2x4xf32>
  %wv = tfm.constant dense<3.0> : tensor<2x4xf32>
  %bq = tfm.constant dense<0.1> : tensor<4xf32>
  %bk = tfm.constant dense<0.2> : tensor<2xf32>
  %bv = tfm.constant dense<0.3> : tensor<2xf32>
  %q = tfm.linear %x, %wq, %bq : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %k = tfm.linear %x, %wk, %bk : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %v = tfm.linear %x, %wv, %bv : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %q, %k, %v : tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}
