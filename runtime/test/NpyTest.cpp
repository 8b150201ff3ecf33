//===- NpyTest.cpp - .npy reading and writing -----------------------------===//

#include "npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

std::string tempPath(const char *name) {
  return std::string("/tmp/tfm-npy-test-") + std::to_string(getpid()) + "-" +
         name;
}

TEST(Npy, RoundTripsFloatMatrix) {
  std::string path = tempPath("f32.npy");
  const int64_t shape[] = {2, 3};
  const float data[] = {1, 2, 3, 4, 5, -6.5f};
  ASSERT_EQ(tfm_npy_write(path.c_str(), TFM_DTYPE_F32, 2, shape, data), TFM_OK);
  tfm_npy_array array;
  ASSERT_EQ(tfm_npy_read(path.c_str(), &array), TFM_OK) << tfm_last_error();
  EXPECT_EQ(array.dtype, TFM_DTYPE_F32);
  ASSERT_EQ(array.rank, 2);
  EXPECT_EQ(array.shape[0], 2);
  EXPECT_EQ(array.shape[1], 3);
  ASSERT_EQ(array.num_bytes, sizeof(data));
  EXPECT_EQ(std::memcmp(array.data, data, sizeof(data)), 0);
  tfm_npy_free(&array);
  std::remove(path.c_str());
}

TEST(Npy, RoundTripsScalarsVectorsAndBooleans) {
  std::string path = tempPath("i64.npy");
  const int64_t value = -42;
  ASSERT_EQ(tfm_npy_write(path.c_str(), TFM_DTYPE_I64, 0, nullptr, &value),
            TFM_OK);
  tfm_npy_array array;
  ASSERT_EQ(tfm_npy_read(path.c_str(), &array), TFM_OK);
  EXPECT_EQ(array.rank, 0);
  EXPECT_EQ(*static_cast<int64_t *>(array.data), -42);
  tfm_npy_free(&array);

  const int64_t shape[] = {3};
  const uint8_t flags[] = {1, 0, 1};
  ASSERT_EQ(tfm_npy_write(path.c_str(), TFM_DTYPE_BOOL, 1, shape, flags),
            TFM_OK);
  ASSERT_EQ(tfm_npy_read(path.c_str(), &array), TFM_OK);
  EXPECT_EQ(array.dtype, TFM_DTYPE_BOOL);
  ASSERT_EQ(array.rank, 1);
  EXPECT_EQ(array.shape[0], 3);
  EXPECT_EQ(std::memcmp(array.data, flags, 3), 0);
  tfm_npy_free(&array);
  std::remove(path.c_str());
}

TEST(Npy, WritesBfloat16AsFloat32) {
  std::string path = tempPath("bf16.npy");
  const int64_t shape[] = {2};
  const uint16_t data[] = {tfm_f32_to_bf16(1.5f), tfm_f32_to_bf16(-2.0f)};
  ASSERT_EQ(tfm_npy_write(path.c_str(), TFM_DTYPE_BF16, 1, shape, data),
            TFM_OK);
  tfm_npy_array array;
  ASSERT_EQ(tfm_npy_read(path.c_str(), &array), TFM_OK);
  EXPECT_EQ(array.dtype, TFM_DTYPE_F32);
  EXPECT_EQ(static_cast<float *>(array.data)[0], 1.5f);
  EXPECT_EQ(static_cast<float *>(array.data)[1], -2.0f);
  tfm_npy_free(&array);
  std::remove(path.c_str());
}

std::string makeImage(const std::string &header, size_t dataBytes) {
  std::string image = "\x93NUMPY";
  image += '\x01';
  image += '\x00';
  image += static_cast<char>(header.size() & 0xff);
  image += static_cast<char>(header.size() >> 8);
  image += header;
  image += std::string(dataBytes, '\0');
  return image;
}

TEST(Npy, ParsesVersion1Headers) {
  std::string image = makeImage(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }\n", 16);
  tfm_npy_array array;
  ASSERT_EQ(tfm_npy_parse(image.data(), image.size(), &array), TFM_OK)
      << tfm_last_error();
  EXPECT_EQ(array.dtype, TFM_DTYPE_I32);
  EXPECT_EQ(array.num_bytes, 16u);
  tfm_npy_free(&array);
}

TEST(Npy, RejectsMalformedFiles) {
  tfm_npy_array array;
  EXPECT_EQ(tfm_npy_parse("garbage!!!!", 11, &array),
            TFM_ERROR_INVALID_ARGUMENT);
  std::string bigEndian = makeImage(
      "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", 4);
  EXPECT_EQ(tfm_npy_parse(bigEndian.data(), bigEndian.size(), &array),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find(">f4"), std::string::npos);
  std::string fortran = makeImage(
      "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }\n", 4);
  EXPECT_EQ(tfm_npy_parse(fortran.data(), fortran.size(), &array),
            TFM_ERROR_INVALID_ARGUMENT);
  std::string truncated = makeImage(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }\n", 8);
  EXPECT_EQ(tfm_npy_parse(truncated.data(), truncated.size(), &array),
            TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tfm_last_error()).find("truncated"), std::string::npos);
  EXPECT_EQ(tfm_npy_read("/nonexistent/file.npy", &array), TFM_ERROR_IO);
}

TEST(Npy, ConvertsHalfPrecision) {
  EXPECT_EQ(tfm_f16_to_f32(0x3c00), 1.0f);
  EXPECT_EQ(tfm_f16_to_f32(0xc000), -2.0f);
  EXPECT_EQ(tfm_f16_to_f32(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(tfm_f16_to_f32(0x7c00)));
  EXPECT_TRUE(std::isnan(tfm_f16_to_f32(0x7e00)));
  EXPECT_EQ(tfm_bf16_to_f32(0x3f80), 1.0f);
  // Round to nearest even: 1 + 2^-8 is halfway between two bf16 values.
  EXPECT_EQ(tfm_f32_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);
  EXPECT_EQ(tfm_f32_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);
  EXPECT_TRUE(std::isnan(tfm_bf16_to_f32(tfm_f32_to_bf16(NAN))));
}

} // namespace
