/* SPDX-License-Identifier: MIT */
/* Internals of precise sleep, exposed for tests. */
#ifndef LAL_SLEEP_INTERNAL_H
#define LAL_SLEEP_INTERNAL_H

#include <stdint.h>

#define LAL__MARGIN_INITIAL_NS 200000u /* 200 us until this thread has measured */
#define LAL__MARGIN_MIN_NS 2000u
#define LAL__MARGIN_MAX_NS 2000000u
/* Tracks the 95th percentile: up-step / down-step = 0.95 / 0.05. */
#define LAL__MARGIN_UP_RATIO 19u
/* Spin bounds: per call, and a quarter of each 100 ms of the thread's time.
 * RT throttling freezes a SCHED_FIFO thread that runs 950 ms of a second. */
#define LAL__SPIN_MAX_PER_CALL_NS 2000000u
#define LAL__SPIN_WINDOW_NS 100000000u
#define LAL__SPIN_BUDGET_DIVISOR 4u

typedef struct lal__sleep_state {
  uint64_t margin_ns;
  uint64_t window_start_ns;
  uint64_t window_spin_ns;
} lal__sleep_state;

void lal__margin_observe(lal__sleep_state *st, uint64_t error_ns);
/* 1 if spinning spin_ns now stays within the bounds (and books it). */
int lal__spin_allowed(lal__sleep_state *st, uint64_t now, uint64_t spin_ns);
/* The calling thread's current margin. */
uint64_t lal__sleep_margin_ns(void);

#endif
