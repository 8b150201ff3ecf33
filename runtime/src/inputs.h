/*===- inputs.h - deterministic generated model inputs ------------------===*
 *
 * What executables and tfm-run feed a model when no input is given:
 * uniform [-1, 1) floats, ids in [0, index_limit) for integer inputs that
 * index a table, ones for masks, zeros for other integers, true booleans.
 * Not part of the public API.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TFM_RUNTIME_INPUTS_H
#define TFM_RUNTIME_INPUTS_H

#include "tfm_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* splitmix64: the same sequence on every platform. */
uint64_t tfm_next_random(uint64_t *state);

/* Fills the buffer of `info` with generated values. */
void tfm_generate_input(const tfm_tensor_info *info, void *data,
                        uint64_t *state);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFM_RUNTIME_INPUTS_H */
