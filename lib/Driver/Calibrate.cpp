//===- Calibrate.cpp - activation ranges from the compiled fp32 model -----===//
//
// Static W8A8 quantizes each linear's input with a range known at compile
// time. The range comes from running the model itself: a copy of the graph
// (after the graph phase) returns every candidate linear's input as an extra
// output, is compiled as an fp32 shared library, loaded, and run on the
// user's input sets; an observer turns the values into [lo, hi], set on the
// linear for tfm-quantize.
//
//===----------------------------------------------------------------------===//

#include "tfm/Driver/CompileModel.h"

#include "tfm/Dialect/Tfm/TfmOps.h"
#include "tfm/Passes/Passes.h"

#include "npy.h"
#include "tfm_runtime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InterleavedRange.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// The linears whose input a calibration observes: a float input, a weight
/// still in float.
SmallVector<LinearOp> getCalibratedLinears(ModuleOp module) {
  SmallVector<LinearOp> linears;
  module.walk([&](LinearOp linear) {
    auto type = cast<RankedTensorType>(linear.getInput().getType());
    if (type.getElementType().isF32() && type.hasStaticShape() &&
        !linear.getWeight().getDefiningOp<DequantizeOp>())
      linears.push_back(linear);
  });
  return linears;
}

std::string getOutputName(size_t index) {
  return "tfm_calibration_" + std::to_string(index);
}

/// The input sets of `dir`: its subfolders, or the folder itself.
FailureOr<SmallVector<std::string>> listInputSets(StringRef dir,
                                                  Operation *anchor) {
  if (!llvm::sys::fs::is_directory(dir))
    return anchor->emitError()
           << "--calibrate: '" << dir << "' is not a directory";
  SmallVector<std::string> sets;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::sys::fs::is_directory(it->path()))
      sets.push_back(it->path());
  if (ec)
    return anchor->emitError()
           << "--calibrate: cannot list '" << dir << "': " << ec.message();
  llvm::sort(sets);
  if (sets.empty())
    sets.push_back(dir.str());
  return sets;
}

/// The values one linear's input took: its range, and (second pass of a
/// percentile calibration) their histogram over that range.
struct Observer {
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  SmallVector<uint64_t> histogram;

  static constexpr int64_t kBins = 4096;

  void observeRange(ArrayRef<float> values) {
    for (float v : values) {
      if (std::isnan(v))
        continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }

  void observeHistogram(ArrayRef<float> values) {
    if (histogram.empty())
      histogram.assign(kBins, 0);
    double width = (static_cast<double>(hi) - lo) / kBins;
    for (float v : values) {
      if (std::isnan(v))
        continue;
      int64_t bin = width > 0 ? static_cast<int64_t>((v - lo) / width) : 0;
      ++histogram[std::clamp<int64_t>(bin, 0, kBins - 1)];
    }
  }

  /// [lo, hi] keeping `percentile` % of the values at each end.
  std::pair<float, float> getPercentileRange(double percentile) const {
    uint64_t total = 0;
    for (uint64_t count : histogram)
      total += count;
    if (total == 0)
      return {lo, hi};
    double width = (static_cast<double>(hi) - lo) / kBins;
    auto tail = static_cast<uint64_t>(total * (100.0 - percentile) / 100.0);
    uint64_t seen = 0;
    int64_t first = 0, last = kBins - 1;
    for (; first < kBins - 1 && seen + histogram[first] <= tail; ++first)
      seen += histogram[first];
    seen = 0;
    for (; last > first && seen + histogram[last] <= tail; --last)
      seen += histogram[last];
    return {static_cast<float>(lo + first * width),
            static_cast<float>(lo + (last + 1) * width)};
  }
};

/// A loaded calibration library and its model.
struct LoadedModel {
  void *library = nullptr;
  tfm_model *model = nullptr;
  ~LoadedModel() {
    if (model)
      tfm_model_destroy(model);
    if (library)
      dlclose(library);
  }
};

} // namespace

LogicalResult mlir::tfm::calibrateModel(ModuleOp module,
                                        const CompileOptions &options,
                                        llvm::raw_ostream &log) {
  FailureOr<SmallVector<std::string>> sets =
      listInputSets(options.calibrationDir, module);
  if (failed(sets))
    return failure();
  SmallVector<LinearOp> linears = getCalibratedLinears(module);
  if (linears.empty())
    return success();

  // The copy that returns every observed input.
  OwningOpRef<ModuleOp> copy = module.clone();
  SmallVector<LinearOp> copied = getCalibratedLinears(*copy);
  assert(copied.size() == linears.size() && "a clone walks the same linears");
  for (auto [index, linear] : llvm::enumerate(copied)) {
    auto func = linear->getParentOfType<func::FuncOp>();
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    unsigned position = func.getNumResults();
    ret.getOperandsMutable().append(linear.getInput());
    auto name = StringAttr::get(module.getContext(), getOutputName(index));
    if (failed(func.insertResult(
            position, linear.getInput().getType(),
            DictionaryAttr::get(module.getContext(),
                                {NamedAttribute("tfm.name", name)}))))
      return module.emitError("--calibrate: cannot add an output");
  }

  SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("tfmc-calibrate", dir))
    return module.emitError()
           << "--calibrate: cannot create a temporary folder: " << ec.message();
  SmallString<128> libraryPath(dir);
  llvm::sys::path::append(libraryPath, "calibration.so");
  auto cleanup = llvm::make_scope_exit(
      [&] { llvm::sys::fs::remove_directories(dir, /*IgnoreErrors=*/true); });
  CompileOptions compile = options;
  compile.output = OutputKind::SharedLibrary;
  compile.outputPath = std::string(libraryPath);
  compile.symbolPrefix = "tfm_calibration";
  compile.quantize = QuantizationMode::None;
  compile.quantizeReport = false;
  compile.stats = compile.timing = false;
  compile.weights = WeightsMode::File;
  std::string ignored;
  llvm::raw_string_ostream quiet(ignored);
  log << "tfmc: calibrating " << linears.size() << " linear inputs on "
      << sets->size() << " input set(s)\n";
  if (failed(compileModel(*copy, compile, quiet)))
    return failure();

  LoadedModel loaded;
  loaded.library = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!loaded.library)
    return module.emitError()
           << "--calibrate: cannot load the fp32 model: " << dlerror();
  using DescriptorFn = const tfm_model_desc *(*)();
  auto descriptor = reinterpret_cast<DescriptorFn>(
      dlsym(loaded.library, "tfm_model_descriptor"));
  tfm_model_options modelOptions = {nullptr,
                                    static_cast<int32_t>(options.numThreads)};
  if (!descriptor ||
      tfm_model_create(descriptor(), &modelOptions, &loaded.model) != TFM_OK)
    return module.emitError()
           << "--calibrate: cannot create the fp32 model: " << tfm_last_error();
  tfm_model *model = loaded.model;

  int32_t numInputs = tfm_model_num_inputs(model);
  int32_t numOutputs = tfm_model_num_outputs(model);
  SmallVector<std::vector<char>> outputs(numOutputs);
  SmallVector<void *> outputPointers;
  for (int32_t i = 0; i < numOutputs; ++i) {
    outputs[i].resize(tfm_tensor_info_num_bytes(tfm_model_output(model, i)));
    outputPointers.push_back(outputs[i].data());
  }
  SmallVector<int32_t> observed;
  for (size_t i = 0; i < linears.size(); ++i)
    observed.push_back(tfm_model_find_output(model, getOutputName(i).c_str()));

  // One run per input set; `observe` reads the outputs.
  auto runAll = [&](function_ref<void(size_t, ArrayRef<float>)> observe)
      -> LogicalResult {
    for (const std::string &set : *sets) {
      SmallVector<tfm_npy_array> arrays(numInputs);
      auto freeArrays = llvm::make_scope_exit([&] {
        for (tfm_npy_array &array : arrays)
          tfm_npy_free(&array);
      });
      SmallVector<const void *> inputs;
      for (int32_t i = 0; i < numInputs; ++i) {
        const tfm_tensor_info *info = tfm_model_input(model, i);
        SmallString<256> path(set);
        llvm::sys::path::append(path, Twine(info->name) + ".npy");
        arrays[i] = tfm_npy_array{};
        if (tfm_npy_read(path.c_str(), &arrays[i]) != TFM_OK)
          return module.emitError()
                 << "--calibrate: input set '" << set << "': cannot read '"
                 << path << "': " << tfm_last_error();
        SmallVector<int64_t> shape(info->shape, info->shape + info->rank);
        if (arrays[i].dtype != info->dtype ||
            ArrayRef<int64_t>(arrays[i].shape, arrays[i].rank) !=
                ArrayRef<int64_t>(shape))
          return module.emitError()
                 << "--calibrate: '" << path << "' is not "
                 << tfm_dtype_name(static_cast<tfm_dtype>(info->dtype))
                 << " of shape [" << llvm::interleaved(shape) << "], as input '"
                 << info->name << "' is compiled";
        inputs.push_back(arrays[i].data);
      }
      if (tfm_model_run(model, inputs.data(), outputPointers.data()) != TFM_OK)
        return module.emitError() << "--calibrate: input set '" << set
                                  << "': " << tfm_last_error();
      for (auto [index, output] : llvm::enumerate(observed)) {
        ArrayRef<char> bytes = outputs[output];
        observe(index,
                ArrayRef<float>(reinterpret_cast<const float *>(bytes.data()),
                                bytes.size() / sizeof(float)));
      }
    }
    return success();
  };

  SmallVector<Observer> observers(linears.size());
  if (llvm::is_contained(observed, -1) ||
      failed(runAll([&](size_t i, ArrayRef<float> values) {
        observers[i].observeRange(values);
      })))
    return failure();
  bool percentile = options.calibrationMethod == CalibrationMethod::Percentile;
  if (percentile && failed(runAll([&](size_t i, ArrayRef<float> values) {
        observers[i].observeHistogram(values);
      })))
    return failure();

  for (auto [linear, observer] : llvm::zip_equal(linears, observers)) {
    if (!(observer.lo <= observer.hi))
      continue; // no finite value seen
    auto [lo, hi] =
        percentile ? observer.getPercentileRange(options.calibrationPercentile)
                   : std::make_pair(observer.lo, observer.hi);
    linear->setAttr(kInputRangeAttrName,
                    DenseF32ArrayAttr::get(module.getContext(), {lo, hi}));
  }
  return success();
}
