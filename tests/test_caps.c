/* SPDX-License-Identifier: MIT */
/* lal_query_caps: struct-size handling, and each probed fact checked against
 * an independent source on this OS. */
#include <string.h>

#include "lal_test.h"
#include "lal_test_child.h"

#ifdef _WIN32
#  include <windows.h>
#else
#  include <dirent.h>
#  include <sys/resource.h>
#  include <sys/utsname.h>
#  include <sys/wait.h>
#  include <unistd.h>
#endif

static void query_caps_rejects_null_and_bad_sizes_without_writing(void **state) {
  (void)state;
  assert_status(LAL_EINVAL, lal_query_caps(NULL));
  lal_caps caps, before;
  memset(&caps, 0x5A, sizeof caps);
  caps.size = 0;
  before = caps;
  assert_status(LAL_EINVAL, lal_query_caps(&caps));
  assert_memory_equal(&caps, &before, sizeof caps);
  /* One byte short of the first version of the struct (through os_release). */
  const size_t first_version = offsetof(lal_caps, os_release) + sizeof caps.os_release;
  caps.size = first_version - 1;
  before = caps;
  assert_status(LAL_EINVAL, lal_query_caps(&caps));
  assert_memory_equal(&caps, &before, sizeof caps);
  /* A caller built against that first version gets its fields and nothing
   * past them is written (cpu_model and later came after). */
  caps.size = first_version;
  before = caps;
  assert_status(LAL_OK, lal_query_caps(&caps));
  assert_memory_equal((char *)&caps + first_version, (char *)&before + first_version,
                      sizeof caps - first_version);
  assert_true(caps.cpu_count >= 1);
  caps.size = 4097; /* a caller that forgot LAL_CAPS_INIT */
  before = caps;
  assert_status(LAL_EINVAL, lal_query_caps(&caps));
  assert_memory_equal(&caps, &before, sizeof caps);
}

static void query_caps_zeroes_the_tail_of_a_newer_larger_struct(void **state) {
  (void)state;
  struct {
    lal_caps caps;
    unsigned char future[64];
  } newer;
  memset(&newer, 0xEE, sizeof newer);
  newer.caps.size = sizeof newer;
  assert_status(LAL_OK, lal_query_caps(&newer.caps));
  assert_int_equal(newer.caps.size, sizeof newer);
  for (size_t i = 0; i < sizeof newer.future; i++)
    assert_int_equal(newer.future[i], 0);
}

#ifdef _WIN32
/* Independent count: the sum over processor groups from
 * GetLogicalProcessorInformationEx(RelationGroup). */
static int independent_cpu_count(void) {
  char buf[4096];
  DWORD len = sizeof buf;
  if (!GetLogicalProcessorInformationEx(RelationGroup, (void *)buf, &len))
    return -1;
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *info = (void *)buf;
  int n = 0;
  for (WORD g = 0; g < info->Group.ActiveGroupCount; g++)
    n += info->Group.GroupInfo[g].ActiveProcessorCount;
  return n;
}
#else
/* Independent count: the cpuN directories under /sys/devices/system/cpu. */
static int independent_cpu_count(void) {
  DIR *d = opendir("/sys/devices/system/cpu");
  if (!d)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strncmp(e->d_name, "cpu", 3) == 0 && e->d_name[3] >= '0' && e->d_name[3] <= '9')
      n++;
  closedir(d);
  return n;
}
#endif

static void query_caps_reports_this_os_and_its_cpu_count(void **state) {
  (void)state;
  lal_caps caps = LAL_CAPS_INIT;
  assert_status(LAL_OK, lal_query_caps(&caps));
  assert_true(caps.cpu_count >= 1);
  int expected = independent_cpu_count();
  if (expected > 0)
    assert_int_equal(caps.cpu_count, expected);
  assert_true(caps.os_release[0] != '\0');
#ifdef _WIN32
  assert_int_equal(caps.os, LAL_OS_WINDOWS);
  assert_string_equal(caps.os_name, "Windows");
  assert_int_equal(caps.large_page_size, GetLargePageMinimum());
  /* Wine keeps its own registry key; Windows has none. */
  HKEY key;
  int wine_key =
      RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Software\\Wine", 0, KEY_READ, &key) == ERROR_SUCCESS;
  if (wine_key)
    RegCloseKey(key);
  assert_int_equal(!!(caps.machine_features & LAL_CAP_UNDER_WINE), wine_key);
  assert_int_equal(caps.machine_features & (LAL_CAP_IO_URING | LAL_CAP_CGROUP2), 0);
#else
  assert_int_equal(caps.os, LAL_OS_LINUX);
  assert_string_equal(caps.os_name, "Linux");
  struct utsname uts;
  assert_int_equal(uname(&uts), 0);
  assert_string_equal(caps.os_release, uts.release);
  struct rlimit rl;
  assert_int_equal(getrlimit(RLIMIT_MEMLOCK, &rl), 0);
  assert_true(caps.memlock_limit ==
              (rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur));
  assert_int_equal(!!(caps.machine_features & LAL_CAP_ELEVATED), geteuid() == 0);
  assert_int_equal(caps.machine_features & LAL_CAP_UNDER_WINE, 0);
  if (caps.machine_features & LAL_CAP_LARGE_PAGES)
    assert_true(caps.large_page_size >= 2u * 1024 * 1024);
#endif
}

static void query_caps_build_features_name_only_known_bits(void **state) {
  (void)state;
  lal_caps caps = LAL_CAPS_INIT;
  assert_status(LAL_OK, lal_query_caps(&caps));
  unsigned known = LAL_FEATURE_HWLOC | LAL_FEATURE_NUMA | LAL_FEATURE_URING | LAL_FEATURE_XDP |
                   LAL_FEATURE_CGROUP;
  assert_int_equal(caps.build_features & ~known, 0);
#ifdef _WIN32
  assert_int_equal(caps.build_features, 0); /* every optional module is Linux-only */
#endif
}

#ifdef _WIN32
/* In a child whose token lost every privilege: no privilege-backed caps,
 * and ELEVATED as the token itself says. */
static int unprivileged_caps(void *ctx, char *msg, size_t size) {
  (void)ctx;
  lal_caps caps = LAL_CAPS_INIT;
  int rc = lal_query_caps(&caps);
  unsigned privileged = LAL_CAP_RT_PRIORITY | LAL_CAP_MEMLOCK_ANY | LAL_CAP_LARGE_PAGES;
  if (rc != LAL_OK || (caps.machine_features & privileged)) {
    snprintf(msg, size, "lal_query_caps %s, features %#x", lal_err_name(rc), caps.machine_features);
    return 0;
  }
  HANDLE token;
  TOKEN_ELEVATION e = {0};
  DWORD len = 0;
  if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
    GetTokenInformation(token, TokenElevation, &e, sizeof e, &len);
    CloseHandle(token);
  }
  if (!!(caps.machine_features & LAL_CAP_ELEVATED) != !!e.TokenIsElevated) {
    snprintf(msg, size, "ELEVATED %d but the token says %lu",
             !!(caps.machine_features & LAL_CAP_ELEVATED), (unsigned long)e.TokenIsElevated);
    return 0;
  }
  return 1;
}
#endif

static void query_caps_reports_no_privilege_for_an_unprivileged_user(void **state) {
  (void)state;
#ifdef _WIN32
  lal_test_in_restricted_child("caps");
#else
  if (geteuid() != 0)
    LAL_SKIP("not root: cannot drop to the unprivileged user 'nobody' to compare");
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0)
      _exit(10);
    lal_caps caps = LAL_CAPS_INIT;
    if (lal_query_caps(&caps) != LAL_OK)
      _exit(11);
    unsigned privileged = LAL_CAP_ELEVATED | LAL_CAP_MEMLOCK_ANY | LAL_CAP_NET_ADMIN;
    if (caps.machine_features & privileged)
      _exit(12);
    struct rlimit rl;
    int rt_by_limit = getrlimit(RLIMIT_RTPRIO, &rl) == 0 && rl.rlim_cur > 0;
    if (!!(caps.machine_features & LAL_CAP_RT_PRIORITY) != rt_by_limit)
      _exit(13);
    _exit(0);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

int main(int argc, char **argv) {
  LAL_TEST_CHILDREN(argc, argv, {"caps", unprivileged_caps});
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(query_caps_rejects_null_and_bad_sizes_without_writing),
      cmocka_unit_test(query_caps_zeroes_the_tail_of_a_newer_larger_struct),
      cmocka_unit_test(query_caps_reports_this_os_and_its_cpu_count),
      cmocka_unit_test(query_caps_build_features_name_only_known_bits),
      cmocka_unit_test(query_caps_reports_no_privilege_for_an_unprivileged_user),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
