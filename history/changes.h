/* SPDX-License-Identifier: MIT */
/*
 * Change points in one series' percentile over a machine's runs: where its
 * level shifted and stayed shifted.
 *
 * The method is binary segmentation (Scott & Knott 1974; the frame of
 * E-Divisive, Matteson & James 2014, which Apache Otava and MongoDB's CI
 * use) with a rank statistic: within a stretch of runs, every split is
 * scored by the Mann-Whitney U of the runs before it against the runs after
 * it, standardized (z); the best split is a change point when |z| reaches
 * CHANGES_Z and the two sides' medians differ by at least the minimum
 * effect, and each side is then searched again.
 *
 * Why ranks: under "no change" the runs are exchangeable and the z of every
 * split has a distribution that does not depend on the noise's shape, so the
 * false-alarm rate measured once on synthetic noise (tests/test_history_changes.c,
 * and lal-history-bench) holds for any noise, heavy tails and one-off spikes
 * included: a single slow run moves a rank sum by at most one rank. A run-to-run
 * drift that is not a step (load creeping up over weeks) is not exchangeable
 * and is reported as one or more steps.
 */
#ifndef LAL_HISTORY_CHANGES_H
#define LAL_HISTORY_CHANGES_H

#include <stddef.h>

/* |z| a split needs: measured on pure noise (independent draws), at most one
 * false alarm per 1,000 runs (see the README's numbers). */
#define CHANGES_Z 5.0
/* Each side of a change has at least this many runs. */
#define CHANGES_MIN_SEGMENT 4

typedef struct change_point {
  size_t index;         /* the first run after the change */
  double before, after; /* the medians of the stretches either side */
  double z;             /* the split's standardized rank statistic */
} change_point;

/* Finds the change points of x[0..n) (positive values, in run order) whose
 * median ratio after/before is at least 1 + min_effect or at most
 * 1 / (1 + min_effect). Writes up to max of them to out in run order and
 * returns how many; -1 out of memory. */
int changes_find(const double *x, size_t n, double min_effect, change_point *out, size_t max);

#endif
