// vnni_peak: the measured vpdpbusd rate of this machine, the peak that
// bench/quant_bench.py quotes W8A8 GEMM rates against.
//
// Each thread runs a loop of 24 independent vpdpbusd accumulations (enough
// to cover the instruction's latency on every pipe) on 512-bit registers
// (256-bit with `--bits 256`), for a fixed time; prints the total rate in
// GOP/s (one vpdpbusd on 512 bits is 64 multiply-adds, 128 operations).
//
//   cc -O2 -mavx512f -mavx512vnni -mavxvnni -pthread vnni_peak.c -o vnni_peak
//   vnni_peak [--threads N] [--bits 256|512]

#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const long kIterations = 200000000;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

#define REPEAT24(X)                                                            \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)  \
      X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23)

__attribute__((target("avx512f,avx512vnni"))) static void *run512(void *out) {
  __m512i a = _mm512_set1_epi32(0x01020304), b = _mm512_set1_epi32(0x05060708);
#define DECL(i) __m512i acc##i = _mm512_set1_epi32(i);
  REPEAT24(DECL)
  for (long it = 0; it < kIterations; ++it) {
#define STEP(i) acc##i = _mm512_dpbusd_epi32(acc##i, a, b);
    REPEAT24(STEP)
    __asm__ volatile("" : "+v"(a), "+v"(b));
  }
  __m512i sum = acc0;
#define SUM(i) sum = _mm512_add_epi32(sum, acc##i);
  REPEAT24(SUM)
  *(int32_t *)out = _mm512_reduce_add_epi32(sum);
  return NULL;
}

__attribute__((target("avx2,avxvnni"))) static void *run256(void *out) {
  __m256i a = _mm256_set1_epi32(0x01020304), b = _mm256_set1_epi32(0x05060708);
#define DECL2(i) __m256i acc##i = _mm256_set1_epi32(i);
  REPEAT24(DECL2)
  for (long it = 0; it < kIterations; ++it) {
#define STEP2(i) acc##i = _mm256_dpbusd_avx_epi32(acc##i, a, b);
    REPEAT24(STEP2)
    __asm__ volatile("" : "+v"(a), "+v"(b));
  }
  __m256i sum = acc0;
#define SUM2(i) sum = _mm256_add_epi32(sum, acc##i);
  REPEAT24(SUM2)
  int32_t lanes[8];
  _mm256_storeu_si256((__m256i *)lanes, sum);
  *(int32_t *)out = lanes[0];
  return NULL;
}

int main(int argc, char **argv) {
  int threads = 2, bits = 512;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--threads"))
      threads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--bits"))
      bits = atoi(argv[i + 1]);
  }
  if (threads < 1 || threads > 256 || (bits != 256 && bits != 512)) {
    fprintf(stderr, "vnni_peak: bad --threads or --bits\n");
    return 2;
  }
  if (bits == 512 ? !__builtin_cpu_supports("avx512vnni")
                  : !__builtin_cpu_supports("avxvnni")) {
    fprintf(stderr, "vnni_peak: this CPU has no %d-bit vpdpbusd\n", bits);
    return 3;
  }
  pthread_t ids[256];
  int32_t sinks[256];
  double start = now();
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, bits == 512 ? run512 : run256, &sinks[t]);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  double seconds = now() - start;
  double ops = 24.0 * kIterations * threads * (bits / 32) * 4 * 2;
  printf("vpdpbusd peak: %.0f GOP/s (%d threads, %d bits, %.2f s)\n",
         ops / seconds / 1e9, threads, bits, seconds);
  return 0;
}
