/*===- model.c - model handles: create, describe, run --------------------===*/

#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The OpenMP runtime that generated code runs its parallel loops on. */
extern void omp_set_num_threads(int);

struct tfm_model {
  const tfm_model_desc *desc;
  tfm_weights weights;
  void *arena;
  void **args; /* weights, arena, inputs..., outputs... */
  uint64_t last_run_ns;
  tfm_timing_hook hook;
  void *hook_data;
};

uint64_t tfm_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static tfm_status check_tensor_infos(const tfm_model_desc *desc,
                                     const tfm_tensor_info *infos,
                                     int32_t count, const char *kind) {
  if (count < 0 || (count > 0 && !infos))
    return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                    "model '%s' has a malformed %s list", desc->name, kind);
  for (int32_t i = 0; i < count; ++i)
    if (tfm_dtype_size((tfm_dtype)infos[i].dtype) == 0 || infos[i].rank < 0)
      return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                      "model '%s' %s %d has an invalid type or rank",
                      desc->name, kind, (int)i);
  return TFM_OK;
}

tfm_status tfm_model_create(const tfm_model_desc *desc,
                            const tfm_model_options *options, tfm_model **out) {
  tfm_clear_error();
  if (!out)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no place for the model");
  *out = NULL;
  if (!desc)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model descriptor");
  if (desc->abi_version != TFM_ABI_VERSION)
    return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                    "model compiled for runtime ABI %u, this runtime is %u",
                    desc->abi_version, TFM_ABI_VERSION);
  if (!desc->entry)
    return tfm_fail(TFM_ERROR_ABI_MISMATCH, "model has no entry point");
  tfm_status status;
  if ((status = check_tensor_infos(desc, desc->inputs, desc->num_inputs,
                                   "input")) != TFM_OK ||
      (status = check_tensor_infos(desc, desc->outputs, desc->num_outputs,
                                   "output")) != TFM_OK)
    return status;

  tfm_model *model = (tfm_model *)calloc(1, sizeof(tfm_model));
  if (!model)
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  model->desc = desc;
  status = tfm_weights_load(desc, options ? options->weights_path : NULL,
                            &model->weights);
  if (status != TFM_OK) {
    free(model);
    return status;
  }
  /* Generated code assumes 64-byte aligned buffers. */
  size_t arena_bytes = ((size_t)desc->arena_size + 63) / 64 * 64;
  if (arena_bytes > 0) {
    model->arena = aligned_alloc(64, arena_bytes);
    if (!model->arena) {
      tfm_weights_release(&model->weights);
      free(model);
      return tfm_fail(TFM_ERROR_OUT_OF_MEMORY,
                      "cannot allocate %zu bytes for intermediate tensors",
                      arena_bytes);
    }
  }
  size_t num_args = 2 + (size_t)desc->num_inputs + (size_t)desc->num_outputs;
  model->args = (void **)calloc(num_args, sizeof(void *));
  if (!model->args) {
    tfm_model_destroy(model);
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  /* Generated code only reads the weights. */
  model->args[0] = (void *)(uintptr_t)model->weights.data;
  model->args[1] = model->arena;
  if (options && options->num_threads > 0)
    omp_set_num_threads(options->num_threads);
  *out = model;
  return TFM_OK;
}

void tfm_model_destroy(tfm_model *model) {
  if (!model)
    return;
  tfm_weights_release(&model->weights);
  free(model->arena);
  free(model->args);
  free(model);
}

const tfm_model_desc *tfm_model_get_desc(const tfm_model *model) {
  return model->desc;
}

int32_t tfm_model_num_inputs(const tfm_model *model) {
  return model->desc->num_inputs;
}

int32_t tfm_model_num_outputs(const tfm_model *model) {
  return model->desc->num_outputs;
}

const tfm_tensor_info *tfm_model_input(const tfm_model *model, int32_t index) {
  if (index < 0 || index >= model->desc->num_inputs)
    return NULL;
  return &model->desc->inputs[index];
}

const tfm_tensor_info *tfm_model_output(const tfm_model *model, int32_t index) {
  if (index < 0 || index >= model->desc->num_outputs)
    return NULL;
  return &model->desc->outputs[index];
}

static int32_t find_tensor(const tfm_tensor_info *infos, int32_t count,
                           const char *name) {
  if (!name)
    return -1;
  for (int32_t i = 0; i < count; ++i)
    if (infos[i].name && strcmp(infos[i].name, name) == 0)
      return i;
  return -1;
}

int32_t tfm_model_find_input(const tfm_model *model, const char *name) {
  return find_tensor(model->desc->inputs, model->desc->num_inputs, name);
}

int32_t tfm_model_find_output(const tfm_model *model, const char *name) {
  return find_tensor(model->desc->outputs, model->desc->num_outputs, name);
}

tfm_status tfm_model_run(tfm_model *model, const void *const *inputs,
                         void *const *outputs) {
  tfm_clear_error();
  if (!model)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model");
  const tfm_model_desc *desc = model->desc;
  if ((desc->num_inputs > 0 && !inputs) || (desc->num_outputs > 0 && !outputs))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no input or output array");
  void **slot = model->args + 2;
  for (int32_t i = 0; i < desc->num_inputs; ++i) {
    if (!inputs[i] && tfm_tensor_info_num_bytes(&desc->inputs[i]) > 0)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "input '%s' is NULL",
                      desc->inputs[i].name);
    *slot++ = (void *)(uintptr_t)inputs[i];
  }
  for (int32_t i = 0; i < desc->num_outputs; ++i) {
    if (!outputs[i] && tfm_tensor_info_num_bytes(&desc->outputs[i]) > 0)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "output '%s' is NULL",
                      desc->outputs[i].name);
    *slot++ = outputs[i];
  }
  uint64_t begin = tfm_now_ns();
  if (model->hook)
    model->hook(model->hook_data, "run_begin", begin);
  desc->entry(model->args);
  uint64_t end = tfm_now_ns();
  if (model->hook)
    model->hook(model->hook_data, "run_end", end);
  model->last_run_ns = end - begin;
  return TFM_OK;
}

uint64_t tfm_model_last_run_ns(const tfm_model *model) {
  return model->last_run_ns;
}

void tfm_model_set_timing_hook(tfm_model *model, tfm_timing_hook hook,
                               void *user_data) {
  model->hook = hook;
  model->hook_data = user_data;
}
