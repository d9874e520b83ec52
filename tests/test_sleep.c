/* SPDX-License-Identifier: MIT */
/* Waiting: never early, bad input, the adaptive margin, the spin bound,
 * timer slack and power throttling. */
#include <stdlib.h>
#include <string.h>

#include "lal_test.h"
#include "common/lal_internal.h"
#include "common/sleep_internal.h"

static void sleep_never_returns_before_its_deadline(void **state) {
  (void)state;
  const unsigned modes[] = {0, LAL_SLEEP_PRECISE};
  for (int m = 0; m < 2; m++) {
    for (int i = 0; i < 40; i++) {
      uint64_t deadline = lal_now_ns() + 100000u + (uint64_t)(i % 8) * 250000u;
      assert_status(LAL_OK, lal_sleep_until(deadline, modes[m]));
      uint64_t now = lal_now_ns();
      if (now < deadline)
        fail_msg("mode %u woke %llu ns early", modes[m], (unsigned long long)(deadline - now));
    }
    uint64_t start = lal_now_ns();
    assert_status(LAL_OK, lal_sleep_ns(500000u, modes[m]));
    assert_true(lal_now_ns() >= start + 500000u);
  }
}

static void deadline_in_the_past_returns_ok_at_once(void **state) {
  (void)state;
  uint64_t now = lal_now_ns();
  assert_status(LAL_OK, lal_sleep_until(0, 0));
  assert_status(LAL_OK, lal_sleep_until(now - 1000, LAL_SLEEP_PRECISE));
  assert_status(LAL_OK, lal_sleep_ns(0, 0));
  assert_status(LAL_OK, lal_sleep_ns(0, LAL_SLEEP_PRECISE));
}

static void sleep_rejects_unknown_flags(void **state) {
  (void)state;
  assert_status(LAL_EINVAL, lal_sleep_until(lal_now_ns() + 1000000, 1u << 7));
  assert_status(LAL_EINVAL, lal_sleep_ns(1000000, 0x80000000u));
}

static void margin_tracks_the_95th_percentile_of_wake_errors(void **state) {
  (void)state;
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  /* Errors uniform over 0..100 us (deterministic sequence): p95 = 95 us. */
  uint32_t x = 1;
  for (int i = 0; i < 50000; i++) {
    x = x * 1664525u + 1013904223u;
    lali_margin_observe(&st, (x >> 8) % 100000u);
  }
  assert_true(st.margin_ns > 85000u && st.margin_ns < 105000u);
  /* A quieter period lowers it again. */
  for (int i = 0; i < 50000; i++) {
    x = x * 1664525u + 1013904223u;
    lali_margin_observe(&st, (x >> 8) % 10000u);
  }
  assert_true(st.margin_ns > 8000u && st.margin_ns < 11000u);
  /* Bounded both ways. */
  for (int i = 0; i < 5000; i++)
    lali_margin_observe(&st, 0);
  assert_true(st.margin_ns == LALI_MARGIN_MIN_NS);
  for (int i = 0; i < 5000; i++)
    lali_margin_observe(&st, 50000000u);
  assert_true(st.margin_ns == LALI_MARGIN_MAX_NS);
}

/* The tail tracker: over errors with a long tail (90 % within 0..100 us,
 * 10 % spread over 100 us..1.1 ms), about one error in 200 lies above its
 * estimate at the time it arrives. */
static void tail_tracks_the_995th_percentile_of_wake_errors(void **state) {
  (void)state;
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  uint32_t x = 3;
  int above = 0, n = 200000;
  for (int i = 0; i < n + 5000; i++) {
    x = x * 1664525u + 1013904223u;
    uint32_t r = x >> 8;
    uint64_t e = r % 10u ? r % 100000u : 100000u + r % 1000000u;
    if (i >= 5000) /* after it has settled */
      above += e > st.tail_ns;
    lali_margin_observe(&st, e);
  }
  print_message("errors above the tail estimate: %.2f %%, tail %llu us, margin %llu us\n",
                100.0 * above / n, (unsigned long long)st.tail_ns / 1000,
                (unsigned long long)st.margin_ns / 1000);
  assert_true(above > n / 500 && above < n / 100); /* 0.2 .. 1 %: p99.5 */
  assert_true(st.tail_ns > st.margin_ns);
  for (int i = 0; i < 5000; i++)
    lali_margin_observe(&st, 50000000u);
  assert_true(st.tail_ns == LALI_MARGIN_MAX_NS);
}

/* Where the OS sleep ends: the margin under 2 ms; from there the tail,
 * within a fifth of the request and 400 us, never below the margin. */
static void lead_follows_the_tail_for_long_requests(void **state) {
  (void)state;
  lali_sleep_state st = {.margin_ns = 50000u, .tail_ns = 300000u};
  assert_int_equal(lali_sleep_lead_ns(&st, 1000000u), 50000u);
  assert_int_equal(lali_sleep_lead_ns(&st, 1400000u), 50000u);
  assert_int_equal(lali_sleep_lead_ns(&st, 1999000u), 300000u); /* a 2 ms request */
  assert_int_equal(lali_sleep_lead_ns(&st, 16000000u), 300000u);
  assert_int_equal(lali_sleep_lead_ns(&st, 3600000000000ull), 300000u);
  st.tail_ns = 900000u;
  assert_int_equal(lali_sleep_lead_ns(&st, 1600000u), 320000u); /* a fifth */
  assert_int_equal(lali_sleep_lead_ns(&st, 16000000u), LALI_LONG_LEAD_MAX_NS);
  st.margin_ns = 500000u;
  assert_int_equal(lali_sleep_lead_ns(&st, 2000000u), 500000u);
  lali_sleep_state fresh;
  memset(&fresh, 0, sizeof fresh);
  assert_int_equal(lali_sleep_lead_ns(&fresh, 1000000u), LALI_MARGIN_INITIAL_NS);
  assert_int_equal(lali_sleep_lead_ns(&fresh, 4000000u), LALI_MARGIN_INITIAL_NS);
}

static void spin_is_bounded_per_call_and_per_window(void **state) {
  (void)state;
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  uint64_t now = 1000000000u;
  assert_int_equal(lali_spin_allowed(&st, now, LALI_SPIN_MAX_PER_CALL_NS + 1), 0);
  int allowed = 0;
  while (lali_spin_allowed(&st, now, LALI_SPIN_MAX_PER_CALL_NS))
    allowed++;
  /* a quarter of the window, in per-call maxima */
  assert_int_equal(allowed,
                   LALI_SPIN_WINDOW_NS / LALI_SPIN_BUDGET_DIVISOR / LALI_SPIN_MAX_PER_CALL_NS);
  assert_int_equal(lali_spin_allowed(&st, now + LALI_SPIN_WINDOW_NS + 1, 1000), 1);
}

/* ---- the algorithm against hosts given by a fake clock (the OS seam) */

typedef struct fake_host {
  uint64_t t;         /* the clock, ns */
  uint64_t spun;      /* ns spent spinning */
  uint64_t min_sleep; /* every OS sleep lasts at least this (Wine: 1.09 ms) */
  uint64_t extra;     /* added to every wake-up (a burst of load) */
  uint64_t jitter;    /* wake-ups late by 0 .. jitter, uniformly */
  uint64_t hiccup;    /* and one in hiccup_every later by this (a host's stall) */
  uint32_t hiccup_every;
  uint64_t long_extra; /* sleeps of over 2 ms wake this much later (Wine, loaded) */
  uint32_t rng;
  int os_sleeps;
} fake_host;

static uint64_t fake_now(void *c) { return ((fake_host *)c)->t; }

static int fake_sleep(void *c, uint64_t deadline) {
  fake_host *h = c;
  uint64_t start = h->t, wake = deadline > h->t ? deadline : h->t;
  h->rng = h->rng * 1664525u + 1013904223u;
  wake += h->extra + (h->jitter ? (h->rng >> 8) % h->jitter : 0);
  if (h->hiccup_every && (h->rng >> 4) % h->hiccup_every == 0)
    wake += h->hiccup;
  if (wake - start > 2000000u)
    wake += h->long_extra;
  if (wake < start + h->min_sleep)
    wake = start + h->min_sleep;
  h->t = wake;
  h->os_sleeps++;
  return LAL_OK;
}

static void fake_relax(void *c) {
  fake_host *h = c;
  h->t += 50;
  h->spun += 50;
}

typedef struct run_stats {
  uint64_t late[4096];
  int n;
  uint64_t elapsed, spun;
} run_stats;

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* `calls` precise sleeps of request_ns back to back (or until the clock
 * passes until_ns, if not 0); lateness of each, CPU spent spinning. */
static void run_calls(fake_host *h, lali_sleep_state *st, int calls, uint64_t until_ns,
                      uint64_t request_ns, run_stats *out) {
  lali_sleep_os os = {fake_now, fake_sleep, fake_relax, h};
  memset(out, 0, sizeof *out);
  uint64_t start = h->t, spun = h->spun;
  for (int i = 0; (calls == 0 || i < calls) && (until_ns == 0 || h->t < until_ns); i++) {
    uint64_t deadline = h->t + request_ns;
    assert_status(LAL_OK, lali_sleep_precise_with(&os, st, deadline));
    assert_true(h->t >= deadline); /* never early */
    if (out->n < 4096)
      out->late[out->n++] = h->t - deadline;
  }
  out->elapsed = h->t - start;
  out->spun = h->spun - spun;
}

static uint64_t pct(run_stats *r, int p) {
  qsort(r->late, (size_t)r->n, sizeof r->late[0], cmp_u64);
  return r->late[(size_t)(r->n - 1) * (size_t)p / 100];
}

static double cpu_share(const run_stats *r) { return (double)r->spun / (double)r->elapsed; }

/* The calls more than 10 us late. */
static int late_calls(const run_stats *r) {
  int late = 0;
  for (int i = 0; i < r->n; i++)
    late += r->late[i] > 10000u;
  return late;
}

/* A steady host (wake-ups up to 40 us late): the margin settles at their
 * 95th percentile, sleeps end on time, a few per cent of CPU. */
static void margin_on_a_steady_host(void **state) {
  (void)state;
  fake_host h = {.t = 1000000000u, .jitter = 40000u, .rng = 7};
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  run_stats r;
  run_calls(&h, &st, 3000, 0, 1000000u, &r);
  run_calls(&h, &st, 2000, 0, 1000000u, &r);
  assert_true(st.margin_ns > 30000u && st.margin_ns < 50000u);
  /* p50 on time; p99: the 5 % of wake-ups past the margin, by a little. */
  assert_true(pct(&r, 50) <= 1000u);
  assert_true(pct(&r, 99) <= 5000u); /* the OS alone: up to 40 us */
  assert_true(cpu_share(&r) < 0.06);
}

/* A host whose wake-ups are mostly on time (0-40 us) but one in 50 stalls
 * 250 us more: a 4 ms precise sleep covers the stalls (its lead is the
 * tail, not the margin) for a few per cent of CPU, where a lead of the
 * margin would leave one sleep in 50 late. */
static void long_sleeps_cover_a_hosts_stalls(void **state) {
  (void)state;
  fake_host h = {
      .t = 1000000000u, .jitter = 40000u, .hiccup = 250000u, .hiccup_every = 50, .rng = 9};
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  run_stats r;
  run_calls(&h, &st, 2000, 0, 4000000u, &r);
  run_calls(&h, &st, 2000, 0, 4000000u, &r);
  int late = late_calls(&r);
  print_message("4 ms sleeps on a stalling host: %.2f %% late by > 10 us, CPU %.1f %%, "
                "tail %llu us, margin %llu us\n",
                100.0 * late / r.n, 100 * cpu_share(&r), (unsigned long long)st.tail_ns / 1000,
                (unsigned long long)st.margin_ns / 1000);
  assert_true(late <= r.n / 100); /* at most 1 %, against 2 % stalls */
  assert_true(cpu_share(&r) < 0.10);
  assert_true(st.margin_ns < 100000u); /* the margin itself ignores the stalls */
}

/* Wine under load: sleeps longer than 2 ms wake 3 ms late, 1 ms ones on
 * time. 16 ms precise sleeps learn to end their first step that much
 * earlier, and are on time. */
static void long_first_steps_that_wake_late(void **state) {
  (void)state;
  fake_host h = {.t = 1000000000u, .jitter = 40000u, .long_extra = 3000000u, .rng = 13};
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  run_stats r;
  run_calls(&h, &st, 200, 0, 16000000u, &r);
  run_calls(&h, &st, 1000, 0, 16000000u, &r);
  int late = late_calls(&r);
  print_message("16 ms sleeps, long sleeps 3 ms late: %.1f %% late, CPU %.1f %%, first step "
                "ends %llu us early\n",
                100.0 * late / r.n, 100 * cpu_share(&r), (unsigned long long)st.first_ns / 1000);
  assert_true(late <= r.n / 100);
  assert_true(cpu_share(&r) < 0.05);
}

/* Fake time until 1 ms calls on a quiet host bring the margin back within
 * half again its quiet value (5 s at most). */
static uint64_t time_to_quiet(fake_host *h, lali_sleep_state *st, uint64_t quiet) {
  run_stats r;
  uint64_t start = h->t;
  while (st->margin_ns > quiet + quiet / 2 && h->t - start < 5000000000u)
    run_calls(h, st, 1, 0, 1000000u, &r);
  return h->t - start;
}

/* 50 ms of 2 ms oversleeps, then quiet again: the margin is back at its
 * quiet value within a second of calls. */
static void margin_recovers_after_a_burst(void **state) {
  (void)state;
  fake_host h = {.t = 1000000000u, .jitter = 40000u, .rng = 11};
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  run_stats r;
  run_calls(&h, &st, 3000, 0, 1000000u, &r);
  uint64_t quiet = st.margin_ns;
  h.extra = 2000000u;
  run_calls(&h, &st, 0, h.t + 50000000u, 1000000u, &r);
  uint64_t after_burst = st.margin_ns;
  assert_true(after_burst > 10 * quiet); /* the burst was felt */
  h.extra = 0;
  uint64_t took = time_to_quiet(&h, &st, quiet);
  print_message("margin %llu us after the burst, back to %llu us (quiet %llu us) in %llu ms\n",
                (unsigned long long)after_burst / 1000, (unsigned long long)st.margin_ns / 1000,
                (unsigned long long)quiet / 1000, (unsigned long long)took / 1000000);
  assert_true(took <= 1000000000u);
  /* The margin also comes back when the burst pushed it past every request
   * (a request shorter than the margin makes no OS sleep to learn from). */
  st.margin_ns = LALI_MARGIN_MAX_NS;
  assert_true(time_to_quiet(&h, &st, quiet) <= 1000000000u);
}

/* Wine: no OS sleep is shorter than 1.09 ms. 2,000 consecutive 1 ms sleeps
 * stay within the spin budget (a quarter of the time), and are no later at
 * p99 than the OS sleep alone. */
static void margin_under_wines_long_sleeps(void **state) {
  (void)state;
  fake_host h = {.t = 1000000000u, .min_sleep = 1090000u, .jitter = 20000u, .rng = 3};
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  run_stats r;
  run_calls(&h, &st, 2000, 0, 1000000u, &r);
  double cpu = cpu_share(&r);
  uint64_t p99 = pct(&r, 99), p50 = pct(&r, 50);
  /* The OS sleep alone, on the same host. */
  fake_host plain = {.t = 1000000000u, .min_sleep = 1090000u, .jitter = 20000u, .rng = 3};
  run_stats os;
  memset(&os, 0, sizeof os);
  for (int i = 0; i < 2000; i++) {
    uint64_t deadline = plain.t + 1000000u;
    fake_sleep(&plain, deadline);
    os.late[os.n++ % 4096] = plain.t - deadline;
  }
  uint64_t os_p99 = pct(&os, 99);
  print_message("Wine-like host: CPU %.1f %%, p50 %llu us, p99 %llu us (OS sleep p99 %llu us), "
                "margin %llu us, %d OS sleeps\n",
                100 * cpu, (unsigned long long)p50 / 1000, (unsigned long long)p99 / 1000,
                (unsigned long long)os_p99 / 1000, (unsigned long long)st.margin_ns / 1000,
                h.os_sleeps);
  assert_true(cpu <= 0.25);
  assert_true(p99 <= os_p99);
  assert_true(st.margin_ns <= LALI_MARGIN_MAX_NS);
  /* 4 ms requests there: two OS sleeps, the last one lasting 1.09 ms, not
   * the 1 ms asked; the lead learns it. */
  fake_host w4 = {.t = 1000000000u, .min_sleep = 1090000u, .jitter = 20000u, .rng = 3};
  memset(&st, 0, sizeof st);
  run_calls(&w4, &st, 1000, 0, 4000000u, &r);
  print_message("Wine-like host, 4 ms: CPU %.1f %%, p99 %llu us\n", 100 * cpu_share(&r),
                (unsigned long long)pct(&r, 99) / 1000);
  assert_true(cpu_share(&r) <= 0.25);
  assert_true(pct(&r, 99) <= os_p99);
}

/* Bad durations through the same seam: a deadline in the past returns at
 * once, an hour away costs one OS sleep and the final spin, not an hour of
 * spinning. */
static void precise_sleep_of_an_hour_is_an_os_sleep(void **state) {
  (void)state;
  fake_host h = {.t = 1000000000u, .jitter = 40000u, .rng = 5};
  lali_sleep_state st;
  memset(&st, 0, sizeof st);
  lali_sleep_os os = {fake_now, fake_sleep, fake_relax, &h};
  assert_status(LAL_OK, lali_sleep_precise_with(&os, &st, h.t - 1));
  assert_status(LAL_OK, lali_sleep_precise_with(&os, &st, 0));
  assert_int_equal(h.os_sleeps, 0);
  uint64_t hour = 3600ull * 1000000000u, deadline = h.t + hour;
  assert_status(LAL_OK, lali_sleep_precise_with(&os, &st, deadline));
  assert_true(h.t >= deadline);
  assert_true(h.spun <= LALI_MARGIN_MAX_NS);
  assert_true(h.os_sleeps <= 2);
}

static void precise_sleep_adapts_this_threads_margin(void **state) {
  (void)state;
  for (int i = 0; i < 50; i++)
    lal_sleep_ns(300000u, LAL_SLEEP_PRECISE);
  uint64_t margin = lali_sleep_margin_ns();
  assert_true(margin >= LALI_MARGIN_MIN_NS && margin <= LALI_MARGIN_MAX_NS);
  assert_true(margin != LALI_MARGIN_INITIAL_NS); /* it has learnt something */
}

static void timer_slack_reports_what_the_os_applied(void **state) {
  (void)state;
  uint64_t applied = 0;
#ifdef _WIN32
  /* What is reported is the resolution in force (NtQueryTimerResolution),
   * in Windows' own steps: a 1 ms request gives 0.9766 or 0.997 ms on many
   * machines, and 0.5 ms while another process holds that; Wine reports
   * 1 ms. Never coarser than asked ("timeBeginPeriod": the resolution in
   * force is the finest any process requested). */
  assert_status(LAL_OK, lal_timer_slack_set(1000000u, &applied));
  assert_true(applied > 0 && applied <= 1000000u);
  assert_status(LAL_OK, lal_timer_slack_set(0, &applied)); /* rounds up to wPeriodMin, 1 ms */
  assert_true(applied > 0 && applied <= 1000000u);
#else
  assert_status(LAL_OK, lal_timer_slack_set(1000u, &applied));
  assert_true(applied == 1000u);
  assert_status(LAL_OK, lal_timer_slack_set(0, &applied)); /* 0 would mean "default" */
  assert_true(applied == 1u);
  /* Above INT_MAX: glibc's prctl() truncated the read-back to 0 while the
   * kernel held 3 s. What is reported must be what is in force. */
  assert_status(LAL_OK, lal_timer_slack_set(3000000000u, &applied));
  assert_true(applied == 3000000000u);
  assert_status(LAL_OK, lal_timer_slack_set((uint64_t)1 << 40, &applied));
  assert_true(applied == (uint64_t)1 << 40);
  /* More than the kernel can report back: refused, the slack unchanged. */
  assert_status(LAL_ERANGE, lal_timer_slack_set(UINT64_MAX, &applied));
  assert_status(LAL_OK, lal_timer_slack_set(50000u, &applied));
  assert_true(applied == 50000u);
#endif
#ifdef _WIN32
  /* Huge requests clamp to the largest period the timer offers instead of
   * overflowing the rounding to a tiny one. */
  assert_status(LAL_OK, lal_timer_slack_set(UINT64_MAX, &applied));
  assert_true(applied > 0);
  uint64_t at_max = applied;
  assert_status(LAL_OK, lal_timer_slack_set(UINT64_MAX - 999999u, &applied));
  assert_true(applied == at_max);
  assert_status(LAL_OK, lal_timer_slack_set(1000000u, &applied));
#endif
}

static void power_throttling_opt_out_where_the_os_has_it(void **state) {
  (void)state;
  unsigned applied = 99;
  assert_status(LAL_EINVAL, lal_power_throttling_opt_out(0, &applied));
  assert_int_equal(applied, 0);
  assert_status(LAL_EINVAL, lal_power_throttling_opt_out(1u << 7, NULL));
  unsigned both = LAL_THROTTLE_EXECUTION_SPEED | LAL_THROTTLE_TIMER_RESOLUTION;
  int rc = lal_power_throttling_opt_out(both, &applied);
  int old = lal_power_throttling_disable();
#ifdef _WIN32
  lal_caps caps = LAL_CAPS_INIT;
  lal_query_caps(&caps);
  if (rc != LAL_OK && applied == 0 && (caps.machine_features & LAL_CAP_UNDER_WINE))
    LAL_SKIP("Wine fails SetProcessInformation(ProcessPowerThrottling) (%s, error %d)",
             lal_err_name(rc), lal_last_os_error());
  /* Windows 10 applies execution speed alone and says so. */
  if (rc == LAL_ENOTSUP)
    assert_int_equal(applied, LAL_THROTTLE_EXECUTION_SPEED);
  else
    assert_status(LAL_OK, rc);
  assert_status(LAL_OK, old);
#else
  assert_status(LAL_ENOTSUP, rc);
  assert_int_equal(applied, 0);
  assert_status(LAL_ENOTSUP, old);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sleep_never_returns_before_its_deadline),
      cmocka_unit_test(deadline_in_the_past_returns_ok_at_once),
      cmocka_unit_test(sleep_rejects_unknown_flags),
      cmocka_unit_test(margin_tracks_the_95th_percentile_of_wake_errors),
      cmocka_unit_test(tail_tracks_the_995th_percentile_of_wake_errors),
      cmocka_unit_test(lead_follows_the_tail_for_long_requests),
      cmocka_unit_test(spin_is_bounded_per_call_and_per_window),
      cmocka_unit_test(precise_sleep_adapts_this_threads_margin),
      cmocka_unit_test(margin_on_a_steady_host),
      cmocka_unit_test(long_sleeps_cover_a_hosts_stalls),
      cmocka_unit_test(long_first_steps_that_wake_late),
      cmocka_unit_test(margin_recovers_after_a_burst),
      cmocka_unit_test(margin_under_wines_long_sleeps),
      cmocka_unit_test(precise_sleep_of_an_hour_is_an_os_sleep),
      cmocka_unit_test(timer_slack_reports_what_the_os_applied),
      cmocka_unit_test(power_throttling_opt_out_where_the_os_has_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
