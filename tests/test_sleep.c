/* SPDX-License-Identifier: MIT */
/* Waiting: never early, bad input, the adaptive margin, the spin bound,
 * timer slack and power throttling. */
#include <string.h>

#include "lal_test.h"
#include "lal_internal.h"
#include "sleep_internal.h"

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
  lal__sleep_state st;
  memset(&st, 0, sizeof st);
  /* Errors uniform over 0..100 us (deterministic sequence): p95 = 95 us. */
  uint32_t x = 1;
  for (int i = 0; i < 50000; i++) {
    x = x * 1664525u + 1013904223u;
    lal__margin_observe(&st, (x >> 8) % 100000u);
  }
  assert_true(st.margin_ns > 85000u && st.margin_ns < 105000u);
  /* A quieter period lowers it again. */
  for (int i = 0; i < 50000; i++) {
    x = x * 1664525u + 1013904223u;
    lal__margin_observe(&st, (x >> 8) % 10000u);
  }
  assert_true(st.margin_ns > 8000u && st.margin_ns < 11000u);
  /* Bounded both ways. */
  for (int i = 0; i < 5000; i++)
    lal__margin_observe(&st, 0);
  assert_true(st.margin_ns == LAL__MARGIN_MIN_NS);
  for (int i = 0; i < 5000; i++)
    lal__margin_observe(&st, 50000000u);
  assert_true(st.margin_ns == LAL__MARGIN_MAX_NS);
}

static void spin_is_bounded_per_call_and_per_window(void **state) {
  (void)state;
  lal__sleep_state st;
  memset(&st, 0, sizeof st);
  uint64_t now = 1000000000u;
  assert_int_equal(lal__spin_allowed(&st, now, LAL__SPIN_MAX_PER_CALL_NS + 1), 0);
  int allowed = 0;
  while (lal__spin_allowed(&st, now, LAL__SPIN_MAX_PER_CALL_NS))
    allowed++;
  /* a quarter of the window, in per-call maxima */
  assert_int_equal(allowed,
                   LAL__SPIN_WINDOW_NS / LAL__SPIN_BUDGET_DIVISOR / LAL__SPIN_MAX_PER_CALL_NS);
  assert_int_equal(lal__spin_allowed(&st, now + LAL__SPIN_WINDOW_NS + 1, 1000), 1);
}

static void precise_sleep_adapts_this_threads_margin(void **state) {
  (void)state;
  for (int i = 0; i < 50; i++)
    lal_sleep_ns(300000u, LAL_SLEEP_PRECISE);
  uint64_t margin = lal__sleep_margin_ns();
  assert_true(margin >= LAL__MARGIN_MIN_NS && margin <= LAL__MARGIN_MAX_NS);
  assert_true(margin != LAL__MARGIN_INITIAL_NS); /* it has learnt something */
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
      cmocka_unit_test(spin_is_bounded_per_call_and_per_window),
      cmocka_unit_test(precise_sleep_adapts_this_threads_margin),
      cmocka_unit_test(timer_slack_reports_what_the_os_applied),
      cmocka_unit_test(power_throttling_opt_out_where_the_os_has_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
