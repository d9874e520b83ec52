/* SPDX-License-Identifier: MIT */
/* Thread and process affinity, lal_current_cpu: round trips, and bad sets
 * that must fail without changing anything. Real under Wine too (Wine maps
 * thread and process affinity onto Linux affinity). */
#include <string.h>

#include "lal_test.h"

static lal_cpuset original;

static int setup(void **state) {
  (void)state;
  return lal_thread_get_affinity(&original) == LAL_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  lal_process_set_affinity(&original);
  return lal_thread_set_affinity(&original) == LAL_OK ? 0 : -1;
}

static void expect_affinity(const lal_cpuset *want) {
  lal_cpuset now;
  assert_status(LAL_OK, lal_thread_get_affinity(&now));
  if (!lal_cpuset_equal(&now, want)) {
    char a[256], b[256];
    lal_cpuset_format(&now, a, sizeof a);
    lal_cpuset_format(want, b, sizeof b);
    fail_msg("affinity is %s, expected %s", a, b);
  }
}

static void thread_affinity_round_trips(void **state) {
  (void)state;
  assert_true(lal_cpuset_count(&original) >= 1);
  for (int cpu = lal_cpuset_first(&original); cpu >= 0; cpu = lal_cpuset_next(&original, cpu)) {
    lal_cpuset one;
    lal_cpuset_zero(&one);
    lal_cpuset_set(&one, cpu);
    assert_status(LAL_OK, lal_thread_set_affinity(&one));
    expect_affinity(&one);
    /* Pinned: the thread is moved off any other CPU before the call returns
     * on Linux; give Windows/Wine a scheduling point. */
    lal_sleep_ns(1000000, 0);
    assert_int_equal(lal_current_cpu(), cpu);
  }
  assert_status(LAL_OK, lal_thread_set_affinity(&original));
  expect_affinity(&original);
}

static void current_cpu_is_in_the_affinity(void **state) {
  (void)state;
  int cpu = lal_current_cpu();
  assert_true(cpu >= 0 && cpu < LAL_CPUSET_MAX);
  assert_true(lal_cpuset_isset(&original, cpu));
}

static void bad_sets_change_nothing(void **state) {
  (void)state;
  lal_cpuset empty, absent, mixed;
  lal_cpuset_zero(&empty);
  lal_cpuset_zero(&absent);
  lal_cpuset_set(&absent, LAL_CPUSET_MAX - 1); /* no machine has CPU 2047 here */
  mixed = original;
  lal_cpuset_set(&mixed, LAL_CPUSET_MAX - 1);

  assert_status(LAL_EINVAL, lal_thread_set_affinity(NULL));
  assert_status(LAL_EINVAL, lal_thread_set_affinity(&empty));
  assert_status(LAL_EINVAL, lal_thread_set_affinity(&absent));
  expect_affinity(&original);
  /* One good CPU and one absent: Linux would trim the set silently; lal
   * refuses it and leaves the old mask. Windows: a set spanning processor
   * groups goes to CPU sets, where the absent CPU has no Id. */
  int rc = lal_thread_set_affinity(&mixed);
  assert_true(rc == LAL_EINVAL || rc == LAL_ENOTSUP);
  expect_affinity(&original);
  assert_status(LAL_EINVAL, lal_thread_get_affinity(NULL));

  assert_status(LAL_EINVAL, lal_process_set_affinity(NULL));
  assert_status(LAL_EINVAL, lal_process_set_affinity(&empty));
  assert_status(LAL_EINVAL, lal_process_set_affinity(&absent));
  assert_status(LAL_EINVAL, lal_process_get_affinity(NULL));
  expect_affinity(&original);
}

static lal_cpuset seen_by_worker;
static volatile int worker_go; /* release/acquire: the worker then sees the new affinity */

static int worker(void *arg) {
  (void)arg;
  while (!LAL_TEST_LOAD_ACQUIRE(&worker_go))
    lal_sleep_ns(1000000, 0);
  return lal_thread_get_affinity(&seen_by_worker);
}

/* The process set reaches threads that already exist, and the process get
 * reports it. */
static void process_affinity_reaches_every_thread(void **state) {
  (void)state;
  lal_cpuset before;
  assert_status(LAL_OK, lal_process_get_affinity(&before));
  lal_cpuset tmp;
  lal_cpuset_andnot(&tmp, &original, &before);
  assert_int_equal(lal_cpuset_count(&tmp), 0); /* this thread is inside the process set */

  lal_thread *t;
  LAL_TEST_STORE_RELEASE(&worker_go, 0);
  assert_status(LAL_OK, lal_thread_create(&t, NULL, worker, NULL));
  lal_cpuset one;
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, lal_cpuset_first(&before));
  assert_status(LAL_OK, lal_process_set_affinity(&one));
  LAL_TEST_STORE_RELEASE(&worker_go, 1);
  int ret = -1;
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_status(LAL_OK, ret);
  assert_true(lal_cpuset_equal(&seen_by_worker, &one));
  lal_cpuset now;
  assert_status(LAL_OK, lal_process_get_affinity(&now));
  assert_true(lal_cpuset_equal(&now, &one));
  expect_affinity(&one);

  assert_status(LAL_OK, lal_process_set_affinity(&before));
  assert_status(LAL_OK, lal_process_get_affinity(&now));
  assert_true(lal_cpuset_equal(&now, &before));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(thread_affinity_round_trips),
      cmocka_unit_test(current_cpu_is_in_the_affinity),
      cmocka_unit_test(bad_sets_change_nothing),
      cmocka_unit_test(process_affinity_reaches_every_thread),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
