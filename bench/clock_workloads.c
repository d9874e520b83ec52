/* SPDX-License-Identifier: MIT */
/* Workloads for clocks and waiting: clock_read, clock_accuracy, sleep, pacer. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_os.h"
#include "lal.h"
#include "where.h"

#define PERIOD_NS 1000000u

static histogram *new_hist(void) {
  histogram *h = malloc(sizeof *h);
  if (h)
    hist_init(h);
  return h;
}

/* ---- clock_read: per-call cost, all sources interleaved, in picoseconds */

enum { SRC_BARE, SRC_NOW, SRC_TSC, SRC_OS, SRC_COUNT };
static const char *const src_names[SRC_COUNT] = {"bare rdtsc+mult/shift", "lal_now_ns", "lal_tsc",
                                                 "OS clock (direct)"};
#define CALLS_PER_BATCH 64

int wl_clock_read(const bench_opts *opts, json_writer *jw) {
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  lal_clock_get_info(&info);
  uint64_t hz = info.tsc_hz ? info.tsc_hz : info.measured_tsc_hz;
  if (!hz) {
    printf("  skipped: TSC frequency unknown (%s)\n", info.reason);
    return 0;
  }
  histogram *h[SRC_COUNT];
  for (int s = 0; s < SRC_COUNT; s++)
    if (!(h[s] = new_hist()))
      return 1;
  /* The reference: the same conversion as lal_now_ns without its checks,
   * its parameters read from memory on every call through a volatile
   * pointer (as a real caller's global would be): a loop-invariant copy the
   * compiler hoists into registers would flatter the bare series. */
  static struct bare_params {
    uint64_t mult, base, nsb;
    uint32_t shift;
  } params;
  params.mult = lal_impl_clock.mult, params.base = lal_impl_clock.tsc_base;
  params.nsb = lal_impl_clock.ns_base, params.shift = lal_impl_clock.shift;
  const volatile struct bare_params *bp = &params;
  int rounds = bench_share(opts, opts->quick ? 3000 : 30000, 1000);
  volatile uint64_t sink = 0;
  for (int r = 0; r < rounds + 100; r++) {
    for (int s = 0; s < SRC_COUNT; s++) {
      uint64_t acc = 0, t0 = lal_tsc_ordered();
      for (int i = 0; i < CALLS_PER_BATCH; i++) {
        switch (s) {
        case SRC_BARE:
          acc += bp->nsb + lal_impl_mul_shift(lal_tsc() - bp->base, bp->mult, bp->shift);
          break;
        case SRC_NOW:
          acc += lal_now_ns();
          break;
        case SRC_TSC:
          acc += lal_tsc();
          break;
        default:
          acc += bench_os_clock_ns();
          break;
        }
      }
      uint64_t t1 = lal_tsc_ordered();
      sink += acc;
      if (r >= 100) /* warm-up */
        hist_record(h[s], (uint64_t)((double)(t1 - t0) * 1e12 / (double)hz / CALLS_PER_BATCH));
    }
  }
  (void)sink;
  for (int s = 0; s < SRC_COUNT; s++) {
    bench_print(src_names[s], "ps", h[s]);
    bench_emit(jw, "clock_read", src_names[s], "ps/call", h[s]);
  }
  double now = (double)hist_quantile(h[SRC_NOW], 0.5);
  printf("  ratio p50 lal_now_ns / bare = %.3f (target <= 1.10), / OS clock = %.3f (target "
         "<= 0.5); clock source %s\n",
         now / (double)hist_quantile(h[SRC_BARE], 0.5), now / (double)hist_quantile(h[SRC_OS], 0.5),
         info.source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os");
  for (int s = 0; s < SRC_COUNT; s++)
    free(h[s]);
  return 0;
}

/* ---- clock_accuracy */

/* lal_now_ns paired with the OS raw clock at the tightest of a few tries. */
static void pair(uint64_t *now, uint64_t *raw) {
  uint64_t best = UINT64_MAX;
  *now = lal_now_ns();
  *raw = lal_mono_raw_ns();
  for (int i = 0; i < 16; i++) {
    uint64_t a = lal_now_ns(), r = lal_mono_raw_ns(), b = lal_now_ns();
    if (b - a < best) {
      best = b - a;
      *now = a + (b - a) / 2;
      *raw = r;
    }
  }
}

int wl_clock_accuracy(const bench_opts *opts, json_writer *jw) {
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  lal_clock_get_info(&info);
  int cpus = bench_os_cpu_count();
  uint64_t n0, r0, n1, r1;
  pair(&n0, &r0);
  uint64_t end = n0 + (uint64_t)(opts->duration_s * 1e9);
  long migrations = 0, backward = 0, target = opts->quick ? 2000 : 10000;
  uint64_t last = lal_now_ns();
  while (migrations < target && cpus > 1 && lal_now_ns() < end) {
    if (bench_os_pin((int)(migrations % cpus)) != 0)
      break;
    uint64_t t = lal_now_ns();
    backward += t < last;
    last = t;
    migrations++;
  }
  if (cpus > 1)
    bench_os_pin(0);
  lal_sleep_until(end, 0);
  pair(&n1, &r1);
  double ppm = ((double)(n1 - n0) - (double)(r1 - r0)) * 1e6 / (double)(r1 - r0);
  printf("  over %.1f s: lal_now_ns vs raw OS clock %+.3f ppm (target |x| <= 5); "
         "%ld backward steps in %ld forced migrations (target 0); calibration %u us "
         "(target <= 25000); source %s\n",
         (double)(r1 - r0) / 1e9, ppm, backward, migrations, info.calibration_us,
         info.source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os");
  json_object_begin(jw, NULL);
  json_string(jw, "workload", "clock_accuracy");
  json_uint(jw, "duration_ns", r1 - r0);
  json_int(jw, "drift_ppb", (long long)(ppm * 1000.0));
  json_int(jw, "migrations", migrations);
  json_int(jw, "backward_steps", backward);
  json_uint(jw, "calibration_us", info.calibration_us);
  json_object_end(jw);
  return 0;
}

/* ---- sleep: 1 ms wake-up error, three methods interleaved */

enum { M_OS, M_LAL_PLAIN, M_LAL_PRECISE, M_COUNT };
static const char *const mode_names[M_COUNT] = {"OS absolute sleep", "lal plain", "lal precise"};

static void sleep_run(const bench_opts *opts, json_writer *jw, const char *priority) {
  histogram *h[M_COUNT];
  uint64_t cpu[M_COUNT] = {0}, wall[M_COUNT] = {0};
  for (int m = 0; m < M_COUNT; m++)
    if (!(h[m] = new_hist()))
      return;
  for (int i = 0; i < 100; i++) /* warm-up: let precise mode learn its margin */
    lal_sleep_ns(PERIOD_NS, LAL_SLEEP_PRECISE);
  uint64_t iterations = (uint64_t)(opts->duration_s * 1e9 / PERIOD_NS);
  for (uint64_t k = 0; k < iterations && !bench_stopping(); k++) {
    int m = (int)(k % M_COUNT);
    uint64_t c0 = bench_os_thread_cpu_ns(), err;
    if (m == M_OS) {
      uint64_t start = bench_os_clock_ns(), deadline = start + PERIOD_NS;
      bench_os_sleep_until(deadline);
      uint64_t now = bench_os_clock_ns();
      err = now > deadline ? now - deadline : 0;
      wall[m] += now - start;
    } else {
      uint64_t start = lal_now_ns(), deadline = start + PERIOD_NS;
      lal_sleep_until(deadline, m == M_LAL_PRECISE ? LAL_SLEEP_PRECISE : 0);
      uint64_t now = lal_now_ns();
      err = now - deadline; /* lal never returns early */
      wall[m] += now - start;
    }
    hist_record(h[m], err);
    cpu[m] += bench_os_thread_cpu_ns() - c0;
  }
  uint64_t run_wall = wall[M_OS] + wall[M_LAL_PLAIN] + wall[M_LAL_PRECISE];
  for (int m = 0; m < M_COUNT; m++) {
    char series[96];
    snprintf(series, sizeof series, "%s, %s", mode_names[m], priority);
    bench_print(series, "ns", h[m]);
    /* Two shares: of the calls' own wall time, and of the thread's whole
     * run, which is what precise mode's spin budget bounds (at most a quarter
     * of each 100 ms of the thread's time). The modes are interleaved, so a
     * precise call may spend the budget of the whole window: under Wine, whose
     * timers wake about 1 ms late, its calls spin at ~85% of their own time
     * while the thread stays at ~25%. */
    printf("  %-30s CPU %.1f%% of its calls' wall time, %.1f%% of the thread's run%s\n", "",
           100.0 * (double)cpu[m] / (double)wall[m], 100.0 * (double)cpu[m] / (double)run_wall,
           m == M_LAL_PRECISE ? " (spin budget: 25%)" : "");
    bench_emit(jw, "sleep", series, "ns late", h[m]);
  }
  printf("  precise vs OS: p50 %llu ns (target <= 1000), p99 ratio %.3f (target <= 0.5)\n",
         (unsigned long long)hist_quantile(h[M_LAL_PRECISE], 0.5),
         (double)hist_quantile(h[M_LAL_PRECISE], 0.99) / (double)hist_quantile(h[M_OS], 0.99));
  for (int m = 0; m < M_COUNT; m++)
    free(h[m]);
}

int wl_sleep(const bench_opts *opts, json_writer *jw) {
  sleep_run(opts, jw, "normal priority");
  if (bench_os_realtime() == 0) {
    sleep_run(opts, jw, "realtime priority");
    bench_os_normal();
  } else {
    printf("  realtime priority: skipped (not permitted for this user)\n");
  }
  return 0;
}

/* ---- pacer */

int wl_pacer(const bench_opts *opts, json_writer *jw) {
  uint64_t periods = (uint64_t)bench_share(opts, opts->quick ? 1000 : 10000, 300);
  histogram *h = new_hist();
  if (!h)
    return 1;
  lal_pacer p;
  lal_pacer_init(&p, PERIOD_NS, LAL_PACER_PRECISE);
  lal_pacer_set_hist(&p, h); /* the pacer records its own lateness */
  uint64_t first_deadline = lal_pacer_deadline(&p, p.index), r0 = lal_mono_raw_ns();
  double early_late = 0, final_late = 0;
  uint64_t tenth = periods / 10;
  for (uint64_t i = 0; i < periods && !bench_stopping(); i++) {
    uint64_t late = 0;
    lal_pacer_wait(&p, &late);
    if (i < tenth)
      early_late += (double)late;
    if (i >= periods - tenth)
      final_late += (double)late;
  }
  uint64_t r1 = lal_mono_raw_ns();
  uint64_t last_deadline = lal_pacer_deadline(&p, p.index - 1);
  int64_t grid_error =
      (int64_t)(last_deadline - first_deadline) - (int64_t)((p.index - 2) * (uint64_t)PERIOD_NS);
  bench_print("pacer 1 ms, precise", "ns", h);
  printf("  %llu periods, %llu missed; deadline grid error %lld ns (0 = no drift); mean "
         "lateness first 10%% %.0f ns, last 10%% %.0f ns; wall %.3f s vs %.3f s nominal\n",
         (unsigned long long)p.waits, (unsigned long long)p.missed, (long long)grid_error,
         early_late / (double)tenth, final_late / (double)tenth, (double)(r1 - r0) / 1e9,
         (double)(p.index - 1) * PERIOD_NS / 1e9);
  /* Where it woke, from the pacer's own record (lal_pacer_stats). */
  lal_pacer_stats st = LAL_PACER_STATS_INIT;
  bench_where *where = malloc(sizeof *where);
  int have_where = where && lal_pacer_get_stats(&p, &st) == LAL_OK;
  if (have_where) {
    where_from_pacer(where, &st);
    printf("  woke on %d CPU(s), %llu migrations\n", st.cpus, (unsigned long long)st.migrations);
  }
  bench_extra extra = {have_where ? where : NULL, -1};
  bench_emit_series_ex(jw, "pacer", "pacer 1 ms, precise", "ns late", NULL, NULL, 0, h, &extra);
  free(where);
  free(h);
  return grid_error != 0;
}
