/* SPDX-License-Identifier: MIT */
/*
 * lal-compare's result model: everything a comparison found, computed once
 * (compare.c) and then rendered as text (compare_text.c), HTML
 * (compare_report_html.c) and Markdown (compare_summary.c). The renderers
 * compute nothing; the model holds no JSON.
 */
#ifndef LAL_COMPARE_COMPARE_MODEL_H
#define LAL_COMPARE_COMPARE_MODEL_H

#include <stddef.h>

#include "compare.h"
#include "compare_html.h"
#include "compare_stats.h"
#include "compare_summary.h"
#include "json_reader.h"

#define CMP_NPCT 4
extern const char *const cmp_percentiles[CMP_NPCT]; /* "p50", "p90", "p99", "p99_9" */

enum { CMP_SAME, CMP_BETTER, CMP_WORSE, CMP_INCONCLUSIVE };
extern const char *const cmp_verdict_names[4];

/* One fingerprint field (A's in order, then those only B has). */
typedef struct cmp_env_row {
  char key[64];
  char a[200], b[200]; /* as text; "(absent)" on the side without it */
  int differs;
  int only;   /* 0 on both sides, 1 only in A, 2 only in B */
  int folded; /* a `lal doctor` check only one OS has: on the folded line */
} cmp_env_row;

/* One percentile of a series. */
typedef struct cmp_pct {
  double a, b;                 /* the recorded percentile of each side */
  char a_text[24], b_text[24]; /* the same in the series' scaled time unit */
  double ratio, lo, hi;        /* B/A and its 95 % interval (which contains it) */
  double floor;                /* the larger side's noise floor (0.05 = 5 %) */
  int floor_measured;          /* 0: a side with one round, the default floor stood in */
  double detectable;           /* the smallest change this comparison could call */
  double rank_p;               /* the rank test across rounds, -1 when too few rounds */
  int floor_between_runs;      /* the floor is the default: A and B are separate runs */
  int verdict;                 /* CMP_* */
  int regressed;               /* the gate percentile, worse beyond the threshold */
  char why[96];                /* " (n=100 < 1000 for p99)" when inconclusive, else "" */
} cmp_pct;

/* What a result of B became: compared, or a line saying why not. */
enum { CMP_ITEM_SERIES, CMP_ITEM_NOTE };

typedef struct cmp_item {
  int kind;
  char workload[64], series[128], unit[48];
  char note[200]; /* CMP_ITEM_NOTE: "only in B (new)", "no usable histogram" line */
  /* CMP_ITEM_SERIES: */
  cmp_pct pct[CMP_NPCT];
  int worst;             /* the section's verdict */
  int heat;              /* a core_to_core pair: a heatmap cell, no section of its own */
  int index;             /* its section ("series-<index>") */
  char warnings[5][800]; /* obtained, parameters, where, cpu, CPU kinds ("" = none) */
  double *a_lo, *a_cum, *b_lo, *b_cum; /* each side's CDF, owned; NULL without --html */
  size_t a_n, b_n;
  size_t a_rounds, b_rounds;                   /* rounds with samples on each side */
  size_t a_empty_rounds, b_empty_rounds;       /* rounds without (left out) */
  char a_rounds_text[400], b_rounds_text[400]; /* each round's gate percentile */
  char spread[140];    /* "A 5: lowest-highest; B 5: ..." of the rounds at the gate */
  double cpu_a, cpu_b; /* sleep_cost: each side's CPU % of the calls' wall time, -1: none */
} cmp_item;

typedef struct cmp_model {
  const compare_opts *opts;
  int gate; /* index into cmp_percentiles */
  cmp_env_row *env;
  size_t n_env;
  int env_differing, env_total, env_folded; /* counts over env */
  char env_folded_line[2200];               /* "" when nothing was folded */
  char run_warnings[4][400];
  int n_run_warnings;
  cmp_item *items; /* B's results in order */
  size_t n_items;
  char (*missing_lines)[200]; /* series of A absent from B, one line each */
  int missing;                /* how many */
  char single_line[400];      /* clock_accuracy side by side, "" when absent */
  heat_cell *heat;
  size_t n_heat;
  char heat_unit[64];
  summary_table summary; /* one row per compared series, worst first */
  int verdicts[4];       /* compared series per CMP_* at their section verdict */
  int compared;
  char summary_line[1400];
  char noise_line[800]; /* the gate percentile's noise floors and detectable changes */
  int status;           /* the exit status: 0 pass, 1 fail, 2 nothing to gate */
  stats_rng rng;
  int version_a, version_b; /* each document's schema version */
  int same_experiment;      /* A and B are one --experiment's sides */
  char unusable[400];       /* why the input is unusable (cmp_model_build returned -2) */
} cmp_model;

/* Builds the model of B against A (parsed lal-bench/1 or /2 documents checked
 * by compare_texts). 0; -1 out of memory; -2 a series unusable on one side
 * (m->unusable says which and why; the model is freed but for that). */
int cmp_model_build(const json_value *a, const json_value *b, const compare_opts *opts, int gate,
                    cmp_model *m);
void cmp_model_free(cmp_model *m);

/* The renderers. */
void cmp_render_text(const cmp_model *m, FILE *out);
void cmp_render_html(const cmp_model *m, FILE *html);

#endif
