/*===- parallel_overhead.c - fork/join cost: libomp vs a thread pool -----===*
 *
 * Measures what one parallel loop costs beyond its work, the way generated
 * code runs them: one fork/join per loop, about 200 per BERT-base
 * inference. Compares LLVM's OpenMP runtime (what `convert-scf-to-openmp`
 * targets) with a minimal pthread pool (workers spin briefly, then sleep on
 * a condition variable, as a runtime-provided pool would).
 *
 *   clang -O2 -fopenmp bench/parallel_overhead.c -o parallel_overhead
 *   ./parallel_overhead [threads]
 *
 *===----------------------------------------------------------------------===*/

#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}

/* A little work per iteration on separate cache lines per thread, so that
 * the loop is neither optimized away nor slowed by false sharing. */
static float data[65536];
static void work(long i) { data[i] = data[i] * 0.5f + 1.0f; }

/*===-- A minimal pool: generation counter, spin then condvar -------------===*/

typedef struct {
  int threads;
  long iterations;
  atomic_long generation;
  atomic_int remaining;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t *workers;
} pool;

static void run_share(pool *p, int index) {
  long chunk = (p->iterations + p->threads - 1) / p->threads;
  long begin = index * chunk, end = begin + chunk;
  if (end > p->iterations)
    end = p->iterations;
  for (long i = begin; i < end; ++i)
    work(i);
}

static void *worker(void *arg) {
  pool *p = (pool *)arg;
  static atomic_int next_index = 1;
  int index = atomic_fetch_add(&next_index, 1);
  long seen = 0;
  for (;;) {
    long gen;
    int spins = 0;
    while ((gen = atomic_load(&p->generation)) == seen && spins < 20000)
      ++spins;
    if (gen == seen) {
      pthread_mutex_lock(&p->lock);
      while ((gen = atomic_load(&p->generation)) == seen)
        pthread_cond_wait(&p->wake, &p->lock);
      pthread_mutex_unlock(&p->lock);
    }
    if (gen < 0)
      return NULL;
    seen = gen;
    run_share(p, index);
    atomic_fetch_sub(&p->remaining, 1);
  }
}

static void pool_parallel_for(pool *p, long iterations) {
  p->iterations = iterations;
  atomic_store(&p->remaining, p->threads - 1);
  pthread_mutex_lock(&p->lock);
  atomic_fetch_add(&p->generation, 1);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->lock);
  run_share(p, 0);
  while (atomic_load(&p->remaining) > 0)
    ;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : omp_get_max_threads();
  const int loops = 20000;
  const long sizes[] = {2, 256, 65536};

  omp_set_num_threads(threads);
  pool p = {.threads = threads};
  pthread_mutex_init(&p.lock, NULL);
  pthread_cond_init(&p.wake, NULL);
  p.workers = calloc(threads, sizeof(pthread_t));
  for (int t = 1; t < threads; ++t)
    pthread_create(&p.workers[t], NULL, worker, &p);

  printf("%d threads, %d parallel loops per measurement\n", threads, loops);
  printf("| iterations | libomp us/loop | pool us/loop | serial us/loop |\n");
  printf("|---|---|---|---|\n");
  for (int s = 0; s < 3; ++s) {
    long n = sizes[s];
    /* warm both up */
    for (int r = 0; r < 1000; ++r) {
#pragma omp parallel for schedule(static)
      for (long i = 0; i < n; ++i)
        work(i);
      pool_parallel_for(&p, n);
    }
    double t0 = now_us();
    for (int r = 0; r < loops; ++r) {
#pragma omp parallel for schedule(static)
      for (long i = 0; i < n; ++i)
        work(i);
    }
    double t1 = now_us();
    for (int r = 0; r < loops; ++r)
      pool_parallel_for(&p, n);
    double t2 = now_us();
    for (int r = 0; r < loops; ++r)
      for (long i = 0; i < n; ++i)
        work(i);
    double t3 = now_us();
    printf("| %ld | %.2f | %.2f | %.2f |\n", n, (t1 - t0) / loops,
           (t2 - t1) / loops, (t3 - t2) / loops);
  }
  atomic_store(&p.generation, -1);
  pthread_mutex_lock(&p.lock);
  pthread_cond_broadcast(&p.wake);
  pthread_mutex_unlock(&p.lock);
  for (int t = 1; t < threads; ++t)
    pthread_join(p.workers[t], NULL);
  return 0;
}
