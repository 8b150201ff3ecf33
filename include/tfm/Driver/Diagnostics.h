//===- Diagnostics.h - diagnostics of the tfm command-line tools -*- C++
//-*-===//

#ifndef TFM_DRIVER_DIAGNOSTICS_H
#define TFM_DRIVER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tfm {

/// `text` with control characters (newlines, escapes, NUL) written as `\n`,
/// `\t` or `\xNN`, so that names from a model cannot forge or garble the
/// lines a tool prints.
std::string escapeControlCharacters(StringRef text);

/// Prints diagnostics as one line each, "<tool>: error: <where>: <message>",
/// where <where> is "node 'name'" for a node of a model, "file:line:col" for
/// text, and the file name for a whole model. Notes follow their error.
/// Counts the errors it printed.
class ToolDiagnosticHandler : public ScopedDiagnosticHandler {
public:
  ToolDiagnosticHandler(MLIRContext *context, StringRef toolName,
                        llvm::raw_ostream &os = llvm::errs());
  unsigned getErrorCount() const { return errorCount; }

private:
  void print(Diagnostic &diag);

  std::string toolName;
  llvm::raw_ostream &os;
  unsigned errorCount = 0;
};

} // namespace mlir::tfm

#endif // TFM_DRIVER_DIAGNOSTICS_H
