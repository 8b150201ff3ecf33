//===- CudaTest.cpp - the CUDA driver loader of the runtime ---------------===//

#include "tfm_runtime.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <string>

namespace {

TEST(Cuda, NamesDevices) {
  EXPECT_STREQ(tfm_device_name(TFM_DEVICE_CPU), "cpu");
  EXPECT_STREQ(tfm_device_name(TFM_DEVICE_CUDA), "cuda");
  EXPECT_STREQ(tfm_device_name(-1), "unknown");
}

// Where the driver is absent (CI, this project's build machines) the count
// fails with a message naming it; where a GPU is present it is counted.
// Repeated calls give the same answer (the driver is loaded once).
TEST(Cuda, CountsDevicesOrSaysWhyNot) {
  EXPECT_EQ(tfm_cuda_device_count(nullptr), TFM_ERROR_INVALID_ARGUMENT);
  void *probe = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  int32_t count = -1;
  tfm_status status = tfm_cuda_device_count(&count);
  if (!probe) {
    EXPECT_EQ(status, TFM_ERROR_NO_DEVICE);
    EXPECT_EQ(count, 0);
    std::string message = tfm_last_error();
    EXPECT_NE(message.find("(libcuda.so.1) cannot be loaded"), std::string::npos)
        << message;
  } else if (status == TFM_OK) {
    EXPECT_GT(count, 0);
  } else {
    EXPECT_EQ(status, TFM_ERROR_NO_DEVICE);
    EXPECT_NE(std::string(tfm_last_error()).find("CUDA driver"),
              std::string::npos)
        << tfm_last_error();
  }
  int32_t again = -1;
  EXPECT_EQ(tfm_cuda_device_count(&again), status);
  EXPECT_EQ(again, count);
  if (probe)
    dlclose(probe);
}

} // namespace
