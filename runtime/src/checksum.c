/*===- checksum.c - the weights file checksum ---------------------------===*/

#include "checksum.h"

#include <string.h>

static const uint64_t kMultiplier = 0x9e3779b97f4a7c15ull;

/* Each step is a bijection of the lane for a given word, so two inputs that
 * differ in one word leave that lane, and the result, different. */
static uint64_t step(uint64_t lane, uint64_t word) {
  lane = (lane ^ word) * kMultiplier;
  return lane ^ (lane >> 29);
}

/* The finalizer of MurmurHash3: spreads every bit over the result. */
static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

uint64_t tfm_checksum(const void *data, size_t size) {
  const unsigned char *bytes = (const unsigned char *)data;
  uint64_t lanes[4] = {0x243f6a8885a308d3ull, 0x13198a2e03707344ull,
                       0xa4093822299f31d0ull, 0x082efa98ec4e6c89ull};
  size_t i = 0;
  for (; i + 32 <= size; i += 32)
    for (int l = 0; l < 4; ++l) {
      uint64_t word;
      memcpy(&word, bytes + i + 8 * l, 8);
      lanes[l] = step(lanes[l], word);
    }
  /* The tail: whole words, then one zero-padded word (the length below
   * tells a padded tail from real zeros). */
  for (int l = 0; i < size; ++l, i += 8) {
    uint64_t word = 0;
    memcpy(&word, bytes + i, size - i < 8 ? size - i : 8);
    lanes[l] = step(lanes[l], word);
  }
  uint64_t result = mix((uint64_t)size);
  for (int l = 0; l < 4; ++l)
    result = mix(result ^ lanes[l]);
  return result;
}
