//===- TensorImport.cpp - ONNX types and tensors to MLIR ------------------===//

#include "Importer.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
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

/// Copies the values of ONNX's typed repeated fields into raw little-endian
/// storage of `elementType`.
static bool readTypedFields(const onnx::TensorProto &tensor, int64_t count,
                            size_t width, std::vector<char> &bytes,
                            std::string &error) {
  bytes.resize(count * width);
  auto store = [&](int64_t i, uint64_t bits) {
    std::memcpy(bytes.data() + i * width, &bits, width);
  };
  auto mismatch = [&](int64_t have) {
    error = "holds " + std::to_string(have) + " values for " +
            std::to_string(count) + " elements";
    return false;
  };
  switch (tensor.data_type()) {
  case kFloat:
    if (tensor.float_data_size() != count)
      return mismatch(tensor.float_data_size());
    std::memcpy(bytes.data(), tensor.float_data().data(), count * 4);
    return true;
  case kDouble:
    if (tensor.double_data_size() != count)
      return mismatch(tensor.double_data_size());
    std::memcpy(bytes.data(), tensor.double_data().data(), count * 8);
    return true;
  case kInt64:
    if (tensor.int64_data_size() != count)
      return mismatch(tensor.int64_data_size());
    std::memcpy(bytes.data(), tensor.int64_data().data(), count * 8);
    return true;
  case kUint32:
  case kUint64:
    if (tensor.uint64_data_size() != count)
      return mismatch(tensor.uint64_data_size());
    for (int64_t i = 0; i < count; ++i)
      store(i, tensor.uint64_data(i));
    return true;
  case kInt32:
  case kInt16:
  case kInt8:
  case kUint16:
  case kUint8:
  case kBool:
  case kFloat16:
  case kBFloat16:
    // One value (or the 16 bits of a half) per int32 entry.
    if (tensor.int32_data_size() != count)
      return mismatch(tensor.int32_data_size());
    for (int64_t i = 0; i < count; ++i)
      store(i, static_cast<uint64_t>(static_cast<int64_t>(tensor.int32_data(i))));
    return true;
  default:
    error = "has unsupported element type " +
            getDataTypeName(tensor.data_type());
    return false;
  }
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
  SmallString<256> path(baseDir);
  llvm::sys::path::append(path, location);
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, expectedBytes, offset,
                                                 /*IsVolatile=*/false);
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
  int64_t count = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      error = "has a negative dimension " + std::to_string(dim);
      return {};
    }
    shape.push_back(dim);
    count *= dim;
  }
  auto type = RankedTensorType::get(shape, elementType);
  size_t width = getStorageBytes(elementType);
  size_t expectedBytes = count * width;
  size_t alignment = std::max<size_t>(width, alignof(uint64_t));

  // The bytes, in place in the tensor's raw data or read into `bytes`.
  std::vector<char> bytes;
  ArrayRef<char> data;
  bool external = tensor.has_data_location() &&
                  tensor.data_location() == onnx::TensorProto::EXTERNAL;
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
