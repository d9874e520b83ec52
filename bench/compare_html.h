/* The HTML report of lal-compare: pieces written in document order. */
#ifndef LAL_BENCH_COMPARE_HTML_H
#define LAL_BENCH_COMPARE_HTML_H

#include <stddef.h>
#include <stdio.h>

void html_begin(FILE *f, const char *a_name, const char *b_name);
void html_warning(FILE *f, const char *text);
void html_table_begin(FILE *f);
void html_row(FILE *f, const char *workload, const char *series, const char *pct, double a,
              double b, double ratio, double lo, double hi, const char *verdict);
void html_table_end(FILE *f);
/* One series: CDFs from bucket lower bounds and cumulative counts, and the
 * p50/p90/p99/p99.9 of each side. */
void html_plot(FILE *f, const char *title, const char *unit, const double *a_lo,
               const double *a_cum, size_t an, const double *b_lo, const double *b_cum, size_t bn,
               const double pa[4], const double pb[4]);
void html_end(FILE *f, const char *summary);

#endif
