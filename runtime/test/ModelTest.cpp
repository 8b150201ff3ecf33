//===- ModelTest.cpp - model handles of the runtime -----------------------===//

#include "tfm_runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

const int64_t kVectorShape[] = {4};
const uint8_t kWeights[16] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

// out[i] = in[i] * weights[0] + arena-is-aligned, checking the argument order.
void scaleEntry(void *const *args) {
  auto *weights = static_cast<const uint8_t *>(args[0]);
  auto *arena = static_cast<float *>(args[1]);
  auto *in = static_cast<const float *>(args[2]);
  auto *out = static_cast<float *>(args[3]);
  bool aligned = reinterpret_cast<uintptr_t>(arena) % 64 == 0;
  for (int i = 0; i < 4; ++i) {
    arena[i] = in[i] * weights[0];
    out[i] = arena[i] + (aligned ? 0.0f : 100.0f);
  }
}

const tfm_tensor_info kInputs[] = {
    {"x", TFM_DTYPE_F32, 1, kVectorShape, 0, nullptr}};
const tfm_tensor_info kOutputs[] = {
    {"y", TFM_DTYPE_F32, 1, kVectorShape, 0, nullptr}};

/// A descriptor of `inputs` and `outputs` run by `entry`.
template <size_t I, size_t O>
tfm_model_desc describe(const char *name, const tfm_tensor_info (&inputs)[I],
                        const tfm_tensor_info (&outputs)[O],
                        void (*entry)(void *const *)) {
  tfm_model_desc desc = {};
  desc.abi_version = TFM_ABI_VERSION;
  desc.name = name;
  desc.num_inputs = I;
  desc.num_outputs = O;
  desc.inputs = inputs;
  desc.outputs = outputs;
  desc.entry = entry;
  return desc;
}

tfm_model_desc makeDesc() {
  tfm_model_desc desc = describe("scale", kInputs, kOutputs, scaleEntry);
  desc.arena_size = 16;
  desc.weights_size = sizeof(kWeights);
  desc.weights = kWeights;
  return desc;
}

TEST(Model, RunsWithArgumentsInOrder) {
  tfm_model_desc desc = makeDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK)
      << tfm_last_error();
  float in[4] = {1, 2, 3, 4}, out[4] = {};
  const void *inputs[] = {in};
  void *outputs[] = {out};
  ASSERT_EQ(tfm_model_run(model, inputs, outputs), TFM_OK);
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[3], 8.0f);
  tfm_model_destroy(model);
}

TEST(Model, DescribesInputsAndOutputs) {
  tfm_model_desc desc = makeDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK);
  EXPECT_EQ(tfm_model_get_desc(model), &desc);
  EXPECT_EQ(tfm_model_num_inputs(model), 1);
  EXPECT_EQ(tfm_model_num_outputs(model), 1);
  EXPECT_STREQ(tfm_model_input(model, 0)->name, "x");
  EXPECT_STREQ(tfm_model_output(model, 0)->name, "y");
  EXPECT_EQ(tfm_model_input(model, 1), nullptr);
  EXPECT_EQ(tfm_model_output(model, -1), nullptr);
  EXPECT_EQ(tfm_model_find_input(model, "x"), 0);
  EXPECT_EQ(tfm_model_find_input(model, "y"), -1);
  EXPECT_EQ(tfm_model_find_output(model, "y"), 0);
  EXPECT_EQ(tfm_model_find_output(model, nullptr), -1);
  tfm_model_destroy(model);
}

TEST(Model, RejectsBadDescriptors) {
  tfm_model *model = nullptr;
  EXPECT_EQ(tfm_model_create(nullptr, nullptr, &model),
            TFM_ERROR_INVALID_ARGUMENT);
  tfm_model_desc desc = makeDesc();
  desc.abi_version = TFM_ABI_VERSION + 1;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
  EXPECT_NE(std::string(tfm_last_error()).find("ABI"), std::string::npos);
  desc = makeDesc();
  desc.entry = nullptr;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
  tfm_tensor_info badInput = kInputs[0];
  badInput.dtype = 99;
  desc = makeDesc();
  desc.inputs = &badInput;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(tfm_model_create(&desc, nullptr, nullptr),
            TFM_ERROR_INVALID_ARGUMENT);
}

// A model for another device than the CPU is refused by name.
TEST(Model, RejectsUnknownDevices) {
  tfm_model *model = nullptr;
  tfm_model_desc desc = makeDesc();
  desc.device = 7;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_NO_DEVICE);
  EXPECT_EQ(model, nullptr);
  EXPECT_NE(std::string(tfm_last_error()).find("device 7 (unknown)"),
            std::string::npos)
      << tfm_last_error();
}

TEST(Model, RejectsMissingBuffers) {
  tfm_model_desc desc = makeDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK);
  float out[4];
  const void *inputs[] = {nullptr};
  void *outputs[] = {out};
  EXPECT_EQ(tfm_model_run(model, inputs, outputs), TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find("input 'x'"), std::string::npos);
  EXPECT_EQ(tfm_model_run(model, nullptr, outputs), TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tfm_model_run(nullptr, inputs, outputs),
            TFM_ERROR_INVALID_ARGUMENT);
  tfm_model_destroy(model);
}

TEST(Model, ReportsTimingThroughTheHook) {
  tfm_model_desc desc = makeDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK);
  struct Recorder {
    std::vector<std::string> events;
    std::vector<uint64_t> times;
  } recorder;
  tfm_model_set_timing_hook(
      model,
      [](void *data, const char *event, uint64_t ns) {
        auto *r = static_cast<Recorder *>(data);
        r->events.push_back(event);
        r->times.push_back(ns);
      },
      &recorder);
  float in[4] = {1, 1, 1, 1}, out[4];
  const void *inputs[] = {in};
  void *outputs[] = {out};
  uint64_t before = tfm_now_ns();
  ASSERT_EQ(tfm_model_run(model, inputs, outputs), TFM_OK);
  ASSERT_EQ(recorder.events.size(), 2u);
  EXPECT_EQ(recorder.events[0], "run_begin");
  EXPECT_EQ(recorder.events[1], "run_end");
  EXPECT_GE(recorder.times[0], before);
  EXPECT_EQ(tfm_model_last_run_ns(model),
            recorder.times[1] - recorder.times[0]);
  tfm_model_destroy(model);
}

// A gather-like model: out[i] = table[ids[i]], ids checked against 4 rows.
const int64_t kIdsShape[] = {3};
const tfm_tensor_info kIdInputs[] = {
    {"ids", TFM_DTYPE_I64, 1, kIdsShape, 4, nullptr}};
const tfm_tensor_info kIdOutputs[] = {
    {"y", TFM_DTYPE_F32, 1, kIdsShape, 0, nullptr}};

// Wraps negative ids and clamps, as generated gathers do.
void gatherEntry(void *const *args) {
  static const float table[4] = {10, 11, 12, 13};
  auto *ids = static_cast<const int64_t *>(args[2]);
  auto *out = static_cast<float *>(args[3]);
  for (int i = 0; i < 3; ++i) {
    int64_t id = ids[i] < 0 ? ids[i] + 4 : ids[i];
    out[i] = table[std::clamp<int64_t>(id, 0, 3)];
  }
}

tfm_model_desc makeGatherDesc() {
  return describe("gather", kIdInputs, kIdOutputs, gatherEntry);
}

TEST(Model, RejectsIdsOutsideTheirTable) {
  tfm_model_desc desc = makeGatherDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK);
  float out[3] = {};
  void *outputs[] = {out};
  // ONNX's Gather takes negative ids from the end: [-4, 4) is valid.
  int64_t valid[3] = {0, 3, -4};
  const void *inputs[] = {valid};
  ASSERT_EQ(tfm_model_run(model, inputs, outputs), TFM_OK) << tfm_last_error();
  EXPECT_EQ(out[2], 10.0f);
  for (int64_t bad : {int64_t(4), int64_t(-5), INT64_MAX, INT64_MIN}) {
    int64_t ids[3] = {1, bad, 2};
    inputs[0] = ids;
    EXPECT_EQ(tfm_model_run(model, inputs, outputs),
              TFM_ERROR_INVALID_ARGUMENT);
    std::string message = tfm_last_error();
    EXPECT_NE(message.find("input 'ids' holds " + std::to_string(bad) +
                           " at element 1, outside [-4, 4)"),
              std::string::npos)
        << message;
  }
  // Opted out, the run goes ahead (the generated code clamps).
  tfm_model_set_check_indices(model, 0);
  int64_t ids[3] = {1, 9, 2};
  inputs[0] = ids;
  EXPECT_EQ(tfm_model_run(model, inputs, outputs), TFM_OK);
  tfm_model_destroy(model);
}

TEST(Model, RejectsThreadCountsBeyondTheLimit) {
  tfm_model_desc desc = makeDesc();
  tfm_model *model = nullptr;
  tfm_model_options options = {nullptr, TFM_MAX_THREADS + 1};
  EXPECT_EQ(tfm_model_create(&desc, &options, &model),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find("num_threads is 1025"),
            std::string::npos);
  options.num_threads = -1;
  EXPECT_EQ(tfm_model_create(&desc, &options, &model),
            TFM_ERROR_INVALID_ARGUMENT);
  options.num_threads = 0;
  setenv("OMP_NUM_THREADS", "100000", 1);
  EXPECT_EQ(tfm_model_create(&desc, &options, &model),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find("OMP_NUM_THREADS"),
            std::string::npos);
  unsetenv("OMP_NUM_THREADS");
  EXPECT_EQ(model, nullptr);
}

TEST(Model, RejectsTensorsLargerThanMemory) {
  const int64_t huge[] = {INT64_MAX / 2, 4};
  const tfm_tensor_info inputs[] = {{"x", TFM_DTYPE_F32, 2, huge, 0, nullptr}};
  tfm_model_desc desc = makeDesc();
  desc.inputs = inputs;
  tfm_model *model = nullptr;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find("too large"), std::string::npos);
  desc = makeDesc();
  desc.arena_size = UINT64_MAX - 1;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_OUT_OF_MEMORY);
}

TEST(Dtype, SizesAndNames) {
  EXPECT_EQ(tfm_dtype_size(TFM_DTYPE_F32), 4u);
  EXPECT_EQ(tfm_dtype_size(TFM_DTYPE_BF16), 2u);
  EXPECT_EQ(tfm_dtype_size(TFM_DTYPE_I64), 8u);
  EXPECT_EQ(tfm_dtype_size(TFM_DTYPE_BOOL), 1u);
  EXPECT_EQ(tfm_dtype_size(TFM_DTYPE_INVALID), 0u);
  EXPECT_STREQ(tfm_dtype_name(TFM_DTYPE_U16), "uint16");
  EXPECT_STREQ(tfm_dtype_name(static_cast<tfm_dtype>(77)), "invalid");
  const int64_t shape[] = {2, 3, 5};
  tfm_tensor_info info = {"t", TFM_DTYPE_F16, 3, shape, 0, nullptr};
  EXPECT_EQ(tfm_tensor_info_num_elements(&info), 30u);
  EXPECT_EQ(tfm_tensor_info_num_bytes(&info), 60u);
  tfm_tensor_info scalar = {"s", TFM_DTYPE_F64, 0, nullptr, 0, nullptr};
  EXPECT_EQ(tfm_tensor_info_num_bytes(&scalar), 8u);
  // Sizes that wrap around report SIZE_MAX, never a small number.
  const int64_t wrapping[] = {int64_t(1) << 31, int64_t(1) << 31, 4};
  tfm_tensor_info huge = {"h", TFM_DTYPE_F32, 3, wrapping, 0, nullptr};
  EXPECT_EQ(tfm_tensor_info_num_elements(&huge), SIZE_MAX);
  EXPECT_EQ(tfm_tensor_info_num_bytes(&huge), SIZE_MAX);
  const int64_t big[] = {int64_t(1) << 62};
  tfm_tensor_info wide = {"w", TFM_DTYPE_F32, 1, big, 0, nullptr};
  EXPECT_EQ(tfm_tensor_info_num_elements(&wide), size_t(1) << 62);
  EXPECT_EQ(tfm_tensor_info_num_bytes(&wide), SIZE_MAX);
}

//===-- Dynamic dimensions (ABI 4) ------------------------------------===//

// Inputs x [seq<=8, 2] and ids [seq<=8]; output y [seq + 1, 2] (bound 9):
// the rows of x doubled, then one row of the ids' sum. dims: seq, then
// y's first dimension.
const int64_t kRowsShape[] = {8, 2};
const int64_t kIdsShape8[] = {8};
const int64_t kOutShape[] = {9, 2};
const int32_t kRowDims[] = {0, -1};
const int32_t kIdDims[] = {0};
const int32_t kOutDims[] = {0, -1};
const tfm_symbol_info kSymbols[] = {{"seq", 8, -1, 0}};
const tfm_tensor_info kDynInputs[] = {
    {"x", TFM_DTYPE_F32, 2, kRowsShape, 0, kRowDims},
    {"ids", TFM_DTYPE_I64, 1, kIdsShape8, 5, kIdDims}};
const tfm_tensor_info kDynOutputs[] = {
    {"y", TFM_DTYPE_F32, 2, kOutShape, 0, kOutDims}};

void rowsEntry(void *const *args) {
  auto *x = static_cast<const float *>(args[2]);
  auto *ids = static_cast<const int64_t *>(args[3]);
  auto *y = static_cast<float *>(args[4]);
  auto *dims = static_cast<int64_t *>(args[5]);
  int64_t seq = dims[0];
  float sum = 0;
  for (int64_t r = 0; r < seq; ++r) {
    y[2 * r] = 2 * x[2 * r];
    y[2 * r + 1] = 2 * x[2 * r + 1];
    sum += static_cast<float>(ids[r]);
  }
  y[2 * seq] = y[2 * seq + 1] = sum;
  dims[1] = seq + 1;
}

tfm_model_desc makeDynamicDesc() {
  tfm_model_desc desc = describe("rows", kDynInputs, kDynOutputs, rowsEntry);
  desc.num_symbols = 1;
  desc.num_output_dims = 1;
  desc.symbols = kSymbols;
  return desc;
}

TEST(Model, RunsDynamicShapesAndReportsOutputShapes) {
  tfm_model_desc desc = makeDynamicDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK)
      << tfm_last_error();
  EXPECT_EQ(tfm_model_num_symbols(model), 1);
  EXPECT_STREQ(tfm_model_symbol(model, 0)->name, "seq");
  EXPECT_EQ(tfm_model_symbol(model, 1), nullptr);
  EXPECT_TRUE(tfm_tensor_info_is_dynamic(tfm_model_input(model, 0)));
  EXPECT_FALSE(tfm_tensor_info_is_dynamic(&kInputs[0]));
  // Before any shape is set: the bounds.
  EXPECT_EQ(tfm_model_input_shape(model, 0)[0], 8);
  EXPECT_EQ(tfm_model_output_shape(model, 0)[0], 9);

  const int64_t rows[] = {3, 2}, ids[] = {3};
  ASSERT_EQ(tfm_model_set_input_shape(model, 0, rows), TFM_OK);
  ASSERT_EQ(tfm_model_set_input_shape(model, 1, ids), TFM_OK);
  float x[6] = {1, 2, 3, 4, 5, 6}, y[18] = {};
  int64_t idValues[3] = {1, 2, 4};
  const void *inputs[] = {x, idValues};
  void *outputs[] = {y};
  ASSERT_EQ(tfm_model_run(model, inputs, outputs), TFM_OK) << tfm_last_error();
  EXPECT_EQ(tfm_model_output_shape(model, 0)[0], 4);
  EXPECT_EQ(tfm_model_output_shape(model, 0)[1], 2);
  EXPECT_EQ(y[5], 12.0f);
  EXPECT_EQ(y[6], 7.0f);

  // No rows at all.
  const int64_t none[] = {0, 2}, noIds[] = {0};
  ASSERT_EQ(tfm_model_set_input_shape(model, 0, none), TFM_OK);
  ASSERT_EQ(tfm_model_set_input_shape(model, 1, noIds), TFM_OK);
  ASSERT_EQ(tfm_model_run(model, inputs, outputs), TFM_OK) << tfm_last_error();
  EXPECT_EQ(tfm_model_output_shape(model, 0)[0], 1);
  tfm_model_destroy(model);
}

TEST(Model, RejectsMalformedDerivedSymbols) {
  // A derived symbol is a symbol of its own plus an offset, its bound that
  // symbol's plus the offset.
  struct Case {
    tfm_symbol_info derived;
    const char *why;
  } cases[] = {
      {{"self", 8, 1, 0}, "derived from itself"},
      {{"far", 8, 5, 0}, "derived from a symbol that does not exist"},
      {{"bound", 12, 0, 3}, "bound other than the base's plus the offset"},
      {{"negative", 5, 0, -3}, "negative offset"},
  };
  for (const Case &c : cases) {
    tfm_symbol_info symbols[] = {{"seq", 8, -1, 0}, c.derived};
    tfm_model_desc desc = makeDynamicDesc();
    desc.num_symbols = 2;
    desc.symbols = symbols;
    tfm_model *model = nullptr;
    EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH)
        << c.why;
    EXPECT_STREQ(tfm_last_error(),
                 "model 'rows' has a malformed dynamic dimension 1")
        << c.why;
  }
  // Derived from a derived symbol.
  tfm_symbol_info chain[] = {
      {"seq", 8, -1, 0}, {"total", 10, 0, 2}, {"more", 11, 1, 1}};
  tfm_model_desc desc = makeDynamicDesc();
  desc.num_symbols = 3;
  desc.symbols = chain;
  tfm_model *model = nullptr;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
}

TEST(Model, RejectsDynamicShapesOutsideTheDescription) {
  tfm_model_desc desc = makeDynamicDesc();
  tfm_model *model = nullptr;
  ASSERT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_OK);
  const int64_t tooLong[] = {9, 2}, wrongStatic[] = {3, 3};
  EXPECT_EQ(tfm_model_set_input_shape(model, 0, tooLong),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find("dimension 0 ('seq') is 9"),
            std::string::npos)
      << tfm_last_error();
  EXPECT_EQ(tfm_model_set_input_shape(model, 0, wrongStatic),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tfm_model_set_input_shape(model, 2, tooLong),
            TFM_ERROR_INVALID_ARGUMENT);
  // The inputs disagree on seq.
  const int64_t rows[] = {3, 2}, ids[] = {2};
  ASSERT_EQ(tfm_model_set_input_shape(model, 0, rows), TFM_OK);
  ASSERT_EQ(tfm_model_set_input_shape(model, 1, ids), TFM_OK);
  float x[6] = {}, y[18] = {};
  int64_t idValues[2] = {};
  const void *inputs[] = {x, idValues};
  void *outputs[] = {y};
  EXPECT_EQ(tfm_model_run(model, inputs, outputs), TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(
      tfm_last_error(),
      "inputs 'x' and 'ids' disagree on dimension 'seq': 'seq' is 3 in "
      "the first, 'seq' is 2 in the second");
  // Ids are checked over the run-time shape only (the index limit is 5).
  const int64_t three[] = {3};
  ASSERT_EQ(tfm_model_set_input_shape(model, 1, three), TFM_OK);
  int64_t badIds[8] = {0, 1, 2, 99, 99, 99, 99, 99};
  const void *checked[] = {x, badIds};
  EXPECT_EQ(tfm_model_run(model, checked, outputs), TFM_OK) << tfm_last_error();
  badIds[2] = 5;
  EXPECT_EQ(tfm_model_run(model, checked, outputs), TFM_ERROR_INVALID_ARGUMENT);
  tfm_model_destroy(model);
}

TEST(Model, RejectsMalformedDynamicDescriptions) {
  tfm_model_desc desc = makeDynamicDesc();
  desc.symbols = nullptr;
  tfm_model *model = nullptr;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
  desc = makeDynamicDesc();
  desc.num_symbols = 0; // x's dims name symbol 0, which no longer exists
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
  desc = makeDynamicDesc();
  desc.device = TFM_DEVICE_CUDA;
  EXPECT_EQ(tfm_model_create(&desc, nullptr, &model), TFM_ERROR_ABI_MISMATCH);
}

} // namespace
