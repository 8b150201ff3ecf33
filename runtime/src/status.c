/*===- status.c - per-thread error messages -----------------------------===*/

#include "internal.h"

#include <stdio.h>

static _Thread_local char last_error[1024];

const char *tfm_last_error(void) { return last_error; }

void tfm_clear_error(void) { last_error[0] = '\0'; }

tfm_status tfm_fail(tfm_status status, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(last_error, sizeof(last_error), format, args);
  va_end(args);
  return status;
}
