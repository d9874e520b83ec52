/* SPDX-License-Identifier: MIT */
#include "changes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ranked {
  double v;
  size_t at;
} ranked;

static int by_value(const void *a, const void *b) {
  double x = ((const ranked *)a)->v, y = ((const ranked *)b)->v;
  return x < y ? -1 : x > y;
}

static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(const double *x, size_t n, double *scratch) {
  memcpy(scratch, x, n * sizeof *x);
  qsort(scratch, n, sizeof *scratch, by_double);
  return n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

typedef struct work {
  const double *x;
  double min_effect;
  ranked *sorted;
  double *rank, *prefix, *scratch;
  change_point *out;
  size_t max, found;
} work;

/* The best split of x[lo, hi): its index (lo + k) and |z|, or 0. */
static size_t best_split(work *w, size_t lo, size_t hi, double *z_out) {
  size_t n = hi - lo;
  for (size_t i = 0; i < n; i++) {
    w->sorted[i].v = w->x[lo + i];
    w->sorted[i].at = i;
  }
  qsort(w->sorted, n, sizeof *w->sorted, by_value);
  /* Mid-ranks for ties (values recorded at the histogram's resolution tie). */
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && w->sorted[j + 1].v == w->sorted[i].v)
      j++;
    double r = (double)(i + j) / 2.0 + 1.0;
    for (size_t k = i; k <= j; k++)
      w->rank[w->sorted[k].at] = r;
    i = j + 1;
  }
  w->prefix[0] = 0;
  for (size_t i = 0; i < n; i++)
    w->prefix[i + 1] = w->prefix[i] + w->rank[i];
  size_t best = 0;
  double best_z = 0;
  double dn = (double)n;
  for (size_t k = CHANGES_MIN_SEGMENT; k + CHANGES_MIN_SEGMENT <= n; k++) {
    double dk = (double)k;
    double u = w->prefix[k] - dk * (dk + 1) / 2; /* U of the first k */
    double mean = dk * (dn - dk) / 2;
    double sd = sqrt(dk * (dn - dk) * (dn + 1) / 12);
    double z = fabs(u - mean) / sd;
    if (z > best_z) {
      best_z = z;
      best = k;
    }
  }
  *z_out = best_z;
  return best ? lo + best : 0;
}

static void search(work *w, size_t lo, size_t hi) {
  if (hi - lo < 2 * CHANGES_MIN_SEGMENT || w->found >= w->max)
    return;
  double z;
  size_t at = best_split(w, lo, hi, &z);
  if (!at || z < CHANGES_Z)
    return;
  double before = median(w->x + lo, at - lo, w->scratch);
  double after = median(w->x + at, hi - at, w->scratch);
  double ratio = before > 0 ? after / before : 0;
  if (ratio < 1 + w->min_effect && ratio > 1 / (1 + w->min_effect)) {
    /* A real but immaterial shift: the stretches either side may still hold
     * material ones of their own. */
    search(w, lo, at);
    search(w, at, hi);
    return;
  }
  search(w, lo, at);
  if (w->found < w->max) {
    change_point *c = &w->out[w->found++];
    c->index = at;
    c->before = before;
    c->after = after;
    c->z = z;
  }
  search(w, at, hi);
}

int changes_find(const double *x, size_t n, double min_effect, change_point *out, size_t max) {
  if (n < 2 * CHANGES_MIN_SEGMENT || max == 0)
    return 0;
  work w = {x,
            min_effect,
            malloc(n * sizeof(ranked)),
            malloc(n * sizeof(double)),
            malloc((n + 1) * sizeof(double)),
            malloc(n * sizeof(double)),
            out,
            max,
            0};
  int rc = -1;
  if (w.sorted && w.rank && w.prefix && w.scratch) {
    search(&w, 0, n); /* left before right: out is in run order */
    rc = (int)w.found;
  }
  free(w.sorted);
  free(w.rank);
  free(w.prefix);
  free(w.scratch);
  return rc;
}
