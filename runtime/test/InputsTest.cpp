//===- InputsTest.cpp - generated model inputs ----------------------------===//

#include "inputs.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

TEST(Inputs, AreDeterministic) {
  uint64_t a = 7, b = 7;
  EXPECT_EQ(tfm_next_random(&a), tfm_next_random(&b));
  EXPECT_NE(tfm_next_random(&a), tfm_next_random(&a));
}

TEST(Inputs, FloatsAreInUnitRange) {
  const int64_t shape[] = {1000};
  tfm_tensor_info info = {"x", TFM_DTYPE_F32, 1, shape, 0, nullptr};
  std::vector<float> data(1000);
  uint64_t state = 0;
  tfm_generate_input(&info, data.data(), &state);
  float lo = 1, hi = -1;
  for (float v : data) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_GE(lo, -1.0f);
  EXPECT_LT(hi, 1.0f);
  EXPECT_LT(lo, -0.9f);
  EXPECT_GT(hi, 0.9f);
}

TEST(Inputs, IdsStayInsideTheirTable) {
  const int64_t shape[] = {500};
  tfm_tensor_info info = {"input_ids", TFM_DTYPE_I64, 1, shape, 30, nullptr};
  std::vector<int64_t> ids(500);
  uint64_t state = 1;
  tfm_generate_input(&info, ids.data(), &state);
  bool sawHigh = false;
  for (int64_t id : ids) {
    EXPECT_GE(id, 0);
    EXPECT_LT(id, 30);
    sawHigh |= id > 20;
  }
  EXPECT_TRUE(sawHigh);
}

TEST(Inputs, MasksAreOnesAndOtherIntegersZero) {
  const int64_t shape[] = {4};
  tfm_tensor_info mask = {"attention_mask", TFM_DTYPE_I32, 1, shape, 0,
                          nullptr};
  tfm_tensor_info other = {"flags", TFM_DTYPE_I8, 1, shape, 0, nullptr};
  tfm_tensor_info flags = {"b", TFM_DTYPE_BOOL, 1, shape, 0, nullptr};
  int32_t m[4];
  int8_t o[4];
  uint8_t f[4];
  uint64_t state = 0;
  tfm_generate_input(&mask, m, &state);
  tfm_generate_input(&other, o, &state);
  tfm_generate_input(&flags, f, &state);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(m[i], 1);
    EXPECT_EQ(o[i], 0);
    EXPECT_EQ(f[i], 1);
  }
}

} // namespace
