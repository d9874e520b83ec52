/* SPDX-License-Identifier: MIT */
/* lal_hist: the log-linear latency histogram (lal.h; recording in lal/hist_inline.h). */
#include <stdlib.h>
#include <string.h>

#include "lal_internal.h"

int lal_hist_create(lal_hist **out) {
  if (!out)
    return LAL_EINVAL;
  lal_hist *h = malloc(sizeof *h);
  if (!h)
    return LAL_ENOMEM;
  lal_hist_reset(h);
  *out = h;
  return LAL_OK;
}

void lal_hist_free(lal_hist *h) { free(h); }

int lal_hist_reset(lal_hist *h) {
  if (!h)
    return LAL_EINVAL;
  memset(h, 0, sizeof *h);
  h->min = UINT64_MAX;
  return LAL_OK;
}

int lal_hist_merge(lal_hist *dst, const lal_hist *src) {
  if (!dst || !src || dst == src)
    return LAL_EINVAL;
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++) /* checked first: all or nothing */
    if (src->buckets[i] > UINT32_MAX - dst->buckets[i])
      return LAL_ERANGE;
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++)
    dst->buckets[i] += src->buckets[i];
  dst->count += src->count;
  dst->sum += src->sum;
  if (src->count && src->min < dst->min)
    dst->min = src->min;
  if (src->count && src->max > dst->max)
    dst->max = src->max;
  return LAL_OK;
}

uint64_t lal_hist_bucket_low(unsigned index) {
  if (index >= LAL_HIST_BUCKETS)
    return 0;
  if (index < 2 * LAL_HIST_SUB)
    return index;
  unsigned shift = (index - 2 * LAL_HIST_SUB) / LAL_HIST_SUB + 1;
  uint64_t sub = (index - 2 * LAL_HIST_SUB) % LAL_HIST_SUB + LAL_HIST_SUB;
  return sub << shift;
}

uint64_t lal_hist_value_at(const lal_hist *h, double percentile) {
  if (!h || !h->count || !(percentile >= 0.0 && percentile <= 100.0))
    return 0;
  /* The rank of the percentile among count samples (nearest rank, 1-based). */
  uint64_t rank = (uint64_t)(percentile / 100.0 * (double)(h->count - 1)) + 1, seen = 0;
  if (rank <= 1)
    return h->min; /* the extremes are kept exactly */
  if (rank >= h->count)
    return h->max;
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++) {
    seen += h->buckets[i];
    if (seen >= rank) {
      uint64_t lo = lal_hist_bucket_low(i);
      uint64_t hi = i + 1 < LAL_HIST_BUCKETS ? lal_hist_bucket_low(i + 1) : lo;
      uint64_t mid = lo + (hi - lo) / 2;
      return mid < h->min ? h->min : mid > h->max ? h->max : mid;
    }
  }
  return h->max;
}
