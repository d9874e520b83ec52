/* SPDX-License-Identifier: MIT */
/*
 * lal-compare's statistics on synthetic lal-bench/2 documents with a known
 * truth, seeded: each round's samples come from one distribution scaled by
 * a round factor (the run-to-run noise a busy machine adds), so identical
 * sides must be called unchanged (A/A) and a known slowdown must be caught
 * (power). Also the edges: one round, rounds of unequal counts, a round with
 * no sample.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_stats.h"
#include "json_writer.h"
#include "lal_test.h"
#include "result_format.h"

static uint64_t rng;
static double uniform(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * UINT64_C(2685821657736338717)) >> 11) * 0x1.0p-53 + 1e-12;
}
static double normal(void) {
  return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

typedef struct side {
  int rounds;
  int per_round[16];  /* samples in each round (0: an empty round) */
  double between;     /* sd of the rounds' log scale: run-to-run noise */
  double slowdown;    /* every sample x (1 + slowdown) */
  double tail_factor; /* the slowest 2 % of samples also x this (1: none) */
  int hiccup_round;   /* this round (from 1) has 5 % of its samples x 20: a host hiccup */
  char experiment;    /* 'A' or 'B': one --experiment's side (no between-run floor), or 0 */
} side;

/* One series "w" "s": 50 us x lognormal(0.25), 2 % of samples in a tail at
 * 3 to 6 x, each round scaled by exp(between x N(0, 1)). */
static char *synthetic(const side *sd) {
  static lal_hist round_h[16], pooled;
  lal_hist_reset(&pooled);
  for (int r = 0; r < sd->rounds; r++) {
    lal_hist_reset(&round_h[r]);
    double scale = exp(sd->between * normal()) * (1.0 + sd->slowdown);
    for (int i = 0; i < sd->per_round[r]; i++) {
      double v = 50000.0 * exp(0.25 * normal());
      if (uniform() < 0.02)
        v *= (3.0 + 3.0 * uniform()) * sd->tail_factor;
      if (sd->hiccup_round == r + 1 && uniform() < 0.05)
        v *= 20.0;
      lal_hist_record(&round_h[r], (uint64_t)(v * scale));
    }
    lal_hist_merge(&pooled, &round_h[r]);
  }
  FILE *f = tmpfile();
  json_writer jw;
  json_init(&jw, f);
  json_object_begin(&jw, NULL);
  json_string(&jw, "schema", RESULT_SCHEMA_V2);
  json_object_begin(&jw, "env");
  json_string(&jw, "os", "Linux");
  json_object_end(&jw);
  json_array_begin(&jw, "results");
  json_object_begin(&jw, NULL);
  json_string(&jw, "workload", "w");
  json_string(&jw, "series", "s");
  json_string(&jw, "unit", "ns");
  result_write_distribution(&jw, &pooled);
  json_array_begin(&jw, "rounds");
  for (int r = 0; r < sd->rounds; r++) {
    json_object_begin(&jw, NULL);
    json_int(&jw, "round", r + 1);
    result_write_distribution(&jw, &round_h[r]);
    json_object_end(&jw);
  }
  json_array_end(&jw);
  json_object_end(&jw);
  json_array_end(&jw);
  if (sd->experiment) {
    char name[2] = {sd->experiment, '\0'};
    json_object_begin(&jw, "run");
    json_string(&jw, "start_utc", "2026-12-07T10:00:00Z");
    json_string(&jw, "command_line", "lal-bench --experiment");
    json_object_begin(&jw, "experiment");
    json_string(&jw, "side", name);
    json_object_end(&jw);
    json_object_end(&jw);
  }
  json_object_end(&jw);
  json_finish(&jw);
  long n = ftell(f);
  char *text = malloc((size_t)n + 1);
  rewind(f);
  text[fread(text, 1, (size_t)n, f)] = '\0';
  fclose(f);
  return text;
}

/* Compares B against A; the verdict of each percentile (p50..p99.9) counted
 * into verdicts[], the exit status returned. */
static int compare(const char *a, const char *b, const char *gate, int verdicts[4], char *out,
                   size_t size) {
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.gate = gate;
  o.resamples = 400;
  FILE *f = tmpfile(), *e = tmpfile();
  int rc = compare_texts(a, b, &o, f, e);
  rewind(f);
  size_t n = fread(out, 1, size - 1, f);
  rewind(e);
  n += fread(out + n, 1, size - 1 - n, e);
  out[n] = '\0';
  fclose(f), fclose(e);
  const char *names[4] = {"no significant change", "better", "worse", "inconclusive"};
  for (char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    if (strncmp(line, "w ", 2) != 0)
      continue;
    char *eol = strchr(line, '\n');
    for (int v = 3; v >= 0; v--) { /* "no significant change" contains none of the others */
      char *at = strstr(line, names[v]);
      if (at && (!eol || at < eol)) {
        verdicts[v]++;
        break;
      }
    }
  }
  return rc;
}

/* The verdict on the series' line for percentile pct ("p50"), as an index
 * into the names of compare(), -1 if absent. */
static int verdict_at(const char *out, const char *pct) {
  const char *names[4] = {"no significant change", "better", "worse", "inconclusive"};
  char key[16];
  snprintf(key, sizeof key, " %s ", pct);
  for (const char *line = out; line && *line;
       line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    const char *eol = strchr(line, '\n');
    const char *at = strstr(line, key);
    if (strncmp(line, "w ", 2) != 0 || !at || (eol && at > eol))
      continue;
    for (int v = 3; v >= 0; v--) {
      const char *n = strstr(line, names[v]);
      if (n && (!eol || n < eol))
        return v;
    }
  }
  return -1;
}

/* The rate tests run ~130 comparisons: natively and under the sanitizers;
 * valgrind (50x slower) checks memory with the two small tests instead. */
#define SKIP_UNDER_VALGRIND()                                                                      \
  do {                                                                                             \
    if (lal_test_under_valgrind())                                                                 \
      LAL_SKIP("a rate over many seeds: run natively and under ASan; valgrind checks memory "      \
               "with the small tests of this file");                                               \
  } while (0)

static side five_rounds(double between, double slowdown) {
  side s = {5, {8000, 8000, 8000, 8000, 8000}, between, slowdown, 1.0, 0, 0};
  return s;
}

/* A/A: identical sides with run-to-run noise between rounds (8 % sd) are
 * called unchanged: across 40 seeds, at most 5 % of series-percentiles get
 * a verdict of better or worse, and the p99 gate fails at most 2 times. */
static void identical_sides_are_unchanged(void **state) {
  (void)state;
  SKIP_UNDER_VALGRIND();
  int verdicts[4] = {0}, gate_failures = 0;
  char out[16384];
  for (uint64_t seed = 1; seed <= 40; seed++) {
    rng = seed * 7919;
    side s = five_rounds(0.08, 0);
    char *a = synthetic(&s), *b = synthetic(&s);
    gate_failures += compare(a, b, "p99", verdicts, out, sizeof out) == 1;
    free(a), free(b);
  }
  int called = verdicts[1] + verdicts[2], total = verdicts[0] + called + verdicts[3];
  print_message("A/A: %d of %d series-percentiles called better/worse, %d gate failures\n", called,
                total, gate_failures);
  assert_int_equal(total, 40 * 4);
  assert_true(called * 20 <= total);
  assert_true(gate_failures <= 2);
}

/* Without rounds the same noise fools a one-round comparison unless the
 * default floor holds it back: one-round A/A pairs may not fail the gate
 * more often either. */
static void one_round_sides_rest_on_the_default_floor(void **state) {
  (void)state;
  SKIP_UNDER_VALGRIND();
  int verdicts[4] = {0}, gate_failures = 0;
  char out[16384];
  for (uint64_t seed = 1; seed <= 30; seed++) {
    rng = seed * 104729;
    side s = {1, {40000}, 0.08, 0, 1.0, 0, 0};
    char *a = synthetic(&s), *b = synthetic(&s);
    gate_failures += compare(a, b, "p99", verdicts, out, sizeof out) == 1;
    free(a), free(b);
  }
  assert_true(gate_failures <= 2);
  assert_non_null(strstr(out, "one round on a side: run-to-run noise not measured"));
  assert_non_null(strstr(out, "* "));
  /* A difference far beyond the default floor still fails the gate. */
  rng = 99;
  side a1 = {1, {40000}, 0.02, 0, 1.0, 0, 0}, b1 = {1, {40000}, 0.02, 1.0, 1.0, 0, 0};
  char *a = synthetic(&a1), *b = synthetic(&b1);
  int v[4] = {0};
  assert_int_equal(compare(a, b, "p99", v, out, sizeof out), 1);
  free(a), free(b);
}

/* Power, inside one experiment (A B B A rounds: no between-run floor): +25 %
 * at every percentile fails the p99 gate in at least 18 of 20 seeds, and
 * +10 % is called worse at p50 in at least 16 of 20 (5 rounds of 8000
 * samples, 2-3 % noise between rounds on each side). Between two separate
 * runs the default floor (30 % at p99, 10 % at p50) holds most such changes
 * back: identical runs on a small VM differ that much. */
static void known_slowdowns_are_caught(void **state) {
  (void)state;
  SKIP_UNDER_VALGRIND();
  char out[16384];
  int caught99 = 0, caught50 = 0, separate99 = 0;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    rng = seed * 15485863;
    side sa = five_rounds(0.03, 0), sb = five_rounds(0.03, 0.25);
    sa.experiment = 'A', sb.experiment = 'B';
    char *a = synthetic(&sa), *b = synthetic(&sb);
    int v[4] = {0};
    caught99 += compare(a, b, "p99", v, out, sizeof out) == 1;
    free(a), free(b);
    /* The same pair as two separate runs: held back by the default floor. */
    sa.experiment = sb.experiment = 0;
    a = synthetic(&sa), b = synthetic(&sb);
    int u[4] = {0};
    separate99 += compare(a, b, "p99", u, out, sizeof out) == 1;
    free(a), free(b);
    side sc = five_rounds(0.02, 0), sd = five_rounds(0.02, 0.10);
    sc.experiment = 'A', sd.experiment = 'B';
    a = synthetic(&sc), b = synthetic(&sd);
    int w[4] = {0};
    compare(a, b, "p50", w, out, sizeof out);
    caught50 += verdict_at(out, "p50") == 2; /* worse (the gate's 10 % threshold aside) */
    free(a), free(b);
  }
  print_message("power: +25 %% at p99 caught %d/20 (as two separate runs %d/20), +10 %% at p50 "
                "caught %d/20\n",
                caught99, separate99, caught50);
  assert_true(caught99 >= 18);
  assert_true(caught50 >= 16);
  assert_true(separate99 <= 6); /* a +25 % change under a 30 % floor: rarely called */
  assert_non_null(strstr(out, "^ "));
}

/* One round of B hit by a host hiccup (5 % of its samples 20x late) moves
 * B's pooled p99 by an order of magnitude; it is one round of five, not a
 * regression: B's own floor (its rounds resampled) and the rank test across
 * rounds each hold it back, and the gate passes. The rank test itself: five
 * rounds all above five gives p = 2/252. */
static void one_unlucky_round_is_not_a_regression(void **state) {
  (void)state;
  int failures = 0;
  char out[16384];
  for (uint64_t seed = 1; seed <= 10; seed++) {
    rng = seed * 31337;
    side sa = five_rounds(0.03, 0), sb = five_rounds(0.03, 0);
    sb.hiccup_round = 3;
    char *a = synthetic(&sa), *b = synthetic(&sb);
    int v[4] = {0};
    failures += compare(a, b, "p99", v, out, sizeof out) == 1;
    free(a), free(b);
  }
  assert_int_equal(failures, 0);
  assert_non_null(strstr(out, "rank test p="));

  result_hist r[10];
  double lo[10][1],
      cum[10][1] = {{100}, {100}, {100}, {100}, {100}, {100}, {100}, {100}, {100}, {100}};
  for (int i = 0; i < 10; i++) {
    lo[i][0] = 1000 + 100 * i; /* rounds 5..9 all above rounds 0..4 */
    r[i] = (result_hist){lo[i], cum[i], 1, 100};
  }
  stats_rounds a, b;
  assert_int_equal(stats_rounds_build(r, 5, &a), 0);
  assert_int_equal(stats_rounds_build(r + 5, 5, &b), 0);
  assert_true(fabs(stats_rank_test(&a, &b, 0.5) - 2.0 / 252) < 1e-9);
  assert_true(stats_rank_test(&a, &a, 0.5) > 0.9);
  stats_rounds_free(&a);
  stats_rounds_free(&b);
}

/* Rounds of unequal counts and a round with no sample: compared, the empty
 * round left out and said so; the report lists each round's percentile. */
static void unequal_and_empty_rounds(void **state) {
  (void)state;
  rng = 5;
  side sa = {4, {20000, 3000, 9000, 0}, 0.03, 0, 1.0, 0, 0},
       sb = {3, {5000, 15000, 8000}, 0.03, 0, 1.0, 0, 0};
  char *a = synthetic(&sa), *b = synthetic(&sb);
  char out[16384];
  int v[4] = {0};
  assert_int_equal(compare(a, b, "p90", v, out, sizeof out), 0);
  assert_non_null(strstr(out, "rounds at p90: A 3 ["));
  assert_non_null(strstr(out, "(+ empty)"));
  assert_non_null(strstr(out, "| B 3 ["));
  free(a), free(b);
  /* Rounds of 300 samples: each round's p99 is its 3rd worst sample; with
   * rounds enough for the rank test, the percentile is inconclusive. */
  side sc = {5, {300, 300, 300, 300, 300}, 0.03, 0, 1.0, 0, 'A'};
  side sd = {5, {300, 300, 300, 300, 300}, 0.03, 1.0, 1.0, 0, 'B'};
  a = synthetic(&sc), b = synthetic(&sd);
  assert_int_equal(compare(a, b, "p99", v, out, sizeof out), 2);
  assert_non_null(strstr(out, "(300 a round < 1000 for p99)"));
  free(a), free(b);
}

/* The two-level resample on its own: one round reduces to the order
 * statistic of that round; rounds far apart widen the spread of the
 * resampled quantile. */
static void resampling_sees_the_rounds(void **state) {
  (void)state;
  result_hist r[2];
  double lo0[] = {100, 200}, cum0[] = {50, 100}, lo1[] = {1000, 2000}, cum1[] = {50, 100};
  r[0] = (result_hist){lo0, cum0, 2, 100};
  r[1] = (result_hist){lo1, cum1, 2, 100};
  stats_rounds one, two;
  assert_int_equal(stats_rounds_build(r, 1, &one), 0);
  assert_int_equal(stats_rounds_build(r, 2, &two), 0);
  assert_true(one.g == 2 && two.g == 4);
  assert_true(stats_round_quantile(&two, 1, 0.5) == 1000);
  stats_rng g;
  stats_rng_seed(&g, 1);
  size_t idx[2];
  int low = 0, high = 0;
  for (int k = 0; k < 400; k++) {
    double v = stats_resample_quantile(&two, 0.25, &g, idx);
    low += v <= 200, high += v >= 1000;
    double w = stats_resample_quantile(&one, 0.25, &g, idx);
    assert_true(w == 100 || w == 200);
  }
  /* Both rounds drawn twice the same way happen a quarter of the time each. */
  assert_true(low > 40 && high > 40);
  stats_rounds_free(&one);
  stats_rounds_free(&two);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(resampling_sees_the_rounds),
      cmocka_unit_test(identical_sides_are_unchanged),
      cmocka_unit_test(one_round_sides_rest_on_the_default_floor),
      cmocka_unit_test(known_slowdowns_are_caught),
      cmocka_unit_test(unequal_and_empty_rounds),
      cmocka_unit_test(one_unlucky_round_is_not_a_regression),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
