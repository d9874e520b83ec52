/* SPDX-License-Identifier: MIT */
/* The error model: status names, the per-OS translators, the thread-local
 * last OS error, and the version API. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "lal_test.h"
#include "common/lal_internal.h"
#include "common/lal_os.h"

#ifdef _WIN32
#  include <windows.h>
#else
#  include <pthread.h>
#endif

static const int all_statuses[] = {LAL_OK,     LAL_EINVAL, LAL_EPERM,  LAL_ENOTSUP, LAL_ENOMEM,
                                   LAL_ERANGE, LAL_EBUSY,  LAL_EAGAIN, LAL_ENOENT,  LAL_EIO};

static void statuses_keep_their_published_numbers(void **state) {
  (void)state;
  /* Append-only ABI: these numbers are part of the contract. */
  assert_int_equal(LAL_OK, 0);
  assert_int_equal(LAL_EINVAL, -1);
  assert_int_equal(LAL_EPERM, -2);
  assert_int_equal(LAL_ENOTSUP, -3);
  assert_int_equal(LAL_ENOMEM, -4);
  assert_int_equal(LAL_ERANGE, -5);
  assert_int_equal(LAL_EBUSY, -6);
  assert_int_equal(LAL_EAGAIN, -7);
  assert_int_equal(LAL_ENOENT, -8);
  assert_int_equal(LAL_EIO, -9);
}

static void every_status_has_a_distinct_name_and_text(void **state) {
  (void)state;
  size_t n = sizeof all_statuses / sizeof all_statuses[0];
  for (size_t i = 0; i < n; i++) {
    const char *name = lal_err_name(all_statuses[i]);
    assert_non_null(name);
    assert_true(strncmp(name, "LAL_", 4) == 0);
    assert_string_not_equal(name, "LAL_UNKNOWN");
    assert_string_not_equal(lal_strerror(all_statuses[i]), "unknown lal status");
    for (size_t j = 0; j < i; j++) {
      assert_string_not_equal(name, lal_err_name(all_statuses[j]));
      assert_string_not_equal(lal_strerror(all_statuses[i]), lal_strerror(all_statuses[j]));
    }
  }
  assert_string_equal(lal_err_name(LAL_EINVAL), "LAL_EINVAL");
  assert_string_equal(lal_err_name(LAL_EIO), "LAL_EIO");
}

static void unknown_statuses_get_a_placeholder_not_null(void **state) {
  (void)state;
  /* INT_MIN and its neighbours: -INT_MIN overflows int, and long where long
   * is 32 bits (Windows); a clang-built lal crashed there under Wine. */
  const int unknown[] = {1, 42, -10, -1000, INT_MIN, INT_MIN + 1, INT_MAX, -INT_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    assert_string_equal(lal_err_name(unknown[i]), "LAL_UNKNOWN");
    assert_string_equal(lal_strerror(unknown[i]), "unknown lal status");
  }
}

/* Each row: a portable status, an errno that means it, and that errno's
 * Windows twin. The same row must give the same status on both OSes. */
struct twin {
  int status;
  int errno_code;
  unsigned long win32_code;
};

static const struct twin twins[] = {
    {LAL_EINVAL, EINVAL, 87 /* ERROR_INVALID_PARAMETER */},
    {LAL_EINVAL, EBADF, 6 /* ERROR_INVALID_HANDLE */},
    {LAL_EPERM, EPERM, 1314 /* ERROR_PRIVILEGE_NOT_HELD */},
    {LAL_EPERM, EACCES, 5 /* ERROR_ACCESS_DENIED */},
    {LAL_ENOTSUP, ENOSYS, 120 /* ERROR_CALL_NOT_IMPLEMENTED */},
    {LAL_ENOTSUP, EOPNOTSUPP, 50 /* ERROR_NOT_SUPPORTED */},
    {LAL_ENOMEM, ENOMEM, 8 /* ERROR_NOT_ENOUGH_MEMORY */},
    {LAL_ENOMEM, ENOMEM, 1453 /* ERROR_WORKING_SET_QUOTA */},
    {LAL_ERANGE, ERANGE, 122 /* ERROR_INSUFFICIENT_BUFFER */},
    {LAL_ERANGE, EOVERFLOW, 534 /* ERROR_ARITHMETIC_OVERFLOW */},
    {LAL_EBUSY, EBUSY, 170 /* ERROR_BUSY */},
    {LAL_EBUSY, EEXIST, 183 /* ERROR_ALREADY_EXISTS */},
    {LAL_EAGAIN, EAGAIN, 1237 /* ERROR_RETRY */},
    {LAL_EAGAIN, ETIMEDOUT, 1460 /* ERROR_TIMEOUT */},
    {LAL_ENOENT, ENOENT, 2 /* ERROR_FILE_NOT_FOUND */},
    {LAL_ENOENT, ENODEV, 55 /* ERROR_DEV_NOT_EXIST */},
    {LAL_EIO, EIO, 1117 /* ERROR_IO_DEVICE */},
    {LAL_EIO, 0, 0 /* a failure that names no cause */},
};

static int native_code(const struct twin *t) {
#ifdef _WIN32
  return (int)t->win32_code;
#else
  return t->errno_code;
#endif
}

static void os_errors_map_to_the_same_status_as_their_twins(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
    int got = lali_os_status_from_native(native_code(&twins[i]));
    if (got != twins[i].status)
      fail_msg("native error %d maps to %s, expected %s", native_code(&twins[i]), lal_err_name(got),
               lal_err_name(twins[i].status));
  }
}

static void fail_native_records_the_raw_error_for_this_thread(void **state) {
  (void)state;
  int native = native_code(&twins[4]);
  assert_status(LAL_ENOTSUP, lali_fail_native(native));
  assert_int_equal(lal_last_os_error(), native);
}

#ifdef _WIN32
static DWORD WINAPI other_thread(void *arg) {
  *(int *)arg = lal_last_os_error();
  lali_fail_native(5);
  return 0;
}
#else
static void *other_thread(void *arg) {
  *(int *)arg = lal_last_os_error();
  lali_fail_native(EACCES);
  return NULL;
}
#endif

static void last_os_error_is_thread_local(void **state) {
  (void)state;
  int seen = -1;
  int mine = native_code(&twins[0]);
  lali_fail_native(mine);
#ifdef _WIN32
  HANDLE h = CreateThread(NULL, 0, other_thread, &seen, 0, NULL);
  assert_non_null(h);
  WaitForSingleObject(h, INFINITE);
  CloseHandle(h);
#else
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, other_thread, &seen), 0);
  pthread_join(t, NULL);
#endif
  assert_int_equal(seen, 0);                   /* a new thread starts clean */
  assert_int_equal(lal_last_os_error(), mine); /* its failure did not leak here */
}

static void fail_os_captures_the_current_native_error(void **state) {
  (void)state;
#ifdef _WIN32
  SetLastError(ERROR_ACCESS_DENIED);
#else
  errno = EACCES;
#endif
  assert_status(LAL_EPERM, lali_fail_os());
  assert_int_equal(lal_last_os_error(), lali_os_native_error());
}

static void version_matches_the_header(void **state) {
  (void)state;
  assert_int_equal(lal_version(), LAL_VERSION);
  char want[32];
  snprintf(want, sizeof want, "%d.%d.%d", LAL_VERSION_MAJOR, LAL_VERSION_MINOR, LAL_VERSION_PATCH);
  assert_string_equal(lal_version_string(), want);
  assert_int_equal(LAL_VERSION_NUM(1, 2, 3), 0x010203);
}

/* Every value of every enum a result carries has its own name; values the
 * enums do not have (negative, one past the end, huge) name themselves
 * "unknown", never NULL. */
static void enum_values_have_distinct_names(void **state) {
  (void)state;
  const char *(*const fn[])(int) = {lal_priority_profile_name, lal_policy_name,
                                    lal_priority_via_name, lal_page_kind_name};
  const int first[] = {LAL_PRIORITY_BACKGROUND, LAL_POLICY_OTHER, LAL_VIA_DIRECT, LAL_PAGE_DEFAULT};
  const int last[] = {LAL_PRIORITY_EXPLICIT, LAL_POLICY_WINDOWS, LAL_VIA_UNCHANGED, LAL_PAGE_HUGE};
  for (size_t e = 0; e < sizeof fn / sizeof fn[0]; e++) {
    for (int v = first[e]; v <= last[e]; v++) {
      assert_non_null(fn[e](v));
      assert_string_not_equal(fn[e](v), "unknown");
      for (int w = first[e]; w < v; w++)
        assert_string_not_equal(fn[e](v), fn[e](w));
    }
    const int bad[] = {first[e] - 1, last[e] + 1, INT32_MIN, INT32_MAX};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
      assert_string_equal(fn[e](bad[b]), "unknown");
  }
  assert_string_equal(lal_policy_name(LAL_POLICY_FIFO), "SCHED_FIFO");
  assert_string_equal(lal_priority_via_name(LAL_VIA_RTKIT), "rtkit");
  assert_string_equal(lal_page_kind_name(LAL_PAGE_LARGE), "large");
  assert_string_equal(lal_priority_profile_name(LAL_PRIORITY_AUDIO), "AUDIO");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(statuses_keep_their_published_numbers),
      cmocka_unit_test(every_status_has_a_distinct_name_and_text),
      cmocka_unit_test(unknown_statuses_get_a_placeholder_not_null),
      cmocka_unit_test(os_errors_map_to_the_same_status_as_their_twins),
      cmocka_unit_test(fail_native_records_the_raw_error_for_this_thread),
      cmocka_unit_test(last_os_error_is_thread_local),
      cmocka_unit_test(fail_os_captures_the_current_native_error),
      cmocka_unit_test(version_matches_the_header),
      cmocka_unit_test(enum_values_have_distinct_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
