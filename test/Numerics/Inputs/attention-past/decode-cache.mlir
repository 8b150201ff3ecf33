// One query (a decode step) over a cache of 255 rows, which no power of two
// divides: a tile of 128, fifteen of 8, then seven single rows, each tier
// stopping after the tile that holds the last row the mask shows.
func.func @main(%q: tensor<1x2x1x8xf32> {tfm.name = "q"}, %k: tensor<1x2x1x8xf32> {tfm.name = "k"}, %v: tensor<1x2x1x8xf32> {tfm.name = "v"}, %pk: tensor<1x2x255x8xf32> {tfm.name = "pk"}, %pv: tensor<1x2x255x8xf32> {tfm.name = "pv"}, %m: tensor<1x1x1x256xf32> {tfm.name = "m"}) -> (tensor<1x2x1x8xf32> {tfm.name = "out"}) {
  %o = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x255x8xf32>, tensor<1x2x255x8xf32>, tensor<1x1x1x256xf32>) -> tensor<1x2x1x8xf32>
  return %o : tensor<1x2x1x8xf32>
}
