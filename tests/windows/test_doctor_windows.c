/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor` on Windows, under Wine here: every check runs and reports;
 * where Wine implements the API the value is checked, where it does not the
 * check must say n/a (never crash or claim ok without looking).
 */
#include <string.h>
#include <windows.h>

#include "doctor.h"
#include "lal_test.h"

static void every_check_reports(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("", f, DOCTOR_MAX_FINDINGS);
  static const char *const checks[] = {"power_plan",    "timer_resolution", "large_page_privilege",
                                       "mmcss_service", "power_throttling", "processor_groups"};
  assert_int_equal(n, 6);
  for (int i = 0; i < n; i++) {
    assert_string_equal(f[i].check, checks[i]);
    assert_true(f[i].status <= DOCTOR_NA);
    assert_true(strlen(f[i].value) > 0);
    assert_true(strlen(f[i].why) > 10);
    if ((f[i].status == DOCTOR_WARN || f[i].status == DOCTOR_FAIL) && !f[i].fix[0])
      fail_msg("%s is %s without a remediation", f[i].check, doctor_status_name(f[i].status));
  }
}

static void processor_groups_match_the_os(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("", f, DOCTOR_MAX_FINDINGS);
  const finding *g = doctor_find(f, n, "processor_groups");
  assert_non_null(g);
  char want[64];
  snprintf(want, sizeof want, "%u group(s), %lu logical", GetActiveProcessorGroupCount(),
           (unsigned long)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS));
  assert_non_null(strstr(g->value, want));
  assert_int_equal(g->status, GetActiveProcessorGroupCount() > 1 ? DOCTOR_WARN : DOCTOR_OK);
}

static void timer_resolution_is_read(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("", f, DOCTOR_MAX_FINDINGS);
  const finding *t = doctor_find(f, n, "timer_resolution");
  assert_non_null(t);
  if (t->status == DOCTOR_NA)
    LAL_SKIP("NtQueryTimerResolution is missing here: %s", t->value);
  double current = 0, lo = 0, hi = 0;
  assert_int_equal(sscanf(t->value, "%lf ms in force (range %lf..%lf ms)", &current, &lo, &hi), 3);
  assert_true(lo <= current && current <= hi && hi > 0);
}

static void large_pages_agree_with_caps(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("", f, DOCTOR_MAX_FINDINGS);
  const finding *l = doctor_find(f, n, "large_page_privilege");
  lal_caps caps = LAL_CAPS_INIT;
  assert_status(LAL_OK, lal_query_caps(&caps));
  assert_int_equal(l->status,
                   caps.machine_features & LAL_CAP_LARGE_PAGES ? DOCTOR_OK : DOCTOR_WARN);
}

static void unimplemented_apis_say_na(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("", f, DOCTOR_MAX_FINDINGS);
  const finding *p = doctor_find(f, n, "power_plan");
  const finding *m = doctor_find(f, n, "mmcss_service");
  if (p->status != DOCTOR_NA && m->status != DOCTOR_WARN)
    LAL_SKIP("this Windows has a power plan API and an MMCSS service: nothing missing to check");
  /* Under Wine: PowerGetActiveScheme fails -> n/a with the reason; there is
   * no MMCSS service -> a warning that says how to start it. */
  if (p->status == DOCTOR_NA)
    assert_non_null(strstr(p->value, "unavailable"));
  if (m->status == DOCTOR_WARN)
    assert_non_null(strstr(m->fix, "MMCSS"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_check_reports),       cmocka_unit_test(processor_groups_match_the_os),
      cmocka_unit_test(timer_resolution_is_read),  cmocka_unit_test(large_pages_agree_with_caps),
      cmocka_unit_test(unimplemented_apis_say_na),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
