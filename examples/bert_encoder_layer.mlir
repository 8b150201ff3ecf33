// One BERT-base encoder layer (hidden 768, 12 heads, FFN 3072) on a batch of
// one 128-token sequence, written the way an exporter lays it out: separate
// Q/K/V projections, head split by reshape + transpose, an additive padding
// mask built from the integer attention mask, post-norm residuals and erf
// GELU. Weights are function arguments in nn.Linear layout [out, in].
//
//   tfm-opt examples/bert_encoder_layer.mlir --tfm-graph-pipeline

func.func @bert_encoder_layer(
    %hidden: tensor<1x128x768xf32>, %attention_mask: tensor<1x128xi64>,
    %wq: tensor<768x768xf32>, %bq: tensor<768xf32>,
    %wk: tensor<768x768xf32>, %bk: tensor<768xf32>,
    %wv: tensor<768x768xf32>, %bv: tensor<768xf32>,
    %wo: tensor<768x768xf32>, %bo: tensor<768xf32>,
    %ln1_g: tensor<768xf32>, %ln1_b: tensor<768xf32>,
    %w1: tensor<3072x768xf32>, %b1: tensor<3072xf32>,
    %w2: tensor<768x3072xf32>, %b2: tensor<768xf32>,
    %ln2_g: tensor<768xf32>, %ln2_b: tensor<768xf32>) -> tensor<1x128x768xf32> {
  // Extended attention mask: (1 - mask) * -10000, broadcast over heads and
  // query positions.
  %maskf = tfm.cast %attention_mask : tensor<1x128xi64> to tensor<1x128xf32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %inverted = tfm.sub %one, %maskf : (tensor<f32>, tensor<1x128xf32>) -> tensor<1x128xf32>
  %min = tfm.constant dense<-10000.0> : tensor<f32>
  %additive = tfm.mul %inverted, %min : (tensor<1x128xf32>, tensor<f32>) -> tensor<1x128xf32>
  %mask = tfm.reshape %additive : tensor<1x128xf32> -> tensor<1x1x1x128xf32>

  // Self-attention on split heads [B, H, S, D].
  %q = tfm.linear %hidden, %wq, %bq : (tensor<1x128x768xf32>, tensor<768x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %k = tfm.linear %hidden, %wk, %bk : (tensor<1x128x768xf32>, tensor<768x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %v = tfm.linear %hidden, %wv, %bv : (tensor<1x128x768xf32>, tensor<768x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %q4 = tfm.reshape %q : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
  %k4 = tfm.reshape %k : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
  %v4 = tfm.reshape %v : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
  %qh = tfm.transpose %q4 perm = [0, 2, 1, 3] : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  %kh = tfm.transpose %k4 perm = [0, 2, 1, 3] : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  %vh = tfm.transpose %v4 perm = [0, 2, 1, 3] : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  %ctx = tfm.attention %qh, %kh, %vh mask(%mask) heads = 12 kv_heads = 12
      : (tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x1x1x128xf32>) -> tensor<1x12x128x64xf32>
  %ctx_t = tfm.transpose %ctx perm = [0, 2, 1, 3] : tensor<1x12x128x64xf32> -> tensor<1x128x12x64xf32>
  %ctx_m = tfm.reshape %ctx_t : tensor<1x128x12x64xf32> -> tensor<1x128x768xf32>
  %attn = tfm.linear %ctx_m, %wo, %bo : (tensor<1x128x768xf32>, tensor<768x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>

  // Residual + LayerNorm.
  %res1 = tfm.add %attn, %hidden : (tensor<1x128x768xf32>, tensor<1x128x768xf32>) -> tensor<1x128x768xf32>
  %norm1 = tfm.layer_norm %res1 scale(%ln1_g) bias(%ln1_b) axes = [2] epsilon = 1.0e-12
      : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>

  // Feed-forward with erf GELU.
  %ff1 = tfm.linear %norm1, %w1, %b1 : (tensor<1x128x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<1x128x3072xf32>
  %act = tfm.gelu %ff1 : tensor<1x128x3072xf32>
  %ff2 = tfm.linear %act, %w2, %b2 : (tensor<1x128x3072xf32>, tensor<768x3072xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>

  // Residual + LayerNorm.
  %res2 = tfm.add %ff2, %norm1 : (tensor<1x128x768xf32>, tensor<1x128x768xf32>) -> tensor<1x128x768xf32>
  %out = tfm.layer_norm %res2 scale(%ln2_g) bias(%ln2_b) axes = [2] epsilon = 1.0e-12
      : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  return %out : tensor<1x128x768xf32>
}
