//===- tfm-run.cpp - run, check and benchmark a compiled model ------------===//
//
// tfm-run NAME.so [--input NAME=FILE.npy ...] [--test-dir DIR]
//         [--expect NAME=FILE.npy ...] [--rtol R] [--atol A]
//         [--output-dir DIR] [--bench N] [--threads N]
// tfm-run NAME.so --generate N --prompt-ids FILE.npy [--temperature T]
//         [--top-k K] [--top-p P] [--seed S] [--stop-token ID ...]
//         [--expect-tokens FILE.npy] [--expect-logits FILE.npy]
//         [--prefill-model PREFILL.so] [--output-dir DIR] [--bench N]
//
// Loads a shared library built by `tfmc --emit=lib`, feeds it .npy files or
// the input_*.pb of an ONNX test case folder (generated inputs for the
// rest), compares its outputs with expected ones (.npy or output_*.pb)
// within |actual - expected| <= atol + rtol * |expected|, and benchmarks
// it. Exits 0 when every compared output matches. With --generate it runs
// a decoder exported in its generation form token by token
// (tfm_model_generate), streams the tokens, prints prefill and decode
// speeds and compares the tokens and their logits with expected ones.
//
//===----------------------------------------------------------------------===//

#include "inputs.h"
#include "internal.h"
#include "npy.h"
#include "tfm_runtime.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <optional>
#include <sys/resource.h>
#include <vector>

namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("tfm-run options");
cl::opt<std::string> libraryPath(cl::Positional, cl::Required,
                                 cl::desc("<model.so>"), cl::cat(category));
cl::list<std::string>
    inputFlags("input",
               cl::desc("Value of an input (repeatable); others are generated"),
               cl::value_desc("NAME=FILE.npy"), cl::cat(category));
cl::list<std::string>
    expectFlags("expect", cl::desc("Expected value of an output (repeatable)"),
                cl::value_desc("NAME=FILE.npy"), cl::cat(category));
cl::opt<std::string> testDir(
    "test-dir",
    cl::desc("An ONNX test case folder: inputs from input_*.pb, expected "
             "outputs from output_*.pb"),
    cl::value_desc("dir"), cl::cat(category));
cl::opt<double> rtol("rtol", cl::desc("Relative tolerance (default 1e-3)"),
                     cl::init(1e-3), cl::cat(category));
cl::opt<double> atol("atol", cl::desc("Absolute tolerance (default 1e-5)"),
                     cl::init(1e-5), cl::cat(category));
cl::opt<std::string> outputDir("output-dir",
                               cl::desc("Write each output to DIR/NAME.npy"),
                               cl::value_desc("dir"), cl::cat(category));
cl::opt<unsigned> bench("bench", cl::desc("Time N runs"), cl::init(0),
                        cl::cat(category));
cl::opt<unsigned> warmup("warmup",
                         cl::desc("Untimed runs before --bench (default 3)"),
                         cl::init(3), cl::cat(category));
cl::opt<unsigned> threads("num-threads",
                          cl::desc("Worker threads (default: all cores)"),
                          cl::init(0), cl::cat(category));
cl::opt<bool> cudaGraph(
    "cuda-graph",
    cl::desc("For CUDA models: capture the kernel launches of the first run "
             "as a CUDA graph and replay it"),
    cl::cat(category));
cl::opt<bool> noCheckIndices(
    "no-check-indices",
    cl::desc("Do not check that token and position ids lie inside the "
             "tables they index"),
    cl::cat(category));
cl::OptionCategory generateCategory("generation (decoders exported with "
                                    "past keys and values)");
cl::opt<unsigned> generateCount("generate",
                                cl::desc("Generate N tokens after the prompt"),
                                cl::value_desc("N"), cl::init(0),
                                cl::cat(generateCategory));
cl::opt<std::string> promptIds(
    "prompt-ids",
    cl::desc("The prompt's token ids: an integer .npy file, [L] or [1, L]"),
    cl::value_desc("file.npy"), cl::cat(generateCategory));
cl::opt<float>
    temperature("temperature",
                cl::desc("Sample from softmax(logits / T) (default 0: greedy)"),
                cl::init(0.0f), cl::cat(generateCategory));
cl::opt<int> topK("top-k",
                  cl::desc("Sample among the K most likely tokens (0: all)"),
                  cl::init(0), cl::cat(generateCategory));
cl::opt<float> topP("top-p",
                    cl::desc("Sample from the smallest set of tokens whose "
                             "probability reaches P (default 1: all)"),
                    cl::init(1.0f), cl::cat(generateCategory));
cl::opt<uint64_t> seed("seed", cl::desc("Seed of the sampling (default 0)"),
                       cl::init(0), cl::cat(generateCategory));
cl::list<int64_t> stopTokens("stop-token",
                             cl::desc("Stop after this token (repeatable)"),
                             cl::cat(generateCategory));
cl::opt<std::string>
    expectTokens("expect-tokens",
                 cl::desc("Expected generated tokens (.npy, [1, N])"),
                 cl::value_desc("file.npy"), cl::cat(generateCategory));
cl::opt<std::string> expectLogits(
    "expect-logits",
    cl::desc("Expected logits of every generated token (.npy, [N, vocab]), "
             "compared within --rtol/--atol"),
    cl::value_desc("file.npy"), cl::cat(generateCategory));
cl::opt<std::string> prefillModel(
    "prefill-model",
    cl::desc("A model compiled from the same export with a larger sequence "
             "length and the same cache size, that runs the prompt"),
    cl::value_desc("lib.so"), cl::cat(generateCategory));
cl::opt<std::string> weightsPath("weights",
                                 cl::desc("Weights side file to use"),
                                 cl::value_desc("file"), cl::cat(category));

/// Messages name tensors of the model: control characters in them are
/// escaped so that they cannot forge or garble lines.
int fail(const llvm::Twine &message) {
  llvm::errs() << "tfm-run: error: ";
  llvm::printEscapedString(message.str(), llvm::errs());
  llvm::errs() << "\n";
  return 1;
}

std::string escaped(llvm::StringRef text) {
  std::string result;
  llvm::raw_string_ostream os(result);
  llvm::printEscapedString(text, os);
  return result;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(d);
  return text + "]";
}

/// A host tensor: element type, shape and row-major bytes.
struct Tensor {
  tfm_dtype dtype = TFM_DTYPE_INVALID;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

std::optional<tfm_dtype> fromOnnxType(int32_t type) {
  switch (type) {
  case onnx::TensorProto::FLOAT:
    return TFM_DTYPE_F32;
  case onnx::TensorProto::FLOAT16:
    return TFM_DTYPE_F16;
  case onnx::TensorProto::BFLOAT16:
    return TFM_DTYPE_BF16;
  case onnx::TensorProto::DOUBLE:
    return TFM_DTYPE_F64;
  case onnx::TensorProto::INT8:
    return TFM_DTYPE_I8;
  case onnx::TensorProto::INT16:
    return TFM_DTYPE_I16;
  case onnx::TensorProto::INT32:
    return TFM_DTYPE_I32;
  case onnx::TensorProto::INT64:
    return TFM_DTYPE_I64;
  case onnx::TensorProto::UINT8:
    return TFM_DTYPE_U8;
  case onnx::TensorProto::UINT16:
    return TFM_DTYPE_U16;
  case onnx::TensorProto::UINT32:
    return TFM_DTYPE_U32;
  case onnx::TensorProto::UINT64:
    return TFM_DTYPE_U64;
  case onnx::TensorProto::BOOL:
    return TFM_DTYPE_BOOL;
  default:
    return std::nullopt;
  }
}

/// Reads a serialized onnx.TensorProto (raw_data or typed fields).
std::optional<Tensor> readTensorProto(llvm::StringRef path, std::string &name,
                                      std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read '" + path.str() + "'";
    return std::nullopt;
  }
  onnx::TensorProto proto;
  if (!proto.ParseFromArray((*buffer)->getBufferStart(),
                            (*buffer)->getBufferSize())) {
    error = "'" + path.str() + "' is not a TensorProto";
    return std::nullopt;
  }
  std::optional<tfm_dtype> dtype = fromOnnxType(proto.data_type());
  if (!dtype) {
    error = "'" + path.str() + "' has an unsupported element type";
    return std::nullopt;
  }
  Tensor tensor;
  tensor.dtype = *dtype;
  size_t count = 1;
  size_t width = tfm_dtype_size(*dtype);
  size_t bytes = 0;
  for (int64_t d : proto.dims()) {
    tensor.shape.push_back(d);
    if (d < 0 ||
        __builtin_mul_overflow(count, static_cast<size_t>(d), &count) ||
        __builtin_mul_overflow(count, width, &bytes)) {
      error = "'" + path.str() + "' has an invalid shape";
      return std::nullopt;
    }
  }
  // The values the file holds bound the tensor: checked before allocating.
  size_t available = 0;
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    available = proto.float_data_size();
    break;
  case onnx::TensorProto::DOUBLE:
    available = proto.double_data_size();
    break;
  case onnx::TensorProto::INT64:
    available = proto.int64_data_size();
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    available = proto.uint64_data_size();
    break;
  default:
    available = proto.int32_data_size();
    break;
  }
  if (proto.has_raw_data() ? proto.raw_data().size() != count * width
                           : available != count) {
    error = "'" + path.str() + "' holds " +
            std::to_string(proto.has_raw_data() ? proto.raw_data().size()
                                                : available) +
            (proto.has_raw_data() ? " bytes" : " values") + " for " +
            std::to_string(count) + " elements";
    return std::nullopt;
  }
  tensor.bytes.resize(count * width);
  name = proto.name();
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != tensor.bytes.size()) {
      error = "'" + path.str() + "' has the wrong amount of raw data";
      return std::nullopt;
    }
    std::memcpy(tensor.bytes.data(), proto.raw_data().data(),
                tensor.bytes.size());
    return tensor;
  }
  auto store = [&](size_t i, auto value) {
    std::memcpy(tensor.bytes.data() + i * width, &value, width);
  };
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    for (size_t i = 0; i < std::min(count, available); ++i)
      store(i, proto.float_data(i));
    break;
  case onnx::TensorProto::DOUBLE:
    for (size_t i = 0; i < std::min(count, available); ++i)
      store(i, proto.double_data(i));
    break;
  case onnx::TensorProto::INT64:
    for (size_t i = 0; i < std::min(count, available); ++i)
      store(i, proto.int64_data(i));
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    for (size_t i = 0; i < std::min(count, available); ++i) {
      uint64_t v = proto.uint64_data(i);
      std::memcpy(tensor.bytes.data() + i * width, &v, width);
    }
    break;
  default: // int32_data holds every narrower type, f16/bf16 as bits.
    for (size_t i = 0; i < std::min(count, available); ++i) {
      int32_t v = proto.int32_data(i);
      std::memcpy(tensor.bytes.data() + i * width, &v, width);
    }
    break;
  }
  return tensor;
}

std::optional<Tensor> readNpy(llvm::StringRef path, std::string &error) {
  tfm_npy_array array;
  if (tfm_npy_read(path.str().c_str(), &array) != TFM_OK) {
    error = tfm_last_error();
    return std::nullopt;
  }
  Tensor tensor;
  tensor.dtype = array.dtype;
  tensor.shape.assign(array.shape, array.shape + array.rank);
  auto *data = static_cast<uint8_t *>(array.data);
  tensor.bytes.assign(data, data + array.num_bytes);
  tfm_npy_free(&array);
  return tensor;
}

/// The files of an ONNX test case folder named `prefix`_0.pb, _1.pb, ...
std::vector<std::string> numberedFiles(llvm::StringRef dir,
                                       llvm::StringRef prefix) {
  std::vector<std::string> files;
  for (unsigned i = 0;; ++i) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, prefix + "_" + std::to_string(i) + ".pb");
    if (!llvm::sys::fs::exists(path))
      break;
    files.push_back(std::string(path));
  }
  return files;
}

bool isFloat(tfm_dtype dtype) {
  return dtype == TFM_DTYPE_F32 || dtype == TFM_DTYPE_F64 ||
         dtype == TFM_DTYPE_F16 || dtype == TFM_DTYPE_BF16;
}

double elementAt(const uint8_t *data, tfm_dtype dtype, size_t i) {
  switch (dtype) {
  case TFM_DTYPE_F32:
    return reinterpret_cast<const float *>(data)[i];
  case TFM_DTYPE_F64:
    return reinterpret_cast<const double *>(data)[i];
  case TFM_DTYPE_F16:
    return tfm_f16_to_f32(reinterpret_cast<const uint16_t *>(data)[i]);
  case TFM_DTYPE_BF16:
    return tfm_bf16_to_f32(reinterpret_cast<const uint16_t *>(data)[i]);
  case TFM_DTYPE_I8:
    return reinterpret_cast<const int8_t *>(data)[i];
  case TFM_DTYPE_I16:
    return reinterpret_cast<const int16_t *>(data)[i];
  case TFM_DTYPE_I32:
    return reinterpret_cast<const int32_t *>(data)[i];
  case TFM_DTYPE_I64:
    return static_cast<double>(reinterpret_cast<const int64_t *>(data)[i]);
  case TFM_DTYPE_U8:
  case TFM_DTYPE_BOOL:
    return data[i];
  case TFM_DTYPE_U16:
    return reinterpret_cast<const uint16_t *>(data)[i];
  case TFM_DTYPE_U32:
    return reinterpret_cast<const uint32_t *>(data)[i];
  case TFM_DTYPE_U64:
    return static_cast<double>(reinterpret_cast<const uint64_t *>(data)[i]);
  case TFM_DTYPE_INVALID:
    break;
  }
  return 0;
}

/// Compares an output with its expected value; prints one line.
/// `shapeOf` is the output's run-time shape (its described one unless it
/// has dynamic dimensions).
bool compare(const tfm_tensor_info &info, const int64_t *shapeOf,
             const uint8_t *actual, const Tensor &expected) {
  auto dtype = static_cast<tfm_dtype>(info.dtype);
  std::vector<int64_t> shape(shapeOf, shapeOf + info.rank);
  llvm::outs() << "output '" << escaped(info.name) << "': ";
  // bf16 outputs compare with float32 .npy files, which hold them exactly.
  bool widened = dtype == TFM_DTYPE_BF16 && expected.dtype == TFM_DTYPE_F32;
  if ((expected.dtype != dtype && !widened) || expected.shape != shape) {
    llvm::outs() << "expected " << tfm_dtype_name(expected.dtype) << " "
                 << formatShape(expected.shape) << ", the model produces "
                 << tfm_dtype_name(dtype) << " " << formatShape(shape)
                 << ": FAIL\n";
    return false;
  }
  size_t count = 1;
  for (int64_t d : shape)
    count *= static_cast<size_t>(d);
  size_t bad = 0;
  double maxError = 0;
  for (size_t i = 0; i < count; ++i) {
    double a = elementAt(actual, dtype, i);
    double e = elementAt(expected.bytes.data(), expected.dtype, i);
    bool ok;
    if (!isFloat(dtype)) {
      ok = a == e;
    } else if (std::isnan(e) || std::isnan(a)) {
      ok = std::isnan(e) && std::isnan(a);
    } else if (std::isinf(e) || std::isinf(a)) {
      ok = a == e;
    } else {
      double error = std::fabs(a - e);
      maxError = std::max(maxError, error);
      ok = error <= atol + rtol * std::fabs(e);
    }
    bad += !ok;
  }
  llvm::outs() << tfm_dtype_name(dtype) << " " << formatShape(shape)
               << ", max abs error " << llvm::format("%.3g", maxError) << ": ";
  if (bad)
    llvm::outs() << "FAIL (" << bad << " of " << count
                 << " elements outside tolerance)\n";
  else
    llvm::outs() << "ok\n";
  return bad == 0;
}

std::pair<std::string, std::string> splitAssignment(llvm::StringRef flag) {
  auto [name, file] = flag.split('=');
  return {name.str(), file.str()};
}

/// The runtime functions that hold a model's state, taken from the library
/// itself: a model runs on the runtime linked beside its generated code
/// (a GPU model's kernels are registered there, and errors are recorded
/// there), not on tfm-run's own copy.
struct ModelApi {
  decltype(&tfm_model_create) create;
  decltype(&tfm_model_destroy) destroy;
  decltype(&tfm_model_run) run;
  decltype(&tfm_model_set_check_indices) setCheckIndices;
  decltype(&tfm_model_last_run_ns) lastRunNs;
  decltype(&tfm_last_error) lastError;
  decltype(&tfm_model_set_cuda_graph) setCudaGraph;
  decltype(&tfm_model_generate) generate;
  decltype(&tfm_model_max_context) maxContext;
  decltype(&tfm_model_set_input_shape) setInputShape;
  decltype(&tfm_model_output_shape) outputShape;

  /// Resolves every function; the name of the first one missing, if any.
  std::optional<std::string> resolve(void *library) {
    auto get = [&](auto &field, const char *name) {
      void *symbol = dlsym(library, name);
      field =
          reinterpret_cast<std::remove_reference_t<decltype(field)>>(symbol);
      return symbol != nullptr;
    };
    if (!get(create, "tfm_model_create"))
      return "tfm_model_create";
    if (!get(destroy, "tfm_model_destroy"))
      return "tfm_model_destroy";
    if (!get(run, "tfm_model_run"))
      return "tfm_model_run";
    if (!get(setCheckIndices, "tfm_model_set_check_indices"))
      return "tfm_model_set_check_indices";
    if (!get(lastRunNs, "tfm_model_last_run_ns"))
      return "tfm_model_last_run_ns";
    if (!get(lastError, "tfm_last_error"))
      return "tfm_last_error";
    if (!get(setCudaGraph, "tfm_model_set_cuda_graph"))
      return "tfm_model_set_cuda_graph";
    if (!get(generate, "tfm_model_generate"))
      return "tfm_model_generate";
    if (!get(maxContext, "tfm_model_max_context"))
      return "tfm_model_max_context";
    if (!get(setInputShape, "tfm_model_set_input_shape"))
      return "tfm_model_set_input_shape";
    if (!get(outputShape, "tfm_model_output_shape"))
      return "tfm_model_output_shape";
    return std::nullopt;
  }
};

double peakRssMib() {
  // VmHWM: unlike ru_maxrss, not inflated by the parent's memory.
  if (auto status = llvm::MemoryBuffer::getFile("/proc/self/status",
                                                /*IsText=*/true)) {
    llvm::StringRef text = (*status)->getBuffer();
    size_t at = text.find("VmHWM:");
    if (at != llvm::StringRef::npos) {
      long long kib = 0;
      text.drop_front(at + 6).trim().consumeInteger(10, kib);
      if (kib > 0)
        return kib / 1024.0;
    }
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/// Prints each token as it comes; counts them in `streamed`.
int streamToken(void *streamed, int64_t token, int32_t index) {
  ++*static_cast<int32_t *>(streamed);
  llvm::outs() << (index ? " " : "tokens: ") << token;
  llvm::outs().flush();
  return 0;
}

/// Loads a library built by tfmc --emit=lib; its model's descriptor, or
/// nullptr after reporting why not.
const tfm_model_desc *loadModelLibrary(const std::string &path,
                                       void **library) {
  const tfm_model_desc *desc = tfm_open_model_library(path.c_str(), library);
  if (!desc)
    fail(tfm_last_error());
  return desc;
}

/// --generate: the token loop of tfm_model_generate, streamed to stdout.
int runGeneration(ModelApi &api, tfm_model *model, tfm_model *prompter) {
  if (promptIds.empty())
    return fail("--generate needs the prompt: --prompt-ids FILE.npy");
  if (!inputFlags.empty() || !expectFlags.empty() || !testDir.empty())
    return fail("--generate makes the model's inputs itself; --input, "
                "--expect and --test-dir do not apply");
  std::string error;
  std::optional<Tensor> prompt = readNpy(promptIds, error);
  if (!prompt)
    return fail("--prompt-ids: " + error);
  if ((prompt->dtype != TFM_DTYPE_I64 && prompt->dtype != TFM_DTYPE_I32) ||
      !(prompt->shape.size() == 1 ||
        (prompt->shape.size() == 2 && prompt->shape[0] == 1)))
    return fail("--prompt-ids: expected integer token ids of shape [L] or "
                "[1, L], got " +
                std::string(tfm_dtype_name(prompt->dtype)) + " " +
                formatShape(prompt->shape));
  size_t length = prompt->shape.back();
  if (length == 0 || length > INT32_MAX)
    return fail("--prompt-ids: the prompt must hold at least one token");
  std::vector<int64_t> ids(length);
  for (size_t i = 0; i < length; ++i)
    ids[i] =
        static_cast<int64_t>(elementAt(prompt->bytes.data(), prompt->dtype, i));

  // No sequence outgrows the model's cache: that bounds the buffers below
  // whatever count was asked for (the loop stops with "context full").
  int32_t maxContext = api.maxContext(model);
  if (maxContext == 0)
    return fail(api.lastError());
  int32_t count =
      static_cast<int32_t>(std::min<uint64_t>(generateCount, maxContext));
  const tfm_tensor_info *logitsInfo =
      tfm_model_output(model, tfm_model_find_output(model, "logits"));
  int64_t vocab = logitsInfo->shape[2];
  std::vector<int64_t> tokens(count);
  std::vector<float> logits;
  if (!expectLogits.empty() || !outputDir.empty())
    logits.resize(static_cast<size_t>(count) * vocab);
  std::vector<int64_t> stops(stopTokens.begin(), stopTokens.end());
  tfm_generate_options options = {};
  options.max_new_tokens = count;
  options.temperature = temperature;
  options.top_k = topK;
  options.top_p = topP;
  options.seed = seed;
  options.stop_tokens = stops.data();
  options.num_stop_tokens = static_cast<int32_t>(stops.size());
  options.logits = logits.empty() ? nullptr : logits.data();
  options.prefill = prompter;
  tfm_generate_result result;
  // Untimed and unprinted first generations warm caches and threads.
  if (bench > 0)
    for (unsigned i = 0; i < warmup; ++i)
      if (api.generate(model, ids.data(), static_cast<int32_t>(length),
                       &options, tokens.data(), &result) != TFM_OK)
        return fail(api.lastError());
  int32_t streamed = 0;
  options.on_token = streamToken;
  options.user_data = &streamed;
  tfm_status status =
      api.generate(model, ids.data(), static_cast<int32_t>(length), &options,
                   tokens.data(), &result);
  if (streamed > 0)
    llvm::outs() << "\n";
  if (status != TFM_OK)
    return fail(api.lastError());
  static const char *const reasons[] = {"max tokens", "stop token", "callback",
                                        "context full"};
  llvm::outs() << "prompt " << length << " tokens, generated "
               << result.num_tokens
               << " tokens (stop: " << reasons[result.stop_reason & 3]
               << ") in " << result.steps << " steps";
  if (prompter)
    llvm::outs() << " (" << result.prefill_steps << " of the prefill model)";
  llvm::outs() << "\n";
  std::vector<double> prefill = {result.prefill_ns * 1e-6};
  std::vector<double> perToken;
  if (result.num_tokens > 1)
    perToken.push_back(result.decode_ns * 1e-6 / (result.num_tokens - 1));
  options.on_token = nullptr;
  tfm_generate_result timed;
  std::vector<int64_t> scratch(count);
  for (unsigned i = 1; i < bench; ++i) {
    if (api.generate(model, ids.data(), static_cast<int32_t>(length), &options,
                     scratch.data(), &timed) != TFM_OK)
      return fail(api.lastError());
    prefill.push_back(timed.prefill_ns * 1e-6);
    if (timed.num_tokens > 1)
      perToken.push_back(timed.decode_ns * 1e-6 / (timed.num_tokens - 1));
  }
  std::sort(prefill.begin(), prefill.end());
  std::sort(perToken.begin(), perToken.end());
  double prefillMs = prefill[prefill.size() / 2];
  llvm::outs() << llvm::format("prefill: %zu tokens in %.3f ms (%.1f "
                               "tokens/s)\n",
                               length, prefillMs, length / prefillMs * 1e3);
  if (!perToken.empty()) {
    double ms = perToken[perToken.size() / 2];
    llvm::outs() << llvm::format(
        "decode: %.3f ms/token (%.1f tokens/s)%s\n", ms, 1e3 / ms,
        bench > 1
            ? (" median of " + std::to_string(bench) + " generations").c_str()
            : "");
  }
  if (bench > 0)
    llvm::outs() << llvm::format("peak RSS: %.1f MiB\n", peakRssMib());

  bool ok = true;
  if (!expectTokens.empty()) {
    std::optional<Tensor> expected = readNpy(expectTokens, error);
    if (!expected)
      return fail("--expect-tokens: " + error);
    size_t count = expected->bytes.size() /
                   std::max<size_t>(1, tfm_dtype_size(expected->dtype));
    size_t same = 0;
    while (same < count && same < static_cast<size_t>(result.num_tokens) &&
           static_cast<int64_t>(elementAt(
               expected->bytes.data(), expected->dtype, same)) == tokens[same])
      ++same;
    bool match =
        same == count && count == static_cast<size_t>(result.num_tokens);
    llvm::outs() << "tokens: " << (match ? "ok" : "FAIL") << " (" << same
                 << " of " << count << " expected tokens match)\n";
    ok &= match;
  }
  if (!expectLogits.empty()) {
    std::optional<Tensor> expected = readNpy(expectLogits, error);
    if (!expected)
      return fail("--expect-logits: " + error);
    std::vector<int64_t> shape = {result.num_tokens, vocab};
    tfm_tensor_info info = {"logits", TFM_DTYPE_F32, 2, shape.data(),
                            0,        nullptr};
    ok &= compare(info, shape.data(),
                  reinterpret_cast<const uint8_t *>(logits.data()), *expected);
  }
  if (!outputDir.empty()) {
    llvm::sys::fs::create_directories(outputDir.getValue());
    llvm::SmallString<256> path(outputDir.getValue());
    llvm::sys::path::append(path, "tokens.npy");
    int64_t tokenShape[] = {1, result.num_tokens};
    if (tfm_npy_write(path.c_str(), TFM_DTYPE_I64, 2, tokenShape,
                      tokens.data()) != TFM_OK)
      return fail(tfm_last_error());
    path = outputDir.getValue();
    llvm::sys::path::append(path, "logits.npy");
    int64_t logitShape[] = {result.num_tokens, vocab};
    if (tfm_npy_write(path.c_str(), TFM_DTYPE_F32, 2, logitShape,
                      logits.data()) != TFM_OK)
      return fail(tfm_last_error());
  }
  if (!expectTokens.empty() || !expectLogits.empty())
    llvm::outs() << (ok ? "PASS" : "FAIL") << "\n";
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&category, &generateCategory});
  cl::ParseCommandLineOptions(argc, argv,
                              "tfm-run: run and check a compiled model\n");

  void *library;
  const tfm_model_desc *descriptor = loadModelLibrary(libraryPath, &library);
  if (!descriptor)
    return 1;

  ModelApi api;
  if (std::optional<std::string> missing = api.resolve(library))
    return fail("'" + libraryPath + "' does not export the runtime's " +
                *missing + "; rebuild it with this tfmc");

  if (threads > TFM_MAX_THREADS)
    return fail("--num-threads=" + llvm::Twine(threads) + ": expected 1 to " +
                llvm::Twine(TFM_MAX_THREADS) + " (0: all cores)");
  tfm_model_options options = {weightsPath.empty() ? nullptr
                                                   : weightsPath.c_str(),
                               static_cast<int32_t>(threads)};
  tfm_model *model;
  if (api.create(descriptor, &options, &model) != TFM_OK)
    return fail(api.lastError());
  api.setCheckIndices(model, !noCheckIndices);
  if (cudaGraph && api.setCudaGraph(model, 1) != TFM_OK)
    return fail(api.lastError());
  if (!prefillModel.empty() && generateCount == 0)
    return fail("--prefill-model is for --generate");
  if (generateCount > 0) {
    // The prefill model runs on the runtime of the main library, which
    // then shares one mapping of identical weights between the two. For
    // CPU models that is sound: a CPU model's state lives in its
    // tfm_model, not in the runtime copy of its own library (a CUDA
    // model's kernels are registered there).
    tfm_model *prefill = nullptr;
    if (!prefillModel.empty()) {
      void *prefillLibrary;
      const tfm_model_desc *prefillDescriptor =
          loadModelLibrary(prefillModel, &prefillLibrary);
      if (!prefillDescriptor)
        return 1;
      if (descriptor->device != TFM_DEVICE_CPU ||
          prefillDescriptor->device != TFM_DEVICE_CPU)
        return fail("--prefill-model: generation with a prefill model runs "
                    "CPU models only");
      tfm_model_options prefillOptions = {nullptr,
                                          static_cast<int32_t>(threads)};
      if (api.create(prefillDescriptor, &prefillOptions, &prefill) != TFM_OK)
        return fail("--prefill-model: " + llvm::Twine(api.lastError()));
    }
    int rc = runGeneration(api, model, prefill);
    if (prefill)
      api.destroy(prefill);
    api.destroy(model);
    return rc;
  }
  int32_t numInputs = tfm_model_num_inputs(model);
  int32_t numOutputs = tfm_model_num_outputs(model);

  // Inputs: named .npy files, then a test folder, then generated values.
  std::vector<std::optional<Tensor>> given(numInputs);
  std::map<int32_t, Tensor> expected;
  std::string error;
  for (const std::string &flag : inputFlags) {
    auto [name, file] = splitAssignment(flag);
    int32_t index = tfm_model_find_input(model, name.c_str());
    if (index < 0)
      return fail("the model has no input '" + name + "'");
    if (given[index])
      return fail("--input gives '" + name + "' twice");
    if (!(given[index] = readNpy(file, error)))
      return fail("input '" + name + "': " + error);
  }
  for (const std::string &flag : expectFlags) {
    auto [name, file] = splitAssignment(flag);
    int32_t index = tfm_model_find_output(model, name.c_str());
    if (index < 0)
      return fail("the model has no output '" + name + "'");
    if (expected.count(index))
      return fail("--expect gives '" + name + "' twice");
    std::optional<Tensor> tensor = readNpy(file, error);
    if (!tensor)
      return fail("output '" + name + "': " + error);
    expected[index] = std::move(*tensor);
  }
  if (!testDir.empty()) {
    for (auto [kind, files] :
         {std::make_pair(0, numberedFiles(testDir, "input")),
          std::make_pair(1, numberedFiles(testDir, "output"))}) {
      int32_t count = kind ? numOutputs : numInputs;
      if (files.size() != static_cast<size_t>(count))
        return fail("'" + testDir + "' holds " + std::to_string(files.size()) +
                    (kind ? " outputs" : " inputs") + "; the model has " +
                    std::to_string(count));
      for (auto [i, file] : llvm::enumerate(files)) {
        std::string name;
        std::optional<Tensor> tensor = readTensorProto(file, name, error);
        if (!tensor)
          return fail(error);
        int32_t index = static_cast<int32_t>(i);
        int32_t byName = kind ? tfm_model_find_output(model, name.c_str())
                              : tfm_model_find_input(model, name.c_str());
        if (!name.empty() && byName >= 0)
          index = byName;
        // ONNX's test data stores bfloat16 tensors as uint16 bit patterns.
        const tfm_tensor_info *info = kind ? tfm_model_output(model, index)
                                           : tfm_model_input(model, index);
        if (info && info->dtype == TFM_DTYPE_BF16 &&
            tensor->dtype == TFM_DTYPE_U16)
          tensor->dtype = TFM_DTYPE_BF16;
        if (kind)
          expected[index] = std::move(*tensor);
        else
          given[index] = std::move(*tensor);
      }
    }
  }

  std::vector<std::vector<uint8_t>> inputBuffers(numInputs);
  std::vector<const void *> inputs(numInputs);
  uint64_t state = 0;
  for (int32_t i = 0; i < numInputs; ++i) {
    const tfm_tensor_info *info = tfm_model_input(model, i);
    std::vector<int64_t> shape(info->shape, info->shape + info->rank);
    size_t bytes = tfm_tensor_info_num_bytes(info);
    if (bytes == SIZE_MAX || bytes > (size_t(1) << 48))
      return fail(llvm::Twine("input '") + info->name +
                  "' is too large to allocate");
    inputBuffers[i].resize(bytes + 64);
    if (given[i]) {
      auto dtype = static_cast<tfm_dtype>(info->dtype);
      // A dynamic dimension takes any size up to its bound.
      bool fits = given[i]->shape.size() == shape.size();
      for (size_t d = 0; fits && d < shape.size(); ++d)
        fits = given[i]->shape[d] == shape[d] ||
               (info->dims && info->dims[d] >= 0 &&
                given[i]->shape[d] <= shape[d]);
      if (given[i]->dtype != dtype || !fits)
        return fail(llvm::Twine("input '") + info->name + "' expects " +
                    tfm_dtype_name(dtype) + " " + formatShape(shape) +
                    (tfm_tensor_info_is_dynamic(info) ? " (at most)" : "") +
                    ", given " + tfm_dtype_name(given[i]->dtype) + " " +
                    formatShape(given[i]->shape));
      if (tfm_tensor_info_is_dynamic(info) &&
          api.setInputShape(model, i, given[i]->shape.data()) != TFM_OK)
        return fail(api.lastError());
      std::memcpy(inputBuffers[i].data(), given[i]->bytes.data(),
                  given[i]->bytes.size());
    } else {
      tfm_generate_input(info, inputBuffers[i].data(), &state);
    }
    inputs[i] = inputBuffers[i].data();
  }
  std::vector<std::vector<uint8_t>> outputBuffers(numOutputs);
  std::vector<void *> outputs(numOutputs);
  for (int32_t i = 0; i < numOutputs; ++i) {
    const tfm_tensor_info *info = tfm_model_output(model, i);
    size_t bytes = tfm_tensor_info_num_bytes(info);
    if (bytes == SIZE_MAX || bytes > (size_t(1) << 48))
      return fail(llvm::Twine("output '") + info->name +
                  "' is too large to allocate");
    outputBuffers[i].resize(bytes + 64);
    outputs[i] = outputBuffers[i].data();
  }

  if (api.run(model, inputs.data(), outputs.data()) != TFM_OK)
    return fail(api.lastError());
  std::vector<double> times;
  if (bench > 0) {
    for (unsigned i = 0; i < warmup; ++i)
      if (api.run(model, inputs.data(), outputs.data()) != TFM_OK)
        return fail(api.lastError());
    for (unsigned i = 0; i < bench; ++i) {
      if (api.run(model, inputs.data(), outputs.data()) != TFM_OK)
        return fail(api.lastError());
      times.push_back(api.lastRunNs(model) * 1e-6);
    }
  }

  bool ok = true;
  for (auto &[index, tensor] : expected)
    ok &=
        compare(*tfm_model_output(model, index), api.outputShape(model, index),
                outputBuffers[index].data(), tensor);
  if (!outputDir.empty()) {
    llvm::sys::fs::create_directories(outputDir.getValue());
    for (int32_t i = 0; i < numOutputs; ++i) {
      const tfm_tensor_info *info = tfm_model_output(model, i);
      llvm::SmallString<256> path(outputDir.getValue());
      std::string file = info->name;
      for (char &c : file)
        if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' &&
            c != '.')
          c = '_';
      llvm::sys::path::append(path, file + ".npy");
      if (tfm_npy_write(path.c_str(), static_cast<tfm_dtype>(info->dtype),
                        info->rank, api.outputShape(model, i),
                        outputs[i]) != TFM_OK)
        return fail(tfm_last_error());
    }
  }
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    size_t p90 = static_cast<size_t>(std::ceil(0.9 * times.size())) - 1;
    double peakMib = peakRssMib();
    llvm::outs() << llvm::format(
        "latency over %u runs: min %.3f ms  median %.3f ms  p90 %.3f ms\n"
        "peak RSS: %.1f MiB\n",
        static_cast<unsigned>(times.size()), times.front(),
        times[times.size() / 2], times[p90], peakMib);
  }
  if (!expected.empty())
    llvm::outs() << (ok ? "PASS" : "FAIL") << "\n";
  api.destroy(model);
  return ok ? 0 : 1;
}
