/* SPDX-License-Identifier: MIT */
/* lal-compare's result model for the summary: one row per compared series at
 * the gate percentile, sorted worst first, rendered as the HTML report's
 * summary table and as Markdown for a CI job summary. */
#ifndef LAL_COMPARE_COMPARE_SUMMARY_H
#define LAL_COMPARE_COMPARE_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

typedef struct summary_row {
  char workload[64];
  char series[128];
  double a, b;           /* the gate percentile of each side */
  double ratio, lo, hi;  /* B/A and its 95 % interval */
  const char *verdict;   /* "worse", "better", "no significant change", "inconclusive" */
  int regressed;         /* fails the gate */
  double floor_pct;      /* the noise floor (the larger side's), in % */
  int floor_measured;    /* 0: a side had one round: the default floor */
  double detectable_pct; /* the smallest change this comparison could call, in % */
  char spread[140];      /* the rounds at the gate percentile: "A 5: lo-hi; B 5: lo-hi" */
  int index;             /* its section in the HTML report ("series-<index>") */
  char unit[48];         /* the series' unit ("ns late", "ps/call") */
} summary_row;

typedef struct summary_table {
  summary_row *rows;
  size_t n, cap;
} summary_table;

/* Appends a row (copied); 0, or -1 out of memory (the row is then left out). */
int summary_add(summary_table *s, const summary_row *row);
/* Gate failures first, then worse, inconclusive, unchanged, better; within
 * each, the largest ratio first. */
void summary_sort(summary_table *s);
void summary_free(summary_table *s);
/* The Markdown: a heading with the gate line, then one table row per series. */
void summary_markdown(FILE *f, const summary_table *s, const char *a_name, const char *b_name,
                      const char *gate, const char *gate_line, const char *noise_line);

#endif
