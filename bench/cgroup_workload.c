/* SPDX-License-Identifier: MIT */
/*
 * cgroup_wakeup (Linux, lal/cgroup.h): 1 ms wake-up lateness of a thread that
 * works 2 ms between sleeps, outside any quota and inside a threaded group
 * with cpu.max 20 ms per 100 ms: CPU quota throttling made visible. Where the
 * cpu controller cannot be enabled (a hybrid host, a container without
 * delegation, a group that holds processes), the workload says why and
 * records nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "lal.h"
#include "lal/cgroup.h"

#define WORK_NS 2000000u
#define SLEEP_NS 1000000u

static void run_loop(int iterations, histogram *h) {
  for (int i = 0; i < iterations; i++) {
    uint64_t t0 = lal_now_ns();
    while (lal_now_ns() - t0 < WORK_NS) {
    }
    uint64_t deadline = lal_now_ns() + SLEEP_NS;
    lal_sleep_until(deadline, 0);
    hist_record(h, lal_now_ns() - deadline);
  }
}

typedef struct job {
  lal_cgroup *group; /* NULL: stay where the process is */
  int iterations;
  histogram *h;
  int status;
} job;

static int thread_main(void *arg) {
  job *j = arg;
  if (j->group && (j->status = lal_cgroup_move_thread(j->group, 0)) != LAL_OK)
    return j->status;
  run_loop(j->iterations, j->h);
  return 0;
}

int wl_cgroup_wakeup(const bench_opts *opts, json_writer *jw) {
  lal_cgroup *home = NULL, *limited = NULL;
  int rc = lal_cgroup_open(NULL, &home);
  if (rc != LAL_OK) {
    printf("  skipped: no cgroup2 hierarchy (%s)\n", lal_err_name(rc));
    return 0;
  }
  char name[40];
  snprintf(name, sizeof name, "lal-bench-%d", (int)getpid());
  rc = lal_cgroup_create(home, name, LAL_CGROUP_THREADED, LAL_CGROUP_CPU, &limited);
  if (rc == LAL_OK)
    rc = lal_cgroup_set_cpu_max(limited, 20000, 100000);
  if (rc != LAL_OK) {
    printf("  skipped: the cpu controller cannot be used here: %s (%s)\n",
           lal_cgroup_reason(limited ? limited : home), lal_err_name(rc));
    if (limited)
      lal_cgroup_remove(limited);
    lal_cgroup_close(home);
    return 0;
  }
  int iterations = bench_share(opts, opts->quick ? 100 : 1000, 100);
  histogram *h[2] = {malloc(sizeof(histogram)), malloc(sizeof(histogram))};
  const char *names[2] = {"no quota", "cpu.max 20 ms / 100 ms"};
  for (int s = 0; s < 2 && h[0] && h[1]; s++) {
    hist_init(h[s]);
    job j = {s ? limited : NULL, iterations, h[s], 0};
    lal_thread *t;
    if (lal_thread_create(&t, NULL, thread_main, &j) == LAL_OK)
      lal_thread_join(t, NULL);
    if (j.status != LAL_OK)
      printf("  %s: moving the thread failed: %s\n", names[s], lal_cgroup_reason(limited));
    bench_print(names[s], "ns", h[s]);
    bench_emit(jw, "cgroup_wakeup", names[s], "ns late", h[s]);
  }
  lal_cgroup_cpu_stat st = LAL_CGROUP_CPU_STAT_INIT;
  if (lal_cgroup_get_cpu_stat(limited, &st) == LAL_OK)
    printf("  throttled %llu of %llu periods, %llu us in total\n",
           (unsigned long long)st.nr_throttled, (unsigned long long)st.nr_periods,
           (unsigned long long)st.throttled_us);
  lal_cgroup_remove(limited);
  lal_cgroup_close(home);
  free(h[0]);
  free(h[1]);
  return 0;
}
