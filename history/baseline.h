/* SPDX-License-Identifier: MIT */
/*
 * A new result against its machine's history: "is this build worse than
 * what this machine usually does".
 *
 * lal-compare has two results and must estimate run-to-run noise from
 * rounds; a history has the real thing: the same series' percentile in the
 * machine's last N runs. For each series and percentile the baseline is
 * their median; the noise is their spread, robustly (1.4826 x the median
 * absolute deviation of the log values, so a few wild runs do not widen it).
 * A change is called only when the new value lies beyond every one of the N
 * runs (under "no change" that happens with probability 2 / (N + 1) either
 * way), beyond BASELINE_K robust standard deviations, and beyond the minimum
 * effect; the gate fails when the gate percentile is called worse by more
 * than the threshold. Verdicts, gate and exit statuses are lal-compare's.
 */
#ifndef LAL_HISTORY_BASELINE_H
#define LAL_HISTORY_BASELINE_H

#include <stdio.h>

#include "history_doc.h"
#include "store.h"

#define BASELINE_K 4.0
#define BASELINE_MIN_RUNS 5

typedef struct baseline_opts {
  int last;             /* runs of history to compare against (default 30) */
  const char *gate;     /* "p50", "p90", "p99", "p99_9" */
  double threshold_pct; /* a regression beyond this fails the gate (default 10) */
  double min_effect_pct;
  int allow_missing;
  FILE *html, *markdown; /* also written when not NULL */
  const char *name;      /* the new result's name in messages */
} baseline_opts;
#define BASELINE_OPTS_DEFAULT                                                                      \
  { 30, "p99", 10.0, 2.0, 0, NULL, NULL, "new" }

/* Compares d against its machine's last runs in s (d itself excluded, when
 * stored). Writes the report to out; returns 0 (gate passes), 1 (a gated
 * regression, or a series of the history missing from d), 2 (nothing to
 * gate: no history for this machine, too few runs, or a database error,
 * said on err). */
int baseline_compare(store *s, const hist_doc *d, const baseline_opts *o, FILE *out, FILE *err);

#endif
