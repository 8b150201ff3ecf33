//===- tfmc.cpp - the tfm compiler driver ---------------------------------===//
//
// tfmc MODEL.onnx -o NAME                 an executable (the default)
// tfmc MODEL.onnx --emit=lib -o NAME.so   a shared library and NAME.h
// tfmc MODEL.onnx --emit=obj|asm|llvm     machine code or LLVM IR
// tfmc MODEL.onnx --emit=tfm|linalg       MLIR; --compile-to=PHASE for any
//
// Parses flags, imports the model and hands it to compileModel().
//
//===----------------------------------------------------------------------===//

#include "tfm/Driver/CompileModel.h"
#include "tfm/Driver/Diagnostics.h"
#include "tfm/Frontend/Onnx/OnnxImporter.h"
#include "tfm/InitTfm.h"
#include "tfm/Pipelines/Pipelines.h"
#include "tfm/Target/CPU/CpuTarget.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Target/TargetMachine.h"

#include <thread>

using namespace mlir;
using namespace mlir::tfm;
namespace cl = llvm::cl;

namespace {
enum class Emit { Exe, Lib, Obj, Asm, Llvm, Tfm, Linalg };

cl::OptionCategory category("tfmc options");

cl::opt<std::string> inputFile(cl::Positional,
                               cl::desc("<model.onnx | model.mlir>"),
                               cl::cat(category));
cl::opt<bool> printTarget(
    "print-target",
    cl::desc("Print the CPU code is generated for, its vector width and the "
             "width of -O3's weight panels, then exit"),
    cl::cat(category));
cl::opt<std::string> outputFile(
    "o",
    cl::desc("Output file ('-' for stdout, text forms only); defaults to the "
             "model's name with the extension of the emitted form"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce"), cl::init(Emit::Exe),
    cl::values(clEnumValN(Emit::Exe, "exe",
                          "an executable that runs the model (default)"),
               clEnumValN(Emit::Lib, "lib",
                          "a shared library NAME.so with its C header NAME.h"),
               clEnumValN(Emit::Obj, "obj", "an object file"),
               clEnumValN(Emit::Asm, "asm", "assembly"),
               clEnumValN(Emit::Llvm, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Tfm, "tfm",
                          "the imported model in the tfm dialect"),
               clEnumValN(Emit::Linalg, "linalg",
                          "the model lowered to linalg on tensors")),
    cl::cat(category));
cl::opt<std::string> compileTo(
    "compile-to",
    cl::desc("Print the MLIR after this phase: graph, linalg, vectorized, "
             "bufferized or llvm for the CPU; graph, linalg, bufferized, "
             "kernels or llvm for --target=cuda"),
    cl::value_desc("phase"), cl::cat(category));
cl::opt<TargetKind> targetKind(
    "target", cl::desc("What the model runs on"), cl::init(TargetKind::Cpu),
    cl::values(clEnumValN(TargetKind::Cpu, "cpu",
                          "this x86-64 CPU or --target-cpu (default)"),
               clEnumValN(TargetKind::Cuda, "cuda",
                          "an NVIDIA GPU of --gpu-arch, through the CUDA "
                          "driver")),
    cl::cat(category));
cl::opt<std::string>
    gpuArch("gpu-arch",
            cl::desc("NVIDIA architecture of --target=cuda: sm_80 (default), "
                     "sm_90a, ..."),
            cl::init("sm_80"), cl::value_desc("sm_NN"), cl::cat(category));
cl::opt<GpuPrecision> gpuPrecision(
    "gpu-precision",
    cl::desc("Float precision of --target=cuda (default fp16: f16 weights "
             "and product inputs, f32 accumulation)"),
    cl::init(GpuPrecision::Fp16), TFM_GPU_PRECISION_VALUES, cl::cat(category));
cl::opt<bool> gpuTensorCores(
    "gpu-tensor-cores",
    cl::desc("Compute the f16 products of --target=cuda on tensor cores "
             "(mma.sync, sm_80 on; default on; =false for comparisons)"),
    cl::init(true), cl::cat(category));
cl::opt<std::string> cudaPath(
    "cuda-path",
    cl::desc("CUDA toolkit of --target=cuda (ptxas, libdevice; default "
             "$CUDA_HOME, else /usr/local/cuda)"),
    cl::value_desc("dir"), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::Prefix, cl::init(2),
                           cl::desc("Optimization level (-O0 .. -O3)"),
                           cl::value_desc("level"), cl::cat(category));
cl::opt<QuantizationMode>
    quantize("quantize", cl::desc("Quantize the weights of linear layers"),
             cl::init(QuantizationMode::None), cl::value_desc("mode"),
             TFM_QUANTIZATION_MODE_VALUES, cl::cat(category));
enum class PresentOutputs { Full, NewRows };
cl::opt<PresentOutputs> presentOutputs(
    "present",
    cl::desc("What the cache outputs of decoder exports (present = "
             "concat(past, new)) return"),
    cl::init(PresentOutputs::Full),
    cl::values(clEnumValN(PresentOutputs::Full, "full",
                          "the past with the new rows appended, as the "
                          "model says (default)"),
               clEnumValN(PresentOutputs::NewRows, "new-rows",
                          "only the new rows: the caller keeps the cache "
                          "(tfm_model_generate), and no step copies it")),
    cl::cat(category));
cl::opt<KvCacheType> kvCache(
    "kv-cache",
    cl::desc("Element type of a decoder's key/value cache (its past inputs "
             "and present outputs); attention extends what it reads to f32"),
    cl::init(KvCacheType::Model), cl::value_desc("type"),
    TFM_KV_CACHE_TYPE_VALUES, cl::cat(category));
cl::list<std::string> quantizeExclude(
    "quantize-exclude",
    cl::desc("Leave linears in float whose node or weight name contains one "
             "of these strings, or whose op kind (linear, matmul) is listed"),
    cl::value_desc("name,..."), cl::CommaSeparated, cl::cat(category));
cl::opt<int64_t> quantizeBlockSize(
    "quantize-block-size",
    cl::desc("Elements of K per scale and zero point of --quantize="
             "int4-weights: an even number from 2 to 4096 (default 32)"),
    cl::init(32), cl::value_desc("n"), cl::cat(category));
cl::opt<bool> fuseEpilogues(
    "fuse-epilogues",
    cl::desc("Compute each product's epilogue (dequantize, bias, "
             "activation, residual) in the product's register tiles "
             "(default on; --fuse-epilogues=false for comparisons)"),
    cl::init(true), cl::cat(category));
cl::opt<int64_t> weightPrefetchBytes(
    "weight-prefetch-bytes",
    cl::desc("How far ahead a product of a row or a few (decode) prefetches "
             "the int8 or int4 weight codes it streams, in bytes: 0 to "
             "1048576 (default 2048; 0: no prefetch)"),
    cl::init(2048), cl::value_desc("bytes"), cl::cat(category));
enum class AttentionForm { Target, Tiled, Batched };
cl::opt<AttentionForm> attentionForm(
    "attention",
    cl::desc("How attention is lowered (default: the target's "
             "choice, tiled on the CPU, batched on a GPU)"),
    cl::init(AttentionForm::Target),
    cl::values(clEnumValN(AttentionForm::Tiled, "tiled",
                          "an online softmax over key tiles, per head and "
                          "query block"),
               clEnumValN(AttentionForm::Batched, "batched",
                          "whole-tensor ops over every head: scores, "
                          "softmax, weighted values")),
    cl::cat(category));
cl::opt<PruningMethod>
    prune("prune",
          cl::desc("Prune the weights of linear layers (before --quantize)"),
          cl::init(PruningMethod::None), cl::value_desc("method"),
          TFM_PRUNING_METHOD_VALUES, cl::cat(category));
cl::opt<double> pruneSparsity(
    "prune-sparsity",
    cl::desc("Fraction of the weights (magnitude), blocks (block), FFN "
             "channels (ffn-channels) or attention heads (heads) --prune "
             "removes, in [0, 1) (default 0.5)"),
    cl::init(0.5), cl::value_desc("f"), cl::cat(category));
cl::opt<bool> pruneGlobal(
    "prune-global",
    cl::desc("--prune=magnitude|block: one threshold over all weights "
             "instead of the same fraction of each"),
    cl::init(false), cl::cat(category));
cl::opt<std::string> pruneBlock(
    "prune-block",
    cl::desc("--prune=block: rows x columns of a block (default 1x16)"),
    cl::init("1x16"), cl::value_desc("RxC"), cl::cat(category));
cl::opt<std::string>
    pruneNM("prune-n-m",
            cl::desc("--prune=n-m: n kept of every m weights along K "
                     "(default 2:4)"),
            cl::init("2:4"), cl::value_desc("N:M"), cl::cat(category));
cl::list<std::string> pruneExclude(
    "prune-exclude",
    cl::desc("Leave linears unpruned whose node or weight name contains one "
             "of these strings, or whose op kind (linear, matmul) is listed"),
    cl::value_desc("name,..."), cl::CommaSeparated, cl::cat(category));
cl::opt<bool> pruneReport(
    "prune-report",
    cl::desc("Print, for every weight --prune prunes, its name, shape and "
             "fraction of zeros (or an FFN's channels, an attention's heads, "
             "before and after)"),
    cl::init(false), cl::cat(category));
enum class SparseWeights { Auto, None };
cl::opt<SparseWeights> sparse(
    "sparse",
    cl::desc("How -O3 stores linear weights that are mostly zero in blocks "
             "of one vector of output features (pruned in 16x1 blocks) or "
             "N:M (pruned 2:4), or sparse so in the model"),
    cl::init(SparseWeights::Auto),
    cl::values(clEnumValN(SparseWeights::Auto, "auto",
                          "block-sparse when at least half of the blocks "
                          "are zero, else N:M (at most half kept) in "
                          "linears of up to 8 rows (default)"),
               clEnumValN(SparseWeights::None, "none", "always dense")),
    cl::cat(category));
cl::opt<bool> quantReport(
    "quant-report",
    cl::desc("Print, for every weight --quantize quantizes, its name, "
             "shape, scheme and error: the largest |W - dequantized W| "
             "(also relative to max |W|) and the relative RMS error"),
    cl::init(false), cl::cat(category));
cl::opt<std::string> calibrate(
    "calibrate",
    cl::desc("Calibration inputs of --quantize=w8a8-static: a folder of input "
             "sets (subfolders, or the folder itself) holding NAME.npy per "
             "graph input; the fp32 model runs on them"),
    cl::value_desc("dir"), cl::cat(category));
cl::opt<CalibrationMethod> calibrateMethod(
    "calibrate-method",
    cl::desc("How --calibrate reads a range from the values a linear's input "
             "took"),
    cl::init(CalibrationMethod::MinMax),
    cl::values(clEnumValN(CalibrationMethod::MinMax, "minmax",
                          "the smallest and the largest value"),
               clEnumValN(CalibrationMethod::Percentile, "percentile",
                          "the --calibrate-percentile percentiles at both "
                          "ends (outliers clipped)")),
    cl::cat(category));
cl::opt<double> calibratePercentile(
    "calibrate-percentile",
    cl::desc("Percent of the values --calibrate-method=percentile keeps at "
             "each end, in (50, 100] (default 99.99)"),
    cl::init(99.99), cl::value_desc("p"), cl::cat(category));
cl::opt<int64_t> maxConstantBytes(
    "max-constant-bytes",
    cl::desc("Largest constant, in bytes, that importing may compute (Range, "
             "Trilu, folded shape subgraphs; default 1 GiB)"),
    cl::init(int64_t(1) << 30), cl::value_desc("bytes"), cl::cat(category));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Shape of a graph input, fixing its symbolic dimensions "
             "(repeatable), e.g. input_ids=1x128; '?' keeps a dimension "
             "dynamic, '?N' with the upper bound N (input_ids=1x?256)"),
    cl::value_desc("NAME=D1xD2x..."), cl::cat(category));
cl::list<std::string> dimValues(
    "dim",
    cl::desc("Size of a symbolic dimension of the graph inputs, in every "
             "input that declares it (repeatable), e.g. batch=1, "
             "past_sequence=127; '?' keeps it dynamic, '?N' with the upper "
             "bound N (sequence=?256); a sum of symbols and sizes, at most "
             "one of them dynamic, relates them "
             "(total_sequence=past_sequence+sequence)"),
    cl::value_desc("NAME=N"), cl::cat(category));
cl::opt<int64_t>
    maxSeq("max-seq",
           cl::desc("Upper bound of the dynamic dimensions given without one "
                    "('?' in --input-shape or --dim, '?' in an MLIR model's "
                    "inputs): one compiled model serves every size up to it"),
           cl::init(0), cl::value_desc("N"), cl::cat(category));
cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("CPU to generate code for (default: this host)"),
              cl::value_desc("name"), cl::cat(category));
cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("CPU features, e.g. +avx2,+fma (default: the CPU's)"),
    cl::value_desc("features"), cl::cat(category));
cl::opt<WeightsMode> weightsMode(
    "weights", cl::desc("Where the weights go"), cl::init(WeightsMode::Auto),
    cl::values(clEnumValN(WeightsMode::Auto, "auto",
                          "embedded up to 64 MiB, else a side file (default)"),
               clEnumValN(WeightsMode::Embed, "embed",
                          "into the executable or library's read-only data"),
               clEnumValN(WeightsMode::File, "file",
                          "into NAME.weights beside the output, mapped at run "
                          "time")),
    cl::cat(category));
cl::opt<unsigned>
    threads("num-threads",
            cl::desc("Threads to partition parallel loops for (default: this "
                     "host's cores)"),
            cl::init(0), cl::cat(category));
cl::opt<bool> timing("timing", cl::desc("Print the time of each phase"),
                     cl::cat(category));
cl::opt<bool> emitWeights(
    "emit-weights",
    cl::desc("Print large weights in full in MLIR output (by default blobs "
             "over 1 KiB are elided)"),
    cl::cat(category));
} // namespace

static std::string defaultOutput(StringRef model, StringRef extension) {
  SmallString<256> path(llvm::sys::path::filename(model));
  llvm::sys::path::replace_extension(path, extension);
  return std::string(path);
}

static int fail(const Twine &message) {
  llvm::errs() << "tfmc: error: " << escapeControlCharacters(message.str())
               << "\n";
  return 1;
}

/// Two positive integers "AsepB" (as "4x4" or "2:4").
static std::optional<std::pair<int64_t, int64_t>> parsePair(StringRef text,
                                                            char sep) {
  auto [a, b] = text.split(sep);
  int64_t first, second;
  if (a.getAsInteger(10, first) || b.getAsInteger(10, second) || first < 1 ||
      second < 1)
    return std::nullopt;
  return std::make_pair(first, second);
}

/// The --prune* flags as tfm-prune's options; failure after an error.
static LogicalResult setPruneOptions(PrunePassOptions &options) {
  options.method = prune;
  bool pruning = prune != PruningMethod::None;
  auto given = [](const cl::Option &flag) { return flag.getNumOccurrences(); };
  for (const cl::Option *flag : std::initializer_list<const cl::Option *>{
           &pruneSparsity, &pruneGlobal, &pruneBlock, &pruneNM,
           std::addressof(pruneExclude), &pruneReport})
    if (given(*flag) && !pruning)
      return failure(fail("--" + flag->ArgStr + ": needs a --prune method"));
  if (!(pruneSparsity >= 0 && pruneSparsity < 1))
    return failure(fail("--prune-sparsity=" + std::to_string(pruneSparsity) +
                        ": expected a fraction in [0, 1)"));
  if (given(pruneSparsity) && prune == PruningMethod::NM)
    return failure(fail("--prune-sparsity: --prune=n-m prunes m - n of every "
                        "m (set --prune-n-m instead)"));
  if (given(pruneGlobal) && prune != PruningMethod::Magnitude &&
      prune != PruningMethod::Block)
    return failure(fail("--prune-global: only --prune=magnitude or block "
                        "have a global threshold"));
  std::optional<std::pair<int64_t, int64_t>> block = parsePair(pruneBlock, 'x');
  if (!block || block->first > 4096 || block->second > 4096)
    return failure(fail("--prune-block=" + pruneBlock +
                        ": expected ROWSxCOLUMNS, each 1 to 4096 (as 1x16)"));
  std::optional<std::pair<int64_t, int64_t>> nm = parsePair(pruneNM, ':');
  if (!nm || nm->first >= nm->second || nm->second > 64)
    return failure(fail("--prune-n-m=" + pruneNM +
                        ": expected N:M with 1 <= N < M <= 64 (as 2:4)"));
  if (given(pruneBlock) && prune != PruningMethod::Block)
    return failure(fail("--prune-block: needs --prune=block"));
  if (given(pruneNM) && prune != PruningMethod::NM)
    return failure(fail("--prune-n-m: needs --prune=n-m"));
  options.sparsity = pruneSparsity;
  options.global = pruneGlobal;
  options.blockRows = block->first;
  options.blockCols = block->second;
  options.n = nm->first;
  options.m = nm->second;
  options.exclude.assign(pruneExclude.begin(), pruneExclude.end());
  options.report = pruneReport;
  return success();
}

/// Most threads a parallel loop is partitioned for: beyond any machine tfmc
/// targets, and far below what would exhaust memory in tiling.
constexpr unsigned kMaxThreads = 1024;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  // LLVM registers its own --stats (pass statistics) on first use of the
  // option registry; ours prints op counts, so it takes the name over.
  if (cl::Option *llvmStats = cl::getRegisteredOptions().lookup("stats"))
    llvmStats->removeArgument();
  static cl::opt<bool> stats("stats",
                             cl::desc("Print the tfm op counts by kind before "
                                      "and after the graph pipeline"),
                             cl::cat(category));
  cl::ParseCommandLineOptions(argc, argv, "tfmc: the tfm compiler\n");

  if (targetKind == TargetKind::Cuda) {
    MLIRContext context;
    context.loadDialect<TfmDialect>();
    std::string why;
    ScopedDiagnosticHandler capture(&context, [&](Diagnostic &diag) {
      why = diag.str();
      return success();
    });
    GpuOptions gpu;
    gpu.chip = gpuArch;
    CudaTargetAttr desc = getCudaTarget(&context, gpu);
    if (!desc)
      return fail("--gpu-arch=" + gpuArch + ": " + why);
    if (printTarget) {
      llvm::outs() << "gpu: " << desc.getChip().getValue() << "\n"
                   << "ptx: " << desc.getFeatures().getValue() << "\n"
                   << "target: " << Attribute(desc) << "\n";
      return 0;
    }
  }
  if (printTarget) {
    cpu::TargetOptions target;
    target.cpu = targetCpu;
    target.features = targetFeatures;
    std::string error;
    std::unique_ptr<llvm::TargetMachine> machine =
        cpu::createTargetMachine(target, error);
    if (!machine)
      return fail(error);
    MLIRContext context;
    context.loadDialect<TfmDialect>();
    CpuTargetAttr desc = getCpuTarget(&context, *machine);
    llvm::outs() << "cpu: " << desc.getCpu().getValue() << "\n"
                 << "vector-bits: " << desc.getVectorBits() << "\n"
                 << "panel-width: " << desc.getWeightPanelWidth() << "\n"
                 << "int8-dot: " << (desc.getInt8Dot() ? "vpdpbusd" : "none")
                 << "\n"
                 << "bf16-dot: " << (desc.getBf16Dot() ? "vdpbf16ps" : "none")
                 << "\n"
                 << "target: " << Attribute(desc) << "\n";
    return 0;
  }
  if (inputFile.empty())
    return fail("no model given (tfmc MODEL.onnx|MODEL.mlir [options])");

  CompileOptions options;
  switch (emit) {
  case Emit::Exe:
    options.output = OutputKind::Executable;
    break;
  case Emit::Lib:
    options.output = OutputKind::SharedLibrary;
    break;
  case Emit::Obj:
    options.output = OutputKind::Object;
    break;
  case Emit::Asm:
    options.output = OutputKind::Assembly;
    break;
  case Emit::Llvm:
    options.output = OutputKind::LlvmIR;
    break;
  case Emit::Tfm:
    options.output = OutputKind::Mlir;
    break;
  case Emit::Linalg:
    options.output = OutputKind::Mlir;
    options.mlirPhase = "linalg";
    break;
  }
  if (compileTo.getNumOccurrences()) {
    ArrayRef<StringRef> phases = targetKind == TargetKind::Cuda
                                     ? getGpuPhaseNames()
                                     : getCpuPhaseNames();
    if (!llvm::is_contained(phases, StringRef(compileTo)))
      return fail("--compile-to=" + compileTo + ": the " +
                  (targetKind == TargetKind::Cuda ? "cuda" : "cpu") +
                  " target's phases are " + llvm::join(phases, ", "));
    options.mlirPhase = compileTo.getValue();
    options.output = OutputKind::Mlir;
  }
  if (optLevel > 3)
    return fail("-O" + Twine(optLevel) + ": expected -O0 to -O3");
  options.optLevel = optLevel;
  if (failed(setPruneOptions(options.prune)))
    return 1;
  options.sparseWeights = sparse == SparseWeights::Auto;
  options.quantize = quantize;
  options.quantizeExclude.assign(quantizeExclude.begin(),
                                 quantizeExclude.end());
  if (quantizeBlockSize < 2 || quantizeBlockSize > 4096 ||
      quantizeBlockSize % 2 != 0)
    return fail("--quantize-block-size=" + Twine(quantizeBlockSize) +
                ": expected an even number from 2 to 4096");
  options.quantizeBlockSize = quantizeBlockSize;
  if (quantReport && quantize == QuantizationMode::None)
    return fail("--quant-report: needs a --quantize mode");
  options.quantizeReport = quantReport;
  options.presentNewRows = presentOutputs == PresentOutputs::NewRows;
  options.kvCache = kvCache;
  if (maxSeq < 0)
    return fail("--max-seq: expected a positive bound, got " +
                std::to_string(maxSeq));
  options.maxSeq = maxSeq;
  options.fuseEpilogues = fuseEpilogues;
  if (weightPrefetchBytes < 0 || weightPrefetchBytes > (1 << 20))
    return fail("--weight-prefetch-bytes=" + Twine(weightPrefetchBytes) +
                ": expected 0 to 1048576");
  options.weightPrefetchBytes = weightPrefetchBytes;
  if (attentionForm != AttentionForm::Target)
    options.attentionBatched = attentionForm == AttentionForm::Batched;
  if (!calibrate.empty() && quantize != QuantizationMode::W8A8Static)
    return fail("--calibrate: needs --quantize=w8a8-static");
  if (calibrate.empty() && quantize == QuantizationMode::W8A8Static)
    return fail("--quantize=w8a8-static: needs calibration inputs, "
                "--calibrate=DIR");
  if (!(calibratePercentile > 50 && calibratePercentile <= 100))
    return fail("--calibrate-percentile=" +
                std::to_string(calibratePercentile) + ": must be in (50, 100]");
  options.calibrationDir = calibrate;
  options.calibrationMethod = calibrateMethod;
  options.calibrationPercentile = calibratePercentile;
  if (threads > kMaxThreads)
    return fail("--num-threads=" + Twine(threads) + ": expected 1 to " +
                Twine(kMaxThreads) + " (0: this host's cores)");
  if (maxConstantBytes <= 0)
    return fail("--max-constant-bytes=" + Twine(maxConstantBytes) +
                ": expected a positive size");

  StringRef extension;
  switch (options.output) {
  case OutputKind::Mlir:
    extension = ".mlir";
    break;
  case OutputKind::LlvmIR:
    extension = ".ll";
    break;
  case OutputKind::Assembly:
    extension = ".s";
    break;
  case OutputKind::Object:
    extension = ".o";
    break;
  case OutputKind::Executable:
    extension = "";
    break;
  case OutputKind::SharedLibrary:
    extension = ".so";
    break;
  }
  options.outputPath =
      outputFile.empty() ? defaultOutput(inputFile, extension) : outputFile;
  bool binary = options.output == OutputKind::Object ||
                options.output == OutputKind::Executable ||
                options.output == OutputKind::SharedLibrary;
  if (binary && options.outputPath == "-")
    return fail("-o -: binary outputs need a file name");
  // The model is never overwritten (`tfmc m.onnx --emit=obj -o m.onnx`):
  // compileModel checks this output and every side file against it.
  options.inputPath = inputFile;
  options.symbolPrefix = makeSymbolPrefix(
      options.outputPath == "-" ? StringRef(inputFile) : options.outputPath);
  options.sourceName = llvm::sys::path::filename(inputFile).str();
  options.target.cpu = targetCpu;
  options.target.features = targetFeatures;
  options.targetKind = targetKind;
  bool gpuFlags =
      gpuArch.getNumOccurrences() || gpuPrecision.getNumOccurrences() ||
      gpuTensorCores.getNumOccurrences() || cudaPath.getNumOccurrences();
  if (gpuFlags && targetKind != TargetKind::Cuda)
    return fail("--gpu-arch, --gpu-precision, --gpu-tensor-cores and "
                "--cuda-path apply to --target=cuda");
  options.gpu.chip = gpuArch;
  options.gpu.precision = gpuPrecision;
  options.gpu.tensorCores = gpuTensorCores;
  if (!cudaPath.empty())
    options.gpu.cudaPath = cudaPath;
  else if (std::optional<std::string> home =
               llvm::sys::Process::GetEnv("CUDA_HOME"))
    options.gpu.cudaPath = *home;
  // The zeros of unstructured, block and N:M pruning only pay through the
  // CPU's sparse kernels; structured pruning shrinks the products anywhere.
  if (targetKind == TargetKind::Cuda &&
      (prune == PruningMethod::Magnitude || prune == PruningMethod::Block ||
       prune == PruningMethod::NM))
    llvm::errs() << "tfmc: warning: --prune="
                 << (prune == PruningMethod::Magnitude ? "magnitude"
                     : prune == PruningMethod::Block   ? "block"
                                                       : "n-m")
                 << " with --target=cuda: the GPU runs the zeroed weights "
                    "dense (sparse kernels are CPU-only); --prune=heads or "
                    "ffn-channels shrink the model\n";
  if (targetKind == TargetKind::Cuda &&
      !llvm::sys::fs::is_directory(options.gpu.cudaPath + "/bin"))
    return fail("--target=cuda: no CUDA toolkit at '" + options.gpu.cudaPath +
                "' (ptxas is needed); set --cuda-path or CUDA_HOME");
  options.target.optLevel = options.optLevel;
  options.weights = weightsMode;
  options.numThreads =
      threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  options.timing = timing;
  options.stats = stats;
  options.elideWeights = !emitWeights;

  // The toolchain around tfmc: the runtime beside it, the C driver it was
  // built with (or $TFMC_CC).
  SmallString<256> libDir(
      llvm::sys::fs::getMainExecutable(argv[0], (void *)&fail));
  llvm::sys::path::remove_filename(libDir);
  llvm::sys::path::append(libDir, "..", "lib");
  options.link.runtimeLibraryDir = std::string(libDir);
  std::optional<std::string> cc = llvm::sys::Process::GetEnv("TFMC_CC");
  options.link.compiler = cc ? *cc : TFM_DEFAULT_CC;
  options.link.openmpLibrary = TFM_OMP_LIBRARY;
  options.link.runtimeLinkFlags = TFM_RUNTIME_LINK_FLAGS;
  options.runtimeIncludeDir = TFM_RUNTIME_INCLUDE_DIR;

  OnnxImportOptions importOptions;
  importOptions.maxConstantBytes = maxConstantBytes;
  importOptions.defaultBound = maxSeq;
  for (const std::string &spec : inputShapes)
    if (std::optional<std::string> error = parseInputShape(spec, importOptions))
      return fail(*error);
  for (const std::string &spec : dimValues)
    if (std::optional<std::string> error = parseDimValue(spec, importOptions))
      return fail(*error);

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllTfmDialects(registry);
  registerOnnxImportDialects(registry);
  // --target=cuda: kernels are translated to LLVM IR for the NVPTX back end.
  registerAllGPUToLLVMIRTranslations(registry);
  MLIRContext context(registry);
  // A diagnostic names its node; printing the op would dump whole models.
  context.printOpOnDiagnostic(false);
  ToolDiagnosticHandler diagnostics(&context, "tfmc");

  OwningOpRef<ModuleOp> module;
  if (StringRef(inputFile).ends_with(".mlir")) {
    if (!inputShapes.empty() || !dimValues.empty())
      return fail(std::string(inputShapes.empty() ? "--dim" : "--input-shape") +
                  " applies to ONNX models; '" + inputFile + "' is MLIR");
    std::unique_ptr<llvm::MemoryBuffer> buffer =
        readModelFile(&context, inputFile);
    if (!buffer)
      return 1;
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  } else {
    module = importOnnxFile(&context, inputFile, importOptions);
  }
  if (!module)
    return 1;
  if (failed(compileModel(*module, options, llvm::errs())))
    return 1;
  return 0;
}
