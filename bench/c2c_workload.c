/* SPDX-License-Identifier: MIT */
/*
 * core_to_core: the latency of handing one cache line between two CPUs, for
 * every pair the process may use (the first 16 CPUs; a row per CPU is
 * printed as a matrix). Two pinned threads spin on one 64-byte-aligned
 * counter: the initiator writes an odd value, the responder answers with the
 * next even one. The time of 64 round trips / 128 is one transfer: a store
 * on one core becoming visible to a load on the other (the cross-core
 * benchmark of nviennot/core-to-core-latency and Intel MLC's c2c test).
 * On SMT siblings the line stays in a shared L1/L2; across sockets it
 * crosses the interconnect.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "lal.h"

#define C2C_MAX_CPUS 16
#define C2C_BATCH 64

typedef struct c2c_line {
  _Alignas(64) atomic_uint_least64_t seq;
  _Alignas(64) atomic_int stop; /* on its own line: no false sharing */
} c2c_line;

typedef struct c2c_job {
  c2c_line *line;
  uint64_t rounds;
} c2c_job;

static int c2c_responder(void *arg) {
  c2c_job *j = arg;
  for (uint64_t r = 0; r < j->rounds; r++) {
    uint64_t want = 2 * r + 1;
    while (atomic_load_explicit(&j->line->seq, memory_order_acquire) != want)
      if (atomic_load_explicit(&j->line->stop, memory_order_relaxed))
        return 1;
    atomic_store_explicit(&j->line->seq, want + 1, memory_order_release);
  }
  return 0;
}

/* Runs on a thread pinned to `from`; the responder on `to`. 0 on success. */
static int c2c_pair(int from, int to, int batches, histogram *h) {
  static c2c_line storage; /* static: msvcrt (mingw) has no aligned_alloc */
  c2c_line *line = &storage;
  atomic_init(&line->seq, 0);
  atomic_init(&line->stop, 0);
  c2c_job job = {line, (uint64_t)(batches + 16) * C2C_BATCH};
  lal_cpuset saved, pin;
  lal_thread_get_affinity(&saved);
  lal_thread *t;
  if (bench_thread_on(&t, to, c2c_responder, &job) != LAL_OK)
    return -1;
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, from);
  int status = lal_thread_set_affinity(&pin) == LAL_OK ? 0 : -1;
  uint64_t r = 0;
  for (int b = 0; status == 0 && b < batches + 16; b++) {
    uint64_t t0 = lal_now_ns();
    for (int k = 0; k < C2C_BATCH; k++, r++) {
      uint64_t v = 2 * r + 1;
      atomic_store_explicit(&line->seq, v, memory_order_release);
      /* A responder that cannot run (its CPU held by a higher-priority
       * task) must not hang the suite: give up after a second. */
      for (uint32_t spins = 1; atomic_load_explicit(&line->seq, memory_order_acquire) != v + 1;
           spins++)
        if ((spins & 0xFFFFF) == 0 && lal_now_ns() - t0 > 1000000000u) {
          status = -1;
          break;
        }
      if (status != 0)
        break;
    }
    if (status != 0)
      break;
    if (b >= 16) /* warm-up: both threads running, the line in place */
      hist_record(h, (lal_now_ns() - t0) * 1000 / (2 * C2C_BATCH));
  }
  atomic_store(&line->stop, 1);
  lal_thread_join(t, NULL);
  lal_thread_set_affinity(&saved);
  return status;
}

int wl_core_to_core(const bench_opts *opts, json_writer *jw) {
  int cpus[C2C_MAX_CPUS], n = 0;
  for (int c = lal_cpuset_first(&opts->allowed); c >= 0 && n < C2C_MAX_CPUS;
       c = lal_cpuset_next(&opts->allowed, c))
    cpus[n++] = c;
  if (n < 2) {
    printf("  skipped: one CPU to use (the process affinity, or --cpus)\n");
    return 0;
  }
  int batches = opts->quick ? 200 : 50 + (int)(opts->duration_s * 300);
  uint64_t p50[C2C_MAX_CPUS][C2C_MAX_CPUS] = {{0}};
  histogram *h = malloc(sizeof *h);
  int failed = !h;
  for (int i = 0; i < n && !failed; i++)
    for (int k = i + 1; k < n && !failed; k++) {
      hist_init(h);
      if (c2c_pair(cpus[i], cpus[k], batches, h) != 0) {
        printf("  cpu %d <-> cpu %d: cannot pin, or no answer within 1 s\n", cpus[i], cpus[k]);
        failed = 1;
        break;
      }
      char series[48];
      snprintf(series, sizeof series, "cpu %d <-> cpu %d", cpus[i], cpus[k]);
      bench_param params[] = {BENCH_NUM("cpu", cpus[i]), BENCH_NUM("peer_cpu", cpus[k]),
                              BENCH_NUM("batches", batches)};
      bench_emit_series(jw, "core_to_core", series, "ps per one-way transfer, mean of 128", NULL,
                        params, 3, h);
      p50[i][k] = p50[k][i] = hist_quantile(h, 0.5);
      if (n <= 4)
        bench_print(series, "ps", h);
    }
  free(h);
  if (failed)
    return 1;
  printf("  p50 ns per transfer%s\n      ", n == C2C_MAX_CPUS ? " (first 16 CPUs)" : "");
  for (int k = 0; k < n; k++)
    printf("%6d", cpus[k]);
  printf("\n");
  for (int i = 0; i < n; i++) {
    printf("  %4d", cpus[i]);
    for (int k = 0; k < n; k++)
      if (i == k)
        printf("%6s", "-");
      else
        printf("%6.1f", (double)p50[i][k] / 1000.0);
    printf("\n");
  }
  return 0;
}
