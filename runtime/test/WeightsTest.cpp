//===- WeightsTest.cpp - embedded and side-file weights -------------------===//

#include "checksum.h"
#include "internal.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

void noEntry(void *const *) {}

tfm_model_desc makeDesc(uint64_t size, const char *file) {
  tfm_model_desc desc = {};
  desc.abi_version = TFM_ABI_VERSION;
  desc.name = "w";
  desc.weights_size = size;
  desc.weights_file = file;
  desc.entry = noEntry;
  return desc;
}

std::string writeTempFile(const std::string &contents) {
  char path[] = "/tmp/tfm-weights-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, contents.data(), contents.size()),
            static_cast<ssize_t>(contents.size()));
  close(fd);
  return path;
}

TEST(Weights, MapsASideFile) {
  std::string path = writeTempFile("0123456789abcdef");
  tfm_model_desc desc = makeDesc(16, "unused.weights");
  desc.weights_checksum = tfm_checksum("0123456789abcdef", 16);
  tfm_weights weights;
  ASSERT_EQ(tfm_weights_load(&desc, path.c_str(), &weights), TFM_OK)
      << tfm_last_error();
  ASSERT_NE(weights.mapping, nullptr);
  EXPECT_EQ(std::memcmp(weights.data, "0123456789abcdef", 16), 0);
  tfm_weights_release(&weights);
  EXPECT_EQ(weights.data, nullptr);
  std::remove(path.c_str());
}

TEST(Weights, SharesOneMappingOfTheSameBlob) {
  // Two models with the same blob (a prefill and a decode model compiled
  // from one export) share a mapping; the second one's file is not read.
  std::string path = writeTempFile("0123456789abcdef");
  tfm_model_desc desc = makeDesc(16, "unused.weights");
  desc.weights_checksum = tfm_checksum("0123456789abcdef", 16);
  tfm_weights first, second, third;
  ASSERT_EQ(tfm_weights_load(&desc, path.c_str(), &first), TFM_OK)
      << tfm_last_error();
  ASSERT_EQ(tfm_weights_load(&desc, "/nonexistent/second.weights", &second),
            TFM_OK)
      << tfm_last_error();
  EXPECT_EQ(second.data, first.data);
  // The mapping outlives the model that made it.
  tfm_weights_release(&first);
  EXPECT_EQ(std::memcmp(second.data, "0123456789abcdef", 16), 0);
  tfm_weights_release(&second);
  // Once no model holds it, a load maps the file again (and fails without
  // one).
  EXPECT_EQ(tfm_weights_load(&desc, "/nonexistent/third.weights", &third),
            TFM_ERROR_IO);
  // Another blob of the same size is not taken for it.
  ASSERT_EQ(tfm_weights_load(&desc, path.c_str(), &first), TFM_OK);
  std::string otherPath = writeTempFile("fedcba9876543210");
  tfm_model_desc other = makeDesc(16, "unused.weights");
  other.weights_checksum = tfm_checksum("fedcba9876543210", 16);
  ASSERT_EQ(tfm_weights_load(&other, otherPath.c_str(), &third), TFM_OK)
      << tfm_last_error();
  EXPECT_NE(third.data, first.data);
  EXPECT_EQ(std::memcmp(third.data, "fedcba9876543210", 16), 0);
  tfm_weights_release(&third);
  tfm_weights_release(&first);
  std::remove(path.c_str());
  std::remove(otherPath.c_str());
}

TEST(Weights, RejectsASideFileOfTheWrongSize) {
  std::string path = writeTempFile("short");
  tfm_model_desc desc = makeDesc(64, "unused.weights");
  tfm_weights weights;
  EXPECT_EQ(tfm_weights_load(&desc, path.c_str(), &weights), TFM_ERROR_IO);
  EXPECT_NE(std::string(tfm_last_error()).find("expects 64"),
            std::string::npos);
  std::remove(path.c_str());
}

TEST(Weights, RejectsASideFileWithAnotherChecksum) {
  // Same size, one byte changed: another compilation's file, or damage.
  std::string path = writeTempFile("0123456789abcdeF");
  tfm_model_desc desc = makeDesc(16, "unused.weights");
  desc.weights_checksum = tfm_checksum("0123456789abcdef", 16);
  tfm_weights weights;
  EXPECT_EQ(tfm_weights_load(&desc, path.c_str(), &weights), TFM_ERROR_IO);
  EXPECT_NE(std::string(tfm_last_error()).find("does not match model 'w'"),
            std::string::npos)
      << tfm_last_error();
  std::remove(path.c_str());
}

TEST(Weights, RejectsADirectory) {
  tfm_model_desc desc = makeDesc(16, "unused.weights");
  tfm_weights weights;
  EXPECT_EQ(tfm_weights_load(&desc, "/tmp", &weights), TFM_ERROR_IO);
  EXPECT_NE(std::string(tfm_last_error()).find("not a regular file"),
            std::string::npos)
      << tfm_last_error();
}

TEST(Checksum, ChangesWithEveryWordAndTheLength) {
  std::string data(100, '\0');
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<char>(i * 7);
  uint64_t base = tfm_checksum(data.data(), data.size());
  EXPECT_EQ(base, tfm_checksum(data.data(), data.size()));
  // One flipped bit anywhere, in the 32-byte blocks and in the tail.
  for (size_t i = 0; i < data.size(); ++i) {
    std::string flipped = data;
    flipped[i] ^= 1;
    EXPECT_NE(tfm_checksum(flipped.data(), flipped.size()), base) << i;
  }
  // Trailing zeros are not padding.
  std::string longer = data + std::string(1, '\0');
  EXPECT_NE(tfm_checksum(longer.data(), longer.size()), base);
  EXPECT_NE(tfm_checksum(nullptr, 0), base);
}

TEST(Weights, ReportsAMissingFile) {
  tfm_model_desc desc = makeDesc(8, "does-not-exist.weights");
  tfm_weights weights;
  EXPECT_EQ(tfm_weights_load(&desc, nullptr, &weights), TFM_ERROR_IO);
  EXPECT_NE(std::string(tfm_last_error()).find("does-not-exist.weights"),
            std::string::npos);
}

TEST(Weights, BorrowsEmbeddedData) {
  static const uint8_t blob[4] = {1, 2, 3, 4};
  tfm_model_desc desc = makeDesc(4, nullptr);
  desc.weights = blob;
  tfm_weights weights;
  ASSERT_EQ(tfm_weights_load(&desc, nullptr, &weights), TFM_OK);
  EXPECT_EQ(weights.data, blob);
  EXPECT_EQ(weights.mapping, nullptr);
  tfm_weights_release(&weights);
}

TEST(Weights, EmptyBlobNeedsNoFile) {
  tfm_model_desc desc = makeDesc(0, nullptr);
  tfm_weights weights;
  EXPECT_EQ(tfm_weights_load(&desc, nullptr, &weights), TFM_OK);
}

TEST(Weights, ResolvesNextToTheModule) {
  static tfm_model_desc desc = makeDesc(8, "model.weights");
  char path[4096];
  ASSERT_TRUE(tfm_weights_resolve_path(&desc, nullptr, path, sizeof(path)));
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  ASSERT_GT(n, 0);
  exe[n] = '\0';
  std::string dir(exe, std::strrchr(exe, '/') + 1);
  EXPECT_EQ(std::string(path), dir + "model.weights");
  ASSERT_TRUE(
      tfm_weights_resolve_path(&desc, "/x/y.weights", path, sizeof(path)));
  EXPECT_STREQ(path, "/x/y.weights");
  EXPECT_FALSE(tfm_weights_resolve_path(&desc, "/a/long/path", path, 4));
}

} // namespace
