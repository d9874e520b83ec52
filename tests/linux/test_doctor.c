/*
 * `lal doctor` checks replayed on recorded /proc and /sys trees
 * (tests/data/doctor: vm-2cpu and vm-haltpoll recorded on this project's machines with
 * capture.sh; rt-box, laptop and container written by make-variants.sh).
 * Every finding of every machine is asserted.
 */
#include <string.h>

#include "doctor.h"
#include "lal_test.h"

#define DOCTOR_DIR LAL_TEST_DATA_DIR "/doctor/"

/* expected: "check=status,check=status,...": exactly these findings, in order. */
static void expect_machine(const char *machine, const char *expected, const char *const *values) {
  char root[512];
  snprintf(root, sizeof root, DOCTOR_DIR "%s", machine);
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run(root, f, DOCTOR_MAX_FINDINGS);
  char got[2048] = "";
  for (int i = 0; i < n; i++) {
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s=%s", i ? "," : "", f[i].check,
             doctor_status_name(f[i].status));
    assert_true(strlen(f[i].why) > 10);
    assert_true(strlen(f[i].value) > 0);
    if (f[i].status == DOCTOR_WARN || f[i].status == DOCTOR_FAIL)
      if (!f[i].fix[0])
        fail_msg("%s: %s is %s without a remediation", machine, f[i].check,
                 doctor_status_name(f[i].status));
  }
  if (strcmp(got, expected) != 0)
    fail_msg("%s:\n got      %s\n expected %s", machine, got, expected);
  /* values: pairs of check, substring of its value */
  for (int i = 0; values[i]; i += 2) {
    const finding *x = doctor_find(f, n, values[i]);
    assert_non_null(x);
    if (!strstr(x->value, values[i + 1]))
      fail_msg("%s: %s value \"%s\" lacks \"%s\"", machine, values[i], x->value, values[i + 1]);
  }
}

#define COMMON_TAIL_OK "psi_memory=ok,psi_io=ok"

static void tuned_rt_box_is_all_ok(void **state) {
  (void)state;
  static const char *const values[] = {"cstates",
                                       "C1, exit latency 2 us",
                                       "cpu_isolation",
                                       "isolated 2-7",
                                       "irq_affinity",
                                       "0 of 8 IRQs",
                                       "preemption",
                                       "PREEMPT_RT",
                                       "cpu_mitigations",
                                       "mitigations=off",
                                       "hugepages",
                                       "500 of 512 free",
                                       NULL};
  expect_machine("rt-box",
                 "cpufreq_governor=ok,cstates=ok,smt=ok,cpu_isolation=ok,irq_affinity=ok,"
                 "irqbalance=ok,thp_enabled=ok,thp_defrag=ok,hugepages=ok,rt_throttling=ok,"
                 "rlimit_rtprio=ok,rlimit_memlock=ok,timer_slack=ok,clocksource=ok,preemption=ok,"
                 "cpu_mitigations=ok,swap=ok,cgroup_version=ok,cgroup_cpu_quota=ok,"
                 "cgroup_throttling=ok,psi_cpu=ok," COMMON_TAIL_OK ",virtualization=ok",
                 values);
}

static void stock_laptop_gets_the_usual_advice(void **state) {
  (void)state;
  static const char *const values[] = {"cpufreq_governor",
                                       "powersave on CPUs 0-7",
                                       "cstates",
                                       "C10, exit latency 890 us",
                                       "smt",
                                       "on",
                                       "irqbalance",
                                       "running",
                                       "thp_enabled",
                                       "always",
                                       "swap",
                                       "1023 MiB in use",
                                       "rlimit_memlock",
                                       "8192 KiB",
                                       "psi_cpu",
                                       "avg60 6.50%",
                                       NULL};
  expect_machine("laptop",
                 "cpufreq_governor=warn,cstates=warn,smt=warn,cpu_isolation=warn,irq_affinity=n/a,"
                 "irqbalance=ok,thp_enabled=warn,thp_defrag=ok,hugepages=warn,rt_throttling=warn,"
                 "rlimit_rtprio=warn,rlimit_memlock=warn,timer_slack=warn,clocksource=ok,"
                 "preemption=warn,cpu_mitigations=warn,swap=fail,cgroup_version=ok,"
                 "cgroup_cpu_quota=ok,cgroup_throttling=ok,psi_cpu=warn," COMMON_TAIL_OK
                 ",virtualization=ok",
                 values);
}

static void container_with_a_throttling_quota_fails(void **state) {
  (void)state;
  static const char *const values[] = {"cgroup_cpu_quota",
                                       "cpu.max 50000/100000 us (0.50 CPUs)",
                                       "cgroup_throttling",
                                       "8280 of 36000 periods",
                                       "psi_cpu",
                                       "avg60 31.20%",
                                       "virtualization",
                                       "container (docker)",
                                       "clocksource",
                                       "kvm-clock",
                                       NULL};
  expect_machine("container",
                 "cpufreq_governor=n/a,cstates=n/a,smt=warn,cpu_isolation=warn,irq_affinity=n/a,"
                 "irqbalance=ok,thp_enabled=ok,thp_defrag=ok,hugepages=warn,rt_throttling=warn,"
                 "rlimit_rtprio=warn,rlimit_memlock=warn,timer_slack=warn,clocksource=warn,"
                 "preemption=warn,cpu_mitigations=warn,swap=ok,cgroup_version=ok,"
                 "cgroup_cpu_quota=warn,cgroup_throttling=fail,psi_cpu=fail," COMMON_TAIL_OK
                 ",virtualization=warn",
                 values);
}

static void this_vm_as_recorded(void **state) {
  (void)state;
  static const char *const values[] = {"clocksource",
                                       "kvm-clock, tsc=unstable",
                                       "cgroup_version",
                                       "hybrid: cgroup2 at /sys/fs/cgroup/unified",
                                       "virtualization",
                                       "virtual machine",
                                       "smt",
                                       "notsupported",
                                       "preemption",
                                       "PREEMPT_DYNAMIC",
                                       "rlimit_rtprio",
                                       "CAP_SYS_NICE held",
                                       NULL};
  expect_machine("vm-2cpu",
                 "cpufreq_governor=n/a,cstates=n/a,smt=n/a,cpu_isolation=warn,irq_affinity=n/a,"
                 "irqbalance=ok,thp_enabled=ok,thp_defrag=ok,hugepages=warn,rt_throttling=warn,"
                 "rlimit_rtprio=ok,rlimit_memlock=ok,timer_slack=warn,clocksource=warn,"
                 "preemption=warn,cpu_mitigations=warn,swap=ok,cgroup_version=warn,"
                 "cgroup_cpu_quota=ok,cgroup_throttling=ok,psi_cpu=ok," COMMON_TAIL_OK
                 ",virtualization=warn",
                 values);
}

/* A KVM guest with the cpuidle-haltpoll driver and halt polling off: the
 * halt state declares 1 us, but each halt is a VM exit (a 1 ms wake-up
 * measured ~30 us here, ~18 us with /dev/cpu_dma_latency held at 0). */
static void a_haltpoll_vm_as_recorded(void **state) {
  (void)state;
  static const char *const values[] = {
      "cstates",
      "haltpoll: deepest enabled haltpoll idle, exit latency 1 us; "
      "halt polling off (guest_halt_poll_ns=0)",
      "clocksource",
      "tsc",
      "virtualization",
      "container (docker)",
      NULL};
  expect_machine("vm-haltpoll",
                 "cpufreq_governor=n/a,cstates=warn,smt=n/a,cpu_isolation=warn,irq_affinity=n/a,"
                 "irqbalance=ok,thp_enabled=ok,thp_defrag=ok,hugepages=warn,rt_throttling=warn,"
                 "rlimit_rtprio=ok,rlimit_memlock=ok,timer_slack=warn,clocksource=ok,"
                 "preemption=warn,cpu_mitigations=warn,swap=ok,cgroup_version=warn,"
                 "cgroup_cpu_quota=ok,cgroup_throttling=ok,psi_cpu=ok," COMMON_TAIL_OK
                 ",virtualization=warn",
                 values);
  finding f[DOCTOR_MAX_FINDINGS];
  char root[512];
  snprintf(root, sizeof root, DOCTOR_DIR "vm-haltpoll");
  int n = doctor_run(root, f, DOCTOR_MAX_FINDINGS);
  const finding *c = doctor_find(f, n, "cstates");
  assert_non_null(c);
  assert_non_null(strstr(c->fix, "/dev/cpu_dma_latency"));
  assert_non_null(strstr(c->fix, "guest_halt_poll_ns"));
}

static void an_empty_tree_is_all_unknown_not_a_crash(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("/nonexistent-lal-root", f, DOCTOR_MAX_FINDINGS);
  assert_true(n > 10);
  for (int i = 0; i < n; i++)
    assert_true(f[i].status <= DOCTOR_NA);
  /* A short output array is filled, not overrun. */
  assert_int_equal(doctor_run(DOCTOR_DIR "laptop", f, 3), 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tuned_rt_box_is_all_ok),
      cmocka_unit_test(stock_laptop_gets_the_usual_advice),
      cmocka_unit_test(container_with_a_throttling_quota_fails),
      cmocka_unit_test(this_vm_as_recorded),
      cmocka_unit_test(a_haltpoll_vm_as_recorded),
      cmocka_unit_test(an_empty_tree_is_all_unknown_not_a_crash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
