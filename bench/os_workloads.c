/* SPDX-License-Identifier: MIT */
/*
 * OS workloads, the same code on both OSes:
 *   syscall   the round trip of one trivial kernel entry (getppid /
 *             GetProcessTimes) next to a call that stays in user space
 *   wakeup    cyclictest-style: 1 ms absolute-deadline sleeps (plain OS sleep)
 *             per priority profile, in a thread pinned to the last CPU,
 *             lateness per wake-up; the series names what the profile got
 *   jitter    oslat-style: a pinned thread reads lal_now_ns in a tight loop;
 *             every gap is a moment the thread did not run (an interrupt, the
 *             tick, another task); reported as a distribution and as
 *             interruptions per second above 10 us
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_os.h"
#include "lal.h"
#include "priority_text.h"
#include "where.h"

#define BATCH 32

int wl_syscall(const bench_opts *opts, json_writer *jw) {
  histogram *h[2] = {malloc(sizeof(histogram)), malloc(sizeof(histogram))};
  if (!h[0] || !h[1])
    return 1;
  hist_init(h[0]), hist_init(h[1]);
  int rounds = bench_share(opts, opts->quick ? 2000 : 20000, 1000);
  volatile int sink = 0;
  /* Interleaved rounds, stopped early when the budget runs out (a kernel
   * entry under Wine costs ~60 us). */
  uint64_t stop = lal_now_ns() + (uint64_t)(opts->duration_s * 1e9);
  for (int r = 0; r < rounds + 100 && (r < 1100 || lal_now_ns() < stop); r++)
    for (int s = 0; s < 2; s++) {
      uint64_t t0 = lal_now_ns();
      for (int i = 0; i < BATCH; i++) {
        if (s == 0)
          bench_os_trivial_syscall();
        else
          sink += lal_current_cpu();
      }
      if (r >= 100)
        hist_record(h[s], (lal_now_ns() - t0) * 1000 / BATCH);
    }
  (void)sink;
  const char *names[2] = {"trivial syscall", "user-space call (lal_current_cpu)"};
  for (int s = 0; s < 2; s++) {
    bench_print(names[s], "ps", h[s]);
    bench_emit(jw, "syscall", names[s], "ps/call, mean of 32", h[s]);
  }
  printf("  a kernel entry costs %.1f x a user-space call here\n",
         (double)hist_quantile(h[0], 0.5) / (double)hist_quantile(h[1], 0.5));
  free(h[0]), free(h[1]);
  return 0;
}

typedef struct wake_job {
  int iterations;
  histogram *h;
  bench_where *where;
} wake_job;

static int wake_loop(void *arg) {
  wake_job *j = arg;
  bench_periodic_wakeups(j->iterations, 1000000, j->h, j->where);
  return 0;
}

static int last_cpu(void) {
  lal_cpuset mine;
  lal_thread_get_affinity(&mine);
  int cpu = lal_cpuset_first(&mine);
  for (int c = cpu; c >= 0; c = lal_cpuset_next(&mine, c))
    cpu = c;
  return cpu;
}

int wl_wakeup(const bench_opts *opts, json_writer *jw) {
  static const int profiles[] = {LAL_PRIORITY_NORMAL, LAL_PRIORITY_INTERACTIVE, LAL_PRIORITY_AUDIO,
                                 LAL_PRIORITY_REALTIME};
  static const char *const names[] = {"NORMAL", "INTERACTIVE", "AUDIO", "REALTIME"};
  int iterations = opts->quick ? 200 : (int)(opts->duration_s * 1000 / 4);
  if (iterations < 100)
    iterations = 100;
  lal_cpuset pin;
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, last_cpu());
  int failed = 0;
  for (int p = 0; p < 4; p++) {
    histogram *h = malloc(sizeof *h);
    bench_where *where = malloc(sizeof *where);
    if (!h || !where) {
      free(h);
      free(where);
      return 1;
    }
    hist_init(h);
    where_init(where);
    lal_priority_req req = LAL_PRIORITY_REQ_INIT;
    req.profile = profiles[p];
    lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
    attr.flags = LAL_THREAD_FALLBACK;
    attr.priority = &req;
    attr.affinity = &pin;
    wake_job j = {iterations, h, where};
    lal_thread *t;
    int rc = lal_thread_create(&t, &attr, wake_loop, &j);
    if (rc != LAL_OK) {
      printf("  %-36s cannot start its thread: %s\n", names[p], lal_err_name(rc));
      free(h);
      free(where);
      failed = 1;
      continue;
    }
    lal_thread_result r = LAL_THREAD_RESULT_INIT;
    lal_thread_get_result(t, &r);
    lal_thread_join(t, NULL);
    /* The series is the profile, the same on every OS; what the thread
     * actually got goes beside it, and lal-compare warns when two runs got
     * different things for the same profile. */
    char got[160], line[200];
    priority_text(&r.priority, got, sizeof got);
    if (r.priority.flags & LAL_PRIORITY_DEGRADED)
      snprintf(got + strlen(got), sizeof got - strlen(got), ", degraded");
    snprintf(line, sizeof line, "%s (%s)", names[p], got);
    bench_print(line, "ns", h);
    bench_param params[] = {BENCH_NUM("cpu", lal_cpuset_first(&pin)),
                            BENCH_NUM("interval_ns", 1000000), BENCH_NUM("loops", iterations)};
    bench_extra extra = {where, -1};
    bench_emit_series_ex(jw, "wakeup", names[p], "ns late", got, params, 3, h, &extra);
    free(h);
    free(where);
  }
  return failed;
}

typedef struct jitter_job {
  uint64_t duration_ns;
  histogram *h;
  uint64_t over_threshold;
} jitter_job;

#define JITTER_THRESHOLD_NS 10000

static int jitter_loop(void *arg) {
  jitter_job *j = arg;
  uint64_t start = lal_now_ns(), prev = start;
  for (;;) {
    uint64_t now = lal_now_ns();
    uint64_t gap = now - prev;
    hist_record(j->h, gap);
    j->over_threshold += gap > JITTER_THRESHOLD_NS;
    prev = now;
    if (now - start >= j->duration_ns)
      break;
  }
  return 0;
}

int wl_jitter(const bench_opts *opts, json_writer *jw) {
  histogram *h = malloc(sizeof *h);
  if (!h)
    return 1;
  hist_init(h);
  /* At most 5 s over the run (duration_s is one round's share). */
  double total = opts->duration_s * (opts->rounds > 1 ? opts->rounds : 1);
  double seconds =
      opts->quick ? bench_share_s(opts, 0.5, 0.2) : bench_share_s(opts, total > 5 ? 5 : total, 0.2);
  jitter_job j = {(uint64_t)(seconds * 1e9), h, 0};
  lal_cpuset pin;
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, last_cpu());
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.affinity = &pin;
  attr.flags = LAL_THREAD_FALLBACK;
  lal_thread *t;
  if (lal_thread_create(&t, &attr, jitter_loop, &j) == LAL_OK)
    lal_thread_join(t, NULL);
  bench_print("gap between two reads", "ns", h);
  bench_param params[] = {BENCH_NUM("cpu", lal_cpuset_first(&pin)),
                          BENCH_NUM("duration_ns", j.duration_ns),
                          BENCH_NUM("threshold_ns", JITTER_THRESHOLD_NS)};
  bench_emit_series(jw, "jitter", "gap between two reads, normal priority", "ns", NULL, params, 3,
                    h);
  printf("  %.1f interruptions/s longer than %u us on CPU %d (normal priority: SCHED_FIFO would "
         "be stopped by RT throttling in a busy loop)\n",
         (double)j.over_threshold / seconds, JITTER_THRESHOLD_NS / 1000, last_cpu());
  free(h);
  return 0;
}

/* harness: what recording one sample costs, so the suite's own overhead is
 * known (target <= 5 ns). Values spread over many buckets, as real ones are. */
int wl_harness(const bench_opts *opts, json_writer *jw) {
  histogram *h = malloc(sizeof *h),
            *cost[2] = {malloc(sizeof(histogram)), malloc(sizeof(histogram))};
  if (!h || !cost[0] || !cost[1])
    return 1;
  hist_init(h), hist_init(cost[0]), hist_init(cost[1]);
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  lal_clock_get_info(&info);
  double ps_per_tick = info.tsc_hz ? 1e12 / (double)info.tsc_hz : 0;
  if (ps_per_tick <= 0) {
    printf("  skipped: TSC frequency unknown\n");
    free(h), free(cost[0]), free(cost[1]);
    return 0;
  }
  int rounds = bench_share(opts, opts->quick ? 200 : 2000, 100);
  uint64_t x = 88172645463325252u;
  enum { N = 4096 };
  for (int r = 0; r < rounds; r++)
    for (int s = 0; s < 2; s++) {
      uint64_t t0 = lal_tsc_ordered();
      for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* s 0: latencies as they come (50-100 us, a few buckets); s 1: spread
         * from 1 ns to seconds (every bucket, cache misses included) */
        hist_record(h, s == 0 ? 50000 + (x & 0xffff) : x >> (x & 31));
      }
      hist_record(cost[s], (uint64_t)((double)(lal_tsc_ordered() - t0) * ps_per_tick / N));
    }
  const char *names[2] = {"hist_record, clustered values", "hist_record, values 1 ns..s"};
  for (int s = 0; s < 2; s++) {
    bench_print(names[s], "ps", cost[s]);
    bench_emit(jw, "harness", names[s], "ps/sample incl. an xorshift, mean of 4096", cost[s]);
  }
  printf("  recording a sample: %.2f ns clustered, %.2f ns spread, at p50 (target <= 5 ns)\n",
         (double)hist_quantile(cost[0], 0.5) / 1000.0,
         (double)hist_quantile(cost[1], 0.5) / 1000.0);
  free(h), free(cost[0]), free(cost[1]);
  return 0;
}
