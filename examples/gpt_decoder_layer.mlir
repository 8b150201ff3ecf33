// One GPT-2-small decoder block (hidden 768, 12 heads, FFN 3072) on a batch
// of one 128-token sequence: pre-norm, a merged QKV projection split three
// ways, causal attention on packed heads [B, S, H*D], tanh GELU. Shapes that
// the exporter left dynamic (`?`) are refined by the pipeline from the
// function's static inputs.
//
//   tfm-opt examples/gpt_decoder_layer.mlir --tfm-graph-pipeline

func.func @gpt_decoder_layer(
    %x: tensor<1x128x768xf32>,
    %ln1_g: tensor<768xf32>, %ln1_b: tensor<768xf32>,
    %w_attn: tensor<2304x768xf32>, %b_attn: tensor<2304xf32>,
    %w_proj: tensor<768x768xf32>, %b_proj: tensor<768xf32>,
    %ln2_g: tensor<768xf32>, %ln2_b: tensor<768xf32>,
    %w_fc: tensor<3072x768xf32>, %b_fc: tensor<3072xf32>,
    %w_out: tensor<768x3072xf32>, %b_out: tensor<768xf32>) -> tensor<?x?x768xf32> {
  // Attention sub-block.
  %h1 = tfm.layer_norm %x scale(%ln1_g) bias(%ln1_b) axes = [2] epsilon = 1.0e-5
      : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x?x768xf32>
  %qkv = tfm.linear %h1, %w_attn, %b_attn : (tensor<?x?x768xf32>, tensor<2304x768xf32>, tensor<2304xf32>) -> tensor<?x?x2304xf32>
  %q, %k, %v = tfm.split %qkv axis = 2
      : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x768xf32>
  %ctx = tfm.attention %q, %k, %v heads = 12 kv_heads = 12 causal
      : (tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x768xf32>) -> tensor<?x?x768xf32>
  %attn = tfm.linear %ctx, %w_proj, %b_proj : (tensor<?x?x768xf32>, tensor<768x768xf32>, tensor<768xf32>) -> tensor<?x?x768xf32>
  %res1 = tfm.add %x, %attn : (tensor<1x128x768xf32>, tensor<?x?x768xf32>) -> tensor<?x?x768xf32>

  // MLP sub-block.
  %h2 = tfm.layer_norm %res1 scale(%ln2_g) bias(%ln2_b) axes = [2] epsilon = 1.0e-5
      : (tensor<?x?x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x?x768xf32>
  %fc = tfm.linear %h2, %w_fc, %b_fc : (tensor<?x?x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<?x?x3072xf32>
  %act = tfm.gelu %fc approximate = tanh : tensor<?x?x3072xf32>
  %mlp = tfm.linear %act, %w_out, %b_out : (tensor<?x?x3072xf32>, tensor<768x3072xf32>, tensor<768xf32>) -> tensor<?x?x768xf32>
  %out = tfm.add %res1, %mlp : (tensor<?x?x768xf32>, tensor<?x?x768xf32>) -> tensor<?x?x768xf32>
  return %out : tensor<?x?x768xf32>
}
