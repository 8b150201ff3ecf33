//===- TfmOps.td - tfm operations ---------------------------*- tablegen -*-===//
//
// All ops of the tfm dialect. Each family lives in its own file; this file
// holds `tfm.constant` and includes the rest so that ODS emits one op list.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_OPS_TD
#define TFM_OPS_TD

include "TfmBase.td"
include "TfmAttrs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tfm_ConstantOp : Tfm_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "a constant tensor: literals and weights";
  let description = [{
    Produces the tensor held by `value`. Small literals use `dense<...>`;
    weights use `dense_resource<name>`, whose bytes live in the module's
    resource section (or are elided from printed IR with
    `--mlir-elide-resource-strings-if-larger`), so that IR stays readable
    at any model size.

    Constraints:
    * (constant_c1) `value` is a ranked tensor of a `tfm` element type
      (checked on the result type, which is the type of `value`).
    * (constant_c2) a `dense_resource` value whose bytes are present holds
      exactly the bytes its type needs (booleans and 4-bit integers one
      byte each), so that no read of the weight runs past its blob.

    Example:

    ```mlir
    %eps = tfm.constant dense<1.0e-12> : tensor<f32>
    %w = tfm.constant dense_resource<encoder.0.attn.q.weight> : tensor<768x768xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Tfm_ConstantTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

include "TfmElementwiseOps.td"
include "TfmContractionOps.td"
include "TfmReductionOps.td"
include "TfmNormalizationOps.td"
include "TfmAttentionOps.td"
include "TfmShapeOps.td"
include "TfmQuantizationOps.td"

#endif // TFM_OPS_TD
