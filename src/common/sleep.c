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
 * A second tracker follows the 99.5th percentile, the lead of requests of
 * 2 ms and more (lali_sleep_lead_ns): one wake-up in twenty past the margin
 * would otherwise make one such sleep in twenty late, where a few hundred
 * microseconds of spin cost a few per cent of the request. Such a request
 * sleeps in two steps, the last one 1 ms long, since a wake-up from a long
 * idle stretch has the longer tail (LALI_FINAL_SLEEP_NS).
 */
#include "cpu_relax.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "sleep_internal.h"

static LALI_THREAD_LOCAL lali_sleep_state thread_state;

/* Stochastic quantile tracking: step down by d below the estimate, up by
 * d * p / (1 - p) above it; the estimate settles where P(error > q) = 1 - p.
 * Steps are relative (d = q / 2^shift), so it adapts as fast at 10 us as at
 * 1 ms. With `reach`, an error above the estimate lifts it at least to that
 * error: a host's stalls come in bursts, and a tracker that climbs by steps
 * leaves the first few sleeps of every burst late. */
static uint64_t track_quantile(uint64_t q, uint64_t error_ns, unsigned up_ratio,
                               unsigned down_shift, int reach) {
  if (!q)
    q = LALI_MARGIN_INITIAL_NS;
  uint64_t down = (q >> down_shift) + 1;
  if (error_ns > q) {
    q += down * up_ratio;
    if (reach && q < error_ns)
      q = error_ns;
  } else {
    q = q > down ? q - down : 0;
  }
  if (q < LALI_MARGIN_MIN_NS)
    q = LALI_MARGIN_MIN_NS;
  return q > LALI_MARGIN_MAX_NS ? LALI_MARGIN_MAX_NS : q;
}

uint64_t lali_track_tail(uint64_t q, uint64_t error_ns) {
  return track_quantile(q, error_ns, LALI_TAIL_UP_RATIO, LALI_TAIL_DOWN_SHIFT, 1);
}

void lali_margin_observe(lali_sleep_state *st, uint64_t error_ns) {
  st->margin_ns =
      track_quantile(st->margin_ns, error_ns, LALI_MARGIN_UP_RATIO, LALI_MARGIN_DOWN_SHIFT, 0);
  st->tail_ns = lali_track_tail(st->tail_ns, error_ns);
}

/* A request under 2 ms ends its OS sleep the margin early: the spin is a
 * large share of the call, and one wake-up in twenty past the margin is late
 * by little. From 2 ms the spin is cheap against the sleep, so the OS sleep
 * ends the tail estimate early, bounded by a fifth of the request and by
 * 400 us: a wake-up later than that is late whatever is spun, and spinning
 * more would cost what a game library's 1 ms stepping costs (SDL3 spins the
 * last 0-1.1 ms of a request), which precise sleep exists to undercut. Never
 * less than the margin. */
uint64_t lali_sleep_lead_ns(const lali_sleep_state *st, uint64_t remaining_ns) {
  uint64_t margin = st->margin_ns ? st->margin_ns : LALI_MARGIN_INITIAL_NS;
  if (remaining_ns < LALI_LONG_REQUEST_NS)
    return margin;
  uint64_t lead = st->tail_ns ? st->tail_ns : LALI_MARGIN_INITIAL_NS;
  uint64_t cap = remaining_ns / LALI_LONG_LEAD_DIVISOR;
  cap = cap < LALI_LONG_LEAD_MAX_NS ? cap : LALI_LONG_LEAD_MAX_NS;
  lead = lead < cap ? lead : cap;
  return lead > margin ? lead : margin;
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
  /* Never more spin than this window's budget has left. A lead the budget
   * cuts below the margin is dropped: the OS sleep would then end at a point
   * its usual wake error already passes, so it wakes about as late as a
   * sleep to the deadline, or later where a short timeout is rounded up
   * (Wine rounds a 0.7 ms wait to its next millisecond: 0.6 ms late). */
  uint64_t budget = lali_spin_budget_left(st, now);
  uint64_t lead = lali_sleep_lead_ns(st, deadline_ns - now);
  if (budget < lead)
    lead = budget >= st->margin_ns ? budget : 0;
  int two_step = deadline_ns - now > lead && deadline_ns - lead - now > LALI_TWO_STEP_MIN_NS;
  if (two_step) {
    /* The first step (see LALI_FINAL_SLEEP_NS) ends the final step's length
     * before the final step's end, and earlier by how late long sleeps wake
     * (first_ns: Wine under load wakes them milliseconds late, where 1 ms
     * sleeps are on time), as far as the first step keeps half a
     * millisecond. Its lateness is absorbed by the final step and says
     * nothing of a short sleep's: it feeds first_ns only. */
    uint64_t room = deadline_ns - lead - now - LALI_TWO_STEP_MIN_NS;
    uint64_t early = st->first_ns < room ? st->first_ns : room;
    uint64_t target = deadline_ns - lead - LALI_FINAL_SLEEP_NS - early;
    int rc = os->sleep_until(os->ctx, target);
    if (rc != LAL_OK)
      return rc;
    now = os->now(os->ctx);
    st->first_ns = lali_track_tail(st->first_ns, now > target ? now - target : 0);
  }
  if (now < deadline_ns && deadline_ns - now > lead) {
    uint64_t target = deadline_ns - lead;
    int rc = os->sleep_until(os->ctx, target);
    if (rc != LAL_OK)
      return rc;
    now = os->now(os->ctx);
    lali_margin_observe(st, now > target ? now - target : 0);
  } else if (!two_step) {
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
