//===- GenerateTest.cpp - the token loop of tfm_model_generate ------------===//
//
// A stand-in decoder checks what the loop feeds it: ids, positions, the
// attention mask and the cache rows written by earlier steps. It predicts
// token id + 1, or token 15 when anything it was fed is wrong. Decoders of
// several sequence lengths (the chunk) share one cache as a prefill and a
// decode model.
//
//===----------------------------------------------------------------------===//

#include "tfm_runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr int64_t kChunk = 2, kCapacity = 6, kHeads = 2, kVocab = 16;
constexpr int64_t kWrong = 15;

// Set by each test: whether present holds only the new rows.
bool presentIsNewRows = false;

// What a row of the cache holds for token `id` in head `h`.
float cacheValue(int64_t id, int64_t h) { return float(id + 100 * h); }

template <int64_t Chunk> void decoderEntry(void *const *args) {
  auto *ids = static_cast<const int64_t *>(args[2]);
  auto *mask = static_cast<const int64_t *>(args[3]);
  auto *positions = static_cast<const int64_t *>(args[4]);
  auto *past = static_cast<const float *>(args[5]);
  auto *logits = static_cast<float *>(args[6]);
  auto *present = static_cast<float *>(args[7]);
  // The cache rows in use come first in the mask, then the chunk's tokens.
  int64_t filled = 0;
  while (filled < kCapacity && mask[filled])
    ++filled;
  bool ok = true;
  for (int64_t j = filled; j < kCapacity; ++j)
    ok &= mask[j] == 0;
  // Cache row j holds the token at position j, which the test's tokens
  // make j + 1 (prompt 1, 2, 3, ... continued by the predictions).
  for (int64_t h = 0; h < kHeads; ++h)
    for (int64_t j = 0; j < filled; ++j)
      ok &= past[h * kCapacity + j] == cacheValue(j + 1, h);
  std::memset(logits, 0, sizeof(float) * Chunk * kVocab);
  for (int64_t i = 0; i < Chunk; ++i) {
    bool real = mask[kCapacity + i] != 0;
    bool rowOk = ok && (!real || positions[i] == filled + i);
    int64_t next = rowOk ? (ids[i] + 1) % kVocab : kWrong;
    logits[i * kVocab + next] = 1.0f;
    for (int64_t h = 0; h < kHeads; ++h) {
      float value = cacheValue(ids[i], h);
      if (presentIsNewRows) {
        present[h * Chunk + i] = value;
      } else {
        float *head = present + h * (kCapacity + Chunk);
        std::memcpy(head, past + h * kCapacity, sizeof(float) * kCapacity);
        head[kCapacity + i] = value;
      }
    }
  }
}

template <int64_t Chunk = kChunk> struct DecoderOf {
  int64_t idsShape[2] = {1, Chunk};
  int64_t maskShape[2] = {1, kCapacity + Chunk};
  int64_t pastShape[4] = {1, kHeads, kCapacity, 1};
  int64_t fullPresentShape[4] = {1, kHeads, kCapacity + Chunk, 1};
  int64_t newPresentShape[4] = {1, kHeads, Chunk, 1};
  int64_t logitsShape[3] = {1, Chunk, kVocab};
  tfm_tensor_info inputs[4] = {
      {"input_ids", TFM_DTYPE_I64, 2, idsShape, kVocab, nullptr},
      {"attention_mask", TFM_DTYPE_I64, 2, maskShape, 0, nullptr},
      {"position_ids", TFM_DTYPE_I64, 2, idsShape, 0, nullptr},
      {"past_key_values.0.key", TFM_DTYPE_F32, 4, pastShape, 0, nullptr}};
  tfm_tensor_info outputs[2] = {
      {"logits", TFM_DTYPE_F32, 3, logitsShape, 0, nullptr},
      {"present.0.key", TFM_DTYPE_F32, 4, fullPresentShape, 0, nullptr}};
  uint8_t weights[16] = {};
  tfm_model_desc desc = {};
  tfm_model *model = nullptr;

  explicit DecoderOf(bool newRows) {
    presentIsNewRows = newRows;
    if (newRows)
      outputs[1].shape = newPresentShape;
    desc.abi_version = TFM_ABI_VERSION;
    desc.name = "decoder";
    desc.num_inputs = 4;
    desc.num_outputs = 2;
    desc.inputs = inputs;
    desc.outputs = outputs;
    desc.weights_size = sizeof(weights);
    desc.weights = weights;
    desc.entry = decoderEntry<Chunk>;
  }
  DecoderOf(const DecoderOf &) = delete;
  ~DecoderOf() { tfm_model_destroy(model); }
  tfm_status create() { return tfm_model_create(&desc, nullptr, &model); }
};
using Decoder = DecoderOf<>;

class Generate : public testing::TestWithParam<bool> {};

TEST_P(Generate, FeedsTheCacheBackAndStopsWhenFull) {
  Decoder decoder(GetParam());
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  EXPECT_EQ(tfm_model_max_context(decoder.model), kCapacity + 1);
  const int64_t prompt[] = {1, 2, 3};
  int64_t tokens[8] = {};
  tfm_generate_options options = {};
  options.max_new_tokens = 8;
  tfm_generate_result result;
  ASSERT_EQ(
      tfm_model_generate(decoder.model, prompt, 3, &options, tokens, &result),
      TFM_OK)
      << tfm_last_error();
  // The prompt runs in 2 steps (2 + 1 tokens), then 3 decode steps fill
  // the 6 rows; the token after them needs no run.
  EXPECT_EQ(result.num_tokens, 4);
  EXPECT_EQ(result.stop_reason, TFM_STOP_CONTEXT);
  EXPECT_EQ(result.steps, 5);
  EXPECT_EQ(result.prompt_tokens, 3);
  EXPECT_EQ(std::vector<int64_t>(tokens, tokens + 4),
            (std::vector<int64_t>{4, 5, 6, 7}));
}

INSTANTIATE_TEST_SUITE_P(Present, Generate, testing::Bool());

int stopAtSecond(void *user_data, int64_t token, int32_t index) {
  static_cast<std::vector<int64_t> *>(user_data)->push_back(token);
  return index == 1;
}

TEST(GenerateOptions, StopTokensCallbacksAndLogits) {
  Decoder decoder(false);
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  const int64_t prompt[] = {1};
  int64_t tokens[4] = {};
  std::vector<float> logits(4 * kVocab);
  const int64_t stops[] = {3};
  tfm_generate_options options = {};
  options.max_new_tokens = 4;
  options.stop_tokens = stops;
  options.num_stop_tokens = 1;
  options.logits = logits.data();
  tfm_generate_result result;
  ASSERT_EQ(
      tfm_model_generate(decoder.model, prompt, 1, &options, tokens, &result),
      TFM_OK)
      << tfm_last_error();
  EXPECT_EQ(result.num_tokens, 2);
  EXPECT_EQ(result.stop_reason, TFM_STOP_TOKEN);
  EXPECT_EQ(tokens[1], 3);
  EXPECT_EQ(logits[0 * kVocab + 2], 1.0f);
  EXPECT_EQ(logits[1 * kVocab + 3], 1.0f);

  std::vector<int64_t> streamed;
  options.num_stop_tokens = 0;
  options.on_token = stopAtSecond;
  options.user_data = &streamed;
  ASSERT_EQ(
      tfm_model_generate(decoder.model, prompt, 1, &options, tokens, &result),
      TFM_OK);
  EXPECT_EQ(result.stop_reason, TFM_STOP_CALLBACK);
  EXPECT_EQ(streamed, (std::vector<int64_t>{2, 3}));
}

TEST(GenerateOptions, SamplingIsSeeded) {
  Decoder decoder(false);
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  const int64_t prompt[] = {1};
  tfm_generate_options options = {};
  options.max_new_tokens = 1;
  options.temperature = 1.0f;
  options.top_k = 0;
  options.top_p = 1.0f;
  // One logit is 1 and the rest 0: sampling draws the others too, the same
  // ones for the same seed.
  std::vector<int64_t> first, second;
  for (int run = 0; run < 2; ++run)
    for (uint64_t seed = 0; seed < 32; ++seed) {
      options.seed = seed;
      int64_t token = -1;
      tfm_generate_result result;
      ASSERT_EQ(tfm_model_generate(decoder.model, prompt, 1, &options, &token,
                                   &result),
                TFM_OK);
      (run ? second : first).push_back(token);
    }
  EXPECT_EQ(first, second);
  std::sort(first.begin(), first.end());
  EXPECT_GT(std::unique(first.begin(), first.end()) - first.begin(), 4);
  // top_k = 1 is greedy whatever the seed.
  options.top_k = 1;
  for (uint64_t seed = 0; seed < 8; ++seed) {
    options.seed = seed;
    int64_t token = -1;
    tfm_generate_result result;
    ASSERT_EQ(
        tfm_model_generate(decoder.model, prompt, 1, &options, &token, &result),
        TFM_OK);
    EXPECT_EQ(token, 2);
  }
}

TEST(GenerateOptions, RejectsBadArguments) {
  Decoder decoder(false);
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  const int64_t prompt[] = {1, 2, 3, 4, 5, 6, 7};
  int64_t tokens[2];
  tfm_generate_options options = {};
  options.max_new_tokens = 2;
  tfm_generate_result result;
  // The prompt must fit the cache.
  EXPECT_EQ(
      tfm_model_generate(decoder.model, prompt, 7, &options, tokens, &result),
      TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(tfm_last_error(), "its cache holds 6"), nullptr)
      << tfm_last_error();
  EXPECT_EQ(
      tfm_model_generate(decoder.model, prompt, 0, &options, tokens, &result),
      TFM_ERROR_INVALID_ARGUMENT);
  options.top_p = 2.0f;
  EXPECT_EQ(
      tfm_model_generate(decoder.model, prompt, 1, &options, tokens, &result),
      TFM_ERROR_INVALID_ARGUMENT);
  options.top_p = 0;
  options.top_k = -1;
  EXPECT_EQ(
      tfm_model_generate(decoder.model, prompt, 1, &options, tokens, &result),
      TFM_ERROR_INVALID_ARGUMENT);
}

TEST_P(Generate, PrefillModelRunsThePromptOverTheSameCache) {
  DecoderOf<1> decode(GetParam());
  DecoderOf<4> prefill(GetParam());
  prefill.desc.name = "prefill";
  ASSERT_EQ(decode.create(), TFM_OK) << tfm_last_error();
  ASSERT_EQ(prefill.create(), TFM_OK) << tfm_last_error();
  tfm_generate_options options = {};
  options.max_new_tokens = 8;
  options.prefill = prefill.model;
  int64_t tokens[8] = {};
  tfm_generate_result result;
  // 5 prompt tokens: 4 through the prefill model, the fifth (no more than
  // the decode model's one) through the decode model, which then reads
  // the rows the prefill model wrote.
  const int64_t prompt[] = {1, 2, 3, 4, 5};
  ASSERT_EQ(
      tfm_model_generate(decode.model, prompt, 5, &options, tokens, &result),
      TFM_OK)
      << tfm_last_error();
  EXPECT_EQ(std::vector<int64_t>(tokens, tokens + result.num_tokens),
            (std::vector<int64_t>{6, 7}));
  EXPECT_EQ(result.stop_reason, TFM_STOP_CONTEXT);
  EXPECT_EQ(result.steps, 3);
  EXPECT_EQ(result.prefill_steps, 1);
  // 3 prompt tokens: one padded prefill step, then decode steps; a second
  // generation starts from an empty cache again.
  for (int run = 0; run < 2; ++run) {
    ASSERT_EQ(
        tfm_model_generate(decode.model, prompt, 3, &options, tokens, &result),
        TFM_OK)
        << tfm_last_error();
    EXPECT_EQ(std::vector<int64_t>(tokens, tokens + result.num_tokens),
              (std::vector<int64_t>{4, 5, 6, 7}));
    EXPECT_EQ(result.steps, 4);
    EXPECT_EQ(result.prefill_steps, 1);
  }
  // A one-token prompt needs no prefill step.
  ASSERT_EQ(
      tfm_model_generate(decode.model, prompt, 1, &options, tokens, &result),
      TFM_OK);
  EXPECT_EQ(result.prefill_steps, 0);
  EXPECT_EQ(tokens[0], 2);
}

TEST(GenerateOptions, RejectsAPrefillModelOfAnotherCache) {
  Decoder decode(false);
  DecoderOf<4> prefill(false);
  prefill.desc.name = "prefill";
  // A cache of 5 rows instead of 6.
  prefill.maskShape[1] = 5 + 4;
  prefill.pastShape[2] = 5;
  prefill.fullPresentShape[2] = 5 + 4;
  ASSERT_EQ(decode.create(), TFM_OK) << tfm_last_error();
  ASSERT_EQ(prefill.create(), TFM_OK) << tfm_last_error();
  tfm_generate_options options = {};
  options.max_new_tokens = 2;
  options.prefill = prefill.model;
  const int64_t prompt[] = {1, 2, 3};
  int64_t tokens[2];
  EXPECT_EQ(
      tfm_model_generate(decode.model, prompt, 3, &options, tokens, nullptr),
      TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(tfm_last_error(),
                        "prefill model 'prefill' has a cache of 5 rows and "
                        "model 'decoder' 6"),
            nullptr)
      << tfm_last_error();
  options.prefill = decode.model;
  EXPECT_EQ(
      tfm_model_generate(decode.model, prompt, 3, &options, tokens, nullptr),
      TFM_ERROR_INVALID_ARGUMENT);
  // A prefill model that is no decoder at all.
  prefill.inputs[0].name = "ids";
  options.prefill = prefill.model;
  EXPECT_EQ(
      tfm_model_generate(decode.model, prompt, 3, &options, tokens, nullptr),
      TFM_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(tfm_last_error(), "'prefill' is not a decoder"),
            nullptr)
      << tfm_last_error();
}

TEST(GenerateOptions, NamesWhatAModelLacks) {
  Decoder decoder(false);
  decoder.inputs[2].name = "positions";
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  EXPECT_EQ(tfm_model_max_context(decoder.model), 0);
  EXPECT_NE(std::strstr(tfm_last_error(), "lacks an input 'position_ids'"),
            nullptr)
      << tfm_last_error();
}

// A decoder compiled with a dynamic sequence (bound kChunk) and the mask's
// length derived from it (kCapacity + sequence): each step runs exactly its
// tokens, which the entry reads from `dims` and checks against the packed
// shapes it is fed; it reports its outputs' run-time rows after the
// symbols.
std::vector<int64_t> dynamicLengths; // each step's sequence length

void dynamicDecoderEntry(void *const *args) {
  auto *ids = static_cast<const int64_t *>(args[2]);
  auto *mask = static_cast<const int64_t *>(args[3]);
  auto *positions = static_cast<const int64_t *>(args[4]);
  auto *past = static_cast<const float *>(args[5]);
  auto *logits = static_cast<float *>(args[6]);
  auto *present = static_cast<float *>(args[7]);
  auto *dims = static_cast<int64_t *>(args[8]);
  int64_t n = dims[0];
  dynamicLengths.push_back(n);
  int64_t filled = 0;
  while (filled < kCapacity && mask[filled])
    ++filled;
  bool ok = dims[1] == kCapacity + n;
  for (int64_t j = filled; j < kCapacity; ++j)
    ok &= mask[j] == 0;
  for (int64_t h = 0; h < kHeads; ++h)
    for (int64_t j = 0; j < filled; ++j)
      ok &= past[h * kCapacity + j] == cacheValue(j + 1, h);
  std::memset(logits, 0, sizeof(float) * n * kVocab);
  for (int64_t i = 0; i < n; ++i) {
    bool rowOk = ok && mask[kCapacity + i] == 1 && positions[i] == filled + i;
    logits[i * kVocab + (rowOk ? (ids[i] + 1) % kVocab : kWrong)] = 1.0f;
    for (int64_t h = 0; h < kHeads; ++h)
      present[h * n + i] = cacheValue(ids[i], h); // packed [1, H, n, 1]
  }
  dims[2] = n; // logits [1, n, vocab]
  dims[3] = n; // present [1, H, n, 1]
}

struct DynamicDecoder {
  int64_t idsShape[2] = {1, kChunk};
  int64_t maskShape[2] = {1, kCapacity + kChunk};
  int64_t pastShape[4] = {1, kHeads, kCapacity, 1};
  int64_t presentShape[4] = {1, kHeads, kChunk, 1};
  int64_t logitsShape[3] = {1, kChunk, kVocab};
  int32_t sequenceDims[2] = {-1, 0};
  int32_t maskDims[2] = {-1, 1};
  int32_t logitsDims[3] = {-1, 0, -1};
  int32_t presentDims[4] = {-1, -1, 1, -1};
  tfm_symbol_info symbols[2] = {
      {"sequence", kChunk, -1, 0},
      {"total_sequence", kCapacity + kChunk, 0, kCapacity}};
  tfm_tensor_info inputs[4] = {
      {"input_ids", TFM_DTYPE_I64, 2, idsShape, kVocab, sequenceDims},
      {"attention_mask", TFM_DTYPE_I64, 2, maskShape, 0, maskDims},
      {"position_ids", TFM_DTYPE_I64, 2, idsShape, 0, sequenceDims},
      {"past_key_values.0.key", TFM_DTYPE_F32, 4, pastShape, 0, nullptr}};
  tfm_tensor_info outputs[2] = {
      {"logits", TFM_DTYPE_F32, 3, logitsShape, 0, logitsDims},
      {"present.0.key", TFM_DTYPE_F32, 4, presentShape, 0, presentDims}};
  uint8_t weights[16] = {};
  tfm_model_desc desc = {};
  tfm_model *model = nullptr;

  DynamicDecoder() {
    desc.abi_version = TFM_ABI_VERSION;
    desc.name = "dynamic";
    desc.num_inputs = 4;
    desc.num_outputs = 2;
    desc.inputs = inputs;
    desc.outputs = outputs;
    desc.weights_size = sizeof(weights);
    desc.weights = weights;
    desc.entry = dynamicDecoderEntry;
    desc.num_symbols = 2;
    desc.num_output_dims = 2;
    desc.symbols = symbols;
  }
  DynamicDecoder(const DynamicDecoder &) = delete;
  ~DynamicDecoder() { tfm_model_destroy(model); }
  tfm_status create() { return tfm_model_create(&desc, nullptr, &model); }
};

TEST(GenerateDynamic, RunsEachStepAtItsLength) {
  DynamicDecoder decoder;
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  EXPECT_EQ(tfm_model_max_context(decoder.model), kCapacity + 1);
  const int64_t prompt[] = {1, 2, 3};
  int64_t tokens[8] = {};
  tfm_generate_options options = {};
  options.max_new_tokens = 8;
  tfm_generate_result result;
  dynamicLengths.clear();
  ASSERT_EQ(
      tfm_model_generate(decoder.model, prompt, 3, &options, tokens, &result),
      TFM_OK)
      << tfm_last_error();
  // The prompt as 2 + 1 tokens (no padding), then one token per step.
  EXPECT_EQ(dynamicLengths, (std::vector<int64_t>{2, 1, 1, 1, 1}));
  EXPECT_EQ(result.num_tokens, 4);
  EXPECT_EQ(result.stop_reason, TFM_STOP_CONTEXT);
  EXPECT_EQ(std::vector<int64_t>(tokens, tokens + 4),
            (std::vector<int64_t>{4, 5, 6, 7}));
}

TEST(GenerateDynamic, NeedsTheMaskToFollowTheSequence) {
  DynamicDecoder decoder;
  // The mask's length a symbol of its own: the loop cannot size it.
  decoder.symbols[1].base = -1;
  decoder.symbols[1].offset = 0;
  ASSERT_EQ(decoder.create(), TFM_OK) << tfm_last_error();
  EXPECT_EQ(tfm_model_max_context(decoder.model), 0);
  EXPECT_STREQ(tfm_last_error(),
               "model 'dynamic': input 'attention_mask' must be [1, P + "
               "sequence] (the cache rows, then the sequence): compile it "
               "with --dim NAME=past_sequence+sequence for its dimension");
}

} // namespace
