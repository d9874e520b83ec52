/* SPDX-License-Identifier: MIT */
/*
 * lal_hist: recording, percentiles within the documented 0.8 %, merge (all or
 * nothing), reset, bad input, and lal_hist_write_json producing a lal-bench/1
 * document that lal-compare compares like a lal-bench run.
 */
#include <math.h>
#include <string.h>

#include "lal_test.h"

#ifdef LAL_TEST_WITH_COMPARE
#  include "compare.h"
#endif

static void records_and_reports_percentiles(void **state) {
  (void)state;
  lal_hist *h = NULL;
  assert_status(LAL_OK, lal_hist_create(&h));
  assert_int_equal(lal_hist_value_at(h, 50), 0); /* empty */
  for (uint64_t v = 1; v <= 100000; v++)
    lal_hist_record(h, v * 1000); /* 1 us .. 100 ms, uniform */
  assert_int_equal(h->count, 100000);
  assert_int_equal(h->min, 1000);
  assert_int_equal(h->max, 100000000);
  const double pct[] = {0, 50, 90, 99, 99.9, 100};
  for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
    double want = pct[i] == 0 ? 1000 : pct[i] / 100 * 100000000;
    double got = (double)lal_hist_value_at(h, pct[i]);
    if (fabs(got - want) > 0.008 * want + 1000)
      fail_msg("p%g: %.0f, expected %.0f within 0.8 %%", pct[i], got, want);
  }
  lal_hist_record(h, UINT64_MAX); /* beyond 2^40: the last bucket, max exact */
  assert_true(h->max == UINT64_MAX);
  assert_true(lal_hist_value_at(h, 100) == UINT64_MAX);
  assert_status(LAL_OK, lal_hist_reset(h));
  assert_int_equal(h->count, 0);
  lal_hist_free(h);
  lal_hist_free(NULL);
}

static void bad_input(void **state) {
  (void)state;
  lal_hist *h = NULL, *g = NULL;
  assert_status(LAL_EINVAL, lal_hist_create(NULL));
  assert_status(LAL_OK, lal_hist_create(&h));
  lal_hist_record(h, 5);
  assert_int_equal(lal_hist_value_at(NULL, 50), 0);
  assert_int_equal(lal_hist_value_at(h, -1), 0);
  assert_int_equal(lal_hist_value_at(h, 100.5), 0);
  assert_int_equal(lal_hist_value_at(h, NAN), 0);
  assert_status(LAL_EINVAL, lal_hist_merge(NULL, h));
  assert_status(LAL_EINVAL, lal_hist_merge(h, NULL));
  assert_status(LAL_EINVAL, lal_hist_merge(h, h));
  assert_status(LAL_EINVAL, lal_hist_reset(NULL));
  assert_int_equal(lal_hist_bucket_low(LAL_HIST_BUCKETS), 0);
  lal_hist_series s = {"w", "s", "ns", h};
  assert_status(LAL_EINVAL, lal_hist_write_json(NULL, &s, 1));
  assert_status(LAL_EINVAL, lal_hist_write_json("x.json", NULL, 1));
  assert_status(LAL_EINVAL, lal_hist_write_json("x.json", &s, 0));
  s.hist = NULL;
  assert_status(LAL_EINVAL, lal_hist_write_json("x.json", &s, 1));
  /* A merge that would overflow a bucket changes nothing. */
  assert_status(LAL_OK, lal_hist_create(&g));
  h->buckets[3] = UINT32_MAX - 1;
  g->buckets[3] = 2;
  g->buckets[4] = 7;
  g->count = 9;
  assert_status(LAL_ERANGE, lal_hist_merge(h, g));
  assert_int_equal(h->buckets[4], 0);
  assert_int_equal(h->count, 1);
  lal_hist_free(h);
  lal_hist_free(g);
}

static void one_histogram_per_thread_then_merge(void **state) {
  (void)state;
  lal_hist *a = NULL, *b = NULL;
  assert_status(LAL_OK, lal_hist_create(&a));
  assert_status(LAL_OK, lal_hist_create(&b));
  for (uint64_t v = 0; v < 1000; v++) {
    lal_hist_record(a, 100 + v);
    lal_hist_record(b, 10000 + v);
  }
  assert_status(LAL_OK, lal_hist_merge(a, b));
  assert_int_equal(a->count, 2000);
  assert_int_equal(a->min, 100);
  assert_int_equal(a->max, 10999);
  assert_true(lal_hist_value_at(a, 25) < 1100);
  assert_true(lal_hist_value_at(a, 75) > 10000);
  lal_hist_free(a);
  lal_hist_free(b);
}

static char *slurp(const char *path) {
  FILE *f = lal_test_fopen(path, "rb");
  if (!f)
    return NULL;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void written_document_reads_as_a_lal_bench_run(void **state) {
  (void)state;
  lal_hist *frame = NULL, *audio = NULL;
  assert_status(LAL_OK, lal_hist_create(&frame));
  assert_status(LAL_OK, lal_hist_create(&audio));
  for (uint64_t i = 0; i < 5000; i++) {
    lal_hist_record(frame, 20000 + (i * 7919) % 400000);
    lal_hist_record(audio, 1000 + (i * 104729) % 50000);
  }
  lal_hist_series s[] = {{"frame", "lateness, \"release\" build \xff", "ns late", frame},
                         {"audio_callback", "lateness", "ns late", audio}};
  const char *path = "lal-hist-test.json";
  remove(path);
  assert_status(LAL_OK, lal_hist_write_json(path, s, 2));
  assert_status(LAL_OK, lal_hist_write_json(path, s, 2)); /* replaces the previous one */
  const char *text = slurp(path);
  assert_non_null(text);
  assert_non_null(strstr(text, "\"schema\": \"lal-bench/1\""));
  assert_non_null(strstr(text, "\"workload\": \"audio_callback\""));
  assert_non_null(strstr(text, "\\\"release\\\" build \\ufffd")); /* escaped, always UTF-8 */
  assert_non_null(strstr(text, "\"buckets\": [["));
#ifdef LAL_TEST_WITH_COMPARE
  /* lal-compare reads it as it reads lal-bench's output. */
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.resamples = 200;
  o.gate = "p90";
  char *copy = strdup(text);
  FILE *out = tmpfile();
  assert_int_equal(compare_texts(copy, copy, &o, out, out), 0);
  rewind(out);
  static char report[16384];
  report[fread(report, 1, sizeof report - 1, out)] = '\0';
  fclose(out);
  assert_non_null(strstr(report, "2 series compared"));
  free(copy);
#endif
  remove(path);
  lal_hist_free(frame);
  lal_hist_free(audio);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(records_and_reports_percentiles),
      cmocka_unit_test(bad_input),
      cmocka_unit_test(one_histogram_per_thread_then_merge),
      cmocka_unit_test(written_document_reads_as_a_lal_bench_run),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
