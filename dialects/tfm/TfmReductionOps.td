//===- TfmReductionOps.td - reductions, pools, softmax -----*- tablegen -*-===//

#ifndef TFM_REDUCTION_OPS_TD
#define TFM_REDUCTION_OPS_TD

include "TfmBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Tfm_ReductionOp<string mnemonic, Type tensorType, string opSummary,
                      string semantics>
    : Tfm_Op<mnemonic, [Pure, Tfm_InferTensorTypes<2>]> {
  let summary = opSummary;
  let description = "\n    " # semantics # [{

    `axes` lists the reduced dimensions. With `keepdims` they stay in the
    result with size 1; without it they are removed.

    Constraints:
    * (}] # mnemonic # [{_c1) `axes` is non-empty, strictly increasing, and
      each axis is in `[0, rank(input))`.
    * (}] # mnemonic # [{_c2) `result` has the element type of `input` and
      its shape with `axes` set to 1 (`keepdims`) or removed.

    Example:

    ```mlir
    %m = tfm.}] # mnemonic # [{ %x axes = [2] keepdims
        : (tensor<1x128x768xf32>) -> tensor<1x128x1xf32>
    ```
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input `axes` `=` $axes (`keepdims` $keepdims^)? "
                       "attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::tfm::detail::inferReductionType(
          getOperationName(), location, adaptor.getInput().getType(),
          adaptor.getAxes(), adaptor.getKeepdims(), inferred);
    }
  }];
}

def Tfm_ReduceSumOp : Tfm_ReductionOp<"reduce_sum", Tfm_NumericTensor,
    "sum over axes", "Sums `input` over `axes`, accumulating in the element "
    "type.">;
def Tfm_ReduceMeanOp : Tfm_ReductionOp<"reduce_mean", Tfm_FloatTensor,
    "arithmetic mean over axes", "Averages `input` over `axes`.">;
def Tfm_ReduceProdOp : Tfm_ReductionOp<"reduce_prod", Tfm_NumericTensor,
    "product over axes", "Multiplies `input` over `axes`, accumulating in "
    "the element type (f32 for f16 and bf16). Integer overflow wraps.">;
def Tfm_ReduceMaxOp : Tfm_ReductionOp<"reduce_max", Tfm_NumericTensor,
    "maximum over axes", "Takes the maximum of `input` over `axes`; for "
    "floats a NaN element gives NaN.">;

def Tfm_ReduceMinOp : Tfm_ReductionOp<"reduce_min", Tfm_NumericTensor,
    "minimum over axes", "Takes the minimum of `input` over `axes`; for "
    "floats a NaN element gives NaN.">;

class Tfm_ArgReductionOp<string mnemonic, string opSummary, string semantics>
    : Tfm_Op<mnemonic, [Pure, Tfm_InferTensorTypes<2>]> {
  let summary = opSummary;
  let description = "\n    " # semantics # [{

    The result holds `int64` positions along `axis`. Among equal elements
    the first is taken, or the last with `select_last_index`. With
    `keepdims` the axis stays in the result with size 1; without it, it is
    removed.

    Constraints:
    * (}] # mnemonic # [{_c1) `axis` is in `[0, rank(input))`.
    * (}] # mnemonic # [{_c2) `result` is `i64` with the shape of `input`
      with `axis` set to 1 (`keepdims`) or removed.

    Example:

    ```mlir
    %i = tfm.}] # mnemonic # [{ %logits axis = 2
        : (tensor<1x128x50257xf32>) -> tensor<1x128xi64>
    ```
  }];
  let arguments = (ins Tfm_NumericTensor:$input, Tfm_I64Attr:$axis,
                       UnitAttr:$keepdims, UnitAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$input `axis` `=` $axis (`keepdims` $keepdims^)? "
                       "(`select_last_index` $select_last_index^)? "
                       "attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::tfm::detail::inferArgReductionType(
          getOperationName(), location, adaptor.getInput().getType(),
          adaptor.getAxis(), adaptor.getKeepdims(), inferred);
    }
  }];
}

def Tfm_ArgMaxOp : Tfm_ArgReductionOp<"argmax", "position of the maximum",
    "Finds the position of the largest element of `input` along `axis`; for "
    "floats a NaN counts as the largest.">;
def Tfm_ArgMinOp : Tfm_ArgReductionOp<"argmin", "position of the minimum",
    "Finds the position of the smallest element of `input` along `axis`; "
    "for floats a NaN counts as the smallest.">;

class Tfm_PoolOp<string mnemonic, Type tensorType, string opSummary,
                 string semantics, dag extraArgs, string extraFormat>
    : Tfm_Op<mnemonic, [Pure, Tfm_InferTensorTypes<4>]> {
  let summary = opSummary;
  let description = "\n    " # semantics # [{

    `input` is `[N, C, x1, ..., xd]`. Along spatial dimension `i` the
    window has `kernel[i]` taps `dilations[i]` apart and moves by
    `strides[i]`; the input is padded by `padding[i]` before and
    `padding[d + i]` after (padded positions never win a maximum and are
    left out of an average unless `count_include_pad`). With `eff_i =
    dilations[i]·(kernel[i] - 1) + 1` and `p_i = x_i + padding[i] +
    padding[d + i]`:

    `out_i = floor((p_i - eff_i) / strides[i]) + 1`

    or, with `ceil_mode`, `ceil((p_i - eff_i) / strides[i]) + 1`, less one
    when the last window would start past the input and its leading
    padding (as PyTorch and ONNX Runtime). Windows that reach past the
    padded input in `ceil_mode` see only their positions inside it.

    Constraints:
    * (}] # mnemonic # [{_c1) `input` has rank 3 or more.
    * (}] # mnemonic # [{_c2) `kernel`, `strides` and `dilations` have `d`
      positive entries and `padding` has `2d` non-negative ones.
    * (}] # mnemonic # [{_c3) every output size `out_i` is at least 1.
    * (}] # mnemonic # [{_c4) `result` has the element type of `input` and
      shape `[N, C, out_1, ..., out_d]`.

    Example:

    ```mlir
    %p = tfm.}] # mnemonic # [{ %x kernel = [3, 3] strides = [2, 2]
        padding = [1, 1, 1, 1] dilations = [1, 1]
        : (tensor<1x64x56x56xf32>) -> tensor<1x64x28x28xf32>
    ```
  }];
  let arguments = !con((ins tensorType:$input, DenseI64ArrayAttr:$kernel,
                            DenseI64ArrayAttr:$strides,
                            DenseI64ArrayAttr:$padding,
                            DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode),
                       extraArgs);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input `kernel` `=` $kernel `strides` `=` $strides "
                       "`padding` `=` $padding `dilations` `=` $dilations "
                       "(`ceil_mode` $ceil_mode^)? " # extraFormat #
                       "attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::tfm::detail::inferPoolType(
          getOperationName(), location, adaptor.getInput().getType(),
          adaptor.getKernel(), adaptor.getStrides(), adaptor.getPadding(),
          adaptor.getDilations(), adaptor.getCeilMode(), inferred);
    }
  }];
}

def Tfm_MaxPoolOp : Tfm_PoolOp<"max_pool", Tfm_NumericTensor,
    "maximum over sliding windows (channels first)",
    "Takes the maximum of each window of `input` (ONNX MaxPool, "
    "`torch.nn.MaxPoolNd`); for floats a NaN in the window gives NaN.",
    (ins), "">;

def Tfm_AvgPoolOp : Tfm_PoolOp<"avg_pool", Tfm_FloatTensor,
    "mean over sliding windows (channels first)",
    "Averages each window of `input` (ONNX AveragePool, "
    "`torch.nn.AvgPoolNd`), accumulating in f32 for f16/bf16. The divisor "
    "counts the window's positions inside the input, or with "
    "`count_include_pad` inside the padded input.",
    (ins UnitAttr:$count_include_pad),
    "(`count_include_pad` $count_include_pad^)? ">;

def Tfm_SoftmaxOp : Tfm_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    Computes `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis`. The
    maximum is subtracted so that large logits do not overflow.

    Constraints:
    * (softmax_c1) `axis` is in `[0, rank(input))`.
    * (softmax_c2) `result` has the type of `input`.

    Example:

    ```mlir
    %p = tfm.softmax %scores axis = 3 : tensor<1x12x128x128xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_I64Attr:$axis);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Tfm_LogSoftmaxOp : Tfm_Op<"log_softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "logarithm of softmax along one axis";
  let description = [{
    Computes `x - max(x) - log(sum(exp(x - max(x))))` along `axis`, the
    logarithm of `tfm.softmax` without forming the softmax itself.

    Constraints:
    * (log_softmax_c1) `axis` is in `[0, rank(input))`.
    * (log_softmax_c2) `result` has the type of `input`.

    Example:

    ```mlir
    %lp = tfm.log_softmax %logits axis = 2 : tensor<1x128x50257xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_I64Attr:$axis);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Tfm_CumsumOp : Tfm_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "running sum along one axis";
  let description = [{
    Sums `input` along `axis` cumulatively (ONNX CumSum, `torch.cumsum`):
    element `i` of the result holds the sum of elements `[0, i]`, or
    `[0, i)` with `exclusive`; with `reverse` the sums run from the end
    (`[i, n)`, or `(i, n)`). Floats of 16 bits accumulate in f32; integers
    wrap. Exporters compute position ids from padding masks this way.

    Constraints:
    * (cumsum_c1) `axis` is in `[0, rank(input))`.
    * (cumsum_c2) `result` has the type of `input`.

    Example:

    ```mlir
    %c = tfm.cumsum %mask axis = 1 : tensor<1x?xi64>
    ```
  }];
  let arguments = (ins Tfm_NumericTensor:$input, Tfm_I64Attr:$axis,
                       UnitAttr:$exclusive, UnitAttr:$reverse);
  let results = (outs Tfm_NumericTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis (`exclusive` $exclusive^)? "
                       "(`reverse` $reverse^)? attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // TFM_REDUCTION_OPS_TD
