/*===- cuda_model.c - models that run on an NVIDIA GPU ------------------===*/
/*
 * A GPU model's entry function is host code that launches kernels on the
 * buffers it is given, which are device memory: the weights (copied once
 * at creation), the arena of intermediate tensors (planned at compile
 * time, allocated once) and one device buffer per input and output. A run
 * copies the caller's inputs in, launches, copies the outputs back and
 * waits, all on the model's one stream. Device 0 (or TFM_CUDA_DEVICE) and
 * its primary context are used.
 */

#include "cuda_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tfm_cuda_model {
  CUdevice device;
  CUcontext context;
  CUstream stream;
  char description[160]; /* "NVIDIA H100 (device 0, sm_90)" */
  int32_t num_buffers;   /* weights, arena, inputs..., outputs... */
  CUdeviceptr *buffers;
  int use_graph;     /* replay the launches as a CUDA graph */
  CUgraphExec graph; /* captured at the first run with use_graph */
};

static tfm_status cuda_fail(CUresult result, const char *what,
                            const tfm_cuda_model *model) {
  return tfm_fail(TFM_ERROR_NO_DEVICE, "%s failed on %s: %s (%s)", what,
                  model->description, tfm_cuda_error_name(result),
                  tfm_cuda_error_string(result));
}

/* The device the environment selects: TFM_CUDA_DEVICE, else 0. */
static tfm_status select_device(int32_t count, int *ordinal) {
  *ordinal = 0;
  const char *env = getenv("TFM_CUDA_DEVICE");
  if (!env || !*env)
    return TFM_OK;
  char *end;
  long value = strtol(env, &end, 10);
  if (*end != '\0' || value < 0 || value >= count)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "TFM_CUDA_DEVICE is '%s'; this machine has GPUs 0 to %d",
                    env, (int)count - 1);
  *ordinal = (int)value;
  return TFM_OK;
}

static tfm_status allocate(tfm_cuda_model *model, int32_t index, size_t bytes,
                           const char *what, const char *name) {
  if (bytes == 0)
    return TFM_OK;
  CUresult result = tfm_cuda.cuMemAlloc(&model->buffers[index], bytes);
  if (result != 0)
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY,
                    "cannot allocate %zu bytes of device memory for %s%s%s%s "
                    "on %s: %s",
                    bytes, what, name ? " '" : "", name ? name : "",
                    name ? "'" : "", model->description,
                    tfm_cuda_error_name(result));
  return TFM_OK;
}

/* Everything after the model's allocation: the device, its context, the
 * kernel images, the stream and the buffers, with the weights copied in.
 * On failure the caller destroys what was made. */
static tfm_status set_up(tfm_cuda_model *model, int ordinal,
                         const tfm_model_desc *desc, const uint8_t *weights,
                         size_t weights_size) {
  snprintf(model->description, sizeof(model->description), "GPU %d", ordinal);
  CUresult result = tfm_cuda.cuDeviceGet(&model->device, ordinal);
  if (result != 0)
    return cuda_fail(result, "cuDeviceGet", model);
  char name[96] = "";
  int major = 0, minor = 0;
  tfm_cuda.cuDeviceGetName(name, (int)sizeof(name), model->device);
  tfm_cuda.cuDeviceGetAttribute(
      &major, TFM_CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, model->device);
  tfm_cuda.cuDeviceGetAttribute(
      &minor, TFM_CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, model->device);
  snprintf(model->description, sizeof(model->description),
           "%s (GPU %d, sm_%d%d)", name[0] ? name : "an unnamed GPU", ordinal,
           major, minor);

  if ((result = tfm_cuda.cuDevicePrimaryCtxRetain(&model->context,
                                                  model->device)) != 0 ||
      (result = tfm_cuda.cuCtxSetCurrent(model->context)) != 0)
    return cuda_fail(result, "creating the context", model);
  tfm_status status = tfm_cuda_load_modules(model->description);
  if (status != TFM_OK)
    return status;
  if ((result = tfm_cuda.cuStreamCreate(&model->stream, 0)) != 0)
    return cuda_fail(result, "cuStreamCreate", model);

  if ((status = allocate(model, 0, weights_size, "the weights", NULL)) !=
          TFM_OK ||
      (status = allocate(model, 1, (size_t)desc->arena_size,
                         "intermediate tensors", NULL)) != TFM_OK)
    return status;
  for (int32_t i = 0; i < desc->num_inputs; ++i)
    if ((status =
             allocate(model, 2 + i, tfm_tensor_info_num_bytes(&desc->inputs[i]),
                      "input", desc->inputs[i].name)) != TFM_OK)
      return status;
  for (int32_t i = 0; i < desc->num_outputs; ++i)
    if ((status = allocate(model, 2 + desc->num_inputs + i,
                           tfm_tensor_info_num_bytes(&desc->outputs[i]),
                           "output", desc->outputs[i].name)) != TFM_OK)
      return status;
  if (weights_size > 0 && (result = tfm_cuda.cuMemcpyHtoD(
                               model->buffers[0], weights, weights_size)) != 0)
    return cuda_fail(result, "copying the weights to the device", model);
  return TFM_OK;
}

tfm_status tfm_cuda_model_create(const tfm_model_desc *desc,
                                 const uint8_t *weights, size_t weights_size,
                                 void **args, tfm_cuda_model **out) {
  *out = NULL;
  int32_t count = 0;
  tfm_status status = tfm_cuda_device_count(&count);
  if (status != TFM_OK) {
    /* Say which model needed the GPU. */
    char why[512];
    snprintf(why, sizeof(why), "%s", tfm_last_error());
    return tfm_fail(status, "model '%s' runs on a CUDA GPU: %s", desc->name,
                    why);
  }
  int ordinal;
  if ((status = select_device(count, &ordinal)) != TFM_OK)
    return status;

  tfm_cuda_model *model = (tfm_cuda_model *)calloc(1, sizeof(*model));
  if (!model)
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  model->num_buffers = 2 + desc->num_inputs + desc->num_outputs;
  model->buffers =
      (CUdeviceptr *)calloc((size_t)model->num_buffers, sizeof(CUdeviceptr));
  if (!model->buffers) {
    free(model);
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  if ((status = set_up(model, ordinal, desc, weights, weights_size)) !=
      TFM_OK) {
    tfm_cuda_model_destroy(model);
    return status;
  }
  for (int32_t i = 0; i < model->num_buffers; ++i)
    args[i] = (void *)(uintptr_t)model->buffers[i];
  *out = model;
  return TFM_OK;
}

tfm_status tfm_cuda_model_run(tfm_cuda_model *model, const tfm_model_desc *desc,
                              void **args, const void *const *inputs,
                              void *const *outputs) {
  CUresult result = tfm_cuda.cuCtxSetCurrent(model->context);
  if (result != 0)
    return cuda_fail(result, "making the context current", model);
  for (int32_t i = 0; i < desc->num_inputs; ++i) {
    size_t bytes = tfm_tensor_info_num_bytes(&desc->inputs[i]);
    if (bytes > 0 &&
        (result = tfm_cuda.cuMemcpyHtoDAsync(model->buffers[2 + i], inputs[i],
                                             bytes, model->stream)) != 0)
      return cuda_fail(result, "copying an input to the device", model);
  }
  if (model->graph) {
    if ((result = tfm_cuda.cuGraphLaunch(model->graph, model->stream)) != 0)
      return cuda_fail(result, "launching the model's CUDA graph", model);
  } else {
    /* The buffers never move, so the launches of one run, captured, are
     * those of every run. */
    int capture = model->use_graph;
    if (capture &&
        (result = tfm_cuda.cuStreamBeginCapture(
             model->stream, TFM_CU_STREAM_CAPTURE_MODE_THREAD_LOCAL)) != 0)
      return cuda_fail(result, "starting a CUDA graph capture", model);
    tfm_cuda_run run;
    memset(&run, 0, sizeof(run));
    run.stream = model->stream;
    tfm_cuda_set_current_run(&run);
    desc->entry(args);
    tfm_cuda_set_current_run(NULL);
    CUgraph graph = NULL;
    if (capture) {
      result = tfm_cuda.cuStreamEndCapture(model->stream, &graph);
      if (result == 0 && run.error == 0)
        result = tfm_cuda.cuGraphInstantiate(&model->graph, graph, 0);
      if (graph)
        tfm_cuda.cuGraphDestroy(graph);
      if (result != 0 && run.error == 0)
        return cuda_fail(result, "capturing the model's CUDA graph", model);
      if (run.error == 0 &&
          (result = tfm_cuda.cuGraphLaunch(model->graph, model->stream)) != 0)
        return cuda_fail(result, "launching the model's CUDA graph", model);
    }
    if (run.error != 0) {
      /* Let the stream drain before the buffers are reused. */
      tfm_cuda.cuStreamSynchronize(model->stream);
      return tfm_fail(TFM_ERROR_NO_DEVICE, "model '%s' on %s: %s", desc->name,
                      model->description, run.message);
    }
  }
  for (int32_t i = 0; i < desc->num_outputs; ++i) {
    size_t bytes = tfm_tensor_info_num_bytes(&desc->outputs[i]);
    CUdeviceptr source = model->buffers[2 + desc->num_inputs + i];
    if (bytes > 0 && (result = tfm_cuda.cuMemcpyDtoHAsync(
                          outputs[i], source, bytes, model->stream)) != 0)
      return cuda_fail(result, "copying an output from the device", model);
  }
  if ((result = tfm_cuda.cuStreamSynchronize(model->stream)) != 0)
    return cuda_fail(result, "running the model's kernels", model);
  return TFM_OK;
}

tfm_status tfm_cuda_model_set_graph(tfm_cuda_model *model, int enabled) {
  if (enabled &&
      (!tfm_cuda.cuStreamBeginCapture || !tfm_cuda.cuStreamEndCapture ||
       !tfm_cuda.cuGraphInstantiate || !tfm_cuda.cuGraphLaunch ||
       !tfm_cuda.cuGraphExecDestroy || !tfm_cuda.cuGraphDestroy))
    return tfm_fail(TFM_ERROR_NO_DEVICE,
                    "the CUDA driver of %s has no graph API (CUDA 11.4 or "
                    "later is needed)",
                    model->description);
  model->use_graph = enabled != 0;
  if (!model->use_graph && model->graph) {
    tfm_cuda.cuGraphExecDestroy(model->graph);
    model->graph = NULL;
  }
  return TFM_OK;
}

void tfm_cuda_model_destroy(tfm_cuda_model *model) {
  if (!model)
    return;
  if (model->context) {
    tfm_cuda.cuCtxSetCurrent(model->context);
    if (model->graph)
      tfm_cuda.cuGraphExecDestroy(model->graph);
    if (model->stream)
      tfm_cuda.cuStreamDestroy(model->stream);
    for (int32_t i = 0; i < model->num_buffers; ++i)
      if (model->buffers[i])
        tfm_cuda.cuMemFree(model->buffers[i]);
    tfm_cuda.cuDevicePrimaryCtxRelease(model->device);
  }
  free(model->buffers);
  free(model);
}
