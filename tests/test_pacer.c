/* SPDX-License-Identifier: MIT */
/* lal_pacer: deadline arithmetic, overrun policies, period changes, stats. */
#include <string.h>

#include "lal_test.h"

static void deadlines_are_start_plus_n_periods_exactly(void **state) {
  (void)state;
  lal_pacer p;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  const uint64_t ns[] = {0, 1, 999, 1000000, 1000000000000ull};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    assert_true(lal_pacer_deadline(&p, ns[i]) == p.start_ns + ns[i] * 1000000u);
  assert_true(lal_pacer_deadline(&p, UINT64_MAX / 2) == UINT64_MAX); /* saturates */
  assert_true(lal_pacer_deadline(NULL, 1) == UINT64_MAX);
  p.start_ns = 7;
  p.period_ns = 3;
  assert_true(lal_pacer_deadline(&p, 1000000007ull) == 7 + 3 * 1000000007ull);
}

static void init_rejects_bad_input_without_writing(void **state) {
  (void)state;
  lal_pacer p, before;
  memset(&p, 0x3C, sizeof p);
  before = p;
  assert_status(LAL_EINVAL, lal_pacer_init(NULL, 1000, 0));
  assert_status(LAL_EINVAL, lal_pacer_init(&p, 0, 0));
  assert_status(LAL_EINVAL, lal_pacer_init(&p, 3601ull * 1000000000ull, 0));
  assert_status(LAL_EINVAL, lal_pacer_init(&p, 1000, 1u << 9));
  assert_memory_equal(&p, &before, sizeof p);
  lal_pacer zero;
  memset(&zero, 0, sizeof zero);
  assert_status(LAL_EINVAL, lal_pacer_wait(&zero, NULL)); /* never initialised */
  assert_status(LAL_EINVAL, lal_pacer_wait(NULL, NULL));
  assert_status(LAL_EINVAL, lal_pacer_set_period(NULL, 1000));
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  assert_status(LAL_EINVAL, lal_pacer_set_period(&p, 0));
}

static void waits_wake_at_or_after_each_deadline_in_order(void **state) {
  (void)state;
  const unsigned modes[] = {0, LAL_PACER_PRECISE};
  for (int m = 0; m < 2; m++) {
    lal_pacer p;
    assert_status(LAL_OK, lal_pacer_init(&p, 2000000u, modes[m]));
    for (uint64_t i = 1; i <= 15; i++) {
      uint64_t deadline = lal_pacer_deadline(&p, p.index), late = 0;
      assert_status(LAL_OK, lal_pacer_wait(&p, &late));
      uint64_t now = lal_now_ns();
      assert_true(now >= deadline);
      /* `late` was measured at wake-up, before `now` */
      assert_true(late <= now - deadline);
      if (p.missed == 0)
        assert_true(p.index == i + 1);
    }
    lal_pacer_stats st = LAL_PACER_STATS_INIT;
    assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
    assert_true(st.waits == 15);
    assert_true(st.late_p50_ns <= st.late_p99_ns);
    assert_true(st.late_mean_ns <= st.late_max_ns);
  }
}

static void late_caller_skips_missed_periods_and_stays_on_the_grid(void **state) {
  (void)state;
  lal_pacer p;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  lal_sleep_ns(10500000u, 0); /* miss ~10 deadlines */
  uint64_t late = 0;
  uint64_t before = lal_now_ns();
  assert_status(LAL_OK, lal_pacer_wait(&p, &late));
  uint64_t woke = lal_now_ns();
  /* It waited for the first deadline still ahead (it used to return at once,
   * reporting the lateness of a deadline already past): the deadline it
   * waited for was after the call started, and every skipped one counted. */
  uint64_t waited_for = lal_pacer_deadline(&p, p.index - 1);
  assert_true(waited_for > before);
  assert_true(woke >= waited_for);
  assert_true(p.missed >= 10);
  assert_true(p.missed == p.index - 2); /* deadlines 1..index-2 skipped, index-1 waited for */
  uint64_t next = lal_pacer_deadline(&p, p.index);
  assert_true((next - p.start_ns) % p.period_ns == 0);
  assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
  assert_true(lal_now_ns() >= next);
}

static void catch_up_returns_once_for_every_missed_deadline(void **state) {
  (void)state;
  lal_pacer p;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, LAL_PACER_CATCH_UP));
  lal_sleep_ns(5500000u, 0);
  uint64_t start_index = p.index;
  for (int i = 0; i < 5; i++)
    assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
  assert_true(p.index == start_index + 5);
  assert_true(p.missed == 0);
}

static void set_period_keeps_the_next_deadline(void **state) {
  (void)state;
  lal_pacer p;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  uint64_t next = lal_pacer_deadline(&p, p.index);
  assert_status(LAL_OK, lal_pacer_set_period(&p, 250000u));
  assert_true(lal_pacer_deadline(&p, p.index) == next);
  assert_true(lal_pacer_deadline(&p, p.index + 4) == next + 1000000u);
  assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
  assert_true(lal_now_ns() >= next);
}

/* The pacer is the caller's plain value: a corrupted one must fail at once,
 * not sleep until a deadline years away (it hung before wait re-checked). */
static void wait_rejects_a_corrupted_pacer(void **state) {
  (void)state;
  lal_pacer p;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  lal_pacer bad = p;
  bad.period_ns = (uint64_t)1e18;
  assert_status(LAL_EINVAL, lal_pacer_wait(&bad, NULL));
  assert_status(LAL_EINVAL, lal_pacer_set_period(&bad, 1000000u));
  bad = p;
  bad.start_ns += (uint64_t)7200 * 1000000000u; /* next deadline two hours ahead */
  assert_status(LAL_EINVAL, lal_pacer_wait(&bad, NULL));
  bad = p;
  bad.index = UINT64_MAX / 2; /* deadline saturates at UINT64_MAX */
  assert_status(LAL_EINVAL, lal_pacer_wait(&bad, NULL));
  bad = p;
  bad.flags = 1u << 31;
  assert_status(LAL_EINVAL, lal_pacer_wait(&bad, NULL));
  assert_int_equal(bad.waits, 0);
  assert_status(LAL_OK, lal_pacer_wait(&p, NULL)); /* the intact one still works */
}

static void stats_reject_bad_input(void **state) {
  (void)state;
  lal_pacer p;
  lal_pacer_init(&p, 1000000u, 0);
  lal_pacer_stats st = LAL_PACER_STATS_INIT;
  assert_status(LAL_EINVAL, lal_pacer_get_stats(NULL, &st));
  assert_status(LAL_EINVAL, lal_pacer_get_stats(&p, NULL));
  st.size = 3;
  assert_status(LAL_EINVAL, lal_pacer_get_stats(&p, &st));
  st.size = sizeof st;
  assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
  assert_true(st.waits == 0 && st.late_p99_ns == 0);
}

static void pin(int cpu) {
  lal_cpuset one;
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, cpu);
  assert_status(LAL_OK, lal_thread_set_affinity(&one));
}

/* Pinned to one CPU every wake-up is there; pinned alternately to two, every
 * wake-up after the first is a migration. */
static void stats_say_where_each_wake_up_ran(void **state) {
  (void)state;
  lal_cpuset old;
  assert_status(LAL_OK, lal_thread_get_affinity(&old));
  int a = lal_cpuset_first(&old), b = lal_cpuset_next(&old, a);
  pin(a);
  if (lal_current_cpu() != a) {
    assert_status(LAL_OK, lal_thread_set_affinity(&old));
    LAL_SKIP("the OS does not report the CPU this thread is pinned to");
  }
  lal_pacer p;
  lal_pacer_stats st = LAL_PACER_STATS_INIT;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  for (int i = 0; i < 10; i++)
    assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
  assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
  assert_int_equal(st.cpus, 1);
  assert_int_equal(st.cpu[0], a);
  assert_true(st.cpu_waits[0] == 10 && st.migrations == 0 && st.other_cpu_waits == 0);
  if (b >= 0) {
    assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
    for (int i = 0; i < 10; i++) {
      pin(i % 2 ? b : a); /* the thread moves now; it wakes on the new CPU */
      assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
    }
    assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
    assert_int_equal(st.cpus, 2);
    assert_int_equal(st.cpu[0], a);
    assert_int_equal(st.cpu[1], b);
    assert_true(st.cpu_waits[0] == 5 && st.cpu_waits[1] == 5);
    assert_true(st.migrations == 9);
  }
  /* Past LAL_PACER_CPUS distinct CPUs the rest is counted, not dropped:
   * fill every slot with CPUs this machine does not have. */
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  for (int i = 0; i < LAL_PACER_CPUS; i++) {
    p.cpu[i] = 100000 + i;
    p.cpu_waits[i] = 1;
  }
  p.last_cpu = 100000;
  assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
  assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
  assert_int_equal(st.cpus, LAL_PACER_CPUS);
  assert_true(st.other_cpu_waits == 1 && st.migrations == 1);
  /* An older caller's smaller stats struct gets its fields and no more. */
  struct {
    lal_pacer_stats st;
  } small;
  memset(&small, 0xAB, sizeof small);
  small.st.size = offsetof(lal_pacer_stats, migrations);
  assert_status(LAL_OK, lal_pacer_get_stats(&p, &small.st));
  assert_true(small.st.migrations == 0xABABABABABABABABull);
  assert_status(LAL_OK, lal_thread_set_affinity(&old));
}

/* With a histogram the pacer's percentiles are exact to its 0.8 %, and the
 * histogram holds every lateness the pacer measured. */
static void a_histogram_gives_exact_percentiles(void **state) {
  (void)state;
  lal_hist *h = NULL;
  assert_status(LAL_OK, lal_hist_create(&h));
  lal_pacer p;
  assert_status(LAL_EINVAL, lal_pacer_set_hist(NULL, h));
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  assert_status(LAL_OK, lal_pacer_set_hist(&p, h));
  uint64_t lates[20], max = 0;
  for (int i = 0; i < 20; i++) {
    assert_status(LAL_OK, lal_pacer_wait(&p, &lates[i]));
    max = lates[i] > max ? lates[i] : max;
  }
  assert_true(h->count == 20);
  assert_true(h->max == max);
  lal_pacer_stats st = LAL_PACER_STATS_INIT;
  assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
  assert_int_equal(st.exact, 1);
  assert_true(st.late_p50_ns == lal_hist_value_at(h, 50.0));
  assert_true(st.late_p99_ns == lal_hist_value_at(h, 99.0));
  assert_true(st.late_p99_9_ns <= max && st.late_p50_ns <= st.late_p99_ns);
  /* Detached: back to the power-of-two bounds, the histogram untouched. */
  assert_status(LAL_OK, lal_pacer_set_hist(&p, NULL));
  assert_status(LAL_OK, lal_pacer_wait(&p, NULL));
  assert_true(h->count == 20);
  assert_status(LAL_OK, lal_pacer_get_stats(&p, &st));
  assert_int_equal(st.exact, 0);
  assert_true(st.late_p99_9_ns == 0);
  lal_hist_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(deadlines_are_start_plus_n_periods_exactly),
      cmocka_unit_test(init_rejects_bad_input_without_writing),
      cmocka_unit_test(waits_wake_at_or_after_each_deadline_in_order),
      cmocka_unit_test(late_caller_skips_missed_periods_and_stays_on_the_grid),
      cmocka_unit_test(catch_up_returns_once_for_every_missed_deadline),
      cmocka_unit_test(set_period_keeps_the_next_deadline),
      cmocka_unit_test(wait_rejects_a_corrupted_pacer),
      cmocka_unit_test(stats_reject_bad_input),
      cmocka_unit_test(stats_say_where_each_wake_up_ran),
      cmocka_unit_test(a_histogram_gives_exact_percentiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
