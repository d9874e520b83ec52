/* SPDX-License-Identifier: MIT */
/* lal-bench records with lal's public histogram, lal_hist (lal.h): exact below
 * 256 ns, then 128 linear sub-buckets per power of two, within 0.8 % up to
 * 2^40 ns. These names are lal-bench's own spelling of it: the harness
 * workload measures what lal_hist_record costs. */
#ifndef LAL_BENCH_HISTOGRAM_H
#define LAL_BENCH_HISTOGRAM_H

#include <stdint.h>

#include "lal.h"

#define HIST_SUB_BITS LAL_HIST_SUB_BITS
#define HIST_SUB LAL_HIST_SUB
#define HIST_BUCKETS LAL_HIST_BUCKETS

typedef lal_hist histogram;

static inline void hist_init(histogram *h) { lal_hist_reset(h); }
/* The value at quantile q (0..1): the midpoint of its bucket, clamped to [min, max]. */
static inline uint64_t hist_quantile(const histogram *h, double q) {
  return lal_hist_value_at(h, q * 100.0);
}
/* A bucket's lowest value (exposed for tests). */
static inline uint64_t hist_bucket_low(unsigned index) { return lal_hist_bucket_low(index); }
static inline unsigned hist_index(uint64_t v) { return lal_impl_hist_index(v); }
static inline void hist_record(histogram *h, uint64_t value_ns) { lal_hist_record(h, value_ns); }

#endif
