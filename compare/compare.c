/* SPDX-License-Identifier: MIT */
/*
 * lal-compare: B against A, per workload series and percentile, with a
 * bootstrap confidence interval for the ratio B/A computed from the
 * histograms themselves. A quantile of n draws from a histogram is the k-th
 * order statistic, k = ceil(q n); its position in the distribution is
 * Beta(k, n - k + 1)-distributed, so one resample costs one Beta draw and one
 * inverse-CDF lookup instead of n draws (the classical order-statistic view of
 * the bootstrap of a quantile).
 */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare_html.h"
#include "compare_summary.h"
#include "compare_where.h"
#include "time_units.h"
#include "json_reader.h"

typedef struct hist {
  double *lo;  /* bucket lower bounds */
  double *cum; /* cumulative counts */
  size_t nbuckets;
  double count;
} hist;

static const char *const percentiles[] = {"p50", "p90", "p99", "p99_9"};
static const double quantiles[] = {0.50, 0.90, 0.99, 0.999};
#define NPCT 4

double compare_min_samples(double q) { return ceil(10.0 / (1.0 - q) - 1e-9); }

/* The percentile index of a --gate name: "p99_9" as in the JSON, or "p99.9". */
static int gate_index(const char *name) {
  for (int p = 0; p < NPCT; p++) {
    char dotted[8];
    snprintf(dotted, sizeof dotted, "%s", percentiles[p]);
    char *u = strchr(dotted, '_');
    if (u)
      *u = '.';
    if (strcmp(name, percentiles[p]) == 0 || strcmp(name, dotted) == 0)
      return p;
  }
  return -1;
}

/* ---- random numbers: xorshift64*, Marsaglia-Tsang gamma, beta from gammas */

static uint64_t rng_state;
static double uniform(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (double)((rng_state * UINT64_C(2685821657736338717)) >> 11) * 0x1.0p-53;
}
static double normal(void) {
  double u = uniform(), v = uniform();
  return sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(6.283185307179586 * v);
}
static double gamma_draw(double shape) { /* shape >= 1 */
  double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x = normal(), v = 1.0 + c * x;
    if (v <= 0)
      continue;
    v = v * v * v;
    double u = uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
      return d * v;
  }
}
static double beta_draw(double a, double b) {
  double x = gamma_draw(a), y = gamma_draw(b);
  return x / (x + y);
}

/* The value at cumulative position u (0..1) of the histogram. */
static double inverse_cdf(const hist *h, double u) {
  double target = u * h->count;
  size_t lo = 0, hi = h->nbuckets - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (h->cum[mid] >= target)
      hi = mid;
    else
      lo = mid + 1;
  }
  return h->lo[lo];
}

static double resampled_quantile(const hist *h, double q) {
  double k = ceil(q * h->count);
  if (k < 1)
    k = 1;
  return inverse_cdf(h, beta_draw(k, h->count - k + 1));
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int load_hist(const json_value *result, hist *h) {
  const json_value *b = json_get(result, "buckets");
  memset(h, 0, sizeof *h);
  if (!b || b->type != JSON_ARRAY || b->count == 0)
    return -1;
  /* [[lo, count], ...]: every element a pair of numbers. */
  for (size_t i = 0; i < b->count; i++)
    if (json_row_width(b, i) != 2)
      return -1;
  h->lo = malloc(b->count * sizeof *h->lo);
  h->cum = malloc(b->count * sizeof *h->cum);
  if (!h->lo || !h->cum)
    return -1;
  for (size_t i = 0; i < b->count; i++) {
    h->lo[i] = json_number_at(b, i, 0, 0);
    h->count += json_number_at(b, i, 1, 0);
    h->cum[i] = h->count;
  }
  h->nbuckets = b->count;
  return h->count > 0 ? 0 : -1;
}

static void free_hist(hist *h) {
  free(h->lo);
  free(h->cum);
}

/* Parses and checks one document; NULL with a message on err. */
static json_value *load(const char *name, const char *text, FILE *err) {
  char msg[160];
  json_value *doc = json_parse(text, msg, sizeof msg);
  if (!doc) {
    fprintf(err, "lal-compare: %s is not valid JSON: %s\n", name, msg);
    return NULL;
  }
  const char *schema = json_get_string(doc, "schema", "");
  if (strcmp(schema, "lal-bench/1") != 0) {
    fprintf(err, "lal-compare: %s has schema \"%s\"; this lal-compare reads lal-bench/1\n", name,
            schema);
    json_free(doc);
    return NULL;
  }
  const json_value *results = json_get(doc, "results");
  /* width 0: an array of values (objects), not of numbers. */
  if (!results || results->type != JSON_ARRAY || results->width != 0) {
    fprintf(err, "lal-compare: %s has no \"results\" array\n", name);
    json_free(doc);
    return NULL;
  }
  return doc;
}

static const json_value *find_series(const json_value *results, const char *workload,
                                     const char *series) {
  for (size_t i = 0; i < results->count; i++) {
    const json_value *r = &results->items[i];
    if (strcmp(json_get_string(r, "workload", ""), workload) == 0 &&
        strcmp(json_get_string(r, "series", ""), series) == 0)
      return r;
  }
  return NULL;
}

/* Two fingerprint values that are the same setting: equal text, or numbers
 * within 0.1 % (tsc_hz is calibrated each run and moves by a few ppm). */
static int env_same(const json_value *x, const json_value *y) {
  if (!x || !y || x->type != y->type)
    return 0;
  if (x->type == JSON_NUMBER)
    return fabs(x->number - y->number) <= 0.001 * fmax(fabs(x->number), fabs(y->number));
  if (x->type == JSON_STRING)
    return strcmp(x->string, y->string) == 0;
  return x->type != JSON_BOOL || x->number == y->number; /* null; nested values not compared */
}

static void env_text(const json_value *v, char *buf, size_t size) {
  if (!v)
    snprintf(buf, size, "(absent)");
  else if (v->type == JSON_STRING)
    snprintf(buf, size, "%s", v->string);
  else if (v->type == JSON_BOOL)
    snprintf(buf, size, "%s", v->number ? "true" : "false");
  else
    snprintf(buf, size, "%.17g", v->number);
}

typedef struct text_list {
  char *buf;
  size_t size, used;
} text_list;

/* Appends "<sep><text>" to t, silently stopping at its end. */
static void list_add(text_list *t, const char *text) {
  int w = snprintf(t->buf + t->used, t->size - t->used, "%s%s", t->used ? ", " : "", text);
  if (w > 0 && (size_t)w < t->size - t->used)
    t->used += (size_t)w;
}

/* The fields of two objects (a fingerprint, a series' params) in order: A's,
 * then those only B has, except `skip`. Calls fn for each with both values as
 * text ("(absent)" for a missing one) and `only`: 0 on both sides, 1 only in A,
 * 2 only in B; returns how many differ, and counts them all in *total if given. */
typedef void (*field_fn)(void *ctx, const char *key, const char *a, const char *b, int differs,
                         int only);

static int walk_fields(const json_value *oa, const json_value *ob, const char *skip, int *total,
                       field_fn fn, void *ctx) {
  int differing = 0;
  for (int side = 0; side < 2; side++) {
    const json_value *x = side ? ob : oa, *y = side ? oa : ob;
    for (size_t i = 0; x && x->type == JSON_OBJECT && i < x->count; i++) {
      const json_value *other = json_get(y, x->keys[i]);
      if ((skip && strcmp(x->keys[i], skip) == 0) || (other && side == 1))
        continue; /* present on both sides: seen in the first pass */
      char vx[200], vy[200];
      env_text(&x->items[i], vx, sizeof vx);
      env_text(other, vy, sizeof vy);
      int differs = !env_same(&x->items[i], other);
      differing += differs;
      if (total)
        ++*total;
      fn(ctx, x->keys[i], side ? vy : vx, side ? vx : vy, differs, other ? 0 : side + 1);
    }
  }
  return differing;
}

/* A `lal doctor` check ("tuning_<check>") that one side's OS does not have
 * (cstates on Linux, the power plan on Windows): not a difference between the
 * machines' settings, so all of them go on one line instead of a warning each. */
typedef struct env_ctx {
  FILE *f;
  text_list only[2]; /* tuning_* keys present on A only / B only */
  int folded;
} env_ctx;

static int one_os_check(env_ctx *e, const char *key, int only) {
  if (strncmp(key, "tuning_", 7) != 0 || only == 0)
    return 0;
  list_add(&e->only[only - 1], key + 7);
  e->folded++;
  return 1;
}

static void env_warn(void *ctx, const char *key, const char *a, const char *b, int differs,
                     int only) {
  env_ctx *e = ctx;
  if (differs && !one_os_check(e, key, only))
    fprintf(e->f, "warning: fingerprint %s differs: A %s, B %s\n", key, a, b);
}

static void env_html_row(void *ctx, const char *key, const char *a, const char *b, int differs,
                         int only) {
  env_ctx *e = ctx;
  if (!one_os_check(e, key, only))
    html_env_row(e->f, key, a, b, differs);
}

/* "N checks exist on one side only: A: cstates, smt; B: power_plan". */
static void env_folded_line(const env_ctx *e, char *line, size_t size) {
  snprintf(line, size, "%d lal doctor checks exist on one side only (another OS): A: %s; B: %s",
           e->folded, e->only[0].used ? e->only[0].buf : "none",
           e->only[1].used ? e->only[1].buf : "none");
}

/* One warning per fingerprint field that differs or exists on one side only;
 * the HTML report shows every field side by side. clock_reason is not
 * compared: it quotes this run's measurements (ppm); the choice it explains
 * is clock_source. */
static int compare_env(const json_value *a, const json_value *b, FILE *out, FILE *html) {
  const json_value *ea = json_get(a, "env"), *eb = json_get(b, "env");
  int total = 0;
  char only_a[1024], only_b[1024], line[2200];
  env_ctx e = {out, {{only_a, sizeof only_a, 0}, {only_b, sizeof only_b, 0}}, 0};
  only_a[0] = only_b[0] = '\0';
  int differing = walk_fields(ea, eb, "clock_reason", &total, env_warn, &e);
  if (e.folded) {
    env_folded_line(&e, line, sizeof line);
    fprintf(out, "note: %s\n", line);
  }
  if (html) { /* the header gives the counts, so the rows are a second pass */
    html_env_begin(html, differing - e.folded, total - e.folded);
    env_ctx h = {html, {{only_a, sizeof only_a, 0}, {only_b, sizeof only_b, 0}}, 0};
    only_a[0] = only_b[0] = '\0';
    walk_fields(ea, eb, "clock_reason", NULL, env_html_row, &h);
    if (h.folded) {
      env_folded_line(&h, line, sizeof line);
      html_env_row(html, "one OS only", line, "", 0);
    }
    html_env_end(html);
  }
  return differing;
}

/* The load a run saw: the higher of before and after (-1 if unknown). */
static void run_load(const json_value *run, double *loadavg, double *psi) {
  *loadavg = -1, *psi = -1;
  const char *const when[] = {"load_before", "load_after"};
  for (int i = 0; i < 2; i++) {
    const json_value *l = json_get(run, when[i]);
    double la = json_get_number(l, "loadavg_1min", -1),
           p = json_get_number(l, "psi_cpu_some_avg10", -1);
    *loadavg = la > *loadavg ? la : *loadavg;
    *psi = p > *psi ? p : *psi;
  }
}

/* Warnings about the runs themselves (lal-bench's "run" object): another
 * build type (a Debug harness is 2.5x slower), a materially different load
 * (one busy run alone made "42 better, 0 worse" between two runs of the same
 * build), a run stopped before the end. Returns how many. */
static int compare_runs(const json_value *a, const json_value *b, const compare_opts *opts,
                        FILE *out, FILE *html) {
  const json_value *ra = json_get(a, "run"), *rb = json_get(b, "run");
  char line[400];
  int n = 0;
  const char *ta = json_get_string(ra, "build_type", NULL),
             *tb = json_get_string(rb, "build_type", NULL);
  if (ta && tb && strcmp(ta, tb) != 0) {
    snprintf(line, sizeof line,
             "warning: build types differ: %s %s, %s %s (a Debug lal-bench measures a slower "
             "harness)",
             opts->a_name, ta, opts->b_name, tb);
    fprintf(out, "%s\n", line);
    if (html)
      html_warning(html, line);
    n++;
  }
  if (ra && rb) {
    double la, pa, lb, pb;
    run_load(ra, &la, &pa);
    run_load(rb, &lb, &pb);
    double cpus = json_get_number(json_get(a, "env"), "cpu_count", 1);
    /* Material: the load averages apart by a quarter of the CPUs (at least
     * 0.5), or PSI cpu "some" apart by 10 points. */
    int load_differs = la >= 0 && lb >= 0 && fabs(la - lb) > fmax(0.5, 0.25 * cpus);
    int psi_differs = pa >= 0 && pb >= 0 && fabs(pa - pb) > 10.0;
    if (load_differs || psi_differs) {
      snprintf(line, sizeof line,
               "warning: load differs: %s load average %.2f, PSI cpu %.1f%%; %s load average "
               "%.2f, PSI cpu %.1f%% (load alone moves every series)",
               opts->a_name, la, pa, opts->b_name, lb, pb);
      fprintf(out, "%s\n", line);
      if (html)
        html_warning(html, line);
      n++;
    }
  }
  const json_value *runs[2] = {ra, rb};
  const char *names[2] = {opts->a_name, opts->b_name};
  for (int i = 0; i < 2; i++) {
    const json_value *c = json_get(runs[i], "complete");
    if (c && c->type == JSON_BOOL && !c->number) {
      snprintf(line, sizeof line, "warning: %s is incomplete (stopped by %s)", names[i],
               json_get_string(runs[i], "interrupted_by", "a signal"));
      fprintf(out, "%s\n", line);
      if (html)
        html_warning(html, line);
      n++;
    }
  }
  return n;
}

static void param_append(void *ctx, const char *key, const char *a, const char *b, int differs,
                         int only) {
  (void)only; /* a parameter on one side only differs like any other */
  text_list *t = ctx;
  if (!differs)
    return;
  int w = snprintf(t->buf + t->used, t->size - t->used, "%s%s A %s, B %s", t->used ? "; " : "", key,
                   a, b);
  if (w > 0 && (size_t)w < t->size - t->used)
    t->used += (size_t)w;
}

/* "cpu A 1, B 0; rounds A 100, B 200" for each parameter of a series that
 * differs; 0 if none does. */
static int params_differ(const json_value *pa, const json_value *pb, char *buf, size_t size) {
  text_list t = {buf, size, 0};
  buf[0] = '\0';
  return walk_fields(pa, pb, NULL, NULL, param_append, &t);
}

typedef struct pct_row {
  double a, b, ratio, lo, hi;
  int verdict; /* VERDICT_* */
  int regressed;
} pct_row;

enum { VERDICT_SAME, VERDICT_BETTER, VERDICT_WORSE, VERDICT_INCONCLUSIVE };
static const char *const verdict_names[] = {"no significant change", "better", "worse",
                                            "inconclusive"};

/* One series: each percentile's ratio, interval and verdict, printed (and
 * written to the report as section `index`); sets *status on a gated
 * regression and *row to its summary at the gate percentile. Returns the
 * verdict at the gate percentile. */
static int compare_series(const json_value *sa, const json_value *sb, const hist *ha,
                          const hist *hb, const char *workload, const char *series,
                          const compare_opts *opts, int gate, double *ratios, FILE *out,
                          int *status, int index, summary_row *row) {
  pct_row rows[NPCT];
  double eps = opts->min_effect_pct / 100.0;
  int worst = VERDICT_SAME;
  double n = ha->count < hb->count ? ha->count : hb->count;
  char why_inconclusive[NPCT][96];
  for (int p = 0; p < NPCT; p++) {
    pct_row *r = &rows[p];
    why_inconclusive[p][0] = '\0';
    r->a = json_get_number(sa, percentiles[p], 0);
    r->b = json_get_number(sb, percentiles[p], 0);
    for (unsigned k = 0; k < opts->resamples; k++) {
      double x = resampled_quantile(ha, quantiles[p]), y = resampled_quantile(hb, quantiles[p]);
      ratios[k] = x > 0 ? y / x : (y > 0 ? INFINITY : 1.0);
    }
    qsort(ratios, opts->resamples, sizeof *ratios, cmp_double);
    r->lo = ratios[(size_t)(0.025 * opts->resamples)];
    r->hi = ratios[(size_t)(0.975 * opts->resamples)];
    r->ratio = r->a > 0 ? r->b / r->a : 1.0;
    /* The estimate is the ratio of the recorded percentiles; the resamples
     * are drawn from the bucketed histograms, whose bucket bounds can sit a
     * fraction of a percent beside them (and give a zero-width interval when
     * every draw lands in one bucket). The interval is the resampled one
     * widened to include the estimate, so it contains it by construction. */
    if (r->ratio < r->lo)
      r->lo = r->ratio;
    if (r->ratio > r->hi)
      r->hi = r->ratio;
    /* Significant: the interval clears 1 by more than the minimum effect. */
    r->verdict = r->lo > 1.0 + eps   ? VERDICT_WORSE
                 : r->hi < 1.0 - eps ? VERDICT_BETTER
                                     : VERDICT_SAME;
    double need = compare_min_samples(quantiles[p]);
    if (n < need) {
      r->verdict = VERDICT_INCONCLUSIVE;
      snprintf(why_inconclusive[p], sizeof why_inconclusive[p], " (n=%.0f < %.0f for %s)", n, need,
               percentiles[p]);
    }
    r->regressed =
        p == gate && r->verdict == VERDICT_WORSE && r->ratio > 1.0 + opts->threshold_pct / 100.0;
    if (r->regressed)
      *status = 1;
    if (r->verdict == VERDICT_WORSE || (r->verdict == VERDICT_BETTER && worst == VERDICT_SAME))
      worst = r->verdict;
    if (p == gate && r->verdict == VERDICT_INCONCLUSIVE && worst == VERDICT_SAME)
      worst = VERDICT_INCONCLUSIVE;
  }
  /* The same series may have obtained different things (a priority
   * profile: SCHED_FIFO 80 on one machine, nice -10 on another), or have
   * been run with other parameters (CPUs, rounds). */
  const char *ga = json_get_string(sa, "obtained", NULL),
             *gb = json_get_string(sb, "obtained", NULL);
  char warning[480] = "", params[480] = "", params_line[600] = "";
  if ((ga || gb) && (!ga || !gb || strcmp(ga, gb) != 0)) {
    snprintf(warning, sizeof warning, "warning: %s %s obtained differs: A %s, B %s", workload,
             series, ga ? ga : "(absent)", gb ? gb : "(absent)");
    fprintf(out, "%s\n", warning);
  }
  if (params_differ(json_get(sa, "params"), json_get(sb, "params"), params, sizeof params)) {
    snprintf(params_line, sizeof params_line, "warning: %s %s parameters differ: %s", workload,
             series, params);
    fprintf(out, "%s\n", params_line);
  }
  /* Where each run's thread woke: a "same" verdict means little if one run
   * woke on P-cores and the other on E-cores. */
  char where_a[200], where_b[200], where_line[480] = "", kinds_line[300] = "";
  double fast_a, fast_b;
  int has_a = compare_where_text(sa, where_a, sizeof where_a, &fast_a),
      has_b = compare_where_text(sb, where_b, sizeof where_b, &fast_b);
  if (has_a || has_b) {
    snprintf(where_line, sizeof where_line, "where: %s %s: A %s | B %s", workload, series,
             has_a ? where_a : "(not recorded)", has_b ? where_b : "(not recorded)");
    fprintf(out, "%s\n", where_line);
  }
  /* What the calls cost in CPU (sleep_cost): accuracy bought with spinning. */
  double cpu_a = json_get_number(sa, "cpu_pct", -1), cpu_b = json_get_number(sb, "cpu_pct", -1);
  char cpu_line[300] = "";
  if (cpu_a >= 0 || cpu_b >= 0) {
    snprintf(cpu_line, sizeof cpu_line, "cpu: %s %s: A %.1f%% | B %.1f%% of the calls' wall time",
             workload, series, cpu_a, cpu_b);
    fprintf(out, "%s\n", cpu_line);
  }
  if (fast_a >= 0 && fast_b >= 0 && fabs(fast_a - fast_b) >= 10) {
    snprintf(kinds_line, sizeof kinds_line,
             "warning: %s %s woke on other CPU kinds: A %.0f%% on the fastest kind, B %.0f%%",
             workload, series, fast_a, fast_b);
    fprintf(out, "%s\n", kinds_line);
  }
  /* Values in one scaled time unit each (the series' unit says ps or ns). */
  const char *unit = json_get_string(sb, "unit", "");
  char va[NPCT][24], vb[NPCT][24];
  for (int p = 0; p < NPCT; p++) {
    time_format(va[p], sizeof va[p], rows[p].a, unit);
    time_format(vb[p], sizeof vb[p], rows[p].b, unit);
  }
  for (int p = 0; p < NPCT; p++)
    fprintf(out, "%-22s %-36s %-6s %12s %12s %7.3f [%6.3f, %6.3f]  %s%s%s\n", workload, series,
            percentiles[p], va[p], vb[p], rows[p].ratio, rows[p].lo, rows[p].hi,
            verdict_names[rows[p].verdict], why_inconclusive[p],
            rows[p].regressed ? " (GATE: beyond the threshold)" : "");
  FILE *html = opts->html;
  if (html) {
    html_series_begin(html, index, workload, series, verdict_names[worst]);
    if (warning[0])
      html_warning(html, warning);
    if (params_line[0])
      html_warning(html, params_line);
    if (where_line[0])
      html_warning(html, where_line);
    if (cpu_line[0])
      html_warning(html, cpu_line);
    if (kinds_line[0])
      html_warning(html, kinds_line);
    html_table_begin(html);
    double pa[NPCT], pb[NPCT];
    for (int p = 0; p < NPCT; p++) {
      html_row(html, percentiles[p], va[p], vb[p], rows[p].ratio, rows[p].lo, rows[p].hi,
               verdict_names[rows[p].verdict]);
      pa[p] = rows[p].a, pb[p] = rows[p].b;
    }
    html_table_end(html);
    char title[160];
    snprintf(title, sizeof title, "%s: %s", workload, series);
    html_plot(html, title, json_get_string(sb, "unit", ""), ha->lo, ha->cum, ha->nbuckets, hb->lo,
              hb->cum, hb->nbuckets, pa, pb);
    html_series_end(html);
  }
  memset(row, 0, sizeof *row);
  snprintf(row->workload, sizeof row->workload, "%s", workload);
  snprintf(row->series, sizeof row->series, "%s", series);
  row->a = rows[gate].a, row->b = rows[gate].b;
  row->ratio = rows[gate].ratio, row->lo = rows[gate].lo, row->hi = rows[gate].hi;
  row->verdict = verdict_names[rows[gate].verdict];
  row->regressed = rows[gate].regressed;
  row->index = index;
  snprintf(row->unit, sizeof row->unit, "%s", unit);
  return rows[gate].verdict;
}

/* The first result of `workload` without a series (a set of single numbers). */
static const json_value *find_single(const json_value *results, const char *workload) {
  for (size_t i = 0; i < results->count; i++) {
    const json_value *r = &results->items[i];
    if (!json_get_string(r, "series", NULL) &&
        strcmp(json_get_string(r, "workload", ""), workload) == 0)
      return r;
  }
  return NULL;
}

/* clock_accuracy is single numbers, not a distribution: shown side by side,
 * with no interval and no verdict. */
static void compare_single_measurements(const json_value *ra, const json_value *rb, FILE *out,
                                        FILE *html) {
  static const char *const fields[] = {"drift_ppb", "backward_steps", "migrations",
                                       "calibration_us"};
  const json_value *a = find_single(ra, "clock_accuracy"), *b = find_single(rb, "clock_accuracy");
  if (!a || !b)
    return;
  char line[400];
  int used = snprintf(line, sizeof line, "%-22s", "clock_accuracy");
  for (int i = 0; i < 4 && used > 0 && (size_t)used < sizeof line; i++)
    used += snprintf(line + used, sizeof line - (size_t)used, "%s %s A %.0f, B %.0f", i ? ";" : "",
                     fields[i], json_get_number(a, fields[i], 0), json_get_number(b, fields[i], 0));
  fprintf(out, "%s\n", line);
  if (html)
    html_note(html, line);
}

/* core_to_core pairs collected for the heatmaps (p50 of each side). */
typedef struct heat_list {
  heat_cell *cells;
  size_t n, cap;
  char unit[64];
} heat_list;

static void heat_add(heat_list *h, const heat_cell *cell, const char *unit) {
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    heat_cell *grown = realloc(h->cells, cap * sizeof *grown);
    if (!grown)
      return; /* out of memory: the pair is left out of the heatmaps */
    h->cells = grown;
    h->cap = cap;
  }
  h->cells[h->n++] = *cell;
  snprintf(h->unit, sizeof h->unit, "%s", unit);
}

int compare_texts(const char *a_text, const char *b_text, const compare_opts *opts, FILE *out,
                  FILE *err) {
  json_value *a = load(opts->a_name, a_text, err), *b = a ? load(opts->b_name, b_text, err) : NULL;
  if (!a || !b) {
    json_free(a);
    return 2;
  }
  int gate = gate_index(opts->gate);
  if (gate < 0) {
    fprintf(err, "lal-compare: unknown gate percentile \"%s\" (p50, p90, p99, p99.9)\n",
            opts->gate);
    json_free(a), json_free(b);
    return 2;
  }
  rng_state = (uint64_t)opts->seed * 0x9E3779B97F4A7C15u + 1;
  if (opts->html)
    html_begin(opts->html, opts->a_name, opts->b_name);
  compare_env(a, b, out, opts->html);
  compare_runs(a, b, opts, out, opts->html);
  fprintf(out, "%-22s %-36s %-6s %12s %12s %7s %17s  %s\n", "workload", "series", "pct", "A", "B",
          "B/A", "95% CI", "verdict");
  const json_value *ra = json_get(a, "results"), *rb = json_get(b, "results");
  double *ratios = malloc(opts->resamples * sizeof *ratios);
  int status = 0, compared = 0, verdicts[4] = {0, 0, 0, 0}, missing = 0;
  summary_table sum = {NULL, 0, 0};
  heat_list heat;
  memset(&heat, 0, sizeof heat);
  char missing_list[400] = "";
  for (size_t i = 0; ratios && i < rb->count; i++) {
    const json_value *sb = &rb->items[i];
    const char *workload = json_get_string(sb, "workload", "?");
    const char *series = json_get_string(sb, "series", NULL);
    if (!series)
      continue; /* a single measurement (clock_accuracy), not a distribution */
    const json_value *sa = find_series(ra, workload, series);
    hist ha, hb;
    memset(&ha, 0, sizeof ha);
    memset(&hb, 0, sizeof hb);
    char line[200];
    if (!sa || load_hist(sa, &ha) != 0 || load_hist(sb, &hb) != 0) {
      snprintf(line, sizeof line, "%-22s %-36s %s", workload, series,
               sa ? "no usable histogram (not compared)" : "only in B (new)");
      fprintf(out, "%s\n", line);
      if (opts->html)
        html_note(opts->html, line);
      free_hist(&ha), free_hist(&hb);
      continue;
    }
    /* core_to_core pairs become cells of the report's heatmaps, not sections. */
    int ci, cj;
    int cell =
        strcmp(workload, "core_to_core") == 0 && sscanf(series, "cpu %d <-> cpu %d", &ci, &cj) == 2;
    compare_opts local = *opts;
    if (cell)
      local.html = NULL;
    summary_row row;
    int verdict = compare_series(sa, sb, &ha, &hb, workload, series, &local, gate, ratios, out,
                                 &status, compared, &row);
    if (cell) {
      row.index = -1;
      heat_cell c = {ci, cj, json_get_number(sa, "p50", 0), json_get_number(sb, "p50", 0)};
      heat_add(&heat, &c, json_get_string(sb, "unit", ""));
    }
    compared++;
    verdicts[verdict]++;
    summary_add(&sum, &row);
    free_hist(&ha), free_hist(&hb);
  }
  for (size_t i = 0; i < ra->count; i++) {
    const json_value *sa = &ra->items[i];
    if (json_get_string(sa, "series", NULL) &&
        !find_series(rb, json_get_string(sa, "workload", ""), json_get_string(sa, "series", ""))) {
      char line[200];
      snprintf(line, sizeof line, "%-22s %-36s only in A (missing from B)",
               json_get_string(sa, "workload", "?"), json_get_string(sa, "series", "?"));
      fprintf(out, "%s\n", line);
      size_t used = strlen(missing_list);
      snprintf(missing_list + used, sizeof missing_list - used, "%s%s %s", missing ? ", " : "",
               json_get_string(sa, "workload", "?"), json_get_string(sa, "series", "?"));
      missing++;
      if (opts->html)
        html_note(opts->html, line);
    }
  }
  compare_single_measurements(ra, rb, out, opts->html);
  /* A series A measured and B lost fails the gate: a workload that crashed
   * or was dropped must not pass as "no regression". */
  if (missing && !opts->allow_missing)
    status = 1;
  int inconclusive = verdicts[VERDICT_INCONCLUSIVE];
  char summary[640];
  int w = snprintf(summary, sizeof summary, "%d series compared", compared);
  if (inconclusive)
    w += snprintf(summary + w, sizeof summary - (size_t)w,
                  ", %d inconclusive at %s (fewer than %.0f samples)", inconclusive,
                  percentiles[gate], compare_min_samples(quantiles[gate]));
  if (missing)
    w += snprintf(summary + w, sizeof summary - (size_t)w, ", %d missing from B%s: %s", missing,
                  opts->allow_missing ? " (allowed)" : "", missing_list);
  const char *result = status ? "FAIL" : "pass";
  if (compared == 0 || compared == inconclusive) {
    result = "nothing to gate";
    status = 2;
  }
  snprintf(summary + w, sizeof summary - (size_t)w, "; gate: %s regression beyond %.1f%% -> %s",
           percentiles[gate], opts->threshold_pct, result);
  fprintf(out, "%s\n", summary);
  if (status == 2)
    fprintf(err, "lal-compare: %s and %s have %s: nothing was gated\n", opts->a_name, opts->b_name,
            compared == 0 ? "no series in common"
                          : "no series with enough samples for the gate percentile");
  summary_sort(&sum);
  if (opts->html)
    html_heatmaps(opts->html, heat.cells, heat.n, heat.unit);
  free(heat.cells);
  if (opts->html) {
    html_summary_begin(opts->html, percentiles[gate]);
    for (size_t i = 0; i < sum.n; i++) {
      const summary_row *r = &sum.rows[i];
      html_summary_row(opts->html, r->index, r->workload, r->series, r->ratio, r->lo, r->hi,
                       r->verdict, r->regressed);
    }
    html_summary_end(opts->html);
    html_end(opts->html, summary, status, verdicts[VERDICT_BETTER], verdicts[VERDICT_WORSE],
             verdicts[VERDICT_SAME], verdicts[VERDICT_INCONCLUSIVE], percentiles[gate]);
  }
  if (opts->markdown)
    summary_markdown(opts->markdown, &sum, opts->a_name, opts->b_name, percentiles[gate], summary);
  summary_free(&sum);
  free(ratios);
  json_free(a), json_free(b);
  return status;
}
