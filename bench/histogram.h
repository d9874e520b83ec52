/* SPDX-License-Identifier: MIT */
/* A log-linear latency histogram (HDR-style): exact below 256 ns, then 128
 * linear sub-buckets per power of two, so any value up to 2^40 ns (~18 min) is
 * kept within 0.8% relative error. Recording is a few shifts and an increment. */
#ifndef LAL_BENCH_HISTOGRAM_H
#define LAL_BENCH_HISTOGRAM_H

#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS (2 * HIST_SUB + 33 * HIST_SUB)

typedef struct histogram {
  uint64_t count, min, max;
  double sum;
  uint32_t buckets[HIST_BUCKETS];
} histogram;

void hist_init(histogram *h);
/* The value at quantile q (0..1): the midpoint of its bucket, clamped to [min, max]. */
uint64_t hist_quantile(const histogram *h, double q);
/* A bucket's lowest value (exposed for tests). */
uint64_t hist_bucket_low(unsigned index);

/* Recording is on the measured path: inline, a clz, shifts and an increment
 * (the harness workload measures it). */
static inline unsigned hist_bit_length(uint64_t v) {
#if defined(__GNUC__) || defined(__clang__)
  return v ? 64u - (unsigned)__builtin_clzll(v) : 0;
#else
  unsigned n = 0;
  for (; v; v >>= 1)
    n++;
  return n;
#endif
}

/* Index of a value's bucket. */
static inline unsigned hist_index(uint64_t v) {
  if (v < 2 * HIST_SUB)
    return (unsigned)v;
  unsigned shift = hist_bit_length(v) - (HIST_SUB_BITS + 1); /* >= 1 */
  unsigned index = 2 * HIST_SUB + (shift - 1) * HIST_SUB + (unsigned)((v >> shift) - HIST_SUB);
  return index < HIST_BUCKETS ? index : HIST_BUCKETS - 1;
}

static inline void hist_record(histogram *h, uint64_t value_ns) {
  h->buckets[hist_index(value_ns)]++;
  h->count++;
  h->sum += (double)value_ns;
  if (value_ns < h->min)
    h->min = value_ns;
  if (value_ns > h->max)
    h->max = value_ns;
}

#endif
