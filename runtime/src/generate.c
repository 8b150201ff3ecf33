/*===- generate.c - the token loop of decoder models ----------------------===*
 *
 * tfm_model_generate: runs a decoder exported in its generation form (see
 * tfm_runtime.h) one step after another over a cache of P rows per past
 * tensor that this file keeps in the past inputs' own buffers. A step runs
 * up to S tokens at positions pos..pos+n-1: the attention mask lets them
 * see the cache rows 0..pos-1 and their own rows (slots P..P+n-1 of the
 * mask, after the cache), the present outputs' new rows are written to
 * cache rows pos..pos+n-1, and the last token's logits choose the next
 * token. With a prefill model, the prompt runs through it, over the same
 * cache.
 *
 *===----------------------------------------------------------------------===*/

#include "inputs.h"
#include "internal.h"
#include "npy.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The roles of a model's inputs and outputs in generation. */
typedef struct layout {
  int32_t input_ids, attention_mask, position_ids, logits;
  int32_t num_caches;
  int32_t *past;    /* input index of cache i */
  int32_t *present; /* output index of cache i */
  int64_t chunk;    /* S (with a dynamic sequence: its bound) */
  int64_t capacity; /* P */
  int64_t vocab;
  int present_is_new_rows; /* present holds S rows, not P + S */
  int dynamic;             /* S is dynamic: a step runs exactly its tokens */
} layout;

static void layout_free(layout *l) {
  free(l->past);
  free(l->present);
  l->past = l->present = NULL;
}

static int contains(const char *name, const char *part) {
  return name && strstr(name, part) != NULL;
}

static int is_integer(int32_t dtype) {
  return dtype == TFM_DTYPE_I64 || dtype == TFM_DTYPE_I32;
}

/* Finds the roles, or fails naming what does not fit. */
static tfm_status analyze(const tfm_model *model, layout *l) {
  const tfm_model_desc *desc = tfm_model_get_desc(model);
  memset(l, 0, sizeof(*l));
  l->input_ids = tfm_model_find_input(model, "input_ids");
  l->attention_mask = tfm_model_find_input(model, "attention_mask");
  l->position_ids = tfm_model_find_input(model, "position_ids");
  l->logits = tfm_model_find_output(model, "logits");
  const char *missing = l->input_ids < 0        ? "an input 'input_ids'"
                        : l->attention_mask < 0 ? "an input 'attention_mask'"
                        : l->position_ids < 0   ? "an input 'position_ids'"
                        : l->logits < 0         ? "an output 'logits'"
                                                : NULL;
  if (missing)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s' is not a decoder in generation form: it "
                    "lacks %s (see tfm_model_generate)",
                    desc->name, missing);
  const tfm_tensor_info *ids = &desc->inputs[l->input_ids];
  const tfm_tensor_info *mask = &desc->inputs[l->attention_mask];
  const tfm_tensor_info *positions = &desc->inputs[l->position_ids];
  const tfm_tensor_info *logits = &desc->outputs[l->logits];
  if (ids->rank != 2 || ids->shape[0] != 1 || ids->shape[1] < 1 ||
      !is_integer(ids->dtype))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s': input 'input_ids' must be integer [1, S] "
                    "(generation runs one sequence)",
                    desc->name);
  l->chunk = ids->shape[1];
  if (positions->rank != 2 || positions->shape[0] != 1 ||
      positions->shape[1] != l->chunk || !is_integer(positions->dtype))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s': input 'position_ids' must be integer [1, "
                    "%lld] like input_ids",
                    desc->name, (long long)l->chunk);
  if (mask->rank != 2 || mask->shape[0] != 1 || mask->shape[1] <= l->chunk ||
      !is_integer(mask->dtype))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s': input 'attention_mask' must be integer [1, "
                    "P + %lld] with a cache of P > 0 rows",
                    desc->name, (long long)l->chunk);
  l->capacity = mask->shape[1] - l->chunk;
  /* A dynamic sequence: one symbol for the ids and positions, and the mask
   * that symbol plus the cache rows (--dim total=past_sequence+sequence). */
  int32_t sequence = ids->dims ? ids->dims[1] : -1;
  l->dynamic = sequence >= 0;
  if (l->dynamic) {
    const tfm_symbol_info *mask_symbol =
        mask->dims && mask->dims[1] >= 0 ? &desc->symbols[mask->dims[1]] : NULL;
    if (!positions->dims || positions->dims[1] != sequence)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "model '%s': input 'position_ids' must have the "
                      "dynamic length of input_ids ('%s')",
                      desc->name, desc->symbols[sequence].name);
    if (!mask_symbol || mask_symbol->base != sequence ||
        mask_symbol->offset != l->capacity)
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "model '%s': input 'attention_mask' must be [1, P + "
                      "%s] (the cache rows, then the sequence): compile it "
                      "with --dim NAME=past_sequence+%s for its dimension",
                      desc->name, desc->symbols[sequence].name,
                      desc->symbols[sequence].name);
  }
  if (logits->rank != 3 || logits->shape[0] != 1 ||
      logits->shape[1] != l->chunk || logits->shape[2] < 1 ||
      (logits->dtype != TFM_DTYPE_F32 && logits->dtype != TFM_DTYPE_F16 &&
       logits->dtype != TFM_DTYPE_BF16))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s': output 'logits' must be float [1, %lld, "
                    "vocab]",
                    desc->name, (long long)l->chunk);
  l->vocab = logits->shape[2];

  l->past = (int32_t *)calloc((size_t)desc->num_inputs + 1, sizeof(int32_t));
  l->present =
      (int32_t *)calloc((size_t)desc->num_outputs + 1, sizeof(int32_t));
  if (!l->past || !l->present) {
    layout_free(l);
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  int32_t num_present = 0;
  for (int32_t i = 0; i < desc->num_outputs; ++i)
    if (contains(desc->outputs[i].name, "present"))
      l->present[num_present++] = i;
  for (int32_t i = 0; i < desc->num_inputs; ++i) {
    if (i == l->input_ids || i == l->attention_mask || i == l->position_ids)
      continue;
    if (!contains(desc->inputs[i].name, "past")) {
      layout_free(l);
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "model '%s': input '%s' has no role in generation "
                      "(expected input_ids, attention_mask, position_ids "
                      "and past_* caches)",
                      desc->name, desc->inputs[i].name);
    }
    l->past[l->num_caches++] = i;
  }
  if (l->num_caches == 0 || l->num_caches != num_present) {
    layout_free(l);
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s' has %d past inputs and %d present outputs; "
                    "generation needs a present output for each past input",
                    desc->name, (int)l->num_caches, (int)num_present);
  }
  for (int32_t c = 0; c < l->num_caches; ++c) {
    const tfm_tensor_info *past = &desc->inputs[l->past[c]];
    const tfm_tensor_info *present = &desc->outputs[l->present[c]];
    int ok = past->rank == 4 && present->rank == 4 && past->shape[0] == 1 &&
             !tfm_tensor_info_is_dynamic(past) &&
             past->shape[2] == l->capacity && past->dtype == present->dtype &&
             present->shape[0] == 1 && present->shape[1] == past->shape[1] &&
             present->shape[3] == past->shape[3];
    int new_rows = ok && present->shape[2] == l->chunk;
    ok = ok && (new_rows || present->shape[2] == l->capacity + l->chunk);
    if (ok && c > 0 && new_rows != l->present_is_new_rows)
      ok = 0;
    if (!ok) {
      layout_free(l);
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "model '%s': cache input '%s' and output '%s' must be "
                      "[1, heads, %lld, head_dim] and [1, heads, %lld or "
                      "%lld, head_dim] of one type",
                      desc->name, past->name, present->name,
                      (long long)l->capacity,
                      (long long)(l->capacity + l->chunk), (long long)l->chunk);
    }
    l->present_is_new_rows = new_rows;
  }
  return TFM_OK;
}

int32_t tfm_model_max_context(tfm_model *model) {
  tfm_clear_error();
  if (!model) {
    tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model");
    return 0;
  }
  layout l;
  if (analyze(model, &l) != TFM_OK)
    return 0;
  int64_t context = l.capacity + 1;
  layout_free(&l);
  return context > INT32_MAX ? INT32_MAX : (int32_t)context;
}

static void set_integer(void *data, int32_t dtype, size_t i, int64_t value) {
  if (dtype == TFM_DTYPE_I64)
    ((int64_t *)data)[i] = value;
  else
    ((int32_t *)data)[i] = (int32_t)value;
}

static float logit_at(const void *data, int32_t dtype, size_t i) {
  if (dtype == TFM_DTYPE_F16)
    return tfm_f16_to_f32(((const uint16_t *)data)[i]);
  if (dtype == TFM_DTYPE_BF16)
    return tfm_bf16_to_f32(((const uint16_t *)data)[i]);
  return ((const float *)data)[i];
}

typedef struct candidate {
  float logit;
  int64_t token;
  double weight; /* exp((logit - best) / temperature) */
} candidate;

static int by_logit_descending(const void *a, const void *b) {
  const candidate *x = (const candidate *)a, *y = (const candidate *)b;
  if (x->logit != y->logit)
    return x->logit < y->logit ? 1 : -1;
  return x->token < y->token ? -1 : (x->token > y->token);
}

/* Chooses the next token from one row of logits; `scratch` holds vocab
 * candidates. NaN logits are never chosen (nor is any token when all are
 * NaN: the first one is returned). */
static int64_t choose(const float *logits, int64_t vocab,
                      const tfm_generate_options *options, uint64_t *rng,
                      candidate *scratch) {
  int64_t best = 0;
  for (int64_t v = 1; v < vocab; ++v)
    if (logits[v] > logits[best] || isnan(logits[best]))
      best = v;
  if (options->temperature <= 0 || options->top_k == 1)
    return best;
  int64_t count = 0;
  for (int64_t v = 0; v < vocab; ++v)
    if (!isnan(logits[v]))
      scratch[count++] = (candidate){logits[v], v, 0.0};
  if (count == 0)
    return best;
  qsort(scratch, (size_t)count, sizeof(candidate), by_logit_descending);
  if (options->top_k > 0 && options->top_k < count)
    count = options->top_k;
  /* Weights relative to the best, in double: the sampling distribution
   * up to its normalization. */
  double total = 0;
  double top = scratch[0].logit;
  for (int64_t i = 0; i < count; ++i) {
    scratch[i].weight =
        exp(((double)scratch[i].logit - top) / options->temperature);
    total += scratch[i].weight;
  }
  if (options->top_p > 0 && options->top_p < 1) {
    /* The fewest most likely tokens whose probability reaches top_p. */
    double kept = 0;
    int64_t keep = 0;
    while (keep < count && kept < options->top_p * total)
      kept += scratch[keep++].weight;
    count = keep;
    total = kept;
  }
  double draw = (double)(tfm_next_random(rng) >> 11) * 0x1.0p-53 * total;
  for (int64_t i = 0; i < count; ++i) {
    draw -= scratch[i].weight;
    if (draw < 0)
      return scratch[i].token;
  }
  return scratch[count - 1].token;
}

static tfm_status check_options(const tfm_model *model, const int64_t *prompt,
                                int32_t prompt_length,
                                const tfm_generate_options *options,
                                const int64_t *tokens) {
  const char *name = tfm_model_get_desc(model)->name;
  if (!prompt || prompt_length < 1)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s': generation needs a prompt of at least one "
                    "token",
                    name);
  if (!options)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no generation options");
  if (options->max_new_tokens < 0)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "max_new_tokens is %d; expected 0 or more",
                    (int)options->max_new_tokens);
  if (options->max_new_tokens > 0 && !tokens)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no buffer for the tokens");
  if (isnan(options->temperature) || isinf(options->temperature))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "temperature must be a finite number");
  if (options->top_k < 0)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "top_k is %d; expected 0 (no limit) or more",
                    (int)options->top_k);
  if (!(options->top_p >= 0 && options->top_p <= 1))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "top_p must lie in [0, 1] (0 or 1: no limit)");
  if (options->num_stop_tokens < 0 ||
      (options->num_stop_tokens > 0 && !options->stop_tokens))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "invalid stop token list");
  return TFM_OK;
}

/* One model's side of the loop: its roles, buffers and argument lists.
 * The cache (the past inputs' buffers) belongs to the decode model's
 * stepper; the prefill model's past inputs point to the same buffers. */
typedef struct stepper {
  tfm_model *model;
  const tfm_model_desc *desc;
  layout l;
  void **buffers; /* inputs..., outputs...; borrowed caches not owned */
  bool *owned;
  const void **inputs;
  void **outputs;
} stepper;

static void stepper_free(stepper *s) {
  if (s->buffers)
    for (int32_t i = 0; i < s->desc->num_inputs + s->desc->num_outputs; ++i)
      if (s->owned[i])
        free(s->buffers[i]);
  free(s->buffers);
  free(s->owned);
  free((void *)s->inputs);
  layout_free(&s->l);
  memset(s, 0, sizeof(*s));
}

/* Allocates the buffers of `model`, zeroed (the cache rows not yet filled
 * are masked, but must be finite) and 64-byte aligned; with `cache`, its
 * past inputs use that stepper's cache buffers. */
static tfm_status stepper_init(stepper *s, tfm_model *model,
                               const stepper *cache) {
  memset(s, 0, sizeof(*s));
  s->model = model;
  s->desc = tfm_model_get_desc(model);
  tfm_status status = analyze(model, &s->l);
  if (status != TFM_OK)
    return status;
  int32_t count = s->desc->num_inputs + s->desc->num_outputs;
  s->buffers = (void **)calloc((size_t)count, sizeof(void *));
  s->owned = (bool *)calloc((size_t)count, sizeof(bool));
  s->inputs =
      (const void **)calloc((size_t)s->desc->num_inputs + 1, sizeof(void *));
  if (!s->buffers || !s->owned || !s->inputs) {
    stepper_free(s);
    return tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  /* (check_prefill rejects a model whose caches differ.) */
  for (int32_t c = 0; cache && c < s->l.num_caches && c < cache->l.num_caches;
       ++c)
    s->buffers[s->l.past[c]] = cache->buffers[cache->l.past[c]];
  for (int32_t i = 0; i < count; ++i) {
    if (s->buffers[i])
      continue;
    const tfm_tensor_info *info =
        i < s->desc->num_inputs ? &s->desc->inputs[i]
                                : &s->desc->outputs[i - s->desc->num_inputs];
    size_t bytes = (tfm_tensor_info_num_bytes(info) + 127) / 64 * 64;
    s->buffers[i] = aligned_alloc(64, bytes);
    if (!s->buffers[i]) {
      stepper_free(s);
      return tfm_fail(TFM_ERROR_OUT_OF_MEMORY,
                      "cannot allocate %zu bytes for '%s'", bytes, info->name);
    }
    s->owned[i] = true;
    memset(s->buffers[i], 0, bytes);
  }
  for (int32_t i = 0; i < s->desc->num_inputs; ++i)
    s->inputs[i] = s->buffers[i];
  s->outputs = s->buffers + s->desc->num_inputs;
  return TFM_OK;
}

/* Fails, naming the difference, unless `prefill` can share the cache of
 * `decode` and choose from the same vocabulary. */
static tfm_status check_prefill(const stepper *decode, const stepper *prefill) {
  const char *name = decode->desc->name;
  const char *other = prefill->desc->name;
  if (prefill->l.capacity != decode->l.capacity)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "prefill model '%s' has a cache of %lld rows and model "
                    "'%s' %lld; compile both with the same past length",
                    other, (long long)prefill->l.capacity, name,
                    (long long)decode->l.capacity);
  if (prefill->l.vocab != decode->l.vocab)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "prefill model '%s' has a vocabulary of %lld and model "
                    "'%s' %lld",
                    other, (long long)prefill->l.vocab, name,
                    (long long)decode->l.vocab);
  if (prefill->l.num_caches != decode->l.num_caches)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "prefill model '%s' has %d cache tensors and model '%s' "
                    "%d",
                    other, (int)prefill->l.num_caches, name,
                    (int)decode->l.num_caches);
  for (int32_t c = 0; c < decode->l.num_caches; ++c) {
    const tfm_tensor_info *a = &decode->desc->inputs[decode->l.past[c]];
    const tfm_tensor_info *b = &prefill->desc->inputs[prefill->l.past[c]];
    if (a->dtype != b->dtype || a->shape[1] != b->shape[1] ||
        a->shape[3] != b->shape[3])
      return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "prefill model '%s': cache input '%s' differs from "
                      "'%s' of model '%s' in type or shape",
                      other, b->name, a->name, name);
  }
  return TFM_OK;
}

/* Runs `n` tokens at positions pos..pos+n-1 (in a static model, the rest
 * of the S slots are padding, masked; a dynamic one runs n) and writes
 * their cache rows to rows pos..pos+n-1. */
static tfm_status stepper_run(stepper *s, const int64_t *tokens, int64_t n,
                              int64_t pos) {
  const layout *l = &s->l;
  void *ids = s->buffers[l->input_ids];
  void *mask = s->buffers[l->attention_mask];
  void *positions = s->buffers[l->position_ids];
  int32_t ids_type = s->desc->inputs[l->input_ids].dtype;
  int32_t mask_type = s->desc->inputs[l->attention_mask].dtype;
  int32_t positions_type = s->desc->inputs[l->position_ids].dtype;
  /* The mask's cache part (rows 0..pos-1 shown) is kept up to date by
   * stepper_show as rows fill; its last S slots are this step's tokens. */
  int64_t slots = l->dynamic ? n : l->chunk;
  if (l->dynamic) {
    const int64_t sequence_shape[2] = {1, n};
    const int64_t mask_shape[2] = {1, l->capacity + n};
    tfm_status status;
    if ((status = tfm_model_set_input_shape(s->model, l->input_ids,
                                            sequence_shape)) != TFM_OK ||
        (status = tfm_model_set_input_shape(s->model, l->position_ids,
                                            sequence_shape)) != TFM_OK ||
        (status = tfm_model_set_input_shape(s->model, l->attention_mask,
                                            mask_shape)) != TFM_OK)
      return status;
  }
  for (int64_t i = 0; i < slots; ++i) {
    set_integer(ids, ids_type, (size_t)i, i < n ? tokens[i] : 0);
    /* Padding runs at position 0: inside any position table. */
    set_integer(positions, positions_type, (size_t)i, i < n ? pos + i : 0);
    set_integer(mask, mask_type, (size_t)(l->capacity + i), i < n);
  }
  tfm_status status = tfm_model_run(s->model, s->inputs, s->outputs);
  if (status != TFM_OK)
    return status;
  /* The new rows go to cache rows pos..pos+n-1, of every head. */
  for (int32_t c = 0; c < l->num_caches; ++c) {
    const tfm_tensor_info *past = &s->desc->inputs[l->past[c]];
    size_t row_bytes = (size_t)past->shape[3] * tfm_dtype_size(past->dtype);
    /* (A dynamic output is packed at its run-time shape.) */
    int64_t present_rows = tfm_model_output_shape(s->model, l->present[c])[2];
    int64_t first_new = l->present_is_new_rows ? 0 : l->capacity;
    uint8_t *to = (uint8_t *)s->buffers[l->past[c]];
    const uint8_t *from = (const uint8_t *)s->outputs[l->present[c]];
    for (int64_t h = 0; h < past->shape[1]; ++h)
      memcpy(to + ((size_t)h * (size_t)l->capacity + (size_t)pos) * row_bytes,
             from + ((size_t)h * (size_t)present_rows + (size_t)first_new) *
                        row_bytes,
             (size_t)n * row_bytes);
  }
  return TFM_OK;
}

/* Shows cache rows from..to-1 to the stepper's next steps. */
static void stepper_show(stepper *s, int64_t from, int64_t to) {
  void *mask = s->buffers[s->l.attention_mask];
  int32_t mask_type = s->desc->inputs[s->l.attention_mask].dtype;
  for (int64_t j = from; j < to; ++j)
    set_integer(mask, mask_type, (size_t)j, 1);
}

tfm_status tfm_model_generate(tfm_model *model, const int64_t *prompt,
                              int32_t prompt_length,
                              const tfm_generate_options *options,
                              int64_t *tokens, tfm_generate_result *result) {
  tfm_clear_error();
  if (!model)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "no model");
  tfm_status status =
      check_options(model, prompt, prompt_length, options, tokens);
  if (status != TFM_OK)
    return status;
  if (options->prefill == model)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "the prefill model is the model itself");
  stepper decode, prefill;
  memset(&prefill, 0, sizeof(prefill));
  if ((status = stepper_init(&decode, model, NULL)) != TFM_OK)
    return status;
  const layout *l = &decode.l;
  const char *name = decode.desc->name;
  if ((int64_t)prompt_length > l->capacity) {
    status = tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                      "model '%s': the prompt has %d tokens; its cache holds "
                      "%lld (compile with a larger past length)",
                      name, (int)prompt_length, (long long)l->capacity);
    stepper_free(&decode);
    return status;
  }
  if (options->prefill) {
    status = stepper_init(&prefill, options->prefill, &decode);
    if (status == TFM_OK)
      status = check_prefill(&decode, &prefill);
    if (status != TFM_OK) {
      stepper_free(&prefill);
      stepper_free(&decode);
      return status;
    }
  }
  candidate *scratch =
      (candidate *)malloc((size_t)l->vocab * sizeof(candidate));
  float *row = (float *)malloc((size_t)l->vocab * sizeof(float));
  if (!scratch || !row)
    status = tfm_fail(TFM_ERROR_OUT_OF_MEMORY, "out of memory");

  tfm_generate_result r;
  memset(&r, 0, sizeof(r));
  r.prompt_tokens = prompt_length;
  r.stop_reason = TFM_STOP_MAX_TOKENS;
  uint64_t rng = options->seed;
  uint64_t start = tfm_now_ns(), first = 0;
  int64_t pos = 0;   /* tokens in the cache */
  int64_t fed = 0;   /* prompt tokens run so far */
  int64_t next = -1; /* the token chosen last, not yet run */
  int done = options->max_new_tokens == 0;
  while (status == TFM_OK && !done) {
    /* This step's tokens: the next chunk of the prompt (through the
     * prefill model when there is one and more than the decode model's S
     * tokens are left), else the last token chosen. */
    int64_t left = prompt_length - fed;
    stepper *s = left > l->chunk && options->prefill ? &prefill : &decode;
    int64_t n = left > 0 ? (left < s->l.chunk ? left : s->l.chunk) : 1;
    if (pos + n > l->capacity) {
      r.stop_reason = TFM_STOP_CONTEXT;
      break;
    }
    status = stepper_run(s, left > 0 ? prompt + fed : &next, n, pos);
    if (status != TFM_OK)
      break;
    ++r.steps;
    r.prefill_steps += s == &prefill;
    stepper_show(&decode, pos, pos + n);
    if (options->prefill)
      stepper_show(&prefill, pos, pos + n);
    pos += n;
    if (left > 0) {
      fed += n;
      if (fed < prompt_length)
        continue;
    }
    /* The last token's logits choose the next one. */
    const void *logits = s->outputs[s->l.logits];
    int32_t logits_type = s->desc->outputs[s->l.logits].dtype;
    size_t base = (size_t)(n - 1) * (size_t)l->vocab;
    for (int64_t v = 0; v < l->vocab; ++v)
      row[v] = logit_at(logits, logits_type, base + (size_t)v);
    if (options->logits)
      memcpy(options->logits + (size_t)r.num_tokens * (size_t)l->vocab, row,
             (size_t)l->vocab * sizeof(float));
    next = choose(row, l->vocab, options, &rng, scratch);
    tokens[r.num_tokens++] = next;
    if (r.num_tokens == 1)
      first = tfm_now_ns();
    if (options->on_token &&
        options->on_token(options->user_data, next, r.num_tokens - 1)) {
      r.stop_reason = TFM_STOP_CALLBACK;
      done = 1;
    }
    for (int32_t t = 0; !done && t < options->num_stop_tokens; ++t)
      if (options->stop_tokens[t] == next) {
        r.stop_reason = TFM_STOP_TOKEN;
        done = 1;
      }
    if (r.num_tokens == options->max_new_tokens)
      done = 1;
  }
  uint64_t end = tfm_now_ns();
  r.prefill_ns = (first ? first : end) - start;
  r.decode_ns = first ? end - first : 0;
  if (result)
    *result = r;

  free(scratch);
  free(row);
  stepper_free(&prefill);
  stepper_free(&decode);
  return status;
}
