/* SPDX-License-Identifier: MIT */
/*
 * lal_sleep_until: plain (OS sleep) and precise (OS sleep to deadline - margin,
 * then spin) waiting, with a per-thread adaptive margin and a bounded spin.
 *
 * The margin is the 95th percentile of how late the OS wakes this thread.
 * It must come back down after a burst of late wake-ups, and a host whose
 * sleeps are always long (Wine: no waitable timer wakes sooner than about a
 * millisecond) must not leave it stuck above every request:
 *   - every OS sleep is measured, including the plain sleep a call takes
 *     when its spin budget is spent;
 *   - a call shorter than the margin makes no OS sleep, hence no measurement,
 *     and moves the margin as an on-time wake-up would: it decays until the
 *     requests outgrow it and an OS sleep measures again (on a host that
 *     stays slow, about one call in twenty: the tracker's 95th percentile);
 *   - a call never spins more than the budget left in its window, so the
 *     OS sleep stops that much before the deadline at most.
 */
#include "cpu_relax.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "sleep_internal.h"

static LALI_THREAD_LOCAL lali_sleep_state thread_state;

void lali_margin_observe(lali_sleep_state *st, uint64_t error_ns) {
  if (!st->margin_ns)
    st->margin_ns = LALI_MARGIN_INITIAL_NS;
  /* Stochastic quantile tracking: step down by d below the estimate, up by
   * d * p / (1 - p) above it; the estimate settles where P(error > q) = 1 - p.
   * Steps are relative, so it adapts as fast at 10 us as at 1 ms. */
  uint64_t down = st->margin_ns / 128 + 1;
  if (error_ns > st->margin_ns)
    st->margin_ns += down * LALI_MARGIN_UP_RATIO;
  else
    st->margin_ns = st->margin_ns > down ? st->margin_ns - down : 0;
  if (st->margin_ns < LALI_MARGIN_MIN_NS)
    st->margin_ns = LALI_MARGIN_MIN_NS;
  if (st->margin_ns > LALI_MARGIN_MAX_NS)
    st->margin_ns = LALI_MARGIN_MAX_NS;
}

static void refresh_window(lali_sleep_state *st, uint64_t now) {
  if (now - st->window_start_ns > LALI_SPIN_WINDOW_NS) {
    st->window_start_ns = now;
    st->window_spin_ns = 0;
  }
}

uint64_t lali_spin_budget_left(lali_sleep_state *st, uint64_t now) {
  refresh_window(st, now);
  uint64_t budget = LALI_SPIN_WINDOW_NS / LALI_SPIN_BUDGET_DIVISOR;
  uint64_t left = st->window_spin_ns < budget ? budget - st->window_spin_ns : 0;
  return left < LALI_SPIN_MAX_PER_CALL_NS ? left : LALI_SPIN_MAX_PER_CALL_NS;
}

int lali_spin_allowed(lali_sleep_state *st, uint64_t now, uint64_t spin_ns) {
  refresh_window(st, now);
  if (spin_ns > LALI_SPIN_MAX_PER_CALL_NS ||
      st->window_spin_ns + spin_ns > LALI_SPIN_WINDOW_NS / LALI_SPIN_BUDGET_DIVISOR)
    return 0;
  st->window_spin_ns += spin_ns;
  return 1;
}

/* One OS sleep towards a deadline in lal_now_ns() time. */
static int os_sleep_once(uint64_t deadline_ns) {
  uint64_t now = lal_now_ns();
  if (now >= deadline_ns)
    return LAL_OK;
  /* lal_now_ns() shares CLOCK_MONOTONIC's epoch, but a TSC-based clock may run
   * a few ppm apart from it: convert the remaining time, not the deadline. */
  return lali_os_sleep_until_mono(lali_os_mono_ns() + (deadline_ns - now));
}

/* Plain mode: OS sleeps until lal_now_ns() has reached the deadline (a timer
 * may fire a little early against lal's clock; then sleep again). */
static int os_sleep_until(uint64_t deadline_ns) {
  while (lal_now_ns() < deadline_ns) {
    int rc = os_sleep_once(deadline_ns);
    if (rc != LAL_OK)
      return rc;
  }
  return LAL_OK;
}

int lali_sleep_precise_with(const lali_sleep_os *os, lali_sleep_state *st, uint64_t deadline_ns) {
  uint64_t now = os->now(os->ctx);
  if (now >= deadline_ns)
    return LAL_OK;
  if (!st->margin_ns)
    st->margin_ns = LALI_MARGIN_INITIAL_NS;
  /* How long before the deadline the OS sleep ends: the margin; for a
   * request of 2 ms or more, twice the margin (at most a twentieth of the
   * request), since there the spin is a small share of the time and a wake-up
   * past the 95th percentile would make the sleep late; never more spin than
   * this window's budget has left. */
  uint64_t budget = lali_spin_budget_left(st, now), remaining = deadline_ns - now;
  uint64_t lead = st->margin_ns;
  if (remaining >= LALI_LONG_REQUEST_NS) {
    uint64_t wide = 2 * st->margin_ns, cap = remaining / 20;
    wide = wide < cap ? wide : cap;
    lead = wide > lead ? wide : lead;
  }
  lead = lead < budget ? lead : budget;
  if (deadline_ns - now > lead) {
    uint64_t target = deadline_ns - lead;
    int rc = os->sleep_until(os->ctx, target);
    if (rc != LAL_OK)
      return rc;
    now = os->now(os->ctx);
    lali_margin_observe(st, now > target ? now - target : 0);
  } else {
    lali_margin_observe(st, 0); /* unmeasured: decays (see the top) */
  }
  while (now < deadline_ns) {
    if (lali_spin_allowed(st, now, deadline_ns - now)) {
      while (os->now(os->ctx) < deadline_ns)
        os->relax(os->ctx);
      return LAL_OK;
    }
    /* No budget left to spin (the OS woke earlier than the lead): the OS
     * alone, measured like any other OS sleep. */
    int rc = os->sleep_until(os->ctx, deadline_ns);
    if (rc != LAL_OK)
      return rc;
    now = os->now(os->ctx);
    if (now >= deadline_ns)
      lali_margin_observe(st, now - deadline_ns);
  }
  return LAL_OK;
}

static uint64_t real_now(void *ctx) {
  (void)ctx;
  return lal_now_ns();
}

static int real_sleep_until(void *ctx, uint64_t deadline_ns) {
  (void)ctx;
  return os_sleep_once(deadline_ns);
}

static void real_relax(void *ctx) {
  (void)ctx;
  lali_cpu_relax();
}

int lal_sleep_until(uint64_t deadline_ns, unsigned flags) {
  if (flags & ~LAL_SLEEP_PRECISE)
    return LAL_EINVAL;
  uint64_t now = lal_now_ns();
  if (now >= deadline_ns)
    return LAL_OK;
  if (!(flags & LAL_SLEEP_PRECISE))
    return os_sleep_until(deadline_ns);
  static const lali_sleep_os real = {real_now, real_sleep_until, real_relax, NULL};
  return lali_sleep_precise_with(&real, &thread_state, deadline_ns);
}

int lal_sleep_ns(uint64_t ns, unsigned flags) {
  if (flags & ~LAL_SLEEP_PRECISE)
    return LAL_EINVAL;
  uint64_t now = lal_now_ns();
  uint64_t deadline = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
  return lal_sleep_until(deadline, flags);
}

uint64_t lali_sleep_margin_ns(void) {
  return thread_state.margin_ns ? thread_state.margin_ns : LALI_MARGIN_INITIAL_NS;
}

int lal_timer_slack_set(uint64_t ns, uint64_t *applied_ns) {
  return lali_os_timer_slack_set(ns, applied_ns);
}

#define LALI_THROTTLE_ALL (LAL_THROTTLE_EXECUTION_SPEED | LAL_THROTTLE_TIMER_RESOLUTION)

int lal_power_throttling_opt_out(unsigned policies, unsigned *applied) {
  if (applied)
    *applied = 0;
  if (policies == 0 || (policies & ~LALI_THROTTLE_ALL) != 0)
    return LAL_EINVAL;
  unsigned got = 0;
  int rc = lali_os_power_throttling_opt_out(policies, &got);
  if (applied)
    *applied = got;
  if (rc == LAL_OK && (policies & ~got)) /* got also holds earlier opt-outs */
    rc = LAL_ENOTSUP;
  return rc;
}

int lal_power_throttling_disable(void) {
  unsigned got = 0;
  int rc = lali_os_power_throttling_opt_out(LALI_THROTTLE_ALL, &got);
  return rc == LAL_OK && !(got & LAL_THROTTLE_EXECUTION_SPEED) ? LAL_ENOTSUP : rc;
}
