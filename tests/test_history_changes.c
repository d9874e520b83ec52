/* SPDX-License-Identifier: MIT */
/*
 * lal-history's change points (history/changes.h) on synthetic histories of
 * known shape: a known shift is found where it is, pure noise and a single
 * wild run raise no alarm, an immaterial shift is not reported, several
 * shifts are each found, and the false-alarm rate over many noise histories
 * stays within one per 1,000 runs.
 */
#include <math.h>
#include <stdlib.h>

#include "changes.h"
#include "lal_test.h"

static uint64_t state;
static double uniform(void) {
  state = state * 6364136223846793005u + 1442695040888963407u;
  return ((double)(state >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
static double normal(void) {
  return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static void noise(double *x, size_t n, double sigma) {
  for (size_t i = 0; i < n; i++)
    x[i] = 1000 * exp(sigma * normal());
}

static void shift_found_where_it_is(void **unused) {
  (void)unused;
  double x[200];
  change_point cps[8];
  int near = 0;
  state = 1;
  for (int h = 0; h < 100; h++) {
    noise(x, 200, 0.03);
    for (size_t i = 120; i < 200; i++)
      x[i] *= 1.25;
    int n = changes_find(x, 200, 0.05, cps, 8);
    for (int c = 0; c < n; c++)
      if (labs((long)cps[c].index - 120) <= 3) {
        near++;
        assert_true(cps[c].after / cps[c].before > 1.15);
        break;
      }
  }
  assert_true(near >= 90); /* at least 90 % within 3 runs */
}

static void noise_raises_no_alarm(void **unused) {
  (void)unused;
  static double x[1000];
  change_point cps[16];
  long alarms = 0;
  state = 2;
  for (int h = 0; h < 200; h++) {
    noise(x, 1000, 0.2);
    alarms += changes_find(x, 1000, 0.05, cps, 16);
  }
  /* 200,000 runs: at most one alarm per 1,000 runs is 200. */
  assert_true(alarms <= 200);
}

static void one_wild_run_is_not_a_change(void **unused) {
  (void)unused;
  double x[100];
  change_point cps[4];
  state = 3;
  noise(x, 100, 0.02);
  x[50] *= 20; /* a host hiccup in one run */
  assert_int_equal(0, changes_find(x, 100, 0.05, cps, 4));
}

static void immaterial_shift_is_not_reported(void **unused) {
  (void)unused;
  double x[400];
  change_point cps[4];
  state = 4;
  noise(x, 400, 0.002);
  for (size_t i = 200; i < 400; i++)
    x[i] *= 1.02; /* real (z is huge) but below the 5 % minimum effect */
  assert_int_equal(0, changes_find(x, 400, 0.05, cps, 4));
}

static void each_of_several_shifts_is_found(void **unused) {
  (void)unused;
  double x[300];
  change_point cps[8];
  state = 5;
  noise(x, 300, 0.02);
  for (size_t i = 100; i < 300; i++)
    x[i] *= i < 200 ? 1.3 : 0.8; /* up at 100, down below the start at 200 */
  int n = changes_find(x, 300, 0.05, cps, 8);
  assert_int_equal(2, n);
  assert_true(labs((long)cps[0].index - 100) <= 3 && cps[0].after > cps[0].before);
  assert_true(labs((long)cps[1].index - 200) <= 3 && cps[1].after < cps[1].before);
}

static void short_or_empty_histories(void **unused) {
  (void)unused;
  double x[7] = {1, 1, 1, 1, 9, 9, 9};
  change_point cps[2];
  assert_int_equal(0, changes_find(x, 7, 0.05, cps, 2)); /* fewer than 2 x 4 runs */
  assert_int_equal(0, changes_find(NULL, 0, 0.05, cps, 2));
  assert_int_equal(0, changes_find(x, 7, 0.05, cps, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shift_found_where_it_is),
      cmocka_unit_test(noise_raises_no_alarm),
      cmocka_unit_test(one_wild_run_is_not_a_change),
      cmocka_unit_test(immaterial_shift_is_not_reported),
      cmocka_unit_test(each_of_several_shifts_is_found),
      cmocka_unit_test(short_or_empty_histories),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
