/* SPDX-License-Identifier: MIT */
/*
 * lal-compare's statistics: a percentile's ratio B/A with an interval that
 * sees run-to-run noise, and each side's noise floor.
 *
 * A series is a set of rounds (lal-bench --rounds), each a histogram. The
 * statistic is the percentile of the pooled rounds. One bootstrap resample
 * draws the rounds again with replacement (between-round spread: what the
 * machine did differently from one round to the next) and then the
 * percentile of their pooled samples through its order statistic (within
 * rounds: a quantile of n draws is the k-th order statistic, k = ceil(q n),
 * whose position in the distribution is Beta(k, n - k + 1)): a two-level
 * bootstrap (Davison & Hinkley, "Bootstrap Methods", 3.8, resampling the
 * top level; Kalibera & Jones, ISMM 2013, on which level carries the
 * variance). With one round it reduces to the within-run bootstrap, which
 * cannot see run-to-run noise: a default floor stands in for it.
 *
 * The noise floor of a side is A against A: the ratio of two independent
 * resamples of that side's own rounds; the floor is the 95th percentile of
 * its distance from 1. A change is called only when it exceeds the floor of
 * both sides and the minimum effect, its interval excludes 1, and, with 4
 * rounds or more a side, the rounds' ranks agree (stats_rank_test, p < 1 %);
 * with 2 or 3 rounds the default floor holds, as with one.
 */
#ifndef LAL_COMPARE_COMPARE_STATS_H
#define LAL_COMPARE_COMPARE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "result_format.h"

/* Each round's cumulative counts on the side's common grid of bucket bounds. */
typedef struct stats_rounds {
  double *grid; /* the bucket lower bounds of every round, ascending */
  size_t g;
  double *cum; /* n rows of g: cum[r * g + j], round r's samples <= grid[j] */
  double *count;
  size_t n;
} stats_rounds;

/* 0, or -1 out of memory. The rounds must have samples. */
int stats_rounds_build(const result_hist *rounds, size_t n, stats_rounds *out);
void stats_rounds_free(stats_rounds *s);

typedef struct stats_rng {
  uint64_t state;
} stats_rng;
void stats_rng_seed(stats_rng *r, uint64_t seed);

/* One two-level resample of quantile q (0..1). idx: n scratch slots. */
double stats_resample_quantile(const stats_rounds *s, double q, stats_rng *rng, size_t *idx);
/* Round r's own quantile q (the value of its order statistic, no resampling). */
double stats_round_quantile(const stats_rounds *s, size_t r, double q);

/* The result for one percentile. */
typedef struct stats_ratio {
  double lo, hi;           /* the 95 % interval of B/A */
  double floor_a, floor_b; /* each side's noise floor, a fraction (0.05 = 5 %) */
  int floor_a_measured;    /* 0: one round, the default floor stands in */
  int floor_b_measured;
} stats_ratio;

/* The default noise floor for a side with one round, by quantile: what
 * identical runs on a small shared VM differ by (bench/SCHEMA.md). */
double stats_default_floor(double q);

/* The rank test's level, and the rounds a side needs before it can decide:
 * a comparison gates some 30 series at once, so each is held to 1 % (with 5
 * and 5 rounds that means every round of B beyond every round of A: the
 * smallest two-sided p is 2/252 = 0.008; with 4 and 4 it is 0.029, so 4
 * rounds can only call changes with 5 on the other side or more). */
#define STATS_RANK_ALPHA 0.01
#define STATS_RANK_MIN_ROUNDS 4

/* The Mann-Whitney U test across rounds (as Google Benchmark's compare.py
 * does across repetitions): each round's quantile q on each side, the
 * two-sided p-value that the two sets come from one distribution (exact
 * below 20 rounds a side, else the normal approximation with ties). A
 * bootstrap over a few rounds trusts a single unlucky round (a host hiccup
 * on one side only) too much; a rank test gives it one rank. */
double stats_rank_test(const stats_rounds *a, const stats_rounds *b, double q);

/* Interval and floors of B/A for quantile q with `resamples` resamples;
 * scratch holds 2 * resamples doubles. */
void stats_ratio_compute(const stats_rounds *a, const stats_rounds *b, double q, unsigned resamples,
                         stats_rng *rng, double *scratch, stats_ratio *out);

#endif
