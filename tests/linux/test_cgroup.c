/* SPDX-License-Identifier: MIT */
/*
 * cgroups v2: parsers on recorded text, every bad name and value, the
 * setters against a fake cgroupfs tree in a temp directory (for controllers
 * this machine lacks), and, as root, the real hierarchy: create a group, move
 * a process and a thread in and out, read PSI, fire a PSI trigger, remove.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "fake_tree.h"
#include "lal_test.h"
#include "lal_test_child.h"
#include "linux/procfs.h"

static char *slurp(const char *path) {
  static char buf[65536];
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void mount_and_self_path_are_found(void **state) {
  (void)state;
  char mount[256], path[512];
  int hybrid = -1;
  const char *text = slurp(LAL_TEST_DATA_DIR "/machines/vm-2cpu/proc/self/mountinfo");
  assert_non_null(text);
  assert_status(LAL_OK, lali_cgroup_find_mount(text, mount, sizeof mount, &hybrid));
  assert_string_equal(mount, "/sys/fs/cgroup/unified");
  assert_int_equal(hybrid, 1);
  text = slurp(LAL_TEST_DATA_DIR "/machines/server-unprivileged/proc/self/mountinfo");
  assert_status(LAL_OK, lali_cgroup_find_mount(text, mount, sizeof mount, &hybrid));
  assert_string_equal(mount, "/sys/fs/cgroup");
  assert_int_equal(hybrid, 0);
  assert_status(LAL_ENOTSUP, lali_cgroup_find_mount("22 1 0:5 / /proc rw - proc proc rw\n", mount,
                                                    sizeof mount, &hybrid));
  /* A mount point with a space is escaped as \040 in mountinfo. */
  assert_status(LAL_OK, lali_cgroup_find_mount("30 1 0:9 / /mnt/my\\040cg rw - cgroup2 none rw\n",
                                               mount, sizeof mount, &hybrid));
  assert_string_equal(mount, "/mnt/my cg");

  assert_status(LAL_OK,
                lali_cgroup_self_path("12:cpu:/\n0::/user.slice/app.scope\n", path, sizeof path));
  assert_string_equal(path, "/user.slice/app.scope");
  assert_status(LAL_OK, lali_cgroup_self_path("0::/gone (deleted)\n", path, sizeof path));
  assert_string_equal(path, "/gone");
  assert_status(LAL_ENOTSUP, lali_cgroup_self_path("4:memory:/x\n", path, sizeof path));
  /* A forged path that climbs out of the hierarchy is refused (the doctor
   * read cpu.max from outside its --root with it). */
  assert_status(LAL_EIO,
                lali_cgroup_self_path("0::/../../../../tmp/x/outside\n", path, sizeof path));
  assert_status(LAL_EIO, lali_cgroup_self_path("0::/a/..\n", path, sizeof path));
  assert_status(LAL_EIO, lali_cgroup_self_path("0::relative\n", path, sizeof path));
  /* Too long for the buffer: refused, not cut into another group's name. */
  assert_status(LAL_EIO, lali_cgroup_self_path("0::/abcdefgh\n", path, 6));
}

/* cgroup v1 lookups for hybrid hosts: the hierarchy whose super options
 * name the controller (a whole word of the comma list), and our path in it. */
static void cgroup1_mount_and_path_are_found(void **state) {
  (void)state;
  char mount[256], path[512];
  const char *text = slurp(LAL_TEST_DATA_DIR "/machines/vm-2cpu/proc/self/mountinfo");
  assert_non_null(text);
  assert_status(LAL_OK, lali_cgroup1_find_mount(text, "cpu", mount, sizeof mount));
  assert_string_equal(mount, "/sys/fs/cgroup/cpu");
  assert_status(LAL_OK, lali_cgroup1_find_mount(text, "cpuset", mount, sizeof mount));
  assert_string_equal(mount, "/sys/fs/cgroup/cpuset");
  const char *joint = "40 30 0:37 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";
  assert_status(LAL_OK, lali_cgroup1_find_mount(joint, "cpuacct", mount, sizeof mount));
  assert_string_equal(mount, "/sys/fs/cgroup/cpu,cpuacct");
  assert_status(LAL_ENOTSUP, lali_cgroup1_find_mount(joint, "cpus", mount, sizeof mount));
  text = slurp(LAL_TEST_DATA_DIR "/machines/server-unprivileged/proc/self/mountinfo");
  assert_status(LAL_ENOTSUP, lali_cgroup1_find_mount(text, "cpu", mount, sizeof mount));

  const char *self = "12:cpuset:/\n4:cpu,cpuacct:/user.slice/game\n0::/user.slice\n";
  assert_status(LAL_OK, lali_cgroup1_self_path(self, "cpu", path, sizeof path));
  assert_string_equal(path, "/user.slice/game");
  assert_status(LAL_OK, lali_cgroup1_self_path(self, "cpuset", path, sizeof path));
  assert_string_equal(path, "/");
  assert_status(LAL_ENOTSUP, lali_cgroup1_self_path(self, "memory", path, sizeof path));
  assert_status(LAL_EIO, lali_cgroup1_self_path("4:cpu:/../../etc\n", "cpu", path, sizeof path));
}

static void paths_cannot_escape_the_hierarchy(void **state) {
  (void)state;
  const char *bad[] = {"",   "a",      "/..", "/../x", "/a/../b", "/a/..",
                       "/.", "/a/./b", "//",  "/a//b", "/a/",     NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (lali_cgroup_path_valid(bad[i]))
      fail_msg("path \"%s\" was accepted", bad[i] ? bad[i] : "(null)");
  assert_true(lali_cgroup_path_valid("/"));
  assert_true(lali_cgroup_path_valid("/user.slice/app-1.scope"));
  assert_true(lali_cgroup_path_valid("/a/.../b")); /* odd but no escape */
}

static void file_formats_parse(void **state) {
  (void)state;
  assert_int_equal(lali_cgroup_controller_bits("cpuset cpu io memory hugetlb pids rdma misc\n"),
                   0xff);
  assert_int_equal(lali_cgroup_controller_bits("hugetlb\n"), LAL_CGROUP_HUGETLB);
  assert_int_equal(lali_cgroup_controller_bits(""), 0);
  assert_int_equal(lali_cgroup_controller_bits("cpux foo"), 0);

  lal_cgroup_cpu_stat st;
  memset(&st, 0, sizeof st);
  lali_cgroup_parse_cpu_stat("usage_usec 500\nuser_usec 300\nsystem_usec 200\nnr_periods 10\n"
                             "nr_throttled 4\nthrottled_usec 12345\n",
                             &st);
  assert_true(st.usage_us == 500 && st.user_us == 300 && st.system_us == 200);
  assert_true(st.throttling_known && st.nr_periods == 10 && st.nr_throttled == 4 &&
              st.throttled_us == 12345);
  memset(&st, 0, sizeof st);
  lali_cgroup_parse_cpu_stat("usage_usec 7\nuser_usec 5\nsystem_usec 2\n", &st);
  assert_false(st.throttling_known); /* no cpu controller: no throttling lines */

  lal_psi psi;
  memset(&psi, 0, sizeof psi);
  assert_status(LAL_OK, lali_cgroup_parse_psi("some avg10=1.50 avg60=0.25 avg300=0.00 total=123\n"
                                              "full avg10=0.10 avg60=0.00 avg300=0.00 total=9\n",
                                              &psi));
  assert_true(psi.some.avg10 > 1.49 && psi.some.avg10 < 1.51 && psi.some.total_us == 123);
  assert_true(psi.has_full && psi.full.total_us == 9);
  memset(&psi, 0, sizeof psi);
  assert_status(LAL_OK,
                lali_cgroup_parse_psi("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", &psi));
  assert_false(psi.has_full);
  assert_status(LAL_EIO, lali_cgroup_parse_psi("garbage\n", &psi));
  assert_status(LAL_EIO, lali_cgroup_parse_psi("some avg10=x\n", &psi));

  char why[128];
  assert_int_equal(lali_cgroup_parse_partition("member\n", why, sizeof why), 0);
  assert_int_equal(lali_cgroup_parse_partition("isolated\n", why, sizeof why), 2);
  assert_int_equal(lali_cgroup_parse_partition("root\n", why, sizeof why), 1);
  assert_int_equal(lali_cgroup_parse_partition(
                       "root invalid (Cpu list in cpuset.cpus not exclusive)\n", why, sizeof why),
                   -1);
  assert_string_equal(why, "Cpu list in cpuset.cpus not exclusive");
}

static void names_cannot_escape_the_subtree(void **state) {
  (void)state;
  const char *bad[] = {"",
                       ".",
                       "..",
                       "a/b",
                       "../x",
                       "/abs",
                       "x\n",
                       "a b",
                       "tab\t",
                       "\x7f",
                       "caf\xc3\xa9",
                       "nul\x01",
                       "0123456789012345678901234567890123456789012345678901234567890123456789"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (lali_cgroup_name_valid(bad[i]))
      fail_msg("name \"%s\" was accepted", bad[i]);
  assert_true(lali_cgroup_name_valid("lal-test_1.2"));
  assert_true(lali_cgroup_name_valid("...")); /* odd but one component */
  assert_true(
      lali_cgroup_name_valid("0123456789012345678901234567890123456789012345678901234567890123"));
}

/* ---- a fake cgroupfs: plain files in a temp dir */

static char fake[256];

static void put(const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", fake, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static const char *get(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", fake, name);
  const char *s = slurp(path);
  return s ? s : "(missing)";
}

static int make_fake(void **state) {
  (void)state;
  snprintf(fake, sizeof fake, "/tmp/lal-fake-cgroup-XXXXXX");
  if (!mkdtemp(fake))
    return -1;
  put("cgroup.controllers", "cpuset cpu io memory pids\n");
  put("cgroup.subtree_control", "\n");
  put("cgroup.type", "domain\n");
  put("cgroup.procs", "");
  put("cgroup.threads", "");
  put("cpu.max", "max 100000\n");
  put("cpu.weight", "100\n");
  put("cpuset.cpus", "\n");
  put("cpuset.mems", "\n");
  put("cpuset.cpus.partition", "member\n");
  put("memory.min", "0\n");
  put("memory.high", "max\n");
  put("memory.max", "max\n");
  put("cpu.stat", "usage_usec 900\nuser_usec 600\nsystem_usec 300\nnr_periods 50\n"
                  "nr_throttled 7\nthrottled_usec 4200\n");
  put("cpu.pressure", "some avg10=2.00 avg60=1.00 avg300=0.50 total=777\n"
                      "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
  return 0;
}

static int remove_fake(void **state) {
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fake);
  return system(cmd) == 0 ? 0 : -1;
}

static lal_cgroup *open_fake(void) {
  lal_cgroup *g = NULL;
  assert_status(LAL_OK, lali_cgroup_open_at(fake, "/", 0, &g));
  return g;
}

static void setters_write_what_the_kernel_expects(void **state) {
  (void)state;
  lal_cgroup *g = open_fake();
  lal_cpuset set;
  lal_cpuset_parse(&set, "2-3,6");
  assert_status(LAL_OK, lal_cgroup_set_cpus(g, &set));
  assert_string_equal(get("cpuset.cpus"), "2-3,6");
  lal_cpuset_parse(&set, "0");
  assert_status(LAL_OK, lal_cgroup_set_mems(g, &set));
  assert_string_equal(get("cpuset.mems"), "0");
  assert_status(LAL_OK, lal_cgroup_set_cpu_max(g, 20000, 100000));
  assert_string_equal(get("cpu.max"), "20000 100000");
  assert_status(LAL_OK, lal_cgroup_set_cpu_max(g, UINT64_MAX, 50000));
  assert_string_equal(get("cpu.max"), "max 50000");
  assert_status(LAL_OK, lal_cgroup_set_cpu_weight(g, 10000));
  assert_string_equal(get("cpu.weight"), "10000");
  assert_status(LAL_OK, lal_cgroup_set_memory(g, LAL_CGROUP_MEMORY_HIGH, 64u << 20));
  assert_string_equal(get("memory.high"), "67108864");
  assert_status(LAL_OK, lal_cgroup_set_memory(g, LAL_CGROUP_MEMORY_MAX, UINT64_MAX));
  assert_string_equal(get("memory.max"), "max");
  assert_status(LAL_OK, lal_cgroup_set_memory(g, LAL_CGROUP_MEMORY_MIN, 4096));
  assert_string_equal(get("memory.min"), "4096");
  assert_status(LAL_OK, lal_cgroup_set_partition(g, LAL_CGROUP_PARTITION_ISOLATED));
  assert_string_equal(get("cpuset.cpus.partition"), "isolated");

  lal_cgroup_cpu_stat st = LAL_CGROUP_CPU_STAT_INIT;
  assert_status(LAL_OK, lal_cgroup_get_cpu_stat(g, &st));
  assert_true(st.throttling_known && st.nr_throttled == 7 && st.throttled_us == 4200);
  lal_psi psi = LAL_PSI_INIT;
  assert_status(LAL_OK, lal_cgroup_pressure(g, LAL_PSI_CPU, &psi));
  assert_true(psi.some.total_us == 777);
  assert_status(LAL_ENOTSUP, lal_cgroup_pressure(g, LAL_PSI_IO, &psi)); /* no io.pressure here */

  lal_cgroup_info info = LAL_CGROUP_INFO_INIT;
  assert_status(LAL_OK, lal_cgroup_get_info(g, &info));
  assert_int_equal(info.available, LAL_CGROUP_CPUSET | LAL_CGROUP_CPU | LAL_CGROUP_IO |
                                       LAL_CGROUP_MEMORY | LAL_CGROUP_PIDS);
  assert_string_equal(info.path, "/");
  lal_cgroup_close(g);
}

static void bad_values_change_nothing(void **state) {
  (void)state;
  lal_cgroup *g = open_fake();
  put("cpu.max", "max 100000\n");
  assert_status(LAL_EINVAL, lal_cgroup_set_cpu_max(g, 999, 100000));   /* quota < 1 ms */
  assert_status(LAL_EINVAL, lal_cgroup_set_cpu_max(g, 5000, 999));     /* period < 1 ms */
  assert_status(LAL_EINVAL, lal_cgroup_set_cpu_max(g, 5000, 1000001)); /* period > 1 s */
  assert_status(LAL_EINVAL, lal_cgroup_set_cpu_max(g, UINT64_C(1) << 60, 100000));
  assert_status(LAL_EINVAL, lal_cgroup_set_cpu_weight(g, 0));
  assert_status(LAL_EINVAL, lal_cgroup_set_cpu_weight(g, 10001));
  assert_status(LAL_EINVAL, lal_cgroup_set_uclamp_min(g, 10001));
  assert_status(LAL_EINVAL, lal_cgroup_set_memory(g, 3, 0));
  assert_status(LAL_EINVAL, lal_cgroup_set_memory(g, -1, 0));
  assert_status(LAL_EINVAL, lal_cgroup_set_partition(g, 3));
  lal_cpuset empty;
  lal_cpuset_zero(&empty);
  assert_status(LAL_EINVAL, lal_cgroup_set_cpus(g, &empty));
  assert_status(LAL_EINVAL, lal_cgroup_set_cpus(g, NULL));
  assert_status(LAL_EINVAL, lal_cgroup_set_mems(g, &empty));
  assert_status(LAL_EINVAL, lal_cgroup_move_process(g, -1));
  assert_status(LAL_EINVAL, lal_cgroup_move_thread(g, -5));
  assert_status(LAL_EINVAL, lal_cgroup_move_process(NULL, 0));
  assert_string_equal(get("cpu.max"), "max 100000\n");
  assert_string_equal(get("cgroup.procs"), "");

  lal_cgroup_cpu_stat st = LAL_CGROUP_CPU_STAT_INIT;
  st.size = 8;
  assert_status(LAL_EINVAL, lal_cgroup_get_cpu_stat(g, &st));
  lal_psi psi = LAL_PSI_INIT;
  assert_status(LAL_EINVAL, lal_cgroup_pressure(g, 3, &psi));
  lal_psi_trigger *t;
  assert_status(LAL_EINVAL, lal_psi_trigger_open(g, LAL_PSI_CPU, 0, 150000, 400000, &t));
  assert_status(LAL_EINVAL, lal_psi_trigger_open(g, LAL_PSI_CPU, 0, 0, 2000000, &t));
  assert_status(LAL_EINVAL, lal_psi_trigger_open(g, LAL_PSI_CPU, 0, 3000000, 2000000, &t));
  assert_status(LAL_EINVAL, lal_psi_trigger_open(g, LAL_PSI_CPU, 0, 100000, 20000000, &t));

  lal_cgroup *bad = NULL;
  assert_status(LAL_EINVAL, lali_cgroup_open_at(fake, "/../../etc", 0, &bad));
  assert_status(LAL_EINVAL, lali_cgroup_open_at(fake, "/a/..", 0, &bad));
  assert_status(LAL_EINVAL, lali_cgroup_open_at(fake, "relative", 0, &bad));
  assert_status(LAL_ENOENT, lali_cgroup_open_at(fake, "/no-such-group", 0, &bad));
  assert_null(bad);
  lal_cgroup_close(g);
}

static void missing_controllers_say_why(void **state) {
  (void)state;
  lal_cgroup *g = open_fake();
  put("cgroup.controllers", "hugetlb\n"); /* what this machine's hybrid cgroup2 has */
  assert_status(LAL_ENOTSUP, lal_cgroup_set_cpu_max(g, 20000, 100000));
  assert_non_null(strstr(lal_cgroup_reason(g), "cpu controller is not enabled"));
  assert_non_null(strstr(lal_cgroup_reason(g), "hugetlb"));
  assert_status(LAL_ENOTSUP, lal_cgroup_set_memory(g, LAL_CGROUP_MEMORY_HIGH, 1 << 20));
  assert_non_null(strstr(lal_cgroup_reason(g), "memory controller"));
  lal_cpuset one;
  lal_cpuset_parse(&one, "0");
  assert_status(LAL_ENOTSUP, lal_cgroup_set_cpus(g, &one));
  assert_string_equal(get("cpu.max"), "max 100000\n"); /* untouched */
  /* The controller is there but the kernel lacks the file. */
  put("cgroup.controllers", "cpu\n");
  assert_status(LAL_ENOTSUP, lal_cgroup_set_uclamp_min(g, 5000));
  assert_non_null(strstr(lal_cgroup_reason(g), "cpu.uclamp.min is absent"));
  put("cpu.uclamp.min", "0.00\n");
  assert_status(LAL_OK, lal_cgroup_set_uclamp_min(g, 2550));
  assert_string_equal(get("cpu.uclamp.min"), "25.50");
  put("cgroup.controllers", "cpuset cpu io memory pids\n");
  lal_cgroup_close(g);
}

static void create_is_all_or_nothing(void **state) {
  (void)state;
  lal_cgroup *g = open_fake(), *child = NULL;
  put("cgroup.subtree_control", "\n");
  assert_status(LAL_EINVAL, lal_cgroup_create(g, "../escape", 0, 0, &child));
  assert_status(LAL_EINVAL, lal_cgroup_create(g, "a/b", 0, 0, &child));
  assert_status(LAL_EINVAL, lal_cgroup_create(g, "ok", 1u << 7, 0, &child));
  assert_status(LAL_ENOTSUP, lal_cgroup_create(g, "ok", 0, LAL_CGROUP_HUGETLB, &child));
  assert_null(child);
  assert_string_equal(get("cgroup.subtree_control"), "\n");

  assert_status(LAL_OK,
                lal_cgroup_create(g, "child", 0, LAL_CGROUP_CPU | LAL_CGROUP_CPUSET, &child));
  assert_string_equal(get("cgroup.subtree_control"), "+cpu +cpuset");
  struct stat st;
  char dir[512];
  snprintf(dir, sizeof dir, "%s/child", fake);
  assert_int_equal(stat(dir, &st), 0);
  assert_status(LAL_EBUSY, lal_cgroup_create(g, "child", 0, 0, &child)); /* exists */
  lal_cgroup_info info = LAL_CGROUP_INFO_INIT;
  assert_status(LAL_OK, lal_cgroup_get_info(child, &info));
  assert_string_equal(info.path, "/child");
  assert_status(LAL_OK, lal_cgroup_remove(child));
  assert_int_equal(stat(dir, &st), -1);

  /* A threaded child whose cgroup.type cannot be written (a plain directory
   * has none): the child is removed and the parent's controllers put back. */
  put("cgroup.subtree_control", "\n");
  child = NULL;
  assert_status(LAL_ENOENT,
                lal_cgroup_create(g, "half", LAL_CGROUP_THREADED, LAL_CGROUP_CPU, &child));
  assert_null(child);
  snprintf(dir, sizeof dir, "%s/half", fake);
  assert_int_equal(stat(dir, &st), -1);
  assert_string_equal(get("cgroup.subtree_control"), "-cpu");
  assert_non_null(strstr(lal_cgroup_reason(g), "cgroup.type"));
  assert_status(LAL_EINVAL, lal_cgroup_remove(g)); /* the root */
  lal_cgroup_close(g);
}

/* ---- the real hierarchy (root) */

typedef struct helper {
  lal_cgroup *thread_group;
  int tid;
  volatile int stop;
  int move_status;
} helper;

static void *helper_thread(void *arg) {
  helper *h = arg;
  h->tid = (int)syscall(SYS_gettid);
  while (!h->stop)
    usleep(1000);
  return NULL;
}

/* The path the kernel shows for a task in /proc/<pid>/task/<tid>/cgroup. */
static int task_in(int tid, const char *path) {
  char file[96], want[600];
  snprintf(file, sizeof file, "/proc/self/task/%d/cgroup", tid);
  const char *text = slurp(file);
  snprintf(want, sizeof want, "0::%s\n", path);
  return text && strstr(text, want) != NULL;
}

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      snprintf(msg, size, "line %d: %s; reason: %s", __LINE__, #cond,                              \
               last ? lal_cgroup_reason(last) : "");                                               \
      return 0;                                                                                    \
    }                                                                                              \
  } while (0)

/* In a forked child: make P, move this process in, make threaded T under P,
 * move one thread into T and back, read PSI, remove both, move back. */
static int real_group_round_trip(char *msg, size_t size) {
  lal_cgroup *home = NULL, *p = NULL, *t = NULL, *last = NULL;
  CHECK(lal_cgroup_open(NULL, &home) == LAL_OK);
  last = home;
  lal_cgroup_info info = LAL_CGROUP_INFO_INIT;
  CHECK(lal_cgroup_get_info(home, &info) == LAL_OK);
  char name[32];
  snprintf(name, sizeof name, "lal-test-%d", (int)getpid());
  CHECK(lal_cgroup_create(home, name, 0, 0, &p) == LAL_OK);
  last = p;
  CHECK(lal_cgroup_move_process(p, 0) == LAL_OK);
  lal_cgroup_info pinfo = LAL_CGROUP_INFO_INIT;
  CHECK(lal_cgroup_get_info(p, &pinfo) == LAL_OK);
  CHECK(task_in((int)getpid(), pinfo.path));
  CHECK(lal_cgroup_create(p, "threads", LAL_CGROUP_THREADED, 0, &t) == LAL_OK);
  last = t;
  helper h = {0};
  pthread_t th;
  CHECK(pthread_create(&th, NULL, helper_thread, &h) == 0);
  while (!h.tid)
    usleep(100);
  int moved = lal_cgroup_move_thread(t, h.tid);
  lal_cgroup_info tinfo = LAL_CGROUP_INFO_INIT;
  lal_cgroup_get_info(t, &tinfo);
  int inside = task_in(h.tid, tinfo.path), main_stayed = task_in((int)getpid(), pinfo.path);
  int back = lal_cgroup_move_thread(p, h.tid);
  int outside = task_in(h.tid, pinfo.path);
  h.stop = 1;
  pthread_join(th, NULL);
  CHECK(moved == LAL_OK && inside && main_stayed && tinfo.threaded);
  CHECK(back == LAL_OK && outside);
  lal_psi psi = LAL_PSI_INIT;
  CHECK(lal_cgroup_pressure(p, LAL_PSI_CPU, &psi) == LAL_OK);
  lal_cgroup_cpu_stat st = LAL_CGROUP_CPU_STAT_INIT;
  CHECK(lal_cgroup_get_cpu_stat(p, &st) == LAL_OK && st.usage_us > 0);
  /* Without the cpu controller (a hybrid host) the setters say so. */
  int rc = lal_cgroup_set_cpu_max(p, 50000, 100000);
  CHECK(rc == LAL_OK || (rc == LAL_ENOTSUP && !(pinfo.available & LAL_CGROUP_CPU)));
  /* A group holding a process cannot go. */
  CHECK(lal_cgroup_remove(p) == LAL_EBUSY);
  CHECK(lal_cgroup_remove(t) == LAL_OK);
  last = home;
  CHECK(lal_cgroup_move_process(home, 0) == LAL_OK);
  CHECK(lal_cgroup_remove(p) == LAL_OK);
  lal_cgroup_close(home);
  return 1;
}

static int busy_until(volatile int *stop) {
  while (!*stop) {
  }
  return 0;
}

static void *spin(void *arg) {
  busy_until(arg);
  return NULL;
}

/* In a forked child: a group with 4 spinning threads on this machine's CPUs
 * stalls, and a "some 150 ms in 2 s" CPU trigger on it fires. */
static int psi_trigger_fires(char *msg, size_t size) {
  lal_cgroup *home = NULL, *p = NULL, *last = NULL;
  CHECK(lal_cgroup_open(NULL, &home) == LAL_OK);
  last = home;
  char name[32];
  snprintf(name, sizeof name, "lal-psi-%d", (int)getpid());
  CHECK(lal_cgroup_create(home, name, 0, 0, &p) == LAL_OK);
  last = p;
  CHECK(lal_cgroup_move_process(p, 0) == LAL_OK);
  lal_psi_trigger *trig = NULL;
  /* Windows of 2 s: root here lacks CAP_SYS_RESOURCE (PLATFORM-NOTES). */
  CHECK(lal_psi_trigger_open(p, LAL_PSI_CPU, 0, 150000, 2000000, &trig) == LAL_OK);
  volatile int stop = 0;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  pthread_t th[64];
  int n = (int)(cpus * 2 < 64 ? cpus * 2 : 64);
  for (int i = 0; i < n; i++)
    pthread_create(&th[i], NULL, spin, (void *)&stop);
  int fired = lal_psi_trigger_wait(trig, 15000);
  stop = 1;
  for (int i = 0; i < n; i++)
    pthread_join(th[i], NULL);
  lal_psi psi = LAL_PSI_INIT;
  lal_cgroup_pressure(p, LAL_PSI_CPU, &psi);
  lal_psi_trigger_close(trig);
  last = NULL; /* the handles are freed below: CHECK must not read their reason */
  lal_cgroup_move_process(home, 0);
  lal_cgroup_remove(p);
  lal_cgroup_close(home);
  CHECK(fired == LAL_OK);
  CHECK(psi.some.total_us > 150000);
  return 1;
}

typedef struct child_check {
  int (*fn)(char *, size_t);
} child_check;
static int call(void *ctx, char *msg, size_t size) { return ((child_check *)ctx)->fn(msg, size); }
static void run_child(int (*fn)(char *, size_t)) {
  child_check c = {fn};
  lal_test_in_child(call, &c);
}

static int real_cgroup2_usable(void) {
  lal_cgroup *g = NULL;
  if (lal_cgroup_open(NULL, &g) != LAL_OK)
    return 0;
  char probe[1200];
  snprintf(probe, sizeof probe, "%s/cgroup.procs", g->dir);
  int ok = access(probe, W_OK) == 0;
  lal_cgroup_close(g);
  return ok;
}

static void real_hierarchy_groups_moves_and_psi(void **state) {
  (void)state;
  if (getuid() != 0 || !real_cgroup2_usable())
    LAL_SKIP("needs root and a writable cgroup2 hierarchy");
  run_child(real_group_round_trip);
}

static void real_psi_trigger(void **state) {
  (void)state;
  if (getuid() != 0 || !real_cgroup2_usable())
    LAL_SKIP("needs root and a writable cgroup2 hierarchy");
  lal_psi psi = LAL_PSI_INIT;
  if (lal_cgroup_pressure(NULL, LAL_PSI_CPU, &psi) == LAL_ENOTSUP)
    LAL_SKIP("this kernel has no PSI (CONFIG_PSI or psi=0)");
  if (lal_test_under_valgrind())
    LAL_SKIP("valgrind runs one thread at a time: the spinning threads cannot build CPU "
             "pressure");
  run_child(psi_trigger_fires);
}

/* lal_cgroup_open(NULL) replayed on a recorded machine: the mount from its
 * mountinfo, the group from its /proc/self/cgroup, the group's files under
 * the same tree (a quota-throttled game, which this machine is not). */
static void open_of_self_replays_a_recorded_machine(void **state) {
  (void)state;
  char root[64];
  fake_tree_make(root, sizeof root);
  FAKE_TREE_PUT(root, "/proc/self/mountinfo",
                "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
                "30 1 0:27 / /sys/fs/cgroup rw,nosuid,nodev - cgroup2 cgroup2 rw\n");
  FAKE_TREE_PUT(root, "/proc/self/cgroup", "0::/game.slice/app.scope\n");
  FAKE_TREE_PUT(root, "/sys/fs/cgroup/game.slice/app.scope/cpu.stat",
                "usage_usec 5000\nuser_usec 4000\nsystem_usec 1000\nnr_periods 40\n"
                "nr_throttled 7\nthrottled_usec 900\n");
  lali_linux_set_root(root);
  lal_cgroup *g = NULL;
  int rc = lal_cgroup_open(NULL, &g);
  lali_linux_set_root(NULL);
  lal_cgroup_info info = LAL_CGROUP_INFO_INIT;
  lal_cgroup_cpu_stat st = LAL_CGROUP_CPU_STAT_INIT;
  int info_rc = g ? lal_cgroup_get_info(g, &info) : LAL_EINVAL;
  int stat_rc = g ? lal_cgroup_get_cpu_stat(g, &st) : LAL_EINVAL;
  lal_cgroup_close(g);
  fake_tree_remove(root);
  assert_status(LAL_OK, rc);
  assert_status(LAL_OK, info_rc);
  assert_string_equal(info.path, "/game.slice/app.scope");
  assert_int_equal(info.hybrid, 0);
  assert_status(LAL_OK, stat_rc);
  assert_int_equal(st.throttling_known, 1);
  assert_true(st.nr_throttled == 7 && st.throttled_us == 900);
}

static void open_rejects_bad_paths(void **state) {
  (void)state;
  lal_cgroup *g = NULL;
  assert_status(LAL_EINVAL, lal_cgroup_open("/../x", &g));
  assert_status(LAL_EINVAL, lal_cgroup_open("x", &g));
  assert_status(LAL_EINVAL, lal_cgroup_open(NULL, NULL));
  int rc = lal_cgroup_open("/lal-no-such-group-here", &g);
  assert_true(rc == LAL_ENOENT || rc == LAL_ENOTSUP);
  assert_null(g);
  assert_string_equal(lal_cgroup_reason(NULL), "");
  lal_cgroup_info info = LAL_CGROUP_INFO_INIT;
  assert_status(LAL_EINVAL, lal_cgroup_get_info(NULL, &info));
}

/* A regular file where a group is expected: LAL_ENOENT as the header says,
 * with the OS error that explains it (it was LAL_EIO from a stale errno). */
static void open_of_a_file_is_enoent_with_its_os_error(void **state) {
  (void)state;
  lal_cgroup *g = NULL;
  errno = 0;
  assert_status(LAL_ENOENT, lali_cgroup_open_at(fake, "/cgroup.procs", 0, &g));
  assert_null(g);
  assert_int_equal(lal_last_os_error(), ENOTDIR);
  assert_status(LAL_OK, lali_cgroup_open_at(fake, "/", 0, &g));
  lal_cgroup_close(g);
}

/* The 0.1 spellings (lal/cgroup.h, lal/xdp.h) still link and check input. */
static void names_of_0_1_still_work(void **state) {
  (void)state;
  lal_cgroup_info info = LAL_CGROUP_INFO_INIT;
  lal_cgroup_cpu_stat stat = LAL_CGROUP_CPU_STAT_INIT;
  assert_status(LAL_EINVAL, lal_cgroup_info_get(NULL, &info));
  assert_status(LAL_EINVAL, lal_cgroup_cpu_stat_get(NULL, &stat));
  assert_int_equal(LAL_CG_CPU | LAL_CG_MEMORY_MAX, LAL_CGROUP_CPU | LAL_CGROUP_MEMORY_MAX);
  lal_cgroup *self = NULL;
  if (lal_cgroup_open(NULL, &self) == LAL_OK) {
    lal_cgroup_info again = LAL_CGROUP_INFO_INIT;
    assert_status(LAL_OK, lal_cgroup_info_get(self, &info));
    assert_status(LAL_OK, lal_cgroup_get_info(self, &again));
    assert_string_equal(info.path, again.path);
    lal_cgroup_close(self);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mount_and_self_path_are_found),
      cmocka_unit_test(cgroup1_mount_and_path_are_found),
      cmocka_unit_test(names_of_0_1_still_work),
      cmocka_unit_test(file_formats_parse),
      cmocka_unit_test(names_cannot_escape_the_subtree),
      cmocka_unit_test_setup_teardown(setters_write_what_the_kernel_expects, make_fake,
                                      remove_fake),
      cmocka_unit_test_setup_teardown(bad_values_change_nothing, make_fake, remove_fake),
      cmocka_unit_test_setup_teardown(missing_controllers_say_why, make_fake, remove_fake),
      cmocka_unit_test_setup_teardown(create_is_all_or_nothing, make_fake, remove_fake),
      cmocka_unit_test(open_rejects_bad_paths),
      cmocka_unit_test(open_of_self_replays_a_recorded_machine),
      cmocka_unit_test(paths_cannot_escape_the_hierarchy),
      cmocka_unit_test_setup_teardown(open_of_a_file_is_enoent_with_its_os_error, make_fake,
                                      remove_fake),
      cmocka_unit_test(real_hierarchy_groups_moves_and_psi),
      cmocka_unit_test(real_psi_trigger),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
