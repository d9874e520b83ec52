/* SPDX-License-Identifier: MIT */
/* /proc and /sys parsing, replayed from recorded trees under tests/data/machines (and smaps under
 * tests/data/linux). */
#include <pthread.h>
#include <string.h>

#include "fake_tree.h"
#include "lal_test.h"
#include "common/lal_internal.h"
#include "linux/procfs.h"

#ifndef LAL_TEST_DATA_DIR
#  error "LAL_TEST_DATA_DIR must name tests/data"
#endif

static void read_root(const char *machine, const char *path, char *buf, size_t size) {
  char root[1024];
  snprintf(root, sizeof root, "%s/machines/%s", LAL_TEST_DATA_DIR, machine);
  int n = lali_linux_read_text(root, path, buf, size);
  if (n <= 0)
    fail_msg("cannot read %s%s: %s", root, path, lal_err_name(n));
}

static void meminfo_values_scale_kilobytes_to_bytes(void **state) {
  (void)state;
  char text[8192];
  read_root("vm-2cpu", "/proc/meminfo", text, sizeof text);
  assert_true(lali_linux_meminfo_value(text, "Hugepagesize") == 2048u * 1024);
  assert_true(lali_linux_meminfo_value(text, "HugePages_Free") == 0);
  read_root("server-unprivileged", "/proc/meminfo", text, sizeof text);
  assert_true(lali_linux_meminfo_value(text, "Hugepagesize") == UINT64_C(1) << 30);
  assert_true(lali_linux_meminfo_value(text, "HugePages_Free") == 12); /* a count, no unit */
  assert_true(lali_linux_meminfo_value(text, "NoSuchKey") == 0);
  /* a key that is only a prefix of another must not match it */
  assert_true(lali_linux_meminfo_value(text, "HugePages") == 0);
}

static void status_cap_eff_is_read_as_hex(void **state) {
  (void)state;
  char text[4096];
  read_root("vm-2cpu", "/proc/self/status", text, sizeof text);
  assert_true(lali_linux_status_cap_eff(text) == UINT64_C(0x000001fffeffffff));
  read_root("server-unprivileged", "/proc/self/status", text, sizeof text);
  assert_true(lali_linux_status_cap_eff(text) == 0);
}

static void mountinfo_finds_cgroup2_on_hybrid_and_pure_hierarchies(void **state) {
  (void)state;
  char text[16384];
  read_root("vm-2cpu", "/proc/self/mountinfo", text, sizeof text);
  assert_int_equal(lali_linux_mountinfo_has_fstype(text, "cgroup2"), 1);
  assert_int_equal(lali_linux_mountinfo_has_fstype(text, "cgroup"), 1);
  assert_int_equal(lali_linux_mountinfo_has_fstype(text, "hugetlbfs"), 0);
  read_root("server-unprivileged", "/proc/self/mountinfo", text, sizeof text);
  assert_int_equal(lali_linux_mountinfo_has_fstype(text, "cgroup2"), 1);
  assert_int_equal(lali_linux_mountinfo_has_fstype(text, "cgroup"), 0);
  assert_int_equal(lali_linux_mountinfo_has_fstype(text, "hugetlbfs"), 1);
}

static void thp_mode_is_the_bracketed_choice(void **state) {
  (void)state;
  char text[256], mode[32];
  read_root("vm-2cpu", "/sys/kernel/mm/transparent_hugepage/enabled", text, sizeof text);
  assert_int_equal(lali_linux_bracketed_choice(text, mode, sizeof mode), 0);
  assert_true(strcmp(mode, "madvise") == 0 || strcmp(mode, "always") == 0 ||
              strcmp(mode, "never") == 0);
  read_root("server-unprivileged", "/sys/kernel/mm/transparent_hugepage/enabled", text,
            sizeof text);
  assert_int_equal(lali_linux_bracketed_choice(text, mode, sizeof mode), 0);
  assert_string_equal(mode, "never");
  assert_int_equal(lali_linux_bracketed_choice("always madvise never", mode, sizeof mode), -1);
  assert_int_equal(lali_linux_bracketed_choice("[madvise]", mode, 4), -1); /* too small */
}

static void read_text_reports_missing_files_and_truncates(void **state) {
  (void)state;
  char buf[8];
  assert_status(LAL_ENOENT,
                lali_linux_read_text(LAL_TEST_DATA_DIR, "/no/such/file", buf, sizeof buf));
  assert_true(lal_last_os_error() != 0);
  char root[1024];
  snprintf(root, sizeof root, "%s/machines/vm-2cpu", LAL_TEST_DATA_DIR);
  assert_int_equal(lali_linux_read_text(root, "/proc/meminfo", buf, sizeof buf), 7);
  assert_int_equal(strlen(buf), 7);
}

/* /proc/<pid>/limits: the soft column, by the line's name (not a prefix of
 * another), "unlimited" as -1, a missing line as -2. */
static void limits_soft_values_by_name(void **state) {
  (void)state;
  char text[4096];
  read_root("container", "/proc/self/limits", text, sizeof text);
  assert_true(lali_linux_limit_soft(text, "Max locked memory") == 65536);
  read_root("rt-box", "/proc/self/limits", text, sizeof text);
  assert_true(lali_linux_limit_soft(text, "Max locked memory") == -1);
  assert_true(lali_linux_limit_soft(text, "Max realtime priority") >= 0);
  const char *t = "Limit                     Soft Limit           Hard Limit           Units\n"
                  "Max realtime priority     0                    0\n"
                  "Max realtime timeout      200000               unlimited            us\n";
  assert_true(lali_linux_limit_soft(t, "Max realtime priority") == 0);
  assert_true(lali_linux_limit_soft(t, "Max realtime timeout") == 200000);
  assert_true(lali_linux_limit_soft(t, "Max realtime") == -2); /* a prefix, not a name */
  assert_true(lali_linux_limit_soft(t, "Max locked memory") == -2);
  assert_true(lali_linux_limit_soft("Max locked memory  garbage\n", "Max locked memory") == -2);
}

/* smaps recorded from a process holding three lal mappings: 4 MiB of hugetlb,
 * 4 MiB of THP and 1 MiB locked base pages, each between other mappings. */
static lali_smaps_sum smaps_of(uintptr_t start, uintptr_t end) {
  FILE *f = fopen(LAL_TEST_DATA_DIR "/linux/smaps-lal-mappings", "r");
  assert_non_null(f);
  lali_smaps_sum s;
  assert_status(LAL_OK, lali_linux_smaps_sum(f, start, end, &s));
  fclose(f);
  return s;
}

static void smaps_sums_the_mappings_of_a_range(void **state) {
  (void)state;
  lali_smaps_sum s = smaps_of(0x7f20e2800000, 0x7f20e2c00000); /* hugetlb */
  assert_int_equal(s.vmas, 1);
  assert_true(s.kernel_page_size == 2u << 20);
  assert_true(s.hugetlb == 4u << 20);
  assert_true(s.rss == 0 && s.anon_huge == 0);
  assert_false(s.all_locked);
  s = smaps_of(0x7f20e2200000, 0x7f20e2600000); /* THP */
  assert_true(s.kernel_page_size == 4096);
  assert_true(s.anon_huge == 4u << 20 && s.rss == 4u << 20);
  s = smaps_of(0x7f20e2c94000, 0x7f20e2d94000); /* locked */
  assert_true(s.all_locked);
  assert_true(s.rss == 1u << 20);
  s = smaps_of(0x7f20e2c94000, 0x7f20e2d95000); /* spills into the next, unlocked */
  assert_int_equal(s.vmas, 2);
  assert_false(s.all_locked);
  s = smaps_of(0x1000, 0x2000); /* nothing there */
  assert_int_equal(s.vmas, 0);
  assert_false(s.all_locked);
}

/* lal_query_caps replayed on a recorded unprivileged server: CapEff 0, a
 * 1 GiB hugetlb pool with 12 free pages, THP never, cgroup2 mounted, no container.
 * This test runs as root in CI, so every capability bit it reads from the
 * tree (no CAP_IPC_LOCK, no CAP_NET_ADMIN) differs from the live answer. */
static void query_caps_replays_a_recorded_machine(void **state) {
  (void)state;
  char root[1024];
  snprintf(root, sizeof root, "%s/machines/server-unprivileged", LAL_TEST_DATA_DIR);
  lali_linux_set_root(root);
  lal_caps caps = LAL_CAPS_INIT;
  int rc = lal_query_caps(&caps);
  lali_linux_set_root(NULL);
  assert_status(LAL_OK, rc);
  assert_false(caps.machine_features & LAL_CAP_MEMLOCK_ANY);
  assert_false(caps.machine_features & LAL_CAP_NET_ADMIN);
  assert_true(caps.machine_features & LAL_CAP_LARGE_PAGES);
  assert_true(caps.large_page_size == 1024ull * 1024 * 1024);
  assert_true(caps.large_pages_free == 12);
  assert_true(caps.machine_features & LAL_CAP_CGROUP2);
  assert_string_equal(caps.container, ""); /* no /.dockerenv in the tree; CI runs in Docker */
  assert_string_equal(lali_linux_root(), "");
}

/* The root is the calling thread's: two threads replay two recorded
 * machines at once, each always seeing its own, and the main thread stays on
 * the live system throughout. */
typedef struct replay {
  const char *machine;
  uint64_t free_pages; /* HugePages_Free in its tree */
  int mismatches;
} replay;

static void *replay_many_times(void *arg) {
  replay *r = arg;
  char root[1024];
  snprintf(root, sizeof root, "%s/machines/%s", LAL_TEST_DATA_DIR, r->machine);
  lali_linux_set_root(root);
  for (int i = 0; i < 200; i++) {
    lal_caps caps = LAL_CAPS_INIT;
    if (lal_query_caps(&caps) != LAL_OK || caps.large_pages_free != r->free_pages)
      r->mismatches++;
  }
  lali_linux_set_root(NULL);
  return NULL;
}

static void two_threads_replay_two_machines_at_once(void **state) {
  (void)state;
  replay a = {"server-unprivileged", 12, 0}, b = {"rt-box", 500, 0};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, replay_many_times, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, replay_many_times, &b), 0);
  for (int i = 0; i < 200; i++)
    assert_string_equal(lali_linux_root(), "");
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  assert_int_equal(a.mismatches, 0);
  assert_int_equal(b.mismatches, 0);
}

/* Memory verification replayed: a recorded smaps that says the range sits
 * in transparent huge pages, locked, which this allocation is not. What
 * lal_mem_query reports comes from the kernel's answer, so it follows it. */
static void memory_verification_replays_a_recorded_smaps(void **state) {
  (void)state;
  void *p = NULL;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.flags = LAL_MEM_PREFAULT;
  assert_status(LAL_OK, lal_mem_alloc(4u << 20, &o, &p, NULL));
  lal_mem_info live = LAL_MEM_INFO_INIT, replayed = LAL_MEM_INFO_INIT;
  assert_status(LAL_OK, lal_mem_query(p, &live));
  char root[64], smaps[1024];
  fake_tree_make(root, sizeof root);
  uintptr_t start = (uintptr_t)p, end = start + (4u << 20);
  int n = snprintf(smaps, sizeof smaps,
                   "%lx-%lx rw-p 00000000 00:00 0\n"
                   "Size:               4096 kB\nKernelPageSize:        4 kB\n"
                   "Rss:                4096 kB\nAnonHugePages:      4096 kB\n"
                   "Private_Hugetlb:        0 kB\nLocked:             4096 kB\n"
                   "VmFlags: rd wr mr mw me ac hg lo\n",
                   (unsigned long)start, (unsigned long)end);
  fake_tree_put(root, "/proc/self/smaps", smaps, (size_t)n);
  lali_linux_set_root(root);
  int rc = lal_mem_query(p, &replayed);
  lali_linux_set_root(NULL);
  fake_tree_remove(root);
  lal_mem_free(p, 4u << 20);
  assert_status(LAL_OK, rc);
  assert_false(live.locked);
  assert_true(replayed.locked);
  assert_true(replayed.huge_bytes == 4u << 20);
  assert_true(replayed.resident_bytes == 4u << 20);
}

/* THP mode and io_uring_disabled come from the tree too: THP "never" makes a
 * LARGE request without hugetlb pages fall back to base pages, saying why. */
static void thp_mode_replays_from_the_tree(void **state) {
  (void)state;
  char root[64];
  fake_tree_make(root, sizeof root);
  FAKE_TREE_PUT(root, "/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
  void *p = NULL;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.page_kind = LAL_PAGE_LARGE;
  o.flags = LAL_MEM_FALLBACK;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  lali_linux_set_root(root);
  int rc = lal_mem_alloc(4u << 20, &o, &p, &info);
  lali_linux_set_root(NULL);
  fake_tree_remove(root);
  assert_status(LAL_OK, rc);
  lal_mem_free(p, 4u << 20);
  if (info.method == LAL_MEM_METHOD_HUGETLB)
    LAL_SKIP("hugetlb pages were free (another test reserved some): THP was not consulted");
  assert_int_equal(info.page_kind, LAL_PAGE_DEFAULT);
  if (!strstr(info.reason, "THP: disabled"))
    fail_msg("reason: %s", info.reason);
}

/* A kernel that demotes its clocksource after lal started (the TSC watchdog
 * switching to hpet): lal_clock_recalibrate re-reads it and reports both. */
static void recalibrate_reports_a_clocksource_change(void **state) {
  (void)state;
  lal_clock_info before = LAL_CLOCK_INFO_INIT, after = LAL_CLOCK_INFO_INIT;
  assert_status(LAL_OK, lal_clock_get_info(&before)); /* initialises on the live system */
  if (strcmp(before.os_clocksource_at_init, "hpet") == 0)
    LAL_SKIP("this machine already runs on hpet: no demotion to fake");
  char root[64];
  fake_tree_make(root, sizeof root);
  FAKE_TREE_PUT(root, "/sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n");
  lali_linux_set_root(root);
  lal_clock_recalibrate(); /* any status: the re-read happens first */
  lali_linux_set_root(NULL);
  assert_status(LAL_OK, lal_clock_get_info(&after));
  assert_string_equal(after.os_clocksource, "hpet");
  assert_string_equal(after.os_clocksource_at_init, before.os_clocksource_at_init);
  /* Back on the live system, the live source again. */
  lal_clock_recalibrate();
  assert_status(LAL_OK, lal_clock_get_info(&after));
  assert_string_equal(after.os_clocksource, before.os_clocksource_at_init);
  assert_int_equal(fake_tree_remove(root), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(meminfo_values_scale_kilobytes_to_bytes),
      cmocka_unit_test(status_cap_eff_is_read_as_hex),
      cmocka_unit_test(mountinfo_finds_cgroup2_on_hybrid_and_pure_hierarchies),
      cmocka_unit_test(thp_mode_is_the_bracketed_choice),
      cmocka_unit_test(limits_soft_values_by_name),
      cmocka_unit_test(read_text_reports_missing_files_and_truncates),
      cmocka_unit_test(smaps_sums_the_mappings_of_a_range),
      cmocka_unit_test(query_caps_replays_a_recorded_machine),
      cmocka_unit_test(two_threads_replay_two_machines_at_once),
      cmocka_unit_test(memory_verification_replays_a_recorded_smaps),
      cmocka_unit_test(thp_mode_replays_from_the_tree),
      cmocka_unit_test(recalibrate_reports_a_clocksource_change),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
