/* SPDX-License-Identifier: MIT */
/*
 * lal_pm_qos_hold / lal_pm_qos_release: bad input changes nothing; as root on
 * Linux the request is really in force (/dev/cpu_dma_latency reads back the
 * lowest request) and gone after release; without root it is LAL_EPERM with
 * the reason; on Windows LAL_ENOTSUP with the reason.
 */
#include <string.h>

#include "lal_test.h"

#ifdef __linux__
#  include "lal_test_child.h"
#  include <fcntl.h>
#  include <unistd.h>

/* The kernel's current CPU latency limit: reading the device gives it. */
static int64_t current_limit(void) {
  int fd = open("/dev/cpu_dma_latency", O_RDONLY);
  int32_t v = -1;
  if (fd < 0)
    return -1;
  if (read(fd, &v, sizeof v) != (ssize_t)sizeof v)
    v = -1;
  close(fd);
  return v;
}
#endif

static void bad_input_changes_nothing(void **state) {
  (void)state;
  lal_pm_qos_result res = LAL_PM_QOS_RESULT_INIT;
  lal_pm_qos *q = (lal_pm_qos *)0x1;
  assert_status(LAL_EINVAL, lal_pm_qos_hold(0, NULL, &res));
  assert_status(LAL_EINVAL, lal_pm_qos_hold(LAL_PM_QOS_LATENCY_MAX_US + 1, &q, &res));
  assert_status(LAL_EINVAL, lal_pm_qos_hold(UINT32_MAX, &q, &res));
  res.size = 4;
  assert_status(LAL_EINVAL, lal_pm_qos_hold(0, &q, &res));
  assert_true(q == (lal_pm_qos *)0x1);
  assert_status(LAL_EINVAL, lal_pm_qos_release(NULL));
  assert_status(LAL_EINVAL, lal_pm_qos_release((lal_pm_qos *)&res)); /* not a handle of lal's */
}

static void hold_and_release(void **state) {
  (void)state;
  lal_pm_qos_result res = LAL_PM_QOS_RESULT_INIT;
  lal_pm_qos *q = NULL;
  int rc = lal_pm_qos_hold(0, &q, &res);
#ifdef _WIN32
  assert_status(LAL_ENOTSUP, rc);
  assert_null(q);
  assert_non_null(strstr(res.reason, "power plan"));
#else
  if (getuid() != 0) {
    assert_status(LAL_EPERM, rc);
    LAL_SKIP("holding the request needs root (/dev/cpu_dma_latency is 0600): %s", res.reason);
  }
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("no PM QoS device here: %s", res.reason);
  assert_status(LAL_OK, rc);
  assert_non_null(q);
  assert_int_equal(res.latency_us, 0);
  assert_int_equal(res.system_wide, 1);
  assert_int_equal(current_limit(), 0); /* in force */
  lal_pm_qos *q2 = NULL;
  assert_status(LAL_OK, lal_pm_qos_hold(50, &q2, NULL));
  assert_int_equal(current_limit(), 0); /* the lowest request wins */
  assert_status(LAL_OK, lal_pm_qos_release(q));
  assert_int_equal(current_limit(), 50);
  assert_status(LAL_OK, lal_pm_qos_release(q2));
  assert_true(current_limit() > 50);                /* the default again */
  assert_status(LAL_EINVAL, lal_pm_qos_release(q)); /* twice: refused, nothing done */
#endif
}

#ifdef __linux__
static int unprivileged_hold(void *ctx, char *msg, size_t size) {
  (void)ctx;
  if (setgid(65534) != 0 || setuid(65534) != 0) {
    snprintf(msg, size, "could not drop privilege");
    return 0;
  }
  lal_pm_qos_result res = LAL_PM_QOS_RESULT_INIT;
  lal_pm_qos *q = NULL;
  int rc = lal_pm_qos_hold(0, &q, &res);
  if (rc != LAL_EPERM || q || !strstr(res.reason, "root's")) {
    snprintf(msg, size, "as nobody: %s, reason '%s'", lal_err_name(rc), res.reason);
    return 0;
  }
  return 1;
}

static void without_root_it_is_eperm_with_the_reason(void **state) {
  (void)state;
  if (getuid() != 0)
    LAL_SKIP("dropping privilege in a child needs root to start from");
  if (access("/dev/cpu_dma_latency", F_OK) != 0)
    LAL_SKIP("no /dev/cpu_dma_latency on this kernel");
  lal_test_in_child(unprivileged_hold, NULL);
}
#endif

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bad_input_changes_nothing),
      cmocka_unit_test(hold_and_release),
#ifdef __linux__
      cmocka_unit_test(without_root_it_is_eperm_with_the_reason),
#endif
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
