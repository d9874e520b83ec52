/* SPDX-License-Identifier: MIT */
/* lal_cpuset: a fixed-size bitmap of logical CPUs, LAL_CPUSET_MAX bits. */
#include <string.h>

#include "lal_internal.h"

#define WORD_BITS 64

static int popcount64(uint64_t w) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_popcountll(w);
#else
  int n = 0;
  for (; w; w &= w - 1)
    n++;
  return n;
#endif
}

static int lowest_bit(uint64_t w) { /* w != 0 */
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctzll(w);
#else
  int n = 0;
  while (!(w & 1)) {
    w >>= 1;
    n++;
  }
  return n;
#endif
}

static int cpu_valid(int cpu) { return cpu >= 0 && cpu < LAL_CPUSET_MAX; }

int lal_cpuset_zero(lal_cpuset *set) {
  if (!set)
    return LAL_EINVAL;
  memset(set, 0, sizeof *set);
  return LAL_OK;
}

int lal_cpuset_fill(lal_cpuset *set, int count) {
  if (!set || count < 0 || count > LAL_CPUSET_MAX)
    return LAL_EINVAL;
  memset(set, 0, sizeof *set);
  int full_words = count / WORD_BITS;
  for (int i = 0; i < full_words; i++)
    set->bits[i] = ~UINT64_C(0);
  if (count % WORD_BITS)
    set->bits[full_words] = (UINT64_C(1) << (count % WORD_BITS)) - 1;
  return LAL_OK;
}

int lal_cpuset_set(lal_cpuset *set, int cpu) {
  if (!set || !cpu_valid(cpu))
    return LAL_EINVAL;
  set->bits[cpu / WORD_BITS] |= UINT64_C(1) << (cpu % WORD_BITS);
  return LAL_OK;
}

int lal_cpuset_clear(lal_cpuset *set, int cpu) {
  if (!set || !cpu_valid(cpu))
    return LAL_EINVAL;
  set->bits[cpu / WORD_BITS] &= ~(UINT64_C(1) << (cpu % WORD_BITS));
  return LAL_OK;
}

int lal_cpuset_isset(const lal_cpuset *set, int cpu) {
  if (!set || !cpu_valid(cpu))
    return LAL_EINVAL;
  return (int)((set->bits[cpu / WORD_BITS] >> (cpu % WORD_BITS)) & 1);
}

int lal_cpuset_count(const lal_cpuset *set) {
  if (!set)
    return LAL_EINVAL;
  int n = 0;
  for (int i = 0; i < LAL_CPUSET_WORDS; i++)
    n += popcount64(set->bits[i]);
  return n;
}

int lal_cpuset_next(const lal_cpuset *set, int cpu) {
  if (!set || cpu < -1 || cpu >= LAL_CPUSET_MAX)
    return LAL_EINVAL;
  int start = cpu + 1;
  if (start >= LAL_CPUSET_MAX)
    return LAL_ENOENT;
  int word = start / WORD_BITS;
  uint64_t w = set->bits[word] & (~UINT64_C(0) << (start % WORD_BITS));
  for (;;) {
    if (w)
      return word * WORD_BITS + lowest_bit(w);
    if (++word == LAL_CPUSET_WORDS)
      return LAL_ENOENT;
    w = set->bits[word];
  }
}

int lal_cpuset_first(const lal_cpuset *set) { return lal_cpuset_next(set, -1); }

int lal_cpuset_and(lal_cpuset *out, const lal_cpuset *a, const lal_cpuset *b) {
  if (!out || !a || !b)
    return LAL_EINVAL;
  for (int i = 0; i < LAL_CPUSET_WORDS; i++)
    out->bits[i] = a->bits[i] & b->bits[i];
  return LAL_OK;
}

int lal_cpuset_or(lal_cpuset *out, const lal_cpuset *a, const lal_cpuset *b) {
  if (!out || !a || !b)
    return LAL_EINVAL;
  for (int i = 0; i < LAL_CPUSET_WORDS; i++)
    out->bits[i] = a->bits[i] | b->bits[i];
  return LAL_OK;
}

int lal_cpuset_andnot(lal_cpuset *out, const lal_cpuset *a, const lal_cpuset *b) {
  if (!out || !a || !b)
    return LAL_EINVAL;
  for (int i = 0; i < LAL_CPUSET_WORDS; i++)
    out->bits[i] = a->bits[i] & ~b->bits[i];
  return LAL_OK;
}

int lal_cpuset_equal(const lal_cpuset *a, const lal_cpuset *b) {
  if (!a || !b)
    return LAL_EINVAL;
  return memcmp(a->bits, b->bits, sizeof a->bits) == 0;
}
