//===- TfmAttrs.td - tfm attributes and enums --------------*- tablegen -*-===//

#ifndef TFM_ATTRS_TD
#define TFM_ATTRS_TD

include "TfmBase.td"
include "mlir/IR/EnumAttr.td"

def Tfm_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how `tfm.gelu` evaluates the Gaussian CDF", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tfm";
}

def Tfm_GeluApproximationAttr
    : EnumAttr<Tfm_Dialect, Tfm_GeluApproximation, "gelu_approximation">;

def Tfm_Activation : I32EnumAttr<"Activation",
    "the activation a fused `tfm.linear` applies before its residual", [
      I32EnumAttrCase<"relu", 0>,
      I32EnumAttrCase<"gelu", 1>,
      I32EnumAttrCase<"gelu_tanh", 2>,
      I32EnumAttrCase<"silu", 3>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tfm";
}

def Tfm_ActivationAttr : EnumAttr<Tfm_Dialect, Tfm_Activation, "activation">;

def Tfm_ComparisonPredicate : I32EnumAttr<"ComparisonPredicate",
    "the relation `tfm.compare` tests", [
      I32EnumAttrCase<"eq", 0>,
      I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>,
      I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>,
      I32EnumAttrCase<"ge", 5>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tfm";
}

def Tfm_ComparisonPredicateAttr
    : EnumAttr<Tfm_Dialect, Tfm_ComparisonPredicate, "comparison_predicate">;

#endif // TFM_ATTRS_TD
