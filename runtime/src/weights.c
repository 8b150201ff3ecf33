/*===- weights.c - embedded and memory-mapped weights --------------------===*
 *
 * Small models carry their weights in the read-only data of the executable
 * or shared library; large ones (tfmc's --weights=auto switches at 64 MiB)
 * keep them in a side file that is mapped read-only and private: the page
 * cache shares it between processes, and pages load on first touch.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include "checksum.h"
#include "internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

bool tfm_weights_resolve_path(const tfm_model_desc *desc,
                              const char *explicit_path, char *out,
                              size_t capacity) {
  const char *path = explicit_path;
  char module_dir[4096] = "";
  if (!path) {
    Dl_info info;
    const char *module = NULL;
    if (dladdr((const void *)desc, &info) && info.dli_fname &&
        info.dli_fname[0])
      module = info.dli_fname;
    char exe[4096], absolute[4096];
    /* Canonical, so that messages name the file plainly. A relative module
     * name is relative to the working directory at load time, which is
     * still current unless the program changed it. */
    if (module && strchr(module, '/') && realpath(module, absolute))
      module = absolute;
    if (!module || !strchr(module, '/')) {
      /* The main executable reports its bare name; ask the kernel. */
      ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
      if (n > 0) {
        exe[n] = '\0';
        module = exe;
      }
    }
    if (module) {
      const char *slash = strrchr(module, '/');
      if (slash) {
        size_t length = (size_t)(slash - module) + 1;
        if (length < sizeof(module_dir)) {
          memcpy(module_dir, module, length);
          module_dir[length] = '\0';
        }
      }
    }
  }
  int written =
      path ? snprintf(out, capacity, "%s", path)
           : snprintf(out, capacity, "%s%s", module_dir, desc->weights_file);
  return written >= 0 && (size_t)written < capacity;
}

/* Mapped side files, by checksum and size: models with the same weights
 * (a prefill and a decode model compiled from one export) share one
 * mapping. Entries live while a model holds them. */
typedef struct shared_mapping {
  struct shared_mapping *next;
  uint64_t checksum;
  size_t size;
  void *mapping;
  int64_t users;
} shared_mapping;

static shared_mapping *shared_mappings;
static pthread_mutex_t shared_mappings_lock = PTHREAD_MUTEX_INITIALIZER;

/* Takes a reference to the mapping of a blob with this checksum and size,
 * or returns NULL when none is mapped. */
static void *acquire_shared(uint64_t checksum, size_t size) {
  void *mapping = NULL;
  pthread_mutex_lock(&shared_mappings_lock);
  for (shared_mapping *m = shared_mappings; m; m = m->next)
    if (m->checksum == checksum && m->size == size) {
      ++m->users;
      mapping = m->mapping;
      break;
    }
  pthread_mutex_unlock(&shared_mappings_lock);
  return mapping;
}

/* Records a new mapping with one user; false when out of memory (the
 * mapping is then private to its model). */
static bool publish_shared(uint64_t checksum, size_t size, void *mapping) {
  shared_mapping *m = (shared_mapping *)malloc(sizeof(*m));
  if (!m)
    return false;
  *m = (shared_mapping){NULL, checksum, size, mapping, 1};
  pthread_mutex_lock(&shared_mappings_lock);
  m->next = shared_mappings;
  shared_mappings = m;
  pthread_mutex_unlock(&shared_mappings_lock);
  return true;
}

/* Drops a reference; true when the caller held the last one and must
 * unmap. */
static bool release_shared(void *mapping) {
  bool last = false;
  pthread_mutex_lock(&shared_mappings_lock);
  for (shared_mapping **link = &shared_mappings; *link; link = &(*link)->next) {
    shared_mapping *m = *link;
    if (m->mapping != mapping)
      continue;
    if (--m->users == 0) {
      *link = m->next;
      free(m);
      last = true;
    }
    break;
  }
  pthread_mutex_unlock(&shared_mappings_lock);
  return last;
}

tfm_status tfm_weights_load(const tfm_model_desc *desc, const char *path,
                            tfm_weights *weights) {
  memset(weights, 0, sizeof(*weights));
  weights->size = (size_t)desc->weights_size;
  if (desc->weights_size == 0)
    return TFM_OK;
  if (desc->weights && !path) {
    weights->data = desc->weights;
    return TFM_OK;
  }
  if (!desc->weights_file && !path)
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT,
                    "model '%s' names no weights file", desc->name);

  /* The same blob already mapped (its checksum was verified then). */
  void *shared = acquire_shared(desc->weights_checksum, weights->size);
  if (shared) {
    weights->data = (const uint8_t *)shared;
    weights->mapping = shared;
    weights->mapping_size = weights->size;
    weights->shared = true;
    return TFM_OK;
  }

  char resolved[4096];
  if (!tfm_weights_resolve_path(desc, path, resolved, sizeof(resolved)))
    return tfm_fail(TFM_ERROR_INVALID_ARGUMENT, "weights path is too long");
  int fd = open(resolved, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return tfm_fail(TFM_ERROR_IO, "cannot open weights file '%s': %s", resolved,
                    strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int error = errno;
    close(fd);
    return tfm_fail(TFM_ERROR_IO, "cannot stat weights file '%s': %s", resolved,
                    strerror(error));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return tfm_fail(TFM_ERROR_IO, "weights file '%s' is not a regular file",
                    resolved);
  }
  if ((uint64_t)st.st_size != desc->weights_size) {
    close(fd);
    return tfm_fail(TFM_ERROR_IO,
                    "weights file '%s' has %lld bytes; model '%s' expects "
                    "%llu (was it written by the same compilation?)",
                    resolved, (long long)st.st_size, desc->name,
                    (unsigned long long)desc->weights_size);
  }
  void *mapping = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  int error = errno;
  close(fd);
  if (mapping == MAP_FAILED)
    return tfm_fail(TFM_ERROR_IO, "cannot map weights file '%s': %s", resolved,
                    strerror(error));
  /* A file of the right size from another compilation (or a damaged one)
   * would run with the wrong weights: the descriptor records the checksum
   * of the file tfmc wrote. */
  uint64_t checksum = tfm_checksum(mapping, (size_t)st.st_size);
  if (checksum != desc->weights_checksum) {
    munmap(mapping, (size_t)st.st_size);
    return tfm_fail(TFM_ERROR_IO,
                    "weights file '%s' does not match model '%s' (checksum "
                    "%016llx, expected %016llx): it was written by another "
                    "compilation or has been modified",
                    resolved, desc->name, (unsigned long long)checksum,
                    (unsigned long long)desc->weights_checksum);
  }
  weights->data = (const uint8_t *)mapping;
  weights->mapping = mapping;
  weights->mapping_size = (size_t)st.st_size;
  weights->shared = publish_shared(checksum, weights->mapping_size, mapping);
  return TFM_OK;
}

void tfm_weights_release(tfm_weights *weights) {
  if (weights->mapping &&
      (!weights->shared || release_shared(weights->mapping)))
    munmap(weights->mapping, weights->mapping_size);
  memset(weights, 0, sizeof(*weights));
}
