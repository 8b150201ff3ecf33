// A dynamic dimension that reaches code generation (an expand whose result
// size nothing determines): the error names the node, from the location
// the ONNX importer gives every op.
func.func @model(%x: tensor<1x4xf32>) -> tensor<4xf32> {
  %0 = tfm.expand %x : tensor<1x4xf32> -> tensor<?x4xf32> loc("encoder/expand_3")
  %1 = tfm.reduce_sum %0 axes = [0] : (tensor<?x4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
