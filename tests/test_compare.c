/* SPDX-License-Identifier: MIT */
/*
 * lal-compare's logic on synthetic lal-bench/1 documents: equal, better and
 * worse distributions give the right verdict and exit status, the gate
 * respects its threshold and percentile, fingerprint differences warn, and
 * malformed, truncated or other-schema input is refused with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "json_reader.h"
#include "lal_test.h"

/* A document with one series whose n samples are spread over 100 buckets
 * from base to base * 1.99 (plus a slow tail at 10 x base). */
static char *doc(const char *schema, const char *os, double base, int n) {
  size_t cap = 1 << 16, used = 0;
  char *s = malloc(cap);
  used +=
      (size_t)snprintf(s + used, cap - used,
                       "{\"schema\": \"%s\", \"env\": {\"os\": \"%s\", \"cpu_count\": 2},\n"
                       " \"results\": [{\"workload\": \"w\", \"series\": \"s\", \"unit\": \"ns\", "
                       "\"count\": %d, \"buckets\": [",
                       schema, os, n);
  int body = n - n / 100; /* 1 % in the tail */
  for (int i = 0; i < 100; i++) {
    int c = body / 100 + (i < body % 100);
    used += (size_t)snprintf(s + used, cap - used, "[%.0f, %d], ", base * (1 + i / 100.0), c);
  }
  used += (size_t)snprintf(s + used, cap - used, "[%.0f, %d]]", base * 10, n / 100);
  /* the summary quantiles as lal-bench writes them */
  used += (size_t)snprintf(s + used, cap - used,
                           ", \"p50\": %.0f, \"p90\": %.0f, \"p99\": %.0f, \"p99_9\": %.0f}]}",
                           base * 1.495, base * 1.89, base * 10, base * 10);
  return s;
}

static int run(const char *a, const char *b, const char *gate, double threshold, char *out,
               size_t size) {
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.gate = gate;
  o.threshold_pct = threshold;
  o.resamples = 500;
  FILE *f = tmpfile(), *e = tmpfile();
  int rc = compare_texts(a, b, &o, f, e);
  rewind(f);
  rewind(e);
  size_t n = fread(out, 1, size - 1, f);
  n += fread(out + n, 1, size - 1 - n, e);
  out[n] = '\0';
  fclose(f);
  fclose(e);
  return rc;
}

static void equal_runs_show_no_change(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 100000),
       *b = doc("lal-bench/1", "Linux", 1000, 100000);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "p50"));
  assert_null(strstr(out, "worse"));
  assert_null(strstr(out, "better"));
  assert_null(strstr(out, "warning"));
  assert_non_null(strstr(out, "-> pass"));
  free(a), free(b);
}

static void a_slower_b_fails_the_gate(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 100000),
       *b = doc("lal-bench/1", "Linux", 1500, 100000);
  char out[8192];
  assert_int_equal(run(a, b, "p50", 10, out, sizeof out), 1);
  assert_non_null(strstr(out, "worse"));
  assert_non_null(strstr(out, "GATE"));
  assert_non_null(strstr(out, "-> FAIL"));
  /* The same 50 % regression under a 60 % threshold is reported, not gated. */
  assert_int_equal(run(a, b, "p50", 60, out, sizeof out), 0);
  assert_non_null(strstr(out, "worse"));
  /* Faster is better and never fails. */
  assert_int_equal(run(b, a, "p50", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "better"));
  free(a), free(b);
}

static void small_samples_are_not_significant(void **state) {
  (void)state;
  /* 50 samples each, 3 % apart: inside the interval, no verdict. */
  char *a = doc("lal-bench/1", "Linux", 1000, 50), *b = doc("lal-bench/1", "Linux", 1030, 50);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 1, out, sizeof out), 0);
  assert_null(strstr(out, "worse"));
  free(a), free(b);
}

static void fingerprint_differences_warn(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 10000),
       *b = doc("lal-bench/1", "Windows", 1000, 10000);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "warning: fingerprint os differs: A Linux, B Windows"));
  free(a), free(b);
}

/* d with text inserted right after the first `marker` (d is freed). */
static char *insert_after(char *d, const char *marker, const char *text) {
  const char *at = strstr(d, marker) + strlen(marker);
  size_t head = (size_t)(at - d), size = strlen(d) + strlen(text) + 1;
  char *s = malloc(size);
  snprintf(s, size, "%.*s%s%s", (int)head, d, text, at);
  free(d);
  return s;
}

/* doc() with `extra` fields added to its env object. */
static char *with_env(char *d, const char *extra) {
  char text[512];
  snprintf(text, sizeof text, ", %s", extra);
  return insert_after(d, "\"cpu_count\": 2", text);
}

static void fingerprint_compares_settings_not_readings(void **state) {
  (void)state;
  const char *base = "\"tsc_hz\": 2000000000, \"under_wine\": false, "
                     "\"clock_reason\": \"stable to 0.1 ppm\", \"tuning_smt\": \"ok: off\"";
  /* Recalibrated TSC (50 ppm), another ppm in the reason: the same machine. */
  const char *same = "\"tsc_hz\": 2000100000, \"under_wine\": false, "
                     "\"clock_reason\": \"stable to 0.4 ppm\", \"tuning_smt\": \"ok: off\"";
  /* A different TSC rate, Wine, SMT turned on, a field only on one side. */
  const char *other = "\"tsc_hz\": 2400000000, \"under_wine\": true, "
                      "\"clock_reason\": \"stable to 0.1 ppm\", \"tuning_smt\": \"warn: on\", "
                      "\"harness_cpu\": \"1\"";
  char *a = with_env(doc("lal-bench/1", "Linux", 1000, 10000), base);
  char *b = with_env(doc("lal-bench/1", "Linux", 1000, 10000), same);
  char *c = with_env(doc("lal-bench/1", "Linux", 1000, 10000), other);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "warning"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "fingerprint tsc_hz differs: A 2000000000, B 2400000000"));
  assert_non_null(strstr(out, "fingerprint under_wine differs: A false, B true"));
  assert_non_null(strstr(out, "fingerprint tuning_smt differs: A ok: off, B warn: on"));
  assert_non_null(strstr(out, "fingerprint harness_cpu differs: A (absent), B 1"));
  assert_null(strstr(out, "clock_reason"));
  free(a), free(b), free(c);
}

/* doc() whose series says what it obtained (a priority profile's result). */
static char *with_obtained(char *d, const char *obtained) {
  char text[128];
  snprintf(text, sizeof text, "\"obtained\": \"%s\", ", obtained);
  return insert_after(d, "\"unit\": \"ns\", ", text);
}

static void different_obtained_priorities_warn(void **state) {
  (void)state;
  char *a = with_obtained(doc("lal-bench/1", "Linux", 1000, 10000), "SCHED_FIFO 80");
  char *b = with_obtained(doc("lal-bench/1", "Linux", 1000, 10000), "SCHED_FIFO 80");
  char *c = with_obtained(doc("lal-bench/1", "Linux", 1000, 10000), "SCHED_OTHER nice -11");
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "obtained differs"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0);
  assert_non_null(
      strstr(out, "warning: w s obtained differs: A SCHED_FIFO 80, B SCHED_OTHER nice -11"));
  free(a), free(b), free(c);
}

static void different_parameters_warn(void **state) {
  (void)state;
  const char *unit = "\"unit\": \"ns\", ";
  char *a = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), unit,
                         "\"params\": {\"cpu\": 1, \"rounds\": 100}, ");
  char *b = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), unit,
                         "\"params\": {\"cpu\": 1, \"rounds\": 100}, ");
  char *c = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), unit,
                         "\"params\": {\"cpu\": 0, \"mechanism\": \"futex\"}, ");
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "parameters differ"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "warning: w s parameters differ: cpu A 1, B 0; rounds A 100, B "
                              "(absent); mechanism A (absent), B futex"));
  free(a), free(b), free(c);
}

/* doc() with a clock_accuracy result (single numbers) before its series. */
static char *with_accuracy(char *d, int drift_ppb, int backward) {
  char text[200];
  snprintf(text, sizeof text,
           "{\"workload\": \"clock_accuracy\", \"duration_ns\": 1000000000, "
           "\"drift_ppb\": %d, \"migrations\": 100, \"backward_steps\": %d, "
           "\"calibration_us\": 20000}, ",
           drift_ppb, backward);
  return insert_after(d, "\"results\": [", text);
}

static void single_measurements_are_shown_side_by_side(void **state) {
  (void)state;
  char *a = with_accuracy(doc("lal-bench/1", "Linux", 1000, 10000), 15, 0);
  char *b = with_accuracy(doc("lal-bench/1", "Linux", 1000, 10000), -717, 3);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "drift_ppb A 15, B -717; backward_steps A 0, B 3"));
  free(a), free(b);
}

static void bad_input_is_refused(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 1000),
       *other = doc("lal-bench/2", "Linux", 1000, 1000);
  char out[8192];
  assert_int_equal(run(a, other, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "this lal-compare reads lal-bench/1"));
  char *cut = strdup(a);
  cut[strlen(cut) / 2] = '\0'; /* truncated */
  assert_int_equal(run(cut, a, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "A is not valid JSON"));
  assert_int_equal(run(a, "{\"schema\": \"lal-bench/1\"}", "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "no \"results\" array"));
  assert_int_equal(run(a, "[1, 2,]", "p99", 10, out, sizeof out), 2);
  assert_int_equal(run(a, a, "p42", 10, out, sizeof out), 2);
  free(a), free(other), free(cut);
}

static void json_reader_handles_the_grammar(void **state) {
  (void)state;
  char err[160];
  json_value *v = json_parse(
      " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ", err, sizeof err);
  assert_non_null(v);
  const json_value *arr = json_get(v, "a");
  assert_int_equal(arr->count, 6);
  assert_true(arr->items[1].number == -2500);
  assert_string_equal(arr->items[5].string, "x\xc3\xa9\n");
  json_free(v);
  const char *bad[] = {"",    "{",          "{\"a\" 1}", "[1 2]", "\"unterminated",
                       "tru", "{\"a\":1}x", "\"\\q\"",   "01x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    assert_null(json_parse(bad[i], err, sizeof err));
    assert_non_null(strstr(err, "line 1"));
  }
  char deep[200];
  memset(deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  assert_null(json_parse(deep, err, sizeof err));
  assert_non_null(strstr(err, "nested too deeply"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(equal_runs_show_no_change),
      cmocka_unit_test(a_slower_b_fails_the_gate),
      cmocka_unit_test(small_samples_are_not_significant),
      cmocka_unit_test(fingerprint_differences_warn),
      cmocka_unit_test(fingerprint_compares_settings_not_readings),
      cmocka_unit_test(different_obtained_priorities_warn),
      cmocka_unit_test(different_parameters_warn),
      cmocka_unit_test(single_measurements_are_shown_side_by_side),
      cmocka_unit_test(bad_input_is_refused),
      cmocka_unit_test(json_reader_handles_the_grammar),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
