/*===- model.c - model handles: create, describe, run --------------------===*/

#include "cuda_driver.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The OpenMP runtime that generated code runs its parallel loops on. */
extern void omp_set_num_threads(int);

struct tfm_model {
  const tfm_model_desc *desc;
  tfm_weights weights;
  void *arena;
  void **args; /* weights, arena, inputs..., outputs... (, dims) */
  /* The shapes inputs run with, then outputs' shapes from the last run
   * (rank entries each, from shape_at). */
  int64_t *shapes;
  size_t *shape_offsets;
  /* Dynamic dimensions: the symbols' sizes, then the outputs'. */
  int64_t *dims;
  tfm_cuda_model *cuda; /* the device side of a CUDA model */
  uint64_t last_run_ns;
  tfm_timing_hook hook;
  void *hook_data;
  int check_indices;
};

uint64_t tfm_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The largest index a tensor's `dims` may hold: symbols for inputs, the
 * outputs' dynamic sizes for outputs. */
static tfm_status check_tensor_infos(const tfm_model_desc *desc,
                                     const tfm_tensor_info *infos,
                                     int32_t count, const char *kind,
                                     int32_t num_dims) {
  if (count < 0 || (count > 0 && !infos))
    return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                    "model '%s' has a malformed %s list", desc->name, kind);
  for (int32_t i = 0; i < count; ++i) {
    if (tfm_dtype_size((tfm_dtype)infos[i].dtype) == 0 || infos[i].rank < 0 ||
        (infos[i].rank > 0 && !infos[i].shape))
      return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                      "model '%s' %s %d has an invalid type or rank",
                      desc->name, kind, (int)i);
    for (int32_t d = 0; infos[i].dims && d < infos[i].rank; ++d)
      if (infos[i].dims[d] < -1 || infos[i].dims[d] >= num_dims)
        return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                        "model '%s' %s %d has an invalid dynamic dimension",
                        desc->name, kind, (int)i);
    if (tfm_tensor_info_num_bytes(&infos[i]) == SIZE_MAX)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "model '%s' %s %d is too large for this machine's "
                      "address space",
                      desc->name, kind, (int)i);
  }
  return TFM_OK;
}

/* The thread count this process will use: an explicit one, else
 * OMP_NUM_THREADS, which libomp would otherwise abort on when it is
 * beyond what the system can create. */
static tfm_status check_threads(const tfm_model_options *options) {
  if (options && options->num_threads != 0) {
    if (options->num_threads < 0 || options->num_threads > TFM_MAX_THREADS)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "num_threads is %d; expected 1 to %d (0: all cores)",
                      (int)options->num_threads, TFM_MAX_THREADS);
    return TFM_OK;
  }
  const char *env = getenv("OMP_NUM_THREADS");
  if (env && *env) {
    char *end;
    long value = strtol(env, &end, 10);
    if (*end == ',' || *end == '\0') {
      if (value < 1 || value > TFM_MAX_THREADS)
        return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                        "OMP_NUM_THREADS is '%s'; expected 1 to %d", env,
                        TFM_MAX_THREADS);
    }
  }
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
  if (desc->device != TFM_DEVICE_CPU && desc->device != TFM_DEVICE_CUDA)
    return tfm_fail(TFM_ERROR_NO_DEVICE,
                    "model '%s' is for device %d (%s); this runtime runs "
                    "CPU and CUDA models",
                    desc->name ? desc->name : "?", desc->device,
                    tfm_device_name(desc->device));
  if (desc->num_symbols < 0 || desc->num_output_dims < 0 ||
      (desc->num_symbols > 0 && !desc->symbols))
    return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                    "model '%s' has a malformed list of dynamic dimensions",
                    desc->name);
  for (int32_t k = 0; k < desc->num_symbols; ++k) {
    const tfm_symbol_info *symbol = &desc->symbols[k];
    /* A derived symbol: a symbol of its own plus an offset up to the bound. */
    int derived_ok =
        symbol->base < 0 ||
        (symbol->base < desc->num_symbols && symbol->base != k &&
         desc->symbols[symbol->base].base < 0 && symbol->offset >= 0 &&
         symbol->offset <= symbol->bound &&
         desc->symbols[symbol->base].bound == symbol->bound - symbol->offset);
    if (!symbol->name || symbol->bound < 0 || !derived_ok)
      return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                      "model '%s' has a malformed dynamic dimension %d",
                      desc->name, (int)k);
  }
  int dynamic = desc->num_symbols + desc->num_output_dims > 0;
  if (dynamic && desc->device != TFM_DEVICE_CPU)
    return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                    "model '%s' has dynamic dimensions, which this runtime "
                    "runs on the CPU only",
                    desc->name);
  tfm_status status;
  if ((status = check_tensor_infos(desc, desc->inputs, desc->num_inputs,
                                   "input", desc->num_symbols)) != TFM_OK ||
      (status = check_tensor_infos(desc, desc->outputs, desc->num_outputs,
                                   "output", desc->num_output_dims)) !=
          TFM_OK ||
      (status = check_threads(options)) != TFM_OK)
    return status;
  if (desc->arena_size > SIZE_MAX - 63)
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY,
                    "model '%s' needs %llu bytes for intermediate tensors",
                    desc->name, (unsigned long long)desc->arena_size);

  tfm_model *model = (tfm_model *)calloc(1, sizeof(tfm_model));
  if (!model)
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  model->desc = desc;
  model->check_indices = 1;
  status = tfm_weights_load(desc, options ? options->weights_path : NULL,
                            &model->weights);
  if (status != TFM_OK) {
    free(model);
    return status;
  }
  size_t num_tensors = (size_t)desc->num_inputs + (size_t)desc->num_outputs;
  size_t num_args = 2 + num_tensors + (dynamic ? 1 : 0);
  size_t num_sizes = 0;
  for (int32_t i = 0; i < desc->num_inputs; ++i)
    num_sizes += (size_t)desc->inputs[i].rank;
  for (int32_t i = 0; i < desc->num_outputs; ++i)
    num_sizes += (size_t)desc->outputs[i].rank;
  model->args = (void **)calloc(num_args, sizeof(void *));
  model->shapes = (int64_t *)calloc(num_sizes + 1, sizeof(int64_t));
  model->shape_offsets = (size_t *)calloc(num_tensors + 1, sizeof(size_t));
  if (dynamic)
    model->dims = (int64_t *)calloc((size_t)desc->num_symbols +
                                        (size_t)desc->num_output_dims,
                                    sizeof(int64_t));
  if (!model->args || !model->shapes || !model->shape_offsets ||
      (dynamic && !model->dims)) {
    tfm_model_destroy(model);
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  /* Every tensor starts at its described shape (a dynamic one's bounds). */
  size_t offset = 0;
  for (size_t t = 0; t < num_tensors; ++t) {
    const tfm_tensor_info *info = t < (size_t)desc->num_inputs
                                      ? &desc->inputs[t]
                                      : &desc->outputs[t - desc->num_inputs];
    model->shape_offsets[t] = offset;
    for (int32_t d = 0; d < info->rank; ++d)
      model->shapes[offset++] = info->shape[d];
  }
  if (dynamic)
    model->args[num_args - 1] = model->dims;
  if (desc->device == TFM_DEVICE_CUDA) {
    /* The weights are copied to the device; the host's view is let go. */
    status =
        tfm_cuda_model_create(desc, model->weights.data, model->weights.size,
                              model->args, &model->cuda);
    tfm_weights_release(&model->weights);
    if (status != TFM_OK) {
      tfm_model_destroy(model);
      return status;
    }
    *out = model;
    return TFM_OK;
  }
  /* Generated code assumes 64-byte aligned buffers. */
  size_t arena_bytes = ((size_t)desc->arena_size + 63) / 64 * 64;
  if (arena_bytes > 0) {
    model->arena = aligned_alloc(64, arena_bytes);
    if (!model->arena) {
      tfm_model_destroy(model);
      return tfm_fail(TFM_ERROR_OUT_OF_MEMORY,
                      "cannot allocate %zu bytes for intermediate tensors",
                      arena_bytes);
    }
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
  tfm_cuda_model_destroy(model->cuda);
  tfm_weights_release(&model->weights);
  free(model->arena);
  free(model->args);
  free(model->shapes);
  free(model->shape_offsets);
  free(model->dims);
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

/* Element `i` of an integer input as int64 (uint64 values past INT64_MAX
 * are out of any table's range anyway). */
static int64_t integer_at(const void *data, tfm_dtype dtype, size_t i) {
  switch (dtype) {
  case TFM_DTYPE_I8:
    return ((const int8_t *)data)[i];
  case TFM_DTYPE_I16:
    return ((const int16_t *)data)[i];
  case TFM_DTYPE_I32:
    return ((const int32_t *)data)[i];
  case TFM_DTYPE_I64:
    return ((const int64_t *)data)[i];
  case TFM_DTYPE_U8:
    return ((const uint8_t *)data)[i];
  case TFM_DTYPE_U16:
    return ((const uint16_t *)data)[i];
  case TFM_DTYPE_U32:
    return ((const uint32_t *)data)[i];
  case TFM_DTYPE_U64: {
    uint64_t v = ((const uint64_t *)data)[i];
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
  }
  default:
    return 0;
  }
}

/* The current shape of input `t`, or of output `t - num_inputs`. */
static int64_t *shape_at(const tfm_model *model, size_t t) {
  return model->shapes + model->shape_offsets[t];
}

/* Ids outside [-limit, limit) of inputs that index a table. */
static tfm_status check_indices(const tfm_model *model,
                                const void *const *inputs) {
  const tfm_model_desc *desc = model->desc;
  for (int32_t i = 0; i < desc->num_inputs; ++i) {
    const tfm_tensor_info *info = &desc->inputs[i];
    int64_t limit = info->index_limit;
    if (limit <= 0)
      continue;
    tfm_dtype dtype = (tfm_dtype)info->dtype;
    size_t count = tfm_count_elements(info->rank, shape_at(model, (size_t)i));
    for (size_t e = 0; e < count; ++e) {
      int64_t v = integer_at(inputs[i], dtype, e);
      if (v < -limit || v >= limit)
        return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                        "input '%s' holds %lld at element %zu, outside "
                        "[%lld, %lld): it indexes a table of %lld rows",
                        info->name, (long long)v, e, (long long)-limit,
                        (long long)limit, (long long)limit);
    }
  }
  return TFM_OK;
}

tfm_status tfm_model_set_cuda_graph(tfm_model *model, int enabled) {
  tfm_clear_error();
  if (!model)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model");
  if (!model->cuda)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s' runs on the CPU: CUDA graphs apply to CUDA "
                    "models",
                    model->desc->name);
  return tfm_cuda_model_set_graph(model->cuda, enabled);
}

void tfm_model_set_check_indices(tfm_model *model, int enabled) {
  model->check_indices = enabled != 0;
}

tfm_status tfm_model_set_input_shape(tfm_model *model, int32_t index,
                                     const int64_t *shape) {
  tfm_clear_error();
  if (!model)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model");
  const tfm_model_desc *desc = model->desc;
  if (index < 0 || index >= desc->num_inputs)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s' has no input %d (it has %d)", desc->name,
                    (int)index, (int)desc->num_inputs);
  const tfm_tensor_info *info = &desc->inputs[index];
  if (info->rank > 0 && !shape)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no shape for input '%s'",
                    info->name);
  for (int32_t d = 0; d < info->rank; ++d) {
    int dynamic = info->dims && info->dims[d] >= 0;
    if (!dynamic && shape[d] != info->shape[d])
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "input '%s' dimension %d is %lld, not %lld: it is "
                      "static",
                      info->name, (int)d, (long long)info->shape[d],
                      (long long)shape[d]);
    if (!dynamic)
      continue;
    const tfm_symbol_info *symbol = &desc->symbols[info->dims[d]];
    int64_t least = symbol->base >= 0 ? symbol->offset : 0;
    if (shape[d] < least || shape[d] > info->shape[d]) {
      if (symbol->base >= 0)
        return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                        "input '%s' dimension %d ('%s' = '%s' + %lld) is "
                        "%lld; the model takes %lld to %lld",
                        info->name, (int)d, symbol->name,
                        desc->symbols[symbol->base].name,
                        (long long)symbol->offset, (long long)shape[d],
                        (long long)least, (long long)info->shape[d]);
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "input '%s' dimension %d ('%s') is %lld; the model "
                      "takes 0 to %lld",
                      info->name, (int)d, symbol->name, (long long)shape[d],
                      (long long)info->shape[d]);
    }
  }
  for (int32_t d = 0; d < info->rank; ++d)
    shape_at(model, (size_t)index)[d] = shape[d];
  return TFM_OK;
}

const int64_t *tfm_model_input_shape(const tfm_model *model, int32_t index) {
  if (index < 0 || index >= model->desc->num_inputs)
    return NULL;
  return shape_at(model, (size_t)index);
}

const int64_t *tfm_model_output_shape(const tfm_model *model, int32_t index) {
  if (index < 0 || index >= model->desc->num_outputs)
    return NULL;
  return shape_at(model, (size_t)model->desc->num_inputs + (size_t)index);
}

int32_t tfm_model_num_symbols(const tfm_model *model) {
  return model->desc->num_symbols;
}

const tfm_symbol_info *tfm_model_symbol(const tfm_model *model, int32_t index) {
  if (index < 0 || index >= model->desc->num_symbols)
    return NULL;
  return &model->desc->symbols[index];
}

/* The symbol of its own that dimension symbol `k` is, or is derived from. */
static int32_t root_symbol(const tfm_model_desc *desc, int32_t k) {
  return desc->symbols[k].base >= 0 ? desc->symbols[k].base : k;
}

/* The size of root_symbol(k) that a size of symbol `k` gives. */
static int64_t root_size(const tfm_model_desc *desc, int32_t k, int64_t size) {
  return desc->symbols[k].base >= 0 ? size - desc->symbols[k].offset : size;
}

/* "'NAME' is SIZE", or "'NAME' (= 'BASE' + OFFSET) is SIZE". */
static void describe_size(char *text, size_t capacity,
                          const tfm_model_desc *desc, int32_t k, int64_t size) {
  const tfm_symbol_info *symbol = &desc->symbols[k];
  if (symbol->base < 0)
    snprintf(text, capacity, "'%s' is %lld", symbol->name, (long long)size);
  else
    snprintf(text, capacity, "'%s' (= '%s' + %lld) is %lld", symbol->name,
             desc->symbols[symbol->base].name, (long long)symbol->offset,
             (long long)size);
}

/* The symbols' sizes from the inputs' shapes, into model->dims: each
 * symbol of its own first, then the derived ones from them. */
static tfm_status derive_symbols(tfm_model *model) {
  const tfm_model_desc *desc = model->desc;
  for (int32_t k = 0; k < desc->num_symbols; ++k)
    model->dims[k] = -1;
  for (int32_t i = 0; i < desc->num_inputs; ++i) {
    const tfm_tensor_info *info = &desc->inputs[i];
    const int64_t *shape = shape_at(model, (size_t)i);
    for (int32_t d = 0; info->dims && d < info->rank; ++d) {
      int32_t k = info->dims[d];
      if (k < 0)
        continue;
      int32_t root = root_symbol(desc, k);
      int64_t size = root_size(desc, k, shape[d]);
      if (model->dims[root] >= 0 && model->dims[root] != size) {
        /* The first input that gave the symbol its size. */
        int32_t j = 0, e = 0;
        for (int found = 0; !found && j < i; j += !found)
          for (e = 0;
               !found && desc->inputs[j].dims && e < desc->inputs[j].rank;
               e += !found)
            found = desc->inputs[j].dims[e] >= 0 &&
                    root_symbol(desc, desc->inputs[j].dims[e]) == root;
        const tfm_tensor_info *first = &desc->inputs[j];
        int32_t m = first->dims[e];
        char a[160], b[160];
        describe_size(a, sizeof(a), desc, m, shape_at(model, (size_t)j)[e]);
        describe_size(b, sizeof(b), desc, k, shape[d]);
        return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                        "inputs '%s' and '%s' disagree on dimension '%s': "
                        "%s in the first, %s in the second",
                        first->name, info->name, desc->symbols[root].name, a,
                        b);
      }
      model->dims[root] = size;
    }
  }
  /* A symbol no input has (none, as tfmc compiles) runs at its bound. */
  for (int32_t k = 0; k < desc->num_symbols; ++k)
    if (desc->symbols[k].base < 0 && model->dims[k] < 0)
      model->dims[k] = desc->symbols[k].bound;
  for (int32_t k = 0; k < desc->num_symbols; ++k)
    if (desc->symbols[k].base >= 0)
      model->dims[k] =
          model->dims[desc->symbols[k].base] + desc->symbols[k].offset;
  return TFM_OK;
}

/* The outputs' shapes from the sizes the entry wrote. */
static tfm_status read_output_shapes(tfm_model *model) {
  const tfm_model_desc *desc = model->desc;
  for (int32_t i = 0; i < desc->num_outputs; ++i) {
    const tfm_tensor_info *info = &desc->outputs[i];
    int64_t *shape = shape_at(model, (size_t)desc->num_inputs + (size_t)i);
    for (int32_t d = 0; info->dims && d < info->rank; ++d) {
      if (info->dims[d] < 0)
        continue;
      int64_t size = model->dims[desc->num_symbols + info->dims[d]];
      if (size < 0 || size > info->shape[d])
        return tfm_fail(TFM_ERROR_ABI_MISMATCH,
                        "model '%s' computed output '%s' dimension %d as "
                        "%lld, outside its bound %lld",
                        desc->name, info->name, (int)d, (long long)size,
                        (long long)info->shape[d]);
      shape[d] = size;
    }
  }
  return TFM_OK;
}

tfm_status tfm_model_run(tfm_model *model, const void *const *inputs,
                         void *const *outputs) {
  tfm_clear_error();
  if (!model)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model");
  const tfm_model_desc *desc = model->desc;
  if ((desc->num_inputs > 0 && !inputs) || (desc->num_outputs > 0 && !outputs))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no input or output array");
  for (int32_t i = 0; i < desc->num_inputs; ++i)
    if (!inputs[i] && tfm_count_elements(desc->inputs[i].rank,
                                         shape_at(model, (size_t)i)) > 0)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "input '%s' is NULL",
                      desc->inputs[i].name);
  for (int32_t i = 0; i < desc->num_outputs; ++i)
    if (!outputs[i] && tfm_tensor_info_num_bytes(&desc->outputs[i]) > 0)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "output '%s' is NULL",
                      desc->outputs[i].name);
  /* A CPU model computes in the caller's buffers; a CUDA model in its
   * device buffers, which args already hold. */
  if (!model->cuda) {
    void **slot = model->args + 2;
    for (int32_t i = 0; i < desc->num_inputs; ++i)
      *slot++ = (void *)(uintptr_t)inputs[i];
    for (int32_t i = 0; i < desc->num_outputs; ++i)
      *slot++ = outputs[i];
  }
  if (model->dims) {
    tfm_status status = derive_symbols(model);
    if (status != TFM_OK)
      return status;
  }
  if (model->check_indices) {
    tfm_status status = check_indices(model, inputs);
    if (status != TFM_OK)
      return status;
  }
  uint64_t begin = tfm_now_ns();
  if (model->hook)
    model->hook(model->hook_data, "run_begin", begin);
  if (model->cuda) {
    tfm_status status =
        tfm_cuda_model_run(model->cuda, desc, model->args, inputs, outputs);
    if (status != TFM_OK)
      return status;
  } else {
    desc->entry(model->args);
  }
  uint64_t end = tfm_now_ns();
  if (model->dims) {
    tfm_status status = read_output_shapes(model);
    if (status != TFM_OK)
      return status;
  }
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
