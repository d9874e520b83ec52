/* SPDX-License-Identifier: MIT */
/*
 * lal-compare --html: one self-contained file (no scripts, no external
 * assets). At the top the verdict counts and the gate; then the two
 * fingerprints side by side, differing fields marked; then one section per
 * series: its verdict, the percentile table with intervals, and two inline
 * SVG plots drawn from the histogram buckets:
 *   - the latency CDF (log latency across, fraction below up the side);
 *   - the percentile plot in HdrHistogram's style (percentile across on a
 *     1/(1 - q) log scale, so 90, 99, 99.9, 99.99 % are evenly spaced;
 *     latency up the side, log), where tails are read.
 * The file is written in one pass; the summary, known only at the end, is
 * moved to the top by CSS (flex order), so no script is needed.
 */
#include "compare_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_text.h"
#include "time_units.h"

#define W 440
#define H 250
#define L 56 /* left margin: the y labels */
#define R 24 /* room for the last x label */
#define T 16
#define B 40 /* bottom margin: the x labels and the axis name */
#define A_COLOUR "#1f77b4"
#define B_COLOUR "#d62728"
#define MAX_NINES 5 /* the percentile plot ends at 99.999 % */

static const char *verdict_class(const char *verdict) {
  /* "inconclusive" shares the grey of "no significant change". */
  return strcmp(verdict, "worse") == 0    ? "worse"
         : strcmp(verdict, "better") == 0 ? "better"
                                          : "same";
}

void html_begin(FILE *f, const char *a_name, const char *b_name) {
  fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>lal-compare</title>\n<style>\n"
        "body{font:14px system-ui,sans-serif;margin:2em;color:#222}\n"
        "main{display:flex;flex-direction:column;gap:.5em}\n"
        ".summary{order:-2;padding:.6em 1em;border-radius:6px;background:#f4f4f4}\n"
        ".heat td{text-align:center;min-width:4.5em}.heat caption{font-weight:600}\n"
        ".summary-table{order:-1}.summary-table td:nth-child(2),.summary-table td:first-child"
        "{text-align:left}\n"
        ".summary.fail{background:#fde8e8}.summary.pass{background:#e8f6e8}\n"
        "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #e4e4e4;"
        "text-align:right;vertical-align:top}th{font-weight:600}\n"
        ".env td{text-align:left;max-width:40em}.env tr.differs td{background:#fff4e0}\n"
        ".worse{color:#b00}.better{color:#070}.same{color:#555}\n"
        ".chip{font-size:12px;padding:1px 8px;border-radius:9px;margin-left:.6em;color:#fff}\n"
        ".chip.worse{background:#b00}.chip.better{background:#070}.chip.same{background:#888}\n"
        ".warn{color:#a60;margin:.2em 0}.series{border-top:1px solid #ccc;padding-top:.4em}\n"
        ".plots{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}\n"
        "svg text{font-size:10px;fill:#333}svg .axis{font-size:11px}\n"
        "</style></head><body>\n<h1>lal-compare</h1>\n<p>A: <b style=\"color:" A_COLOUR "\">",
        f);
  html_escape(f, a_name);
  fputs("</b> &mdash; B: <b style=\"color:" B_COLOUR "\">", f);
  html_escape(f, b_name);
  fputs("</b>. Ratios are B/A; the interval is a 95 % bootstrap interval from the histograms."
        "</p>\n<main>\n",
        f);
}

void html_env_begin(FILE *f, int differing, int total) {
  fprintf(f,
          "<details%s><summary>Fingerprint: %d of %d fields differ</summary>\n"
          "<table class=\"env\"><tr><th>field</th><th>A</th><th>B</th></tr>\n",
          differing > 0 && differing <= 8 ? " open" : "", differing, total);
}

void html_env_row(FILE *f, const char *key, const char *a, const char *b, int differs) {
  fprintf(f, "<tr%s><td>", differs ? " class=\"differs\"" : "");
  html_escape(f, key);
  fputs("</td><td>", f);
  html_escape(f, a);
  fputs("</td><td>", f);
  html_escape(f, b);
  fputs("</td></tr>\n", f);
}

void html_env_end(FILE *f) { fputs("</table></details>\n", f); }

void html_series_begin(FILE *f, int index, const char *workload, const char *series,
                       const char *verdict) {
  fprintf(f, "<section class=\"series\" id=\"series-%d\"><h3>", index);
  html_escape(f, workload);
  fputs(": ", f);
  html_escape(f, series);
  fprintf(f, "<span class=\"chip %s\">", verdict_class(verdict));
  html_escape(f, verdict);
  fputs("</span></h3>\n", f);
}

void html_warning(FILE *f, const char *text) {
  fputs("<p class=\"warn\">", f);
  html_escape(f, text);
  fputs("</p>\n", f);
}

void html_table_begin(FILE *f) {
  fputs("<table><tr><th>pct</th><th>A</th><th>B</th>"
        "<th>B/A</th><th>95% CI</th><th>verdict</th></tr>\n",
        f);
}

void html_row(FILE *f, const char *pct, const char *a, const char *b, double ratio, double lo,
              double hi, const char *verdict) {
  fprintf(f, "<tr><td>%s</td><td>", pct);
  html_escape(f, a);
  fputs("</td><td>", f);
  html_escape(f, b);
  fprintf(f, "</td><td>%.3f</td><td>[%.3f, %.3f]</td><td class=\"%s\">%s</td></tr>\n", ratio, lo,
          hi, verdict_class(verdict), verdict);
}

void html_table_end(FILE *f) { fputs("</table>\n", f); }

/* ---- axes */

/* 1500 -> "1.5k"; latencies span ns to s, in whatever unit the series uses. */
static void si(char *buf, size_t size, double v) {
  static const char *const suffix[] = {"", "k", "M", "G", "T"};
  int s = 0;
  while (v >= 1000 && s < 4)
    v /= 1000, s++;
  snprintf(buf, size, "%g%s", v, suffix[s]);
}

/* An axis label in time units where the series' unit is a time ("10 us",
 * not "10M" ps), else with an SI suffix. */
static void tick_label(char *buf, size_t size, double v, const char *unit) {
  if (time_unit_seconds(unit) > 0)
    time_format(buf, size, v, unit);
  else
    si(buf, size, v);
}

/* The axis title: the ticks carry the time unit, so "ps/call" reads
 * "time/call" and "ns late" "time late"; other units stay as they are. */
static void axis_name(char *buf, size_t size, const char *unit) {
  if (time_unit_seconds(unit) > 0)
    snprintf(buf, size, "time%s", unit + 2);
  else
    snprintf(buf, size, "%s", unit);
}

/* Log-scale ticks between lo and hi: decades, or 1-2-5 within a decade or two. */
static int log_ticks(double lo, double hi, double *out, int max) {
  static const double steps_fine[] = {1, 2, 5};
  int n = 0, fine = hi / lo < 100;
  for (double d = pow(10, floor(log10(lo))); d <= hi * 1.0001 && n < max; d *= 10)
    for (int k = 0; k < (fine ? 3 : 1) && n < max; k++) {
      double v = d * steps_fine[k];
      if (v >= lo * 0.9999 && v <= hi * 1.0001)
        out[n++] = v;
    }
  return n;
}

static double logpos(double v, double lo, double hi, double from, double to) {
  if (v < lo)
    v = lo;
  if (v > hi)
    v = hi;
  return from + (to - from) * (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
}

/* Where quantile q sits on the percentile plot: log10(1 / (1 - q)), capped. */
static double nines(double q) {
  double x = q >= 1 ? MAX_NINES : -log10(1 - q);
  return x > MAX_NINES ? MAX_NINES : x;
}

static double nines_x(double q) { return L + (W - L - R) * nines(q) / MAX_NINES; }

static void svg_begin(FILE *f, const char *title, const char *what) {
  fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
          W, H);
  fputs("<title>", f);
  html_escape(f, title);
  fprintf(f,
          " %s</title>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
          "stroke=\"#ccc\"/>\n",
          what, L, T, W - L - R, H - T - B);
}

static void legend(FILE *f) {
  fprintf(f,
          "<text x=\"%d\" y=\"%d\" style=\"fill:" A_COLOUR "\">&#9632; A</text>"
          "<text x=\"%d\" y=\"%d\" style=\"fill:" B_COLOUR "\">&#9632; B</text>\n",
          W - R - 70, T - 4, W - R - 36, T - 4); /* above the plot, clear of the curves */
}

static void grid_x(FILE *f, double x, const char *label) {
  fprintf(f,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e6e6e6\"/>"
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
          x, T, x, H - B, x, H - B + 13, label);
}

static void grid_y(FILE *f, double y, const char *label) {
  fprintf(f,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>"
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
          L, y, W - R, y, L - 4, y + 3, label);
}

static void axis_names(FILE *f, const char *x_name, const char *y_name) {
  fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (L + W - R) / 2,
          H - 8);
  html_escape(f, x_name);
  fprintf(f,
          "</text><text class=\"axis\" x=\"12\" y=\"%d\" text-anchor=\"middle\" "
          "transform=\"rotate(-90 12 %d)\">",
          (T + H - B) / 2, (T + H - B) / 2);
  html_escape(f, y_name);
  fputs("</text>\n", f);
}

/* ---- the two plots */

static void cdf_line(FILE *f, const double *lows, const double *cum, size_t n, double lo, double hi,
                     const char *colour) {
  double total = cum[n - 1];
  fprintf(f, "<polyline class=\"cdf\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
          colour);
  double prev = H - B;
  for (size_t i = 0; i < n && lows[i] <= hi; i++) { /* a step: the fraction rises at each bucket */
    double x = logpos(lows[i], lo, hi, L, W - R), y = H - B - (H - T - B) * cum[i] / total;
    fprintf(f, "%.1f,%.1f %.1f,%.1f ", x, prev, x, y);
    prev = y;
  }
  fprintf(f, "%d,%.1f\"/>\n", W - R, prev);
}

static void cdf_plot(FILE *f, const char *title, const char *unit, const char *x_name,
                     const double *a_lo, const double *a_cum, size_t an, const double *b_lo,
                     const double *b_cum, size_t bn, double lo, double hi) {
  svg_begin(f, title, "latency CDF");
  double ticks[16];
  int nt = log_ticks(lo, hi, ticks, 16);
  for (int i = 0; i < nt; i++) {
    char label[24];
    tick_label(label, sizeof label, ticks[i], unit);
    grid_x(f, logpos(ticks[i], lo, hi, L, W - R), label);
  }
  static const double fractions[] = {0, 0.5, 0.9, 1};
  static const char *const fraction_labels[] = {"0", "0.5", "0.9", "1"};
  for (int i = 0; i < 4; i++)
    grid_y(f, H - B - (H - T - B) * fractions[i], fraction_labels[i]);
  cdf_line(f, a_lo, a_cum, an, lo, hi, A_COLOUR);
  cdf_line(f, b_lo, b_cum, bn, lo, hi, B_COLOUR);
  legend(f);
  axis_names(f, x_name, "fraction at or below");
  fputs("</svg>\n", f);
}

static double lat_y(double v, double lo, double hi) { return logpos(v, lo, hi, H - B, T); }

static void pct_line(FILE *f, const double *lows, const double *cum, size_t n, double lo, double hi,
                     const char *colour) {
  double total = cum[n - 1], q0 = 0;
  fprintf(f, "<polyline class=\"pctl\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
          colour);
  for (size_t i = 0; i < n && nines(q0) < MAX_NINES; i++) { /* bucket i holds q0..q1 */
    double q1 = cum[i] / total, y = lat_y(lows[i], lo, hi);
    fprintf(f, "%.1f,%.1f %.1f,%.1f ", nines_x(q0), y, nines_x(q1), y);
    q0 = q1;
  }
  fputs("\"/>\n", f);
}

static void pct_plot(FILE *f, const char *title, const char *unit, const double *a_lo,
                     const double *a_cum, size_t an, const double *b_lo, const double *b_cum,
                     size_t bn, double lo, double hi, const double pa[4], const double pb[4]) {
  svg_begin(f, title, "percentile plot");
  static const char *const q_labels[] = {"0", "90", "99", "99.9", "99.99", "99.999"};
  for (int k = 0; k <= MAX_NINES; k++)
    grid_x(f, L + (W - L - R) * (double)k / MAX_NINES, q_labels[k]);
  double ticks[16];
  int nt = log_ticks(lo, hi, ticks, 16);
  for (int i = 0; i < nt; i++) {
    char label[24];
    tick_label(label, sizeof label, ticks[i], unit);
    grid_y(f, lat_y(ticks[i], lo, hi), label);
  }
  pct_line(f, a_lo, a_cum, an, lo, hi, A_COLOUR);
  pct_line(f, b_lo, b_cum, bn, lo, hi, B_COLOUR);
  /* The summary percentiles of each side, as the table gives them. */
  static const double q[4] = {0.5, 0.9, 0.99, 0.999};
  for (int p = 0; p < 4; p++)
    fprintf(f,
            "<circle class=\"pct\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"" A_COLOUR "\"/>"
            "<circle class=\"pct\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"" B_COLOUR "\"/>\n",
            nines_x(q[p]), lat_y(pa[p], lo, hi), nines_x(q[p]), lat_y(pb[p], lo, hi));
  legend(f);
  char y_name[96];
  axis_name(y_name, sizeof y_name, unit);
  axis_names(f, "percentile (%)", y_name);
  fputs("</svg>\n", f);
}

static double range_low(const double *a_lo, const double *b_lo) {
  double lo = fmin(a_lo[0], b_lo[0]);
  return lo < 1 ? 1 : lo;
}

/* The low bound of the bucket holding quantile q (cum: cumulative counts). */
static double bucket_quantile(const double *lo, const double *cum, size_t n, double q) {
  double want = q * cum[n - 1];
  for (size_t i = 0; i < n; i++)
    if (cum[i] >= want)
      return lo[i];
  return lo[n - 1];
}

void html_plot(FILE *f, const char *title, const char *unit, const double *a_lo,
               const double *a_cum, size_t an, const double *b_lo, const double *b_cum, size_t bn,
               const double pa[4], const double pb[4]) {
  fputs("<div class=\"plots\">\n", f);
  /* The CDF shows the body: from the smaller p0.1 to the larger p99.9 (a
   * max that is 1000x the median, or a min far below it, would squeeze the
   * rest into one pixel column); the percentile plot shows everything, from
   * the lowest bucket to the highest. */
  double lo = range_low(a_lo, b_lo);
  double body_lo = fmax(
      fmin(bucket_quantile(a_lo, a_cum, an, 0.001), bucket_quantile(b_lo, b_cum, bn, 0.001)) * 0.9,
      lo);
  double body = fmax(fmax(pa[3], pb[3]) * 1.2, body_lo * 2);
  char x_name[128];
  char name[80];
  axis_name(name, sizeof name, unit);
  snprintf(x_name, sizeof x_name, "%s (log scale, p0.1 to p99.9)", name);
  cdf_plot(f, title, unit, x_name, a_lo, a_cum, an, b_lo, b_cum, bn, body_lo, body);
  double hi = fmax(a_lo[an - 1], b_lo[bn - 1]) * 1.05; /* the top bucket reaches above its low */
  pct_plot(f, title, unit, a_lo, a_cum, an, b_lo, b_cum, bn, lo, fmax(hi, lo * 2), pa, pb);
  fputs("</div>\n", f);
}

void html_series_end(FILE *f) { fputs("</section>\n", f); }

/* The background of a heatmap cell: t in 0..1 from green through yellow to red. */
static void heat_cell_td(FILE *f, double t, const char *text) {
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  fprintf(f, "<td style=\"background:hsl(%.0f,70%%,80%%)\">", 120.0 * (1 - t));
  html_escape(f, text);
  fputs("</td>", f);
}

enum { HEAT_A, HEAT_B, HEAT_RATIO };

/* One table over the CPUs: A's, B's or B/A's value in each pair's two cells. */
static void heat_table(FILE *f, const char *caption, const int *cpus, int ncpu,
                       const heat_cell *cells, size_t n, const char *unit, double lo, double hi,
                       int which) {
  int ratio = which == HEAT_RATIO;
  fputs("<table class=\"heat\"><caption>", f);
  html_escape(f, caption);
  fputs("</caption><tr><th></th>", f);
  for (int c = 0; c < ncpu; c++)
    fprintf(f, "<th>%d</th>", cpus[c]);
  fputs("</tr>\n", f);
  for (int r = 0; r < ncpu; r++) {
    fprintf(f, "<tr><th>%d</th>", cpus[r]);
    for (int c = 0; c < ncpu; c++) {
      const heat_cell *k = NULL;
      for (size_t i = 0; i < n && !k; i++)
        if ((cells[i].cpu_i == cpus[r] && cells[i].cpu_j == cpus[c]) ||
            (cells[i].cpu_i == cpus[c] && cells[i].cpu_j == cpus[r]))
          k = &cells[i];
      if (!k) {
        fputs("<td></td>", f);
        continue;
      }
      double v = ratio ? (k->a > 0 ? k->b / k->a : 1) : which == HEAT_A ? k->a : k->b;
      char text[32];
      if (ratio)
        snprintf(text, sizeof text, "%.2f", v);
      else
        time_format(text, sizeof text, v, unit);
      /* ratios: 1 is yellow, 0.5 green, 2 red (log scale); values: min..max */
      double t = ratio ? 0.5 + log2(v > 0 ? v : 1) / 2
                       : (hi > lo ? (log(v > 0 ? v : 1) - log(lo)) / (log(hi) - log(lo)) : 0);
      heat_cell_td(f, t, text);
    }
    fputs("</tr>\n", f);
  }
  fputs("</table>\n", f);
}

void html_heatmaps(FILE *f, const heat_cell *cells, size_t n, const char *unit) {
  if (n == 0)
    return;
  /* The CPUs that appear, in increasing order. */
  int cpus[256], ncpu = 0;
  for (size_t k = 0; k < 2 * n && ncpu < 256; k++) {
    int c = k < n ? cells[k].cpu_i : cells[k - n].cpu_j, seen = 0;
    for (int i = 0; i < ncpu; i++)
      seen |= cpus[i] == c;
    if (!seen)
      cpus[ncpu++] = c;
  }
  for (int i = 1; i < ncpu; i++)
    for (int j = i; j > 0 && cpus[j - 1] > cpus[j]; j--) {
      int t = cpus[j];
      cpus[j] = cpus[j - 1];
      cpus[j - 1] = t;
    }
  double lo = 0, hi = 0; /* one colour scale for A and B */
  for (size_t k = 0; k < n; k++)
    for (int s = 0; s < 2; s++) {
      double v = s ? cells[k].b : cells[k].a;
      if (v > 0 && (lo == 0 || v < lo))
        lo = v;
      if (v > hi)
        hi = v;
    }
  fputs("<section class=\"series\" id=\"core-to-core\"><h3>core_to_core: cache-line transfer "
        "between every pair of CPUs, p50</h3>\n<div class=\"plots\">\n",
        f);
  heat_table(f, "A", cpus, ncpu, cells, n, unit, lo, hi, HEAT_A);
  heat_table(f, "B", cpus, ncpu, cells, n, unit, lo, hi, HEAT_B);
  heat_table(f, "B/A", cpus, ncpu, cells, n, unit, lo, hi, HEAT_RATIO);
  fputs("</div></section>\n", f);
}

void html_cpu_curve(FILE *f, const char *title, const cpu_point *pts, size_t n) {
  /* x: CPU % on a log axis (0.1 .. 100), y: p99 lateness (log, 10 ns .. 10 ms). */
  const double cpu_lo = 0.1, cpu_hi = 100, lat_lo = 10, lat_hi = 1e7;
  fputs("<section class=\"cpu-curve\"><h3>", f);
  html_escape(f, title);
  fputs("</h3>\n", f);
  svg_begin(f, title, "CPU against p99 lateness");
  static const double cpu_ticks[] = {0.1, 1, 10, 100};
  static const char *const cpu_labels[] = {"0.1 %", "1 %", "10 %", "100 %"};
  for (int i = 0; i < 4; i++)
    grid_x(f, logpos(cpu_ticks[i], cpu_lo, cpu_hi, L, W - R), cpu_labels[i]);
  static const double lat_ticks[] = {10, 1e3, 1e5, 1e7};
  static const char *const lat_labels[] = {"10 ns", "1 us", "100 us", "10 ms"};
  for (int i = 0; i < 4; i++)
    grid_y(f, logpos(lat_ticks[i], lat_lo, lat_hi, H - B, T), lat_labels[i]);
  for (size_t i = 0; i < n; i++)
    for (int side = 0; side < 2; side++) {
      double cpu = side ? pts[i].cpu_b : pts[i].cpu_a, lat = side ? pts[i].p99_b : pts[i].p99_a;
      if (cpu < 0)
        continue;
      double x = logpos(cpu, cpu_lo, cpu_hi, L, W - R), y = logpos(lat, lat_lo, lat_hi, H - B, T);
      fprintf(f, "<circle class=\"cpu\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>", x, y,
              side ? B_COLOUR : A_COLOUR);
      html_escape(f, pts[i].label);
      fprintf(f, " (%s): CPU %.1f %%, p99 %.0f ns</title></circle>\n", side ? "B" : "A", cpu, lat);
      if (side == 0 || pts[i].cpu_a < 0) { /* one label per mode; the dots carry both */
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 4, y - 3);
        html_escape(f, pts[i].label);
        fputs("</text>\n", f);
      }
    }
  legend(f);
  axis_names(f, "CPU, % of the calls' wall time", "p99 lateness");
  fputs("</svg></section>\n", f);
}

void html_note(FILE *f, const char *text) {
  fputs("<p class=\"same\">", f);
  html_escape(f, text);
  fputs("</p>\n", f);
}

void html_summary_begin(FILE *f, const char *gate) {
  fprintf(f,
          "<section class=\"summary-table\"><table><tr><th>workload</th><th>series</th>"
          "<th>B/A at %s</th><th>95%% interval</th><th>verdict</th></tr>\n",
          gate);
}

void html_summary_row(FILE *f, int index, const char *workload, const char *series, double ratio,
                      double lo, double hi, const char *verdict, int regressed) {
  fputs("<tr><td>", f);
  html_escape(f, workload);
  if (index >= 0)
    fprintf(f, "</td><td><a href=\"#series-%d\">", index);
  else
    fputs("</td><td><a href=\"#core-to-core\">", f); /* a cell of the heatmaps */
  html_escape(f, series);
  fprintf(f, "</a></td><td>%.3f</td><td>[%.3f, %.3f]</td><td class=\"%s\">%s", ratio, lo, hi,
          verdict_class(verdict), regressed ? "GATE: " : "");
  html_escape(f, verdict);
  fputs("</td></tr>\n", f);
}

void html_summary_end(FILE *f) { fputs("</table></section>\n", f); }

void html_end(FILE *f, const char *summary, int failed, int better, int worse, int unchanged,
              int inconclusive, const char *gate) {
  fprintf(f,
          "<section class=\"summary %s\"><b>%s</b><br>At the gate percentile (%s): "
          "<span class=\"better\">%d better</span>, <span class=\"worse\">%d worse</span>, "
          "<span class=\"same\">%d no significant change</span>, "
          "<span class=\"same\">%d inconclusive (too few samples)</span>.</section>\n",
          failed ? "fail" : "pass", failed ? "Gate: FAIL" : "Gate: pass", gate, better, worse,
          unchanged, inconclusive);
  fputs("<p><b>", f);
  html_escape(f, summary);
  fputs("</b></p>\n</main></body></html>\n", f);
}
