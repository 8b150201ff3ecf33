/*===- dtype.c - element types and tensor sizes --------------------------===*/

#include "internal.h"
#include "tfm_runtime.h"

#include <stdint.h>

size_t tfm_dtype_size(tfm_dtype dtype) {
  switch (dtype) {
  case TFM_DTYPE_F64:
  case TFM_DTYPE_I64:
  case TFM_DTYPE_U64:
    return 8;
  case TFM_DTYPE_F32:
  case TFM_DTYPE_I32:
  case TFM_DTYPE_U32:
    return 4;
  case TFM_DTYPE_F16:
  case TFM_DTYPE_BF16:
  case TFM_DTYPE_I16:
  case TFM_DTYPE_U16:
    return 2;
  case TFM_DTYPE_I8:
  case TFM_DTYPE_U8:
  case TFM_DTYPE_BOOL:
    return 1;
  case TFM_DTYPE_INVALID:
    break;
  }
  return 0;
}

const char *tfm_dtype_name(tfm_dtype dtype) {
  switch (dtype) {
  case TFM_DTYPE_F32:
    return "float32";
  case TFM_DTYPE_F16:
    return "float16";
  case TFM_DTYPE_BF16:
    return "bfloat16";
  case TFM_DTYPE_F64:
    return "float64";
  case TFM_DTYPE_I8:
    return "int8";
  case TFM_DTYPE_I16:
    return "int16";
  case TFM_DTYPE_I32:
    return "int32";
  case TFM_DTYPE_I64:
    return "int64";
  case TFM_DTYPE_U8:
    return "uint8";
  case TFM_DTYPE_U16:
    return "uint16";
  case TFM_DTYPE_U32:
    return "uint32";
  case TFM_DTYPE_U64:
    return "uint64";
  case TFM_DTYPE_BOOL:
    return "bool";
  case TFM_DTYPE_INVALID:
    break;
  }
  return "invalid";
}

size_t tfm_count_elements(int32_t rank, const int64_t *shape) {
  size_t count = 1;
  for (int32_t d = 0; d < rank; ++d)
    count *= (size_t)shape[d];
  return count;
}

size_t tfm_tensor_info_num_elements(const tfm_tensor_info *info) {
  size_t count = 1;
  for (int32_t i = 0; i < info->rank; ++i) {
    if (info->shape[i] < 0 ||
        __builtin_mul_overflow(count, (size_t)info->shape[i], &count))
      return SIZE_MAX;
  }
  return count;
}

size_t tfm_tensor_info_num_bytes(const tfm_tensor_info *info) {
  size_t count = tfm_tensor_info_num_elements(info), bytes;
  if (count == SIZE_MAX ||
      __builtin_mul_overflow(count, tfm_dtype_size((tfm_dtype)info->dtype),
                             &bytes))
    return SIZE_MAX;
  return bytes;
}

int tfm_tensor_info_is_dynamic(const tfm_tensor_info *info) {
  if (!info->dims)
    return 0;
  for (int32_t i = 0; i < info->rank; ++i)
    if (info->dims[i] >= 0)
      return 1;
  return 0;
}
