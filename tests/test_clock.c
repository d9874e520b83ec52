/* SPDX-License-Identifier: MIT */
/* The TSC clock: conversion math, trust decision, monotonicity, calibration,
 * lal_init options, recalibration and the OS clocks. */
#include <string.h>

#include "lal_test.h"
#include "common/clock_internal.h"
#include "common/lal_internal.h"
#include "common/lal_os.h"

static void mul_shift_matches_128_bit_reference_for_extreme_rates_and_uptimes(void **state) {
  (void)state;
  const uint64_t rates[] = {1000000u,    19200000u,   24000000u,   1000000000u,
                            2096000088u, 3000000000u, 5000000000u, 10000000000u};
  const uint64_t seconds[] = {
      0, 1, 60, 86400, 86400ull * 365, 86400ull * 365 * 10, 86400ull * 365 * 100};
  for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
    uint64_t mult;
    uint32_t shift;
    lali_clock_params_for(rates[r], &mult, &shift);
    for (size_t s = 0; s < sizeof seconds / sizeof seconds[0]; s++) {
      for (uint64_t extra = 0; extra < 3; extra++) {
        unsigned __int128 ticks128 = (unsigned __int128)seconds[s] * rates[r] + extra * 12345;
        if (ticks128 > UINT64_MAX)
          continue;
        uint64_t ticks = (uint64_t)ticks128;
        uint64_t want = (uint64_t)((unsigned __int128)ticks * 1000000000u / rates[r]);
        uint64_t got = lal_impl_mul_shift(ticks, mult, shift);
        uint64_t err = got > want ? got - want : want - got;
        /* mult is rounded to 2^-32: at most ~1.2 ppb relative, plus 1 ns. */
        uint64_t allowed = want / 500000000u + 1;
        if (err > allowed)
          fail_msg("hz %llu, %llu s: got %llu want %llu", (unsigned long long)rates[r],
                   (unsigned long long)seconds[s], (unsigned long long)got,
                   (unsigned long long)want);
      }
    }
  }
}

static void mul_shift_is_exact_for_powers_of_two(void **state) {
  (void)state;
  assert_true(lal_impl_mul_shift(UINT64_C(1) << 40, UINT64_C(1) << 32, 32) == UINT64_C(1) << 40);
  assert_true(lal_impl_mul_shift(UINT64_MAX, 1, 0) == UINT64_MAX);
  assert_true(lal_impl_mul_shift(UINT64_MAX, UINT64_C(1) << 32, 32) == UINT64_MAX);
  assert_true(lal_impl_mul_shift(3, 5, 1) == 7);
}

/* Evidence of a healthy bare-metal machine, to vary one input at a time. */
static lali_tsc_evidence healthy(void) {
  lali_tsc_evidence ev;
  memset(&ev, 0, sizeof ev);
  ev.cpu.invariant = 1;
  ev.os.kernel_clocksource_tsc = 1;
  ev.os.kernel_tsc_unstable = 0;
  snprintf(ev.os.clocksource, sizeof ev.os.clocksource, "tsc");
  ev.measured_hz = ev.measured_hz_first = ev.measured_hz_second = 3000000000u;
  ev.cpu_skew_ns = 40;
  ev.cpus_checked = 8;
  ev.backward_steps = 0;
  return ev;
}

static int decide(const lali_tsc_evidence *ev, unsigned flags, lali_clock_choice *c) {
  lali_clock_decide(ev, flags, c);
  assert_true(c->reason[0] != '\0');
  return c->source;
}

static void trust_decision_follows_each_forced_input(void **state) {
  (void)state;
  lali_clock_choice c;
  lali_tsc_evidence ev = healthy();
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_TSC);
  assert_int_equal(c.failed, 0);
  assert_int_equal(decide(&ev, LAL_INIT_CLOCK_STRICT, &c), LAL_CLOCK_SOURCE_TSC);

  ev = healthy();
  ev.cpu.invariant = 0;
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_OS);
  assert_true(c.failed & LAL_TSC_CHECK_INVARIANT);
  assert_non_null(strstr(c.reason, "invariant"));

  ev = healthy(); /* a VM: reported, trusted by default, refused under STRICT */
  ev.cpu.hypervisor = 1;
  snprintf(ev.cpu.hypervisor_name, sizeof ev.cpu.hypervisor_name, "KVMKVMKVM");
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_TSC);
  assert_non_null(strstr(c.reason, "KVMKVMKVM"));
  assert_int_equal(decide(&ev, LAL_INIT_CLOCK_STRICT, &c), LAL_CLOCK_SOURCE_OS);

  ev = healthy(); /* tsc=unstable, clocksource kvm-clock */
  ev.os.kernel_tsc_unstable = 1;
  ev.os.kernel_clocksource_tsc = 0;
  snprintf(ev.os.clocksource, sizeof ev.os.clocksource, "kvm-clock");
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_TSC);
  assert_true(c.failed & LAL_TSC_CHECK_KERNEL_STABLE);
  assert_int_equal(decide(&ev, LAL_INIT_CLOCK_STRICT, &c), LAL_CLOCK_SOURCE_OS);
  assert_non_null(strstr(c.reason, "kvm-clock"));

  ev = healthy();
  ev.cpu_skew_ns = 5000;
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_OS);
  assert_true(c.failed & LAL_TSC_CHECK_CPU_SYNC);

  ev = healthy();
  ev.backward_steps = 3;
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_OS);
  assert_true(c.failed & LAL_TSC_CHECK_MONOTONIC);

  ev = healthy();
  ev.measured_hz_second = ev.measured_hz_first + ev.measured_hz_first / 10000; /* 100 ppm */
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_OS);
  assert_true(c.failed & LAL_TSC_CHECK_FREQ_STABLE);

  ev = healthy(); /* one CPU: sync not run, not failed */
  ev.cpus_checked = 1;
  assert_int_equal(decide(&ev, 0, &c), LAL_CLOCK_SOURCE_TSC);
  assert_int_equal((c.passed | c.failed) & LAL_TSC_CHECK_CPU_SYNC, 0);

  ev = healthy();
  ev.measured_hz = 0;
  assert_int_equal(decide(&ev, LAL_INIT_CLOCK_FORCE_TSC, &c), LAL_CLOCK_SOURCE_OS);

  ev = healthy();
  assert_int_equal(decide(&ev, LAL_INIT_CLOCK_FORCE_OS, &c), LAL_CLOCK_SOURCE_OS);
  ev.cpu.invariant = 0;
  assert_int_equal(decide(&ev, LAL_INIT_CLOCK_FORCE_TSC, &c), LAL_CLOCK_SOURCE_TSC);
}

static void frequency_prefers_an_exact_source_only_when_it_agrees(void **state) {
  (void)state;
  lali_clock_choice c;
  lali_tsc_evidence ev = healthy();
  ev.measured_hz = 3000000030u; /* 10 ppm above the nominal figure */
  ev.cpu.cpuid_hz = 3000000000u;
  decide(&ev, 0, &c);
  assert_int_equal(c.freq_method, LAL_TSC_FREQ_CPUID);
  assert_true(c.tsc_hz == 3000000000u);

  ev.cpu.cpuid_hz = 3001500000u; /* 500 ppm off: the measurement wins */
  ev.cpu.hypervisor_hz = 3000000000u;
  decide(&ev, 0, &c);
  assert_int_equal(c.freq_method, LAL_TSC_FREQ_HYPERVISOR);

  ev.cpu.hypervisor_hz = 0;
  ev.os.kernel_tsc_hz = 2999000000u;
  decide(&ev, 0, &c);
  assert_int_equal(c.freq_method, LAL_TSC_FREQ_MEASURED);
  assert_true(c.tsc_hz == ev.measured_hz);
}

static void now_ns_follows_the_os_clock(void **state) {
  (void)state;
  if (lal_test_under_valgrind())
    LAL_SKIP("valgrind slows each TSC/OS-clock pairing of the 20 ms calibration by ~50x: "
             "the rate it measures is valgrind's, not the machine's");
  uint64_t a = lal_now_ns(), m = lal_mono_ns();
  uint64_t diff = a > m ? a - m : m - a;
  assert_true(diff < 1000000u); /* same epoch: within 1 ms right after init */
  uint64_t n0 = lal_now_ns(), r0 = lal_mono_raw_ns();
  lal_sleep_ns(200000000u, 0);
  uint64_t n1 = lal_now_ns(), r1 = lal_mono_raw_ns();
  /* Loose on purpose (noisy machines): the benchmark measures ppm. */
  assert_true(lali_ppm_diff(n1 - n0, r1 - r0) < 2000.0);
}

static void now_ns_never_goes_backwards_on_a_thread(void **state) {
  (void)state;
  uint64_t last = lal_now_ns();
  for (int i = 0; i < 200000; i++) {
    uint64_t t = lal_now_ns();
    assert_true(t >= last);
    last = t;
  }
}

static void now_ns_never_goes_backwards_across_forced_migrations(void **state) {
  (void)state;
  lal_cpuset allowed, one;
  assert_status(LAL_OK, lali_os_thread_affinity_get(&allowed));
  if (lal_cpuset_count(&allowed) < 2)
    LAL_SKIP("only one CPU usable: no migration possible");
  int backward = 0, migrations = 0;
  uint64_t last = lal_now_ns();
  for (int round = 0; round < 500; round++) {
    for (int cpu = lal_cpuset_first(&allowed); cpu >= 0; cpu = lal_cpuset_next(&allowed, cpu)) {
      lal_cpuset_zero(&one);
      lal_cpuset_set(&one, cpu);
      if (lali_os_thread_affinity_set(&one) != LAL_OK)
        continue;
      migrations++;
      uint64_t t = lal_now_ns();
      backward += t < last;
      last = t;
    }
  }
  lali_os_thread_affinity_set(&allowed);
  assert_true(migrations > 0);
  assert_int_equal(backward, 0);
}

static void clock_info_reports_a_consistent_choice(void **state) {
  (void)state;
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  assert_status(LAL_OK, lal_clock_get_info(&info));
  assert_true(info.source == LAL_CLOCK_SOURCE_TSC || info.source == LAL_CLOCK_SOURCE_OS);
  assert_true(info.reason[0] != '\0');
  assert_int_equal(info.checks_passed & info.checks_failed, 0);
  if (info.source == LAL_CLOCK_SOURCE_TSC) {
    assert_true(info.tsc_hz >= 1000000u && info.tsc_hz <= 20000000000u);
    assert_int_equal(info.checks_failed & LAL_TSC_CHECKS_REQUIRED, 0);
    assert_true(info.freq_method != LAL_TSC_FREQ_NONE);
  }
  /* calibration against the OS clock: what was measured agrees with what is used */
  if (info.measured_tsc_hz && info.tsc_hz)
    assert_true(lali_ppm_diff(info.tsc_hz, info.measured_tsc_hz) <= 1000.0);
  assert_true(info.calibration_us > 0);
}

static void clock_info_and_init_reject_bad_input(void **state) {
  (void)state;
  assert_status(LAL_EINVAL, lal_clock_get_info(NULL));
  lal_clock_info info;
  memset(&info, 0, sizeof info);
  info.size = 8;
  assert_status(LAL_EINVAL, lal_clock_get_info(&info));
  info.size = 5000;
  assert_status(LAL_EINVAL, lal_clock_get_info(&info));

  lal_init_opts opts = LAL_INIT_OPTS_INIT;
  opts.flags = 1u << 20;
  assert_status(LAL_EINVAL, lal_init(&opts));
  opts.flags = LAL_INIT_CLOCK_FORCE_OS | LAL_INIT_CLOCK_FORCE_TSC;
  assert_status(LAL_EINVAL, lal_init(&opts));
  opts.flags = 0;
  opts.size = 4;
  assert_status(LAL_EINVAL, lal_init(&opts));
  struct {
    lal_init_opts opts;
    unsigned char future[8];
  } newer;
  memset(&newer, 0, sizeof newer);
  newer.opts.size = sizeof newer;
  newer.future[3] = 1; /* an option this library does not know */
  assert_status(LAL_EINVAL, lal_init(&newer.opts));
  newer.future[3] = 0;
  assert_status(LAL_OK, lal_init(&newer.opts)); /* zero tail: fine */
}

static void init_after_first_use_accepts_the_same_choice_only(void **state) {
  (void)state;
  (void)lal_now_ns(); /* initialised with defaults */
  assert_status(LAL_OK, lal_init(NULL));
  lal_init_opts opts = LAL_INIT_OPTS_INIT;
  opts.flags = LAL_INIT_CLOCK_FORCE_OS;
  assert_status(LAL_EBUSY, lal_init(&opts));
}

static void recalibration_is_continuous(void **state) {
  (void)state;
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  lal_clock_get_info(&info);
  if (info.source != LAL_CLOCK_SOURCE_TSC) {
    assert_status(LAL_ENOTSUP, lal_clock_recalibrate());
    LAL_SKIP("lal_now_ns() is not TSC-based here: %s", info.reason);
  }
  lal_sleep_ns(1100000000u, 0); /* recalibration needs >= 1 s of baseline */
  int rc = LAL_EAGAIN;
  uint64_t before = 0, after = 0;
  for (int tries = 0; tries < 20 && rc == LAL_EAGAIN; tries++) {
    before = lal_now_ns();
    rc = lal_clock_recalibrate();
    after = lal_now_ns();
  }
  assert_status(LAL_OK, rc);
  assert_true(after >= before);
  assert_status(LAL_EAGAIN, lal_clock_recalibrate()); /* < 1 s since the last */
}

static void raw_counters_and_os_clocks_advance(void **state) {
  (void)state;
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  lal_clock_get_info(&info);
  if (info.has_rdtscp && lal_test_under_valgrind())
    LAL_SKIP("valgrind cannot execute RDTSCP (SIGILL) although CPUID, which lal checks, has it");
  uint32_t aux = 0;
  uint64_t t0 = lal_tsc(), t1 = lal_tsc_ordered(), t2 = lal_tscp(&aux);
  assert_true(t1 >= t0 && t2 >= t1);
  if (!info.has_rdtscp)
    assert_true(aux == UINT32_MAX);
  assert_true(lal_tscp(NULL) >= t2);
  uint64_t m0 = lal_mono_ns(), r0 = lal_mono_raw_ns(), b0 = lal_boot_ns();
  lal_sleep_ns(3000000u, 0);
  assert_true(lal_mono_ns() > m0);
  assert_true(lal_mono_raw_ns() > r0);
  assert_true(lal_boot_ns() >= b0);
  assert_true(m0 > 0 && r0 > 0 && b0 > 0);
}

/* Calibration moves between CPUs on a helper thread, never on the caller's:
 * the caller's affinity is neither read nor set, and is the same after.
 * Today's OS calls, counted by which thread makes them. */
static _Thread_local int on_helper;
static struct {
  int caller_calls, helper_sets, refuse_start;
  void (*entry)(void *);
  void *arg;
} visits;
static int counted_get(void *ctx, lal_cpuset *out) {
  (void)ctx;
  if (!on_helper)
    visits.caller_calls++;
  return lali_os_thread_affinity_get(out);
}
static int counted_set(void *ctx, const lal_cpuset *set) {
  (void)ctx;
  if (on_helper)
    visits.helper_sets++;
  else
    visits.caller_calls++;
  return lali_os_thread_affinity_set(set);
}
static void helper_entry(void *arg) {
  (void)arg;
  on_helper = 1;
  visits.entry(visits.arg);
}
static int counted_start(void *ctx, lali_os_thread **out, void (*entry)(void *), void *arg) {
  (void)ctx;
  if (visits.refuse_start)
    return LAL_EAGAIN;
  visits.entry = entry;
  visits.arg = arg;
  return lali_os_thread_start(out, 0, helper_entry, NULL);
}
static int counted_join(void *ctx, lali_os_thread *thread) {
  (void)ctx;
  return lali_os_thread_join(thread);
}

static void calibration_never_touches_the_callers_affinity(void **state) {
  (void)state;
  static const lali_clock_visit_os os = {NULL, counted_get, counted_set, counted_start,
                                         counted_join};
  lal_cpuset before, after;
  assert_status(LAL_OK, lal_thread_get_affinity(&before));
  memset(&visits, 0, sizeof visits);
  lali_tsc_evidence ev;
  memset(&ev, 0, sizeof ev);
  lali_clock_measure_with(&os, &ev);
  assert_int_equal(visits.caller_calls, 0);
  assert_true(visits.helper_sets >= 2); /* home, then at least one visit */
  assert_true(ev.measured_hz > 0);
  assert_true(ev.cpus_checked >= 1);
  assert_status(LAL_OK, lal_thread_get_affinity(&after));
  assert_int_equal(lal_cpuset_equal(&before, &after), 1);

  /* No helper thread to be had: the rate is still measured, on the caller,
   * without a single affinity call, and the sync checks say "not measured". */
  memset(&visits, 0, sizeof visits);
  visits.refuse_start = 1;
  memset(&ev, 0, sizeof ev);
  lali_clock_measure_with(&os, &ev);
  assert_int_equal(visits.caller_calls + visits.helper_sets, 0);
  assert_true(ev.measured_hz > 0);
  assert_int_equal(ev.cpus_checked, 0);
  assert_int_equal(ev.backward_steps, -1);
  assert_true(ev.cpu_skew_ns == -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mul_shift_matches_128_bit_reference_for_extreme_rates_and_uptimes),
      cmocka_unit_test(mul_shift_is_exact_for_powers_of_two),
      cmocka_unit_test(trust_decision_follows_each_forced_input),
      cmocka_unit_test(frequency_prefers_an_exact_source_only_when_it_agrees),
      cmocka_unit_test(now_ns_follows_the_os_clock),
      cmocka_unit_test(now_ns_never_goes_backwards_on_a_thread),
      cmocka_unit_test(now_ns_never_goes_backwards_across_forced_migrations),
      cmocka_unit_test(clock_info_reports_a_consistent_choice),
      cmocka_unit_test(clock_info_and_init_reject_bad_input),
      cmocka_unit_test(init_after_first_use_accepts_the_same_choice_only),
      cmocka_unit_test(recalibration_is_continuous),
      cmocka_unit_test(raw_counters_and_os_clocks_advance),
      cmocka_unit_test(calibration_never_touches_the_callers_affinity),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
