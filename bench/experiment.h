/* SPDX-License-Identifier: MIT */
/*
 * lal-bench --experiment: a before/after comparison made the way a change is
 * really made, inside one invocation. A is the machine as it is, B the
 * machine with the change; rounds of the two alternate in balanced order
 * (A B B A A B B A ...), so a drift of the machine during the run hits both
 * sides alike, and the two results are compared at the end.
 *
 * The change is what lal controls in-process for the measuring thread (a
 * priority profile, pinning, locked memory, a PM QoS hold) and/or a pair of
 * the user's commands, apply and revert, given as argument vectors and run
 * without a shell, with the caller's own privileges and environment. The
 * machine is never left changed: revert runs after every B round, when a
 * command fails, on SIGINT/SIGTERM; a journal records what is applied, so
 * that after a crash (kill -9, a power cut) `lal-bench --recover JOURNAL`
 * reverts it. The journal is created exclusively (nothing existing is
 * followed or reused), readable and writable by the caller only, and a
 * journal another user wrote is refused.
 *
 * Exit status: lal-compare's (0 pass, 1 B regressed beyond the threshold, 2
 * nothing to gate or unusable input), or 3 the apply command failed (B was
 * reverted), 4 the revert command failed (the machine may still be changed:
 * the journal is kept, --recover retries), 130 stopped by a signal (reverted).
 */
#ifndef LAL_BENCH_EXPERIMENT_H
#define LAL_BENCH_EXPERIMENT_H

#include <signal.h>

#include "rounds.h"

#define EXPERIMENT_APPLY_FAILED 3
#define EXPERIMENT_REVERT_FAILED 4

typedef struct experiment_opts {
  char **apply, **revert;  /* NULL-terminated argument vectors, or NULL */
  const char *journal;     /* NULL: experiment_os_default_journal */
  int b_priority;          /* LAL_PRIORITY_* for B's measuring thread, 0: unchanged */
  int b_cpu;               /* pin B's measuring thread here, -1: unchanged */
  int b_lock;              /* lock B's memory (current and future) */
  long long b_pm_qos;      /* hold this CPU latency limit in B, -1: none */
  double b_synthetic;      /* the synthetic workload's slowdown in B (a known change), -1: none */
  long long b_timer_slack; /* the measuring thread's timer slack in B, ns, -1: unchanged */
  const char *json_a, *json_b;
} experiment_opts;

/* Writes one side's document to path (lal_bench.c: the fingerprint, the
 * results, the run); side is "A" or "B", change describes B's change. */
typedef int (*experiment_write_fn)(void *ctx, const char *path, const rounds_collector *c,
                                   const char *side, const char *change, int rounds_done);

int experiment_run(const experiment_opts *x, const rounds_plan *plan, const bench_opts *opts,
                   experiment_write_fn write, void *ctx);

/* lal-bench --recover JOURNAL: reverts what a crashed experiment left
 * applied. 0 reverted or nothing to revert (the journal is removed), 2 a
 * journal that is not one, is another user's, or belongs to a live
 * experiment, 4 the revert failed (the journal is kept). */
int experiment_recover(const char *journal);

/* Set by the signal handler's second signal path: the journal to name. */
extern char experiment_journal_hint[4096];

#endif
