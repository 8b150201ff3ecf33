/*===- mgpu.c - what the generated host code of GPU models calls --------===*/
/*
 * MLIR's lowering of gpu.binary and gpu.launch_func (the GPU dialect's
 * LLVM IR translation) calls a small runtime interface, `mgpu*`; upstream
 * implements it in a wrapper library that Debian's LLVM does not ship.
 * These are ours, over the driver loaded with dlopen:
 *
 *  - mgpuModuleLoad runs from a global constructor when the program or
 *    library is loaded, before any model exists and possibly where no
 *    GPU is: it only records the image. Images are loaded into the device
 *    context when a model is created (tfm_cuda_load_modules), so that an
 *    image the GPU cannot run fails there, with a message.
 *  - Launches, stream waits and the stream itself belong to the model run
 *    in progress on the calling thread (tfm_cuda_set_current_run): the
 *    host code's "stream create" hands out the model's stream, and its
 *    waits on that stream are left to the end of the run. The first
 *    failure is recorded for tfm_model_run to report; the launches after
 *    it are skipped.
 */

#include "cuda_driver.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A kernel function of a module, with its name for messages. */
typedef struct tfm_kernel {
  struct tfm_kernel *next;
  const char *name; /* the generated code's constant string */
  CUfunction function;
} tfm_kernel;

/* An image registered by the generated code. */
typedef struct tfm_kernel_module {
  struct tfm_kernel_module *next;
  const void *image;
  size_t size;
  CUmodule module; /* NULL until loaded */
  tfm_kernel *kernels;
} tfm_kernel_module;

static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;
static tfm_kernel_module *modules;
static _Thread_local tfm_cuda_run *current_run;

void tfm_cuda_set_current_run(tfm_cuda_run *run) { current_run = run; }

/* Records the first failure of the current run. */
static void record(CUresult result, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static void record(CUresult result, const char *format, ...) {
  tfm_cuda_run *run = current_run;
  if (!run || run->error != 0)
    return;
  run->error = result ? result : -1;
  va_list args;
  va_start(args, format);
  vsnprintf(run->message, sizeof(run->message), format, args);
  va_end(args);
}

tfm_status tfm_cuda_load_modules(const char *device_description) {
  tfm_status status = TFM_OK;
  pthread_mutex_lock(&modules_lock);
  int index = 0;
  for (tfm_kernel_module *m = modules; m; m = m->next, ++index) {
    if (m->module)
      continue;
    CUresult result = tfm_cuda.cuModuleLoadData(&m->module, m->image);
    if (result != 0) {
      m->module = NULL;
      status =
          tfm_fail(TFM_ERROR_NO_DEVICE,
                   "kernel image %d (%zu bytes) cannot be loaded on %s: "
                   "%s (%s); was the model compiled for this GPU's "
                   "--gpu-arch?",
                   index, m->size, device_description,
                   tfm_cuda_error_name(result), tfm_cuda_error_string(result));
      break;
    }
  }
  pthread_mutex_unlock(&modules_lock);
  return status;
}

/*===-- The interface of the generated code ------------------------------===*/
/* Not TFM_API: generated code is linked with the runtime, never across a
 * shared library's boundary. */

void *mgpuModuleLoad(void *image, size_t size) {
  tfm_kernel_module *m = (tfm_kernel_module *)calloc(1, sizeof(*m));
  if (!m)
    return NULL;
  m->image = image;
  m->size = size;
  pthread_mutex_lock(&modules_lock);
  m->next = modules;
  modules = m;
  pthread_mutex_unlock(&modules_lock);
  return m;
}

void mgpuModuleUnload(void *handle) {
  tfm_kernel_module *m = (tfm_kernel_module *)handle;
  if (!m)
    return;
  pthread_mutex_lock(&modules_lock);
  for (tfm_kernel_module **link = &modules; *link; link = &(*link)->next)
    if (*link == m) {
      *link = m->next;
      break;
    }
  pthread_mutex_unlock(&modules_lock);
  /* At exit the driver may be torn down already; its answer is moot. */
  if (m->module && tfm_cuda.cuModuleUnload)
    tfm_cuda.cuModuleUnload(m->module);
  while (m->kernels) {
    tfm_kernel *next = m->kernels->next;
    free(m->kernels);
    m->kernels = next;
  }
  free(m);
}

void *mgpuModuleGetFunction(void *handle, const char *name) {
  tfm_kernel_module *m = (tfm_kernel_module *)handle;
  if (!m) {
    record(-1, "kernel '%s': its image was not registered", name);
    return NULL;
  }
  pthread_mutex_lock(&modules_lock);
  tfm_kernel *kernel = m->kernels;
  while (kernel && kernel->name != name && strcmp(kernel->name, name) != 0)
    kernel = kernel->next;
  if (!kernel && m->module) {
    CUfunction function = NULL;
    CUresult result = tfm_cuda.cuModuleGetFunction(&function, m->module, name);
    if (result == 0 && (kernel = (tfm_kernel *)calloc(1, sizeof(*kernel)))) {
      kernel->name = name;
      kernel->function = function;
      kernel->next = m->kernels;
      m->kernels = kernel;
    } else if (result != 0) {
      record(result, "kernel '%s' is not in its image: %s", name,
             tfm_cuda_error_name(result));
    }
  } else if (!kernel) {
    record(-1, "kernel '%s': its image is not loaded (no model created it)",
           name);
  }
  pthread_mutex_unlock(&modules_lock);
  return kernel;
}

void *mgpuStreamCreate(void) {
  if (!current_run) {
    record(-1, "generated GPU code ran outside tfm_model_run");
    return NULL;
  }
  return current_run->stream;
}

void mgpuStreamDestroy(void *stream) {
  /* The model's stream outlives its runs. */
  (void)stream;
}

void mgpuStreamSynchronize(void *stream) {
  if (!current_run || current_run->error != 0)
    return;
  /* The model's stream is waited for once, when the run has copied its
   * outputs back: the host code between launches never reads device
   * memory (tfm-gpu-check-host-code), so its waits inside the entry
   * function (one per host loop iteration) would only stall the GPU. */
  if (stream == current_run->stream)
    return;
  CUresult result = tfm_cuda.cuStreamSynchronize((CUstream)stream);
  if (result != 0)
    record(result, "a kernel failed: %s (%s)", tfm_cuda_error_name(result),
           tfm_cuda_error_string(result));
}

void mgpuLaunchKernel(void *handle, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t paramCount) {
  (void)paramCount;
  tfm_kernel *kernel = (tfm_kernel *)handle;
  if (!current_run || current_run->error != 0 || !kernel)
    return;
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || blockX <= 0 || blockY <= 0 ||
      blockZ <= 0 || gridX > UINT32_MAX || gridY > 65535 || gridZ > 65535 ||
      blockX * blockY * blockZ > 1024) {
    record(-1,
           "kernel '%s': grid %ld x %ld x %ld of blocks %ld x %ld x %ld is "
           "outside the GPU's limits",
           kernel->name, (long)gridX, (long)gridY, (long)gridZ, (long)blockX,
           (long)blockY, (long)blockZ);
    return;
  }
  CUresult result = tfm_cuda.cuLaunchKernel(
      kernel->function, (unsigned)gridX, (unsigned)gridY, (unsigned)gridZ,
      (unsigned)blockX, (unsigned)blockY, (unsigned)blockZ,
      (unsigned)sharedBytes, (CUstream)stream, params, extra);
  if (result != 0)
    record(result, "kernel '%s' failed to launch: %s (%s)", kernel->name,
           tfm_cuda_error_name(result), tfm_cuda_error_string(result));
}
