//===- Passes.td - graph-level passes on tfm ----------------*- tablegen -*-===//

#ifndef TFM_PASSES_TD
#define TFM_PASSES_TD

include "mlir/Pass/PassBase.td"

def RefineShapesPass : Pass<"tfm-refine-shapes", "ModuleOp"> {
  let summary = "Propagates static shapes through tfm ops into function results";
  let description = [{
    Re-infers the result type of every tfm op from its operands, in program
    order, and keeps the more refined of the declared and inferred types: a
    dynamic dimension (`?`) becomes static wherever the operands determine it.
    Ops whose result types are declared refine the dimensions their input
    determines: `tfm.cast` takes its input's shape, `tfm.split` pieces the
    input's dimensions off the axis, `tfm.expand` the dimensions the input
    does not broadcast, and `tfm.reshape` its single unknown dimension from
    the element count. Function result types follow
    the refined values returned, for single-block functions that no call
    site in the module references; every other user outside tfm keeps the
    declared type through a `tensor.cast`.

    This is how a graph imported with unknown dimensions becomes static once
    its inputs are fixed. Shapes that turn out to be incompatible are
    reported at the op that cannot accept them.

    Example:

    ```mlir
    func.func @f(%x: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
      %0 = tfm.add %x, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
      return %0 : tensor<?x8xf32>
    }
    ```

    becomes a function returning `tensor<2x8xf32>`, with `%0` of that type.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let options = [
    Option<"updateSignatures", "update-signatures", "bool", /*default=*/"true",
           "Refine the result types of functions that no call references">
  ];
}

#endif // TFM_PASSES_TD
