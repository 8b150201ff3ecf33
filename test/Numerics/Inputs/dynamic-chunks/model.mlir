// Row-wise ops over a run-time number of rows (see dynamic-chunks.test):
// a residual sum, a layer norm, GELU, a softmax, an RMS norm and a product.
func.func @main(%x: tensor<1x?x64xf32> {tfm.name = "x"}, %y: tensor<1x?x64xf32> {tfm.name = "y"}) -> (tensor<1x?x64xf32> {tfm.name = "out"}) {
  %g = arith.constant dense<1.5> : tensor<64xf32>
  %b = arith.constant dense<0.25> : tensor<64xf32>
  %s = tfm.add %x, %y : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %n = tfm.layer_norm %s scale(%g) bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %h = tfm.gelu %n approximate = tanh : tensor<1x?x64xf32>
  %p = tfm.softmax %h axis = 2 : tensor<1x?x64xf32>
  %r = tfm.rms_norm %p scale(%g) axes = [2] epsilon = 1.0e-6 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %z = tfm.mul %r, %x : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %z : tensor<1x?x64xf32>
}
