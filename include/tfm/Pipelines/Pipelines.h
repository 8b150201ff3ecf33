//===- Pipelines.h - tfm pass pipelines -------------------------*- C++ -*-===//
//
// Pipelines are C++ builders with options; tfm-opt registers them under their
// names and tfmc calls the builders directly.
//
// The CPU compilation is a sequence of named phases; every phase is also
// registered as a pipeline of its own (`tfm-cpu-<phase>`) that continues
// from the previous phase's output, so that any stage can be reproduced
// from a dump with tfm-opt.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_PIPELINES_PIPELINES_H
#define TFM_PIPELINES_PIPELINES_H

#include "tfm/Conversion/Passes.h"
#include "tfm/Passes/Passes.h"

#include "mlir/Pass/PassOptions.h"

#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::tfm {

/// Options of the graph-level pipeline on tfm.
struct GraphPipelineOptions : public PassPipelineOptions<GraphPipelineOptions> {
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: shape refinement only; 1: also canonicalization, "
                     "CSE, dead-node elimination and constant folding; 2: "
                     "also every fusion (tfm-fuse); 3: also the weight "
                     "layout decisions (tfm-pack-weights)"),
      llvm::cl::init(2)};
  Option<QuantizationMode> quantize{
      *this, "quantize",
      llvm::cl::desc("Quantize linear weights (tfm-quantize) after the "
                     "fusions, before -O3's packing"),
      llvm::cl::init(QuantizationMode::None), TFM_QUANTIZATION_MODE_VALUES};
  ListOption<std::string> quantizeExclude{
      *this, "quantize-exclude",
      llvm::cl::desc("Linears tfm-quantize leaves in float: node or weight "
                     "names containing one of these, or op kinds")};
  Option<int64_t> quantizeBlockSize{
      *this, "quantize-block-size",
      llvm::cl::desc("Elements of K per scale of int4-weights"),
      llvm::cl::init(32)};
  Option<bool> quantizeReport{
      *this, "quantize-report",
      llvm::cl::desc("Report each quantized weight's error (remarks)"),
      llvm::cl::init(false)};
};

/// Graph-level optimization of a module of tfm functions (the `graph` phase).
void buildGraphPipeline(OpPassManager &pm, const GraphPipelineOptions &options);

/// The phases of CPU code generation, in order.
enum class CpuPhase {
  Graph,      // tfm, shapes refined and folded
  Linalg,     // linalg on tensors, elementwise ops fused
  Vectorized, // tiled for threads and vector registers, vectorized
  Bufferized, // buffers: outputs as arguments, arena and weights planned
  Llvm,       // the LLVM dialect
};

/// The phases as the values of an enum command-line or pass option.
#define TFM_CPU_PHASE_VALUES                                                   \
  llvm::cl::values(                                                            \
      clEnumValN(::mlir::tfm::CpuPhase::Graph, "graph",                        \
                 "tfm, shapes refined and folded"),                            \
      clEnumValN(::mlir::tfm::CpuPhase::Linalg, "linalg",                      \
                 "linalg on tensors, elementwise ops fused"),                  \
      clEnumValN(::mlir::tfm::CpuPhase::Vectorized, "vectorized",              \
                 "tiled for threads and registers, vectorized"),               \
      clEnumValN(::mlir::tfm::CpuPhase::Bufferized, "bufferized",              \
                 "buffers, arena and weights planned"),                        \
      clEnumValN(::mlir::tfm::CpuPhase::Llvm, "llvm", "the LLVM dialect"))

/// The phase called `name`, if any.
std::optional<CpuPhase> parseCpuPhase(StringRef name);
StringRef getCpuPhaseName(CpuPhase phase);
/// Every phase name, in order, for help texts.
ArrayRef<StringRef> getCpuPhaseNames();

struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: no graph optimization or vectorization; 1-3: all"),
      llvm::cl::init(2)};
  Option<CpuPhase> compileTo{
      *this, "compile-to", llvm::cl::desc("Last phase to run"),
      llvm::cl::init(CpuPhase::Llvm), TFM_CPU_PHASE_VALUES};
  Option<std::string> entryName{
      *this, "entry-name",
      llvm::cl::desc("Symbol of the generated entry function (empty: keep "
                     "the model's function name)"),
      llvm::cl::init("")};
  Option<int64_t> weightsMinBytes{
      *this, "weights-min-bytes",
      llvm::cl::desc("Constants of at least this many bytes go to the "
                     "weights blob"),
      llvm::cl::init(4096)};
  Option<unsigned> numThreads{
      *this, "num-threads",
      llvm::cl::desc("Threads the parallel loops are tiled for"),
      llvm::cl::init(2)};
  Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Bits of the target CPU's vector registers: 128 (SSE), "
                     "256 (AVX2) or 512 (AVX-512); sizes register tiles and "
                     "weight panels"),
      llvm::cl::init(256)};
  Option<bool> vnni{
      *this, "vnni",
      llvm::cl::desc("The target has vpdpbusd at vector-bits: W8A8 "
                     "products use it"),
      llvm::cl::init(false)};
  Option<bool> bf16Dot{
      *this, "bf16-dot",
      llvm::cl::desc("The target has vdpbf16ps at vector-bits: bf16 "
                     "products use it"),
      llvm::cl::init(false)};
  Option<bool> fuseEpilogues{
      *this, "fuse-epilogues",
      llvm::cl::desc("Compute products' epilogues in their register tiles"),
      llvm::cl::init(true)};
  Option<QuantizationMode> quantize{
      *this, "quantize",
      llvm::cl::desc("Quantize linear weights (tfm-quantize) after the "
                     "fusions, before -O3's packing"),
      llvm::cl::init(QuantizationMode::None), TFM_QUANTIZATION_MODE_VALUES};
  ListOption<std::string> quantizeExclude{
      *this, "quantize-exclude",
      llvm::cl::desc("Linears tfm-quantize leaves in float: node or weight "
                     "names containing one of these, or op kinds")};
  Option<int64_t> quantizeBlockSize{
      *this, "quantize-block-size",
      llvm::cl::desc("Elements of K per scale of int4-weights"),
      llvm::cl::init(32)};
  Option<bool> quantizeReport{
      *this, "quantize-report",
      llvm::cl::desc("Report each quantized weight's error (remarks)"),
      llvm::cl::init(false)};
};

/// Adds the passes of one CPU phase, which continues from the output of the
/// phase before it.
void buildCpuPhase(OpPassManager &pm, CpuPhase phase,
                   const CpuPipelineOptions &options);

/// Adds the phases from the tfm graph up to `options.compileTo`.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// tfm to linalg on tensors with the target's `conversion` choices, the
/// cleanups, and (from -O1) elementwise fusion: the linalg phase every
/// target shares.
void buildTfmToLinalg(OpPassManager &pm,
                      const ConvertTfmToLinalgPassOptions &conversion,
                      unsigned optLevel);

/// Options of the GPU kernel pipeline.
struct GpuKernelPipelineOptions
    : public PassPipelineOptions<GpuKernelPipelineOptions> {
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("Graph optimization level, 0-2 (-O3's weight panels "
                     "are a CPU layout)"),
      llvm::cl::init(2)};
  Option<std::string> chip{
      *this, "chip", llvm::cl::desc("NVIDIA architecture: sm_80, sm_90a..."),
      llvm::cl::init("sm_80")};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX ISA version feature"),
                               llvm::cl::init("+ptx80")};
};

/// Compiles a module of tfm functions into NVPTX kernels: the graph and
/// linalg phases the CPU uses, then every linalg op a kernel of its own
/// (its parallel loops mapped to blocks and threads, reductions
/// sequential in a thread), lowered through NVVM to PTX that the host
/// code launches (`gpu.binary` in PTX text). A first, untuned mapping:
/// no shared memory, no tensor cores, no device memory planning.
void buildGpuKernelPipeline(OpPassManager &pm,
                            const GpuKernelPipelineOptions &options);

/// Registers every tfm pipeline with the pass registry (`tfm-opt`).
void registerPipelines();

} // namespace mlir::tfm

#endif // TFM_PIPELINES_PIPELINES_H
