/*===- cuda.c - the CUDA driver, loaded at run time ---------------------===*/
/*
 * The driver API is resolved with dlopen/dlsym from libcuda.so.1 (the
 * library the NVIDIA driver installs; the toolkit's stub must not be
 * linked): programs that never use a GPU keep running where it is absent,
 * and those that do get a message saying what is missing.
 */

#include "internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

typedef int CUresult; /* CUDA_SUCCESS = 0 */

typedef struct tfm_cuda_driver {
  void *library;
  CUresult (*cuInit)(unsigned flags);
  CUresult (*cuDeviceGetCount)(int *count);
  CUresult (*cuGetErrorName)(CUresult error, const char **name);
  CUresult init_result;
  char load_error[512];
} tfm_cuda_driver;

static tfm_cuda_driver driver;
static pthread_once_t driver_once = PTHREAD_ONCE_INIT;

static void load_driver(void) {
  driver.library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!driver.library) {
    const char *why = dlerror();
    snprintf(driver.load_error, sizeof(driver.load_error),
             "the CUDA driver (libcuda.so.1) cannot be loaded: %s; is an "
             "NVIDIA driver installed?",
             why ? why : "unknown error");
    return;
  }
  /* The POSIX way to convert a data pointer from dlsym to a function
   * pointer: copy its bytes. */
  void *symbol;
#define TFM_RESOLVE(name)                                                      \
  symbol = dlsym(driver.library, #name);                                       \
  if (!symbol) {                                                               \
    snprintf(driver.load_error, sizeof(driver.load_error),                    \
             "the CUDA driver (libcuda.so.1) has no " #name);                 \
    dlclose(driver.library);                                                   \
    driver.library = NULL;                                                     \
    return;                                                                    \
  }                                                                            \
  memcpy(&driver.name, &symbol, sizeof(symbol));
  TFM_RESOLVE(cuInit)
  TFM_RESOLVE(cuDeviceGetCount)
  TFM_RESOLVE(cuGetErrorName)
#undef TFM_RESOLVE
  driver.init_result = driver.cuInit(0);
}

static const char *error_name(CUresult result) {
  const char *name = NULL;
  if (driver.cuGetErrorName && driver.cuGetErrorName(result, &name) == 0 &&
      name)
    return name;
  return "an unknown CUDA error";
}

const char *tfm_device_name(int32_t device) {
  switch (device) {
  case TFM_DEVICE_CPU:
    return "cpu";
  case TFM_DEVICE_CUDA:
    return "cuda";
  default:
    return "unknown";
  }
}

tfm_status tfm_cuda_device_count(int32_t *count) {
  tfm_clear_error();
  if (!count)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no place for the count");
  *count = 0;
  pthread_once(&driver_once, load_driver);
  if (!driver.library)
    return tfm_fail(TFM_ERROR_NO_DEVICE, "%s", driver.load_error);
  if (driver.init_result != 0)
    return tfm_fail(TFM_ERROR_NO_DEVICE,
                    "the CUDA driver failed to initialize: %s (%d)",
                    error_name(driver.init_result), driver.init_result);
  int devices = 0;
  CUresult result = driver.cuDeviceGetCount(&devices);
  if (result != 0)
    return tfm_fail(TFM_ERROR_NO_DEVICE, "cuDeviceGetCount failed: %s (%d)",
                    error_name(result), result);
  if (devices == 0)
    return tfm_fail(TFM_ERROR_NO_DEVICE,
                    "the CUDA driver is loaded but sees no GPU");
  *count = devices;
  return TFM_OK;
}
