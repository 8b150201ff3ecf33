/*===- fake_cuda.c - a stand-in libcuda.so.1 for tests without a GPU ----===*/
/*
 * Tests of GPU models on machines without a GPU put this library first on
 * LD_LIBRARY_PATH. It implements the driver entry points the runtime
 * resolves, with host memory as "device" memory, and checks how they are
 * used: every copy and free must name a live allocation and stay inside
 * it, module images must be cubins (ELF for EM_CUDA) that the fake
 * device's compute capability can run, every kernel looked up must be
 * named in its image, and launches must fit the hardware limits. Kernels
 * do not execute, so outputs are not computed: these tests cover the host
 * side of a GPU model (loading, memory, copies, launch sequence, error
 * reporting), and GPU execution tests cover the rest.
 *
 * Environment: TFM_FAKE_CUDA_SM (compute capability as "80", default 80),
 * TFM_FAKE_CUDA_DEVICES (default 1), TFM_FAKE_CUDA_LOG (print a summary
 * at exit).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_DEVICE = 101,
  CUDA_ERROR_INVALID_IMAGE = 200,
  CUDA_ERROR_NO_BINARY_FOR_GPU = 209,
  CUDA_ERROR_INVALID_HANDLE = 400,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
  CUDA_ERROR_ILLEGAL_ADDRESS = 700,
};

typedef struct allocation {
  struct allocation *next;
  unsigned char *data;
  size_t size;
} allocation;

typedef struct module {
  const unsigned char *image;
  size_t size; /* of the ELF file, from its section headers */
} module;

static allocation *live;
static int sm = 80;
static int devices = 1;
static long modules_loaded, kernels_found, launches, syncs, graph_launches;
static int capturing; /* a stream capture is in progress */
static long captured; /* kernels launched into it */
static unsigned long long bytes_in, bytes_out;

static void violation(const char *what) {
  fprintf(stderr, "fake-cuda: driver misuse: %s\n", what);
  abort();
}

__attribute__((destructor)) static void report(void) {
  if (!getenv("TFM_FAKE_CUDA_LOG"))
    return;
  long leaked = 0;
  for (allocation *a = live; a; a = a->next)
    ++leaked;
  fprintf(stderr,
          "fake-cuda: %ld modules loaded, %ld kernels found, %ld launches, "
          "%ld stream waits, %llu bytes to the device, %llu bytes back, "
          "%ld allocations live, %ld graph launches\n",
          modules_loaded, kernels_found, launches, syncs, bytes_in, bytes_out,
          leaked, graph_launches);
}

/* The allocation holding [pointer, pointer + bytes), or NULL. */
static allocation *find(unsigned long long pointer, size_t bytes) {
  for (allocation *a = live; a; a = a->next) {
    uintptr_t begin = (uintptr_t)a->data;
    if (pointer >= begin && pointer + bytes <= begin + a->size &&
        pointer + bytes >= pointer)
      return a;
  }
  return NULL;
}

CUresult cuInit(unsigned flags) {
  (void)flags;
  const char *env = getenv("TFM_FAKE_CUDA_SM");
  if (env)
    sm = atoi(env);
  env = getenv("TFM_FAKE_CUDA_DEVICES");
  if (env)
    devices = atoi(env);
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int *count) {
  *count = devices;
  return CUDA_SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case CUDA_ERROR_INVALID_VALUE:
    *name = "CUDA_ERROR_INVALID_VALUE";
    return CUDA_SUCCESS;
  case CUDA_ERROR_NO_BINARY_FOR_GPU:
    *name = "CUDA_ERROR_NO_BINARY_FOR_GPU";
    return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_IMAGE:
    *name = "CUDA_ERROR_INVALID_IMAGE";
    return CUDA_SUCCESS;
  case CUDA_ERROR_NOT_FOUND:
    *name = "CUDA_ERROR_NOT_FOUND";
    return CUDA_SUCCESS;
  default:
    *name = "CUDA_ERROR_FAKE";
    return CUDA_SUCCESS;
  }
}

CUresult cuGetErrorString(CUresult error, const char **text) {
  (void)error;
  *text = "reported by the fake driver";
  return CUDA_SUCCESS;
}

CUresult cuDeviceGet(int *device, int ordinal) {
  if (ordinal < 0 || ordinal >= devices)
    return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char *name, int length, int device) {
  (void)device;
  snprintf(name, (size_t)length, "tfm fake GPU");
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  (void)device;
  if (attribute == 75)
    *value = sm / 10;
  else if (attribute == 76)
    *value = sm % 10;
  else
    *value = 0;
  return CUDA_SUCCESS;
}

static int context_token;

CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  *context = &context_token;
  return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(int device) {
  (void)device;
  return CUDA_SUCCESS;
}

CUresult cuCtxSetCurrent(void *context) {
  if (context != &context_token)
    violation("cuCtxSetCurrent of a context the driver did not create");
  return CUDA_SUCCESS;
}

static int stream_token;

CUresult cuStreamCreate(void **stream, unsigned flags) {
  (void)flags;
  *stream = &stream_token;
  return CUDA_SUCCESS;
}

CUresult cuStreamDestroy_v2(void *stream) {
  if (stream != &stream_token)
    violation("cuStreamDestroy of an unknown stream");
  return CUDA_SUCCESS;
}

CUresult cuStreamSynchronize(void *stream) {
  if (stream != &stream_token && stream != NULL)
    violation("cuStreamSynchronize of an unknown stream");
  if (capturing)
    violation("cuStreamSynchronize during a stream capture");
  ++syncs;
  return CUDA_SUCCESS;
}

CUresult cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  if (bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  allocation *a = (allocation *)calloc(1, sizeof(*a));
  /* 256-byte aligned, as the driver's are. */
  if (!a || posix_memalign((void **)&a->data, 256, bytes) != 0) {
    free(a);
    return CUDA_ERROR_OUT_OF_MEMORY;
  }
  memset(a->data, 0, bytes);
  a->size = bytes;
  a->next = live;
  live = a;
  *pointer = (uintptr_t)a->data;
  return CUDA_SUCCESS;
}

CUresult cuMemFree_v2(unsigned long long pointer) {
  for (allocation **link = &live; *link; link = &(*link)->next)
    if ((uintptr_t)(*link)->data == pointer) {
      allocation *a = *link;
      *link = a->next;
      free(a->data);
      free(a);
      return CUDA_SUCCESS;
    }
  violation("cuMemFree of a pointer that is not a live allocation");
  return CUDA_ERROR_INVALID_VALUE;
}

static CUresult copy_in(unsigned long long destination, const void *source,
                        size_t bytes) {
  if (capturing)
    violation("a copy to the device inside the captured graph");
  allocation *a = find(destination, bytes);
  if (!a)
    violation("a copy to the device outside any allocation");
  memcpy((void *)(uintptr_t)destination, source, bytes);
  bytes_in += bytes;
  return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(unsigned long long destination, const void *source,
                         size_t bytes) {
  return copy_in(destination, source, bytes);
}

CUresult cuMemcpyHtoDAsync_v2(unsigned long long destination,
                              const void *source, size_t bytes, void *stream) {
  (void)stream;
  return copy_in(destination, source, bytes);
}

CUresult cuMemcpyDtoHAsync_v2(void *destination, unsigned long long source,
                              size_t bytes, void *stream) {
  (void)stream;
  if (!find(source, bytes))
    violation("a copy from the device outside any allocation");
  memcpy(destination, (const void *)(uintptr_t)source, bytes);
  bytes_out += bytes;
  return CUDA_SUCCESS;
}

/* ELF64 header fields of a cubin. */
#define EM_CUDA 190

CUresult cuModuleLoadData(void **out, const void *image) {
  const unsigned char *elf = (const unsigned char *)image;
  if (!elf ||
      memcmp(elf,
             "\x7f"
             "ELF",
             4) != 0 ||
      elf[4] != 2 /* 64-bit */)
    return CUDA_ERROR_INVALID_IMAGE;
  uint16_t machine;
  uint32_t flags;
  uint64_t section_offset;
  uint16_t section_size, section_count;
  memcpy(&machine, elf + 18, 2);
  memcpy(&flags, elf + 48, 4);
  memcpy(&section_offset, elf + 40, 8);
  memcpy(&section_size, elf + 58, 2);
  memcpy(&section_count, elf + 60, 2);
  if (machine != EM_CUDA)
    return CUDA_ERROR_INVALID_IMAGE;
  /* The SM version (ELF ABI version 8 and later: bits 8-15). A cubin for
   * sm_XY runs on compute capability X.Z with Z >= Y. */
  int image_sm = (int)((flags >> 8) & 0xff);
  if (image_sm / 10 != sm / 10 || image_sm % 10 > sm % 10)
    return CUDA_ERROR_NO_BINARY_FOR_GPU;
  module *m = (module *)calloc(1, sizeof(*m));
  if (!m)
    return CUDA_ERROR_OUT_OF_MEMORY;
  m->image = elf;
  m->size = (size_t)(section_offset + (uint64_t)section_size * section_count);
  *out = m;
  ++modules_loaded;
  return CUDA_SUCCESS;
}

CUresult cuModuleUnload(void *handle) {
  free(handle);
  return CUDA_SUCCESS;
}

typedef struct function {
  char name[256];
} function;

CUresult cuModuleGetFunction(void **out, void *handle, const char *name) {
  module *m = (module *)handle;
  if (!m)
    return CUDA_ERROR_INVALID_HANDLE;
  size_t length = strlen(name);
  if (length >= sizeof(((function *)0)->name))
    return CUDA_ERROR_INVALID_VALUE;
  /* The kernel's name is in the image's string table, NUL-terminated. */
  int found = 0;
  for (size_t i = 0; i + length < m->size && !found; ++i)
    found = memcmp(m->image + i, name, length + 1) == 0 &&
            (i == 0 || m->image[i - 1] == '\0' || m->image[i - 1] == '.');
  if (!found)
    return CUDA_ERROR_NOT_FOUND;
  function *f = (function *)calloc(1, sizeof(*f));
  if (!f)
    return CUDA_ERROR_OUT_OF_MEMORY;
  memcpy(f->name, name, length + 1);
  *out = f;
  ++kernels_found;
  return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(void *handle, unsigned gridX, unsigned gridY,
                        unsigned gridZ, unsigned blockX, unsigned blockY,
                        unsigned blockZ, unsigned sharedBytes, void *stream,
                        void **params, void **extra) {
  (void)extra;
  if (!handle)
    violation("cuLaunchKernel of no function");
  if (stream != &stream_token)
    violation("cuLaunchKernel on a stream the model did not create");
  if (gridX == 0 || gridY == 0 || gridZ == 0 || blockX == 0 || blockY == 0 ||
      blockZ == 0)
    return CUDA_ERROR_INVALID_VALUE;
  if ((unsigned long)blockX * blockY * blockZ > 1024 || sharedBytes > 49152)
    return CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES;
  if (!params)
    violation("cuLaunchKernel without parameters");
  if (capturing)
    ++captured;
  else
    ++launches;
  return CUDA_SUCCESS;
}

/* A graph is the number of kernels captured into it. */
typedef struct graph {
  long kernels;
} graph;

CUresult cuStreamBeginCapture_v2(void *stream, int mode) {
  (void)mode;
  if (stream != &stream_token)
    violation("a capture of an unknown stream");
  if (capturing)
    violation("a capture inside a capture");
  capturing = 1;
  captured = 0;
  return CUDA_SUCCESS;
}

CUresult cuStreamEndCapture(void *stream, void **out) {
  if (stream != &stream_token || !capturing)
    violation("cuStreamEndCapture without a capture");
  capturing = 0;
  graph *g = (graph *)calloc(1, sizeof(*g));
  if (!g)
    return CUDA_ERROR_OUT_OF_MEMORY;
  g->kernels = captured;
  *out = g;
  return CUDA_SUCCESS;
}

CUresult cuGraphInstantiateWithFlags(void **exec, void *handle,
                                     unsigned long long flags) {
  (void)flags;
  graph *g = (graph *)calloc(1, sizeof(*g));
  if (!g)
    return CUDA_ERROR_OUT_OF_MEMORY;
  g->kernels = ((graph *)handle)->kernels;
  *exec = g;
  return CUDA_SUCCESS;
}

CUresult cuGraphLaunch(void *exec, void *stream) {
  if (stream != &stream_token)
    violation("cuGraphLaunch on a stream the model did not create");
  launches += ((graph *)exec)->kernels;
  ++graph_launches;
  return CUDA_SUCCESS;
}

CUresult cuGraphExecDestroy(void *exec) {
  free(exec);
  return CUDA_SUCCESS;
}

CUresult cuGraphDestroy(void *handle) {
  free(handle);
  return CUDA_SUCCESS;
}
