// membw: the measured memory read bandwidth of this machine, the limit that
// bench/generate_bench.py quotes decode speeds against (a decoder reads
// every weight once per token).
//
// Threads sum disjoint slices of a buffer far larger than the caches with
// 256-bit loads (eight independent accumulators, enough to keep the loads
// in flight), the buffer touched first so that page faults are not timed;
// prints the best of several passes in GB/s (10^9 bytes per second). Each
// thread takes its own start and end times: a pass lasts from the first
// start to the last end. (Timing from the main thread, which shares the
// cores with the readers, started the clock late whenever it was
// descheduled after releasing them, and overstated the bandwidth by up
// to 2x.)
//
//   cc -O2 -mavx2 -pthread membw.c -o membw
//   membw [--threads N] [--mib M]

#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct slice {
  const float *data;
  size_t count; // a multiple of 64
  pthread_barrier_t *start;
  double sum;
  double begin, end; // this thread's reading, in now() seconds
} slice;

__attribute__((target("avx2"))) static void *read_slice(void *arg) {
  slice *s = (slice *)arg;
  pthread_barrier_wait(s->start);
  s->begin = now();
  __m256 acc[8];
  for (int i = 0; i < 8; ++i)
    acc[i] = _mm256_setzero_ps();
  for (size_t i = 0; i < s->count; i += 64)
    for (int j = 0; j < 8; ++j)
      acc[j] = _mm256_add_ps(acc[j], _mm256_load_ps(s->data + i + 8 * j));
  float lanes[8];
  for (int j = 1; j < 8; ++j)
    acc[0] = _mm256_add_ps(acc[0], acc[j]);
  _mm256_storeu_ps(lanes, acc[0]);
  s->sum = 0;
  for (int j = 0; j < 8; ++j)
    s->sum += lanes[j];
  s->end = now();
  return NULL;
}

int main(int argc, char **argv) {
  int threads = 1;
  long mib = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--threads") == 0)
      threads = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--mib") == 0)
      mib = atol(argv[i + 1]);
  }
  if (threads < 1 || threads > 256 || mib < 64) {
    fprintf(stderr, "usage: membw [--threads 1-256] [--mib M >= 64]\n");
    return 1;
  }
  size_t bytes = (size_t)mib << 20;
  float *data = aligned_alloc(64, bytes);
  if (!data) {
    fprintf(stderr, "membw: cannot allocate %ld MiB\n", mib);
    return 1;
  }
  size_t count = bytes / sizeof(float);
  for (size_t i = 0; i < count; ++i)
    data[i] = (float)(i & 7);
  size_t per_thread = count / (size_t)threads / 64 * 64;
  double best = 0, checksum = 0;
  for (int pass = 0; pass < 5; ++pass) {
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    pthread_t ids[256];
    slice slices[256];
    for (int t = 0; t < threads; ++t) {
      slices[t] =
          (slice){data + (size_t)t * per_thread, per_thread, &start, 0, 0, 0};
      pthread_create(&ids[t], NULL, read_slice, &slices[t]);
    }
    pthread_barrier_wait(&start);
    double begin = 0, end = 0;
    for (int t = 0; t < threads; ++t) {
      pthread_join(ids[t], NULL);
      checksum += slices[t].sum;
      if (t == 0 || slices[t].begin < begin)
        begin = slices[t].begin;
      if (t == 0 || slices[t].end > end)
        end = slices[t].end;
    }
    double seconds = end - begin;
    pthread_barrier_destroy(&start);
    double rate = (double)per_thread * threads * sizeof(float) / seconds;
    if (rate > best)
      best = rate;
  }
  printf("read bandwidth: %.2f GB/s (%d threads, %ld MiB, checksum %g)\n",
         best * 1e-9, threads, mib, checksum);
  free(data);
  return 0;
}
