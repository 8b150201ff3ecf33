// hidden-cache.mlir over the cache stored in f16: the four-query blocks
// read each narrow tile through their products' extensions.
func.func @main(%q: tensor<1x2x4x8xf32> {tfm.name = "q"}, %k: tensor<1x2x4x8xf32> {tfm.name = "k"}, %v: tensor<1x2x4x8xf32> {tfm.name = "v"}, %pk: tensor<1x2x255x8xf16> {tfm.name = "pk"}, %pv: tensor<1x2x255x8xf16> {tfm.name = "pv"}, %m: tensor<1x1x4x259xf32> {tfm.name = "m"}) -> (tensor<1x2x4x8xf32> {tfm.name = "out"}) {
  %o = tfm.attention %q, %k, %v past(%pk, %pv) mask(%m) heads = 2 kv_heads = 2 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x255x8xf16>, tensor<1x2x255x8xf16>, tensor<1x1x4x259xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
