/*===- cuda.c - the CUDA driver, loaded at run time ---------------------===*/
/*
 * The driver API is resolved with dlopen/dlsym from libcuda.so.1 (the
 * library the NVIDIA driver installs; the toolkit's stub must not be
 * linked): programs that never use a GPU keep running where it is absent,
 * and those that do get a message saying what is missing.
 */

#include "cuda_driver.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

tfm_cuda_driver tfm_cuda;
static pthread_once_t driver_once = PTHREAD_ONCE_INIT;

static void load_driver(void) {
  tfm_cuda_driver *d = &tfm_cuda;
  d->library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!d->library) {
    const char *why = dlerror();
    snprintf(d->load_error, sizeof(d->load_error),
             "the CUDA driver (libcuda.so.1) cannot be loaded: %s; is an "
             "NVIDIA driver installed?",
             why ? why : "unknown error");
    return;
  }
  /* The POSIX way to convert a data pointer from dlsym to a function
   * pointer: copy its bytes. Versioned entry points (_v2) are the ones
   * the toolkit's headers select. */
  void *symbol;
#define TFM_RESOLVE(field, name)                                               \
  symbol = dlsym(d->library, name);                                            \
  if (!symbol) {                                                               \
    snprintf(d->load_error, sizeof(d->load_error),                             \
             "the CUDA driver (libcuda.so.1) has no %s", name);                \
    dlclose(d->library);                                                       \
    d->library = NULL;                                                         \
    return;                                                                    \
  }                                                                            \
  memcpy(&d->field, &symbol, sizeof(symbol));
  TFM_RESOLVE(cuInit, "cuInit")
  TFM_RESOLVE(cuDeviceGetCount, "cuDeviceGetCount")
  TFM_RESOLVE(cuGetErrorName, "cuGetErrorName")
  TFM_RESOLVE(cuGetErrorString, "cuGetErrorString")
  TFM_RESOLVE(cuDeviceGet, "cuDeviceGet")
  TFM_RESOLVE(cuDeviceGetName, "cuDeviceGetName")
  TFM_RESOLVE(cuDeviceGetAttribute, "cuDeviceGetAttribute")
  TFM_RESOLVE(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain")
  TFM_RESOLVE(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2")
  TFM_RESOLVE(cuCtxSetCurrent, "cuCtxSetCurrent")
  TFM_RESOLVE(cuStreamCreate, "cuStreamCreate")
  TFM_RESOLVE(cuStreamDestroy, "cuStreamDestroy_v2")
  TFM_RESOLVE(cuStreamSynchronize, "cuStreamSynchronize")
  TFM_RESOLVE(cuMemAlloc, "cuMemAlloc_v2")
  TFM_RESOLVE(cuMemFree, "cuMemFree_v2")
  TFM_RESOLVE(cuMemcpyHtoD, "cuMemcpyHtoD_v2")
  TFM_RESOLVE(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2")
  TFM_RESOLVE(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2")
  TFM_RESOLVE(cuModuleLoadData, "cuModuleLoadData")
  TFM_RESOLVE(cuModuleUnload, "cuModuleUnload")
  TFM_RESOLVE(cuModuleGetFunction, "cuModuleGetFunction")
  TFM_RESOLVE(cuLaunchKernel, "cuLaunchKernel")
#undef TFM_RESOLVE
  /* Optional entry points. */
#define TFM_RESOLVE_OPTIONAL(field, name)                                      \
  symbol = dlsym(d->library, name);                                            \
  memcpy(&d->field, &symbol, sizeof(symbol));
  TFM_RESOLVE_OPTIONAL(cuStreamBeginCapture, "cuStreamBeginCapture_v2")
  TFM_RESOLVE_OPTIONAL(cuStreamEndCapture, "cuStreamEndCapture")
  TFM_RESOLVE_OPTIONAL(cuGraphInstantiate, "cuGraphInstantiateWithFlags")
  TFM_RESOLVE_OPTIONAL(cuGraphLaunch, "cuGraphLaunch")
  TFM_RESOLVE_OPTIONAL(cuGraphExecDestroy, "cuGraphExecDestroy")
  TFM_RESOLVE_OPTIONAL(cuGraphDestroy, "cuGraphDestroy")
#undef TFM_RESOLVE_OPTIONAL
  d->init_result = d->cuInit(0);
}

const char *tfm_cuda_error_name(CUresult result) {
  const char *name = NULL;
  if (tfm_cuda.cuGetErrorName && tfm_cuda.cuGetErrorName(result, &name) == 0 &&
      name)
    return name;
  return "an unknown CUDA error";
}

const char *tfm_cuda_error_string(CUresult result) {
  const char *text = NULL;
  if (tfm_cuda.cuGetErrorString &&
      tfm_cuda.cuGetErrorString(result, &text) == 0 && text)
    return text;
  return "no description";
}

tfm_status tfm_cuda_load_driver(void) {
  pthread_once(&driver_once, load_driver);
  if (!tfm_cuda.library)
    return tfm_fail(TFM_ERROR_NO_DEVICE, "%s", tfm_cuda.load_error);
  if (tfm_cuda.init_result != 0)
    return tfm_fail(
        TFM_ERROR_NO_DEVICE, "the CUDA driver failed to initialize: %s (%d)",
        tfm_cuda_error_name(tfm_cuda.init_result), tfm_cuda.init_result);
  return TFM_OK;
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
  tfm_status status = tfm_cuda_load_driver();
  if (status != TFM_OK)
    return status;
  int devices = 0;
  CUresult result = tfm_cuda.cuDeviceGetCount(&devices);
  if (result != 0)
    return tfm_fail(TFM_ERROR_NO_DEVICE, "cuDeviceGetCount failed: %s (%d)",
                    tfm_cuda_error_name(result), result);
  if (devices == 0)
    return tfm_fail(TFM_ERROR_NO_DEVICE,
                    "the CUDA driver is loaded but sees no GPU");
  *count = devices;
  return TFM_OK;
}
