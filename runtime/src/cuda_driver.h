/*===- cuda_driver.h - the CUDA driver API the runtime uses ------------===*/
/*
 * The few driver types and entry points the runtime calls, declared here
 * (the toolkit's cuda.h is not needed to build the runtime) and resolved
 * from libcuda.so.1 at run time by cuda.c.
 */

#ifndef TFM_RUNTIME_CUDA_DRIVER_H
#define TFM_RUNTIME_CUDA_DRIVER_H

#include "internal.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int CUresult; /* CUDA_SUCCESS = 0 */
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUgraph_st *CUgraph;
typedef struct CUgraphExec_st *CUgraphExec;

/* cuStreamBeginCapture's mode: only this thread's calls are captured. */
enum { TFM_CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1 };

/* cuDeviceGetAttribute: the compute capability. */
enum {
  TFM_CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
  TFM_CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
};

typedef struct tfm_cuda_driver {
  void *library;
  CUresult (*cuInit)(unsigned flags);
  CUresult (*cuDeviceGetCount)(int *count);
  CUresult (*cuGetErrorName)(CUresult error, const char **name);
  CUresult (*cuGetErrorString)(CUresult error, const char **text);
  CUresult (*cuDeviceGet)(CUdevice *device, int ordinal);
  CUresult (*cuDeviceGetName)(char *name, int length, CUdevice device);
  CUresult (*cuDeviceGetAttribute)(int *value, int attribute, CUdevice device);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *context, CUdevice device);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice device);
  CUresult (*cuCtxSetCurrent)(CUcontext context);
  CUresult (*cuStreamCreate)(CUstream *stream, unsigned flags);
  CUresult (*cuStreamDestroy)(CUstream stream);
  CUresult (*cuStreamSynchronize)(CUstream stream);
  CUresult (*cuMemAlloc)(CUdeviceptr *pointer, size_t bytes);
  CUresult (*cuMemFree)(CUdeviceptr pointer);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr destination, const void *source,
                           size_t bytes);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr destination, const void *source,
                                size_t bytes, CUstream stream);
  CUresult (*cuMemcpyDtoHAsync)(void *destination, CUdeviceptr source,
                                size_t bytes, CUstream stream);
  CUresult (*cuModuleLoadData)(CUmodule *module, const void *image);
  CUresult (*cuModuleUnload)(CUmodule module);
  CUresult (*cuModuleGetFunction)(CUfunction *function, CUmodule module,
                                  const char *name);
  CUresult (*cuLaunchKernel)(CUfunction function, unsigned gridX,
                             unsigned gridY, unsigned gridZ, unsigned blockX,
                             unsigned blockY, unsigned blockZ,
                             unsigned sharedBytes, CUstream stream,
                             void **params, void **extra);
  /* CUDA graphs (optional: NULL when the driver lacks them). */
  CUresult (*cuStreamBeginCapture)(CUstream stream, int mode);
  CUresult (*cuStreamEndCapture)(CUstream stream, CUgraph *graph);
  CUresult (*cuGraphInstantiate)(CUgraphExec *exec, CUgraph graph,
                                 unsigned long long flags);
  CUresult (*cuGraphLaunch)(CUgraphExec exec, CUstream stream);
  CUresult (*cuGraphExecDestroy)(CUgraphExec exec);
  CUresult (*cuGraphDestroy)(CUgraph graph);
  CUresult init_result;
  char load_error[512];
} tfm_cuda_driver;

/* The driver's entry points, valid once tfm_cuda_load_driver succeeded. */
extern tfm_cuda_driver tfm_cuda;

/* Loads and initializes the driver once per process; fails with
 * TFM_ERROR_NO_DEVICE and a message naming the cause. */
tfm_status tfm_cuda_load_driver(void);

/* "CUDA_ERROR_..." and the driver's description of `result`. */
const char *tfm_cuda_error_name(CUresult result);
const char *tfm_cuda_error_string(CUresult result);

/*===-- Kernel modules (mgpu.c) -----------------------------------------===*/

/* Loads every kernel module the program's generated code registered into
 * the current context, so that a module the device cannot run (a cubin
 * for another architecture) fails model creation, naming the device. */
tfm_status tfm_cuda_load_modules(const char *device_description);

/* What the generated host code's launches run on while a model runs: its
 * stream, and the first failure of a launch (the rest are skipped). */
typedef struct tfm_cuda_run {
  CUstream stream;
  CUresult error;
  char message[512];
} tfm_cuda_run;

/* Makes `run` the calling thread's current run (NULL: none). */
void tfm_cuda_set_current_run(tfm_cuda_run *run);

/*===-- Device models (cuda_model.c) ------------------------------------===*/

typedef struct tfm_cuda_model tfm_cuda_model;

/* Creates the device side of a model: its context and stream, the
 * weights copied to the device, the arena and the device buffers of the
 * inputs and outputs, written into args (weights, arena, inputs...,
 * outputs...). */
tfm_status tfm_cuda_model_create(const tfm_model_desc *desc,
                                 const uint8_t *weights, size_t weights_size,
                                 void **args, tfm_cuda_model **out);
/* Copies the inputs in, runs `desc->entry` on `args` (or replays its
 * launches as a CUDA graph, see tfm_cuda_model_set_graph), copies the
 * outputs out, and waits for the stream. */
tfm_status tfm_cuda_model_run(tfm_cuda_model *model, const tfm_model_desc *desc,
                              void **args, const void *const *inputs,
                              void *const *outputs);
void tfm_cuda_model_destroy(tfm_cuda_model *model);
/* Captures the entry's launches into a CUDA graph at the next run and
 * replays the graph from then on (enabled != 0), or launches them one by
 * one (0, the default). */
tfm_status tfm_cuda_model_set_graph(tfm_cuda_model *model, int enabled);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFM_RUNTIME_CUDA_DRIVER_H */
