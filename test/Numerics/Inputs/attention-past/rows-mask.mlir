// Attention with a mask per query row over 127 queries (a prime count: the
// query blocks are one row each).
func.func @main(%q: tensor<1x2x127x8xf32> {tfm.name = "q"}, %k: tensor<1x2x127x8xf32> {tfm.name = "k"}, %v: tensor<1x2x127x8xf32> {tfm.name = "v"}, %m: tensor<1x1x127x127xf32> {tfm.name = "m"}) -> (tensor<1x2x127x8xf32> {tfm.name = "out"}) {
  %o = tfm.attention %q, %k, %v mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x127x8xf32>, tensor<1x2x127x8xf32>, tensor<1x2x127x8xf32>, tensor<1x1x127x127xf32>) -> tensor<1x2x127x8xf32>
  return %o : tensor<1x2x127x8xf32>
}
