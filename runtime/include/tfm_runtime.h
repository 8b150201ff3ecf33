/*===- tfm_runtime.h - the tfmc runtime C API -----------------------------===*
 *
 * Models compiled by tfmc are driven through this header:
 *
 *   tfm_model *model;
 *   if (tfm_model_create(my_model_descriptor(), NULL, &model) != TFM_OK) {
 *     fprintf(stderr, "%s\n", tfm_last_error());
 *     return 1;
 *   }
 *   const void *inputs[] = {input_ids};
 *   void *outputs[] = {logits};
 *   tfm_model_run(model, inputs, outputs);
 *   tfm_model_destroy(model);
 *
 * Inputs and outputs are dense row-major buffers of the types and shapes
 * that tfm_model_input()/tfm_model_output() describe; the caller owns them.
 * A model handle owns its intermediate-tensor arena and its view of the
 * weights; one handle runs one inference at a time (use one handle per
 * concurrent caller). Functions that can fail return a tfm_status and leave
 * a message for tfm_last_error() in the calling thread.
 *
 * Models compiled with `tfmc --target=cuda` are used the same way: the
 * handle then owns device memory (the weights, copied once, the arena and
 * a device buffer per input and output) on GPU 0, or the one the
 * TFM_CUDA_DEVICE environment variable names, and tfm_model_run copies the
 * caller's host buffers in and out. Without a CUDA driver or GPU,
 * tfm_model_create fails with TFM_ERROR_NO_DEVICE and says what is missing.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TFM_RUNTIME_H
#define TFM_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Symbols of the API: exported from shared libraries that tfmc builds,
 * whose other runtime symbols stay hidden. */
#if defined(__GNUC__)
#define TFM_API __attribute__((visibility("default")))
#else
#define TFM_API
#endif

/* Version of the descriptor layout below; bumped when it changes (3: the
 * device field; 4: dynamic dimensions; 5: derived symbols). */
#define TFM_ABI_VERSION 5

/* Most worker threads a model accepts (tfm_model_options.num_threads,
 * OMP_NUM_THREADS). */
#define TFM_MAX_THREADS 1024

/*===-- Element types ----------------------------------------------------===*/

typedef enum tfm_dtype {
  TFM_DTYPE_INVALID = 0,
  TFM_DTYPE_F32 = 1,
  TFM_DTYPE_F16 = 2,
  TFM_DTYPE_BF16 = 3,
  TFM_DTYPE_F64 = 4,
  TFM_DTYPE_I8 = 5,
  TFM_DTYPE_I16 = 6,
  TFM_DTYPE_I32 = 7,
  TFM_DTYPE_I64 = 8,
  TFM_DTYPE_U8 = 9,
  TFM_DTYPE_U16 = 10,
  TFM_DTYPE_U32 = 11,
  TFM_DTYPE_U64 = 12,
  TFM_DTYPE_BOOL = 13, /* one byte per element, 0 or 1 */
} tfm_dtype;

/* Bytes per element (0 for an invalid type). */
TFM_API size_t tfm_dtype_size(tfm_dtype dtype);
/* Lower-case name as in NumPy ("float32", "int64", "bool", ...). */
TFM_API const char *tfm_dtype_name(tfm_dtype dtype);

/*===-- Devices ----------------------------------------------------------===*/

/* What a compiled model runs on. */
typedef enum tfm_device {
  TFM_DEVICE_CPU = 0,
  TFM_DEVICE_CUDA = 1, /* an NVIDIA GPU through the CUDA driver */
} tfm_device;

/* Lower-case name ("cpu", "cuda"; "unknown" otherwise). */
TFM_API const char *tfm_device_name(int32_t device);

/*===-- Tensor descriptions ----------------------------------------------===*/

typedef struct tfm_tensor_info {
  const char *name; /* the ONNX graph input/output name */
  int32_t dtype;    /* a tfm_dtype */
  int32_t rank;
  /* rank dimensions: a dynamic one's upper bound (a buffer of this shape
   * holds the tensor at any size) */
  const int64_t *shape;
  /* For integer inputs used as indices into a table (token ids, position
   * ids): the number of rows. ONNX's Gather takes ids in [-index_limit,
   * index_limit), negative ones counting from the end; tfm_model_run
   * rejects others (see tfm_model_set_check_indices). 0 when unknown. */
  int64_t index_limit;
  /* NULL when every dimension is static. Otherwise rank entries: -1 for a
   * static dimension; for a dynamic one of an input, the index of its
   * symbol in tfm_model_desc.symbols (inputs with the same symbol have the
   * same size there); of an output, the index of its size among the
   * outputs' dynamic dimensions (the model computes it: see
   * tfm_model_output_shape). */
  const int32_t *dims;
} tfm_tensor_info;

/* A dynamic dimension of the inputs: its name (the ONNX dim_param, or
 * "INPUT.D" for an unnamed one) and the largest size the model takes. A
 * derived one (tfmc --dim total_sequence=past_sequence+sequence) is the
 * size of symbol `base` plus `offset`: tfm_model_run derives that symbol
 * from it; `base` is -1 for a symbol of its own. */
typedef struct tfm_symbol_info {
  const char *name;
  int64_t bound;
  int32_t base;
  int64_t offset;
} tfm_symbol_info;

/* 1 when the tensor has a dynamic dimension, 0 otherwise. */
TFM_API int tfm_tensor_info_is_dynamic(const tfm_tensor_info *info);

/* Number of elements, and of bytes, of a described tensor; SIZE_MAX when
 * the count does not fit in size_t (no buffer can hold such a tensor). */
TFM_API size_t tfm_tensor_info_num_elements(const tfm_tensor_info *info);
TFM_API size_t tfm_tensor_info_num_bytes(const tfm_tensor_info *info);

/*===-- Compiled models --------------------------------------------------===*/

/* What tfmc emits into every compiled model; opaque to most callers, who
 * pass it from NAME_descriptor() (or tfm_model_descriptor()) to
 * tfm_model_create(). */
typedef struct tfm_model_desc {
  uint32_t abi_version; /* TFM_ABI_VERSION */
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const tfm_tensor_info *inputs;
  const tfm_tensor_info *outputs;
  uint64_t arena_size;      /* bytes of intermediate tensors */
  uint64_t weights_size;    /* bytes of the weights blob */
  const uint8_t *weights;   /* the blob in read-only data, or NULL when it is */
  const char *weights_file; /* ... in this side file, next to the module */
  /* args: weights, arena, inputs..., outputs..., and for a model with
   * dynamic dimensions dims, an int64_t array: num_symbols sizes (read),
   * then num_output_dims sizes (written). Inputs and outputs are densely
   * packed in their run-time shapes. */
  void (*entry)(void *const *args);
  /* The side file's checksum (runtime/src/checksum.h), checked when it is
   * mapped; 0 for embedded weights. */
  uint64_t weights_checksum;
  /* A tfm_device: where `entry` runs its kernels. */
  int32_t device;
  /* Dynamic dimensions (none in a statically shaped model). */
  int32_t num_symbols;
  int32_t num_output_dims;
  const tfm_symbol_info *symbols;
} tfm_model_desc;

typedef enum tfm_status {
  TFM_OK = 0,
  TFM_ERROR_INVALID_ARGUMENT = 1,
  TFM_ERROR_IO = 2,
  TFM_ERROR_OUT_OF_MEMORY = 3,
  TFM_ERROR_ABI_MISMATCH = 4,
  TFM_ERROR_NO_DEVICE = 5, /* the model's device (or its driver) is absent */
} tfm_status;

/* The message of the last failure in the calling thread ("" if none). */
TFM_API const char *tfm_last_error(void);

typedef struct tfm_model_options {
  /* Path of the weights side file; NULL looks next to the module that holds
   * the descriptor (the executable or shared library). */
  const char *weights_path;
  /* Worker threads for this process (0: all cores, or OMP_NUM_THREADS),
   * at most TFM_MAX_THREADS. */
  int32_t num_threads;
} tfm_model_options;

typedef struct tfm_model tfm_model;

/* Loads the weights (mapping a side file read-only) and allocates the
 * arena. `options` may be NULL. Models whose weights side files have the
 * same size and checksum share one mapping while any of them lives (the
 * later ones' files are not read): two compilations of one export that
 * differ in their input shapes alone, such as a prefill and a decode
 * model, usually write identical files. */
TFM_API tfm_status tfm_model_create(const tfm_model_desc *desc,
                                    const tfm_model_options *options,
                                    tfm_model **model);
TFM_API void tfm_model_destroy(tfm_model *model);

TFM_API const tfm_model_desc *tfm_model_get_desc(const tfm_model *model);
TFM_API int32_t tfm_model_num_inputs(const tfm_model *model);
TFM_API int32_t tfm_model_num_outputs(const tfm_model *model);
/* NULL when `index` is out of range. */
TFM_API const tfm_tensor_info *tfm_model_input(const tfm_model *model,
                                               int32_t index);
TFM_API const tfm_tensor_info *tfm_model_output(const tfm_model *model,
                                                int32_t index);
/* Index of the input/output called `name`, or -1. */
TFM_API int32_t tfm_model_find_input(const tfm_model *model, const char *name);
TFM_API int32_t tfm_model_find_output(const tfm_model *model, const char *name);

/* Runs one inference. inputs[i] and outputs[i] point to buffers of the
 * described sizes (for dynamic ones: of their current shapes, below);
 * outputs must not overlap inputs. Inputs with an index_limit are checked
 * first: an id outside [-index_limit, index_limit) fails the run with
 * TFM_ERROR_INVALID_ARGUMENT, naming the input, the position and the value.
 * A model with dynamic dimensions derives each symbol from the inputs'
 * shapes, and fails the run when two inputs give one symbol different
 * sizes. */
TFM_API tfm_status tfm_model_run(tfm_model *model, const void *const *inputs,
                                 void *const *outputs);

/* Dynamic dimensions. A dynamic input runs with the shape set here (rank
 * sizes: its static dimensions as described, each dynamic one from 0 to its
 * bound), densely packed; until set, with the shape at its bounds. Fails,
 * naming the input and dimension, on any other shape. */
TFM_API tfm_status tfm_model_set_input_shape(tfm_model *model, int32_t index,
                                             const int64_t *shape);
/* The shape input `index` runs with; NULL when `index` is out of range. */
TFM_API const int64_t *tfm_model_input_shape(const tfm_model *model,
                                             int32_t index);
/* The shape output `index` had in the last successful run (before any: its
 * bounds), densely packed in its buffer; NULL when `index` is out of
 * range. */
TFM_API const int64_t *tfm_model_output_shape(const tfm_model *model,
                                              int32_t index);
/* The model's symbols (0 in a statically shaped model); NULL when `index`
 * is out of range. */
TFM_API int32_t tfm_model_num_symbols(const tfm_model *model);
TFM_API const tfm_symbol_info *tfm_model_symbol(const tfm_model *model,
                                                int32_t index);

/* Turns the index check of tfm_model_run off (0) or on (1, the default).
 * Off, out-of-range ids read the nearest row of the table instead: never
 * outside memory, but not what the model means. */
TFM_API void tfm_model_set_check_indices(tfm_model *model, int enabled);

/*===-- Generation -------------------------------------------------------===*/

/* Token-by-token generation with decoder models exported in their
 * generation form, as Hugging Face exports them (scripts/export_models.py
 * --past makes such models):
 *
 *   inputs   input_ids       [1, S]  integer token ids
 *            attention_mask  [1, P + S]  1 for positions to attend to
 *            position_ids    [1, S]  position of each token
 *            past_*          [1, kv_heads, P, head_dim] per layer, keys and
 *                            values in the order of the present outputs
 *   outputs  logits          [1, S, vocab]
 *            present_*       [1, kv_heads, P + S, head_dim] (the past with
 *                            the S new rows appended) or only the new rows,
 *                            [1, kv_heads, S, head_dim]
 *
 * Inputs and outputs are told apart by name: "past" and "present" in the
 * names of the cache tensors, paired in order. Compiled with static shapes
 * (tfmc --input-shape), P is the cache size: the runtime keeps P rows per
 * cache tensor, masks the rows not yet filled through attention_mask and
 * writes each step's new rows into the next free ones (S rows per step,
 * never the whole cache). A prompt is run S tokens per step, then one token
 * per step; a sequence holds at most P + 1 tokens (tfm_model_max_context).
 *
 * A decode model (S = 1) runs a long prompt one token per step, each step
 * reading every weight. A second model compiled from the same export with
 * a larger S and the same P, passed as `prefill`, runs the prompt S
 * tokens per step instead, at the speed of a fixed-length forward pass;
 * the two share the cache (and usually one mapping of the weights: see
 * tfm_model_create). Parts of the prompt of at most the
 * decode model's S tokens (the last part, or a one-token prompt) run
 * through the decode model.
 */

/* Called with each new token (index 0, 1, ...) as soon as it is chosen;
 * a non-zero return stops the generation after this token. */
typedef int (*tfm_token_callback)(void *user_data, int64_t token,
                                  int32_t index);

typedef struct tfm_generate_options {
  int32_t max_new_tokens;
  /* Sampling: temperature <= 0 picks the most likely token (greedy);
   * otherwise tokens are drawn from softmax(logits / temperature),
   * restricted to the top_k most likely (0: no limit) and then to the
   * smallest set whose probability reaches top_p (0 or 1: no limit). */
  float temperature;
  int32_t top_k;
  float top_p;
  uint64_t seed; /* the same seed draws the same tokens */
  /* Generation stops after any of these tokens (which is returned). */
  const int64_t *stop_tokens;
  int32_t num_stop_tokens;
  tfm_token_callback on_token; /* may be NULL */
  void *user_data;
  /* When non-NULL: max_new_tokens x vocab floats, the logits each new
   * token was chosen from. */
  float *logits;
  /* When non-NULL: the model that runs the prompt (see above); it must
   * have the same cache tensors (names aside), cache size and vocabulary
   * as `model`. */
  tfm_model *prefill;
} tfm_generate_options;

typedef enum tfm_stop_reason {
  TFM_STOP_MAX_TOKENS = 0,
  TFM_STOP_TOKEN = 1,    /* a stop token was generated */
  TFM_STOP_CALLBACK = 2, /* on_token returned non-zero */
  TFM_STOP_CONTEXT = 3,  /* the cache is full */
} tfm_stop_reason;

typedef struct tfm_generate_result {
  int32_t num_tokens;    /* new tokens written to `tokens` */
  int32_t stop_reason;   /* a tfm_stop_reason */
  int32_t prompt_tokens; /* the prompt's length */
  int32_t steps;         /* model runs (both models') */
  uint64_t prefill_ns;   /* from the start to the first new token */
  uint64_t decode_ns;    /* from the first new token to the last */
  int32_t prefill_steps; /* runs of the prefill model */
} tfm_generate_result;

/* Generates up to options->max_new_tokens tokens after `prompt` into
 * `tokens` (room for max_new_tokens), starting from an empty cache.
 * Fails with TFM_ERROR_INVALID_ARGUMENT, naming what is missing, when the
 * model is not in the generation form above or the options are invalid. */
TFM_API tfm_status tfm_model_generate(tfm_model *model, const int64_t *prompt,
                                      int32_t prompt_length,
                                      const tfm_generate_options *options,
                                      int64_t *tokens,
                                      tfm_generate_result *result);

/* Most tokens, prompt and generated ones together, a sequence of `model`
 * can hold; 0, with a message for tfm_last_error(), when the model is not
 * in the generation form. */
TFM_API int32_t tfm_model_max_context(tfm_model *model);

/*===-- CUDA -------------------------------------------------------------===*/

/* For CUDA models: captures the kernel launches of the next run as a CUDA
 * graph and replays it in every run after (enabled != 0), which saves the
 * launch overhead of each kernel; or launches them one by one (0, the
 * default). Fails with TFM_ERROR_INVALID_ARGUMENT for CPU models and with
 * TFM_ERROR_NO_DEVICE when the driver has no graph API. */
TFM_API tfm_status tfm_model_set_cuda_graph(tfm_model *model, int enabled);

/* Loads the CUDA driver (libcuda.so.1, with dlopen: nothing links against
 * it, so CPU programs run where it is absent), initializes it once per
 * process and writes the number of GPUs it sees to `count`. Fails with
 * TFM_ERROR_NO_DEVICE and a message naming the cause when the driver
 * cannot be loaded, lacks an entry point, fails to initialize or sees no
 * device. */
TFM_API tfm_status tfm_cuda_device_count(int32_t *count);

/*===-- Timing -----------------------------------------------------------===*/

/* A monotonic clock in nanoseconds. */
TFM_API uint64_t tfm_now_ns(void);
/* Wall time of the model's last tfm_model_run, in nanoseconds. */
TFM_API uint64_t tfm_model_last_run_ns(const tfm_model *model);

/* Called around every run when set: `event` is "run_begin" or "run_end",
 * `ns` the tfm_now_ns() at that point. */
typedef void (*tfm_timing_hook)(void *user_data, const char *event,
                                uint64_t ns);
TFM_API void tfm_model_set_timing_hook(tfm_model *model, tfm_timing_hook hook,
                                       void *user_data);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFM_RUNTIME_H */
