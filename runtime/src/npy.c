/*===- npy.c - reading and writing NumPy .npy files ----------------------===*
 *
 * The format: "\x93NUMPY", a version, a little-endian header length, and
 * a Python dict literal {'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), } padded so that the data starts 64-byte aligned.
 *
 *===----------------------------------------------------------------------===*/

#include "npy.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
  const char *descr;
  tfm_dtype dtype;
} kDescrs[] = {
    {"<f4", TFM_DTYPE_F32}, {"<f2", TFM_DTYPE_F16}, {"<f8", TFM_DTYPE_F64},
    {"|i1", TFM_DTYPE_I8},  {"<i2", TFM_DTYPE_I16}, {"<i4", TFM_DTYPE_I32},
    {"<i8", TFM_DTYPE_I64}, {"|u1", TFM_DTYPE_U8},  {"<u2", TFM_DTYPE_U16},
    {"<u4", TFM_DTYPE_U32}, {"<u8", TFM_DTYPE_U64}, {"|b1", TFM_DTYPE_BOOL},
    {"<i1", TFM_DTYPE_I8},  {"<u1", TFM_DTYPE_U8},  {"<b1", TFM_DTYPE_BOOL},
};

float tfm_bf16_to_f32(uint16_t value) {
  uint32_t bits = (uint32_t)value << 16;
  float result;
  memcpy(&result, &bits, sizeof(result));
  return result;
}

uint16_t tfm_f32_to_bf16(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu))
    return (uint16_t)((bits >> 16) | 0x40u); /* quiet NaN */
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return (uint16_t)(bits >> 16);
}

float tfm_f16_to_f32(uint16_t value) {
  uint32_t sign = (uint32_t)(value & 0x8000u) << 16;
  uint32_t exponent = (value >> 10) & 0x1fu;
  uint32_t mantissa = value & 0x3ffu;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else { /* subnormal: normalize */
      exponent = 113;
      while (!(mantissa & 0x400u)) {
        mantissa <<= 1;
        --exponent;
      }
      bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  float result;
  memcpy(&result, &bits, sizeof(result));
  return result;
}

/* Finds `'key':` in the header dict and returns what follows, or NULL. */
static const char *find_key(const char *header, const char *key) {
  char pattern[32];
  snprintf(pattern, sizeof(pattern), "'%s'", key);
  const char *at = strstr(header, pattern);
  if (!at)
    return NULL;
  at = strchr(at + strlen(pattern), ':');
  if (!at)
    return NULL;
  ++at;
  while (*at == ' ')
    ++at;
  return at;
}

tfm_status tfm_npy_parse(const void *bytes, size_t size, tfm_npy_array *array) {
  memset(array, 0, sizeof(*array));
  const unsigned char *p = (const unsigned char *)bytes;
  if (size < 10 || memcmp(p, "\x93NUMPY", 6) != 0)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "not a .npy file");
  int major = p[6];
  size_t header_length, offset;
  if (major == 1) {
    header_length = (size_t)p[8] | ((size_t)p[9] << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "truncated .npy header");
    header_length = (size_t)p[8] | ((size_t)p[9] << 8) | ((size_t)p[10] << 16) |
                    ((size_t)p[11] << 24);
    offset = 12;
  } else {
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "unsupported .npy format version %d", major);
  }
  if (offset + header_length > size)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "truncated .npy header");
  char *header = (char *)malloc(header_length + 1);
  if (!header)
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  memcpy(header, p + offset, header_length);
  header[header_length] = '\0';

  tfm_status status = TFM_OK;
  const char *descr = find_key(header, "descr");
  const char *fortran = find_key(header, "fortran_order");
  const char *shape = find_key(header, "shape");
  if (!descr || !fortran || !shape || *descr != '\'' || *shape != '(') {
    status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "malformed .npy header");
    goto done;
  }
  array->dtype = TFM_DTYPE_INVALID;
  for (size_t i = 0; i < sizeof(kDescrs) / sizeof(kDescrs[0]); ++i) {
    size_t length = strlen(kDescrs[i].descr);
    if (strncmp(descr + 1, kDescrs[i].descr, length) == 0 &&
        descr[1 + length] == '\'') {
      array->dtype = kDescrs[i].dtype;
      break;
    }
  }
  if (array->dtype == TFM_DTYPE_INVALID) {
    const char *end = strchr(descr + 1, '\'');
    int length = end ? (int)(end - descr - 1) : 0;
    status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "unsupported .npy element type '%.*s' (expected a "
                      "little-endian number or bool)",
                      length, descr + 1);
    goto done;
  }
  if (strncmp(fortran, "False", 5) != 0) {
    status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "Fortran-ordered .npy arrays are not supported");
    goto done;
  }
  const char *cursor = shape + 1;
  while (1) {
    while (*cursor == ' ' || *cursor == ',')
      ++cursor;
    if (*cursor == ')')
      break;
    char *end;
    errno = 0;
    long long dim = strtoll(cursor, &end, 10);
    if (end == cursor || errno || dim < 0 || array->rank == TFM_NPY_MAX_RANK) {
      status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "malformed .npy shape");
      goto done;
    }
    array->shape[array->rank++] = dim;
    cursor = end;
  }
  size_t count = 1;
  for (int32_t i = 0; i < array->rank; ++i)
    if (__builtin_mul_overflow(count, (size_t)array->shape[i], &count) ||
        __builtin_mul_overflow(count, tfm_dtype_size(array->dtype),
                               &array->num_bytes)) {
      status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                        ".npy shape has more elements than memory can hold");
      goto done;
    }
  array->num_bytes = count * tfm_dtype_size(array->dtype);
  size_t data_offset = offset + header_length;
  if (size - data_offset < array->num_bytes) {
    status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      ".npy data is truncated: %zu bytes for %zu expected",
                      size - data_offset, array->num_bytes);
    goto done;
  }
  array->data = malloc(array->num_bytes ? array->num_bytes : 1);
  if (!array->data) {
    status = tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
    goto done;
  }
  memcpy(array->data, p + data_offset, array->num_bytes);
done:
  free(header);
  return status;
}

tfm_status tfm_npy_read(const char *path, tfm_npy_array *array) {
  memset(array, 0, sizeof(*array));
  struct stat st;
  if (stat(path, &st) != 0)
    return tfm_fail(TFM_ERROR_IO, "cannot open '%s': %s", path,
                    strerror(errno));
  if (S_ISDIR(st.st_mode))
    return tfm_fail(TFM_ERROR_IO, "'%s' is a directory, not a .npy file", path);
  if (!S_ISREG(st.st_mode))
    return tfm_fail(TFM_ERROR_IO,
                    "'%s' is not a regular file (a device, pipe or socket)",
                    path);
  FILE *file = fopen(path, "rb");
  if (!file)
    return tfm_fail(TFM_ERROR_IO, "cannot open '%s': %s", path,
                    strerror(errno));
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  if (size < 0) {
    fclose(file);
    return tfm_fail(TFM_ERROR_IO, "cannot read '%s'", path);
  }
  void *bytes = malloc((size_t)size + 1);
  if (!bytes) {
    fclose(file);
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  size_t read = fread(bytes, 1, (size_t)size, file);
  fclose(file);
  if (read != (size_t)size) {
    free(bytes);
    return tfm_fail(TFM_ERROR_IO, "cannot read '%s'", path);
  }
  tfm_status status = tfm_npy_parse(bytes, (size_t)size, array);
  free(bytes);
  if (status != TFM_OK) {
    char message[1024];
    snprintf(message, sizeof(message), "%s", tfm_last_error());
    return tfm_fail(status, "%s: %s", path, message);
  }
  return TFM_OK;
}

void tfm_npy_free(tfm_npy_array *array) {
  free(array->data);
  memset(array, 0, sizeof(*array));
}

tfm_status tfm_npy_write(const char *path, tfm_dtype dtype, int32_t rank,
                         const int64_t *shape, const void *data) {
  const char *descr = NULL;
  tfm_dtype stored = dtype == TFM_DTYPE_BF16 ? TFM_DTYPE_F32 : dtype;
  for (size_t i = 0; i < sizeof(kDescrs) / sizeof(kDescrs[0]); ++i)
    if (kDescrs[i].dtype == stored) {
      descr = kDescrs[i].descr;
      break;
    }
  if (!descr)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "cannot write type %s",
                    tfm_dtype_name(dtype));
  char dims[512] = "";
  size_t used = 0;
  size_t count = 1;
  for (int32_t i = 0; i < rank; ++i) {
    used += (size_t)snprintf(dims + used, sizeof(dims) - used,
                             rank == 1 ? "%lld," : (i ? ", %lld" : "%lld"),
                             (long long)shape[i]);
    if (used >= sizeof(dims))
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "shape too long");
    count *= (size_t)shape[i];
  }
  char header[1024];
  int length = snprintf(header, sizeof(header),
                        "{'descr': '%s', 'fortran_order': False, "
                        "'shape': (%s), }",
                        descr, dims);
  /* Pad with spaces so that magic + header ends on a 64-byte boundary. */
  size_t total = 10 + (size_t)length + 1;
  size_t padded = (total + 63) / 64 * 64;
  memset(header + length, ' ', padded - total);
  header[padded - 11] = '\n';
  size_t header_length = padded - 10;

  FILE *file = fopen(path, "wb");
  if (!file)
    return tfm_fail(TFM_ERROR_IO, "cannot create '%s': %s", path,
                    strerror(errno));
  unsigned char preamble[10] = {0x93,
                                'N',
                                'U',
                                'M',
                                'P',
                                'Y',
                                1,
                                0,
                                (unsigned char)(header_length & 0xff),
                                (unsigned char)(header_length >> 8)};
  int ok = fwrite(preamble, 1, 10, file) == 10 &&
           fwrite(header, 1, header_length, file) == header_length;
  if (ok && dtype == TFM_DTYPE_BF16) {
    const uint16_t *values = (const uint16_t *)data;
    for (size_t i = 0; ok && i < count; ++i) {
      float value = tfm_bf16_to_f32(values[i]);
      ok = fwrite(&value, sizeof(value), 1, file) == 1;
    }
  } else if (ok && count > 0) {
    size_t bytes = count * tfm_dtype_size(dtype);
    ok = fwrite(data, 1, bytes, file) == bytes;
  }
  if (fclose(file) != 0)
    ok = 0;
  if (!ok)
    return tfm_fail(TFM_ERROR_IO, "cannot write '%s'", path);
  return TFM_OK;
}
