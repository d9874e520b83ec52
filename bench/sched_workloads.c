/* SPDX-License-Identifier: MIT */
/*
 * sched_calls: what lal's thread-placement calls cost next to the raw OS
 * call they wrap, interleaved in one run so the ratio is fair. lal's affinity
 * set reads the mask back to refuse sets the kernel would trim (two more
 * syscalls), and its priority set reads the policy before and after (to
 * report what was applied): the ratios say what that safety costs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_os.h"
#include "lal.h"

enum { C_LAL_CPU, C_OS_CPU, C_LAL_PIN, C_OS_PIN, C_LAL_PRIO, C_OS_PRIO, C_PLACE, C_COUNT };
static const char *const names[C_COUNT] = {
    "lal_current_cpu",          "OS current CPU (direct)",        "lal_thread_set_affinity",
    "OS set affinity (direct)", "lal_thread_set_priority NORMAL", "OS set priority (direct)",
    "lal_place 1 thread"};

/* One sample: the mean of a batch of calls, so the cheap calls are not lost
 * in the clock's own cost; calls and batches interleave with the others. */
#define BATCH 16
static uint64_t time_batch(int which, int cpu, const lal_topology *topo) {
  lal_cpuset one;
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, cpu);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  lal_place_req place = LAL_PLACE_REQ_INIT;
  place.threads = 1;
  lal_cpuset out[1];
  volatile int sink = 0;
  uint64_t t0 = lal_now_ns();
  for (int i = 0; i < BATCH; i++) {
    switch (which) {
    case C_LAL_CPU:
      sink = lal_current_cpu();
      break;
    case C_OS_CPU:
      sink = bench_os_current_cpu();
      break;
    case C_LAL_PIN:
      sink = lal_thread_set_affinity(&one);
      break;
    case C_OS_PIN:
      sink = bench_os_pin(cpu);
      break;
    case C_LAL_PRIO:
      sink = lal_thread_set_priority(&req, NULL);
      break;
    case C_OS_PRIO:
      bench_os_normal();
      break;
    default:
      sink = lal_place(topo, &place, out, NULL);
      break;
    }
  }
  (void)sink;
  return (lal_now_ns() - t0) / BATCH;
}

int wl_sched_calls(const bench_opts *opts, json_writer *jw) {
  histogram *h[C_COUNT];
  for (int c = 0; c < C_COUNT; c++) {
    h[c] = malloc(sizeof *h[c]);
    if (!h[c])
      return 1;
    hist_init(h[c]);
  }
  lal_topology *topo = NULL;
  lal_topology_load(&topo);
  lal_thread_state saved;
  lal_thread_state_save(&saved);
  int cpu = lal_current_cpu();
  int rounds = bench_share(opts, opts->quick ? 200 : 2000, 100);
  /* Rounds interleave every call, so stopping early (slow kernels, Wine)
   * keeps the ratios fair; the budget is the workload's duration. */
  uint64_t stop = lal_now_ns() + (uint64_t)(opts->duration_s * 1e9);
  for (int r = 0; r < rounds + 20 && (r < 120 || lal_now_ns() < stop); r++)
    for (int c = 0; c < C_COUNT; c++) {
      if (c == C_PLACE && !topo)
        continue;
      uint64_t ns = time_batch(c, cpu, topo);
      if (r >= 20) /* warm-up */
        hist_record(h[c], ns);
    }
  lal_thread_state_restore(&saved);
  for (int c = 0; c < C_COUNT; c++) {
    if (c == C_PLACE && !topo)
      continue;
    bench_print(names[c], "ns", h[c]);
    bench_emit(jw, "sched_calls", names[c], "ns/call, mean of 16", h[c]);
  }
  double ratio[3];
  for (int k = 0; k < 3; k++)
    ratio[k] = (double)hist_quantile(h[2 * k], 0.5) / (double)hist_quantile(h[2 * k + 1], 0.5);
  printf("  ratio p50 lal / OS: current cpu %.2f, set affinity %.2f, set priority %.2f\n", ratio[0],
         ratio[1], ratio[2]);
  lal_topology_free(topo);
  for (int c = 0; c < C_COUNT; c++)
    free(h[c]);
  return 0;
}
