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

#endif // TFM_ATTRS_TD
