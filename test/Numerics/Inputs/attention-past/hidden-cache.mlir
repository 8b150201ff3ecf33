// Four queries over a cache of 255 rows (a key tile of 128, fifteen of 8
// and seven single rows) and their
// own four keys, with the mask as a prefill step sees it: the cache rows
// not filled yet hidden by the lowest f32. The tiled form visits the new
// keys first and skips the cache tiles that the mask hides; the batched
// form computes every key.
func.func @main(%q: tensor<1x2x4x8xf32> {tfm.name = "q"}, %k: tensor<1x2x4x8xf32> {tfm.name = "k"}, %v: tensor<1x2x4x8xf32> {tfm.name = "v"}, %pk: tensor<1x2x255x8xf32> {tfm.name = "pk"}, %pv: tensor<1x2x255x8xf32> {tfm.name = "pv"}, %m: tensor<1x1x4x259xf32> {tfm.name = "m"}) -> (tensor<1x2x4x8xf32> {tfm.name = "out"}) {
  %o = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x255x8xf32>, tensor<1x2x255x8xf32>, tensor<1x1x4x259xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
