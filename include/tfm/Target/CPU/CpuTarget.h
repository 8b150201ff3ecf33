//===- CpuTarget.h - LLVM IR, object code and linking for x86-64 -*- C++
//-*-===//
//
// The back end of tfmc for CPUs: translates the LLVM-dialect module that
// tfm-cpu-pipeline produces into LLVM IR, adds the glue the runtime calls
// (tensor descriptions, an entry wrapper, the tfm_model_desc), optimizes,
// emits object code for a target CPU, and links executables or shared
// libraries against the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_TARGET_CPU_CPUTARGET_H
#define TFM_TARGET_CPU_CPUTARGET_H

#include "tfm/Target/ModelDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir::tfm::cpu {

struct TargetOptions {
  /// LLVM CPU name; empty for the host CPU.
  std::string cpu;
  /// LLVM feature string ("+avx2,+fma"); empty for the host CPU's features
  /// (or the CPU's defaults when `cpu` is set).
  std::string features;
  /// LLVM optimization level, 0-3.
  unsigned optLevel = 2;
};

/// A target machine for x86-64 code, position independent. Returns null and
/// sets `error` when the CPU or features are unknown.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetOptions &options, std::string &error);

/// Bits of the vector registers `machine` computes with: 512 with
/// AVX-512F, 256 with AVX, else 128.
int64_t getVectorRegisterBits(const llvm::TargetMachine &machine);

/// True when `machine` has vpdpbusd (the u8 x s8 4-way dot product) on
/// vector registers of `bits`: AVX-512 VNNI at 512; AVX-VNNI, or AVX-512
/// VNNI with VL, at 256.
bool hasDotProductInt8(const llvm::TargetMachine &machine, int64_t bits);

/// True when `machine` has vdpbf16ps (the bf16 pair dot product into f32)
/// on vector registers of `bits`: AVX-512 BF16 at 512, with VL at 256.
bool hasDotProductBf16(const llvm::TargetMachine &machine, int64_t bits);

/// Where the weights blob goes.
struct WeightsPlacement {
  /// True: into the read-only data of the object; false: into a side file.
  bool embedded = true;
  /// The side file's name, looked up next to the executable or library.
  std::string fileName;
  /// tfm_checksum of the side file's bytes, which the runtime checks when it
  /// maps the file.
  uint64_t checksum = 0;
};

/// The checksum of a weights side file (the runtime's tfm_checksum).
uint64_t checksumWeights(ArrayRef<char> bytes);

/// Writes the weights blob recorded in `module` (tfm-externalize-weights'
/// `tfm.weights` layout) to `os`; the blob has `getWeightsSize` bytes.
LogicalResult writeWeightsBlob(ModuleOp module, llvm::raw_ostream &os);
int64_t getWeightsSize(ModuleOp module);
/// Drops the weights layout (and with it the last references to the weight
/// values) once the blob has been written.
void dropWeights(ModuleOp module);

/// Translates an LLVM-dialect module to LLVM IR and adds the model glue:
/// `<prefix>_descriptor()`, a weak `tfm_model_descriptor()`, the wrapper
/// that unpacks the runtime's argument array, and the embedded weights
/// (`embeddedWeights`, when placed in the object). Fails with diagnostics.
std::unique_ptr<llvm::Module>
translateModel(ModuleOp module, llvm::LLVMContext &context,
               const ModelDescription &model, StringRef entryName,
               StringRef prefix, const WeightsPlacement &weights,
               StringRef embeddedWeights);

/// Lets the kernel launches of a GPU model's host code share one buffer for
/// their parameters (the driver copies them at each launch): the LLVM IR
/// translation allocates them at every launch, thousands in the entry
/// block. Call with the target's data layout set.
void shareLaunchParameters(llvm::Module &module);

/// Runs LLVM's optimization pipeline at `optLevel`.
LogicalResult optimizeModule(llvm::Module &module, llvm::TargetMachine &machine,
                             unsigned optLevel, std::string &error);

/// Emits `module` as an object file, or as assembly text.
LogicalResult emitMachineCode(llvm::Module &module,
                              llvm::TargetMachine &machine,
                              llvm::raw_pwrite_stream &os, bool assembly,
                              std::string &error);

/// Writes NAME.h: the runtime API (by inclusion) and the model's own
/// declarations, with its inputs and outputs documented.
void writeModelHeader(llvm::raw_ostream &os, const ModelDescription &model,
                      StringRef prefix, StringRef sourceName);

struct LinkOptions {
  /// The C compiler driver that links (clang); see tfmc --help.
  std::string compiler;
  /// Directory of libtfm_runtime.a and libtfm_runtime_main.a.
  std::string runtimeLibraryDir;
  /// The OpenMP runtime generated code calls into.
  std::string openmpLibrary;
  /// Flags the runtime archives need at link time (a sanitizer build's
  /// -fsanitize=...), space-separated; empty for a normal build.
  std::string runtimeLinkFlags;
};

/// Links an object into an executable (with the runtime's main()) or a
/// shared library exporting the runtime API and the model's descriptor.
LogicalResult linkExecutable(StringRef object, StringRef output,
                             const LinkOptions &options, std::string &error);
LogicalResult linkSharedLibrary(StringRef object, StringRef output,
                                const LinkOptions &options, std::string &error);

} // namespace mlir::tfm::cpu

#endif // TFM_TARGET_CPU_CPUTARGET_H
