/* SPDX-License-Identifier: MIT */
/*
 * sleep_cost: what precise sleep's accuracy costs in CPU, the curve behind
 * LAL_SLEEP_PRECISE. Every mode sleeps 1 ms to an absolute deadline; the modes
 * take turns call by call, so load and frequency changes fall on all alike:
 *   OS absolute sleep      clock_nanosleep(TIMER_ABSTIME) / a high-resolution
 *                          waitable timer, the reference
 *   lal plain              lal_sleep_until without PRECISE
 *   fixed margin N us      plain sleep to deadline - N, then poll the clock
 *   lal precise (adaptive) LAL_SLEEP_PRECISE: the margin tracks the thread's
 *                          own 95th-percentile oversleep
 * For each: lateness p50/p99/p99.9 and the thread CPU time over the calls'
 * wall time (getrusage-style thread CPU clocks, bench_os_thread_cpu_ns).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_os.h"
#include "lal.h"

#define PERIOD_NS 1000000u
#define WARMUP_CALLS 100

static const unsigned margins_us[] = {10, 20, 50, 100, 200, 500};
#define NFIXED (sizeof margins_us / sizeof *margins_us)
enum { MODE_OS = 0, MODE_PLAIN = 1, MODE_FIXED0 = 2 };
#define MODE_ADAPTIVE (MODE_FIXED0 + (int)NFIXED)
#define NMODES (MODE_ADAPTIVE + 1)

/* One 1 ms sleep in mode m; returns the lateness, adds the wall time. */
static uint64_t one_sleep(int m, uint64_t *wall) {
  if (m == MODE_OS) {
    uint64_t start = bench_os_clock_ns(), deadline = start + PERIOD_NS;
    bench_os_sleep_until(deadline);
    uint64_t now = bench_os_clock_ns();
    *wall += now - start;
    return now > deadline ? now - deadline : 0;
  }
  uint64_t start = lal_now_ns(), deadline = start + PERIOD_NS;
  if (m == MODE_PLAIN || m == MODE_ADAPTIVE) {
    lal_sleep_until(deadline, m == MODE_ADAPTIVE ? LAL_SLEEP_PRECISE : 0);
  } else {
    lal_sleep_until(deadline - (uint64_t)margins_us[m - MODE_FIXED0] * 1000u, 0);
    while (lal_now_ns() < deadline) /* the spin: poll the clock to the deadline */
      ;
  }
  uint64_t now = lal_now_ns();
  *wall += now - start;
  return now - deadline; /* lal never returns early, nor does the spin */
}

/* The step of the thread CPU clock: ns on Linux (CLOCK_THREAD_CPUTIME_ID);
 * scheduler ticks where the OS samples (GetThreadTimes: 15.6 ms on Windows,
 * Wine's /proc jiffies). Spins until it moves, 100 ms at most; 0 if never. */
static uint64_t cpu_clock_step_ns(void) {
  uint64_t c0 = bench_os_thread_cpu_ns(), end = lal_now_ns() + 100000000u, c;
  while ((c = bench_os_thread_cpu_ns()) == c0)
    if (lal_now_ns() > end)
      return 0;
  return c - c0;
}

static void mode_name(int m, char *out, size_t size) {
  if (m == MODE_OS)
    snprintf(out, size, "OS absolute sleep");
  else if (m == MODE_PLAIN)
    snprintf(out, size, "lal plain");
  else if (m == MODE_ADAPTIVE)
    snprintf(out, size, "lal precise (adaptive margin)");
  else
    snprintf(out, size, "fixed margin %u us", margins_us[m - MODE_FIXED0]);
}

int wl_sleep_cost(const bench_opts *opts, json_writer *jw) {
  histogram *h[NMODES];
  uint64_t cpu[NMODES] = {0}, wall[NMODES] = {0};
  int failed = 0;
  for (int m = 0; m < NMODES; m++) {
    h[m] = malloc(sizeof *h[m]);
    if (!h[m])
      failed = 1;
    else
      hist_init(h[m]);
  }
  uint64_t calls = opts->quick ? 100u * NMODES : (uint64_t)(opts->duration_s * 1e9 / PERIOD_NS);
  if (calls < (uint64_t)NMODES * 50)
    calls = (uint64_t)NMODES * 50;
  for (int i = 0; i < WARMUP_CALLS && !failed; i++) /* precise mode learns its margin */
    lal_sleep_ns(PERIOD_NS, LAL_SLEEP_PRECISE);
  uint64_t step = cpu_clock_step_ns();
  if (step == 0 || step > 100000)
    printf("  the thread CPU clock moves in steps of %.1f ms here: the CPU shares below are "
           "sampled, not measured (unbiased over many calls, noisy over few)\n",
           (double)step / 1e6);
  for (uint64_t k = 0; k < calls && !failed && !bench_stopping(); k++) {
    int m = (int)(k % NMODES);
    uint64_t c0 = bench_os_thread_cpu_ns();
    uint64_t late = one_sleep(m, &wall[m]);
    cpu[m] += bench_os_thread_cpu_ns() - c0;
    hist_record(h[m], late);
  }
  double os_p99 = failed ? 0 : (double)hist_quantile(h[MODE_OS], 0.99);
  for (int m = 0; m < NMODES && !failed; m++) {
    char series[64], line[128];
    mode_name(m, series, sizeof series);
    double pct = wall[m] ? 100.0 * (double)cpu[m] / (double)wall[m] : 0;
    snprintf(line, sizeof line, "%s, CPU %.1f%%", series, pct);
    bench_print(line, "ns", h[m]);
    char margin[32];
    if (m >= MODE_FIXED0 && m < MODE_ADAPTIVE)
      snprintf(margin, sizeof margin, "%u us", margins_us[m - MODE_FIXED0]);
    else
      snprintf(margin, sizeof margin, "%s", m == MODE_ADAPTIVE ? "adaptive" : "none");
    bench_param params[] = {BENCH_NUM("interval_ns", PERIOD_NS), BENCH_TEXT("margin", margin)};
    bench_extra extra = {NULL, pct};
    bench_emit_series_ex(jw, "sleep_cost", series, "ns late", NULL, params, 2, h[m], &extra);
  }
  if (!failed)
    printf("  adaptive: CPU %.1f%% (target <= 4%%), p99 %.3fx the OS sleep's (target <= 0.35)\n",
           wall[MODE_ADAPTIVE] ? 100.0 * (double)cpu[MODE_ADAPTIVE] / (double)wall[MODE_ADAPTIVE]
                               : 0,
           os_p99 > 0 ? (double)hist_quantile(h[MODE_ADAPTIVE], 0.99) / os_p99 : 0);
  for (int m = 0; m < NMODES; m++)
    free(h[m]);
  return failed;
}
