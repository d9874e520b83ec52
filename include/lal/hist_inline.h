/* SPDX-License-Identifier: MIT */
/*
 * lal/hist_inline.h — lal_hist_record, inline for the measured path. Included
 * by lal.h; do not include it directly. Branches on the compiler only.
 */
#ifndef LAL_HIST_INLINE_H
#define LAL_HIST_INLINE_H

/* Bits needed for v (0 for 0). */
static inline unsigned lal_impl_bit_length(uint64_t v) {
#if defined(__GNUC__) || defined(__clang__)
  return v ? 64u - LAL_IMPL_CAST(unsigned, __builtin_clzll(v)) : 0;
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_ARM64))
  unsigned long index;
  return _BitScanReverse64(&index, v) ? LAL_IMPL_CAST(unsigned, index) + 1 : 0;
#else
  unsigned n = 0;
  for (; v; v >>= 1)
    n++;
  return n;
#endif
}

/* The bucket of a value: exact below 2 x 128, then 128 per power of two. */
static inline unsigned lal_impl_hist_index(uint64_t v) {
  if (v < 2 * LAL_HIST_SUB)
    return LAL_IMPL_CAST(unsigned, v);
  unsigned shift = lal_impl_bit_length(v) - (LAL_HIST_SUB_BITS + 1); /* >= 1 */
  unsigned index = 2 * LAL_HIST_SUB + (shift - 1) * LAL_HIST_SUB +
                   LAL_IMPL_CAST(unsigned, (v >> shift) - LAL_HIST_SUB);
  return index < LAL_HIST_BUCKETS ? index : LAL_HIST_BUCKETS - 1;
}

LAL_INLINE void lal_hist_record(lal_hist *h, uint64_t value) {
  h->buckets[lal_impl_hist_index(value)]++;
  h->count++;
  h->sum += LAL_IMPL_CAST(double, value);
  if (value < h->min)
    h->min = value;
  if (value > h->max)
    h->max = value;
}

#endif /* LAL_HIST_INLINE_H */
