/* Log-linear histogram; see histogram.h. */
#include "histogram.h"

#include <string.h>

void hist_init(histogram *h) {
  memset(h, 0, sizeof *h);
  h->min = UINT64_MAX;
}

static unsigned bit_length(uint64_t v) {
#if defined(__GNUC__) || defined(__clang__)
  return v ? 64u - (unsigned)__builtin_clzll(v) : 0;
#else
  unsigned n = 0;
  for (; v; v >>= 1)
    n++;
  return n;
#endif
}

unsigned hist_index(uint64_t v) {
  if (v < 2 * HIST_SUB)
    return (unsigned)v;
  unsigned shift = bit_length(v) - (HIST_SUB_BITS + 1); /* >= 1 */
  unsigned index = 2 * HIST_SUB + (shift - 1) * HIST_SUB + (unsigned)((v >> shift) - HIST_SUB);
  return index < HIST_BUCKETS ? index : HIST_BUCKETS - 1;
}

uint64_t hist_bucket_low(unsigned index) {
  if (index < 2 * HIST_SUB)
    return index;
  unsigned shift = (index - 2 * HIST_SUB) / HIST_SUB + 1;
  uint64_t sub = (index - 2 * HIST_SUB) % HIST_SUB + HIST_SUB;
  return sub << shift;
}

void hist_record(histogram *h, uint64_t v) {
  h->buckets[hist_index(v)]++;
  h->count++;
  h->sum += (double)v;
  if (v < h->min)
    h->min = v;
  if (v > h->max)
    h->max = v;
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
