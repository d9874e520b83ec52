/* SPDX-License-Identifier: MIT */
/* lal-compare's logic, separate from its main() so tests can drive it. */
#ifndef LAL_COMPARE_COMPARE_H
#define LAL_COMPARE_COMPARE_H

#include <stdio.h>

typedef struct compare_opts {
  double threshold_pct;  /* a regression larger than this fails the gate (default 10) */
  const char *gate;      /* the percentile the gate looks at: "p50", "p90", "p99", "p99_9" */
  unsigned resamples;    /* bootstrap resamples per comparison (default 2000) */
  unsigned seed;         /* bootstrap RNG seed (fixed: reports are reproducible) */
  double min_effect_pct; /* changes smaller than this are "no significant change" even when
                            the interval excludes 1: the histograms' own resolution is 0.8 % */
  FILE *html;            /* also write the self-contained HTML report here (NULL: none) */
  const char *a_name;    /* names of the two results in messages and the report (their paths) */
  const char *b_name;
  int allow_missing; /* a series of A absent from B does not fail the gate */
  FILE *markdown;    /* also write the summary and gate as Markdown here (NULL: none) */
} compare_opts;
#define COMPARE_OPTS_DEFAULT                                                                       \
  { 10.0, "p99", 2000, 12345, 2.0, NULL, "A", "B", 0, NULL }

/* Samples a series needs on both sides for its quantile q to be gated:
 * 10 / (1 - q) (p50: 20, p90: 100, p99: 1000, p99.9: 10000). Below it the
 * quantile is the few worst samples, and the verdict is "inconclusive". */
double compare_min_samples(double q);

/* Compares lal-bench results B against A (JSON texts, schema lal-bench/1) and
 * writes the report to out. Returns the exit status: 0 no gated regression; 1
 * a regression beyond the threshold at the gate percentile, or a series of A
 * missing from B (unless allow_missing); 2 unusable input (malformed JSON,
 * another schema, an unknown gate) or nothing to gate (no series in common,
 * or none with enough samples for the gate percentile); the message is on
 * err. */
int compare_texts(const char *a_text, const char *b_text, const compare_opts *opts, FILE *out,
                  FILE *err);

#endif
