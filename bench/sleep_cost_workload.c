/* SPDX-License-Identifier: MIT */
/*
 * sleep_cost: what precise sleep's accuracy costs in CPU, the curve behind
 * LAL_SLEEP_PRECISE, at request lengths of 1, 2, 4, 8 and 16 ms, on a quiet
 * machine and then under a background load that changes as the run goes (a
 * thread on the same CPU, busy and idle in stretches of 1-20 ms). Every mode
 * sleeps to an absolute deadline; the modes take turns call by call, so load
 * and frequency changes fall on all alike:
 *   OS absolute sleep      clock_nanosleep(TIMER_ABSTIME) / a high-resolution
 *                          waitable timer, the reference
 *   lal plain              lal_sleep_until without PRECISE
 *   fixed margin N us      plain sleep to deadline - N, then poll the clock
 *                          (1 ms only: the margin curve)
 *   lal precise (adaptive) LAL_SLEEP_PRECISE: the margin tracks the thread's
 *                          own 95th-percentile oversleep
 *   peer: SDL3 SDL_DelayPrecise    the precise delay of a widely used
 *                          game library, SDL3's SDL_DelayPrecise, as its
 *                          source lays out its steps (peer_sleep_until)
 * For each: lateness p50/p99/p99.9, the share of sleeps more than 10 us late,
 * and the thread CPU time over the calls' wall time
 * (bench_os_thread_cpu_ns). The 1 ms quiet series keep their names from
 * before; the others say their length and load.
 * Then, quiet, a block of SUSTAINED_CALLS precise 1 ms sleeps back to back
 * between two half blocks of OS sleeps: CPU over the whole block, which is what a
 * thread that sleeps 1 ms in a loop costs once its spin budget is in steady
 * state, and what a coarse thread CPU clock (Wine: 10 ms steps, charged to
 * whichever mode holds the tick) can still measure to within half a per cent.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_os.h"
#include "lal.h"

#define WARMUP_CALLS 100
#define SUSTAINED_CALLS 2000 /* the Wine target: CPU over 2,000 1 ms sleeps in a row */
#define LATE_NS 10000u       /* "more than 10 us late" */

static const unsigned margins_us[] = {10, 20, 50, 100, 200, 500};
#define NFIXED (sizeof margins_us / sizeof *margins_us)
enum { MODE_OS = 0, MODE_PLAIN = 1, MODE_FIXED0 = 2 };
#define MODE_ADAPTIVE (MODE_FIXED0 + (int)NFIXED)
#define MODE_PEER (MODE_ADAPTIVE + 1)
#define NMODES (MODE_PEER + 1)
static const unsigned lengths_ms[] = {1, 2, 4, 8, 16};
#define NLENGTHS (sizeof lengths_ms / sizeof *lengths_ms)
enum { PHASE_QUIET, PHASE_LOAD, NPHASES };

static int mode_runs_at(int m, unsigned length_ms) {
  return length_ms == 1 || m < MODE_FIXED0 || m >= MODE_ADAPTIVE;
}

/* The peer: SDL3's SDL_DelayPrecise, step by step as its source describes
 * them (step 1, long sleeps for requests of 100 ms and more, is never
 * reached by the lengths here):
 *   2. relative 1 ms sleeps while the longest step this call has seen (at
 *      least 1 ms) still fits before the deadline;
 *   3. 1 ms sleeps while more than 2 ms are left (step 2 undershot);
 *   4. zero-length sleeps while more than 1 ms is left; requests of 2 ms and
 *      less start here, so a 1 ms request is spun whole;
 *   5. spin to the deadline.
 * A sleep that wakes at or past the deadline ends the call. */
static void peer_sleep_until(uint64_t deadline) {
  const uint64_t step = 1000000u;
  uint64_t cur = lal_now_ns();
  if (cur < deadline && deadline - cur > 2 * step) {
    uint64_t longest = step;
    while (cur + longest < deadline) {
      bench_os_sleep_for(step);
      uint64_t now = lal_now_ns();
      if (now >= deadline)
        return;
      if (now - cur > longest)
        longest = now - cur;
      cur = now;
    }
    while (cur + 2 * step < deadline) {
      bench_os_sleep_for(step);
      if ((cur = lal_now_ns()) >= deadline)
        return;
    }
  }
  while (cur + step < deadline) {
    bench_os_sleep_for(0);
    cur = lal_now_ns();
  }
  while (cur < deadline)
    cur = lal_now_ns();
}

/* One sleep of `length` in mode m; returns the lateness, adds the wall time. */
static uint64_t one_sleep(int m, uint64_t length, uint64_t *wall) {
  if (m == MODE_OS) {
    uint64_t start = bench_os_clock_ns(), deadline = start + length;
    bench_os_sleep_until(deadline);
    uint64_t now = bench_os_clock_ns();
    *wall += now - start;
    return now > deadline ? now - deadline : 0;
  }
  uint64_t start = lal_now_ns(), deadline = start + length;
  if (m == MODE_PLAIN || m == MODE_ADAPTIVE) {
    lal_sleep_until(deadline, m == MODE_ADAPTIVE ? LAL_SLEEP_PRECISE : 0);
  } else if (m == MODE_PEER) {
    peer_sleep_until(deadline);
  } else {
    lal_sleep_until(deadline - (uint64_t)margins_us[m - MODE_FIXED0] * 1000u, 0);
    while (lal_now_ns() < deadline) /* the spin: poll the clock to the deadline */
      ;
  }
  uint64_t now = lal_now_ns();
  *wall += now - start;
  return now - deadline; /* lal never returns early, nor do the spins */
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
  else if (m == MODE_PEER)
    snprintf(out, size, "peer: SDL3 SDL_DelayPrecise");
  else
    snprintf(out, size, "fixed margin %u us", margins_us[m - MODE_FIXED0]);
}

/* The changing background load: busy and idle in stretches of 1-20 ms
 * (a fixed pseudo-random sequence), until told to stop. */
typedef struct load_job {
  volatile int stop;
} load_job;

static int load_main(void *arg) {
  load_job *j = arg;
  uint32_t x = 12345;
  while (!__atomic_load_n(&j->stop, __ATOMIC_ACQUIRE)) {
    x = x * 1664525u + 1013904223u;
    uint64_t busy = 1000000u + (uint64_t)((x >> 8) % 19u) * 1000000u;
    uint64_t end = lal_now_ns() + busy;
    while (lal_now_ns() < end && !__atomic_load_n(&j->stop, __ATOMIC_RELAXED))
      ;
    x = x * 1664525u + 1013904223u;
    lal_sleep_ns(1000000u + (uint64_t)((x >> 8) % 19u) * 1000000u, 0);
  }
  return 0;
}

typedef struct cell {
  histogram *h;
  uint64_t cpu, wall, late, calls;
} cell;

static double cpu_pct(const cell *c) {
  return c->wall ? 100.0 * (double)c->cpu / (double)c->wall : 0;
}
static double late_pct(const cell *c) {
  return c->calls ? 100.0 * (double)c->late / (double)c->calls : 0;
}

/* How far a's share of late sleeps lies above b's, in standard errors (the
 * one-sided two-proportion z test; above 1.645 the excess is beyond the
 * noise at 95 %). With shares of a few per cent over a few hundred calls a
 * cell's two shares differ by a per cent either way by chance alone. */
static double late_excess_z(const cell *a, const cell *b) {
  if (!a->calls || !b->calls)
    return 0;
  double pa = (double)a->late / (double)a->calls, pb = (double)b->late / (double)b->calls;
  double pool = (double)(a->late + b->late) / (double)(a->calls + b->calls);
  double var = pool * (1 - pool) * (1.0 / (double)a->calls + 1.0 / (double)b->calls);
  return var > 0 ? (pa - pb) / sqrt(var) : 0;
}

/* The targets this workload checks, for one length and phase. */
static void verdict(unsigned length_ms, int phase, cell *row) {
  const cell *a = &row[MODE_ADAPTIVE], *p = &row[MODE_PEER], *os = &row[MODE_OS];
  double p50_us = (double)hist_quantile(a->h, 0.5) / 1e3;
  printf("  %2u ms%s: adaptive p50 %.1f us (target <= 1 us: %s)", length_ms,
         phase == PHASE_LOAD ? ", load" : "", p50_us, p50_us <= 1.0 ? "met" : "NOT met");
  if (length_ms >= 2) {
    double z = late_excess_z(a, p);
    printf("; CPU %.1f %% vs the peer's %.1f %% (%s); >10 us late %.1f %% vs %.1f %% (%s; %s)",
           cpu_pct(a), cpu_pct(p), cpu_pct(a) <= cpu_pct(p) ? "met" : "NOT met", late_pct(a),
           late_pct(p), late_pct(a) <= late_pct(p) ? "met" : "NOT met",
           z > 1.645 ? "more beyond the noise" : "not more beyond the noise");
  }
  if (length_ms == 1 && phase == PHASE_QUIET) {
    double ratio = (double)hist_quantile(a->h, 0.99) / (double)hist_quantile(os->h, 0.99);
    printf("; CPU %.1f %% (target <= 4 %%: %s), p99 %.3fx the OS sleep's (target <= 0.35: %s)",
           cpu_pct(a), cpu_pct(a) <= 4.0 ? "met" : "NOT met", ratio,
           ratio <= 0.35 ? "met" : "NOT met");
  }
  printf("\n");
}

/* n sleeps of 1 ms back to back in mode m (lal precise or the OS sleep):
 * lateness into c, CPU over the whole block. */
static void sustained_block(int m, int n, cell *c) {
  uint64_t c0 = bench_os_thread_cpu_ns();
  for (int i = 0; i < n && !bench_stopping(); i++) {
    uint64_t late = one_sleep(m, 1000000u, &c->wall);
    c->late += late > LATE_NS;
    c->calls++;
    hist_record(c->h, late);
  }
  c->cpu += bench_os_thread_cpu_ns() - c0;
}

static void emit_sustained(json_writer *jw, int m, const cell *c) {
  char name[64], series[96], line[160];
  mode_name(m, name, sizeof name);
  snprintf(series, sizeof series, "%s, 1 ms, in a row", name);
  snprintf(line, sizeof line, "%s, CPU %.1f%%, >10 us late %.1f%%", series, cpu_pct(c),
           late_pct(c));
  bench_print(line, "ns", c->h);
  bench_param params[] = {
      BENCH_NUM("interval_ns", 1000000), BENCH_NUM("calls", (long long)c->calls),
      BENCH_TEXT("margin", m == MODE_ADAPTIVE ? "adaptive" : "none"), BENCH_TEXT("load", "quiet")};
  bench_extra extra = {NULL, cpu_pct(c)};
  bench_emit_series_ex(jw, "sleep_cost", series, "ns late", NULL, params, 4, c->h, &extra);
}

/* SUSTAINED_CALLS precise 1 ms sleeps in a row (the spin budget is never
 * refilled between blocks: it is a rolling window of the thread's time),
 * between two halves of OS sleeps for the p99 reference; quick runs take a
 * tenth. */
static int sustained(const bench_opts *opts, json_writer *jw) {
  cell precise = {0}, os = {0};
  if (!(precise.h = malloc(sizeof *precise.h)) || !(os.h = malloc(sizeof *os.h))) {
    free(precise.h);
    return 1;
  }
  hist_init(precise.h);
  hist_init(os.h);
  int n = opts->quick ? SUSTAINED_CALLS / 10 : SUSTAINED_CALLS;
  /* The reference half before, half after: a burst of host noise during
   * one block would otherwise decide the p99 comparison alone. */
  int n_os = bench_share(opts, n, n / 4);
  sustained_block(MODE_OS, n_os / 2, &os);
  sustained_block(MODE_ADAPTIVE, n, &precise);
  sustained_block(MODE_OS, n_os - n_os / 2, &os);
  if (precise.calls && os.calls) {
    emit_sustained(jw, MODE_ADAPTIVE, &precise);
    emit_sustained(jw, MODE_OS, &os);
    uint64_t p99 = hist_quantile(precise.h, 0.99), os_p99 = hist_quantile(os.h, 0.99);
    printf("  1 ms x %llu in a row: CPU %.1f %% (target <= 25 %%: %s), p99 %.1f us vs the OS "
           "sleep's %.1f us (no worse: %s)\n",
           (unsigned long long)precise.calls, cpu_pct(&precise),
           cpu_pct(&precise) <= 25.0 ? "met" : "NOT met", (double)p99 / 1e3, (double)os_p99 / 1e3,
           p99 <= os_p99 ? "met" : "NOT met");
  }
  free(precise.h);
  free(os.h);
  return 0;
}

int wl_sleep_cost(const bench_opts *opts, json_writer *jw) {
  static cell cells[NPHASES][NLENGTHS][NMODES];
  int failed = 0;
  for (int ph = 0; ph < NPHASES; ph++)
    for (size_t l = 0; l < NLENGTHS; l++)
      for (int m = 0; m < NMODES; m++) {
        cell *c = &cells[ph][l][m];
        *c = (cell){0};
        if (!mode_runs_at(m, lengths_ms[l]))
          continue;
        if (!(c->h = malloc(sizeof *c->h)))
          failed = 1;
        else
          hist_init(c->h);
      }
  for (int i = 0; i < WARMUP_CALLS && !failed; i++) /* precise mode learns its margin */
    lal_sleep_ns(1000000u, LAL_SLEEP_PRECISE);
  uint64_t step = cpu_clock_step_ns();
  if (step == 0 || step > 100000)
    printf("  the thread CPU clock moves in steps of %.1f ms here: the CPU shares below are "
           "sampled, not measured (unbiased over many calls, noisy over few)\n",
           (double)step / 1e6);
  int home = -1, other = -1;
  bench_two_cpus(opts, &home, &other);
  for (int ph = 0; ph < NPHASES && !failed && !bench_stopping(); ph++) {
    load_job job = {0};
    lal_thread *load = NULL;
    if (ph == PHASE_LOAD && bench_thread_on(&load, home, load_main, &job) != LAL_OK) {
      printf("  load phase skipped: no load thread\n");
      break;
    }
    for (size_t l = 0; l < NLENGTHS && !bench_stopping(); l++) {
      uint64_t length = (uint64_t)lengths_ms[l] * 1000000u;
      int running[NMODES], nmodes = 0;
      for (int m = 0; m < NMODES; m++)
        if (mode_runs_at(m, lengths_ms[l]))
          running[nmodes++] = m;
      /* A tenth of the duration per length and phase, at least a floor of
       * calls per mode so the long lengths say something. */
      uint64_t calls = (uint64_t)(opts->duration_s * 1e9 / NPHASES / NLENGTHS / (double)length);
      uint64_t floor_calls = (uint64_t)nmodes * (opts->quick          ? 10u
                                                 : lengths_ms[l] >= 8 ? 25u
                                                                      : 50u);
      if (calls < floor_calls)
        calls = floor_calls;
      for (uint64_t k = 0; k < calls && !bench_stopping(); k++) {
        int m = running[k % (uint64_t)nmodes];
        cell *c = &cells[ph][l][m];
        uint64_t c0 = bench_os_thread_cpu_ns();
        uint64_t late = one_sleep(m, length, &c->wall);
        c->cpu += bench_os_thread_cpu_ns() - c0;
        c->late += late > LATE_NS;
        c->calls++;
        hist_record(c->h, late);
      }
    }
    if (load) {
      __atomic_store_n(&job.stop, 1, __ATOMIC_RELEASE);
      lal_thread_join(load, NULL);
    }
  }
  for (int ph = 0; ph < NPHASES && !failed; ph++)
    for (size_t l = 0; l < NLENGTHS; l++) {
      for (int m = 0; m < NMODES; m++) {
        cell *c = &cells[ph][l][m];
        if (!c->h || c->calls == 0)
          continue;
        char name[64], series[96], line[160];
        mode_name(m, name, sizeof name);
        if (lengths_ms[l] == 1 && ph == PHASE_QUIET)
          snprintf(series, sizeof series, "%s", name); /* the names of before */
        else
          snprintf(series, sizeof series, "%s, %u ms%s", name, lengths_ms[l],
                   ph == PHASE_LOAD ? ", changing load" : "");
        snprintf(line, sizeof line, "%s, CPU %.1f%%, >10 us late %.1f%%", series, cpu_pct(c),
                 late_pct(c));
        bench_print(line, "ns", c->h);
        char margin[32];
        if (m >= MODE_FIXED0 && m < MODE_ADAPTIVE)
          snprintf(margin, sizeof margin, "%u us", margins_us[m - MODE_FIXED0]);
        else
          snprintf(margin, sizeof margin, "%s",
                   m == MODE_ADAPTIVE ? "adaptive"
                   : m == MODE_PEER   ? "SDL3 steps"
                                      : "none");
        bench_param params[] = {BENCH_NUM("interval_ns", (long long)lengths_ms[l] * 1000000),
                                BENCH_TEXT("margin", margin),
                                BENCH_TEXT("load", ph == PHASE_LOAD ? "changing" : "quiet")};
        bench_extra extra = {NULL, cpu_pct(c)};
        bench_emit_series_ex(jw, "sleep_cost", series, "ns late", NULL, params, 3, c->h, &extra);
      }
      if (cells[ph][l][MODE_ADAPTIVE].calls && cells[ph][l][MODE_PEER].calls &&
          cells[ph][l][MODE_OS].calls)
        verdict(lengths_ms[l], ph, cells[ph][l]);
    }
  for (int ph = 0; ph < NPHASES; ph++)
    for (size_t l = 0; l < NLENGTHS; l++)
      for (int m = 0; m < NMODES; m++)
        free(cells[ph][l][m].h);
  if (!failed && !bench_stopping())
    failed = sustained(opts, jw);
  return failed;
}
