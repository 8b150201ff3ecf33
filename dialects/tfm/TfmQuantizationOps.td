//===- TfmQuantizationOps.td - quantize and dequantize -----*- tablegen -*-===//
//
// Quantized tensors are builtin integer tensors; their scheme (scale, zero
// point, axis, block size) is explicit in the graph, as operands of the ops
// below, rather than hidden in a type: millions of per-block scales are
// ordinary weights, not uniqued type storage.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_QUANTIZATION_OPS_TD
#define TFM_QUANTIZATION_OPS_TD

include "TfmBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Storage types of quantized values; dequantize also reads i32 (the
// biases of QDQ graphs, quantized with the product of two scales). A 4-bit
// constant holds one element per byte (the value in the low nibble) until
// the backend packs two per byte.
def Tfm_QuantizedInt
    : AnyTypeOf<[I<4>, UI<4>, I8, UI8, I16, UI16],
                "i4, ui4, i8, ui8, i16 or ui16">;
def Tfm_QuantizedTensor : RankedTensorOf<[Tfm_QuantizedInt]>;
def Tfm_DequantizableTensor : RankedTensorOf<[Tfm_QuantizedInt, I32]>;

// The scheme shared by both ops, in their descriptions.
defvar Tfm_QuantizationScheme = [{
    The scheme follows ONNX `QuantizeLinear`/`DequantizeLinear`; the shape
    of `scale` selects its granularity:

    * per tensor: `scale` has rank 0; no `axis` or `block_size`;
    * per axis: `scale` has shape `[x[axis]]` (one scale per index along
      `axis`), no `block_size`;
    * blocked: `scale` has the rank of the tensor, the tensor's sizes except
      `ceil(x[axis] / block_size)` along `axis`; element `i` along `axis`
      uses scale `i / block_size`.

    `zero_point`, when present, has the shape of `scale` and the element
    type of the quantized tensor; absent, it is 0 (symmetric).
}];

class Tfm_QuantizationOp<string mnemonic>
    : Tfm_Op<mnemonic, [Pure]> {
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
  code extraBaseClassDeclaration = [{
    /// The float tensor of the pair (quantize's input, dequantize's result).
    ::mlir::RankedTensorType getFloatType();
    /// The integer tensor of the pair.
    ::mlir::RankedTensorType getQuantizedType();
    /// True for one scale for the whole tensor.
    bool isPerTensor() { return getScale().getType().getRank() == 0; }
  }];
}

def Tfm_QuantizeOp : Tfm_QuantizationOp<"quantize"> {
  let summary = "float to integer with a scale and a zero point";
  let description = !strconcat([{
    Maps each element of the float tensor `input` to the integer type of
    `result`:

    `result = saturate(round_half_to_even(input / scale) + zero_point)`

    where `saturate` clamps to the integer type's range.
  }], Tfm_QuantizationScheme, [{
    Constraints:
    * (quantize_c1) `scale` has the element type of `input`.
    * (quantize_c2) `scale`, `axis` and `block_size` form one of the three
      granularities above: `axis` in `[0, rank)` when given,
      `block_size` positive, sizes as stated.
    * (quantize_c3) `zero_point`, when present, has the shape of `scale`
      and the element type of `result`.
    * (quantize_c4) `result` has the shape of `input`.

    Example (per-token activation quantization, one scale per row):

    ```mlir
    %q = tfm.quantize %x, %s, %zp {axis = 0 : i64}
        : (tensor<128x768xf32>, tensor<128xf32>, tensor<128xui8>)
        -> tensor<128x768xui8>
    ```
  }]);
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_FloatTensor:$scale,
                       Optional<Tfm_QuantizedTensor>:$zero_point,
                       OptionalAttr<Tfm_I64Attr>:$axis,
                       OptionalAttr<Tfm_I64Attr>:$block_size);
  let results = (outs Tfm_QuantizedTensor:$result);
  let hasFolder = 1;
  let extraClassDeclaration = extraBaseClassDeclaration;
}

def Tfm_DequantizeOp : Tfm_QuantizationOp<"dequantize"> {
  let summary = "integer to float with a scale and a zero point";
  let description = !strconcat([{
    Maps each element of the integer tensor `input` to the float type of
    `result`:

    `result = (input - zero_point) * scale`
  }], Tfm_QuantizationScheme, [{
    A `dequantize` of a constant is a quantized weight: it is never folded
    back into a float constant. The backend contracts a `linear` or
    `matmul` whose weight is a dequantized integer tensor in integer or
    mixed precision, applying the scales after the product.

    Constraints:
    * (dequantize_c1) `scale` has the element type of `result`.
    * (dequantize_c2) `scale`, `axis` and `block_size` form one of the
      three granularities above: `axis` in `[0, rank)` when given,
      `block_size` positive, sizes as stated.
    * (dequantize_c3) `zero_point`, when present, has the shape of `scale`
      and the element type of `input`.
    * (dequantize_c4) `result` has the shape of `input`.

    Example (an int8 weight with one scale per output feature):

    ```mlir
    %w = tfm.dequantize %q, %s {axis = 0 : i64}
        : (tensor<3072x768xi8>, tensor<3072xf32>) -> tensor<3072x768xf32>
    ```
  }]);
  let arguments = (ins Tfm_DequantizableTensor:$input, Tfm_FloatTensor:$scale,
                       Optional<Tfm_DequantizableTensor>:$zero_point,
                       OptionalAttr<Tfm_I64Attr>:$axis,
                       OptionalAttr<Tfm_I64Attr>:$block_size);
  let results = (outs Tfm_FloatTensor:$result);
  let extraClassDeclaration = extraBaseClassDeclaration;
}

#endif // TFM_QUANTIZATION_OPS_TD
