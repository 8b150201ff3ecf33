//===- ModelTest.cpp - model handles of the runtime -----------------------===//

#include "tfm_runtime.h"

#include <gtest/gtest.h>

#include <cstdint>
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
}

} // namespace
