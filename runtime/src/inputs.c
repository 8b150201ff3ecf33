/*===- inputs.c - deterministic generated model inputs ------------------===*/

#include "inputs.h"
#include "npy.h"

#include <string.h>

/* splitmix64: deterministic inputs across platforms. */
uint64_t tfm_next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static uint16_t f32_to_f16(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  uint32_t sign = (bits >> 16) & 0x8000u;
  int32_t exponent = (int32_t)((bits >> 23) & 0xff) - 127 + 15;
  uint32_t mantissa = bits & 0x7fffffu;
  if (exponent <= 0)
    return (uint16_t)sign; /* generated values never need subnormals */
  if (exponent >= 31)
    return (uint16_t)(sign | 0x7c00u);
  return (uint16_t)(sign | ((uint32_t)exponent << 10) | (mantissa >> 13));
}

void tfm_generate_input(const tfm_tensor_info *info, void *data,
                        uint64_t *state) {
  size_t count = tfm_tensor_info_num_elements(info);
  int is_mask = info->name && strstr(info->name, "mask") != NULL;
  for (size_t i = 0; i < count; ++i) {
    uint64_t r = tfm_next_random(state);
    double unit = (double)(r >> 11) * (1.0 / 9007199254740992.0);
    double real = 2.0 * unit - 1.0;
    int64_t integer = 0;
    if (is_mask)
      integer = 1;
    else if (info->index_limit > 0)
      integer = (int64_t)(r % (uint64_t)info->index_limit);
    switch ((tfm_dtype)info->dtype) {
    case TFM_DTYPE_F32:
      ((float *)data)[i] = (float)real;
      break;
    case TFM_DTYPE_F64:
      ((double *)data)[i] = real;
      break;
    case TFM_DTYPE_F16:
      ((uint16_t *)data)[i] = f32_to_f16((float)real);
      break;
    case TFM_DTYPE_BF16:
      ((uint16_t *)data)[i] = tfm_f32_to_bf16((float)real);
      break;
    case TFM_DTYPE_I8:
      ((int8_t *)data)[i] = (int8_t)integer;
      break;
    case TFM_DTYPE_I16:
      ((int16_t *)data)[i] = (int16_t)integer;
      break;
    case TFM_DTYPE_I32:
      ((int32_t *)data)[i] = (int32_t)integer;
      break;
    case TFM_DTYPE_I64:
      ((int64_t *)data)[i] = integer;
      break;
    case TFM_DTYPE_U8:
      ((uint8_t *)data)[i] = (uint8_t)integer;
      break;
    case TFM_DTYPE_U16:
      ((uint16_t *)data)[i] = (uint16_t)integer;
      break;
    case TFM_DTYPE_U32:
      ((uint32_t *)data)[i] = (uint32_t)integer;
      break;
    case TFM_DTYPE_U64:
      ((uint64_t *)data)[i] = (uint64_t)integer;
      break;
    case TFM_DTYPE_BOOL:
      ((uint8_t *)data)[i] = 1;
      break;
    case TFM_DTYPE_INVALID:
      break;
    }
  }
}
