//===- TensorImport.cpp - ONNX types and tensors to MLIR ------------------===//

#include "Importer.h"

#include "tfm/Dialect/Tfm/ShapeUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {
// Data type numbers of ONNX's TensorProto.DataType, including those newer
// than the ONNX release we build against.
enum DataType : int32_t {
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBFloat16 = 16,
  kFloat8E4M3FN = 17,
  kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19,
  kFloat8E5M2FNUZ = 20,
  kUint4 = 21,
  kInt4 = 22,
  kFloat4E2M1 = 23,
};
} // namespace

Type mlir::tfm::onnx_import::getElementType(MLIRContext *context,
                                            int32_t dataType) {
  auto integer = [&](unsigned width, bool isUnsigned) -> Type {
    return IntegerType::get(context, width,
                            isUnsigned ? IntegerType::Unsigned
                                       : IntegerType::Signless);
  };
  switch (dataType) {
  case kFloat:
    return Float32Type::get(context);
  case kDouble:
    return Float64Type::get(context);
  case kFloat16:
    return Float16Type::get(context);
  case kBFloat16:
    return BFloat16Type::get(context);
  case kInt8:
    return integer(8, false);
  case kInt16:
    return integer(16, false);
  case kInt32:
    return integer(32, false);
  case kInt64:
    return integer(64, false);
  case kUint8:
    return integer(8, true);
  case kUint16:
    return integer(16, true);
  case kUint32:
    return integer(32, true);
  case kUint64:
    return integer(64, true);
  case kBool:
    return IntegerType::get(context, 1);
  default:
    return {};
  }
}

std::string mlir::tfm::onnx_import::getDataTypeName(int32_t dataType) {
  switch (dataType) {
  case kFloat: return "float";
  case kUint8: return "uint8";
  case kInt8: return "int8";
  case kUint16: return "uint16";
  case kInt16: return "int16";
  case kInt32: return "int32";
  case kInt64: return "int64";
  case kString: return "string";
  case kBool: return "bool";
  case kFloat16: return "float16";
  case kDouble: return "double";
  case kUint32: return "uint32";
  case kUint64: return "uint64";
  case kComplex64: return "complex64";
  case kComplex128: return "complex128";
  case kBFloat16: return "bfloat16";
  case kFloat8E4M3FN: return "float8e4m3fn";
  case kFloat8E4M3FNUZ: return "float8e4m3fnuz";
  case kFloat8E5M2: return "float8e5m2";
  case kFloat8E5M2FNUZ: return "float8e5m2fnuz";
  case kUint4: return "uint4";
  case kInt4: return "int4";
  case kFloat4E2M1: return "float4e2m1";
  default: return "data type " + std::to_string(dataType);
  }
}

/// Bytes one element occupies in ONNX's raw data (bool: one byte).
static size_t getStorageBytes(Type elementType) {
  return std::max<size_t>(1, elementType.getIntOrFloatBitWidth() / 8);
}

/// Number of values in the typed field that holds `dataType`'s elements.
static int64_t getTypedFieldSize(const onnx::TensorProto &tensor) {
  switch (tensor.data_type()) {
  case kFloat:
    return tensor.float_data_size();
  case kDouble:
    return tensor.double_data_size();
  case kInt64:
    return tensor.int64_data_size();
  case kUint32:
  case kUint64:
    return tensor.uint64_data_size();
  default:
    return tensor.int32_data_size();
  }
}

/// True when any typed data field holds values.
static bool hasTypedFields(const onnx::TensorProto &tensor) {
  return tensor.float_data_size() || tensor.double_data_size() ||
         tensor.int32_data_size() || tensor.int64_data_size() ||
         tensor.uint64_data_size() || tensor.string_data_size();
}

/// Copies the values of ONNX's typed repeated fields into raw little-endian
/// storage of `elementType`. Values that do not fit the element type (an
/// int8 of 300, a float16 bit pattern over 16 bits) are errors: storing them
/// would silently truncate.
static bool readTypedFields(const onnx::TensorProto &tensor, int64_t count,
                            size_t width, std::vector<char> &bytes,
                            std::string &error) {
  int64_t have = getTypedFieldSize(tensor);
  if (have != count) {
    error = "holds " + std::to_string(have) + " values for " +
            std::to_string(count) + " elements";
    return false;
  }
  bytes.resize(count * width);
  auto store = [&](int64_t i, uint64_t bits) {
    std::memcpy(bytes.data() + i * width, &bits, width);
  };
  auto outOfRange = [&](int64_t i, auto value) {
    error = "holds " + std::to_string(value) + " at element " +
            std::to_string(i) + ", outside the range of " +
            getDataTypeName(tensor.data_type());
    return false;
  };
  switch (tensor.data_type()) {
  case kFloat:
    if (count)
      std::memcpy(bytes.data(), tensor.float_data().data(), count * 4);
    return true;
  case kDouble:
    if (count)
      std::memcpy(bytes.data(), tensor.double_data().data(), count * 8);
    return true;
  case kInt64:
    if (count)
      std::memcpy(bytes.data(), tensor.int64_data().data(), count * 8);
    return true;
  case kUint32:
  case kUint64:
    for (int64_t i = 0; i < count; ++i) {
      uint64_t v = tensor.uint64_data(i);
      if (tensor.data_type() == kUint32 && v > UINT32_MAX)
        return outOfRange(i, v);
      store(i, v);
    }
    return true;
  case kInt32:
  case kInt16:
  case kInt8:
  case kUint16:
  case kUint8:
  case kBool:
  case kFloat16:
  case kBFloat16: {
    // One value (or the 16 bits of a half) per int32 entry.
    int64_t lo = INT32_MIN, hi = INT32_MAX;
    switch (tensor.data_type()) {
    case kInt16:
      lo = INT16_MIN, hi = INT16_MAX;
      break;
    case kInt8:
      lo = INT8_MIN, hi = INT8_MAX;
      break;
    case kUint16:
    case kFloat16:
    case kBFloat16:
      lo = 0, hi = UINT16_MAX;
      break;
    case kUint8:
      lo = 0, hi = UINT8_MAX;
      break;
    case kBool:
      lo = 0, hi = 1;
      break;
    default:
      break;
    }
    for (int64_t i = 0; i < count; ++i) {
      int64_t v = tensor.int32_data(i);
      if (v < lo || v > hi)
        return outOfRange(i, v);
      store(i, static_cast<uint64_t>(v));
    }
    return true;
  }
  default:
    error = "has unsupported element type " +
            getDataTypeName(tensor.data_type());
    return false;
  }
}

/// Resolves an external data location inside the model's folder. As ONNX
/// Runtime does, a location may not be absolute nor resolve (through `..` or
/// symbolic links) outside `baseDir`: a model must not make the compiler read
/// and embed other files of the machine.
static bool resolveExternalLocation(StringRef baseDir, StringRef location,
                                    SmallVectorImpl<char> &resolved,
                                    std::string &error) {
  std::string shown = llvm::StringRef(location).str();
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::has_root_name(location)) {
    error = "names external data file '" + shown +
            "' by an absolute path; locations must be relative to the "
            "model's folder";
    return false;
  }
  if (location.contains('\0')) {
    error = "has an external data location with a NUL character";
    return false;
  }
  // `..` that climbs out of the folder is refused before the file system
  // is asked anything (so that a model cannot probe which files exist);
  // symbolic links are resolved below.
  SmallString<256> lexical(location);
  llvm::sys::path::remove_dots(lexical, /*remove_dot_dot=*/true);
  if (lexical == ".." || StringRef(lexical).starts_with("../")) {
    error =
        "names external data file '" + shown + "' outside the model's folder";
    return false;
  }
  SmallString<256> path(baseDir);
  llvm::sys::path::append(path, location);
  SmallString<256> realBase;
  if (std::error_code ec = llvm::sys::fs::real_path(baseDir, realBase)) {
    error = "cannot resolve the model's folder '" + baseDir.str() +
            "': " + ec.message();
    return false;
  }
  if (std::error_code ec = llvm::sys::fs::real_path(path, resolved)) {
    error = "cannot open external data file '" + std::string(path) +
            "': " + ec.message();
    return false;
  }
  StringRef real(resolved.data(), resolved.size());
  // Inside: realBase followed by a separator (realBase is "/" itself when
  // the model sits in the root folder) and at least one more character.
  bool inside = real.size() > realBase.size() && real.starts_with(realBase) &&
                (llvm::sys::path::is_separator(realBase.back()) ||
                 llvm::sys::path::is_separator(real[realBase.size()]));
  if (!inside) {
    error = "names external data file '" + shown + "', which resolves to '" +
            real.str() + "' outside the model's folder '" +
            realBase.str().str() + "'";
    return false;
  }
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(real, status)) {
    error =
        "cannot open external data file '" + real.str() + "': " + ec.message();
    return false;
  }
  if (!llvm::sys::fs::is_regular_file(status)) {
    error = "names external data '" + shown + "', which is not a regular file";
    return false;
  }
  return true;
}

/// Reads a tensor stored in an external data file.
static bool readExternalData(const onnx::TensorProto &tensor, StringRef baseDir,
                             size_t expectedBytes, std::vector<char> &bytes,
                             std::string &error) {
  std::string location;
  uint64_t offset = 0, length = expectedBytes;
  bool hasLength = false;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      uint64_t value;
      if (StringRef(entry.value()).getAsInteger(10, value)) {
        error = "has a malformed external data " + entry.key() + " '" +
                entry.value() + "'";
        return false;
      }
      if (entry.key() == "offset") {
        offset = value;
      } else {
        length = value;
        hasLength = true;
      }
    }
  }
  if (location.empty()) {
    error = "stores its data externally but names no location";
    return false;
  }
  if (hasLength && length != expectedBytes) {
    error = "external data length " + std::to_string(length) +
            " differs from the " + std::to_string(expectedBytes) +
            " bytes its shape needs";
    return false;
  }
  SmallString<256> path;
  if (!resolveExternalLocation(baseDir, location, path, error))
    return false;
  // The slice must lie inside the file: checked before reading, so that a
  // short file is an error rather than zeros (or SIGBUS on a mapping).
  uint64_t fileSize = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(path, fileSize)) {
    error = "cannot read external data file '" + std::string(path) +
            "': " + ec.message();
    return false;
  }
  if (offset > fileSize || expectedBytes > fileSize - offset) {
    error = "needs " + std::to_string(expectedBytes) + " bytes at offset " +
            std::to_string(offset) + " of external data file '" +
            std::string(path) + "', which has " + std::to_string(fileSize) +
            " bytes";
    return false;
  }
  // Read, not mapped (IsVolatile): the bytes are copied anyway, and a file
  // truncated while we read it cannot fault.
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, expectedBytes, offset,
                                                 /*IsVolatile=*/true);
  if (!buffer) {
    error = "cannot read " + std::to_string(expectedBytes) +
            " bytes at offset " + std::to_string(offset) +
            " of external data file '" + std::string(path) +
            "': " + buffer.getError().message();
    return false;
  }
  if ((*buffer)->getBufferSize() != expectedBytes) {
    error = "external data file '" + std::string(path) + "' ends before " +
            std::to_string(offset + expectedBytes) + " bytes";
    return false;
  }
  StringRef data = (*buffer)->getBuffer();
  bytes.assign(data.begin(), data.end());
  return true;
}

/// A resource key from an ONNX name: only characters valid in a bare MLIR
/// identifier are kept.
static std::string getBlobName(StringRef name) {
  std::string key = name.empty() ? "weight" : name.str();
  for (char &c : key)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  if (!llvm::isAlpha(key.front()) && key.front() != '_')
    key.insert(key.begin(), '_');
  return key;
}

/// Shared by both forms of importTensor: `owned`, when given, is raw data
/// whose ownership the blob may take.
static ElementsAttr importTensorImpl(MLIRContext *context,
                                     const onnx::TensorProto &tensor,
                                     StringRef baseDir,
                                     int64_t maxInlineElements,
                                     std::string *owned, std::string &error) {
  Type elementType = getElementType(context, tensor.data_type());
  if (!elementType) {
    error = "has unsupported element type " +
            getDataTypeName(tensor.data_type());
    return {};
  }
  SmallVector<int64_t> shape;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      error = "has a negative dimension " + std::to_string(dim);
      return {};
    }
    shape.push_back(dim);
  }
  auto type = RankedTensorType::get(shape, elementType);
  if (std::optional<std::string> reason = checkTensorSize(type)) {
    error = "has shape " + formatShape(shape) + ", too large: " + *reason;
    return {};
  }
  int64_t count = *getCheckedNumElements(shape);
  size_t width = getStorageBytes(elementType);
  size_t expectedBytes = count * width;
  size_t alignment = std::max<size_t>(width, alignof(uint64_t));

  // The bytes, in place in the tensor's raw data or read into `bytes`. A
  // tensor holds its values in exactly one place.
  std::vector<char> bytes;
  ArrayRef<char> data;
  bool external = tensor.has_data_location() &&
                  tensor.data_location() == onnx::TensorProto::EXTERNAL;
  int sources = external + tensor.has_raw_data() + hasTypedFields(tensor);
  if (sources > 1) {
    error = std::string("holds its values in more than one of ") +
            "external data, raw_data and typed data fields; which one is "
            "meant is ambiguous";
    return {};
  }
  if (external) {
    if (!readExternalData(tensor, baseDir, expectedBytes, bytes, error))
      return {};
    data = bytes;
  } else if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != expectedBytes) {
      error = "has " + std::to_string(tensor.raw_data().size()) +
              " bytes of raw data; its shape needs " +
              std::to_string(expectedBytes);
      return {};
    }
    data = ArrayRef<char>(tensor.raw_data().data(), expectedBytes);
  } else {
    if (!readTypedFields(tensor, count, width, bytes, error))
      return {};
    data = bytes;
  }

  if (elementType.isInteger(1)) {
    // Booleans are bit-packed in dense attributes; go through bool values.
    SmallVector<bool> values;
    for (char c : data)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  if (count <= maxInlineElements)
    return DenseElementsAttr::getFromRawBuffer(type, data);

  StringRef name = tensor.name();
  // Heap strings are 16-byte aligned; the blob then adopts them as they are.
  if (owned && !external && tensor.has_raw_data() &&
      reinterpret_cast<uintptr_t>(tensor.raw_data().data()) % alignment == 0) {
    auto *adopted = new std::string(std::move(*owned));
    AsmResourceBlob blob(
        ArrayRef<char>(adopted->data(), expectedBytes), alignment,
        [adopted](void *, size_t, size_t) { delete adopted; },
        /*dataIsMutable=*/false);
    return DenseResourceElementsAttr::get(type, getBlobName(name),
                                          std::move(blob));
  }
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      data, alignment, /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, getBlobName(name),
                                        std::move(blob));
}

ElementsAttr mlir::tfm::onnx_import::importTensor(
    MLIRContext *context, const onnx::TensorProto &tensor, StringRef baseDir,
    int64_t maxInlineElements, std::string &error) {
  return importTensorImpl(context, tensor, baseDir, maxInlineElements,
                          /*owned=*/nullptr, error);
}

ElementsAttr mlir::tfm::onnx_import::importTensor(
    MLIRContext *context, onnx::TensorProto &&tensor, StringRef baseDir,
    int64_t maxInlineElements, std::string &error) {
  std::string *raw = tensor.has_raw_data() ? tensor.mutable_raw_data() : nullptr;
  return importTensorImpl(context, tensor, baseDir, maxInlineElements, raw,
                          error);
}
