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

#ifdef _WIN32
static void expect_cpu_sets(int process, const lal_cpuset *want) {
  lal_cpuset now;
  assert_status(LAL_OK,
                process ? lal_process_get_default_cpu_sets(&now) : lal_thread_get_cpu_sets(&now));
  if (!lal_cpuset_equal(&now, want)) {
    char a[256], b[256];
    lal_cpuset_format(&now, a, sizeof a);
    lal_cpuset_format(want, b, sizeof b);
    fail_msg("%s CPU sets are %s, expected %s", process ? "process" : "thread", a, b);
  }
}
#endif

/* Soft placement: Windows CPU sets round trip, bad sets change nothing, NULL
 * clears; Linux says it has no such thing and changes nothing. */
static void cpu_sets_select_or_say_unsupported(void **state) {
  (void)state;
  lal_cpuset one, empty, absent;
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, lal_cpuset_first(&original));
  lal_cpuset_zero(&empty);
  lal_cpuset_zero(&absent);
  lal_cpuset_set(&absent, LAL_CPUSET_MAX - 1);
  assert_status(LAL_EINVAL, lal_thread_get_cpu_sets(NULL));
  assert_status(LAL_EINVAL, lal_process_get_default_cpu_sets(NULL));
  assert_status(LAL_EINVAL, lal_thread_set_cpu_sets(&empty));
  assert_status(LAL_EINVAL, lal_process_set_default_cpu_sets(&empty));
#ifndef _WIN32
  lal_cpuset got;
  assert_status(LAL_ENOTSUP, lal_thread_set_cpu_sets(&one));
  assert_status(LAL_ENOTSUP, lal_thread_set_cpu_sets(NULL));
  assert_status(LAL_ENOTSUP, lal_process_set_default_cpu_sets(&one));
  assert_status(LAL_ENOTSUP, lal_thread_get_cpu_sets(&got));
  assert_status(LAL_ENOTSUP, lal_process_get_default_cpu_sets(&got));
  expect_affinity(&original);
#else
  int rc = lal_thread_set_cpu_sets(&one);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("no CPU sets here (Windows before 10, or a Wine without SetThreadSelectedCpuSets)");
  assert_status(LAL_OK, rc);
  /* A CPU without a CPU set is refused before the OS is asked. */
  assert_status(LAL_EINVAL, lal_thread_set_cpu_sets(&absent));
  assert_status(LAL_EINVAL, lal_process_set_default_cpu_sets(&absent));
  lal_cpuset now;
  rc = lal_thread_get_cpu_sets(&now);
  if (rc == LAL_ENOTSUP) {
    lal_thread_set_cpu_sets(NULL);
    LAL_SKIP("Wine stubs SetThreadSelectedCpuSets and has no GetThreadSelectedCpuSets: "
             "a selection cannot be read back");
  }
  assert_status(LAL_OK, rc);
  if (lal_cpuset_count(&now) == 0) {
    lal_thread_set_cpu_sets(NULL);
    LAL_SKIP("GetThreadSelectedCpuSets reports no selection after a successful "
             "SetThreadSelectedCpuSets: Wine keeps none");
  }
  expect_cpu_sets(0, &one);
  assert_status(LAL_EINVAL, lal_thread_set_cpu_sets(&absent));
  expect_cpu_sets(0, &one); /* unchanged */
  assert_status(LAL_OK, lal_thread_set_cpu_sets(NULL));
  expect_cpu_sets(0, &empty);
  assert_status(LAL_OK, lal_process_set_default_cpu_sets(&one));
  expect_cpu_sets(1, &one);
  assert_status(LAL_EINVAL, lal_process_set_default_cpu_sets(&absent));
  expect_cpu_sets(1, &one);
  assert_status(LAL_OK, lal_process_set_default_cpu_sets(NULL));
  expect_cpu_sets(1, &empty);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(thread_affinity_round_trips),
      cmocka_unit_test(current_cpu_is_in_the_affinity),
      cmocka_unit_test(bad_sets_change_nothing),
      cmocka_unit_test(process_affinity_reaches_every_thread),
      cmocka_unit_test(cpu_sets_select_or_say_unsupported),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
