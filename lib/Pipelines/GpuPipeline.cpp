//===- GpuPipeline.cpp - tfm to NVPTX kernels and their host code ---------===//
//
// graph -> linalg -> bufferized -> kernels -> llvm, for NVIDIA GPUs. The
// graph and linalg phases are the ones every target shares (attention in
// its batched form, every op over all heads); buffers are planned as on the
// CPU (one arena, one weights blob), except that every constant goes to the
// blob, since kernels cannot read the host's read-only data. Before
// planning, f16 products become tensor-core kernels (tiles staged in shared
// memory by cp.async, fragments read by ldmatrix, products by mma.sync,
// with the bias, the elementwise op after them and the rounding of their
// inputs fused in), and the other ops parallel loops, sibling loops over
// the same points fused. Each loop nest then becomes one kernel whose two
// innermost parallel loops are tiled 32 x 4 (32 consecutive elements per
// warp), the tiles mapped to blocks and the points of a tile to threads (a
// reduction stays a loop in each thread).
// The host code launches the kernels in order on one stream; the runtime
// provides the `mgpu*` functions that upstream's lowering calls. Not yet:
// fused (flash) attention, wgmma/TMA on sm_90a, multi-stage copy pipelines.
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"
#include "tfm/Conversion/Passes.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::tfm;

static constexpr StringRef kGpuPhaseNames[] = {"graph", "linalg", "bufferized",
                                               "kernels", "llvm"};

std::optional<GpuPhase> mlir::tfm::parseGpuPhase(StringRef name) {
  for (auto [i, phaseName] : llvm::enumerate(kGpuPhaseNames))
    if (phaseName == name)
      return static_cast<GpuPhase>(i);
  return std::nullopt;
}

StringRef mlir::tfm::getGpuPhaseName(GpuPhase phase) {
  return kGpuPhaseNames[static_cast<size_t>(phase)];
}

ArrayRef<StringRef> mlir::tfm::getGpuPhaseNames() { return kGpuPhaseNames; }

/// Attention in one query block and one key tile per head: the host then
/// loops over heads only (each block of a CPU-style tiling would be a
/// kernel launch of its own).
constexpr int64_t kGpuAttentionBlock = int64_t(1) << 30;

/// Points of the two innermost parallel loops per thread block.
constexpr int64_t kBlockRows = 4;
constexpr int64_t kBlockColumns = 32;

static void buildGraphPhase(OpPassManager &pm,
                            const GpuPipelineOptions &options) {
  GraphPipelineOptions graph;
  graph.optLevel = std::min<unsigned>(options.optLevel, 2);
  graph.quantize = options.quantize;
  graph.presentNewRows = options.presentNewRows;
  graph.kvCache = options.kvCache;
  setPruneOptions(graph, getPruneOptions(options));
  if (options.quantize == QuantizationMode::None) {
    if (options.precision == GpuPrecision::Fp16)
      graph.quantize = QuantizationMode::Fp16;
    else if (options.precision == GpuPrecision::Bf16)
      graph.quantize = QuantizationMode::Bf16;
  }
  buildGraphPipeline(pm, graph);
}

/// The number of an `sm_NN[a]` chip (80 for sm_80), or 0.
static unsigned getSmVersion(StringRef chip) {
  unsigned version = 0;
  if (!chip.consume_front("sm_"))
    return 0;
  chip.consume_back("a");
  return chip.getAsInteger(10, version) ? 0 : version;
}

/// Whether products run on tensor cores: asked for, and mma.sync m16n8k16
/// and cp.async exist (sm_80 on).
static bool hasTensorCores(const GpuPipelineOptions &options) {
  return options.tensorCores && getSmVersion(options.chip) >= 80;
}

static void buildBufferizedPhase(OpPassManager &pm,
                                 const GpuPipelineOptions &options) {
  OutputsToDestinationsPassOptions outputs;
  outputs.entryName = options.entryName;
  // The CUDA runtime passes statically shaped buffers only.
  outputs.dynamic = false;
  pm.addPass(createOutputsToDestinationsPass(outputs));
  pm.addPass(createBufferizePass());
  addFunctionCleanups(pm);
  // Host loops (attention's per-head loop) run their iterations in stream
  // order, so their scratch buffers can be hoisted out and planned with
  // the rest.
  pm.nest<func::FuncOp>().addPass(createForallToForLoopPass());
  pm.nest<func::FuncOp>().addPass(
      bufferization::createBufferLoopHoistingPass());
  // Products become tensor-core kernels before memory is planned: a kernel
  // that computes its epilogue keeps its inputs alive until it ends.
  if (hasTensorCores(options)) {
    // In fp16, attention's f32 x f32 products take f16 inputs too.
    TensorCoreMatmulPassOptions matmul;
    matmul.roundF32Operands = options.precision == GpuPrecision::Fp16;
    pm.nest<func::FuncOp>().addPass(createTensorCoreMatmulPass(matmul));
  }
  // The other ops become parallel loops here, while their buffers are
  // distinct allocations: sibling loops over the same points, the second
  // reading what the first wrote at the same point (a fill and the
  // reduction it initializes), fuse into one kernel, which upstream's alias
  // check only proves before the buffers are views of one arena.
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(createInterchangeReductionsPass());
  funcPm.addPass(createConvertLinalgToParallelLoopsPass());
  funcPm.addPass(createParallelLoopFusionPass());
  // Reductions accumulate in registers, not in their output buffer.
  funcPm.addPass(createAccumulateInRegistersPass());
  pm.addPass(createPlanMemoryPass());
  // Kernels read every constant from the device copy of the blob.
  ExternalizeWeightsPassOptions weights;
  weights.minBytes = 0;
  pm.addPass(createExternalizeWeightsPass(weights));
  addFunctionCleanups(pm);
}

static void buildKernelsPhase(OpPassManager &pm) {
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  // Innermost dimension first: it is tiled 32 wide and mapped to
  // threadIdx.x (a warp reads consecutive elements), the next one 4 wide
  // to threadIdx.y; the tile loops map to blocks. The loops inside a tile
  // run to the full tile size, guarded by a bounds check, so that blocks
  // have a constant size; constant propagation folds the tile sizes into
  // their bounds, which the mapping needs as constants (the canonicalizer
  // would also drop single-trip tile loops, leaving blocks of one thread).
  // Loops over buffers left outside any parallel loop (one-element
  // reductions) get a one-point parallel loop: kernels of one thread.
  funcPm.addPass(createSerialKernelsPass());
  funcPm.addPass(createInnermostLoopsFirstPass());
  funcPm.addPass(createParallelLoopTilingPass({kBlockColumns, kBlockRows},
                                              /*noMinMaxBounds=*/true));
  funcPm.addPass(createSCCPPass());
  funcPm.addPass(createGpuMapParallelLoopsPass());
  funcPm.addPass(createConvertParallelLoopToGpuPass());
  // Constants (tile sizes, strides, a matmul's zero fragments) move into the
  // kernels: known to the kernel's code generation, and no parameters.
  funcPm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createMergeGpuModulesPass());
  pm.addPass(createCheckGpuHostCodePass());
  pm.addPass(createUnrollGpuHostLoopsPass());
  // One stream for the whole entry function: launches are asynchronous,
  // ordered by the stream, and waited for once.
  pm.nest<func::FuncOp>().addPass(createGpuAsyncRegionPass());
  addFunctionCleanups(pm);
}

static void buildLlvmPhase(OpPassManager &pm,
                           const GpuPipelineOptions &options) {
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  // The entry function takes bare pointers (`llvm.bareptr`), as on the CPU.
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.triple = "nvptx64-nvidia-cuda";
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  OpPassManager &kernelPm = pm.nest<gpu::GPUModuleOp>();
  kernelPm.addPass(createConvertGpuOpsToNVVMOps());
  kernelPm.addPass(createCanonicalizerPass());
  kernelPm.addPass(createCSEPass());
  kernelPm.addPass(createReconcileUnrealizedCastsPass());

  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.format;
  binary.toolkitPath = options.cudaPath;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::tfm::buildGpuPhase(OpPassManager &pm, GpuPhase phase,
                              const GpuPipelineOptions &options) {
  switch (phase) {
  case GpuPhase::Graph:
    buildGraphPhase(pm, options);
    return;
  case GpuPhase::Linalg: {
    ConvertTfmToLinalgPassOptions conversion;
    conversion.attentionQueryBlock = kGpuAttentionBlock;
    conversion.attentionKeyTile = kGpuAttentionBlock;
    conversion.attentionBatched = options.attentionBatched;
    buildTfmToLinalg(pm, conversion, options.optLevel);
    return;
  }
  case GpuPhase::Bufferized:
    buildBufferizedPhase(pm, options);
    return;
  case GpuPhase::Kernels:
    buildKernelsPhase(pm);
    return;
  case GpuPhase::Llvm:
    buildLlvmPhase(pm, options);
    return;
  }
}

void mlir::tfm::buildGpuPipeline(OpPassManager &pm,
                                 const GpuPipelineOptions &options) {
  GpuPhase last = options.compileTo;
  for (size_t i = 0; i <= static_cast<size_t>(last); ++i)
    buildGpuPhase(pm, static_cast<GpuPhase>(i), options);
}
