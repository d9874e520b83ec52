/* SPDX-License-Identifier: MIT */
/*
 * How a pooled histogram is kept in the history: its non-empty lal_hist
 * buckets as pairs of LEB128 varints (the index's distance from the previous
 * non-empty bucket, then the count). Neighbouring buckets are 1 apart and
 * most counts are small, so a bucket costs about two bytes: a run of 80
 * series of some hundred buckets each stays well under the 64 KiB a run may
 * take. min and max are columns of their own.
 */
#ifndef LAL_HISTORY_CODEC_H
#define LAL_HISTORY_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "lal.h"

/* Encodes h's buckets into a new buffer (*out, *len; free() it): 0, or -1 out
 * of memory. */
int codec_encode_hist(const lal_hist *h, unsigned char **out, size_t *len);

/* Decodes buckets into h (zeroed first; count, min, max and sum are set from
 * the buckets and the given min/max): 0, or -1 for a malformed blob. */
int codec_decode_hist(const unsigned char *blob, size_t len, uint64_t min, uint64_t max,
                      lal_hist *h);

/* The rounds' percentiles: rounds x n floats, little-endian IEEE 754 binary32
 * (percentiles need no more than the histogram's 0.8 % resolution). */
void codec_put_f32(unsigned char *p, float v);
float codec_get_f32(const unsigned char *p);

#endif
