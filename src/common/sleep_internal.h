/* SPDX-License-Identifier: MIT */
/* Internals of precise sleep, exposed for tests. */
#ifndef LAL_SRC_COMMON_SLEEP_INTERNAL_H
#define LAL_SRC_COMMON_SLEEP_INTERNAL_H

#include <stdint.h>

#define LALI_MARGIN_INITIAL_NS 200000u /* 200 us until this thread has measured */
#define LALI_MARGIN_MIN_NS 2000u
#define LALI_MARGIN_MAX_NS 2000000u
/* Tracks the 95th percentile: up-step / down-step = 0.95 / 0.05, with
 * down-steps of 1/128. */
#define LALI_MARGIN_UP_RATIO 19u
#define LALI_MARGIN_DOWN_SHIFT 7u
/* Spin bounds: per call, and a fifth of each 100 ms of the thread's time, so
 * that a thread whose every sleep would need spinning (Wine, where no OS
 * sleep is shorter than about 1 ms) stays under a quarter of a CPU over any
 * run, window boundaries included. RT throttling freezes a SCHED_FIFO thread
 * that runs 950 ms of a second. */
#define LALI_SPIN_MAX_PER_CALL_NS 2000000u
/* From this request length on, the OS sleep ends the tail estimate early
 * (the 99.5th percentile of wake errors), at most a fifth of the request
 * and at most 400 us: there the spin is cheap against the sleep, and a
 * wake-up past the 95th percentile would make one sleep in twenty late. The
 * threshold sits below 2 ms because a 2 ms request reaches the library with
 * a little less than 2 ms left. */
#define LALI_LONG_REQUEST_NS 1500000u
#define LALI_LONG_LEAD_DIVISOR 5u
#define LALI_LONG_LEAD_MAX_NS 400000u
/* A request with more than this left past its lead first sleeps to a
 * millisecond before the lead, then makes the final OS sleep, one
 * millisecond long: a wake-up from a long sleep comes from a deeper idle
 * state (the cpuidle governor picks it by the predicted idle length; a VM's
 * vCPU is halted and rescheduled by the host once halt polling gives up) and
 * has the longer tail. Measured here, 4 ms sleeps: wake-ups more than
 * 300 us late 13 in 1,500 for one sleep, 5 for the two-step one. */
#define LALI_FINAL_SLEEP_NS 1000000u
#define LALI_TWO_STEP_MIN_NS (LALI_FINAL_SLEEP_NS + LALI_FINAL_SLEEP_NS / 2)
/* Tracks the 99.5th percentile: up-step / down-step = 0.995 / 0.005, with
 * down-steps of 1/256 (an up-step is then +78 %, and at least to the error
 * that exceeded it). */
#define LALI_TAIL_UP_RATIO 199u
#define LALI_TAIL_DOWN_SHIFT 8u
#define LALI_SPIN_WINDOW_NS 100000000u
#define LALI_SPIN_BUDGET_DIVISOR 5u

typedef struct lali_sleep_state {
  uint64_t margin_ns; /* the 95th percentile of wake errors */
  uint64_t tail_ns;   /* their 99.5th percentile, lifted to any error above it */
  uint64_t first_ns;  /* the same of the first of two steps (a long sleep) */
  uint64_t window_start_ns;
  uint64_t window_spin_ns;
} lali_sleep_state;

/* The 99.5th-percentile tracker, lifted to any error above it. */
uint64_t lali_track_tail(uint64_t q, uint64_t error_ns);
/* One wake error (0 for a call that made no OS sleep) into the margin and
 * the tail. */
void lali_margin_observe(lali_sleep_state *st, uint64_t error_ns);
/* How long before a deadline remaining_ns away the OS sleep ends (before the
 * spin budget is applied). */
uint64_t lali_sleep_lead_ns(const lali_sleep_state *st, uint64_t remaining_ns);
/* 1 if spinning spin_ns now stays within the bounds (and books it). */
int lali_spin_allowed(lali_sleep_state *st, uint64_t now, uint64_t spin_ns);
/* The spin a call starting at `now` may still take: the window's budget
 * left, at most the per-call bound. */
uint64_t lali_spin_budget_left(lali_sleep_state *st, uint64_t now);

/* The OS calls precise sleep makes, as a seam: the library passes the real
 * ones (lal_now_ns, one OS sleep, PAUSE); tests pass a fake clock whose
 * sleeps oversleep as a given host does. */
typedef struct lali_sleep_os {
  uint64_t (*now)(void *ctx);
  /* One OS sleep towards deadline_ns (lal_now_ns time); it may wake early. */
  int (*sleep_until)(void *ctx, uint64_t deadline_ns);
  void (*relax)(void *ctx);
  void *ctx;
} lali_sleep_os;

/* LAL_SLEEP_PRECISE's algorithm on st (a thread's state) through os. */
int lali_sleep_precise_with(const lali_sleep_os *os, lali_sleep_state *st, uint64_t deadline_ns);
/* The calling thread's current margin. */
uint64_t lali_sleep_margin_ns(void);

#endif
