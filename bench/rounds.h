/* SPDX-License-Identifier: MIT */
/*
 * Rounds, interleaved: every selected workload runs `rounds` times, each
 * round in its own random order (randomized multiple interleaved trials,
 * Abedi & Brecht, ICPE 2017), so a slow drift of the machine (load coming and
 * going, frequency, the hypervisor) lands on every workload alike and shows
 * up as spread between rounds instead of as a difference between workloads.
 * Each round's series are kept; lal-compare reads the spread between rounds
 * as the run-to-run noise it must see past.
 */
#ifndef LAL_BENCH_ROUNDS_H
#define LAL_BENCH_ROUNDS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"

#define BENCH_ROUNDS_DEFAULT 5
#define BENCH_ROUNDS_QUICK 2
#define BENCH_ROUNDS_MAX 100

typedef struct rounds_plan {
  const workload *workloads; /* the selected ones, in the canonical (--list) order */
  size_t count;
  int rounds;
  uint64_t seed;               /* the interleaving's seed, recorded in the run */
  volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM: no new workload starts */
} rounds_plan;

/* Runs the plan and writes each series (pooled, with its rounds) into the
 * open "results" array of out. Workloads that measure once (clock_accuracy)
 * run in the first round only. *rounds_done: the rounds that completed.
 * Returns 1 if a workload failed in some round, 2 when a round's output
 * could not be kept (out of memory, no temporary file), else 0. */
int bench_run_rounds(const rounds_plan *plan, const bench_opts *opts, json_writer *out,
                     int *rounds_done);

/* The same, a round at a time, for callers that change the machine between
 * rounds (the experiment mode). */
typedef struct rounds_collector rounds_collector;
rounds_collector *rounds_collector_new(const workload *workloads, size_t count, int rounds);
/* Runs round `round` (0-based) in an order drawn from *seed; label prefixes
 * the progress line ("B, "). 0 done; 1 stopped by *stop (the round is
 * partial); 2 a run's output could not be kept. *failed: a workload failed. */
int rounds_collector_run(rounds_collector *c, int round, const char *label, const bench_opts *opts,
                         uint64_t *seed, volatile sig_atomic_t *stop, int *failed);
/* Writes each series, pooled with its rounds, into the open results array. */
int rounds_collector_write(const rounds_collector *c, json_writer *out);
void rounds_collector_free(rounds_collector *c);

#endif
