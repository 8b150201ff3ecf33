/*===- library.c - opening a model built by tfmc --emit=lib -------------===*/

#define _GNU_SOURCE
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

const tfm_model_desc *tfm_open_model_library(const char *path,
                                             void **library) {
  *library = NULL;
  /* dlopen searches the library path for a bare name: "./" keeps it to
   * the file named. */
  char local[4096];
  const char *name = path;
  if (!strchr(path, '/')) {
    if (snprintf(local, sizeof(local), "./%s", path) >= (int)sizeof(local)) {
      tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "the library path '%s' is too long",
               path);
      return NULL;
    }
    name = local;
  }
  void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    tfm_fail(TFM_ERROR_IO, "cannot load '%s': %s", path, dlerror());
    return NULL;
  }
  const tfm_model_desc *(*descriptor)(void) =
      (const tfm_model_desc *(*)(void))dlsym(handle, "tfm_model_descriptor");
  if (!descriptor) {
    dlclose(handle);
    tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
             "'%s' is not a model built by tfmc --emit=lib (no "
             "tfm_model_descriptor)",
             path);
    return NULL;
  }
  *library = handle;
  return descriptor();
}
