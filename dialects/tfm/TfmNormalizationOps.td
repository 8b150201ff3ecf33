//===- TfmNormalizationOps.td - layer_norm and rms_norm ----*- tablegen -*-===//

#ifndef TFM_NORMALIZATION_OPS_TD
#define TFM_NORMALIZATION_OPS_TD

include "TfmBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tfm_LayerNormOp : Tfm_Op<"layer_norm",
    [Pure, AttrSizedOperandSegments, Tfm_InferTensorTypes<4>]> {
  let summary = "layer normalization over the trailing axes";
  let description = [{
    Normalizes `x` over `axes` to zero mean and unit variance, then applies
    the optional elementwise `scale` (γ) and `bias` (β):

    `result = (x - mean(x)) / sqrt(var(x) + epsilon) * scale + bias`

    where the mean and (biased) variance are taken over `axes`. The
    normalized axes are the trailing dimensions of `input`, as in
    `torch.nn.LayerNorm` and ONNX `LayerNormalization`.

    `x` is `input`, or with the optional `residual` (a skip connection, as
    ONNX Runtime's `SkipLayerNormalization`) `x = input + residual`, which
    the op also returns as its second result `sum` for the layers after it.

    Constraints:
    * (layer_norm_c1) `axes` is non-empty and lists the trailing dimensions
      of `input` in increasing order: `[r-k, ..., r-1]` for rank `r`.
    * (layer_norm_c2) `scale` and `bias`, when present, have the same
      element type as `input` and the normalized shape `input[r-k:]`.
    * (layer_norm_c3) `epsilon` is non-negative.
    * (layer_norm_c4) `result` has the type of `input`.
    * (layer_norm_c5) `residual`, when present, has the type of `input`;
      then (and only then) the op has the second result `sum`, of that type.

    Example:

    ```mlir
    %y = tfm.layer_norm %x scale(%gamma) bias(%beta) axes = [2] epsilon = 1.0e-12
        : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>)
        -> tensor<1x128x768xf32>
    %z, %sum = tfm.layer_norm %a residual(%b) scale(%gamma) axes = [2]
        epsilon = 1.0e-5
        : (tensor<1x8x64xf32>, tensor<1x8x64xf32>, tensor<64xf32>)
        -> (tensor<1x8x64xf32>, tensor<1x8x64xf32>)
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input,
                       Optional<Tfm_FloatTensor>:$residual,
                       Optional<Tfm_FloatTensor>:$scale,
                       Optional<Tfm_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Tfm_FloatTensor:$result,
                      Optional<Tfm_FloatTensor>:$sum);
  let assemblyFormat = [{
    $input (`residual` `(` $residual^ `)`)? (`scale` `(` $scale^ `)`)?
    (`bias` `(` $bias^ `)`)?
    `axes` `=` $axes `epsilon` `=` $epsilon attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tfm_RmsNormOp : Tfm_Op<"rms_norm",
    [Pure, AttrSizedOperandSegments, Tfm_InferTensorTypes<4>]> {
  let summary = "root-mean-square normalization over the trailing axes";
  let description = [{
    Scales `input` by the reciprocal of its root mean square over `axes`,
    then applies the optional elementwise `scale` (γ), as in LLaMA's
    `RMSNorm` and ONNX `RMSNormalization`:

    `result = x / sqrt(mean(x²) + epsilon) * scale`

    `x` is `input`, or with the optional `residual` (as ONNX Runtime's
    `SkipSimplifiedLayerNormalization`) `x = input + residual`, which the op
    also returns as its second result `sum`.

    Constraints:
    * (rms_norm_c1) `axes` is non-empty and lists the trailing dimensions of
      `input` in increasing order: `[r-k, ..., r-1]` for rank `r`.
    * (rms_norm_c2) `scale`, when present, has the same element type as
      `input` and the normalized shape `input[r-k:]`.
    * (rms_norm_c3) `epsilon` is non-negative.
    * (rms_norm_c4) `result` has the type of `input`.
    * (rms_norm_c5) `residual`, when present, has the type of `input`; then
      (and only then) the op has the second result `sum`, of that type.

    Example:

    ```mlir
    %y = tfm.rms_norm %x scale(%gamma) axes = [2] epsilon = 9.99999997E-7
        : (tensor<1x128x2048xf32>, tensor<2048xf32>) -> tensor<1x128x2048xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input,
                       Optional<Tfm_FloatTensor>:$residual,
                       Optional<Tfm_FloatTensor>:$scale,
                       DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Tfm_FloatTensor:$result,
                      Optional<Tfm_FloatTensor>:$sum);
  let assemblyFormat = [{
    $input (`residual` `(` $residual^ `)`)? (`scale` `(` $scale^ `)`)?
    `axes` `=` $axes `epsilon` `=` $epsilon
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TFM_NORMALIZATION_OPS_TD
