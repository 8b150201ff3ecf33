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

const tfm_tensor_info kInputs[] = {{"x", TFM_DTYPE_F32, 1, kVectorShape, 0}};
const tfm_tensor_info kOutputs[] = {{"y", TFM_DTYPE_F32, 1, kVectorShape, 0}};

tfm_model_desc makeDesc() {
  tfm_model_desc desc = {};
  desc.abi_version = TFM_ABI_VERSION;
  desc.name = "scale";
  desc.num_inputs = 1;
  desc.num_outputs = 1;
  desc.inputs = kInputs;
  desc.outputs = kOutputs;
  desc.arena_size = 16;
  desc.weights_size = sizeof(kWeights);
  desc.weights = kWeights;
  desc.entry = scaleEntry;
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
const tfm_tensor_info kIdInputs[] = {{"ids", TFM_DTYPE_I64, 1, kIdsShape, 4}};
const tfm_tensor_info kIdOutputs[] = {{"y", TFM_DTYPE_F32, 1, kIdsShape, 0}};

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
  tfm_model_desc desc = {};
  desc.abi_version = TFM_ABI_VERSION;
  desc.name = "gather";
  desc.num_inputs = 1;
  desc.num_outputs = 1;
  desc.inputs = kIdInputs;
  desc.outputs = kIdOutputs;
  desc.entry = gatherEntry;
  return desc;
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
  const tfm_tensor_info inputs[] = {{"x", TFM_DTYPE_F32, 2, huge, 0}};
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
  tfm_tensor_info info = {"t", TFM_DTYPE_F16, 3, shape, 0};
  EXPECT_EQ(tfm_tensor_info_num_elements(&info), 30u);
  EXPECT_EQ(tfm_tensor_info_num_bytes(&info), 60u);
  tfm_tensor_info scalar = {"s", TFM_DTYPE_F64, 0, nullptr, 0};
  EXPECT_EQ(tfm_tensor_info_num_bytes(&scalar), 8u);
  // Sizes that wrap around report SIZE_MAX, never a small number.
  const int64_t wrapping[] = {int64_t(1) << 31, int64_t(1) << 31, 4};
  tfm_tensor_info huge = {"h", TFM_DTYPE_F32, 3, wrapping, 0};
  EXPECT_EQ(tfm_tensor_info_num_elements(&huge), SIZE_MAX);
  EXPECT_EQ(tfm_tensor_info_num_bytes(&huge), SIZE_MAX);
  const int64_t big[] = {int64_t(1) << 62};
  tfm_tensor_info wide = {"w", TFM_DTYPE_F32, 1, big, 0};
  EXPECT_EQ(tfm_tensor_info_num_elements(&wide), size_t(1) << 62);
  EXPECT_EQ(tfm_tensor_info_num_bytes(&wide), SIZE_MAX);
}

} // namespace
