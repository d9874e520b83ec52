/* SPDX-License-Identifier: MIT */
/* The lal-bench result format: see result_format.h and bench/SCHEMA.md. */
#include "result_format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const result_pct_names[RESULT_NPCT] = {"p50", "p90", "p99", "p99_9", "p99_99"};
const double result_pct_quantiles[RESULT_NPCT] = {0.50, 0.90, 0.99, 0.999, 0.9999};

int result_schema_version(const char *schema) {
  if (!schema)
    return 0;
  if (strcmp(schema, RESULT_SCHEMA_V1) == 0)
    return 1;
  if (strcmp(schema, RESULT_SCHEMA_V2) == 0)
    return 2;
  return 0;
}

void result_write_distribution(json_writer *jw, const lal_hist *h) {
  json_uint(jw, RESULT_COUNT, h->count);
  json_uint(jw, "min", h->count ? h->min : 0);
  for (int p = 0; p < RESULT_NPCT; p++)
    json_uint(jw, result_pct_names[p], lal_hist_value_at(h, result_pct_quantiles[p] * 100.0));
  json_uint(jw, "max", h->max);
  json_array_begin(jw, RESULT_BUCKETS); /* [lowest value, count] of each non-empty bucket */
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++) {
    if (!h->buckets[i])
      continue;
    json_array_begin(jw, NULL);
    json_uint(jw, NULL, lal_hist_bucket_low(i));
    json_uint(jw, NULL, h->buckets[i]);
    json_array_end(jw);
  }
  json_array_end(jw);
}

static int fail(char *why, size_t size, const char *text) {
  if (why && size)
    snprintf(why, size, "%s", text);
  return -1;
}

int result_hist_load(const json_value *obj, result_hist *h, char *why, size_t why_size) {
  memset(h, 0, sizeof *h);
  const json_value *b = json_get(obj, RESULT_BUCKETS);
  if (!b || b->type != JSON_ARRAY)
    return fail(why, why_size, "no buckets");
  if (b->count == 0)
    return fail(why, why_size, "no samples");
  /* [[lo, count], ...]: pairs of numbers, lo rising, counts whole and >= 0. */
  for (size_t i = 0; i < b->count; i++) {
    double lo = json_number_at(b, i, 0, -1), n = json_number_at(b, i, 1, -1);
    if (json_row_width(b, i) != 2 || lo < 0 || n < 0 || n != floor(n) ||
        (i && lo <= json_number_at(b, i - 1, 0, 0)))
      return fail(why, why_size, "malformed buckets");
  }
  h->lo = malloc(b->count * sizeof *h->lo);
  h->cum = malloc(b->count * sizeof *h->cum);
  if (!h->lo || !h->cum) {
    result_hist_free(h);
    return fail(why, why_size, "out of memory");
  }
  for (size_t i = 0; i < b->count; i++) {
    h->lo[i] = json_number_at(b, i, 0, 0);
    h->count += json_number_at(b, i, 1, 0);
    h->cum[i] = h->count;
  }
  h->n = b->count;
  if (h->count <= 0) {
    result_hist_free(h);
    return fail(why, why_size, "no samples");
  }
  return 0;
}

void result_hist_free(result_hist *h) {
  free(h->lo);
  free(h->cum);
  memset(h, 0, sizeof *h);
}

int result_hist_to_lal(const json_value *obj, lal_hist *h) {
  lal_hist_reset(h);
  const json_value *b = json_get(obj, RESULT_BUCKETS);
  if (!b || b->type != JSON_ARRAY)
    return -1;
  for (size_t i = 0; i < b->count; i++) {
    double lo = json_number_at(b, i, 0, -1), n = json_number_at(b, i, 1, -1);
    if (json_row_width(b, i) != 2 || lo < 0 || n < 0 || n > 4294967295.0 || lo > 1.8e19)
      return -1;
    unsigned at = lal_impl_hist_index((uint64_t)lo);
    if (lal_hist_bucket_low(at) != (uint64_t)lo || h->buckets[at] + (uint64_t)n > 4294967295u)
      return -1; /* not a bucket bound of lal_hist */
    h->buckets[at] += (uint32_t)n;
    h->count += (uint64_t)n;
  }
  h->min = (uint64_t)json_get_number(obj, "min", 0);
  h->max = (uint64_t)json_get_number(obj, "max", 0);
  return 0;
}

int result_series_load(const json_value *obj, int version, result_series *out, char *why,
                       size_t why_size) {
  memset(out, 0, sizeof *out);
  out->obj = obj;
  char reason[96];
  if (result_hist_load(obj, &out->pooled, reason, sizeof reason) != 0) {
    if (why && why_size)
      snprintf(why, why_size, "its histogram: %s", reason);
    return -1;
  }
  const json_value *rounds = json_get(obj, RESULT_ROUNDS);
  if (!rounds) { /* lal-bench/1, or a /2 series from one round */
    out->rounds = calloc(1, sizeof *out->rounds);
    if (!out->rounds || result_hist_load(obj, &out->rounds[0], NULL, 0) != 0) {
      result_series_free(out);
      return fail(why, why_size, "out of memory");
    }
    out->n_rounds = 1;
    return 0;
  }
  if (version < 2) {
    result_series_free(out);
    return fail(why, why_size, "rounds in a lal-bench/1 document (mixed formats)");
  }
  if (rounds->type != JSON_ARRAY || rounds->width != 0 || rounds->count == 0) {
    result_series_free(out);
    return fail(why, why_size, "\"rounds\" is not a non-empty array of objects");
  }
  out->rounds = calloc(rounds->count, sizeof *out->rounds);
  if (!out->rounds) {
    result_series_free(out);
    return fail(why, why_size, "out of memory");
  }
  double total = 0;
  for (size_t i = 0; i < rounds->count; i++) {
    const json_value *r = &rounds->items[i];
    if (r->type != JSON_OBJECT) {
      result_series_free(out);
      return fail(why, why_size, "a round that is not an object");
    }
    const json_value *count = json_get(r, RESULT_COUNT);
    if (count && count->type == JSON_NUMBER && count->number == 0) {
      out->empty_rounds++; /* a round with no sample: left out, and counted */
      continue;
    }
    if (result_hist_load(r, &out->rounds[out->n_rounds], reason, sizeof reason) != 0) {
      if (why && why_size)
        snprintf(why, why_size, "round %zu: %s", i + 1, reason);
      result_series_free(out);
      return -1;
    }
    total += out->rounds[out->n_rounds++].count;
  }
  if (out->n_rounds == 0) {
    result_series_free(out);
    return fail(why, why_size, "every round is empty");
  }
  if (fabs(total - out->pooled.count) > 0.5) {
    result_series_free(out);
    return fail(why, why_size, "its rounds do not add up to its pooled count");
  }
  return 0;
}

void result_series_free(result_series *s) {
  result_hist_free(&s->pooled);
  for (size_t i = 0; s->rounds && i < s->n_rounds; i++)
    result_hist_free(&s->rounds[i]);
  free(s->rounds);
  memset(s, 0, sizeof *s);
}
