/*===- checksum.h - the weights file checksum ---------------------------===*
 *
 * One function shared by tfmc, which records the checksum of a weights side
 * file in the model's descriptor, and the runtime, which checks the file it
 * maps against it. Compiled into both from checksum.c.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TFM_RUNTIME_CHECKSUM_H
#define TFM_RUNTIME_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A 64-bit checksum of `size` bytes: four independent multiply-xorshift
 * lanes over 8-byte words (about 10 GB/s), folded with the length. Any
 * change of one word changes the result; it is not a cryptographic hash. */
uint64_t tfm_checksum(const void *data, size_t size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFM_RUNTIME_CHECKSUM_H */
