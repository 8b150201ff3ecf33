// Decode with grouped queries (8 query heads over 2 key/value heads, one
// query each): the tiled form takes each group's heads as the rows of one
// block. @main: a mask that varies along the heads; the causal form
// (second output) with one mask for every head.
func.func @main(%q: tensor<1x8x1x16xf32> {tfm.name = "q"}, %k: tensor<1x2x1x16xf32> {tfm.name = "k"}, %v: tensor<1x2x1x16xf32> {tfm.name = "v"}, %pk: tensor<1x2x64x16xf32> {tfm.name = "pk"}, %pv: tensor<1x2x64x16xf32> {tfm.name = "pv"}, %m: tensor<1x8x1x65xf32> {tfm.name = "m"}, %m1: tensor<1x1x1x65xf32> {tfm.name = "m1"}) -> (tensor<1x8x1x16xf32> {tfm.name = "out"}, tensor<1x8x1x16xf32> {tfm.name = "causal"}) {
  %o = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 8 kv_heads = 2 : (tensor<1x8x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x8x1x65xf32>) -> tensor<1x8x1x16xf32>
  %c = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m1) heads = 8 kv_heads = 2 causal : (tensor<1x8x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x1x1x65xf32>) -> tensor<1x8x1x16xf32>
  return %o, %c : tensor<1x8x1x16xf32>, tensor<1x8x1x16xf32>
}
