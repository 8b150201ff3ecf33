//===- TfmElementwiseOps.td - elementwise tfm ops ----------*- tablegen -*-===//
//
// Binary arithmetic with NumPy broadcasting, unary math and activations,
// `cast` and `where`.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_ELEMENTWISE_OPS_TD
#define TFM_ELEMENTWISE_OPS_TD

include "TfmBase.td"
include "TfmAttrs.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

class Tfm_BinaryOp<string mnemonic, string opSummary, string semantics,
                   list<Trait> traits = [], Type tensorType = Tfm_NumericTensor>
    : Tfm_Op<mnemonic, !listconcat(traits,
                                   [Pure, Tfm_InferTensorTypes<3>])> {
  let summary = opSummary;
  let description = "\n    " # semantics # [{

    `lhs` and `rhs` broadcast NumPy-style: shapes align at their trailing
    dimension, and each pair of dimensions is equal or one of them is 1.

    Constraints:
    * (}] # mnemonic # [{_c1) `lhs` and `rhs` have the same element type.
    * (}] # mnemonic # [{_c2) the shapes of `lhs` and `rhs` are
      broadcast-compatible.
    * (}] # mnemonic # [{_c3) `result` has the element type of the operands
      and their broadcast shape.

    Example:

    ```mlir
    %r = tfm.}] # mnemonic # [{ %a, %b : (tensor<2x128x768xf32>, tensor<768xf32>) -> tensor<2x128x768xf32>
    ```
  }];
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::tfm::detail::inferBinaryType(
          getOperationName(), location, adaptor.getLhs().getType(),
          adaptor.getRhs().getType(), inferred);
    }
  }];
}

def Tfm_AddOp : Tfm_BinaryOp<"add", "elementwise addition",
    "Computes `lhs + rhs` elementwise. Integer overflow wraps.",
    [Commutative]>;
def Tfm_SubOp : Tfm_BinaryOp<"sub", "elementwise subtraction",
    "Computes `lhs - rhs` elementwise. Integer overflow wraps.">;
def Tfm_MulOp : Tfm_BinaryOp<"mul", "elementwise multiplication",
    "Computes `lhs * rhs` elementwise. Integer overflow wraps.",
    [Commutative]>;
def Tfm_DivOp : Tfm_BinaryOp<"div", "elementwise division",
    "Computes `lhs / rhs` elementwise. Integer division truncates toward "
    "zero; integer division by zero is undefined.">;
def Tfm_PowOp : Tfm_BinaryOp<"pow", "elementwise power",
    "Computes `lhs` raised to the power `rhs` elementwise (C `pow` for "
    "floats; for integers, repeated multiplication with a non-negative "
    "exponent, and 0 for a negative one unless the base is 1 or -1).">;
def Tfm_RemOp : Tfm_BinaryOp<"rem", "elementwise truncated remainder",
    "Computes `lhs - trunc(lhs / rhs) * rhs` elementwise: the remainder "
    "has the sign of `lhs` (C `fmod` and `%`; ONNX Mod with fmod = 1). An "
    "integer remainder by zero is 0; a float one is NaN.">;
def Tfm_ModOp : Tfm_BinaryOp<"mod", "elementwise floored modulo",
    "Computes `lhs - floor(lhs / rhs) * rhs` elementwise: the remainder has "
    "the sign of `rhs` (Python `%`; ONNX Mod with fmod = 0). An integer "
    "modulo by zero is 0; a float one is NaN.">;
def Tfm_MaxOp : Tfm_BinaryOp<"max", "elementwise maximum",
    "Computes the larger of `lhs` and `rhs` elementwise. For floats a NaN "
    "operand gives NaN.",
    [Commutative]>;
def Tfm_MinOp : Tfm_BinaryOp<"min", "elementwise minimum",
    "Computes the smaller of `lhs` and `rhs` elementwise. For floats a NaN "
    "operand gives NaN.",
    [Commutative]>;

def Tfm_ShlOp : Tfm_BinaryOp<"shl", "elementwise shift left",
    "Shifts the bits of `lhs` left by `rhs` elementwise (ONNX BitShift "
    "LEFT), dropping those shifted out; a shift by the type's width or "
    "more (or a negative one) gives 0.",
    [], Tfm_IntegerTensor>;
def Tfm_ShrOp : Tfm_BinaryOp<"shr", "elementwise shift right",
    "Shifts the bits of `lhs` right by `rhs` elementwise (ONNX BitShift "
    "RIGHT): logically for unsigned types, arithmetically (the sign "
    "repeated) for signed ones; a shift by the type's width or more (or a "
    "negative one) gives 0, or -1 for a negative signed `lhs`.",
    [], Tfm_IntegerTensor>;

def Tfm_AndOp : Tfm_BinaryOp<"and", "elementwise logical and",
    "Computes `lhs && rhs` elementwise on booleans.", [Commutative],
    Tfm_BoolTensor>;
def Tfm_OrOp : Tfm_BinaryOp<"or", "elementwise logical or",
    "Computes `lhs || rhs` elementwise on booleans.", [Commutative],
    Tfm_BoolTensor>;
def Tfm_XorOp : Tfm_BinaryOp<"xor", "elementwise logical exclusive or",
    "Computes `lhs != rhs` elementwise on booleans.", [Commutative],
    Tfm_BoolTensor>;

def Tfm_CompareOp : Tfm_Op<"compare", [Pure, Tfm_InferTensorTypes<3>]> {
  let summary = "elementwise comparison";
  let description = [{
    Compares `lhs` with `rhs` elementwise under `predicate` (`eq`, `ne`, `lt`,
    `le`, `gt`, `ge`), giving booleans. Operands broadcast NumPy-style.
    Integers compare by their signedness; a float comparison with NaN is
    false except `ne`, which is true.

    Constraints:
    * (compare_c1) `lhs` and `rhs` have the same element type.
    * (compare_c2) the shapes of `lhs` and `rhs` are broadcast-compatible.
    * (compare_c3) `result` is a tensor of `i1` with the broadcast shape.

    Example:

    ```mlir
    %m = tfm.compare lt, %pos, %len : (tensor<128xi64>, tensor<4x1xi64>) -> tensor<4x128xi1>
    ```
  }];
  let arguments = (ins Tfm_ComparisonPredicateAttr:$predicate,
                       Tfm_Tensor:$lhs, Tfm_Tensor:$rhs);
  let results = (outs Tfm_BoolTensor:$result);
  let assemblyFormat = "`` $predicate `,` $lhs `,` $rhs attr-dict `:` "
                       "functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

class Tfm_UnaryOp<string mnemonic, Type tensorType, string elementKind,
                  string opSummary, string semantics, list<Trait> traits = []>
    : Tfm_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let summary = opSummary;
  let description = "\n    " # semantics # [{

    Constraints:
    * (}] # mnemonic # [{_c1) `input` is a tensor of }] # elementKind # [{.
    * (}] # mnemonic # [{_c2) `result` has the type of `input`.

    Example:

    ```mlir
    %r = tfm.}] # mnemonic # [{ %x : tensor<2x128x768xf32>
    ```
  }];
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

class Tfm_FloatUnaryOp<string mnemonic, string opSummary, string semantics>
    : Tfm_UnaryOp<mnemonic, Tfm_FloatTensor, "floating-point type", opSummary,
                  semantics>;

def Tfm_NegOp : Tfm_UnaryOp<"neg", Tfm_SignedTensor,
    "floating-point or signed integer type", "elementwise negation",
    "Computes `-input` elementwise. Integer overflow wraps.">;
def Tfm_ReluOp : Tfm_UnaryOp<"relu", Tfm_SignedTensor,
    "floating-point or signed integer type", "rectified linear unit",
    "Computes `max(input, 0)` elementwise.">;
def Tfm_AbsOp : Tfm_UnaryOp<"abs", Tfm_SignedTensor,
    "floating-point or signed integer type", "elementwise absolute value",
    "Computes `|input|` elementwise. The most negative integer maps to "
    "itself.">;
def Tfm_NotOp : Tfm_UnaryOp<"not", Tfm_BoolTensor, "`i1`",
    "elementwise logical negation", "Computes `!input` elementwise.">;
def Tfm_FloorOp : Tfm_FloatUnaryOp<"floor", "elementwise floor",
    "Rounds `input` down to an integer value elementwise.">;
def Tfm_CeilOp : Tfm_FloatUnaryOp<"ceil", "elementwise ceiling",
    "Rounds `input` up to an integer value elementwise.">;
def Tfm_RoundOp : Tfm_FloatUnaryOp<"round", "elementwise rounding",
    "Rounds `input` to the nearest integer value elementwise, halves to "
    "even (ONNX Round, `numpy.round`).">;
def Tfm_SinOp : Tfm_FloatUnaryOp<"sin", "elementwise sine",
    "Computes `sin(input)` elementwise (radians).">;
def Tfm_CosOp : Tfm_FloatUnaryOp<"cos", "elementwise cosine",
    "Computes `cos(input)` elementwise (radians).">;
def Tfm_TanOp : Tfm_FloatUnaryOp<"tan", "elementwise tangent",
    "Computes `tan(input)` elementwise (radians).">;
def Tfm_AsinOp : Tfm_FloatUnaryOp<"asin", "elementwise arcsine",
    "Computes `asin(input)` elementwise: radians in [-pi/2, pi/2], NaN outside [-1, 1].">;
def Tfm_AcosOp : Tfm_FloatUnaryOp<"acos", "elementwise arccosine",
    "Computes `acos(input)` elementwise: radians in [0, pi], NaN outside [-1, 1].">;
def Tfm_AtanOp : Tfm_FloatUnaryOp<"atan", "elementwise arctangent",
    "Computes `atan(input)` elementwise: radians in (-pi/2, pi/2).">;
def Tfm_SinhOp : Tfm_FloatUnaryOp<"sinh", "elementwise hyperbolic sine",
    "Computes `sinh(input)` elementwise.">;
def Tfm_CoshOp : Tfm_FloatUnaryOp<"cosh", "elementwise hyperbolic cosine",
    "Computes `cosh(input)` elementwise.">;
def Tfm_AsinhOp : Tfm_FloatUnaryOp<"asinh", "elementwise inverse hyperbolic sine",
    "Computes `asinh(input)` elementwise.">;
def Tfm_AcoshOp : Tfm_FloatUnaryOp<"acosh", "elementwise inverse hyperbolic cosine",
    "Computes `acosh(input)` elementwise: NaN below 1.">;
def Tfm_AtanhOp : Tfm_FloatUnaryOp<"atanh", "elementwise inverse hyperbolic tangent",
    "Computes `atanh(input)` elementwise: NaN outside [-1, 1], +-inf at +-1.">;
def Tfm_ExpOp : Tfm_FloatUnaryOp<"exp", "elementwise exponential",
    "Computes `e^input` elementwise.">;
def Tfm_LogOp : Tfm_FloatUnaryOp<"log", "elementwise natural logarithm",
    "Computes `ln(input)` elementwise: NaN for negative inputs, -inf at 0.">;
def Tfm_SqrtOp : Tfm_FloatUnaryOp<"sqrt", "elementwise square root",
    "Computes `sqrt(input)` elementwise: NaN for negative inputs.">;
def Tfm_RsqrtOp : Tfm_FloatUnaryOp<"rsqrt", "elementwise reciprocal square root",
    "Computes `1 / sqrt(input)` elementwise.">;
def Tfm_TanhOp : Tfm_FloatUnaryOp<"tanh", "elementwise hyperbolic tangent",
    "Computes `tanh(input)` elementwise.">;
def Tfm_ErfOp : Tfm_FloatUnaryOp<"erf", "elementwise Gauss error function",
    "Computes `erf(input)` elementwise.">;
def Tfm_SigmoidOp : Tfm_FloatUnaryOp<"sigmoid", "elementwise logistic sigmoid",
    "Computes `1 / (1 + e^-input)` elementwise.">;
def Tfm_SiluOp : Tfm_FloatUnaryOp<"silu", "sigmoid linear unit (swish)",
    "Computes `input * sigmoid(input)` elementwise.">;

def Tfm_SwigluOp : Tfm_Op<"swiglu", [Pure, Tfm_InferTensorTypes<3>]> {
  let summary = "SiLU-gated product of the two halves of the last dimension";
  let description = [{
    The gated linear unit of LLaMA-style feed-forward layers,
    `silu(x W_gate) * (x W_up)`, applied to the output of one linear over
    the concatenated weights: with `input[..., :n]` the gate and
    `input[..., n:]` the up projection,

    `result[..., i] = silu(input[..., i]) * input[..., n + i]`

    Constraints:
    * (swiglu_c1) `input` is a float tensor of rank at least 1.
    * (swiglu_c2) the last dimension of `input` is even: `2n`.
    * (swiglu_c3) `result` has the shape of `input` with the last dimension
      `n`, and its element type.

    Example:

    ```mlir
    %h = tfm.swiglu %gate_up : tensor<1x16x11008xf32> -> tensor<1x16x5504xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($result)";
}

def Tfm_GeluOp : Tfm_Op<"gelu", [Pure, SameOperandsAndResultType]> {
  let summary = "Gaussian error linear unit";
  let description = [{
    Computes `x * Φ(x)` elementwise, where Φ is the standard normal CDF.
    `approximate` selects how Φ is evaluated:

    * `none` (default): `Φ(x) = 0.5 * (1 + erf(x / sqrt(2)))`, as BERT and
      `torch.nn.GELU()`.
    * `tanh`: `Φ(x) ≈ 0.5 * (1 + tanh(sqrt(2/π) * (x + 0.044715 x³)))`, as
      GPT-2 and `torch.nn.GELU(approximate="tanh")`.

    Constraints:
    * (gelu_c1) `input` is a tensor of floating-point type.
    * (gelu_c2) `result` has the type of `input`.

    Example:

    ```mlir
    %r = tfm.gelu %x approximate = tanh : tensor<1x128x3072xf32>
    ```
  }];
  let arguments = (ins Tfm_FloatTensor:$input,
                       DefaultValuedAttr<Tfm_GeluApproximationAttr,
                           "::mlir::tfm::GeluApproximation::none">:$approximate);
  let results = (outs Tfm_FloatTensor:$result);
  let assemblyFormat =
      "$input (`approximate` `=` `` $approximate^)? attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// cast
//===----------------------------------------------------------------------===//

def Tfm_CastOp : Tfm_Op<"cast", [Pure]> {
  let summary = "elementwise element-type conversion";
  let description = [{
    Converts each element of `input` to the element type of `result`:

    * float to float rounds to nearest-even;
    * float to integer truncates toward zero (out-of-range values are
      undefined); NaN is undefined;
    * integer to float rounds to nearest-even; signedness follows the source
      type (`ui*` zero-extends, `i*` sign-extends);
    * integer to integer truncates or extends by the source signedness;
    * to `i1`: non-zero becomes true; from `i1`: true becomes 1.

    Constraints:
    * (cast_c1) `input` and `result` have the same shape.

    Example:

    ```mlir
    %r = tfm.cast %mask : tensor<1x128xi64> to tensor<1x128xf32>
    ```
  }];
  let arguments = (ins Tfm_Tensor:$input);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// where
//===----------------------------------------------------------------------===//

def Tfm_WhereOp : Tfm_Op<"where",
    [Pure, Tfm_InferTensorTypes<4>]> {
  let summary = "elementwise choice between two tensors";
  let description = [{
    Computes `condition ? true_value : false_value` elementwise. The three
    operands broadcast NumPy-style.

    Constraints:
    * (where_c1) `condition` is a tensor of `i1`.
    * (where_c2) `true_value` and `false_value` have the same element type.
    * (where_c3) the shapes of the three operands are broadcast-compatible.
    * (where_c4) `result` has the element type of `true_value` and the
      broadcast shape of the three operands.

    Example:

    ```mlir
    %r = tfm.where %causal, %scores, %neg_inf
        : (tensor<128x128xi1>, tensor<1x12x128x128xf32>, tensor<f32>)
        -> tensor<1x12x128x128xf32>
    ```
  }];
  let arguments = (ins Tfm_BoolTensor:$condition, Tfm_Tensor:$true_value,
                       Tfm_Tensor:$false_value);
  let results = (outs Tfm_Tensor:$result);
  let assemblyFormat = "$condition `,` $true_value `,` $false_value attr-dict "
                       "`:` functional-type(operands, results)";
  let hasFolder = 1;
}

#endif // TFM_ELEMENTWISE_OPS_TD
