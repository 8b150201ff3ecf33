/*===- main.c - the driver of executables compiled by tfmc ---------------===*
 *
 * Linked into `tfmc MODEL -o NAME` executables: reads inputs from .npy
 * files (or makes deterministic random ones), runs the model, writes and
 * summarizes its outputs, and benchmarks it.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include "inputs.h"
#include "internal.h"
#include "npy.h"
#include "tfm_runtime.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* Provided by the compiled model. */
const tfm_model_desc *tfm_model_descriptor(void);

static const char *program = "model";

static void usage(FILE *out) {
  fprintf(out,
          "usage: %s [options]\n"
          "  --input NAME=FILE.npy  value of input NAME (repeatable); inputs\n"
          "                         not given are generated (--seed)\n"
          "  --output-dir DIR       write each output to DIR/<name>.npy\n"
          "  --bench N              time N runs: min/median/p90 latency, "
          "peak RSS\n"
          "  --warmup N             untimed runs before --bench (default 3)\n"
          "  --num-threads N        worker threads (default: all cores)\n"
          "  --weights PATH         weights side file (default: next to the "
          "executable)\n"
          "  --seed N               seed of generated inputs (default 0)\n"
          "  --no-check-indices     do not check that token and position ids\n"
          "                         lie inside the tables they index\n"
          "  --quiet                do not print the output summary\n"
          "  --info                 print the model's inputs and outputs\n"
          "generation (decoders exported with past keys and values):\n"
          "  --generate N           generate N tokens after the prompt\n"
          "  --prompt-ids FILE.npy  the prompt's token ids, [L] or [1, L]\n"
          "  --temperature T        sample from softmax(logits / T) "
          "(default 0:\n"
          "                         greedy); --seed seeds it\n"
          "  --top-k K              sample among the K most likely tokens\n"
          "  --top-p P              ... among the fewest whose probability "
          "reaches P\n"
          "  --stop-token ID        stop after this token (repeatable)\n"
          "  --prefill-model LIB.so the export compiled by tfmc --emit=lib "
          "with a\n"
          "                         larger sequence length and the same "
          "cache,\n"
          "                         that runs the prompt\n",
          program);
}

/* Writes `text` with control characters escaped (\n, \t, \xNN): names
 * come from the model and must not forge or garble the lines printed. */
static void print_escaped(FILE *out, const char *text) {
  for (const unsigned char *c = (const unsigned char *)text; *c; ++c) {
    if (*c >= 0x20 && *c != 0x7f)
      fputc(*c, out);
    else if (*c == '\n')
      fputs("\\n", out);
    else if (*c == '\t')
      fputs("\\t", out);
    else
      fprintf(out, "\\x%02x", *c);
  }
}

static int fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *format, ...) {
  char message[4096];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  fprintf(stderr, "%s: error: ", program);
  print_escaped(stderr, message);
  fputc('\n', stderr);
  return 1;
}

/* A 64-byte aligned buffer of `bytes` (plus slack for vector tails), or
 * NULL after reporting why. */
static void *allocate(size_t bytes, const char *kind, const char *name) {
  size_t rounded;
  if (bytes == SIZE_MAX || __builtin_add_overflow(bytes, 127, &rounded)) {
    fail("%s '%s' is too large to allocate", kind, name);
    return NULL;
  }
  void *buffer = aligned_alloc(64, rounded / 64 * 64);
  if (!buffer)
    fail("cannot allocate %zu bytes for %s '%s'", bytes, kind, name);
  return buffer;
}

static void format_shape(char *out, size_t capacity, int32_t rank,
                         const int64_t *shape) {
  size_t used = (size_t)snprintf(out, capacity, "[");
  for (int32_t i = 0; i < rank && used < capacity; ++i)
    used += (size_t)snprintf(out + used, capacity - used, "%s%lld",
                             i ? ", " : "", (long long)shape[i]);
  if (used < capacity)
    snprintf(out + used, capacity - used, "]");
}

static double element_as_double(const void *data, tfm_dtype dtype, size_t i) {
  switch (dtype) {
  case TFM_DTYPE_F32:
    return ((const float *)data)[i];
  case TFM_DTYPE_F64:
    return ((const double *)data)[i];
  case TFM_DTYPE_F16:
    return tfm_f16_to_f32(((const uint16_t *)data)[i]);
  case TFM_DTYPE_BF16:
    return tfm_bf16_to_f32(((const uint16_t *)data)[i]);
  case TFM_DTYPE_I8:
    return ((const int8_t *)data)[i];
  case TFM_DTYPE_I16:
    return ((const int16_t *)data)[i];
  case TFM_DTYPE_I32:
    return ((const int32_t *)data)[i];
  case TFM_DTYPE_I64:
    return (double)((const int64_t *)data)[i];
  case TFM_DTYPE_U8:
    return ((const uint8_t *)data)[i];
  case TFM_DTYPE_U16:
    return ((const uint16_t *)data)[i];
  case TFM_DTYPE_U32:
    return ((const uint32_t *)data)[i];
  case TFM_DTYPE_U64:
    return (double)((const uint64_t *)data)[i];
  case TFM_DTYPE_BOOL:
    return ((const uint8_t *)data)[i] ? 1.0 : 0.0;
  case TFM_DTYPE_INVALID:
    break;
  }
  return 0.0;
}

/* A described shape, each dynamic dimension as NAME<=BOUND. */
static void format_described_shape(char *out, size_t capacity,
                                   const tfm_model_desc *desc,
                                   const tfm_tensor_info *info, int output) {
  size_t used = (size_t)snprintf(out, capacity, "[");
  for (int32_t i = 0; i < info->rank && used < capacity; ++i) {
    int32_t k = info->dims ? info->dims[i] : -1;
    if (k < 0)
      used += (size_t)snprintf(out + used, capacity - used, "%s%lld",
                               i ? ", " : "", (long long)info->shape[i]);
    else
      used += (size_t)snprintf(
          out + used, capacity - used, "%s%s<=%lld", i ? ", " : "",
          output ? "?" : desc->symbols[k].name, (long long)info->shape[i]);
  }
  if (used < capacity)
    snprintf(out + used, capacity - used, "]");
}

/* Prints an output of `shape` (its run-time shape). */
static void summarize(const tfm_tensor_info *info, const int64_t *shape_of,
                      const void *data) {
  size_t count = tfm_count_elements(info->rank, shape_of);
  tfm_dtype dtype = (tfm_dtype)info->dtype;
  double sum = 0, sum_sq = 0, lo = INFINITY, hi = -INFINITY;
  size_t non_finite = 0;
  for (size_t i = 0; i < count; ++i) {
    double v = element_as_double(data, dtype, i);
    if (!isfinite(v)) {
      ++non_finite;
      continue;
    }
    sum += v;
    sum_sq += v * v;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  size_t finite = count - non_finite;
  double mean = finite ? sum / (double)finite : 0.0;
  double var = finite ? sum_sq / (double)finite - mean * mean : 0.0;
  char shape[256];
  format_shape(shape, sizeof(shape), info->rank, shape_of);
  printf("output '");
  print_escaped(stdout, info->name);
  printf("': %s %s\n", tfm_dtype_name(dtype), shape);
  if (finite)
    printf("  mean %.6g  std %.6g  min %.6g  max %.6g", mean,
           sqrt(var > 0 ? var : 0), lo, hi);
  if (non_finite)
    printf("%s%zu non-finite", finite ? "  " : "  ", non_finite);
  printf("\n  first:");
  for (size_t i = 0; i < count && i < 6; ++i)
    printf(" %.6g", element_as_double(data, dtype, i));
  printf("%s\n", count > 6 ? " ..." : "");
}

/* The process's peak resident set. VmHWM belongs to this process image;
 * getrusage's ru_maxrss also counts the parent's memory at fork on Linux,
 * which misreports a small program started by a large one. */
static double peak_rss_mib(void) {
  FILE *status = fopen("/proc/self/status", "r");
  if (status) {
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof(line), status))
      if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
        break;
    fclose(status);
    if (kib >= 0)
      return (double)kib / 1024.0;
  }
  struct rusage usage_info;
  getrusage(RUSAGE_SELF, &usage_info);
  return (double)usage_info.ru_maxrss / 1024.0;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void sanitize(char *out, size_t capacity, const char *name) {
  size_t n = 0;
  for (; name[n] && n + 1 < capacity; ++n) {
    char c = name[n];
    int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    out[n] = keep ? c : '_';
  }
  out[n] = '\0';
}

/* Reads FILE into the buffer of input `index`, checking type and shape (a
 * dynamic dimension takes any size up to its bound, which the model then
 * runs with). */
static int load_input(tfm_model *model, int32_t index, const char *file,
                      void *buffer) {
  const tfm_tensor_info *info = tfm_model_input(model, index);
  tfm_npy_array array;
  if (tfm_npy_read(file, &array) != TFM_OK)
    return fail("input '%s': %s", info->name, tfm_last_error());
  int same_shape = array.rank == info->rank;
  for (int32_t d = 0; same_shape && d < info->rank; ++d)
    same_shape =
        array.shape[d] == info->shape[d] ||
        (info->dims && info->dims[d] >= 0 && array.shape[d] <= info->shape[d]);
  int bf16_from_f32 =
      info->dtype == TFM_DTYPE_BF16 && array.dtype == TFM_DTYPE_F32;
  if (!same_shape ||
      (array.dtype != (tfm_dtype)info->dtype && !bf16_from_f32)) {
    char want[256], got[256];
    format_described_shape(want, sizeof(want), tfm_model_get_desc(model), info,
                           0);
    format_shape(got, sizeof(got), array.rank, array.shape);
    int status = fail("input '%s' expects %s %s; '%s' holds %s %s", info->name,
                      tfm_dtype_name((tfm_dtype)info->dtype), want, file,
                      tfm_dtype_name(array.dtype), got);
    tfm_npy_free(&array);
    return status;
  }
  if (tfm_tensor_info_is_dynamic(info) &&
      tfm_model_set_input_shape(model, index, array.shape) != TFM_OK) {
    tfm_npy_free(&array);
    return fail("%s", tfm_last_error());
  }
  if (bf16_from_f32) {
    size_t count = tfm_count_elements(array.rank, array.shape);
    for (size_t i = 0; i < count; ++i)
      ((uint16_t *)buffer)[i] = tfm_f32_to_bf16(((float *)array.data)[i]);
  } else {
    memcpy(buffer, array.data, array.num_bytes);
  }
  tfm_npy_free(&array);
  return 0;
}

static int parse_count(const char *flag, const char *text, long *value) {
  char *end;
  errno = 0;
  long parsed = strtol(text, &end, 10);
  if (errno || *end || end == text || parsed < 0)
    return fail("%s expects a non-negative integer, got '%s'", flag, text);
  *value = parsed;
  return 0;
}

static int parse_float(const char *flag, const char *text, float *value) {
  char *end;
  errno = 0;
  float parsed = strtof(text, &end);
  if (errno || *end || end == text || !isfinite(parsed) || parsed < 0)
    return fail("%s expects a non-negative number, got '%s'", flag, text);
  *value = parsed;
  return 0;
}

static int print_token(void *streamed, int64_t token, int32_t index) {
  ++*(int32_t *)streamed;
  printf(index ? " %lld" : "tokens: %lld", (long long)token);
  fflush(stdout);
  return 0;
}

/* --generate: the token loop of tfm_model_generate, streamed to stdout. */
static int generate(tfm_model *model, long count, const char *prompt_file,
                    tfm_generate_options *options, long bench, long warmup,
                    const char *output_dir) {
  if (!prompt_file)
    return fail("--generate needs the prompt: --prompt-ids FILE.npy");
  tfm_npy_array prompt;
  if (tfm_npy_read(prompt_file, &prompt) != TFM_OK)
    return fail("--prompt-ids: %s", tfm_last_error());
  int64_t length = prompt.rank > 0 ? prompt.shape[prompt.rank - 1] : 0;
  int shape_ok = prompt.rank == 1 || (prompt.rank == 2 && prompt.shape[0] == 1);
  if ((prompt.dtype != TFM_DTYPE_I64 && prompt.dtype != TFM_DTYPE_I32) ||
      !shape_ok || length < 1 || length > INT32_MAX) {
    char shape[256];
    format_shape(shape, sizeof(shape), prompt.rank, prompt.shape);
    const char *dtype = tfm_dtype_name(prompt.dtype);
    tfm_npy_free(&prompt);
    return fail("--prompt-ids: expected integer token ids of shape [L] or "
                "[1, L], L >= 1, got %s %s",
                dtype, shape);
  }
  /* No sequence outgrows the model's cache: that bounds the buffers
   * whatever count was asked for (the loop stops with "context full"). */
  int32_t max_context = tfm_model_max_context(model);
  if (max_context == 0) {
    tfm_npy_free(&prompt);
    return fail("%s", tfm_last_error());
  }
  if (count > max_context)
    count = max_context;
  int64_t *ids = malloc((size_t)length * sizeof(int64_t));
  int64_t *tokens = malloc((size_t)count * sizeof(int64_t));
  if (!ids || !tokens) {
    free(ids);
    free(tokens);
    tfm_npy_free(&prompt);
    return fail("out of memory");
  }
  for (int64_t i = 0; i < length; ++i)
    ids[i] = (int64_t)element_as_double(prompt.data, prompt.dtype, (size_t)i);
  tfm_npy_free(&prompt);
  options->max_new_tokens = (int32_t)count;
  tfm_generate_result result;
  int status = 0;
  for (long w = 0; bench > 0 && w < warmup && !status; ++w)
    if (tfm_model_generate(model, ids, (int32_t)length, options, tokens,
                           &result) != TFM_OK)
      status = fail("%s", tfm_last_error());
  int32_t streamed = 0;
  options->on_token = print_token;
  options->user_data = &streamed;
  if (!status) {
    tfm_status run = tfm_model_generate(model, ids, (int32_t)length, options,
                                        tokens, &result);
    if (streamed > 0)
      printf("\n");
    if (run != TFM_OK)
      status = fail("%s", tfm_last_error());
  }
  options->on_token = NULL;
  long runs = bench > 1 ? bench : 1;
  double *prefill = calloc((size_t)runs, sizeof(double));
  double *per_token = calloc((size_t)runs, sizeof(double));
  if (!status && (!prefill || !per_token))
    status = fail("out of memory");
  if (!status) {
    static const char *const reasons[] = {"max tokens", "stop token",
                                          "callback", "context full"};
    printf("prompt %lld tokens, generated %d tokens (stop: %s) in %d steps",
           (long long)length, (int)result.num_tokens,
           reasons[result.stop_reason & 3], (int)result.steps);
    if (options->prefill)
      printf(" (%d of the prefill model)", (int)result.prefill_steps);
    printf("\n");
    int64_t *scratch = tokens;
    tfm_generate_result timed = result;
    for (long r = 0; r < runs && !status; ++r) {
      if (r > 0 && tfm_model_generate(model, ids, (int32_t)length, options,
                                      scratch, &timed) != TFM_OK) {
        status = fail("%s", tfm_last_error());
        break;
      }
      prefill[r] = (double)timed.prefill_ns * 1e-6;
      per_token[r] = timed.num_tokens > 1 ? (double)timed.decode_ns * 1e-6 /
                                                (timed.num_tokens - 1)
                                          : 0;
    }
  }
  if (!status) {
    qsort(prefill, (size_t)runs, sizeof(double), compare_doubles);
    qsort(per_token, (size_t)runs, sizeof(double), compare_doubles);
    double p = prefill[runs / 2], t = per_token[runs / 2];
    printf("prefill: %lld tokens in %.3f ms (%.1f tokens/s)\n",
           (long long)length, p, (double)length / p * 1e3);
    if (result.num_tokens > 1)
      printf("decode: %.3f ms/token (%.1f tokens/s)%s\n", t, 1e3 / t,
             runs > 1 ? " median of the generations" : "");
    if (bench > 0)
      printf("peak RSS: %.1f MiB\n", peak_rss_mib());
  }
  if (!status && output_dir) {
    char path[4096];
    int64_t shape[2] = {1, result.num_tokens};
    if (mkdir(output_dir, 0755) != 0 && errno != EEXIST)
      status = fail("cannot create output directory '%s': %s", output_dir,
                    strerror(errno));
    snprintf(path, sizeof(path), "%s/tokens.npy", output_dir);
    if (!status &&
        tfm_npy_write(path, TFM_DTYPE_I64, 2, shape, tokens) != TFM_OK)
      status = fail("%s", tfm_last_error());
  }
  free(prefill);
  free(per_token);
  free(ids);
  free(tokens);
  return status;
}

/* What run() allocates, released by main() on every exit path. */
static struct {
  char **input_names; /* of --input flags, strndup'ed */
  const char **input_files;
  int num_given;
  tfm_model *model;
  tfm_model *prefill;
  void **inputs, **outputs;
  int32_t num_inputs, num_outputs;
  double *times;
  int64_t *stop_tokens;
} owned;

static void release_state(void) {
  for (int g = 0; g < owned.num_given; ++g)
    free(owned.input_names[g]);
  free(owned.input_names);
  free(owned.input_files);
  for (int32_t i = 0; owned.inputs && i < owned.num_inputs; ++i)
    free(owned.inputs[i]);
  for (int32_t i = 0; owned.outputs && i < owned.num_outputs; ++i)
    free(owned.outputs[i]);
  free(owned.inputs);
  free(owned.outputs);
  free(owned.times);
  free(owned.stop_tokens);
  tfm_model_destroy(owned.prefill);
  tfm_model_destroy(owned.model);
  memset(&owned, 0, sizeof(owned));
}

/* --prefill-model: a model from a library built by tfmc --emit=lib, run
 * by this executable's runtime (which shares one mapping of identical
 * weights between the two models): sound for CPU models, whose state
 * lives in their tfm_model (a CUDA model's kernels are registered in its
 * own library's runtime). The library stays loaded. */
static int load_prefill_model(const char *path,
                              const tfm_model_options *options,
                              tfm_model **prefill) {
  void *library;
  const tfm_model_desc *desc = tfm_open_model_library(path, &library);
  if (!desc)
    return fail("--prefill-model: %s", tfm_last_error());
  if (desc->device != TFM_DEVICE_CPU ||
      tfm_model_descriptor()->device != TFM_DEVICE_CPU)
    return fail("--prefill-model: generation with a prefill model runs CPU "
                "models only");
  tfm_model_options prefill_options = {NULL, options->num_threads};
  if (tfm_model_create(desc, &prefill_options, prefill) != TFM_OK)
    return fail("--prefill-model: %s", tfm_last_error());
  return 0;
}

static int run(int argc, char **argv) {
  const char *slash = strrchr(argv[0], '/');
  program = slash ? slash + 1 : argv[0];
  const tfm_model_desc *desc = tfm_model_descriptor();

  char **input_names = owned.input_names = calloc((size_t)argc, sizeof(char *));
  const char **input_files = owned.input_files =
      calloc((size_t)argc, sizeof(char *));
  if (!input_names || !input_files)
    return fail("out of memory");
  int num_given = 0;
  const char *output_dir = NULL;
  const char *weights = NULL;
  long bench = 0, warmup = 3, threads = 0, seed = 0, generate_count = 0;
  int quiet = 0, info_only = 0, check_indices = 1;
  const char *prompt_file = NULL, *prefill_file = NULL;
  tfm_generate_options generation = {0};
  generation.top_p = 1.0f;
  int64_t *stop_tokens = owned.stop_tokens =
      calloc((size_t)argc, sizeof(int64_t));
  if (!stop_tokens)
    return fail("out of memory");
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    int takes_value =
        strcmp(arg, "--input") == 0 || strcmp(arg, "--output-dir") == 0 ||
        strcmp(arg, "--bench") == 0 || strcmp(arg, "--warmup") == 0 ||
        strcmp(arg, "--num-threads") == 0 || strcmp(arg, "--weights") == 0 ||
        strcmp(arg, "--seed") == 0 || strcmp(arg, "--generate") == 0 ||
        strcmp(arg, "--prompt-ids") == 0 || strcmp(arg, "--temperature") == 0 ||
        strcmp(arg, "--top-k") == 0 || strcmp(arg, "--top-p") == 0 ||
        strcmp(arg, "--stop-token") == 0 || strcmp(arg, "--prefill-model") == 0;
    if (takes_value && !value)
      return fail("%s needs a value (see --help)", arg);
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(arg, "--input") == 0) {
      const char *eq = strchr(value, '=');
      if (!eq || eq == value || !eq[1])
        return fail("--input expects NAME=FILE.npy, got '%s'", value);
      char *name = strndup(value, (size_t)(eq - value));
      if (!name)
        return fail("out of memory");
      input_names[num_given] = name;
      owned.num_given = num_given + 1;
      for (int g = 0; g < num_given; ++g)
        if (strcmp(input_names[g], name) == 0)
          return fail("--input gives '%s' twice", name);
      input_files[num_given++] = eq + 1;
    } else if (strcmp(arg, "--output-dir") == 0) {
      output_dir = value;
    } else if (strcmp(arg, "--weights") == 0) {
      weights = value;
    } else if (strcmp(arg, "--bench") == 0) {
      if (parse_count(arg, value, &bench))
        return 1;
    } else if (strcmp(arg, "--warmup") == 0) {
      if (parse_count(arg, value, &warmup))
        return 1;
    } else if (strcmp(arg, "--num-threads") == 0) {
      if (parse_count(arg, value, &threads))
        return 1;
      if (threads > TFM_MAX_THREADS)
        return fail("--num-threads %ld: expected 1 to %d (0: all cores)",
                    threads, TFM_MAX_THREADS);
    } else if (strcmp(arg, "--seed") == 0) {
      if (parse_count(arg, value, &seed))
        return 1;
    } else if (strcmp(arg, "--generate") == 0) {
      if (parse_count(arg, value, &generate_count))
        return 1;
      if (generate_count < 1 || generate_count > INT32_MAX)
        return fail("--generate expects a token count of 1 or more");
    } else if (strcmp(arg, "--prompt-ids") == 0) {
      prompt_file = value;
    } else if (strcmp(arg, "--prefill-model") == 0) {
      prefill_file = value;
    } else if (strcmp(arg, "--temperature") == 0) {
      if (parse_float(arg, value, &generation.temperature))
        return 1;
    } else if (strcmp(arg, "--top-p") == 0) {
      if (parse_float(arg, value, &generation.top_p))
        return 1;
      if (generation.top_p > 1)
        return fail("--top-p expects a probability in [0, 1], got '%s'", value);
    } else if (strcmp(arg, "--top-k") == 0) {
      long k;
      if (parse_count(arg, value, &k))
        return 1;
      generation.top_k = k > INT32_MAX ? INT32_MAX : (int32_t)k;
    } else if (strcmp(arg, "--stop-token") == 0) {
      long token;
      if (parse_count(arg, value, &token))
        return 1;
      stop_tokens[generation.num_stop_tokens++] = token;
    } else if (strcmp(arg, "--no-check-indices") == 0) {
      check_indices = 0;
      continue;
    } else if (strcmp(arg, "--quiet") == 0) {
      quiet = 1;
      continue;
    } else if (strcmp(arg, "--info") == 0) {
      info_only = 1;
      continue;
    } else {
      fail("unknown option '%s'", arg);
      usage(stderr);
      return 1;
    }
    ++i;
  }

  tfm_model_options options = {weights, (int32_t)threads};
  tfm_model *model;
  if (tfm_model_create(desc, &options, &model) != TFM_OK)
    return fail("%s", tfm_last_error());
  owned.model = model;
  tfm_model_set_check_indices(model, check_indices);
  int32_t num_inputs = tfm_model_num_inputs(model);
  int32_t num_outputs = tfm_model_num_outputs(model);

  if (info_only) {
    printf("model '%s': arena %llu bytes, weights %llu bytes\n", desc->name,
           (unsigned long long)desc->arena_size,
           (unsigned long long)desc->weights_size);
    for (int pass = 0; pass < 2; ++pass) {
      int32_t count = pass ? num_outputs : num_inputs;
      for (int32_t i = 0; i < count; ++i) {
        const tfm_tensor_info *t =
            pass ? tfm_model_output(model, i) : tfm_model_input(model, i);
        char shape[256];
        format_described_shape(shape, sizeof(shape), desc, t, pass);
        printf("%s '", pass ? "output" : "input");
        print_escaped(stdout, t->name);
        printf("': %s %s\n", tfm_dtype_name((tfm_dtype)t->dtype), shape);
      }
    }
    return 0;
  }
  if (generate_count > 0) {
    if (num_given > 0)
      return fail("--generate makes the model's inputs itself; --input does "
                  "not apply");
    generation.seed = (uint64_t)seed;
    generation.stop_tokens = stop_tokens;
    if (prefill_file) {
      if (load_prefill_model(prefill_file, &options, &owned.prefill))
        return 1;
      generation.prefill = owned.prefill;
    }
    return generate(model, generate_count, prompt_file, &generation, bench,
                    warmup, output_dir);
  }
  if (prompt_file)
    return fail("--prompt-ids applies to --generate");
  if (prefill_file)
    return fail("--prefill-model applies to --generate");

  for (int g = 0; g < num_given; ++g)
    if (tfm_model_find_input(model, input_names[g]) < 0) {
      fprintf(stderr, "%s: error: the model has no input '", program);
      print_escaped(stderr, input_names[g]);
      fprintf(stderr, "'; its inputs:");
      for (int32_t i = 0; i < num_inputs; ++i) {
        fputs(" '", stderr);
        print_escaped(stderr, tfm_model_input(model, i)->name);
        fputc('\'', stderr);
      }
      fputc('\n', stderr);
      return 1;
    }

  void **inputs = owned.inputs = calloc((size_t)num_inputs + 1, sizeof(void *));
  void **outputs = owned.outputs =
      calloc((size_t)num_outputs + 1, sizeof(void *));
  if (!inputs || !outputs)
    return fail("out of memory");
  owned.num_inputs = num_inputs;
  owned.num_outputs = num_outputs;
  uint64_t state = (uint64_t)seed;
  for (int32_t i = 0; i < num_inputs; ++i) {
    const tfm_tensor_info *info = tfm_model_input(model, i);
    inputs[i] = allocate(tfm_tensor_info_num_bytes(info), "input", info->name);
    if (!inputs[i])
      return 1;
    const char *file = NULL;
    for (int g = 0; g < num_given; ++g)
      if (strcmp(input_names[g], info->name) == 0)
        file = input_files[g];
    if (file) {
      if (load_input(model, i, file, inputs[i]))
        return 1;
    } else {
      tfm_generate_input(info, inputs[i], &state);
      if (!quiet) {
        fprintf(stderr, "%s: generated input '", program);
        print_escaped(stderr, info->name);
        fprintf(stderr, "' (seed %ld)\n", seed);
      }
    }
  }
  for (int32_t i = 0; i < num_outputs; ++i) {
    const tfm_tensor_info *info = tfm_model_output(model, i);
    outputs[i] =
        allocate(tfm_tensor_info_num_bytes(info), "output", info->name);
    if (!outputs[i])
      return 1;
  }

  for (long w = 0; bench > 0 && w < warmup; ++w)
    if (tfm_model_run(model, (const void *const *)inputs, outputs) != TFM_OK)
      return fail("%s", tfm_last_error());
  long runs = bench > 0 ? bench : 1;
  double *times = owned.times = calloc((size_t)runs, sizeof(double));
  if (!times)
    return fail("out of memory");
  for (long r = 0; r < runs; ++r) {
    if (tfm_model_run(model, (const void *const *)inputs, outputs) != TFM_OK)
      return fail("%s", tfm_last_error());
    times[r] = (double)tfm_model_last_run_ns(model) * 1e-6;
  }

  if (output_dir) {
    if (mkdir(output_dir, 0755) != 0 && errno != EEXIST)
      return fail("cannot create output directory '%s': %s", output_dir,
                  strerror(errno));
    for (int32_t i = 0; i < num_outputs; ++i) {
      const tfm_tensor_info *info = tfm_model_output(model, i);
      char name[256], path[4096];
      sanitize(name, sizeof(name), info->name);
      snprintf(path, sizeof(path), "%s/%s.npy", output_dir, name);
      if (tfm_npy_write(path, (tfm_dtype)info->dtype, info->rank,
                        tfm_model_output_shape(model, i), outputs[i]) != TFM_OK)
        return fail("%s", tfm_last_error());
    }
  }
  if (!quiet)
    for (int32_t i = 0; i < num_outputs; ++i)
      summarize(tfm_model_output(model, i), tfm_model_output_shape(model, i),
                outputs[i]);

  double peak_mib = peak_rss_mib();
  if (bench > 0) {
    qsort(times, (size_t)runs, sizeof(double), compare_doubles);
    size_t p90 = (size_t)ceil(0.9 * (double)runs) - 1;
    printf("latency over %ld runs: min %.3f ms  median %.3f ms  p90 %.3f ms\n",
           runs, times[0], times[runs / 2], times[p90]);
    printf("peak RSS: %.1f MiB\n", peak_mib);
  } else if (!quiet) {
    printf("latency: %.3f ms (one run; --bench N for statistics)\n", times[0]);
  }

  return 0;
}

int main(int argc, char **argv) {
  int status = run(argc, argv);
  release_state();
  return status;
}
