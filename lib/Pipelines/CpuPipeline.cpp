//===- CpuPipeline.cpp - tfm to LLVM for x86-64 CPUs ----------------------===//
//
// graph -> linalg -> vectorized -> bufferized -> llvm. Each phase is a
// pipeline of its own; see docs/architecture.md for what each produces.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"
#include "tfm/Conversion/Passes.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::tfm;

static constexpr StringRef kPhaseNames[] = {"graph", "linalg", "vectorized",
                                            "bufferized", "llvm"};

std::optional<CpuPhase> mlir::tfm::parseCpuPhase(StringRef name) {
  for (auto [i, phaseName] : llvm::enumerate(kPhaseNames))
    if (phaseName == name)
      return static_cast<CpuPhase>(i);
  return std::nullopt;
}

StringRef mlir::tfm::getCpuPhaseName(CpuPhase phase) {
  return kPhaseNames[static_cast<size_t>(phase)];
}

ArrayRef<StringRef> mlir::tfm::getCpuPhaseNames() { return kPhaseNames; }

/// The CPU's attention tiles (queries per block, keys per tile).
constexpr int64_t kCpuAttentionQueryBlock = 64;
constexpr int64_t kCpuAttentionKeyTile = 128;

void mlir::tfm::addFunctionCleanups(OpPassManager &pm) {
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
}

static void buildLinalgPhase(OpPassManager &pm,
                             const CpuPipelineOptions &options) {
  ConvertTfmToLinalgPassOptions conversion;
  conversion.bf16Dot = options.bf16Dot;
  // Without VNNI, integer products pair K elements for vpmaddwd.
  conversion.int8Group = options.vnni ? 4 : 2;
  // Attention tiles sized for a core's caches: a 64-query block's
  // accumulator and a 128-key tile of scores stay in L1/L2.
  conversion.attentionQueryBlock = kCpuAttentionQueryBlock;
  conversion.attentionKeyTile = kCpuAttentionKeyTile;
  conversion.attentionBatched = options.attentionBatched;
  buildTfmToLinalg(pm, conversion, options.optLevel);
}

void mlir::tfm::buildTfmToLinalg(
    OpPassManager &pm, const ConvertTfmToLinalgPassOptions &conversion,
    unsigned optLevel) {
  pm.addPass(createConvertTfmToLinalgPass(conversion));
  addFunctionCleanups(pm);
  if (optLevel > 0)
    pm.nest<func::FuncOp>().addPass(createFuseElementwisePass());
}

static void buildVectorizedPhase(OpPassManager &pm,
                                 const CpuPipelineOptions &options) {
  if (options.optLevel == 0)
    return;
  TileAndVectorizePassOptions tiling;
  tiling.numThreads = options.numThreads;
  tiling.vectorBits = options.vectorBits;
  tiling.fuseEpilogues = options.fuseEpilogues;
  pm.nest<func::FuncOp>().addPass(createTileAndVectorizePass(tiling));
  addFunctionCleanups(pm);
  // (After CSE: the steps of a block then share one scale value.)
  FactorBlockScalesPassOptions blockScales;
  blockScales.vectorBits = options.vectorBits;
  pm.nest<func::FuncOp>().addPass(createFactorBlockScalesPass(blockScales));
}

static void buildBufferizedPhase(OpPassManager &pm,
                                 const CpuPipelineOptions &options) {
  OutputsToDestinationsPassOptions outputs;
  outputs.entryName = options.entryName;
  outputs.maxDim = options.maxSeq;
  pm.addPass(createOutputsToDestinationsPass(outputs));
  pm.addPass(createBufferizePass());
  // (CSE merges the equal views a loop-carried buffer leaves, and the
  // canonicalizer then drops the copies between them.)
  addFunctionCleanups(pm);
  pm.nest<func::FuncOp>().addPass(createCanonicalizerPass());
  pm.addPass(createPlanMemoryPass());
  ExternalizeWeightsPassOptions weights;
  weights.minBytes = options.weightsMinBytes;
  pm.addPass(createExternalizeWeightsPass(weights));
  // Buffers the arena does not hold (those allocated inside loops) are
  // freed by ownership-based deallocation.
  bufferization::buildBufferDeallocationPipeline(pm);
  addFunctionCleanups(pm);
}

static void buildLlvmPhase(OpPassManager &pm,
                           const CpuPipelineOptions &options) {
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  LowerVectorsPassOptions vectors;
  vectors.vectorBits = options.vectorBits;
  vectors.vnni = options.vnni;
  vectors.bf16Dot = options.bf16Dot;
  vectors.weightPrefetchBytes = options.weightPrefetchBytes;
  funcPm.addPass(createLowerVectorsPass(vectors));
  funcPm.addPass(createConvertLinalgToLoopsPass());
  funcPm.addPass(createForallToParallelLoopPass());
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.nest<func::FuncOp>().addPass(createGuardParallelRegionsPass());
  pm.nest<func::FuncOp>().addPass(createApproximateMathPass());
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // bf16 conversions as integer arithmetic: x86 without AVX512-BF16 has no
  // instruction for them, and LLVM would call a runtime library.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createArithToLLVMConversionPass());
  // The entry function takes bare pointers (`llvm.bareptr`); helpers such
  // as the deallocation helper keep memref descriptors.
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::tfm::buildCpuPhase(OpPassManager &pm, CpuPhase phase,
                              const CpuPipelineOptions &options) {
  switch (phase) {
  case CpuPhase::Graph: {
    GraphPipelineOptions graph;
    graph.optLevel = options.optLevel;
    setPruneOptions(graph, getPruneOptions(options));
    graph.sparsifyWeights = options.sparsifyWeights;
    graph.quantize = options.quantize;
    graph.quantizeExclude = options.quantizeExclude;
    graph.quantizeBlockSize = options.quantizeBlockSize;
    graph.quantizeReport = options.quantizeReport;
    graph.presentNewRows = options.presentNewRows;
    graph.kvCache = options.kvCache;
    buildGraphPipeline(pm, graph);
    return;
  }
  case CpuPhase::Linalg:
    buildLinalgPhase(pm, options);
    return;
  case CpuPhase::Vectorized:
    buildVectorizedPhase(pm, options);
    return;
  case CpuPhase::Bufferized:
    buildBufferizedPhase(pm, options);
    return;
  case CpuPhase::Llvm:
    buildLlvmPhase(pm, options);
    return;
  }
}

void mlir::tfm::buildCpuPipeline(OpPassManager &pm,
                                 const CpuPipelineOptions &options) {
  CpuPhase last = options.compileTo;
  for (size_t i = 0; i <= static_cast<size_t>(last); ++i)
    buildCpuPhase(pm, static_cast<CpuPhase>(i), options);
}

/// Registers `tfm-<target>-<phase>` for every phase after the first (the
/// graph pipeline has a name of its own), each continuing from the output
/// of the phase before it.
template <typename Phase, typename Options>
static void registerPhasePipelines(StringRef target,
                                   ArrayRef<StringRef> phaseNames,
                                   void (*buildPhase)(OpPassManager &, Phase,
                                                      const Options &)) {
  for (auto [i, name] : llvm::enumerate(phaseNames)) {
    if (i == 0)
      continue;
    auto phase = static_cast<Phase>(i);
    PassPipelineRegistration<Options>(
        ("tfm-" + target + "-" + name).str(),
        ("The `" + name + "` phase of tfm-" + target +
         "-pipeline, from the output of the phase before it")
            .str(),
        [phase, buildPhase](OpPassManager &pm, const Options &options) {
          buildPhase(pm, phase, options);
        });
  }
}

void mlir::tfm::registerPipelines() {
  PassPipelineRegistration<GraphPipelineOptions>(
      "tfm-graph-pipeline",
      "Graph-level optimization of tfm functions (tfmc's `graph` phase)",
      buildGraphPipeline);
  PassPipelineRegistration<GpuPipelineOptions>(
      "tfm-gpu-pipeline",
      "Compiles tfm for an NVIDIA GPU: kernels in a gpu.binary and the host "
      "code that launches them, stopping after the phase named by "
      "compile-to",
      buildGpuPipeline);
  registerPhasePipelines<GpuPhase, GpuPipelineOptions>(
      "gpu", getGpuPhaseNames(), buildGpuPhase);
  PassPipelineRegistration<CpuPipelineOptions>(
      "tfm-cpu-pipeline",
      "Compiles tfm to the LLVM dialect for the CPU, stopping after the "
      "phase named by compile-to",
      buildCpuPipeline);
  registerPhasePipelines<CpuPhase, CpuPipelineOptions>(
      "cpu", getCpuPhaseNames(), buildCpuPhase);
}
