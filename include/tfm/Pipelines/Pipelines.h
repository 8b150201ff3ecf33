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

/// tfm-prune's options, shared by the pipelines that prune (graph, CPU
/// and GPU) through the virtual PassOptions base.
struct PruningOptions : public virtual mlir::detail::PassOptions {
  Option<PruningMethod> prune{
      *this, "prune",
      llvm::cl::desc("Prune linear weights (tfm-prune) after the fusions, "
                     "before quantization"),
      llvm::cl::init(PruningMethod::None), TFM_PRUNING_METHOD_VALUES};
  Option<double> pruneSparsity{
      *this, "prune-sparsity",
      llvm::cl::desc("Fraction of weights, blocks or FFN channels pruned"),
      llvm::cl::init(0.5)};
  Option<bool> pruneGlobal{
      *this, "prune-global",
      llvm::cl::desc("One magnitude threshold over all pruned weights"),
      llvm::cl::init(false)};
  ListOption<int64_t> pruneBlock{
      *this, "prune-block",
      llvm::cl::desc("Rows and columns of a block of prune=block")};
  ListOption<int64_t> pruneNM{*this, "prune-n-m",
                              llvm::cl::desc("n and m of prune=n-m")};
  ListOption<std::string> pruneExclude{
      *this, "prune-exclude",
      llvm::cl::desc("Linears tfm-prune leaves alone: node or weight names "
                     "containing one of these, or op kinds")};
  Option<bool> pruneReport{
      *this, "prune-report",
      llvm::cl::desc("Report each pruned weight (remarks)"),
      llvm::cl::init(false)};
};

/// Options of the graph-level pipeline on tfm.
struct GraphPipelineOptions : public PassPipelineOptions<GraphPipelineOptions>,
                              public PruningOptions {
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: shape refinement only; 1: also canonicalization, "
                     "CSE, dead-node elimination and constant folding; 2: "
                     "also every fusion (tfm-fuse); 3: also the weight "
                     "layout decisions (tfm-pack-weights)"),
      llvm::cl::init(2)};
  Option<bool> sparsifyWeights{
      *this, "sparsify-weights",
      llvm::cl::desc("-O3: store weights of mostly zero blocks, or N:M, "
                     "sparse (tfm-sparsify-weights)"),
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
  Option<bool> presentNewRows{
      *this, "present-new-rows",
      llvm::cl::desc("Cache outputs return only the rows they append to "
                     "their past input (tfm-present-new-rows)"),
      llvm::cl::init(false)};
  Option<KvCacheType> kvCache{
      *this, "kv-cache",
      llvm::cl::desc("Element type of a decoder's key/value cache "
                     "(tfm-narrow-kv-cache)"),
      llvm::cl::init(KvCacheType::Model), TFM_KV_CACHE_TYPE_VALUES};
};

/// The tfm-prune options that pipeline options ask for (blocks and n:m
/// from two-element lists, defaults when empty).
inline PrunePassOptions getPruneOptions(const PruningOptions &options) {
  PrunePassOptions prune;
  prune.method = options.prune;
  prune.sparsity = options.pruneSparsity;
  prune.global = options.pruneGlobal;
  if (options.pruneBlock.size() == 2) {
    prune.blockRows = options.pruneBlock[0];
    prune.blockCols = options.pruneBlock[1];
  }
  if (options.pruneNM.size() == 2) {
    prune.n = options.pruneNM[0];
    prune.m = options.pruneNM[1];
  }
  prune.exclude.assign(options.pruneExclude.begin(),
                       options.pruneExclude.end());
  prune.report = options.pruneReport;
  return prune;
}

/// Sets the prune* fields of pipeline options from tfm-prune's options.
inline void setPruneOptions(PruningOptions &options,
                            const PrunePassOptions &prune) {
  options.prune = prune.method;
  options.pruneSparsity = prune.sparsity;
  options.pruneGlobal = prune.global;
  options.pruneBlock = {prune.blockRows, prune.blockCols};
  options.pruneNM = {prune.n, prune.m};
  options.pruneExclude = prune.exclude;
  options.pruneReport = prune.report;
}

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

struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions>,
                            public PruningOptions {
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
  Option<int64_t> weightPrefetchBytes{
      *this, "weight-prefetch-bytes",
      llvm::cl::desc("How far ahead a one-tile product prefetches the "
                     "integer weight codes it streams, in bytes (0: no "
                     "prefetch)"),
      llvm::cl::init(2048)};
  Option<bool> attentionBatched{
      *this, "attention-batched",
      llvm::cl::desc("Lower attention as whole-tensor ops over every head "
                     "instead of the tiled online softmax (for comparisons "
                     "with the GPU's form)"),
      llvm::cl::init(false)};
  Option<bool> sparsifyWeights{
      *this, "sparsify-weights",
      llvm::cl::desc("-O3: store weights of mostly zero blocks, or N:M, "
                     "sparse (tfm-sparsify-weights)"),
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
  Option<bool> presentNewRows{
      *this, "present-new-rows",
      llvm::cl::desc("Cache outputs return only the rows they append to "
                     "their past input (tfm-present-new-rows)"),
      llvm::cl::init(false)};
  Option<KvCacheType> kvCache{
      *this, "kv-cache",
      llvm::cl::desc("Element type of a decoder's key/value cache "
                     "(tfm-narrow-kv-cache)"),
      llvm::cl::init(KvCacheType::Model), TFM_KV_CACHE_TYPE_VALUES};
  Option<int64_t> maxSeq{
      *this, "max-seq",
      llvm::cl::desc("Upper bound of the dynamic input dimensions that have "
                     "none (0: they are an error)"),
      llvm::cl::init(0)};
};

/// Adds the passes of one CPU phase, which continues from the output of the
/// phase before it.
void buildCpuPhase(OpPassManager &pm, CpuPhase phase,
                   const CpuPipelineOptions &options);

/// Adds the phases from the tfm graph up to `options.compileTo`.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Canonicalization and CSE on every function: the cleanups between the
/// phases of every target.
void addFunctionCleanups(OpPassManager &pm);

/// tfm to linalg on tensors with the target's `conversion` choices, the
/// cleanups, and (from -O1) elementwise fusion: the linalg phase every
/// target shares.
void buildTfmToLinalg(OpPassManager &pm,
                      const ConvertTfmToLinalgPassOptions &conversion,
                      unsigned optLevel);

/// The phases of GPU code generation, in order.
enum class GpuPhase {
  Graph,      // tfm, shapes refined and folded; narrowed to the precision
  Linalg,     // linalg on tensors, elementwise ops fused
  Bufferized, // buffers: outputs as arguments, arena and weights planned
  Kernels,    // loops mapped to blocks and threads, outlined as kernels
  Llvm,       // host code in the LLVM dialect, kernels in a gpu.binary
};

#define TFM_GPU_PHASE_VALUES                                                   \
  llvm::cl::values(                                                            \
      clEnumValN(::mlir::tfm::GpuPhase::Graph, "graph",                        \
                 "tfm, shapes refined and folded"),                            \
      clEnumValN(::mlir::tfm::GpuPhase::Linalg, "linalg",                      \
                 "linalg on tensors, elementwise ops fused"),                  \
      clEnumValN(::mlir::tfm::GpuPhase::Bufferized, "bufferized",              \
                 "buffers, arena and weights planned"),                        \
      clEnumValN(::mlir::tfm::GpuPhase::Kernels, "kernels",                    \
                 "loops mapped to the GPU and outlined as kernels"),           \
      clEnumValN(::mlir::tfm::GpuPhase::Llvm, "llvm",                          \
                 "host code in the LLVM dialect, kernels compiled"))

std::optional<GpuPhase> parseGpuPhase(StringRef name);
StringRef getGpuPhaseName(GpuPhase phase);
ArrayRef<StringRef> getGpuPhaseNames();

/// The float precision GPU models compute in.
enum class GpuPrecision {
  Fp16, // f16 weights and product inputs, f32 accumulation (the default)
  Bf16, // likewise in bf16
  Fp32, // the model's own precision
};

#define TFM_GPU_PRECISION_VALUES                                               \
  llvm::cl::values(                                                            \
      clEnumValN(::mlir::tfm::GpuPrecision::Fp16, "fp16",                      \
                 "f16 weights and product inputs, f32 accumulation"),          \
      clEnumValN(::mlir::tfm::GpuPrecision::Bf16, "bf16",                      \
                 "bf16 weights and product inputs, f32 accumulation"),         \
      clEnumValN(::mlir::tfm::GpuPrecision::Fp32, "fp32",                      \
                 "the model's own float precision"))

/// Options of the GPU pipeline.
struct GpuPipelineOptions : public PassPipelineOptions<GpuPipelineOptions>,
                            public PruningOptions {
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("Graph optimization level, 0-2 (-O3's weight panels "
                     "are a CPU layout)"),
      llvm::cl::init(2)};
  Option<GpuPhase> compileTo{
      *this, "compile-to", llvm::cl::desc("Last phase to run"),
      llvm::cl::init(GpuPhase::Llvm), TFM_GPU_PHASE_VALUES};
  Option<std::string> entryName{
      *this, "entry-name",
      llvm::cl::desc("Symbol of the generated entry function (empty: keep "
                     "the model's function name)"),
      llvm::cl::init("")};
  Option<GpuPrecision> precision{
      *this, "precision",
      llvm::cl::desc("Float precision of the computation (tfm-quantize's "
                     "fp16/bf16 modes unless fp32)"),
      llvm::cl::init(GpuPrecision::Fp16), TFM_GPU_PRECISION_VALUES};
  Option<QuantizationMode> quantize{
      *this, "quantize",
      llvm::cl::desc("Weight quantization instead of the precision's "
                     "(none: the precision decides)"),
      llvm::cl::init(QuantizationMode::None), TFM_QUANTIZATION_MODE_VALUES};
  Option<std::string> chip{
      *this, "chip", llvm::cl::desc("NVIDIA architecture: sm_80, sm_90a..."),
      llvm::cl::init("sm_80")};
  Option<bool> attentionBatched{
      *this, "attention-batched",
      llvm::cl::desc("Lower attention as whole-tensor ops over every head, a "
                     "kernel each (false: the tiled form, a dozen kernels "
                     "per head)"),
      llvm::cl::init(true)};
  Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("Compute f16 matmuls with mma.sync on tensor cores "
                     "(sm_80 and later; false: one thread per element of "
                     "C, for comparisons)"),
      llvm::cl::init(true)};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX ISA version feature"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What the gpu.binary holds: isa (PTX), bin (a cubin "
                     "from ptxas) or fatbin (cubin and PTX)"),
      llvm::cl::init("isa")};
  Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit root: ptxas, fatbinary and libdevice"),
      llvm::cl::init("/usr/local/cuda")};
  Option<bool> presentNewRows{
      *this, "present-new-rows",
      llvm::cl::desc("Cache outputs return only the rows they append to "
                     "their past input (tfm-present-new-rows)"),
      llvm::cl::init(false)};
  Option<KvCacheType> kvCache{
      *this, "kv-cache",
      llvm::cl::desc("Element type of a decoder's key/value cache "
                     "(tfm-narrow-kv-cache)"),
      llvm::cl::init(KvCacheType::Model), TFM_KV_CACHE_TYPE_VALUES};
};

/// Adds the passes of one GPU phase, which continues from the output of the
/// phase before it.
void buildGpuPhase(OpPassManager &pm, GpuPhase phase,
                   const GpuPipelineOptions &options);

/// Compiles a module of tfm functions for an NVIDIA GPU, up to
/// `options.compileTo`: the graph and linalg phases every target shares,
/// buffers planned in one device arena and one weights blob, every linalg
/// op a kernel of its own (f16 matmuls on tensor cores through shared
/// memory; other ops with their parallel loops mapped to blocks and
/// threads, reductions sequential in a thread), and host code that
/// launches the kernels in order on one stream through the runtime's
/// `mgpu*` entry points.
void buildGpuPipeline(OpPassManager &pm, const GpuPipelineOptions &options);

/// Registers every tfm pipeline with the pass registry (`tfm-opt`).
void registerPipelines();

} // namespace mlir::tfm

#endif // TFM_PIPELINES_PIPELINES_H
