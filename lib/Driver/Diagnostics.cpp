//===- Diagnostics.cpp - diagnostics of the tfm command-line tools --------===//

#include "tfm/Driver/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tfm;

/// Where a location points, for people: the node it names or its file
/// position; empty when unknown.
static std::string describe(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto name = dyn_cast<NameLoc>(loc)) {
    os << "node '" << name.getName().getValue() << "'";
  } else if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    os << file.getFilename().getValue();
    if (file.getLine() != 0)
      os << ":" << file.getLine() << ":" << file.getColumn();
  } else if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location part : fused.getLocations())
      if (!(text = describe(part)).empty())
        return text;
  } else if (auto callSite = dyn_cast<CallSiteLoc>(loc)) {
    return describe(callSite.getCallee());
  }
  return text;
}

std::string mlir::tfm::escapeControlCharacters(StringRef text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (c == '\t') {
      escaped += "\\t";
    } else {
      escaped += "\\x";
      escaped += llvm::hexdigit(byte >> 4, /*LowerCase=*/true);
      escaped += llvm::hexdigit(byte & 15, /*LowerCase=*/true);
    }
  }
  return escaped;
}

ToolDiagnosticHandler::ToolDiagnosticHandler(MLIRContext *context,
                                             StringRef toolName,
                                             llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(context), toolName(toolName.str()), os(os) {
  setHandler([this](Diagnostic &diag) {
    print(diag);
    return success();
  });
}

void ToolDiagnosticHandler::print(Diagnostic &diag) {
  StringRef severity;
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    severity = "error";
    ++errorCount;
    break;
  case DiagnosticSeverity::Warning:
    severity = "warning";
    break;
  case DiagnosticSeverity::Note:
    severity = "note";
    break;
  case DiagnosticSeverity::Remark:
    severity = "remark";
    break;
  }
  os << toolName << ": " << severity << ": ";
  std::string where = describe(diag.getLocation());
  if (!where.empty())
    os << escapeControlCharacters(where) << ": ";
  os << escapeControlCharacters(diag.str()) << "\n";
  for (Diagnostic &note : diag.getNotes())
    print(note);
  os.flush();
}
