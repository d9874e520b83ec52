/* SPDX-License-Identifier: MIT */
/* The HTML report of lal-compare: pieces written in document order. */
#ifndef LAL_COMPARE_COMPARE_HTML_H
#define LAL_COMPARE_COMPARE_HTML_H

#include <stddef.h>
#include <stdio.h>

void html_begin(FILE *f, const char *a_name, const char *b_name);
/* The fingerprints side by side: begin with the counts, one row per field. */
void html_env_begin(FILE *f, int differing, int total);
void html_env_row(FILE *f, const char *key, const char *a, const char *b, int differs);
void html_env_end(FILE *f);
/* One series: heading with its verdict, warnings, the table, the plots. */
void html_series_begin(FILE *f, int index, const char *workload, const char *series,
                       const char *verdict);
void html_warning(FILE *f, const char *text);
void html_table_begin(FILE *f);
/* a, b: the percentile of each side, already formatted with its unit. */
void html_row(FILE *f, const char *pct, const char *a, const char *b, double ratio, double lo,
              double hi, const char *verdict);
void html_table_end(FILE *f);
/* The CDF and percentile plots from bucket lower bounds and cumulative
 * counts, with the p50/p90/p99/p99.9 of each side marked. */
void html_plot(FILE *f, const char *title, const char *unit, const double *a_lo,
               const double *a_cum, size_t an, const double *b_lo, const double *b_cum, size_t bn,
               const double pa[4], const double pb[4]);
void html_series_end(FILE *f);
/* core_to_core as three CPU x CPU heatmaps (A, B and B/A of the p50 of each
 * pair) in one section, "core-to-core", instead of a section per pair. */
typedef struct heat_cell {
  int cpu_i, cpu_j; /* the pair */
  double a, b;      /* each side's p50 */
} heat_cell;
void html_heatmaps(FILE *f, const heat_cell *cells, size_t n, const char *unit);
/* sleep_cost: CPU against lateness, one point per mode and side, for one
 * request length and load (the curve no one publishes). */
typedef struct cpu_point {
  const char *label;   /* the mode */
  double cpu_a, cpu_b; /* % of the calls' wall time, < 0: none */
  double p99_a, p99_b; /* lateness, ns */
} cpu_point;
void html_cpu_curve(FILE *f, const char *title, const cpu_point *pts, size_t n);
/* A line of text outside a series ("only in A"). */
void html_note(FILE *f, const char *text);
/* The summary table (shown at the top, under the gate box): one row per
 * series at the gate percentile, linking to its section. */
void html_summary_begin(FILE *f, const char *gate);
void html_summary_row(FILE *f, int index, const char *workload, const char *series, double ratio,
                      double lo, double hi, const char *verdict, int regressed);
void html_summary_end(FILE *f);
/* The summary (shown at the top) and the end of the document. */
void html_end(FILE *f, const char *summary, int failed, int better, int worse, int unchanged,
              int inconclusive, const char *gate);

#endif
