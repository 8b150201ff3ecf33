// One decode step of grouped-query attention over a cache of 127 rows,
// with the append as the exporters write it.
func.func @main(%q: tensor<1x2x1x8xf32> {tfm.name = "q"}, %k: tensor<1x1x1x8xf32> {tfm.name = "k"}, %v: tensor<1x1x1x8xf32> {tfm.name = "v"}, %pk: tensor<1x1x127x8xf32> {tfm.name = "pk"}, %pv: tensor<1x1x127x8xf32> {tfm.name = "pv"}, %m: tensor<1x1x1x128xf32> {tfm.name = "m"}) -> (tensor<1x2x1x8xf32> {tfm.name = "out"}) {
  %kk = tfm.concat %pk, %k axis = 2 : (tensor<1x1x127x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x1x128x8xf32>
  %vv = tfm.concat %pv, %v axis = 2 : (tensor<1x1x127x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x1x128x8xf32>
  %o = tfm.attention %q, %kk, %vv mask(%m) heads = 2 kv_heads = 1 : (tensor<1x2x1x8xf32>, tensor<1x1x128x8xf32>, tensor<1x1x128x8xf32>, tensor<1x1x1x128xf32>) -> tensor<1x2x1x8xf32>
  return %o : tensor<1x2x1x8xf32>
}
