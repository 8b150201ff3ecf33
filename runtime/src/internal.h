/*===- internal.h - shared declarations of the runtime sources ----------===*/

#ifndef TFM_RUNTIME_INTERNAL_H
#define TFM_RUNTIME_INTERNAL_H

#include "tfm_runtime.h"

#include <stdarg.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Records a printf-style message for tfm_last_error() and returns `status`. */
tfm_status tfm_fail(tfm_status status, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void tfm_clear_error(void);

/* Elements of a tensor of `rank` dimensions in `shape`, unchecked: for a
 * shape within a tensor's described bounds (which tfm_model_create checks
 * fit size_t) or one a .npy file held. */
size_t tfm_count_elements(int32_t rank, const int64_t *shape);

/* The weights blob of a model: borrowed from read-only data, or a private
 * read-only mapping of the side file. */
typedef struct tfm_weights {
  const uint8_t *data;
  size_t size;
  void *mapping; /* non-NULL when mapped */
  size_t mapping_size;
  bool shared; /* the mapping is counted in weights.c's shared list */
} tfm_weights;

/* Resolves and maps the weights of `desc`. */
tfm_status tfm_weights_load(const tfm_model_desc *desc, const char *path,
                            tfm_weights *weights);
void tfm_weights_release(tfm_weights *weights);

/* The side file path for `desc`: `explicit_path` if given, else the weights
 * file name in the directory of the module that contains `desc`. Writes at
 * most `capacity` bytes; returns false when it does not fit. */
bool tfm_weights_resolve_path(const tfm_model_desc *desc,
                              const char *explicit_path, char *out,
                              size_t capacity);

/* Opens a shared library built by tfmc --emit=lib (a bare file name is
 * looked up in the working directory, not the library path) and returns
 * its model's descriptor, the library's handle in `library`; NULL, with a
 * message naming `path` for tfm_last_error(), when it cannot be loaded or
 * holds no model. The library stays loaded. */
const tfm_model_desc *tfm_open_model_library(const char *path, void **library);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFM_RUNTIME_INTERNAL_H */
