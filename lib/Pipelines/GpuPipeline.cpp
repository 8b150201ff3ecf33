//===- GpuPipeline.cpp - tfm to NVPTX kernels -----------------------------===//
//
// The first GPU code generation path: the target-neutral graph and linalg
// phases, then upstream's mapping of parallel loops onto the GPU and its
// NVVM lowering. Each linalg op becomes one kernel whose two outermost
// parallel loops are tiled 4 x 32, the tiles mapped to blocks and the
// points of a tile to threads (a reduction stays a loop in each thread);
// the kernels are compiled to PTX by LLVM's NVPTX back end. Untuned: no
// shared memory, no tensor cores, no fusion across kernels.
//
//===----------------------------------------------------------------------===//

#include "tfm/Conversion/Passes.h"
#include "tfm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace mlir::tfm;

/// Points of the two outermost parallel loops per thread block.
constexpr int64_t kBlockRows = 4;
constexpr int64_t kBlockColumns = 32;

void mlir::tfm::buildGpuKernelPipeline(
    OpPassManager &pm, const GpuKernelPipelineOptions &options) {
  GraphPipelineOptions graph;
  graph.optLevel = std::min<unsigned>(options.optLevel, 2);
  buildGraphPipeline(pm, graph);
  buildTfmToLinalg(pm, ConvertTfmToLinalgPassOptions(), options.optLevel);

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.nest<func::FuncOp>().addPass(createConvertLinalgToParallelLoopsPass());
  // Tiles of the two outermost parallel loops (4 x 32 points, one block of
  // 128 threads each): the tile loops map to blocks, the loops inside a
  // tile to threads.
  pm.nest<func::FuncOp>().addPass(
      createParallelLoopTilingPass({kBlockRows, kBlockColumns}));
  pm.nest<func::FuncOp>().addPass(createGpuMapParallelLoopsPass());
  pm.nest<func::FuncOp>().addPass(createConvertParallelLoopToGpuPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createLowerAffinePass());

  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  nvvm.cubinFormat = "isa";
  nvvm.optLevel = 3;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}
