/* SPDX-License-Identifier: MIT */
/*
 * synthetic: a regression of known size, for calibrating lal-compare
 * (scripts/compare-calibration.sh). The same 1 ms absolute sleeps as the
 * wakeup workload's NORMAL profile, with each lateness recorded
 * x (1 + --synthetic-slowdown / 100): every percentile of B is then the
 * given percentage above A's, on top of the machine's own noise. It runs
 * only when named (--workload synthetic): it measures nothing new.
 */
#include <stdlib.h>

#include "bench.h"

#define PERIOD_NS 1000000u

int wl_synthetic(const bench_opts *opts, json_writer *jw) {
  histogram *h = malloc(sizeof *h);
  if (!h)
    return 1;
  hist_init(h);
  int iterations = opts->quick ? 300 : 10 + (int)(opts->duration_s * 1e9 / PERIOD_NS);
  double factor = 1.0 + opts->synthetic_slowdown_pct / 100.0;
  uint64_t next = lal_now_ns() + PERIOD_NS;
  for (int i = 0; i < iterations && !bench_stopping(); i++) {
    lal_sleep_until(next, 0);
    uint64_t late = lal_now_ns() - next;
    if (i >= 10) /* warm-up, as bench_periodic_wakeups */
      hist_record(h, (uint64_t)((double)late * factor));
    next += PERIOD_NS;
    uint64_t now = lal_now_ns();
    if (next < now)
      next = now + PERIOD_NS;
  }
  bench_print("1 ms sleep lateness, scaled", "ns", h);
  bench_param params[] = {
      BENCH_NUM("interval_ns", PERIOD_NS),
      BENCH_NUM("slowdown_pct_x100", (long long)(opts->synthetic_slowdown_pct * 100.0))};
  bench_emit_series(jw, "synthetic", "1 ms sleep lateness, scaled", "ns late", NULL, params, 2, h);
  free(h);
  return 0;
}
