//===- CompileModel.h - the compilation behind tfmc -------------*- C++ -*-===//
//
// Takes an imported tfm module through the phases of the CPU or the GPU
// pipeline and the host back end to the requested output: IR at a phase,
// LLVM IR, assembly, an object, an executable, or a shared library with its
// C header. GPU models carry their kernels as cubins in the host object.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_DRIVER_COMPILEMODEL_H
#define TFM_DRIVER_COMPILEMODEL_H

#include "tfm/Dialect/Tfm/TfmAttrs.h"
#include "tfm/Pipelines/Pipelines.h"
#include "tfm/Target/CPU/CpuTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>

namespace mlir::tfm {

enum class OutputKind {
  Mlir,       // the IR after `mlirPhase` (none: as imported)
  LlvmIR,     // optimized LLVM IR (.ll); weights neither embedded nor written
  Assembly,   // .s; likewise
  Object,     // .o, plus NAME.weights when not embedded
  Executable, // NAME, with the runtime's driver main()
  SharedLibrary, // NAME.so and NAME.h
};

enum class WeightsMode { Auto, Embed, File };

/// How a calibration turns the values a linear's input took into a range.
enum class CalibrationMethod {
  MinMax,     // the smallest and the largest value
  Percentile, // the percentiles at both ends (outliers clipped)
};

/// What the model is compiled for.
enum class TargetKind { Cpu, Cuda };

/// The GPU's parameters under TargetKind::Cuda.
struct GpuOptions {
  /// The architecture (sm_80, sm_90a...) and PTX version of the kernels.
  std::string chip = "sm_80";
  std::string features = "+ptx80";
  GpuPrecision precision = GpuPrecision::Fp16;
  /// f16 products on tensor cores (mma.sync) where the chip has them.
  bool tensorCores = true;
  /// The CUDA toolkit: ptxas, fatbinary, libdevice.
  std::string cudaPath = "/usr/local/cuda";
};

struct CompileOptions {
  OutputKind output = OutputKind::Executable;
  TargetKind targetKind = TargetKind::Cpu;
  GpuOptions gpu;
  /// For OutputKind::Mlir: the last phase to run (a phase name of the
  /// target's pipeline); none prints the import.
  std::optional<std::string> mlirPhase;
  /// Path of the main output ("-" for stdout, text outputs only).
  std::string outputPath;
  /// Symbol prefix of the generated code (a C identifier).
  std::string symbolPrefix = "model";
  /// Name of the source model, for generated comments.
  std::string sourceName;
  /// Path of the model file, which no output may overwrite.
  std::string inputPath;
  unsigned optLevel = 2;
  /// Weight pruning (tfm-prune; method None: none).
  PrunePassOptions prune = [] {
    PrunePassOptions none;
    none.method = PruningMethod::None;
    return none;
  }();
  /// -O3: mostly-zero weights stored block-sparse (tfm-sparsify-weights).
  bool sparseWeights = true;
  /// Weight quantization (tfm-quantize) and the linears it leaves alone.
  QuantizationMode quantize = QuantizationMode::None;
  std::vector<std::string> quantizeExclude;
  /// Elements of K per scale under QuantizationMode::Int4Weights.
  int64_t quantizeBlockSize = 32;
  /// Report each quantized weight's error (as remarks).
  bool quantizeReport = false;
  /// Cache outputs (present = concat(past, new)) return only the new rows.
  bool presentNewRows = false;
  /// The element type of decoder caches (past inputs, present outputs).
  KvCacheType kvCache = KvCacheType::Model;
  /// Upper bound of the dynamic input dimensions that have none (0: such a
  /// dimension is an error).
  int64_t maxSeq = 0;
  /// QuantizationMode::W8A8Static: the folder of calibration input sets
  /// (NAME.npy per graph input, in subfolders or in the folder itself), and
  /// how a linear's input range is read from them.
  std::string calibrationDir;
  CalibrationMethod calibrationMethod = CalibrationMethod::MinMax;
  /// Under CalibrationMethod::Percentile: the share of values, in percent,
  /// the range keeps at each end (99.99 drops 0.01 % of each tail).
  double calibrationPercentile = 99.99;
  cpu::TargetOptions target;
  WeightsMode weights = WeightsMode::Auto;
  /// Weights up to this size are embedded under WeightsMode::Auto.
  int64_t embedLimitBytes = 64ll << 20;
  unsigned numThreads = 2;
  /// Compute products' epilogues in their register tiles (off: a pass of
  /// their own, for comparisons).
  bool fuseEpilogues = true;
  /// How far ahead a one-row product prefetches integer weight codes, in
  /// bytes (0: not at all).
  int64_t weightPrefetchBytes = 2048;
  /// How attention is lowered: whole-tensor ops over every head, or the
  /// tiled online softmax; unset: the target's choice (tiled on the CPU,
  /// batched on a GPU).
  std::optional<bool> attentionBatched;
  /// Print the time of every phase at the end.
  bool timing = false;
  /// Print the tfm op counts by kind before and after the graph pipeline.
  bool stats = false;
  /// Elide weight blobs from printed MLIR.
  bool elideWeights = true;
  cpu::LinkOptions link;
  /// Directory of tfm_runtime.h, copied beside NAME.h.
  std::string runtimeIncludeDir;
};

/// Runs the fp32 `module` (after the graph phase) compiled as a shared
/// library on the input sets of `options.calibrationDir`, and sets on every
/// linear with a float input the range that input took
/// (kInputRangeAttrName), for tfm-quantize's w8a8-static mode.
LogicalResult calibrateModel(ModuleOp module, const CompileOptions &options,
                             llvm::raw_ostream &log);

/// The target description of the CPU `machine` compiles for: its name,
/// vector width and dot-product instructions, as the module's
/// `tfm.target` carries them for every phase.
CpuTargetAttr getCpuTarget(MLIRContext *ctx,
                           const llvm::TargetMachine &machine);

/// The target description of the GPU `options` compile for.
CudaTargetAttr getCudaTarget(MLIRContext *ctx, const GpuOptions &options);

/// Compiles `module` as `options` ask; diagnostics go to the context's
/// handler, progress and timing lines to `log` (prefixed "tfmc: ").
LogicalResult compileModel(ModuleOp module, const CompileOptions &options,
                           llvm::raw_ostream &log);

/// A C identifier made from a file name: "bert-base.so" -> "bert_base".
std::string makeSymbolPrefix(StringRef outputPath);

} // namespace mlir::tfm

#endif // TFM_DRIVER_COMPILEMODEL_H
