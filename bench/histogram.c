/* SPDX-License-Identifier: MIT */
/* Log-linear histogram; see histogram.h. */
#include "histogram.h"

#include <string.h>

void hist_init(histogram *h) {
  memset(h, 0, sizeof *h);
  h->min = UINT64_MAX;
}

uint64_t hist_bucket_low(unsigned index) {
  if (index < 2 * HIST_SUB)
    return index;
  unsigned shift = (index - 2 * HIST_SUB) / HIST_SUB + 1;
  uint64_t sub = (index - 2 * HIST_SUB) % HIST_SUB + HIST_SUB;
  return sub << shift;
}

uint64_t hist_quantile(const histogram *h, double q) {
  if (!h->count)
    return 0;
  uint64_t rank = (uint64_t)(q * (double)(h->count - 1)) + 1, seen = 0;
  for (unsigned i = 0; i < HIST_BUCKETS; i++) {
    seen += h->buckets[i];
    if (seen >= rank) {
      uint64_t lo = hist_bucket_low(i);
      uint64_t hi = i + 1 < HIST_BUCKETS ? hist_bucket_low(i + 1) : lo;
      uint64_t mid = lo + (hi - lo) / 2;
      return mid < h->min ? h->min : mid > h->max ? h->max : mid;
    }
  }
  return h->max;
}
