// decode-concat.mlir with the cache read in place (tfm-fuse-kv-cache).
func.func @main(%q: tensor<1x2x1x8xf32> {tfm.name = "q"}, %k: tensor<1x1x1x8xf32> {tfm.name = "k"}, %v: tensor<1x1x1x8xf32> {tfm.name = "v"}, %pk: tensor<1x1x127x8xf32> {tfm.name = "pk"}, %pv: tensor<1x1x127x8xf32> {tfm.name = "pv"}, %m: tensor<1x1x1x128xf32> {tfm.name = "m"}) -> (tensor<1x2x1x8xf32> {tfm.name = "out"}) {
  %o = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 2 kv_heads = 1 : (tensor<1x2x1x8xf32>, tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>, tensor<1x1x127x8xf32>, tensor<1x1x127x8xf32>, tensor<1x1x1x128xf32>) -> tensor<1x2x1x8xf32>
  return %o : tensor<1x2x1x8xf32>
}
