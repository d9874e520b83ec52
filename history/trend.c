/* SPDX-License-Identifier: MIT */
#include "trend.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "history_query.h"
#include "html_text.h"
#include "time_units.h"

#define W 640
#define H 200
#define L 64
#define R 16
#define T 12
#define B 30
#define MAX_POINTS 600 /* wider histories are drawn as the median of each bin */
#define MAX_CHANGES 32
#define MIN_EFFECT 0.05 /* a change point moves the median by 5 % or more */

static const char *const drawn[2] = {"p50", "p99"};
static const char *const colour[2] = {"#1f77b4", "#d62728"};

static void page_begin(FILE *f, const char *title) {
  fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", f);
  html_escape(f, title);
  fputs("</title>\n<style>\n"
        "body{font:14px system-ui,sans-serif;margin:2em;color:#222}\n"
        "section{margin:1.2em 0;padding-top:.6em;border-top:1px solid #ddd}\n"
        "h2{font-size:1.05em;margin:.2em 0}\n"
        "svg{background:#fff;border:1px solid #ddd}\n"
        ".axis{stroke:#999;stroke-width:1}.tick{font-size:10px;fill:#555}\n"
        ".trend{fill:none;stroke-width:1.5}.change{stroke:#000;stroke-width:1;"
        "stroke-dasharray:4 3}\n"
        ".changes{margin:.3em 0 0 1em;font-size:.9em}.none{color:#777}\n"
        ".oses{display:grid;grid-auto-flow:column;grid-auto-columns:1fr;gap:1.5em}\n"
        "table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;"
        "text-align:left}\n"
        ".legend span{margin-right:1em}\n"
        "</style></head><body>\n<h1>",
        f);
  html_escape(f, title);
  fputs("</h1>\n<p class=\"legend\"><span style=\"color:#1f77b4\">&#9644; p50</span>"
        "<span style=\"color:#d62728\">&#9644; p99</span><span>- - - change point</span></p>\n",
        f);
}

static double y_of(double v, double lo, double hi) {
  double span = log(hi) - log(lo);
  double t = span > 0 ? (log(v) - log(lo)) / span : 0.5;
  return T + (1 - t) * (H - T - B);
}

static double x_of(size_t i, size_t n) {
  return L + (n > 1 ? (double)i / (double)(n - 1) : 0.5) * (W - L - R);
}

static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The positive values of pts (and where each came from). */
static size_t positive(const hq_point *pts, size_t n, double *v, size_t *at) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (pts[i].value > 0) {
      v[k] = pts[i].value;
      at[k++] = i;
    }
  return k;
}

/* One series on one machine: the plot and the change-point list. */
static int plot(FILE *f, store *s, const hq_machine *m, const hq_series *x) {
  hq_point *pts[2] = {NULL, NULL};
  size_t n[2] = {0, 0};
  for (int d = 0; d < 2; d++)
    if (hq_trend(s, m->id, x->id, drawn[d], &pts[d], &n[d]) != 0) {
      free(pts[0]);
      return -1;
    }
  size_t runs = n[0];
  double lo = INFINITY, hi = 0;
  for (int d = 0; d < 2; d++)
    for (size_t i = 0; i < n[d]; i++)
      if (pts[d][i].value > 0) {
        lo = fmin(lo, pts[d][i].value);
        hi = fmax(hi, pts[d][i].value);
      }
  if (hi <= 0) {
    fputs("<p class=\"none\">no recorded percentiles</p>\n", f);
    free(pts[0]);
    free(pts[1]);
    return 0;
  }
  if (hi <= lo)
    hi = lo * 1.1, lo = lo / 1.1;
  fprintf(f, "<svg class=\"trend-plot\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", W, H,
          W, H);
  fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", L, H - B, W - R,
          H - B);
  fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", L, T, L, H - B);
  char a[32], b[32];
  time_format(a, sizeof a, hi, x->unit);
  time_format(b, sizeof b, lo, x->unit);
  fprintf(f,
          "<text class=\"tick\" x=\"2\" y=\"%d\">%s</text><text class=\"tick\" x=\"2\" "
          "y=\"%d\">%s</text>\n",
          T + 8, a, H - B, b);
  fprintf(f,
          "<text class=\"tick\" x=\"%d\" y=\"%d\">run 1</text><text class=\"tick\" x=\"%d\" "
          "y=\"%d\">run %zu</text>\n",
          L, H - B + 14, W - R - 50, H - B + 14, runs);
  double *v = malloc((runs + 1) * sizeof *v), *bin = malloc((runs + 1) * sizeof *bin);
  size_t *at = malloc((runs + 1) * sizeof *at);
  change_point cps[2][MAX_CHANGES];
  int ncp[2] = {0, 0};
  for (int d = 0; v && bin && at && d < 2; d++) {
    size_t k = positive(pts[d], n[d], v, at);
    /* A bin of consecutive runs per point when there are more than fit. */
    size_t per = k > MAX_POINTS ? (k + MAX_POINTS - 1) / MAX_POINTS : 1;
    fprintf(f, "<polyline class=\"trend %s\" stroke=\"%s\" points=\"", drawn[d], colour[d]);
    for (size_t i = 0; i < k; i += per) {
      size_t m2 = i + per < k ? per : k - i;
      memcpy(bin, v + i, m2 * sizeof *bin);
      qsort(bin, m2, sizeof *bin, by_double);
      fprintf(f, "%.1f,%.1f ", x_of(at[i + m2 / 2], runs), y_of(bin[m2 / 2], lo, hi));
    }
    fputs("\"/>\n", f);
    ncp[d] = changes_find(v, k, MIN_EFFECT, cps[d], MAX_CHANGES);
    for (int c = 0; c < ncp[d]; c++) {
      cps[d][c].index = at[cps[d][c].index]; /* back to the run's place */
      double cx = x_of(cps[d][c].index, runs);
      fprintf(f,
              "<line class=\"change %s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"><title>%s "
              "changed at run %lld</title></line>\n",
              drawn[d], cx, T, cx, H - B, drawn[d], (long long)pts[d][cps[d][c].index].run_id);
    }
  }
  fputs("</svg>\n<ul class=\"changes\">\n", f);
  int listed = 0;
  for (int d = 0; d < 2; d++)
    for (int c = 0; c < ncp[d]; c++) {
      const hq_point *p = &pts[d][cps[d][c].index];
      time_format(a, sizeof a, cps[d][c].before, x->unit);
      time_format(b, sizeof b, cps[d][c].after, x->unit);
      fprintf(f, "<li>%s changed at run %lld (", drawn[d], (long long)p->run_id);
      html_escape(f, p->start_utc);
      if (p->label[0]) {
        fputs(", ", f);
        html_escape(f, p->label);
      }
      fprintf(f, "): %s &rarr; %s (%+.0f %%)</li>\n", a, b,
              (cps[d][c].after / cps[d][c].before - 1) * 100);
      listed++;
    }
  if (!listed)
    fputs("<li class=\"none\">no change point</li>\n", f);
  fputs("</ul>\n", f);
  int rc = v && bin && at ? 0 : -1;
  free(v);
  free(bin);
  free(at);
  free(pts[0]);
  free(pts[1]);
  return rc;
}

static FILE *open_page(const char *dir, const char *name, char *why, size_t why_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f)
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
  return f;
}

static void machine_title(char *out, size_t size, const hq_machine *m) {
  snprintf(out, size, "%s: %s%s, %s (%lld runs)", m->host[0] ? m->host : m->fingerprint, m->os,
           m->under_wine ? " under Wine" : "", m->cpu_model, (long long)m->runs);
}

static int machine_page(store *s, const char *dir, const hq_machine *m, char *why,
                        size_t why_size) {
  char name[64], title[512];
  snprintf(name, sizeof name, "machine-%s.html", m->fingerprint);
  FILE *f = open_page(dir, name, why, why_size);
  if (!f)
    return -1;
  hq_series *series = NULL;
  size_t n = 0;
  int rc = hq_machine_series(s, m->id, &series, &n);
  machine_title(title, sizeof title, m);
  page_begin(f, title);
  fprintf(f, "<p>fingerprint %s &middot; <a href=\"index.html\">all machines</a></p>\n",
          m->fingerprint);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    fprintf(f, "<section id=\"series-%lld\"><h2>", (long long)series[i].id);
    html_escape(f, series[i].workload);
    fputs(" / ", f);
    html_escape(f, series[i].name);
    fputs(" <small>(", f);
    html_escape(f, series[i].unit);
    fprintf(f, ")</small> <a href=\"series-%lld.html\">on every machine</a></h2>\n",
            (long long)series[i].id);
    rc = plot(f, s, m, &series[i]);
    fputs("</section>\n", f);
  }
  fputs("</body></html>\n", f);
  free(series);
  if (fclose(f) != 0 || rc != 0) {
    snprintf(why, why_size, "writing %s: %s", name, rc ? store_error(s) : strerror(errno));
    return -1;
  }
  return 0;
}

/* One series on every machine with it: a column per OS. */
static int series_page(store *s, const char *dir, const hq_series *x, const hq_machine *ms,
                       size_t nm, char *why, size_t why_size) {
  char name[64], title[400];
  snprintf(name, sizeof name, "series-%lld.html", (long long)x->id);
  FILE *f = open_page(dir, name, why, why_size);
  if (!f)
    return -1;
  snprintf(title, sizeof title, "%s / %s on every machine", x->workload, x->name);
  page_begin(f, title);
  fputs("<p><a href=\"index.html\">all machines</a></p>\n<div class=\"oses\">\n", f);
  int rc = 0;
  const char *oses[2] = {"Linux", "Windows"};
  for (int o = 0; o < 3 && rc == 0; o++) {
    int opened = 0;
    for (size_t i = 0; i < nm && rc == 0; i++) {
      int is_other = strcmp(ms[i].os, oses[0]) != 0 && strcmp(ms[i].os, oses[1]) != 0;
      if (o < 2 ? strcmp(ms[i].os, oses[o]) != 0 : !is_other)
        continue;
      int64_t has = 0;
      store_value p[2] = {sv_int(x->id), sv_int(ms[i].id)};
      if (store_query_int(s,
                          "SELECT count(*) FROM results x JOIN runs r ON r.id = x.run_id"
                          " WHERE x.series_id = ? AND r.machine_id = ?",
                          p, 2, &has) < 0) {
        rc = -1;
        break;
      }
      if (!has)
        continue;
      if (!opened) {
        fprintf(f, "<div class=\"os\"><h2>%s</h2>\n", o < 2 ? oses[o] : "other");
        opened = 1;
      }
      char mt[512];
      machine_title(mt, sizeof mt, &ms[i]);
      fprintf(f, "<section><h2><a href=\"machine-%s.html\">", ms[i].fingerprint);
      html_escape(f, mt);
      fputs("</a></h2>\n", f);
      rc = plot(f, s, &ms[i], x);
      fputs("</section>\n", f);
    }
    if (opened)
      fputs("</div>\n", f);
  }
  fputs("</div>\n</body></html>\n", f);
  if (fclose(f) != 0 || rc != 0) {
    snprintf(why, why_size, "writing %s: %s", name, rc ? store_error(s) : strerror(errno));
    return -1;
  }
  return 0;
}

int trend_write(store *s, const char *dir, const char *machine, char *why, size_t why_size) {
  hq_machine *ms = NULL;
  size_t nm = 0;
  if (hq_machines(s, &ms, &nm) != 0) {
    snprintf(why, why_size, "reading the machines: %s", store_error(s));
    return -1;
  }
  int rc = 0, matched = 0;
  for (size_t i = 0; i < nm && rc == 0; i++) {
    if (machine && strcmp(machine, ms[i].fingerprint) != 0 && strcmp(machine, ms[i].host) != 0)
      continue;
    matched++;
    rc = machine_page(s, dir, &ms[i], why, why_size);
  }
  if (rc == 0 && machine && !matched) {
    snprintf(why, why_size, "no machine '%s' in the history", machine);
    rc = -1;
  }
  /* Every series of every machine, each on its cross-machine page. */
  hq_series *all = NULL;
  size_t ns = 0;
  if (rc == 0) {
    for (size_t i = 0; i < nm && rc == 0; i++) {
      hq_series *one = NULL;
      size_t n = 0;
      if (hq_machine_series(s, ms[i].id, &one, &n) != 0) {
        snprintf(why, why_size, "reading the series: %s", store_error(s));
        rc = -1;
        break;
      }
      for (size_t j = 0; j < n; j++) {
        size_t k = 0;
        while (k < ns && all[k].id != one[j].id)
          k++;
        if (k < ns)
          continue;
        hq_series *bigger = realloc(all, (ns + 1) * sizeof *all);
        if (!bigger) {
          rc = -1;
          snprintf(why, why_size, "out of memory");
          break;
        }
        all = bigger;
        all[ns++] = one[j];
      }
      free(one);
    }
  }
  FILE *f = rc == 0 ? open_page(dir, "index.html", why, why_size) : NULL;
  if (f) {
    page_begin(f, "lal-history: machines");
    fputs("<table class=\"machines\"><tr><th>machine</th><th>OS</th><th>CPU</th><th>runs</th>"
          "<th>fingerprint</th></tr>\n",
          f);
    for (size_t i = 0; i < nm; i++) {
      fprintf(f, "<tr><td><a href=\"machine-%s.html\">", ms[i].fingerprint);
      html_escape(f, ms[i].host[0] ? ms[i].host : "(no host name)");
      fputs("</a></td><td>", f);
      html_escape(f, ms[i].os);
      fputs(ms[i].under_wine ? " (Wine)" : "", f);
      fputs("</td><td>", f);
      html_escape(f, ms[i].cpu_model);
      fprintf(f, "</td><td>%lld</td><td>%s</td></tr>\n", (long long)ms[i].runs, ms[i].fingerprint);
    }
    fputs("</table>\n<h2>Series across machines</h2>\n<ul>\n", f);
    for (size_t j = 0; j < ns; j++) {
      fprintf(f, "<li><a href=\"series-%lld.html\">", (long long)all[j].id);
      html_escape(f, all[j].workload);
      fputs(" / ", f);
      html_escape(f, all[j].name);
      fputs("</a></li>\n", f);
    }
    fputs("</ul>\n</body></html>\n", f);
    if (fclose(f) != 0) {
      snprintf(why, why_size, "writing index.html: %s", strerror(errno));
      rc = -1;
    }
  } else if (rc == 0) {
    rc = -1;
  }
  for (size_t j = 0; rc == 0 && j < ns; j++)
    rc = series_page(s, dir, &all[j], ms, nm, why, why_size);
  free(all);
  free(ms);
  return rc;
}
