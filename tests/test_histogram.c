/* SPDX-License-Identifier: MIT */
/* lal-bench's log-linear histogram: bucket bounds and quantiles. */
#include "lal_test.h"
#include "histogram.h"

static void every_value_lands_in_a_bucket_within_one_percent(void **state) {
  (void)state;
  for (uint64_t v = 0; v < UINT64_C(1) << 40; v = v < 1000 ? v + 1 : v + v / 997) {
    unsigned i = hist_index(v);
    uint64_t lo = hist_bucket_low(i), hi = hist_bucket_low(i + 1);
    if (v < lo || v >= hi)
      fail_msg("%llu outside bucket %u [%llu, %llu)", (unsigned long long)v, i,
               (unsigned long long)lo, (unsigned long long)hi);
    assert_true((double)(hi - lo) <= 0.01 * (double)lo + 1.0);
  }
}

static void quantiles_of_a_uniform_sample(void **state) {
  (void)state;
  static histogram h;
  hist_init(&h);
  for (uint64_t v = 1; v <= 100000; v++)
    hist_record(&h, v * 10);
  assert_true(h.count == 100000 && h.min == 10 && h.max == 1000000);
  uint64_t p50 = hist_quantile(&h, 0.5), p99 = hist_quantile(&h, 0.99);
  assert_true(p50 > 495000 && p50 < 505000);
  assert_true(p99 > 980000 && p99 < 1000000);
  assert_true(hist_quantile(&h, 1.0) == 1000000);
  assert_true(hist_quantile(&h, 0.0) == 10);
  histogram empty;
  hist_init(&empty);
  assert_true(hist_quantile(&empty, 0.5) == 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_value_lands_in_a_bucket_within_one_percent),
      cmocka_unit_test(quantiles_of_a_uniform_sample),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
