/* SPDX-License-Identifier: MIT */
/*
 * lal-compare: B against A, per workload series and percentile, with a
 * bootstrap confidence interval for the ratio B/A that resamples each side's
 * rounds and then the samples within them, and each side's noise floor
 * (compare_stats.h). This file computes lal-compare's result model
 * (compare_model.h); it prints nothing but the messages of unusable input.
 */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare_model.h"
#include "compare_stats.h"
#include "compare_where.h"
#include "json_reader.h"
#include "result_format.h"
#include "time_units.h"

const char *const cmp_percentiles[CMP_NPCT] = {"p50", "p90", "p99", "p99_9"};
const char *const cmp_verdict_names[4] = {"no significant change", "better", "worse",
                                          "inconclusive"};
static const double quantiles[] = {0.50, 0.90, 0.99, 0.999};
#define NPCT CMP_NPCT
#define percentiles cmp_percentiles

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

/* Parses and checks one document; NULL with a message on err. */
static json_value *load(const char *name, const char *text, FILE *err) {
  char msg[160];
  json_value *doc = json_parse(text, msg, sizeof msg);
  if (!doc) {
    fprintf(err, "lal-compare: %s is not valid JSON: %s\n", name, msg);
    return NULL;
  }
  const char *schema = json_get_string(doc, "schema", "");
  if (!result_schema_version(schema)) {
    fprintf(err,
            "lal-compare: %s has schema \"%s\"; this lal-compare reads " RESULT_SCHEMA_V1
            " and " RESULT_SCHEMA_V2 "\n",
            name, schema);
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
  /* A series twice: which one is meant? Refused, named. */
  for (size_t i = 0; i < results->count; i++) {
    const char *w = json_get_string(&results->items[i], "workload", ""),
               *s = json_get_string(&results->items[i], "series", NULL);
    for (size_t j = 0; s && j < i; j++)
      if (strcmp(json_get_string(&results->items[j], "workload", ""), w) == 0 &&
          strcmp(json_get_string(&results->items[j], "series", ""), s) == 0) {
        fprintf(err, "lal-compare: %s has the series \"%s\" \"%s\" twice\n", name, w, s);
        json_free(doc);
        return NULL;
      }
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
static int one_os_check(const char *key, int only) {
  return strncmp(key, "tuning_", 7) == 0 && only != 0;
}

typedef struct env_ctx {
  cmp_model *m;
  size_t cap;
  int failed;
} env_ctx;

static void env_row(void *ctx, const char *key, const char *a, const char *b, int differs,
                    int only) {
  env_ctx *e = ctx;
  cmp_model *m = e->m;
  if (m->n_env == e->cap) {
    size_t cap = e->cap ? 2 * e->cap : 64;
    cmp_env_row *grown = realloc(m->env, cap * sizeof *grown);
    if (!grown) {
      e->failed = 1;
      return;
    }
    m->env = grown;
    e->cap = cap;
  }
  cmp_env_row *r = &m->env[m->n_env++];
  snprintf(r->key, sizeof r->key, "%s", key);
  snprintf(r->a, sizeof r->a, "%s", a);
  snprintf(r->b, sizeof r->b, "%s", b);
  r->differs = differs;
  r->only = only;
  r->folded = differs && one_os_check(key, only);
}

/* Every fingerprint field side by side, and the line that folds the checks
 * only one OS has ("N checks exist on one side only: A: cstates; B: ...").
 * clock_reason is not compared: it quotes this run's measurements (ppm); the
 * choice it explains is clock_source. */
static int model_env(const json_value *a, const json_value *b, cmp_model *m) {
  env_ctx e = {m, 0, 0};
  m->env_differing = walk_fields(json_get(a, "env"), json_get(b, "env"), "clock_reason",
                                 &m->env_total, env_row, &e);
  if (e.failed)
    return -1;
  char only_a[1024] = "", only_b[1024] = "";
  text_list only[2] = {{only_a, sizeof only_a, 0}, {only_b, sizeof only_b, 0}};
  for (size_t i = 0; i < m->n_env; i++)
    if (m->env[i].folded) {
      list_add(&only[m->env[i].only - 1], m->env[i].key + 7);
      m->env_folded++;
    }
  if (m->env_folded)
    snprintf(m->env_folded_line, sizeof m->env_folded_line,
             "%d lal doctor checks exist on one side only (another OS): A: %s; B: %s",
             m->env_folded, only[0].used ? only_a : "none", only[1].used ? only_b : "none");
  return 0;
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

static char *next_run_warning(cmp_model *m) {
  return m->n_run_warnings < 4 ? m->run_warnings[m->n_run_warnings++] : NULL;
}

/* Warnings about the runs themselves (lal-bench's "run" object): another
 * build type (a Debug harness is 2.5x slower), a materially different load
 * (one busy run alone made "42 better, 0 worse" between two runs of the same
 * build), a run stopped before the end. */
static void model_runs(const json_value *a, const json_value *b, cmp_model *m) {
  const compare_opts *opts = m->opts;
  const json_value *ra = json_get(a, "run"), *rb = json_get(b, "run");
  const char *ta = json_get_string(ra, "build_type", NULL),
             *tb = json_get_string(rb, "build_type", NULL);
  char *w;
  if (ta && tb && strcmp(ta, tb) != 0 && (w = next_run_warning(m)) != NULL)
    snprintf(w, sizeof m->run_warnings[0],
             "warning: build types differ: %s %s, %s %s (a Debug lal-bench measures a slower "
             "harness)",
             opts->a_name, ta, opts->b_name, tb);
  if (ra && rb) {
    double la, pa, lb, pb;
    run_load(ra, &la, &pa);
    run_load(rb, &lb, &pb);
    double cpus = json_get_number(json_get(a, "env"), "cpu_count", 1);
    /* Material: the load averages apart by a quarter of the CPUs (at least
     * 0.5), or PSI cpu "some" apart by 10 points. */
    int load_differs = la >= 0 && lb >= 0 && fabs(la - lb) > fmax(0.5, 0.25 * cpus);
    int psi_differs = pa >= 0 && pb >= 0 && fabs(pa - pb) > 10.0;
    if ((load_differs || psi_differs) && (w = next_run_warning(m)) != NULL)
      snprintf(w, sizeof m->run_warnings[0],
               "warning: load differs: %s load average %.2f, PSI cpu %.1f%%; %s load average "
               "%.2f, PSI cpu %.1f%% (load alone moves every series)",
               opts->a_name, la, pa, opts->b_name, lb, pb);
  }
  const json_value *runs[2] = {ra, rb};
  const char *names[2] = {opts->a_name, opts->b_name};
  for (int i = 0; i < 2; i++) {
    const json_value *c = json_get(runs[i], "complete");
    if (c && c->type == JSON_BOOL && !c->number && (w = next_run_warning(m)) != NULL)
      snprintf(w, sizeof m->run_warnings[0], "warning: %s is incomplete (stopped by %s)", names[i],
               json_get_string(runs[i], "interrupted_by", "a signal"));
  }
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

/* "lowest-highest" of the rounds' percentile q ("12.1 us-15.3 us"). */
static void spread_text(const stats_rounds *s, double q, const char *unit, char *buf, size_t size) {
  double lo = 0, hi = 0;
  for (size_t r = 0; r < s->n; r++) {
    double v = stats_round_quantile(s, r, q);
    if (r == 0 || v < lo)
      lo = v;
    if (r == 0 || v > hi)
      hi = v;
  }
  char a[24], b[24];
  time_format(a, sizeof a, lo, unit);
  time_format(b, sizeof b, hi, unit);
  snprintf(buf, size, "%zu: %s-%s", s->n, a, b);
}

/* Each round's value of percentile q, as text, for the report. */
static void rounds_text(const stats_rounds *s, double q, const char *unit, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t r = 0; r < s->n && used + 16 < size; r++) {
    char v[24];
    time_format(v, sizeof v, stats_round_quantile(s, r, q), unit);
    int w = snprintf(buf + used, size - used, "%s%s", r ? " " : "", v);
    if (w < 0 || (size_t)w >= size - used)
      break;
    used += (size_t)w;
  }
}

/* The fewest samples a round of either side has. */
static double min_round(const stats_rounds *a, const stats_rounds *b) {
  double least = -1;
  const stats_rounds *sides[2] = {a, b};
  for (int s = 0; s < 2; s++)
    for (size_t r = 0; r < sides[s]->n; r++)
      if (least < 0 || sides[s]->count[r] < least)
        least = sides[s]->count[r];
  return least;
}

/* Each percentile's ratio, interval, noise floor and verdict. */
static void model_percentiles(const json_value *sa, const json_value *sb, const stats_rounds *ra,
                              const stats_rounds *rb, double pooled_a, double pooled_b,
                              cmp_model *m, double *scratch, cmp_item *it) {
  const compare_opts *opts = m->opts;
  double eps = opts->min_effect_pct / 100.0;
  int worst = CMP_SAME;
  double n = pooled_a < pooled_b ? pooled_a : pooled_b;
  for (int p = 0; p < NPCT; p++) {
    cmp_pct *r = &it->pct[p];
    r->why[0] = '\0';
    r->a = json_get_number(sa, percentiles[p], 0);
    r->b = json_get_number(sb, percentiles[p], 0);
    stats_ratio st;
    stats_ratio_compute(ra, rb, quantiles[p], opts->resamples, &m->rng, scratch, &st);
    r->lo = st.lo, r->hi = st.hi;
    r->ratio = r->a > 0 ? r->b / r->a : 1.0;
    /* The estimate is the ratio of the recorded (pooled) percentiles; the
     * resamples are drawn from the bucketed histograms, whose bucket bounds
     * can sit a fraction of a percent beside them (and give a zero-width
     * interval when every draw lands in one bucket). The interval is the
     * resampled one widened to include the estimate. */
    if (r->ratio < r->lo)
      r->lo = r->ratio;
    if (r->ratio > r->hi)
      r->hi = r->ratio;
    r->floor = st.floor_a > st.floor_b ? st.floor_a : st.floor_b;
    /* Two separate runs: the machine changes between runs more than within
     * one (identical runs on a 2-vCPU VM moved p99s by 20-30 % while each
     * run's rounds agreed), which no run's own rounds can show. Unless both
     * sides are one --experiment's (A B B A in one invocation), the default
     * floor is the least the floor can be. */
    if (!m->same_experiment && r->floor < stats_default_floor(quantiles[p]))
      r->floor = stats_default_floor(quantiles[p]), r->floor_between_runs = 1;
    r->floor_measured = st.floor_a_measured && st.floor_b_measured;
    /* The smallest change this comparison could call: past the floor, and
     * far enough from 1 that the interval clears the minimum effect. */
    double half = (r->hi - r->lo) / 2;
    r->detectable = eps + half > r->floor ? eps + half : r->floor;
    /* Significant: the interval clears 1 by more than the minimum effect and
     * the change is larger than what identical runs differ by. */
    /* Rounds on both sides: their ranks must agree too. Too few for a rank
     * test (2 or 3): the default floor holds, as for one round. */
    r->rank_p = -1;
    if (ra->n >= STATS_RANK_MIN_ROUNDS && rb->n >= STATS_RANK_MIN_ROUNDS) {
      r->rank_p = stats_rank_test(ra, rb, quantiles[p]);
    } else if (r->floor < stats_default_floor(quantiles[p])) {
      r->floor = stats_default_floor(quantiles[p]);
      r->floor_measured = 0;
      r->detectable = eps + half > r->floor ? eps + half : r->floor;
    }
    int ranks = r->rank_p < 0 || r->rank_p < STATS_RANK_ALPHA;
    int up = r->lo > 1.0 + eps && r->ratio - 1.0 > r->floor && ranks;
    int down = r->hi < 1.0 - eps && 1.0 / r->ratio - 1.0 > r->floor && ranks;
    r->verdict = up ? CMP_WORSE : down ? CMP_BETTER : CMP_SAME;
    double need = compare_min_samples(quantiles[p]);
    if (n < need) {
      r->verdict = CMP_INCONCLUSIVE;
      snprintf(r->why, sizeof r->why, " (n=%.0f < %.0f for %s)", n, need, percentiles[p]);
    } else if (r->rank_p >= 0 && min_round(ra, rb) < need) {
      /* Each round's percentile must rest on enough samples too, or the
       * rounds' spread is the spread of a few worst samples. */
      r->verdict = CMP_INCONCLUSIVE;
      snprintf(r->why, sizeof r->why, " (%.0f a round < %.0f for %s)", min_round(ra, rb), need,
               percentiles[p]);
    }
    r->regressed =
        p == m->gate && r->verdict == CMP_WORSE && r->ratio > 1.0 + opts->threshold_pct / 100.0;
    if (r->verdict == CMP_WORSE || (r->verdict == CMP_BETTER && worst == CMP_SAME))
      worst = r->verdict;
    if (p == m->gate && r->verdict == CMP_INCONCLUSIVE && worst == CMP_SAME)
      worst = CMP_INCONCLUSIVE;
  }
  it->worst = worst;
  /* Values in one scaled time unit each (the series' unit says ps or ns). */
  for (int p = 0; p < NPCT; p++) {
    time_format(it->pct[p].a_text, sizeof it->pct[p].a_text, it->pct[p].a, it->unit);
    time_format(it->pct[p].b_text, sizeof it->pct[p].b_text, it->pct[p].b, it->unit);
  }
  it->a_rounds = ra->n, it->b_rounds = rb->n;
  rounds_text(ra, quantiles[m->gate], it->unit, it->a_rounds_text, sizeof it->a_rounds_text);
  rounds_text(rb, quantiles[m->gate], it->unit, it->b_rounds_text, sizeof it->b_rounds_text);
  char a[64], b[64];
  spread_text(ra, quantiles[m->gate], it->unit, a, sizeof a);
  spread_text(rb, quantiles[m->gate], it->unit, b, sizeof b);
  snprintf(it->spread, sizeof it->spread, "A %s; B %s", a, b);
}

/* What else a reader must know to trust the comparison of one series. */
static void model_series_warnings(const json_value *sa, const json_value *sb, cmp_item *it) {
  const char *workload = it->workload, *series = it->series;
  /* The same series may have obtained different things (a priority
   * profile: SCHED_FIFO 80 on one machine, nice -10 on another), or have
   * been run with other parameters (CPUs, rounds). */
  const char *ga = json_get_string(sa, "obtained", NULL),
             *gb = json_get_string(sb, "obtained", NULL);
  if ((ga || gb) && (!ga || !gb || strcmp(ga, gb) != 0))
    snprintf(it->warnings[0], sizeof it->warnings[0], "warning: %s %s obtained differs: A %s, B %s",
             workload, series, ga ? ga : "(absent)", gb ? gb : "(absent)");
  char params[480];
  if (params_differ(json_get(sa, "params"), json_get(sb, "params"), params, sizeof params))
    snprintf(it->warnings[1], sizeof it->warnings[1], "warning: %s %s parameters differ: %s",
             workload, series, params);
  /* Where each run's thread woke: a "same" verdict means little if one run
   * woke on P-cores and the other on E-cores. */
  char where_a[200], where_b[200];
  double fast_a, fast_b;
  int has_a = compare_where_text(sa, where_a, sizeof where_a, &fast_a),
      has_b = compare_where_text(sb, where_b, sizeof where_b, &fast_b);
  if (has_a || has_b)
    snprintf(it->warnings[2], sizeof it->warnings[2], "where: %s %s: A %s | B %s", workload, series,
             has_a ? where_a : "(not recorded)", has_b ? where_b : "(not recorded)");
  /* What the calls cost in CPU (sleep_cost): accuracy bought with spinning. */
  double cpu_a = json_get_number(sa, "cpu_pct", -1), cpu_b = json_get_number(sb, "cpu_pct", -1);
  it->cpu_a = cpu_a, it->cpu_b = cpu_b;
  if (cpu_a >= 0 || cpu_b >= 0)
    snprintf(it->warnings[3], sizeof it->warnings[3],
             "cpu: %s %s: A %.1f%% | B %.1f%% of the calls' wall time", workload, series, cpu_a,
             cpu_b);
  if (fast_a >= 0 && fast_b >= 0 && fabs(fast_a - fast_b) >= 10)
    snprintf(it->warnings[4], sizeof it->warnings[4],
             "warning: %s %s woke on other CPU kinds: A %.0f%% on the fastest kind, B %.0f%%",
             workload, series, fast_a, fast_b);
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
static void model_single_measurements(const json_value *ra, const json_value *rb, cmp_model *m) {
  static const char *const fields[] = {"drift_ppb", "backward_steps", "migrations",
                                       "calibration_us"};
  const json_value *a = find_single(ra, "clock_accuracy"), *b = find_single(rb, "clock_accuracy");
  if (!a || !b)
    return;
  char *line = m->single_line;
  size_t size = sizeof m->single_line;
  int used = snprintf(line, size, "%-22s", "clock_accuracy");
  for (int i = 0; i < 4 && used > 0 && (size_t)used < size; i++)
    used += snprintf(line + used, size - (size_t)used, "%s %s A %.0f, B %.0f", i ? ";" : "",
                     fields[i], json_get_number(a, fields[i], 0), json_get_number(b, fields[i], 0));
}

static int heat_add(cmp_model *m, size_t *cap, const heat_cell *cell, const char *unit) {
  if (m->n_heat == *cap) {
    size_t grown_cap = *cap ? 2 * *cap : 64;
    heat_cell *grown = realloc(m->heat, grown_cap * sizeof *grown);
    if (!grown)
      return -1;
    m->heat = grown;
    *cap = grown_cap;
  }
  m->heat[m->n_heat++] = *cell;
  snprintf(m->heat_unit, sizeof m->heat_unit, "%s", unit);
  return 0;
}

/* The item for result sb of B: a compared series, or a note saying why not.
 * -1 out of memory; -2 a series unusable on either side (m->unusable). */
static int model_item(const json_value *ra, const json_value *sb, cmp_model *m, double *scratch,
                      size_t *heat_cap, cmp_item *it) {
  const char *workload = json_get_string(sb, "workload", "?");
  const char *series = json_get_string(sb, "series", "?");
  memset(it, 0, sizeof *it);
  snprintf(it->workload, sizeof it->workload, "%s", workload);
  snprintf(it->series, sizeof it->series, "%s", series);
  snprintf(it->unit, sizeof it->unit, "%s", json_get_string(sb, "unit", ""));
  const json_value *sa = find_series(ra, workload, series);
  if (!sa) {
    it->kind = CMP_ITEM_NOTE;
    snprintf(it->note, sizeof it->note, "%-22s %-36s only in B (new)", workload, series);
    return 0;
  }
  /* A series that cannot be read on either side is unusable input, not a
   * line to skip past: a corrupted result must not pass a gate. */
  result_series xa, xb;
  char why[160];
  const json_value *bad = NULL;
  const char *bad_name = NULL;
  if (result_series_load(sa, m->version_a, &xa, why, sizeof why) != 0)
    bad = sa, bad_name = m->opts->a_name;
  else if (result_series_load(sb, m->version_b, &xb, why, sizeof why) != 0) {
    bad = sb, bad_name = m->opts->b_name;
    result_series_free(&xa);
  }
  if (bad) {
    snprintf(m->unusable, sizeof m->unusable, "%s: \"%s\" \"%s\": %s", bad_name, workload, series,
             why);
    return -2;
  }
  stats_rounds ra_, rb_;
  int rc = 0;
  if (stats_rounds_build(xa.rounds, xa.n_rounds, &ra_) != 0)
    rc = -1;
  else if (stats_rounds_build(xb.rounds, xb.n_rounds, &rb_) != 0) {
    stats_rounds_free(&ra_);
    rc = -1;
  }
  if (rc != 0) {
    result_series_free(&xa), result_series_free(&xb);
    return rc;
  }
  it->kind = CMP_ITEM_SERIES;
  it->index = m->compared;
  it->a_empty_rounds = xa.empty_rounds, it->b_empty_rounds = xb.empty_rounds;
  model_percentiles(sa, sb, &ra_, &rb_, xa.pooled.count, xb.pooled.count, m, scratch, it);
  stats_rounds_free(&ra_), stats_rounds_free(&rb_);
  model_series_warnings(sa, sb, it);
  /* core_to_core pairs become cells of the report's heatmaps, not sections. */
  int ci, cj;
  it->heat =
      strcmp(workload, "core_to_core") == 0 && sscanf(series, "cpu %d <-> cpu %d", &ci, &cj) == 2;
  if (it->heat) {
    heat_cell c = {ci, cj, json_get_number(sa, "p50", 0), json_get_number(sb, "p50", 0)};
    heat_add(m, heat_cap, &c, it->unit); /* out of memory: the pair is left out */
  }
  if (!it->heat && m->opts->html) { /* the pooled CDFs go to the report's plots */
    it->a_lo = xa.pooled.lo, it->a_cum = xa.pooled.cum, it->a_n = xa.pooled.n;
    it->b_lo = xb.pooled.lo, it->b_cum = xb.pooled.cum, it->b_n = xb.pooled.n;
    memset(&xa.pooled, 0, sizeof xa.pooled);
    memset(&xb.pooled, 0, sizeof xb.pooled);
  } /* else kept only for a report: 32 bytes a bucket a side */
  result_series_free(&xa), result_series_free(&xb);
  const cmp_pct *g = &it->pct[m->gate];
  summary_row row;
  memset(&row, 0, sizeof row);
  snprintf(row.workload, sizeof row.workload, "%s", workload);
  snprintf(row.series, sizeof row.series, "%s", series);
  row.a = g->a, row.b = g->b;
  row.ratio = g->ratio, row.lo = g->lo, row.hi = g->hi;
  row.verdict = cmp_verdict_names[g->verdict];
  row.regressed = g->regressed;
  row.floor_pct = 100.0 * g->floor;
  row.floor_measured = g->floor_measured;
  row.detectable_pct = 100.0 * g->detectable;
  snprintf(row.spread, sizeof row.spread, "%s", it->spread);
  row.index = it->heat ? -1 : it->index;
  snprintf(row.unit, sizeof row.unit, "%s", it->unit);
  summary_add(&m->summary, &row); /* out of memory: the row is left out */
  if (g->regressed)
    m->status = 1;
  m->compared++;
  m->verdicts[g->verdict]++;
  return 0;
}

/* Series of A that B lacks: each a line, and the list in the summary. */
static int model_missing(const json_value *ra, const json_value *rb, cmp_model *m, char *list,
                         size_t size) {
  size_t cap = 0;
  list[0] = '\0';
  for (size_t i = 0; i < ra->count; i++) {
    const json_value *sa = &ra->items[i];
    const char *workload = json_get_string(sa, "workload", "?");
    const char *series = json_get_string(sa, "series", NULL);
    if (!series || find_series(rb, json_get_string(sa, "workload", ""), series))
      continue;
    if ((size_t)m->missing == cap) {
      size_t grown_cap = cap ? 2 * cap : 16;
      char(*grown)[200] = realloc(m->missing_lines, grown_cap * sizeof *grown);
      if (!grown)
        return -1;
      m->missing_lines = grown;
      cap = grown_cap;
    }
    snprintf(m->missing_lines[m->missing], sizeof m->missing_lines[0],
             "%-22s %-36s only in A (missing from B)", workload, series);
    size_t used = strlen(list);
    snprintf(list + used, size - used, "%s%s %s", m->missing ? ", " : "", workload, series);
    m->missing++;
  }
  return 0;
}

static int cmp_pct_value(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* How much noise the gate percentile had to see past, and how small a change
 * the comparison could call: the median over the compared series, and what
 * one-round inputs mean for the gate. */
static void noise_summary(const cmp_model *m, char *out, size_t size) {
  size_t n = m->summary.n, one_round = 0;
  if (n == 0 || size == 0)
    return;
  double *floor = malloc(n * sizeof *floor), *detect = malloc(n * sizeof *detect);
  if (!floor || !detect) {
    free(floor), free(detect);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    floor[i] = m->summary.rows[i].floor_pct;
    detect[i] = m->summary.rows[i].detectable_pct;
    one_round += !m->summary.rows[i].floor_measured;
  }
  qsort(floor, n, sizeof *floor, cmp_pct_value);
  qsort(detect, n, sizeof *detect, cmp_pct_value);
  int w = snprintf(out, size,
                   "noise at %s: median floor %.1f%%, median smallest detectable change "
                   "%.1f%%",
                   percentiles[m->gate], floor[n / 2], detect[n / 2]);
  if (one_round && w > 0 && (size_t)w < size)
    snprintf(out + w, size - (size_t)w,
             "; %zu series had one round on a side: run-to-run noise not measured there, "
             "the default floor (%.0f%% at %s) applied, so no verdict or gate failure rests on a "
             "smaller difference (lal-bench --rounds 4 or more measures it)",
             one_round, 100.0 * stats_default_floor(quantiles[m->gate]), percentiles[m->gate]);
  free(floor), free(detect);
}

int cmp_model_build(const json_value *a, const json_value *b, const compare_opts *opts, int gate,
                    cmp_model *m) {
  memset(m, 0, sizeof *m);
  m->opts = opts;
  m->gate = gate;
  stats_rng_seed(&m->rng, opts->seed);
  m->version_a = result_schema_version(json_get_string(a, "schema", ""));
  m->version_b = result_schema_version(json_get_string(b, "schema", ""));
  /* Both sides of one lal-bench --experiment: the same run, A and B rounds
   * interleaved, so the rounds see every drift of the machine. */
  const json_value *run_a = json_get(a, "run"), *run_b = json_get(b, "run");
  const char *start_a = json_get_string(run_a, "start_utc", NULL),
             *start_b = json_get_string(run_b, "start_utc", NULL),
             *cmd_a = json_get_string(run_a, "command_line", NULL),
             *cmd_b = json_get_string(run_b, "command_line", NULL);
  m->same_experiment = json_get(run_a, "experiment") && json_get(run_b, "experiment") && start_a &&
                       start_b && cmd_a && cmd_b && strcmp(start_a, start_b) == 0 &&
                       strcmp(cmd_a, cmd_b) == 0 &&
                       strcmp(json_get_string(json_get(run_a, "experiment"), "side", ""),
                              json_get_string(json_get(run_b, "experiment"), "side", "")) != 0;
  const json_value *ra = json_get(a, "results"), *rb = json_get(b, "results");
  double *ratios = malloc(2 * (size_t)opts->resamples * sizeof *ratios); /* >= 1: compare_texts */
  m->items = calloc(rb->count ? rb->count : 1, sizeof *m->items);
  char missing_list[400];
  size_t heat_cap = 0;
  int rc = ratios && m->items ? model_env(a, b, m) : -1;
  if (rc == 0)
    model_runs(a, b, m);
  for (size_t i = 0; rc == 0 && i < rb->count; i++) {
    const json_value *sb = &rb->items[i];
    if (!json_get_string(sb, "series", NULL))
      continue; /* a single measurement (clock_accuracy), not a distribution */
    rc = model_item(ra, sb, m, ratios, &heat_cap, &m->items[m->n_items]);
    m->n_items++;
  }
  if (rc == 0)
    rc = model_missing(ra, rb, m, missing_list, sizeof missing_list);
  free(ratios);
  if (rc != 0) {
    char unusable[sizeof m->unusable];
    snprintf(unusable, sizeof unusable, "%s", m->unusable);
    cmp_model_free(m);
    snprintf(m->unusable, sizeof m->unusable, "%s", unusable);
    return rc == -2 ? -2 : -1;
  }
  model_single_measurements(ra, rb, m);
  /* A series A measured and B lost fails the gate: a workload that crashed
   * or was dropped must not pass as "no regression". */
  if (m->missing && !opts->allow_missing)
    m->status = 1;
  int inconclusive = m->verdicts[CMP_INCONCLUSIVE];
  char *summary = m->summary_line;
  size_t size = sizeof m->summary_line;
  int w = snprintf(summary, size,
                   "%d series compared; at %s, B beyond the run-to-run noise: %d higher, %d lower, "
                   "%d within it",
                   m->compared, percentiles[gate], m->verdicts[CMP_WORSE], m->verdicts[CMP_BETTER],
                   m->verdicts[CMP_SAME]);
  if (inconclusive)
    w +=
        snprintf(summary + w, size - (size_t)w, ", %d inconclusive at %s (fewer than %.0f samples)",
                 inconclusive, percentiles[gate], compare_min_samples(quantiles[gate]));
  if (m->missing)
    w += snprintf(summary + w, size - (size_t)w, ", %d missing from B%s: %s", m->missing,
                  opts->allow_missing ? " (allowed)" : "", missing_list);
  const char *result = m->status ? "FAIL" : "pass";
  if (m->compared == 0 || m->compared == inconclusive) {
    result = "nothing to gate";
    m->status = 2;
  }
  w += snprintf(summary + w, size - (size_t)w, "; gate: %s regression beyond %.1f%% -> %s",
                percentiles[gate], opts->threshold_pct, result);
  noise_summary(m, m->noise_line, sizeof m->noise_line);
  summary_sort(&m->summary);
  return 0;
}

void cmp_model_free(cmp_model *m) {
  for (size_t i = 0; m->items && i < m->n_items; i++) {
    free(m->items[i].a_lo), free(m->items[i].a_cum);
    free(m->items[i].b_lo), free(m->items[i].b_cum);
  }
  free(m->items);
  free(m->env);
  free(m->missing_lines);
  free(m->heat);
  summary_free(&m->summary);
  memset(m, 0, sizeof *m);
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
  if (opts->resamples == 0) {
    fprintf(err, "lal-compare: no bootstrap resamples: no interval can be computed\n");
    json_free(a), json_free(b);
    return 2;
  }
  cmp_model m;
  int rc = cmp_model_build(a, b, opts, gate, &m);
  json_free(a), json_free(b);
  if (rc == -2) {
    fprintf(err, "lal-compare: unusable input: %s\n", m.unusable);
    return 2;
  }
  if (rc != 0) {
    fprintf(err, "lal-compare: out of memory\n");
    return 2;
  }
  cmp_render_text(&m, out);
  if (m.status == 2)
    fprintf(err, "lal-compare: %s and %s have %s: nothing was gated\n", opts->a_name, opts->b_name,
            m.compared == 0 ? "no series in common"
                            : "no series with enough samples for the gate percentile");
  if (opts->html)
    cmp_render_html(&m, opts->html);
  if (opts->markdown)
    summary_markdown(opts->markdown, &m.summary, opts->a_name, opts->b_name, percentiles[gate],
                     m.summary_line, m.noise_line);
  int status = m.status;
  cmp_model_free(&m);
  return status;
}
