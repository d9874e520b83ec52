/* SPDX-License-Identifier: MIT */
/*
 * The lal-bench result format's one owner (bench/SCHEMA.md): the schema
 * names, the field names of a series, the writer of a distribution and the
 * typed reader lal-compare uses. lal-bench/2 (written since rounds exist)
 * gives each series its pooled distribution and, in "rounds", each round's
 * own; lal-bench/1 (older lal-bench, and lal_hist_write_json, which cannot
 * link this) is read as one round.
 */
#ifndef LAL_SUPPORT_FORMAT_RESULT_FORMAT_H
#define LAL_SUPPORT_FORMAT_RESULT_FORMAT_H

#include <stddef.h>

#include "json_reader.h"
#include "json_writer.h"
#include "lal.h"

#define RESULT_SCHEMA_V1 "lal-bench/1"
#define RESULT_SCHEMA_V2 "lal-bench/2"
#define RESULT_SCHEMA RESULT_SCHEMA_V2 /* what lal-bench writes */

/* Field names of a series object. */
#define RESULT_WORKLOAD "workload"
#define RESULT_SERIES "series"
#define RESULT_UNIT "unit"
#define RESULT_COUNT "count"
#define RESULT_BUCKETS "buckets"
#define RESULT_ROUNDS "rounds"
#define RESULT_ROUND "round"
#define RESULT_POSITION "position"

/* The percentiles every distribution carries, with their quantiles. */
#define RESULT_NPCT 5
extern const char *const result_pct_names[RESULT_NPCT]; /* "p50" .. "p99_99" */
extern const double result_pct_quantiles[RESULT_NPCT];

/* 1 or 2 for a schema this reader knows, 0 otherwise. */
int result_schema_version(const char *schema);

/* Writes count, min, the percentiles, max and buckets of h into the object
 * being written (an empty histogram: count 0 and no buckets). */
void result_write_distribution(json_writer *jw, const lal_hist *h);

/* A distribution as read back: each non-empty bucket's lowest value and the
 * cumulative count up to and including it. */
typedef struct result_hist {
  double *lo, *cum;
  size_t n;
  double count;
} result_hist;

/* A series and each of its rounds. A lal-bench/1 series is one round. */
typedef struct result_series {
  const json_value *obj;
  result_hist pooled;
  result_hist *rounds; /* n_rounds of them, the empty ones left out */
  size_t n_rounds;
  size_t empty_rounds; /* rounds with no sample (a workload that failed in them) */
} result_series;

/* Reads obj's "buckets" into h: 0, or -1 with the reason in why (missing or
 * malformed buckets, no sample, out of memory). */
int result_hist_load(const json_value *obj, result_hist *h, char *why, size_t why_size);
void result_hist_free(result_hist *h);
/* Rebuilds a lal_hist from obj's buckets, min and max (for merging rounds):
 * 0, or -1 when they are malformed. */
int result_hist_to_lal(const json_value *obj, lal_hist *h);

/* Reads a series of a document of schema version `version`: 0, or -1 with the
 * reason in why (its pooled histogram or a round unusable, rounds that are
 * not an array of objects, a lal-bench/1 series carrying rounds). */
int result_series_load(const json_value *obj, int version, result_series *out, char *why,
                       size_t why_size);
void result_series_free(result_series *s);

#endif
