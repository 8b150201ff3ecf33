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

def Tfm_ScatterReduction : I32EnumAttr<"ScatterReduction",
    "how `tfm.scatter_nd` combines an update with the element it lands on", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"add", 1>,
      I32EnumAttrCase<"mul", 2>,
      I32EnumAttrCase<"max", 3>,
      I32EnumAttrCase<"min", 4>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tfm";
}

def Tfm_ScatterReductionAttr
    : EnumAttr<Tfm_Dialect, Tfm_ScatterReduction, "scatter_reduction">;

def Tfm_PadMode : I32EnumAttr<"PadMode",
    "what `tfm.pad` fills its border with", [
      I32EnumAttrCase<"constant", 0>,
      I32EnumAttrCase<"edge", 1>,
      I32EnumAttrCase<"reflect", 2>,
      I32EnumAttrCase<"wrap", 3>
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tfm";
}

def Tfm_PadModeAttr : EnumAttr<Tfm_Dialect, Tfm_PadMode, "pad_mode">;

//===----------------------------------------------------------------------===//
// Targets
//===----------------------------------------------------------------------===//

def Tfm_TargetAttrInterface : AttrInterface<"TargetAttrInterface"> {
  let cppNamespace = "::mlir::tfm";
  let description = [{
    A code generation target: the parameters of the machine the module is
    compiled for, carried once, as the module's `tfm.target` attribute
    (as upstream's `#nvvm.target` rides on a `gpu.module`). The driver
    attaches it; the passes that make layout decisions read it from
    there (`tfm-pack-weights` its panel width), and the target's own
    phases take their parameters from it.
  }];
  let methods = [
    InterfaceMethod<"The backend that compiles for this target (`cpu`, `cuda`).",
                    "::llvm::StringRef", "getBackendName">,
    InterfaceMethod<[{
      Output features per weight panel of the products' register tiles
      (the `[ceil(N / w), K, w]` layout -O3 packs constant weights into);
      0 when the target keeps weights in their own layout.
    }], "int64_t", "getWeightPanelWidth">,
  ];
}

def Tfm_CpuTargetAttr : AttrDef<Tfm_Dialect, "CpuTarget",
                                [DeclareAttrInterfaceMethods<
                                    Tfm_TargetAttrInterface>]> {
  let mnemonic = "cpu_target";
  let summary = "an x86-64 CPU: its name, vector width and dot products";
  let description = [{
    `cpu` is the LLVM CPU name the code is tuned for (`znver5`,
    `x86-64-v3`); `vector_bits` the width of its vector registers (128:
    SSE, 256: AVX2 with 16 registers, 512: AVX-512 with 32), which sizes
    register tiles and weight panels (`cpu_target_c1`: one of the three);
    `int8_dot` whether it has `vpdpbusd` at that width (W8A8 products in
    groups of four bytes), `bf16_dot` whether it has `vdpbf16ps`.

    ```mlir
    module attributes {tfm.target = #tfm.cpu_target<cpu = "znver5",
        vector_bits = 512, int8_dot = true, bf16_dot = true>} { ... }
    ```
  }];
  let parameters = (ins
    "::mlir::StringAttr":$cpu,
    "int64_t":$vector_bits,
    "bool":$int8_dot,
    "bool":$bf16_dot
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tfm_CudaTargetAttr : AttrDef<Tfm_Dialect, "CudaTarget",
                                 [DeclareAttrInterfaceMethods<
                                     Tfm_TargetAttrInterface>]> {
  let mnemonic = "cuda_target";
  let summary = "an NVIDIA GPU: its architecture and PTX version";
  let description = [{
    `chip` is the architecture the kernels are compiled for: `sm_` and
    its compute capability, with an `a` suffix for the architecture-
    specific features of that generation (`sm_80`, `sm_90a`;
    `cuda_target_c1`: from `sm_70`); `features` the PTX ISA version of the
    generated code (`+ptx80`; `cuda_target_c2`: `+ptx` and a number).
    Weights keep their own layout on the GPU (no panels).

    ```mlir
    module attributes {tfm.target = #tfm.cuda_target<chip = "sm_90a",
        features = "+ptx80">} { ... }
    ```
  }];
  let parameters = (ins
    "::mlir::StringAttr":$chip,
    "::mlir::StringAttr":$features
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // TFM_ATTRS_TD
