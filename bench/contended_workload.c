/* SPDX-License-Identifier: MIT */
/*
 * wakeup_contended: what an unprivileged desktop thread gets. A 1 ms periodic
 * thread (cyclictest-style absolute sleeps) shares its CPU with a CPU-bound
 * thread of the same priority, as an audio callback shares a core with a
 * game's worker. Series, each with what the thread obtained:
 *   NORMAL            SCHED_OTHER nice 0 against the hog: the fair share
 *   NORMAL + slice    the same with an EEVDF slice of 0.1 ms (Linux 6.12+:
 *                     an earlier virtual deadline, so it preempts the hog sooner)
 *   AUDIO             the AUDIO profile with fallback: FIFO as root, rtkit's RR or
 *                     the slice hint unprivileged (the series says which)
 * Windows: NORMAL and AUDIO (MMCSS); the slice series is skipped with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "lal.h"
#include "priority_text.h"
#include "where.h"

#define PERIOD_NS 1000000u
#define SLICE_NS 100000u

typedef struct contended_job {
  int iterations;
  histogram *h;
  bench_where *where;
  volatile int stop; /* the hog's */
} contended_job;

static int hog(void *arg) {
  contended_job *j = arg;
  volatile uint64_t sink = 0;
  while (!__atomic_load_n(&j->stop, __ATOMIC_ACQUIRE))
    for (int i = 0; i < 10000; i++)
      sink = sink + (uint64_t)i;
  return sink == 1; /* read once, so no compiler calls it unused */
}

static int periodic(void *arg) {
  contended_job *j = arg;
  bench_periodic_wakeups(j->iterations, PERIOD_NS, j->h, j->where);
  return 0;
}

/* One series: the periodic thread with `req` and a NORMAL hog, both pinned to
 * `cpu`. 0, or 1 if a thread could not start. */
static int series(json_writer *jw, int cpu, const char *name, const lal_priority_req *req,
                  int iterations) {
  histogram *h = malloc(sizeof *h);
  bench_where *where = malloc(sizeof *where);
  if (!h || !where) {
    free(h);
    free(where);
    return 1;
  }
  hist_init(h);
  where_init(where);
  lal_cpuset pin;
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, cpu);
  contended_job j = {iterations, h, where, 0};
  lal_thread_attr hog_attr = LAL_THREAD_ATTR_INIT;
  hog_attr.affinity = &pin;
  hog_attr.flags = LAL_THREAD_FALLBACK;
  lal_thread *ht = NULL, *pt = NULL;
  int rc = lal_thread_create(&ht, &hog_attr, hog, &j);
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.affinity = &pin;
  attr.priority = req;
  attr.flags = LAL_THREAD_FALLBACK;
  if (rc == LAL_OK)
    rc = lal_thread_create(&pt, &attr, periodic, &j);
  char got[200] = "";
  if (pt) {
    lal_thread_result r = LAL_THREAD_RESULT_INIT;
    lal_thread_get_result(pt, &r);
    priority_text(&r.priority, got, sizeof got);
    snprintf(got + strlen(got), sizeof got - strlen(got), " via %s",
             lal_priority_via_name(r.priority.obtained_via));
    lal_thread_join(pt, NULL);
  }
  __atomic_store_n(&j.stop, 1, __ATOMIC_RELEASE);
  if (ht)
    lal_thread_join(ht, NULL);
  if (rc != LAL_OK) {
    printf("  %-36s cannot start its threads: %s\n", name, lal_err_name(rc));
    free(h);
    free(where);
    return 1;
  }
  char line[300];
  snprintf(line, sizeof line, "%s (%s)", name, got);
  bench_print(line, "ns", h);
  bench_param params[] = {BENCH_NUM("cpu", cpu), BENCH_NUM("interval_ns", PERIOD_NS),
                          BENCH_NUM("loops", iterations), BENCH_TEXT("contender", "NORMAL hog")};
  bench_extra extra = {where, -1};
  bench_emit_series_ex(jw, "wakeup_contended", name, "ns late", got, params, 4, h, &extra);
  free(h);
  free(where);
  return 0;
}

int wl_wakeup_contended(const bench_opts *opts, json_writer *jw) {
  int iterations = opts->quick ? 300 : (int)(opts->duration_s * 1000 / 3);
  if (iterations < 100)
    iterations = 100;
  int cpu = opts->home_cpu;
  int failed = 0;
  lal_priority_req normal = LAL_PRIORITY_REQ_INIT;
  normal.profile = LAL_PRIORITY_EXPLICIT;
  normal.policy = LAL_POLICY_OTHER;
  failed |= series(jw, cpu, "NORMAL", &normal, iterations);

  lal_priority_req slice = normal;
  slice.runtime_ns = SLICE_NS;
  lal_priority_result probe = LAL_PRIORITY_RESULT_INIT;
  lal_thread_state saved;
  int have = lal_thread_state_save(&saved) == LAL_OK;
  int rc = lal_thread_set_priority(&slice, &probe); /* can this OS and kernel take it? */
  if (have)
    lal_thread_state_restore(&saved);
  if (rc == LAL_OK)
    failed |= series(jw, cpu, "NORMAL + slice 0.1 ms", &slice, iterations);
  else
    printf("  %-36s skipped: %s\n", "NORMAL + slice 0.1 ms",
           rc == LAL_ENOTSUP ? "no EEVDF slice hint on this OS (Linux 6.12+ only)"
                             : lal_err_name(rc));

  lal_priority_req audio = LAL_PRIORITY_REQ_INIT;
  audio.profile = LAL_PRIORITY_AUDIO;
  failed |= series(jw, cpu, "AUDIO", &audio, iterations);
  return failed;
}
