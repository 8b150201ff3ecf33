//===- TfmShapeOps.td - data movement and shape ops --------*- tablegen -*-===//
//
// transpose, reshape, expand, concat, split, slice, gather, select.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_SHAPE_OPS_TD
#define TFM_SHAPE_OPS_TD

include "TfmBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tfm_TransposeOp : Tfm_Op<"transpose",
    [Pure, Tfm_InferTensorTypes<2>]> {
  let summary = "permutes dimensions";
  let description = [{
    Dimension `d` of `result` is dimension `perm[d]` of `input`, as
    `numpy.transpose(input, perm)`.

    Constraints:
    * (transpose_c1) `perm` is a permutation of `[0, rank(input))`.
    * (transpose_c2) `result` has the element type of `input` and shape
      `result[d] = input[perm[d]]`.

    Example (split heads `[B, S, H, D]` to `[B, H, S, D]`):

    ```mlir
    %t = tfm.transpose %x perm = [0, 2, 1, 3]
        : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat =
      "$input `perm` `=` $perm attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tfm_ReshapeOp : Tfm_Op<"reshape", [Pure]> {
  let summary = "reinterprets the shape, keeping row-major element order";
  let description = [{
    Gives `input`'s elements, in row-major order, the shape of `result`.

    Constraints:
    * (reshape_c1) `result` has the element type of `input`.
    * (reshape_c2) when both shapes are static, they have the same number of
      elements.

    Example:

    ```mlir
    %r = tfm.reshape %x : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfm_ExpandOp : Tfm_Op<"expand", [Pure]> {
  let summary = "broadcasts to a larger shape";
  let description = [{
    Broadcasts `input` NumPy-style to the shape of `result`: shapes align at
    the trailing dimension, each input dimension is 1 (repeated) or equal to
    the result dimension, and missing leading dimensions are added.

    Constraints:
    * (expand_c1) `result` has the element type of `input` and at least its
      rank.
    * (expand_c2) each dimension of `input` is 1 or equal to the
      corresponding (trailing-aligned) dimension of `result`.

    Example:

    ```mlir
    %e = tfm.expand %pos : tensor<1x128xi64> -> tensor<4x128xi64>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfm_ConcatOp : Tfm_Op<"concat",
    [Pure, Tfm_InferTensorTypes<4>]> {
  let summary = "joins tensors along an axis";
  let description = [{
    Concatenates `inputs` along `axis`.

    Constraints:
    * (concat_c1) there is at least one input; all inputs have the same rank
      and element type.
    * (concat_c2) `axis` is in `[0, rank)`.
    * (concat_c3) the inputs agree on every dimension except `axis`.
    * (concat_c4) `result` has the inputs' element type and shape, with
      dimension `axis` the sum of theirs.

    Example:

    ```mlir
    %c = tfm.concat %a, %b axis = 1
        : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x128xf32>
    ```
  }];
  let arguments = (ins Variadic<Tfm_Tensor>:$inputs, Tfm_I64Attr:$axis);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` "
                       "functional-type($inputs, results)";
  let hasFolder = 1;
}

def Tfm_SplitOp : Tfm_Op<"split", [Pure]> {
  let summary = "cuts a tensor into consecutive pieces along an axis";
  let description = [{
    Splits `input` along `axis` into consecutive pieces whose sizes are the
    results' dimensions `axis`, in order.

    Constraints:
    * (split_c1) `axis` is in `[0, rank(input))` and there is at least one
      result.
    * (split_c2) every result has the element type and rank of `input` and
      agrees with it on every dimension except `axis`.
    * (split_c3) the results' sizes along `axis` sum to `input[axis]`.

    Example (a merged QKV projection):

    ```mlir
    %q, %k, %v = tfm.split %qkv axis = 2 : tensor<1x128x2304xf32>
        -> tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, Tfm_I64Attr:$axis);
  let results = (outs Variadic<Tfm_Tensor>:$results);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input) "
                       "`->` type($results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfm_SliceOp : Tfm_Op<"slice", [Pure, Tfm_InferTensorTypes<3>]> {
  let summary = "strided slice";
  let description = [{
    Takes, along every dimension `d`, the elements
    `starts[d], starts[d] + strides[d], ...` below `limits[d]`, so that
    `result[d] = ceil((limits[d] - starts[d]) / strides[d])`.

    A limit may be a run-time `index` value (written `%n` in `limits`):
    the size of a dynamic dimension, such as the first `n` rows of a
    position table for an `n`-token sequence. Its result dimension is
    dynamic; the value must lie in `[starts[d], input[d]]` at run time.

    Constraints:
    * (slice_c1) `starts`, `limits` and `strides` have one entry per
      dimension of `input`, and `limits` holds one dynamic entry per
      `index` operand.
    * (slice_c2) `strides` are positive and `0 <= starts[d] <= limits[d]`,
      with `limits[d] <= input[d]` where that dimension is static (for
      static limits).
    * (slice_c3) `result` has the element type of `input` and the shape
      above.

    Examples (the first half of the last dimension; the first `%n` rows
    of a table):

    ```mlir
    %h = tfm.slice %x starts = [0, 0, 0] limits = [1, 128, 32] strides = [1, 1, 1]
        : tensor<1x128x64xf32> -> tensor<1x128x32xf32>
    %p = tfm.slice %table starts = [0, 0] limits = [%n, 64] strides = [1, 1]
        : tensor<1024x64xf32> -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$limits, DenseI64ArrayAttr:$strides,
                       Variadic<Index>:$dynamic_limits);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = [{
    $input `starts` `=` $starts
    `limits` `=` custom<DynamicIndexList>($dynamic_limits, $limits)
    `strides` `=` $strides attr-dict `:` type($input) `->` type($result)
  }];
  let builders = [
    // Static limits.
    OpBuilder<(ins "Value":$input, "ArrayRef<int64_t>":$starts,
                   "ArrayRef<int64_t>":$limits, "ArrayRef<int64_t>":$strides),
    [{
      build($_builder, $_state, input, starts, limits, strides, ValueRange());
    }]>
  ];
  let extraClassDeclaration = [{
    /// True when the slice keeps all of dimension `axis` of its input:
    /// start 0, stride 1 and a limit that is the input's size there (the
    /// static size, or at run time the input's own `tensor.dim`).
    bool keepsWholeDim(unsigned axis);
  }];
  let hasFolder = 1;
}

def Tfm_GatherOp : Tfm_Op<"gather", [Pure, Tfm_InferTensorTypes<2>]> {
  let summary = "gathers slices by index along an axis (embedding lookup)";
  let description = [{
    Indexes dimension `axis` of `input` with every element of `indices`, as
    ONNX `Gather` and `numpy.take`:

    `result[p..., i..., q...] = input[p..., indices[i...], q...]`

    so `result` has shape `input[:axis] + indices.shape + input[axis+1:]`.
    An embedding lookup is `gather` with `axis = 0`. Negative indices count
    from the end of the axis; indices outside `[-input[axis], input[axis])`
    give undefined values.

    `input` may hold 4-bit codes: the rows of a quantized embedding table,
    dequantized after the gather.

    Constraints:
    * (gather_c1) `axis` is in `[0, rank(input))`.
    * (gather_c2) `result` has the element type of `input` and the shape
      above.

    Example (token embedding):

    ```mlir
    %e = tfm.gather %table, %ids axis = 0
        : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins Tfm_ConstantTensor:$input, Tfm_IndexTensor:$indices,
                       Tfm_I64Attr:$axis);
  let results = (outs Tfm_ConstantTensor:$result);
  let assemblyFormat = "$input `,` $indices `axis` `=` $axis attr-dict `:` "
                       "functional-type(operands, results)";
  let hasFolder = 1;
}

def Tfm_SelectOp : Tfm_Op<"select", [Pure, Tfm_InferTensorTypes<3>]> {
  let summary = "picks one index along an axis, dropping the axis";
  let description = [{
    Takes index `index` of dimension `axis` and removes that dimension, as
    `torch.select(input, axis, index)` or `x[:, index]`. A classifier reads
    the `[CLS]` token with `select` on the sequence axis.

    Constraints:
    * (select_c1) `axis` is in `[0, rank(input))`.
    * (select_c2) `index` is non-negative and, where `input[axis]` is
      static, smaller than it.
    * (select_c3) `result` has the element type of `input` and its shape
      without dimension `axis`.

    Example:

    ```mlir
    %cls = tfm.select %h axis = 1 index = 0
        : tensor<1x128x768xf32> -> tensor<1x768xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, Tfm_I64Attr:$axis, Tfm_I64Attr:$index);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis `index` `=` $index attr-dict "
                       "`:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Tfm_GatherElementsOp : Tfm_Op<"gather_elements",
    [Pure, Tfm_InferTensorTypes<3>]> {
  let summary = "gathers single elements by index along an axis";
  let description = [{
    Picks, for every position of `indices`, one element of `input` along
    `axis`, as ONNX `GatherElements` and `torch.gather`:

    `result[p] = input[p with p[axis] replaced by indices[p]]`

    Negative indices count from the end of the axis; indices outside
    `[-input[axis], input[axis])` give undefined values.

    Constraints:
    * (gather_elements_c1) `axis` is in `[0, rank(input))` and `indices` has
      the rank of `input`.
    * (gather_elements_c2) every dimension of `indices` other than `axis` is
      at most the corresponding dimension of `input`.
    * (gather_elements_c3) `result` has the element type of `input` and the
      shape of `indices`.

    Example:

    ```mlir
    %g = tfm.gather_elements %x, %idx axis = 1
        : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, Tfm_IndexTensor:$indices,
                       Tfm_I64Attr:$axis);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$input `,` $indices `axis` `=` $axis attr-dict `:` "
                       "functional-type(operands, results)";
}

def Tfm_ReverseOp : Tfm_Op<"reverse", [Pure, SameOperandsAndResultType]> {
  let summary = "reverses the order of elements along axes";
  let description = [{
    Reverses `input` along each of `axes`, as `numpy.flip`. Strided slices
    with negative steps import as `reverse` followed by `slice`.

    Constraints:
    * (reverse_c1) `axes` is non-empty, strictly increasing and within
      `[0, rank(input))`.
    * (reverse_c2) `result` has the type of `input`.

    Example:

    ```mlir
    %r = tfm.reverse %x axes = [1] : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$input `axes` `=` $axes attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfm_PadOp : Tfm_Op<"pad", [Pure, Tfm_InferTensorTypes<4>]> {
  let summary = "pads a tensor's borders";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d` of
    `input` (ONNX Pad, `numpy.pad`), filled by `mode`: `constant` with the
    scalar `value` (zero when absent), `edge` with the nearest element,
    `reflect` with the elements mirrored about the edge (not repeating
    it), `wrap` with the elements from the other end.

    Constraints:
    * (pad_c1) `low` and `high` have one non-negative entry per dimension.
    * (pad_c2) `value`, when present, is a scalar of the input's element
      type, and only in `constant` mode.
    * (pad_c3) a padded dimension of an `edge` or `wrap` pad has at least
      one element, and a `reflect` pad adds fewer elements on each side
      than the dimension has.
    * (pad_c4) `result` has the element type of `input` and its shape
      grown by `low + high`.

    Example:

    ```mlir
    %p = tfm.pad %x low = [0, 0, 1] high = [0, 0, 1] mode = reflect
        : (tensor<1x80x3000xf32>) -> tensor<1x80x3002xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, Optional<Tfm_Tensor>:$value,
                       DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high,
                       Tfm_PadModeAttr:$mode);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = [{
    $input (`,` $value^)? `low` `=` $low `high` `=` $high `mode` `=` $mode
    attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Tfm_ScatterNDOp : Tfm_Op<"scatter_nd", [Pure, Tfm_InferTensorTypes<4>]> {
  let summary = "writes slices of updates at index tuples of a copy of input";
  let description = [{
    ONNX ScatterND: a copy of `input` in which, for every tuple position
    `u` of `indices` (all its dimensions but the last), the slice
    `input[indices[u]]` (the last dimension of `indices` holds k
    coordinates into the first k dimensions of `input`; negative ones count
    from the end) becomes `updates[u]`, or is combined with it by
    `reduction` (`add`, `mul`, `max`, `min`), in the order of `u`.
    ScatterElements imports as a `scatter_nd` with one tuple per element.
    Coordinates outside their dimension are clamped to it (ONNX leaves
    them undefined); with `none`, the last of repeated tuples wins.

    Constraints:
    * (scatter_nd_c1) `indices` has rank 1 or more, and its last dimension
      k is static, at least 1 and at most rank(`input`).
    * (scatter_nd_c2) `updates` has the shape `indices[:-1] + input[k:]`
      and the element type of `input`.
    * (scatter_nd_c3) a reduction needs a numeric (not i1) element type.
    * (scatter_nd_c4) `result` has the type of `input`.

    Example:

    ```mlir
    %r = tfm.scatter_nd %cache, %rows, %new reduction = none
        : (tensor<16x64xf32>, tensor<2x1xi64>, tensor<2x64xf32>)
        -> tensor<16x64xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input, Tfm_IndexTensor:$indices,
                       Tfm_Tensor:$updates,
                       Tfm_ScatterReductionAttr:$reduction);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `,` $updates `reduction` `=` $reduction attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // TFM_SHAPE_OPS_TD
