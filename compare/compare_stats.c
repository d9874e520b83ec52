/* SPDX-License-Identifier: MIT */
/* lal-compare's two-level bootstrap: see compare_stats.h. */
#include "compare_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int stats_rounds_build(const result_hist *rounds, size_t n, stats_rounds *out) {
  memset(out, 0, sizeof *out);
  size_t total = 0;
  for (size_t r = 0; r < n; r++)
    total += rounds[r].n;
  double *all = malloc((total ? total : 1) * sizeof *all);
  if (!all)
    return -1;
  size_t k = 0;
  for (size_t r = 0; r < n; r++)
    for (size_t i = 0; i < rounds[r].n; i++)
      all[k++] = rounds[r].lo[i];
  qsort(all, total, sizeof *all, cmp_double);
  size_t g = 0; /* unique bounds */
  for (size_t i = 0; i < total; i++)
    if (g == 0 || all[i] != all[g - 1])
      all[g++] = all[i];
  out->grid = all;
  out->g = g;
  out->n = n;
  out->cum = malloc((n * g > 0 ? n * g : 1) * sizeof *out->cum);
  out->count = malloc((n ? n : 1) * sizeof *out->count);
  if (!out->cum || !out->count) {
    stats_rounds_free(out);
    return -1;
  }
  for (size_t r = 0; r < n; r++) {
    const result_hist *h = &rounds[r];
    size_t i = 0;
    double c = 0;
    for (size_t j = 0; j < g; j++) {
      while (i < h->n && h->lo[i] <= out->grid[j])
        c = h->cum[i++];
      out->cum[r * g + j] = c;
    }
    out->count[r] = h->count;
  }
  return 0;
}

void stats_rounds_free(stats_rounds *s) {
  free(s->grid);
  free(s->cum);
  free(s->count);
  memset(s, 0, sizeof *s);
}

/* ---- random numbers: xorshift64*, Marsaglia-Tsang gamma, beta from gammas */

void stats_rng_seed(stats_rng *r, uint64_t seed) {
  r->state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
}

static double uniform(stats_rng *r) {
  r->state ^= r->state >> 12;
  r->state ^= r->state << 25;
  r->state ^= r->state >> 27;
  return (double)((r->state * UINT64_C(2685821657736338717)) >> 11) * 0x1.0p-53;
}

static double normal(stats_rng *r) {
  double u = uniform(r), v = uniform(r);
  return sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(6.283185307179586 * v);
}

static double gamma_draw(stats_rng *r, double shape) { /* shape >= 1 */
  double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x = normal(r), v = 1.0 + c * x;
    if (v <= 0)
      continue;
    v = v * v * v;
    double u = uniform(r);
    if (u < 1.0 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
      return d * v;
  }
}

static double beta_draw(stats_rng *r, double a, double b) {
  double x = gamma_draw(r, a), y = gamma_draw(r, b);
  return x / (x + y);
}

/* The grid value where the chosen rounds' pooled count first reaches target. */
static double pooled_inverse(const stats_rounds *s, const size_t *idx, size_t n, double target) {
  size_t lo = 0, hi = s->g - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    double c = 0;
    for (size_t i = 0; i < n; i++)
      c += s->cum[idx[i] * s->g + mid];
    if (c >= target)
      hi = mid;
    else
      lo = mid + 1;
  }
  return s->grid[lo];
}

double stats_resample_quantile(const stats_rounds *s, double q, stats_rng *rng, size_t *idx) {
  double total = 0;
  for (size_t i = 0; i < s->n; i++) {
    idx[i] = s->n == 1 ? 0 : (size_t)(uniform(rng) * (double)s->n) % s->n;
    total += s->count[idx[i]];
  }
  double k = ceil(q * total);
  if (k < 1)
    k = 1;
  return pooled_inverse(s, idx, s->n, beta_draw(rng, k, total - k + 1) * total);
}

double stats_round_quantile(const stats_rounds *s, size_t r, double q) {
  double k = ceil(q * s->count[r]);
  return pooled_inverse(s, &r, 1, k < 1 ? 1 : k);
}

double stats_default_floor(double q) {
  /* Measured with scripts/compare-calibration.sh: identical one-round runs
   * on a 2-vCPU VM under changing load differed by up to this much in 95 %
   * of series. */
  return q <= 0.5 ? 0.10 : q <= 0.9 ? 0.15 : q <= 0.99 ? 0.30 : 0.50;
}

/* 95th percentile of |log(T1 / T2)| for two resamples of the same side. */
static double floor_of(const stats_rounds *s, double q, unsigned resamples, stats_rng *rng,
                       double *scratch, size_t *idx) {
  for (unsigned k = 0; k < resamples; k++) {
    double x = stats_resample_quantile(s, q, rng, idx), y = stats_resample_quantile(s, q, rng, idx);
    scratch[k] = x > 0 && y > 0 ? fabs(log(x / y)) : (x == y ? 0 : INFINITY);
  }
  qsort(scratch, resamples, sizeof *scratch, cmp_double);
  double d = scratch[(size_t)(0.95 * (resamples - 1))];
  return isfinite(d) ? exp(d) - 1.0 : 1.0;
}

/* Ways to draw m values out of m + n ranks with rank sum... counted by U:
 * the exact null distribution of U (Mann & Whitney 1947, the recursion
 * c(u; m, n) = c(u - n; m - 1, n) + c(u; m, n - 1)). */
static double exact_p(size_t m, size_t n, double u) {
  enum { MAXN = 20, MAXU = MAXN * MAXN + 1 };
  static double c[MAXN + 1][MAXN + 1][MAXU];
  static int ready;
  if (!ready) {
    for (size_t i = 0; i <= MAXN; i++)
      for (size_t j = 0; j <= MAXN; j++)
        for (size_t k = 0; k < MAXU; k++) {
          if (i == 0 || j == 0)
            c[i][j][k] = k == 0;
          else
            c[i][j][k] = (k >= j ? c[i - 1][j][k - j] : 0) + c[i][j - 1][k];
        }
    ready = 1;
  }
  /* Ties (rounds whose quantile falls in the same bucket) count half: the
   * tail is taken up to the next whole U, the conservative side. */
  double lo = u < (double)(m * n) - u ? u : (double)(m * n) - u, lim = ceil(lo - 1e-9);
  double total = 0, tail = 0;
  for (size_t k = 0; k <= m * n; k++) {
    total += c[m][n][k];
    if ((double)k <= lim + 1e-9)
      tail += c[m][n][k];
  }
  double p = 2.0 * tail / total;
  return p > 1.0 ? 1.0 : p;
}

double stats_rank_test(const stats_rounds *a, const stats_rounds *b, double q) {
  size_t m = a->n, n = b->n;
  double *x = malloc((m + n ? m + n : 1) * sizeof *x);
  if (m == 0 || n == 0 || !x) {
    free(x);
    return 1.0;
  }
  /* Each round's quantile once (a binary search each), then the pairs. */
  for (size_t i = 0; i < m; i++)
    x[i] = stats_round_quantile(a, i, q);
  for (size_t j = 0; j < n; j++)
    x[m + j] = stats_round_quantile(b, j, q);
  double u = 0; /* pairs where A's round is above B's, ties counting half */
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++)
      u += x[i] > x[m + j] ? 1.0 : x[i] == x[m + j] ? 0.5 : 0.0;
  free(x);
  if (m <= 20 && n <= 20)
    return exact_p(m, n, u);
  double mean = (double)(m * n) / 2, sd = sqrt((double)(m * n) * (double)(m + n + 1) / 12.0);
  double z = (fabs(u - mean) - 0.5) / sd;
  return z <= 0 ? 1.0 : erfc(z / sqrt(2.0));
}

void stats_ratio_compute(const stats_rounds *a, const stats_rounds *b, double q, unsigned resamples,
                         stats_rng *rng, double *scratch, stats_ratio *out) {
  size_t nmax = a->n > b->n ? a->n : b->n;
  size_t *idx = malloc((nmax ? nmax : 1) * sizeof *idx);
  memset(out, 0, sizeof *out);
  if (!idx) { /* no interval without scratch: claim nothing */
    out->lo = 0, out->hi = INFINITY, out->floor_a = out->floor_b = 1.0;
    return;
  }
  double *ratios = scratch;
  for (unsigned k = 0; k < resamples; k++) {
    double x = stats_resample_quantile(a, q, rng, idx), y = stats_resample_quantile(b, q, rng, idx);
    ratios[k] = x > 0 ? y / x : (y > 0 ? INFINITY : 1.0);
  }
  qsort(ratios, resamples, sizeof *ratios, cmp_double);
  out->lo = ratios[(size_t)(0.025 * resamples)];
  out->hi = ratios[(size_t)(0.975 * resamples)];
  double *work = scratch + resamples;
  out->floor_a_measured = a->n > 1;
  out->floor_b_measured = b->n > 1;
  out->floor_a = floor_of(a, q, resamples, rng, work, idx);
  out->floor_b = floor_of(b, q, resamples, rng, work, idx);
  /* One round sees only its own samples: the default floor stands in for
   * the run-to-run noise it cannot measure. */
  if (!out->floor_a_measured && out->floor_a < stats_default_floor(q))
    out->floor_a = stats_default_floor(q);
  if (!out->floor_b_measured && out->floor_b < stats_default_floor(q))
    out->floor_b = stats_default_floor(q);
  free(idx);
}
