/* SPDX-License-Identifier: MIT */
#include "baseline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_model.h"
#include "history_query.h"
#include "html_text.h"
#include "time_units.h"

/* One value of the history: a run's percentiles of one series. */
typedef struct past {
  char workload[64], name[160], unit[64];
  int64_t run, count;
  double pct[CMP_NPCT];
} past;

typedef struct past_rows {
  past *rows;
  size_t n, cap;
  int oom;
} past_rows;

static int past_row(void *ctx, const store_row *r) {
  past_rows *p = ctx;
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 256;
    past *bigger = realloc(p->rows, cap * sizeof *bigger);
    if (!bigger) {
      p->oom = 1;
      return 1;
    }
    p->rows = bigger;
    p->cap = cap;
  }
  past *x = &p->rows[p->n++];
  memset(x, 0, sizeof *x);
  snprintf(x->workload, sizeof x->workload, "%s", r->col[0].s ? r->col[0].s : "");
  snprintf(x->name, sizeof x->name, "%s", r->col[1].s ? r->col[1].s : "");
  snprintf(x->unit, sizeof x->unit, "%s", r->col[2].s ? r->col[2].s : "");
  x->run = r->col[3].i;
  x->count = r->col[4].type == STORE_INT ? r->col[4].i : (int64_t)r->col[4].d;
  for (int q = 0; q < CMP_NPCT; q++)
    x->pct[q] = r->col[5 + q].type == STORE_REAL  ? r->col[5 + q].d
                : r->col[5 + q].type == STORE_INT ? (double)r->col[5 + q].i
                                                  : -1;
  return 0;
}

static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median_sorted(const double *v, size_t n) {
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One percentile of one series against its history. */
typedef struct verdict {
  int verdict;                         /* CMP_* */
  double value, median, ratio, lo, hi; /* lo..hi: the history's normal range of ratios */
  double z;                            /* log(value / median) in robust standard deviations */
  size_t runs;
  char why[80];
} verdict;

/* The median and the robust spread (1.4826 x MAD of the logs, at least the
 * histogram's resolution) of v[0..n) but v[skip] (skip = n: none). */
static void centre(const double *v, size_t n, size_t skip, double *scratch, double *median,
                   double *sigma) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (i != skip)
      scratch[k++] = v[i];
  qsort(scratch, k, sizeof *scratch, by_double);
  *median = median_sorted(scratch, k);
  for (size_t i = 0; i < k; i++)
    scratch[i] = fabs(log(scratch[i] / *median));
  qsort(scratch, k, sizeof *scratch, by_double);
  *sigma = fmax(1.4826 * median_sorted(scratch, k), 0.004);
}

/* hist[0..n): the series' percentile in the past runs; z_past[j] receives
 * how far run j lay from the others (leave-one-out), for the run-level check. */
static void judge(const double *hist, size_t n, double value, double count, double q,
                  const baseline_opts *o, verdict *v, double *z_past) {
  memset(v, 0, sizeof *v);
  v->value = value;
  v->runs = n;
  v->verdict = CMP_INCONCLUSIVE;
  if (n < BASELINE_MIN_RUNS) {
    snprintf(v->why, sizeof v->why, " (%zu runs < %d)", n, BASELINE_MIN_RUNS);
    return;
  }
  if (count < compare_min_samples(q) || value <= 0) {
    snprintf(v->why, sizeof v->why, " (n=%.0f < %.0f)", count, compare_min_samples(q));
    return;
  }
  double *scratch = malloc(n * sizeof *scratch);
  if (!scratch) {
    snprintf(v->why, sizeof v->why, " (out of memory)");
    return;
  }
  double sigma;
  centre(hist, n, n, scratch, &v->median, &sigma);
  /* The normal range: K robust deviations, widened to where each past run
   * lay from the others (so a run as extreme as one the machine already
   * produced is never a change). */
  v->lo = exp(-BASELINE_K * sigma);
  v->hi = exp(BASELINE_K * sigma);
  for (size_t j = 0; j < n; j++) {
    double m, sd;
    centre(hist, n, j, scratch, &m, &sd);
    v->lo = fmin(v->lo, hist[j] / m);
    v->hi = fmax(v->hi, hist[j] / m);
    if (z_past)
      z_past[j] = log(hist[j] / m) / sd;
  }
  free(scratch);
  v->ratio = value / v->median;
  v->z = log(v->ratio) / sigma;
  double effect = o->min_effect_pct / 100;
  if (v->ratio > v->hi && v->ratio > 1 + effect)
    v->verdict = CMP_WORSE;
  else if (v->ratio < v->lo && v->ratio < 1 / (1 + effect))
    v->verdict = CMP_BETTER;
  else
    v->verdict = CMP_SAME;
}

static int gate_of(const char *gate) {
  for (int q = 0; q < CMP_NPCT; q++) {
    char dotted[8];
    snprintf(dotted, sizeof dotted, "%s", cmp_percentiles[q]);
    char *u = strchr(dotted, '_');
    if (u)
      *u = '.';
    if (strcmp(gate, cmp_percentiles[q]) == 0 || strcmp(gate, dotted) == 0)
      return q;
  }
  return -1;
}

static const double quantile_of[CMP_NPCT] = {0.5, 0.9, 0.99, 0.999};

int baseline_compare(store *s, const hist_doc *d, const baseline_opts *o, FILE *out, FILE *err) {
  int gate = gate_of(o->gate);
  if (gate < 0) {
    fprintf(err, "lal-history: unknown gate percentile '%s' (p50, p90, p99, p99.9)\n", o->gate);
    return 2;
  }
  hq_machine m;
  int found = hq_find_machine(s, d->machine.fingerprint, &m);
  if (found < 0) {
    fprintf(err, "lal-history: %s\n", store_error(s));
    return 2;
  }
  if (!found) {
    fprintf(err, "lal-history: no history for machine %s (%s, %s): nothing to compare %s against\n",
            d->machine.fingerprint, d->machine.host, d->machine.os, o->name);
    return 2;
  }
  store_value p[3] = {sv_int(m.id), sv_text(d->hash), sv_int(o->last)};
  past_rows rows = {NULL, 0, 0, 0};
  int64_t runs = 0, newest = 0;
  if (store_query_int(s,
                      "SELECT count(*) FROM (SELECT id FROM runs WHERE machine_id = ? AND"
                      " content_hash <> ? ORDER BY start_utc DESC, id DESC LIMIT ?) t",
                      p, 3, &runs) < 0 ||
      store_query_int(s,
                      "SELECT id FROM runs WHERE machine_id = ? AND content_hash <> ?"
                      " ORDER BY start_utc DESC, id DESC LIMIT 1",
                      p, 2, &newest) < 0 ||
      store_query(s,
                  "SELECT s.workload, s.name, s.unit, x.run_id, x.count, x.p50, x.p90, x.p99,"
                  " x.p99_9 FROM results x JOIN series s ON s.id = x.series_id WHERE x.run_id IN"
                  " (SELECT id FROM runs WHERE machine_id = ? AND content_hash <> ?"
                  " ORDER BY start_utc DESC, id DESC LIMIT ?)",
                  p, 3, past_row, &rows) != 0 ||
      rows.oom) {
    fprintf(err, "lal-history: reading the history: %s\n",
            rows.oom ? "out of memory" : store_error(s));
    free(rows.rows);
    return 2;
  }
  if (runs == 0) {
    fprintf(err,
            "lal-history: %s is the first run of machine %s (%s, %s) here: nothing to compare it "
            "against yet\n",
            o->name, m.fingerprint, m.host, m.os);
    free(rows.rows);
    return 2;
  }
  fprintf(out, "%s against the last %lld runs of machine %s (%s, %s, %s)\n", o->name,
          (long long)runs, m.fingerprint, m.host, m.os, m.cpu_model);
  fprintf(out,
          "Each series: the new %s against the median of the same series in those runs, "
          "and their normal range.\n\n",
          cmp_percentiles[gate]);
  if (o->markdown) {
    fprintf(o->markdown, "### %s against the last %lld runs of %s (%s)\n\n", o->name,
            (long long)runs, m.host, m.os);
    fprintf(o->markdown,
            "| verdict | %s | history median | change | normal range | series |\n"
            "|---|---|---|---|---|---|\n",
            cmp_percentiles[gate]);
  }
  if (o->html) {
    fprintf(o->html,
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>lal-history baseline"
            "</title>\n<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
            "table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;"
            "text-align:right}td.s{text-align:left}.worse{color:#b00}.better{color:#070}"
            ".same{color:#666}</style></head><body>\n<h1>");
    html_escape(o->html, o->name);
    fprintf(o->html, " against the last %lld runs of ", (long long)runs);
    html_escape(o->html, m.host);
    fprintf(o->html,
            " (%s)</h1>\n<table class=\"baseline\"><tr><th>verdict</th><th>%s</th>"
            "<th>history median</th><th>change</th><th>normal range</th>"
            "<th class=\"s\">series</th></tr>\n",
            m.os, cmp_percentiles[gate]);
  }
  int counts[4] = {0}, regressed = 0, missing = 0, compared = 0;
  /* First every verdict, then the run-level check, then the report. */
  size_t n_runs = 0;
  int64_t *run_ids = malloc((rows.n + 1) * sizeof *run_ids);
  double *values = malloc((rows.n + 1) * sizeof *values);
  double *z_past = malloc((rows.n + 1) * sizeof *z_past);
  size_t *value_run = malloc((rows.n + 1) * sizeof *value_run);
  double *worst_past = calloc(rows.n + 1, sizeof *worst_past); /* per past run */
  verdict *gv = calloc(d->n_series + 1, sizeof *gv);
  int ok = run_ids && values && z_past && value_run && worst_past && gv;
  for (size_t r = 0; ok && r < rows.n; r++) {
    size_t k = 0;
    while (k < n_runs && run_ids[k] != rows.rows[r].run)
      k++;
    if (k == n_runs)
      run_ids[n_runs++] = rows.rows[r].run;
  }
  for (size_t k = 0; ok && k < n_runs; k++)
    worst_past[k] = -INFINITY;
  double worst_new = -INFINITY;
  for (size_t i = 0; ok && i < d->n_series; i++) {
    const hist_series *x = &d->series[i];
    size_t n = 0;
    for (size_t r = 0; r < rows.n; r++)
      if (strcmp(rows.rows[r].workload, x->workload) == 0 &&
          strcmp(rows.rows[r].name, x->name) == 0 && strcmp(rows.rows[r].unit, x->unit) == 0 &&
          rows.rows[r].pct[gate] > 0 &&
          (double)rows.rows[r].count >= compare_min_samples(quantile_of[gate])) {
        size_t k = 0;
        while (run_ids[k] != rows.rows[r].run)
          k++;
        value_run[n] = k;
        values[n++] = rows.rows[r].pct[gate];
      }
    judge(values, n, x->pct[gate], (double)x->count, quantile_of[gate], o, &gv[i], z_past);
    if (gv[i].verdict == CMP_INCONCLUSIVE)
      continue;
    worst_new = fmax(worst_new, gv[i].z);
    for (size_t j = 0; j < n; j++)
      worst_past[value_run[j]] = fmax(worst_past[value_run[j]], z_past[j]);
  }
  /* The run-level check: with S series gated, one of them lies beyond its
   * own history's extremes far more often than 1 in N + 1 runs. So the gate
   * also asks that this run's worst series (in robust deviations) be worse
   * than the worst series of every past run was, each against the others:
   * for exchangeable runs that happens with probability 1 / (N + 1), however
   * many series there are and however their noise is shaped. */
  double worst_seen = -INFINITY;
  for (size_t k = 0; ok && k < n_runs; k++)
    worst_seen = fmax(worst_seen, worst_past[k]);
  int beyond_history = worst_new > worst_seen;
  for (size_t i = 0; ok && i < d->n_series; i++) {
    const hist_series *x = &d->series[i];
    const verdict *g = &gv[i];
    counts[g->verdict]++;
    if (g->verdict != CMP_INCONCLUSIVE)
      compared++;
    int fails =
        g->verdict == CMP_WORSE && (g->ratio - 1) * 100 > o->threshold_pct && beyond_history;
    regressed += fails;
    char now[32], med[32];
    time_format(now, sizeof now, g->value, x->unit);
    time_format(med, sizeof med, g->median, x->unit);
    if (g->verdict == CMP_INCONCLUSIVE)
      fprintf(out, "  %-12s %10s %26s  %s / %s\n", "inconclusive", now, g->why + 1, x->workload,
              x->name);
    else
      fprintf(out, "  %-12s %10s vs %-10s %+7.1f %% (normal %+.1f .. %+.1f %%)%s  %s / %s\n",
              g->verdict == CMP_SAME ? "same" : cmp_verdict_names[g->verdict], now, med,
              (g->ratio - 1) * 100, (g->lo - 1) * 100, (g->hi - 1) * 100, fails ? " FAIL" : "",
              x->workload, x->name);
    static const char *const klass[4] = {"same", "better", "worse", "same"};
    if (o->markdown)
      fprintf(o->markdown, "| %s%s | %s | %s | %+.1f %% | %+.1f .. %+.1f %% | %s / %s |\n",
              cmp_verdict_names[g->verdict], fails ? " **FAIL**" : "", now,
              g->verdict == CMP_INCONCLUSIVE ? "-" : med, (g->ratio - 1) * 100, (g->lo - 1) * 100,
              (g->hi - 1) * 100, x->workload, x->name);
    if (o->html) {
      fprintf(o->html,
              "<tr class=\"%s\"><td>%s%s</td><td>%s</td><td>%s</td><td>%+.1f %%</td>"
              "<td>%+.1f .. %+.1f %%</td><td class=\"s\">",
              klass[g->verdict], cmp_verdict_names[g->verdict], fails ? " (fails the gate)" : "",
              now, med, (g->ratio - 1) * 100, (g->lo - 1) * 100, (g->hi - 1) * 100);
      html_escape(o->html, x->workload);
      fputs(" / ", o->html);
      html_escape(o->html, x->name);
      fputs("</td></tr>\n", o->html);
    }
  }
  /* A series the newest past run has and this one lacks. */
  for (size_t r = 0; ok && r < rows.n; r++) {
    if (rows.rows[r].run != newest)
      continue;
    int present = 0;
    for (size_t i = 0; i < d->n_series && !present; i++)
      present = strcmp(rows.rows[r].workload, d->series[i].workload) == 0 &&
                strcmp(rows.rows[r].name, d->series[i].name) == 0 &&
                strcmp(rows.rows[r].unit, d->series[i].unit) == 0;
    if (!present) {
      missing++;
      fprintf(out, "  %-12s %s / %s (in run %lld, not in %s)\n", "missing", rows.rows[r].workload,
              rows.rows[r].name, (long long)newest, o->name);
    }
  }
  int status = regressed || (missing && !o->allow_missing) ? 1 : compared == 0 ? 2 : 0;
  char summary[400];
  snprintf(summary, sizeof summary,
           "Gate (%s, worse by more than %.0f %%): %s. %d worse, %d better, %d the same, %d "
           "inconclusive; %d missing%s.",
           cmp_percentiles[gate], o->threshold_pct,
           status == 1   ? "FAIL"
           : status == 2 ? "nothing to gate"
                         : "pass",
           counts[CMP_WORSE], counts[CMP_BETTER], counts[CMP_SAME], counts[CMP_INCONCLUSIVE],
           missing, missing && o->allow_missing ? " (allowed)" : "");
  char extremes[200] = "";
  if (ok && compared && worst_seen > -INFINITY)
    snprintf(extremes, sizeof extremes,
             "Run-to-run: the worst series of each past run lay up to %.1f robust deviations from "
             "the others; this run's worst: %.1f%s.",
             worst_seen, worst_new,
             beyond_history ? "" : " (within what the history has seen: no gate failure)");
  fprintf(out, "\n%s\n%s\n", extremes, summary);
  if (o->markdown)
    fprintf(o->markdown, "\n%s\n", summary);
  if (o->html)
    fprintf(o->html, "</table>\n<p class=\"summary\">%s</p>\n</body></html>\n", summary);
  if (!ok) {
    fprintf(err, "lal-history: out of memory\n");
    status = 2;
  }
  free(run_ids);
  free(values);
  free(z_past);
  free(value_run);
  free(worst_past);
  free(gv);
  free(rows.rows);
  return status;
}
