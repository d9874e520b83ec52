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
/* Spin bounds: per call, and a fifth of each 100 ms of the thread's time, so
 * that a thread whose every sleep would need spinning (Wine, where no OS
 * sleep is shorter than about 1 ms) stays under a quarter of a CPU over any
 * run, window boundaries included. RT throttling freezes a SCHED_FIFO thread
 * that runs 950 ms of a second. */
#define LAL__SPIN_MAX_PER_CALL_NS 2000000u
/* From this request length on, the OS sleep ends twice the margin early (at
 * most a twentieth of the request): the spin is cheap against the sleep. */
#define LAL__LONG_REQUEST_NS 2000000u
#define LAL__SPIN_WINDOW_NS 100000000u
#define LAL__SPIN_BUDGET_DIVISOR 5u

typedef struct lal__sleep_state {
  uint64_t margin_ns;
  uint64_t window_start_ns;
  uint64_t window_spin_ns;
} lal__sleep_state;

void lal__margin_observe(lal__sleep_state *st, uint64_t error_ns);
/* 1 if spinning spin_ns now stays within the bounds (and books it). */
int lal__spin_allowed(lal__sleep_state *st, uint64_t now, uint64_t spin_ns);
/* The spin a call starting at `now` may still take: the window's budget
 * left, at most the per-call bound. */
uint64_t lal__spin_budget_left(lal__sleep_state *st, uint64_t now);

/* The OS calls precise sleep makes, as a seam: the library passes the real
 * ones (lal_now_ns, one OS sleep, PAUSE); tests pass a fake clock whose
 * sleeps oversleep as a given host does. */
typedef struct lal__sleep_os {
  uint64_t (*now)(void *ctx);
  /* One OS sleep towards deadline_ns (lal_now_ns time); it may wake early. */
  int (*sleep_until)(void *ctx, uint64_t deadline_ns);
  void (*relax)(void *ctx);
  void *ctx;
} lal__sleep_os;

/* LAL_SLEEP_PRECISE's algorithm on st (a thread's state) through os. */
int lal__sleep_precise_with(const lal__sleep_os *os, lal__sleep_state *st, uint64_t deadline_ns);
/* The calling thread's current margin. */
uint64_t lal__sleep_margin_ns(void);

#endif
