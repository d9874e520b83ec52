/* SPDX-License-Identifier: MIT */
/*
 * The frozen layouts (lal.h, "The ABI"), checked when the library is built:
 * programs compile these sizes and offsets in, so a change here must be a
 * deliberate SONAME bump, never an accident of an added field.
 */
#include <stddef.h>

#include "lal_internal.h"

/* One cache line, read by every lal_now_ns() a program inlined. */
_Static_assert(sizeof(lal_impl_clock_state) == 64, "lal_impl_clock is one 64-byte line");
_Static_assert(offsetof(lal_impl_clock_state, seq) == 0 &&
                   offsetof(lal_impl_clock_state, mult) == 16 &&
                   offsetof(lal_impl_clock_state, ns_base) == 32,
               "lal_impl_clock's fields are where inlined readers look");

/* In the caller's memory (a stack or a struct of the engine's). */
_Static_assert(sizeof(void *) != 8 || sizeof(lal_pacer) == 512,
               "lal_pacer is 512 bytes on 64-bit targets: grow into reserved[]");

/* Updated by the inline lal_hist_record. */
_Static_assert(offsetof(lal_hist, count) == 0 && offsetof(lal_hist, min) == 8 &&
                   offsetof(lal_hist, max) == 16 && offsetof(lal_hist, sum) == 24 &&
                   offsetof(lal_hist, buckets) == 32 && LAL_HIST_BUCKETS == 4480,
               "lal_hist's recorded fields are frozen");

/* A plain value: copied, compared and passed by value. */
_Static_assert(sizeof(lal_cpuset) == LAL_CPUSET_MAX / 8, "lal_cpuset is its bits alone");
