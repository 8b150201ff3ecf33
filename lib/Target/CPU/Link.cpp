//===- Link.cpp - executables and shared libraries via the C driver -------===//

#include "tfm/Target/CPU/CpuTarget.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace mlir;
using namespace mlir::tfm;

/// Runs the compiler driver with `args`; on failure `error` holds its
/// diagnostics.
static LogicalResult runDriver(const cpu::LinkOptions &options,
                               ArrayRef<std::string> args, std::string &error) {
  llvm::ErrorOr<std::string> program =
      llvm::sys::findProgramByName(options.compiler);
  if (!program) {
    error = "cannot find the linker driver '" + options.compiler +
            "' (set TFMC_CC to a C compiler driver)";
    return failure();
  }
  SmallString<128> log;
  llvm::sys::fs::createTemporaryFile("tfmc-link", "log", log);
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  SmallVector<StringRef> argv = {*program};
  for (const std::string &arg : args)
    argv.push_back(arg);
  std::string execError;
  int status = llvm::sys::ExecuteAndWait(*program, argv, std::nullopt,
                                         redirects, /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &execError);
  std::string output;
  if (auto buffer = llvm::MemoryBuffer::getFile(log))
    output = (*buffer)->getBuffer().str();
  llvm::sys::fs::remove(log);
  if (status != 0) {
    error = "linking failed" + (execError.empty() ? "" : ": " + execError) +
            (output.empty() ? "" : "\n" + output);
    return failure();
  }
  return success();
}

static std::string runtimeArchive(const cpu::LinkOptions &options,
                                  StringRef name) {
  SmallString<256> path(options.runtimeLibraryDir);
  llvm::sys::path::append(path, name);
  return std::string(path);
}

static void addRuntimeDependencies(const cpu::LinkOptions &options,
                                   std::vector<std::string> &args) {
  args.push_back(options.openmpLibrary);
  SmallString<256> ompDir(options.openmpLibrary);
  llvm::sys::path::remove_filename(ompDir);
  args.push_back("-Wl,-rpath," + std::string(ompDir));
  args.push_back("-ldl");
  args.push_back("-lm");
  SmallVector<StringRef> flags;
  StringRef(options.runtimeLinkFlags).split(flags, ' ', -1, false);
  for (StringRef flag : flags)
    args.push_back(flag.str());
}

LogicalResult cpu::linkExecutable(StringRef object, StringRef output,
                                  const LinkOptions &options,
                                  std::string &error) {
  std::vector<std::string> args = {
      "-o", output.str(), object.str(),
      runtimeArchive(options, "libtfm_runtime_main.a"),
      runtimeArchive(options, "libtfm_runtime.a")};
  addRuntimeDependencies(options, args);
  return runDriver(options, args, error);
}

LogicalResult cpu::linkSharedLibrary(StringRef object, StringRef output,
                                     const LinkOptions &options,
                                     std::string &error) {
  // The whole runtime goes in: callers use API functions the model does not.
  std::vector<std::string> args = {"-shared",
                                   "-o",
                                   output.str(),
                                   object.str(),
                                   "-Wl,--whole-archive",
                                   runtimeArchive(options, "libtfm_runtime.a"),
                                   "-Wl,--no-whole-archive"};
  addRuntimeDependencies(options, args);
  return runDriver(options, args, error);
}
