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
void hist_record(histogram *h, uint64_t value_ns);
/* The value at quantile q (0..1): the midpoint of its bucket, clamped to [min, max]. */
uint64_t hist_quantile(const histogram *h, double q);
/* Index of a value's bucket, and a bucket's lowest value (exposed for tests). */
unsigned hist_index(uint64_t v);
uint64_t hist_bucket_low(unsigned index);

#endif
