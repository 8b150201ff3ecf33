/*===- npy.h - reading and writing NumPy .npy files ---------------------===*
 *
 * Used by the executable driver and tfm-run; not part of the public API.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TFM_RUNTIME_NPY_H
#define TFM_RUNTIME_NPY_H

#include "tfm_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TFM_NPY_MAX_RANK 16

typedef struct tfm_npy_array {
  tfm_dtype dtype;
  int32_t rank;
  int64_t shape[TFM_NPY_MAX_RANK];
  void *data; /* malloc'd, row-major */
  size_t num_bytes;
} tfm_npy_array;

/* Reads a little-endian, C-ordered .npy file (format 1.0-3.0). bfloat16
 * has no NumPy type: it is read from and written as float32. */
tfm_status tfm_npy_read(const char *path, tfm_npy_array *array);
void tfm_npy_free(tfm_npy_array *array);

/* Parses an in-memory .npy image (for tests and embedded data). */
tfm_status tfm_npy_parse(const void *bytes, size_t size, tfm_npy_array *array);

tfm_status tfm_npy_write(const char *path, tfm_dtype dtype, int32_t rank,
                         const int64_t *shape, const void *data);

/* bfloat16 <-> float32 (round to nearest even; NaN stays NaN). */
float tfm_bf16_to_f32(uint16_t value);
uint16_t tfm_f32_to_bf16(float value);
/* IEEE half <-> float32. */
float tfm_f16_to_f32(uint16_t value);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFM_RUNTIME_NPY_H */
