/*
 * lal-compare --html: one self-contained file (no scripts, no external
 * assets): the comparison table, and per series an inline SVG with the two
 * latency CDFs (log-scale x, built from the histogram buckets) and bars for
 * p50/p90/p99/p99.9 of A and B.
 */
#include "compare_html.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 560
#define H 220
#define PAD 40

static void escape(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<')
      fputs("&lt;", f);
    else if (*s == '>')
      fputs("&gt;", f);
    else if (*s == '&')
      fputs("&amp;", f);
    else if (*s == '"')
      fputs("&quot;", f);
    else
      fputc(*s, f);
  }
}

void html_begin(FILE *f, const char *a_name, const char *b_name) {
  fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>lal-compare</title>\n"
        "<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}"
        "td:first-child,td:nth-child(2){text-align:left}.worse{color:#b00}.better{color:#070}"
        ".warn{color:#a60}svg{margin:1em 0}</style></head><body>\n<h1>lal-compare</h1>\n<p>A: ",
        f);
  escape(f, a_name);
  fputs(" &mdash; B: ", f);
  escape(f, b_name);
  fputs("</p>\n", f);
}

void html_warning(FILE *f, const char *text) {
  fputs("<p class=\"warn\">", f);
  escape(f, text);
  fputs("</p>\n", f);
}

void html_table_begin(FILE *f) {
  fputs("<table><tr><th>workload</th><th>series</th><th>pct</th><th>A</th><th>B</th>"
        "<th>B/A</th><th>95% CI</th><th>verdict</th></tr>\n",
        f);
}

void html_row(FILE *f, const char *workload, const char *series, const char *pct, double a,
              double b, double ratio, double lo, double hi, const char *verdict) {
  fputs("<tr><td>", f);
  escape(f, workload);
  fputs("</td><td>", f);
  escape(f, series);
  fprintf(f,
          "</td><td>%s</td><td>%.0f</td><td>%.0f</td><td>%.3f</td><td>[%.3f, %.3f]</td>"
          "<td class=\"%s\">%s</td></tr>\n",
          pct, a, b, ratio, lo, hi,
          strcmp(verdict, "worse") == 0    ? "worse"
          : strcmp(verdict, "better") == 0 ? "better"
                                           : "",
          verdict);
}

void html_table_end(FILE *f) { fputs("</table>\n", f); }

static double xpos(double v, double lo, double hi) {
  if (v < 1)
    v = 1;
  return PAD + (W - 2 * PAD) * (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
}

static void cdf(FILE *f, const double *lows, const double *cum, size_t n, double total, double lo,
                double hi, const char *colour) {
  fprintf(f, "<polyline class=\"cdf\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
          colour);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%.1f,%.1f ", xpos(lows[i], lo, hi), H - PAD - (H - 2 * PAD) * cum[i] / total);
  fputs("\"/>\n", f);
}

void html_plot(FILE *f, const char *title, const char *unit, const double *a_lo,
               const double *a_cum, size_t an, const double *b_lo, const double *b_cum, size_t bn,
               const double pa[4], const double pb[4]) {
  double lo = a_lo[0] < b_lo[0] ? a_lo[0] : b_lo[0];
  double hi = a_lo[an - 1] > b_lo[bn - 1] ? a_lo[an - 1] : b_lo[bn - 1];
  if (lo < 1)
    lo = 1;
  if (hi <= lo * 1.01)
    hi = lo * 10;
  fputs("<h3>", f);
  escape(f, title);
  fprintf(f,
          "</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          "role=\"img\"><title>",
          W, H + 60);
  escape(f, title);
  fputs(" latency CDF</title>\n", f);
  fprintf(f,
          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n",
          PAD, PAD, W - 2 * PAD, H - 2 * PAD);
  for (double d = pow(10, floor(log10(lo))); d <= hi * 1.0001; d *= 10)
    if (d >= lo)
      fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%g</text>\n",
              xpos(d, lo, hi), H - PAD + 14, d);
  fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">", W / 2 - 40, H - 6);
  escape(f, unit);
  fputs(" (log scale)</text>\n", f);
  cdf(f, a_lo, a_cum, an, a_cum[an - 1], lo, hi, "#1f77b4");
  cdf(f, b_lo, b_cum, bn, b_cum[bn - 1], lo, hi, "#d62728");
  fprintf(f,
          "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#1f77b4\">A</text>"
          "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#d62728\">B</text>\n",
          PAD + 4, PAD - 6, PAD + 20, PAD - 6);
  /* percentile markers: p50, p90, p99, p99.9 of A (top row) and B (bottom row) */
  static const char *const names[4] = {"p50", "p90", "p99", "p99.9"};
  for (int p = 0; p < 4; p++) {
    fprintf(f,
            "<circle class=\"pct\" cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"#1f77b4\"/>"
            "<circle class=\"pct\" cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"#d62728\"/>"
            "<text x=\"%.1f\" y=\"%d\" font-size=\"9\">%s</text>\n",
            xpos(pa[p], lo, hi), H + 10, xpos(pb[p], lo, hi), H + 22, xpos(pa[p], lo, hi) + 4,
            H + 38 + 10 * (p % 2), names[p]);
  }
  fputs("</svg>\n", f);
}

void html_end(FILE *f, const char *summary) {
  fputs("<p><b>", f);
  escape(f, summary);
  fputs("</b></p>\n</body></html>\n", f);
}
