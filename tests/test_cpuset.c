/* SPDX-License-Identifier: MIT */
/* lal_cpuset: set operations, the cpulist parser and formatter, bad input. */
#include <string.h>

#include "lal_test.h"

static lal_cpuset from_list(const char *text) {
  lal_cpuset s;
  assert_status(LAL_OK, lal_cpuset_parse(&s, text));
  return s;
}

static void sentinel(lal_cpuset *s) { memset(s, 0xA5, sizeof *s); }

static void set_clear_isset_track_single_cpus_across_words(void **state) {
  (void)state;
  lal_cpuset s;
  assert_status(LAL_OK, lal_cpuset_zero(&s));
  const int cpus[] = {0, 1, 63, 64, 127, 128, 1000, LAL_CPUSET_MAX - 1};
  for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++) {
    assert_int_equal(lal_cpuset_isset(&s, cpus[i]), 0);
    assert_status(LAL_OK, lal_cpuset_set(&s, cpus[i]));
    assert_int_equal(lal_cpuset_isset(&s, cpus[i]), 1);
  }
  assert_int_equal(lal_cpuset_count(&s), 8);
  assert_int_equal(lal_cpuset_isset(&s, 2), 0);
  assert_status(LAL_OK, lal_cpuset_clear(&s, 64));
  assert_int_equal(lal_cpuset_isset(&s, 64), 0);
  assert_int_equal(lal_cpuset_isset(&s, 63), 1);
  assert_int_equal(lal_cpuset_count(&s), 7);
}

static void first_and_next_iterate_in_order_and_end_with_enoent(void **state) {
  (void)state;
  lal_cpuset s = from_list("3,64,65,2047");
  const int expected[] = {3, 64, 65, 2047};
  int n = 0;
  for (int c = lal_cpuset_first(&s); c >= 0; c = lal_cpuset_next(&s, c)) {
    assert_true(n < 4);
    assert_int_equal(c, expected[n++]);
  }
  assert_int_equal(n, 4);
  assert_status(LAL_ENOENT, lal_cpuset_next(&s, 2047));
  lal_cpuset empty;
  lal_cpuset_zero(&empty);
  assert_status(LAL_ENOENT, lal_cpuset_first(&empty));
  assert_int_equal(lal_cpuset_next(&s, -1), 3);
}

static void fill_sets_exactly_the_first_count_cpus(void **state) {
  (void)state;
  const int counts[] = {0, 1, 63, 64, 65, 2047, LAL_CPUSET_MAX};
  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
    lal_cpuset s;
    sentinel(&s);
    assert_status(LAL_OK, lal_cpuset_fill(&s, counts[i]));
    assert_int_equal(lal_cpuset_count(&s), counts[i]);
    if (counts[i] > 0)
      assert_int_equal(lal_cpuset_isset(&s, counts[i] - 1), 1);
    if (counts[i] < LAL_CPUSET_MAX)
      assert_int_equal(lal_cpuset_isset(&s, counts[i]), 0);
  }
}

static void and_or_andnot_equal_combine_sets_and_allow_aliasing(void **state) {
  (void)state;
  lal_cpuset a = from_list("0-7,100"), b = from_list("4-11,2000"), out;
  assert_status(LAL_OK, lal_cpuset_and(&out, &a, &b));
  lal_cpuset want = from_list("4-7");
  assert_int_equal(lal_cpuset_equal(&out, &want), 1);
  assert_status(LAL_OK, lal_cpuset_or(&out, &a, &b));
  want = from_list("0-11,100,2000");
  assert_int_equal(lal_cpuset_equal(&out, &want), 1);
  assert_status(LAL_OK, lal_cpuset_andnot(&out, &a, &b));
  want = from_list("0-3,100");
  assert_int_equal(lal_cpuset_equal(&out, &want), 1);
  assert_int_equal(lal_cpuset_equal(&a, &b), 0);
  /* out aliasing an input */
  assert_status(LAL_OK, lal_cpuset_and(&a, &a, &b));
  want = from_list("4-7");
  assert_int_equal(lal_cpuset_equal(&a, &want), 1);
}

static void set_operations_reject_null_and_out_of_range_without_change(void **state) {
  (void)state;
  lal_cpuset s = from_list("5"), before = s;
  assert_status(LAL_EINVAL, lal_cpuset_zero(NULL));
  assert_status(LAL_EINVAL, lal_cpuset_fill(NULL, 1));
  assert_status(LAL_EINVAL, lal_cpuset_fill(&s, -1));
  assert_status(LAL_EINVAL, lal_cpuset_fill(&s, LAL_CPUSET_MAX + 1));
  assert_status(LAL_EINVAL, lal_cpuset_set(NULL, 0));
  assert_status(LAL_EINVAL, lal_cpuset_set(&s, -1));
  assert_status(LAL_EINVAL, lal_cpuset_set(&s, LAL_CPUSET_MAX));
  assert_status(LAL_EINVAL, lal_cpuset_clear(NULL, 0));
  assert_status(LAL_EINVAL, lal_cpuset_clear(&s, LAL_CPUSET_MAX));
  assert_status(LAL_EINVAL, lal_cpuset_clear(&s, -5));
  assert_status(LAL_EINVAL, lal_cpuset_isset(NULL, 0));
  assert_status(LAL_EINVAL, lal_cpuset_isset(&s, LAL_CPUSET_MAX));
  assert_status(LAL_EINVAL, lal_cpuset_isset(&s, -1));
  assert_status(LAL_EINVAL, lal_cpuset_count(NULL));
  assert_status(LAL_EINVAL, lal_cpuset_first(NULL));
  assert_status(LAL_EINVAL, lal_cpuset_next(NULL, 0));
  assert_status(LAL_EINVAL, lal_cpuset_next(&s, -2));
  assert_status(LAL_EINVAL, lal_cpuset_next(&s, LAL_CPUSET_MAX));
  assert_status(LAL_EINVAL, lal_cpuset_and(NULL, &s, &s));
  assert_status(LAL_EINVAL, lal_cpuset_and(&s, NULL, &s));
  assert_status(LAL_EINVAL, lal_cpuset_or(&s, &s, NULL));
  assert_status(LAL_EINVAL, lal_cpuset_andnot(&s, NULL, &s));
  assert_status(LAL_EINVAL, lal_cpuset_equal(NULL, &s));
  assert_status(LAL_EINVAL, lal_cpuset_equal(&s, NULL));
  assert_int_equal(lal_cpuset_equal(&s, &before), 1);
}

struct parse_case {
  const char *text;
  const char *canonical;
};

static void parse_accepts_the_kernel_cpulist_syntax(void **state) {
  (void)state;
  const struct parse_case cases[] = {
      {"", ""},
      {"\n", ""},
      {"0", "0"},
      {"0-3,8,10-11", "0-3,8,10-11"},
      {"0-3,8,10-11\n", "0-3,8,10-11"},
      {"3,1,2", "1-3"},
      {"5-5", "5"},
      {"0-2,1-4", "0-4"},
      {"007", "7"},
      {"0-7:2/4", "0-1,4-5"},
      {"0-15:1/8", "0,8"},
      {"0-9:3/3", "0-9"},
      {"2047", "2047"},
      {"0-2047", "0-2047"},
      {"63-64", "63-64"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    lal_cpuset s;
    char buf[LAL_CPUSET_FORMAT_MAX];
    if (lal_cpuset_parse(&s, cases[i].text) != LAL_OK)
      fail_msg("rejected valid cpulist \"%s\"", cases[i].text);
    assert_status(LAL_OK, lal_cpuset_format(&s, buf, sizeof buf));
    assert_string_equal(buf, cases[i].canonical);
  }
}

static void parse_rejects_malformed_text_and_leaves_output_untouched(void **state) {
  (void)state;
  const char *bad[] = {
      ",",      "1,",      ",1",      "1,,2",     "1-",
      "-1",     "3-1",     " 1",      "1 ",       "1, 2",
      "1\n\n",  "\n1",     "+1",      "0x1",      "1a",
      "a",      "2048",    "0-2048",  "99999999", "99999999999999999999",
      "1-2-3",  "0-7:0/4", "0-7:5/4", "0-7:2/0",  "0-7:2",
      "0-7:/4", "0-7:2/",  "3:1/2",   "N",        "0-N",
      "1;2",    "\t1",     "1\r\n",   "0--1",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    lal_cpuset s, before;
    sentinel(&s);
    before = s;
    if (lal_cpuset_parse(&s, bad[i]) != LAL_EINVAL)
      fail_msg("accepted malformed cpulist \"%s\"", bad[i]);
    assert_memory_equal(&s, &before, sizeof s);
  }
  lal_cpuset s;
  assert_status(LAL_EINVAL, lal_cpuset_parse(NULL, "1"));
  assert_status(LAL_EINVAL, lal_cpuset_parse(&s, NULL));
}

static void format_round_trips_through_parse(void **state) {
  (void)state;
  /* A deterministic pseudo-random walk over many densities. */
  uint32_t x = 12345;
  for (int round = 0; round < 200; round++) {
    lal_cpuset s, back;
    lal_cpuset_zero(&s);
    int density = round % 16 + 1;
    for (int cpu = 0; cpu < LAL_CPUSET_MAX; cpu++) {
      x = x * 1103515245u + 12345u;
      if ((int)((x >> 16) % 16) < density)
        lal_cpuset_set(&s, cpu);
    }
    char buf[LAL_CPUSET_FORMAT_MAX];
    assert_status(LAL_OK, lal_cpuset_format(&s, buf, sizeof buf));
    assert_status(LAL_OK, lal_cpuset_parse(&back, buf));
    assert_int_equal(lal_cpuset_equal(&s, &back), 1);
  }
}

static void format_worst_case_fits_in_format_max(void **state) {
  (void)state;
  lal_cpuset pairs, singles;
  lal_cpuset_zero(&pairs);
  lal_cpuset_zero(&singles);
  for (int cpu = 0; cpu < LAL_CPUSET_MAX; cpu++) {
    if (cpu % 3 != 2)
      lal_cpuset_set(&pairs, cpu); /* "0-1,3-4,..." */
    if (cpu % 2 == 0)
      lal_cpuset_set(&singles, cpu); /* "0,2,4,..." */
  }
  char buf[LAL_CPUSET_FORMAT_MAX];
  assert_status(LAL_OK, lal_cpuset_format(&pairs, buf, sizeof buf));
  assert_true(strlen(buf) < LAL_CPUSET_FORMAT_MAX);
  assert_status(LAL_OK, lal_cpuset_format(&singles, buf, sizeof buf));
}

static void format_reports_erange_and_leaves_a_small_buffer_untouched(void **state) {
  (void)state;
  lal_cpuset s = from_list("0-3,8");
  char buf[6];
  memset(buf, 'x', sizeof buf);
  assert_status(LAL_ERANGE, lal_cpuset_format(&s, buf, 5)); /* needs 6 with the NUL */
  assert_memory_equal(buf, "xxxxxx", 6);
  assert_status(LAL_OK, lal_cpuset_format(&s, buf, 6));
  assert_string_equal(buf, "0-3,8");
  lal_cpuset empty;
  lal_cpuset_zero(&empty);
  assert_status(LAL_ERANGE, lal_cpuset_format(&empty, buf, 0));
  assert_status(LAL_OK, lal_cpuset_format(&empty, buf, 1));
  assert_string_equal(buf, "");
  assert_status(LAL_EINVAL, lal_cpuset_format(NULL, buf, sizeof buf));
  assert_status(LAL_EINVAL, lal_cpuset_format(&s, NULL, 10));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(set_clear_isset_track_single_cpus_across_words),
      cmocka_unit_test(first_and_next_iterate_in_order_and_end_with_enoent),
      cmocka_unit_test(fill_sets_exactly_the_first_count_cpus),
      cmocka_unit_test(and_or_andnot_equal_combine_sets_and_allow_aliasing),
      cmocka_unit_test(set_operations_reject_null_and_out_of_range_without_change),
      cmocka_unit_test(parse_accepts_the_kernel_cpulist_syntax),
      cmocka_unit_test(parse_rejects_malformed_text_and_leaves_output_untouched),
      cmocka_unit_test(format_round_trips_through_parse),
      cmocka_unit_test(format_worst_case_fits_in_format_max),
      cmocka_unit_test(format_reports_erange_and_leaves_a_small_buffer_untouched),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
