//===- TfmBase.td - tfm dialect definition and type constraints -*- tablegen -*-===//
//
// The `tfm` dialect: transformer graphs at the level of their building blocks.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_BASE_TD
#define TFM_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Tfm_Dialect : Dialect {
  let name = "tfm";
  let cppNamespace = "::mlir::tfm";
  let summary = "Transformer graphs: attention, norms, linear layers, "
                "elementwise and shape ops on ranked tensors.";
  let description = [{
    `tfm` represents transformer models at the granularity their authors think
    in: `linear`, `attention`, `layer_norm`, `rms_norm`, `gelu`, `rope`, plus the
    elementwise, reduction and shape ops that ONNX graphs are built from.

    Conventions shared by every op:

    * Values are ranked tensors (`tensor<...>`). Dimensions may be dynamic
      (`?`): verifiers compare two dimensions only when both are static, and
      type inference propagates `?` where a result dimension depends on one.
    * Element types are `f16`, `bf16`, `f32`, `f64`, signless integers
      `i8`..`i64` (two's complement, signed semantics), unsigned integers
      `ui8`..`ui64`, and `i1` for booleans.
    * Axes and permutations are non-negative and in range; frontends normalize
      negative axes before building ops.
    * Elementwise ops broadcast their operands NumPy-style: shapes align at
      the trailing dimension and each pair of dimensions is equal or one of
      them is 1.
    * Every constraint an op states in its description carries a label
      (`matmul_c2`); verifier messages for constraints not enforced by ODS
      type constraints cite the label.
  }];

  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Element and tensor type constraints
//===----------------------------------------------------------------------===//

def Tfm_Float : AnyTypeOf<[F16, BF16, F32, F64], "f16, bf16, f32 or f64">;
def Tfm_SignedInt : AnyTypeOf<[I8, I16, I32, I64], "i8, i16, i32 or i64">;
def Tfm_UnsignedInt : AnyTypeOf<[UI8, UI16, UI32, UI64],
                                "ui8, ui16, ui32 or ui64">;
def Tfm_Integer : AnyTypeOf<[Tfm_SignedInt, Tfm_UnsignedInt], "integer">;
def Tfm_Index : AnyTypeOf<[I32, I64], "i32 or i64">;

def Tfm_Tensor : RankedTensorOf<[Tfm_Float, Tfm_Integer, I1]>;
// Constants also hold 4-bit quantized weights (one element per byte, the
// value in the low nibble), which only tfm.dequantize reads, and
// tfm.gather (a quantized embedding table's rows).
def Tfm_ConstantTensor
    : RankedTensorOf<[Tfm_Float, Tfm_Integer, I1, I<4>, UI<4>]>;
def Tfm_FloatTensor : RankedTensorOf<[Tfm_Float]>;
def Tfm_NumericTensor : RankedTensorOf<[Tfm_Float, Tfm_Integer]>;
def Tfm_SignedTensor : RankedTensorOf<[Tfm_Float, Tfm_SignedInt]>;
def Tfm_BoolTensor : RankedTensorOf<[I1]>;
def Tfm_IntegerTensor : RankedTensorOf<[Tfm_Integer]>;
def Tfm_IndexTensor : RankedTensorOf<[Tfm_Index]>;

//===----------------------------------------------------------------------===//
// Attribute constraints
//===----------------------------------------------------------------------===//

// A 64-bit integer attribute read as a signed value (axes, head counts), so
// that a negative value reaches the verifier as such.
def Tfm_I64Attr : SignlessIntegerAttrBase<I64, "64-bit integer attribute"> {
  let returnType = "int64_t";
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Traits
//===----------------------------------------------------------------------===//

// Result types are inferred from operands and attributes (the builders need
// no result type); a declared result type may be more or less refined than
// the inferred one where dimensions are dynamic.
//
// Verification runs the op's type inference with diagnostics, so that each
// violated constraint is reported once with its label, then compares the
// declared result types with the inferred ones under constraint
// `resultConstraint`. This runs before InferTypeOpInterface's own (region)
// check, which therefore never reports a second, unlabelled error.
class Tfm_VerifyInferredTypes<int resultConstraint>
    : ParamNativeOpTrait<"VerifyInferredTypes", !cast<string>(resultConstraint)> {
  let cppNamespace = "::mlir::tfm";
}

class Tfm_InferTensorTypes<int resultConstraint> : TraitList<
    !listconcat(InferTypeOpAdaptorBase<[{
      static bool isCompatibleReturnTypes(::mlir::TypeRange l,
                                          ::mlir::TypeRange r) {
        return ::mlir::tfm::areCompatibleTensorTypes(l, r);
      }
    }]>.traits, [Tfm_VerifyInferredTypes<resultConstraint>])>;

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

// Every op's results fit in 64-bit size arithmetic and the address space
// (`tensor<8589934592x8589934592xf32>` is rejected where it is made).
def Tfm_TensorSizesFit : NativeOpTrait<"TensorSizesFit"> {
  let cppNamespace = "::mlir::tfm";
}

class Tfm_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tfm_Dialect, mnemonic, !listconcat(traits, [Tfm_TensorSizesFit])>;

#endif // TFM_BASE_TD
