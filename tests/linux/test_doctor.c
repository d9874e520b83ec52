/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor` checks replayed on recorded /proc and /sys trees
 * (tests/data/machines: vm-2cpu and vm-haltpoll recorded on this project's machines with
 * capture.sh; rt-box, laptop and container written by make-variants.sh).
 * Every finding of every machine is asserted.
 */
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doctor.h"
#include "json_writer.h"
#include "fake_tree.h"
#include "lal_test.h"

#define DOCTOR_DIR LAL_TEST_DATA_DIR "/machines/"

/* What each recorded machine must give (every check's status, value and
 * remediation) is data beside the recording, expected-doctor.json, compared
 * by tests/programs/recorded_machines.py (ctest doctor_recorded_machines).
 * Here: what holds for every finding of every recording, whatever it says. */
static void every_recorded_finding_is_complete(void **state) {
  (void)state;
  static const char *const machines[] = {"rt-box",      "laptop",  "container",          "vm-2cpu",
                                         "vm-haltpoll", "flatpak", "server-unprivileged"};
  for (size_t m = 0; m < sizeof machines / sizeof machines[0]; m++) {
    char root[512];
    snprintf(root, sizeof root, DOCTOR_DIR "%s", machines[m]);
    finding f[DOCTOR_MAX_FINDINGS];
    int n = doctor_run(root, f, DOCTOR_MAX_FINDINGS);
    assert_true(n > 20);
    for (int i = 0; i < n; i++) {
      if (strlen(f[i].why) <= 10 || !f[i].value[0])
        fail_msg("%s: %s lacks its why or its value", machines[m], f[i].check);
      if ((f[i].status == DOCTOR_WARN || f[i].status == DOCTOR_FAIL) && !f[i].fix[0])
        fail_msg("%s: %s is %s without a remediation", machines[m], f[i].check,
                 doctor_status_name(f[i].status));
    }
  }
}

/* A KVM guest with the cpuidle-haltpoll driver and halt polling off: the
 * halt state declares 1 us, but each halt is a VM exit (a 1 ms wake-up
 * measured ~30 us here, ~18 us with /dev/cpu_dma_latency held at 0): the
 * remediation names both knobs. */
static void a_haltpoll_vm_is_told_both_knobs(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run(DOCTOR_DIR "vm-haltpoll", f, DOCTOR_MAX_FINDINGS);
  const finding *c = doctor_find(f, n, "cstates");
  assert_non_null(c);
  assert_int_equal(c->status, DOCTOR_WARN);
  assert_non_null(strstr(c->fix, "/dev/cpu_dma_latency"));
  assert_non_null(strstr(c->fix, "guest_halt_poll_ns"));
}

/* A game in Flatpak on a desktop kernel with RT_GROUP_SCHED: realtime is
 * refused by the user slice's RT budget, not by rlimits; io_uring by sysctl. */
static void flatpak_game_learns_why_requests_fail(void **state) {
  (void)state;
  static const char *const values[] = {
      "rt_budget",
      "cpu.rt_runtime_us=0 in /sys/fs/cgroup/cpu,cpuacct/user.slice",
      "seccomp",
      "filter mode (2 filters)",
      "io_uring",
      "io_uring_disabled=2 (disabled)",
      "rlimit_rttime",
      "200000 us without blocking, then SIGXCPU",
      "rtkit",
      "in Flatpak: the Realtime portal",
      "flatpak",
      "in Flatpak: org.example.Game",
      NULL};
  char root[512];
  snprintf(root, sizeof root, DOCTOR_DIR "flatpak");
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run(root, f, DOCTOR_MAX_FINDINGS);
  static const char *const statuses[] = {
      "rt_budget", "fail",  "seccomp", "warn",    "io_uring", "warn", "rlimit_rttime",
      "ok",        "rtkit", "n/a",     "flatpak", "warn",     NULL};
  for (int i = 0; statuses[i]; i += 2) {
    const finding *x = doctor_find(f, n, statuses[i]);
    assert_non_null(x);
    if (strcmp(doctor_status_name(x->status), statuses[i + 1]) != 0)
      fail_msg("flatpak: %s is %s, expected %s", statuses[i], doctor_status_name(x->status),
               statuses[i + 1]);
    if (!strstr(x->value, values[i + 1]))
      fail_msg("flatpak: %s value \"%s\" lacks \"%s\"", statuses[i], x->value, values[i + 1]);
    if (x->status == DOCTOR_WARN || x->status == DOCTOR_FAIL)
      assert_true(x->fix[0] != '\0');
  }
  const finding *budget = doctor_find(f, n, "rt_budget");
  assert_non_null(strstr(budget->fix, "cpu.rt_runtime_us"));
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

/* ---- trees mutated the way a fuzzer (or a hostile recording) would */

static char tmp[64];
static char root[128];

static int make_tree(void **state) {
  (void)state;
  fake_tree_make(tmp, sizeof tmp);
  snprintf(root, sizeof root, "%s/root", tmp);
  return mkdir(root, 0755);
}

static int remove_tree(void **state) {
  (void)state;
  return fake_tree_remove(tmp);
}

/* A FIFO with no writer used to block the doctor in open(2) forever; a
 * 1,024-CPU isolated list printed an uninitialised buffer; a forged
 * /proc/self/cgroup made it read cpu.max from outside its root. */
static void hostile_tree_is_read_safely(void **state) {
  (void)state;
  char fifo[256];
  snprintf(fifo, sizeof fifo, "%s/proc/cmdline", root);
  FAKE_TREE_PUT(root, "/proc/version", "Linux version 6.1\n");
  assert_int_equal(mkfifo(fifo, 0600), 0);
  static char every_other[LAL_CPUSET_FORMAT_MAX]; /* 1,024 CPUs: 0,2,4,...,2046 */
  size_t used = 0;
  for (int cpu = 0; cpu < LAL_CPUSET_MAX; cpu += 2)
    used += (size_t)snprintf(every_other + used, sizeof every_other - used, "%s%d", cpu ? "," : "",
                             cpu);
  fake_tree_put(root, "/sys/devices/system/cpu/isolated", every_other, used);
  FAKE_TREE_PUT(root, "/proc/self/mountinfo",
                "30 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
  FAKE_TREE_PUT(root, "/proc/self/cgroup", "0::/../../../../outside\n");
  FAKE_TREE_PUT(root, "/sys/fs/cgroup/cgroup.controllers", "cpu\n");
  char outside[160];
  snprintf(outside, sizeof outside, "%s", tmp); /* root/.. */
  FAKE_TREE_PUT(outside, "/outside/cpu.max", "50000 100000\n");
  alarm(60); /* a hang fails the test instead of waiting for ctest's timeout */
  finding f[DOCTOR_MAX_FINDINGS];
  int n = doctor_run(root, f, DOCTOR_MAX_FINDINGS);
  alarm(0);
  assert_true(n > 10);
  const finding *iso = doctor_find(f, n, "cpu_isolation");
  assert_non_null(iso);
  if (strncmp(iso->value, "isolated 1024 CPUs: 0,2,4,", 26) != 0)
    fail_msg("cpu_isolation value \"%s\"", iso->value);
  const finding *quota = doctor_find(f, n, "cgroup_cpu_quota");
  assert_non_null(quota);
  if (strstr(quota->value, "50000"))
    fail_msg("the quota outside the root was read: \"%s\"", quota->value);
}

/* Bytes that are not UTF-8 (a sysfs file may hold anything) must not reach
 * the JSON output raw: each becomes U+FFFD; valid sequences pass. */
static void json_output_is_always_utf8(void **state) {
  (void)state;
  FILE *f = tmpfile();
  assert_non_null(f);
  json_writer w;
  json_init(&w, f);
  json_object_begin(&w, NULL);
  json_string(&w, "bad", "tsc\xff\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82");
  json_string(&w, "good", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \"q\"\n\x01");
  json_object_end(&w);
  json_finish(&w);
  rewind(f);
  char out[512];
  size_t len = fread(out, 1, sizeof out - 1, f);
  fclose(f);
  out[len] = '\0';
  const char *expected = "{\n  \"bad\": \"tsc\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
                         "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\",\n"
                         "  \"good\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\\"q\\\"\\n"
                         "\\u0001\"\n}\n";
  if (strcmp(out, expected) != 0)
    fail_msg("got:\n%s\nexpected:\n%s", out, expected);
}

/* ---- mutation: recorded machines with one file damaged at a time */

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void) { /* xorshift64: the same sequence every run */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static char files[512][512];
static int nfiles;
static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)ftw;
  if (type == FTW_F && nfiles < 512)
    snprintf(files[nfiles++], sizeof files[0], "%s", path);
  return 0;
}

/* Damages one file the way a fuzzer would: a flipped byte, a cut, a byte
 * that is not UTF-8, a huge number, an empty file, a doubled file. */
static void mutate(const char *path) {
  static char text[1 << 16];
  FILE *f = fopen(path, "rb");
  if (!f)
    return;
  size_t n = fread(text, 1, sizeof text / 2, f);
  fclose(f);
  size_t at = n ? (size_t)(next_random() % n) : 0;
  switch (next_random() % 6) {
  case 0:
    if (n)
      text[at] ^= (char)(1u << (next_random() % 8));
    break;
  case 1:
    n = at;
    break;
  case 2:
    if (n)
      text[at] = (char)0xff;
    break;
  case 3: {
    static const char big[] = "99999999999999999999999 -1 0x -";
    size_t k = sizeof big - 1;
    if (n + k < sizeof text) {
      memmove(text + at + k, text + at, n - at);
      memcpy(text + at, big, k);
      n += k;
    }
    break;
  }
  case 4:
    n = 0;
    break;
  default:
    memcpy(text + n, text, n);
    n *= 2;
    break;
  }
  f = fopen(path, "wb");
  if (f) {
    fwrite(text, 1, n, f);
    fclose(f);
  }
}

static void mutated_recordings_never_crash(void **state) {
  (void)state;
  static const char *const machines[] = {"vm-2cpu", "laptop", "container", "rt-box", "flatpak"};
  for (size_t m = 0; m < sizeof machines / sizeof machines[0]; m++) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/root' && cp -r '" DOCTOR_DIR "%s' '%s/root'", tmp,
             machines[m], tmp);
    assert_int_equal(system(cmd), 0);
    nfiles = 0;
    assert_int_equal(nftw(root, collect, 16, FTW_PHYS), 0);
    assert_true(nfiles > 5);
    for (int round = 0; round < 250; round++) {
      mutate(files[next_random() % (uint64_t)nfiles]);
      finding f[DOCTOR_MAX_FINDINGS];
      int n = doctor_run(root, f, DOCTOR_MAX_FINDINGS);
      assert_true(n > 10);
      for (int i = 0; i < n; i++) {
        assert_non_null(memchr(f[i].value, '\0', sizeof f[i].value));
        assert_non_null(memchr(f[i].fix, '\0', sizeof f[i].fix));
        assert_true(f[i].status <= DOCTOR_NA);
      }
    }
  }
}

/* --memlock: the app's locked set against each recorded machine's
 * RLIMIT_MEMLOCK (64 KiB in Docker, 8 MiB on a desktop, unlimited on the RT
 * box, CAP_IPC_LOCK on the root-run guest), with the fix where it applies. */
static const finding *budget(const char *machine, uint64_t need, finding *f) {
  char dir[512];
  snprintf(dir, sizeof dir, DOCTOR_DIR "%s", machine);
  doctor_opts o = {dir, need};
  int n = doctor_run_opts(&o, f, DOCTOR_MAX_FINDINGS);
  const finding *x = doctor_find(f, n, "memlock_budget");
  if (!x)
    fail_msg("%s: no memlock_budget finding", machine);
  return x;
}

static void memlock_budget_against_recorded_limits(void **state) {
  (void)state;
  finding f[DOCTOR_MAX_FINDINGS];
  const finding *x = budget("container", 64u << 20, f);
  assert_int_equal(x->status, DOCTOR_FAIL);
  assert_non_null(strstr(x->value, "need 64 MiB; RLIMIT_MEMLOCK 64 KiB"));
  assert_non_null(strstr(x->fix, "--ulimit memlock=67108864:67108864"));
  x = budget("laptop", 4u << 20, f);
  assert_int_equal(x->status, DOCTOR_OK);
  x = budget("laptop", 64u << 20, f);
  assert_int_equal(x->status, DOCTOR_FAIL);
  assert_non_null(strstr(x->fix, "memlock 65536 (KiB"));
  x = budget("rt-box", (uint64_t)1 << 40, f);
  assert_int_equal(x->status, DOCTOR_OK);
  assert_non_null(strstr(x->value, "unlimited"));
  x = budget("vm-2cpu", 1u << 30, f);
  assert_int_equal(x->status, DOCTOR_OK);
  assert_non_null(strstr(x->value, "CAP_IPC_LOCK held"));
  x = budget("server-unprivileged", 1u << 20, f);
  assert_int_equal(x->status, DOCTOR_NA);
  /* Not stated: no finding at all (rlimit_memlock reports the limit). */
  doctor_opts o = {DOCTOR_DIR "laptop", 0};
  int n = doctor_run_opts(&o, f, DOCTOR_MAX_FINDINGS);
  assert_null(doctor_find(f, n, "memlock_budget"));
}

static void memlock_sizes_parse_strictly(void **state) {
  (void)state;
  uint64_t v = 0;
  assert_true(doctor_parse_size("65536", &v) && v == 65536);
  assert_true(doctor_parse_size("64M", &v) && v == 64u << 20);
  assert_true(doctor_parse_size("512MiB", &v) && v == 512u << 20);
  assert_true(doctor_parse_size("1g", &v) && v == 1u << 30);
  assert_true(doctor_parse_size("4K", &v) && v == 4096);
  v = 7;
  const char *bad[] = {
      "",  "0", "64MB", "-1", " 64M", "64 M", "abc", "1.5G", "99999999999999999999", "17179869184G",
      NULL};
  for (int i = 0; bad[i]; i++)
    if (doctor_parse_size(bad[i], &v))
      fail_msg("accepted '%s'", bad[i]);
  assert_true(v == 7); /* untouched on refusal */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_recorded_finding_is_complete),
      cmocka_unit_test(a_haltpoll_vm_is_told_both_knobs),
      cmocka_unit_test(flatpak_game_learns_why_requests_fail),
      cmocka_unit_test(an_empty_tree_is_all_unknown_not_a_crash),
      cmocka_unit_test_setup_teardown(hostile_tree_is_read_safely, make_tree, remove_tree),
      cmocka_unit_test(json_output_is_always_utf8),
      cmocka_unit_test_setup_teardown(mutated_recordings_never_crash, make_tree, remove_tree),
      cmocka_unit_test(memlock_budget_against_recorded_limits),
      cmocka_unit_test(memlock_sizes_parse_strictly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
