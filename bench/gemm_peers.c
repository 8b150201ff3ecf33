/*===- gemm_peers.c - OpenBLAS sgemm and the machine's fp32 FMA peak -----===*
 *
 * The peers of bench/gemm_bench.py, in one program:
 *
 *   gemm_peers peak THREADS SECONDS
 *     GFLOP/s of THREADS threads each issuing independent FMAs from
 *     registers only, one line "LANES GFLOPS" per vector width the CPU
 *     has: 8 lanes (AVX2: 2 FMA x 8 lanes x 2 flops per cycle per core at
 *     the clock the cores run at now) and, with AVX-512F, 16 lanes.
 *   gemm_peers sgemm M N K THREADS RUNS WARMUP
 *     Median milliseconds of OpenBLAS's C = A B (row-major, A [M, K],
 *     B [K, N]) on THREADS threads.
 *
 * Comparison only: nothing tfmc ships links a BLAS.
 *
 *   clang -O2 -mavx2 -mfma -fopenmp bench/gemm_peers.c -lopenblas
 *
 *===----------------------------------------------------------------------===*/

#include <cblas.h>
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern void openblas_set_num_threads(int);

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Twelve independent FMA chains hide the FMA latency on both pipes. */
static double fma_chains8(long iterations) {
  __m256 acc[12];
  __m256 x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(0.9999999f);
  for (int j = 0; j < 12; ++j)
    acc[j] = _mm256_set1_ps((float)j);
  for (long i = 0; i < iterations; ++i) {
#pragma clang loop unroll(full)
    for (int j = 0; j < 12; ++j)
      acc[j] = _mm256_fmadd_ps(acc[j], x, y);
  }
  float sum = 0, lanes[8];
  for (int j = 0; j < 12; ++j) {
    _mm256_storeu_ps(lanes, acc[j]);
    sum += lanes[0];
  }
  return sum;
}

__attribute__((target("avx512f"))) static double fma_chains16(long iterations) {
  __m512 acc[12];
  __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
  for (int j = 0; j < 12; ++j)
    acc[j] = _mm512_set1_ps((float)j);
  for (long i = 0; i < iterations; ++i) {
#pragma clang loop unroll(full)
    for (int j = 0; j < 12; ++j)
      acc[j] = _mm512_fmadd_ps(acc[j], x, y);
  }
  float sum = 0;
  for (int j = 0; j < 12; ++j)
    sum += _mm512_reduce_add_ps(acc[j]);
  return sum;
}

/* GFLOP/s of `threads` threads running `chains` for about `seconds`. */
static double measure_peak(double (*chains)(long), int lanes, int threads,
                           double seconds) {
  long iterations = 1000000;
  /* Calibrate to about `seconds` on one thread. */
  double t0 = now_s();
  volatile double sink = chains(iterations);
  double once = now_s() - t0;
  if (once > 0)
    iterations = (long)(iterations * seconds / once);
  double start = now_s();
#pragma omp parallel num_threads(threads)
  sink += chains(iterations);
  double elapsed = now_s() - start;
  (void)sink;
  return threads * iterations * 12.0 * 2.0 * lanes / elapsed / 1e9;
}

static int peak(int threads, double seconds) {
  printf("8 %.2f\n", measure_peak(fma_chains8, 8, threads, seconds));
  if (__builtin_cpu_supports("avx512f"))
    printf("16 %.2f\n", measure_peak(fma_chains16, 16, threads, seconds));
  return 0;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int sgemm(long m, long n, long k, int threads, int runs, int warmup) {
  float *a = aligned_alloc(64, ((m * k * 4 + 63) / 64) * 64);
  float *b = aligned_alloc(64, ((k * n * 4 + 63) / 64) * 64);
  float *c = aligned_alloc(64, ((m * n * 4 + 63) / 64) * 64);
  double *times = calloc(runs, sizeof(double));
  if (!a || !b || !c || !times) {
    fprintf(stderr, "gemm_peers: out of memory\n");
    return 1;
  }
  for (long i = 0; i < m * k; ++i)
    a[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
  for (long i = 0; i < k * n; ++i)
    b[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
  openblas_set_num_threads(threads);
  for (int r = -warmup; r < runs; ++r) {
    double t0 = now_s();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k,
                b, n, 0.0f, c, n);
    if (r >= 0)
      times[r] = (now_s() - t0) * 1e3;
  }
  qsort(times, runs, sizeof(double), compare_doubles);
  printf("%.4f\n", times[runs / 2]);
  free(a);
  free(b);
  free(c);
  free(times);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "peak") == 0)
    return peak(atoi(argv[2]), atof(argv[3]));
  if (argc == 8 && strcmp(argv[1], "sgemm") == 0)
    return sgemm(atol(argv[2]), atol(argv[3]), atol(argv[4]), atoi(argv[5]),
                 atoi(argv[6]), atoi(argv[7]));
  fprintf(stderr, "usage: gemm_peers peak THREADS SECONDS\n"
                  "       gemm_peers sgemm M N K THREADS RUNS WARMUP\n");
  return 2;
}
