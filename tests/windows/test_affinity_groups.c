/* SPDX-License-Identifier: MIT */
/*
 * Affinity on machines with several processor groups, which Wine (one group)
 * and our VMs do not have: the rules of affinity_groups.h against a fake OS
 * that behaves as Windows 10 and Windows 11 document (SetThreadGroupAffinity
 * confines, GetThreadGroupAffinity reports the primary group, a process
 * spanning groups has no process mask, a job limits each group).
 */
#include <windows.h>

#include "windows/affinity_groups.h"
#include "common/clock_internal.h"
#include "lal_test.h"

typedef struct fake {
  GROUP_AFFINITY thread; /* primary group and its mask */
  int confined;
  USHORT groups[4], group_count;
  DWORD_PTR process_mask; /* one-group process */
  GROUP_AFFINITY job[4];
  int jobs;
  int has_cpu_sets;
  lal_cpuset selection[2]; /* thread, process default */
  DWORD fail_group_set;    /* error SetThreadGroupAffinity fails with, 0 none */
  int group_sets, mask_sets, selection_sets;
} fake;

static BOOL thread_group_get(void *ctx, GROUP_AFFINITY *ga) {
  *ga = ((fake *)ctx)->thread;
  return TRUE;
}
static BOOL thread_group_set(void *ctx, const GROUP_AFFINITY *ga) {
  fake *f = ctx;
  if (f->fail_group_set) {
    SetLastError(f->fail_group_set);
    return FALSE;
  }
  f->group_sets++;
  f->thread = *ga;
  return TRUE;
}
static int thread_confined(void *ctx) { return ((fake *)ctx)->confined; }
static void thread_confine_mark(void *ctx) { ((fake *)ctx)->confined = 1; }
static BOOL process_groups(void *ctx, USHORT *count, USHORT *groups) {
  fake *f = ctx;
  if (*count < f->group_count) {
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
    return FALSE;
  }
  for (USHORT i = 0; i < f->group_count; i++)
    groups[i] = f->groups[i];
  *count = f->group_count;
  return TRUE;
}
/* "If the calling process contains threads in multiple groups, the function
 * returns zero for both affinity masks." */
static BOOL process_mask_get(void *ctx, DWORD_PTR *mask) {
  fake *f = ctx;
  *mask = f->group_count == 1 ? f->process_mask : 0;
  return TRUE;
}
static BOOL process_mask_set(void *ctx, DWORD_PTR mask) {
  fake *f = ctx;
  if (f->group_count != 1) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  f->mask_sets++;
  f->process_mask = mask;
  return TRUE;
}
static int job_group_masks(void *ctx, GROUP_AFFINITY *out) {
  fake *f = ctx;
  for (int i = 0; i < f->jobs; i++)
    out[i] = f->job[i];
  return f->jobs;
}
static int selection_get(void *ctx, int process, lal_cpuset *out) {
  fake *f = ctx;
  if (!f->has_cpu_sets)
    return LAL_ENOTSUP;
  *out = f->selection[process];
  return LAL_OK;
}
static int selection_set(void *ctx, int process, const lal_cpuset *set) {
  fake *f = ctx;
  if (!f->has_cpu_sets)
    return LAL_ENOTSUP;
  f->selection_sets++;
  if (set)
    f->selection[process] = *set;
  else
    lal_cpuset_zero(&f->selection[process]);
  return LAL_OK;
}

static fake f;
static lali_win_affinity_os os;

/* groups x per_group CPUs; the thread and process in group 0 with every
 * CPU; no selection, no job. */
static void machine(int windows11, int groups, int per_group, int process_groups_n) {
  memset(&f, 0, sizeof f);
  memset(&os, 0, sizeof os);
  os.ctx = &f;
  os.spans_groups_by_default = windows11;
  os.group_count = groups;
  for (int g = 0; g < groups; g++)
    os.active[g] = per_group >= 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << per_group) - 1);
  os.thread_group_get = thread_group_get;
  os.thread_group_set = thread_group_set;
  os.thread_confined = thread_confined;
  os.thread_confine_mark = thread_confine_mark;
  os.process_groups = process_groups;
  os.process_mask_get = process_mask_get;
  os.process_mask_set = process_mask_set;
  os.job_group_masks = job_group_masks;
  os.selection_get = selection_get;
  os.selection_set = selection_set;
  f.thread.Group = 0;
  f.thread.Mask = os.active[0];
  f.group_count = (USHORT)process_groups_n;
  for (int g = 0; g < process_groups_n; g++)
    f.groups[g] = (USHORT)g;
  f.process_mask = (DWORD_PTR)os.active[0];
  f.has_cpu_sets = 1;
  lal_cpuset_zero(&f.selection[0]);
  lal_cpuset_zero(&f.selection[1]);
}

static lal_cpuset cpus(const char *text) {
  lal_cpuset s;
  assert_status(LAL_OK, lal_cpuset_parse(&s, text));
  return s;
}

static void expect_set(const lal_cpuset *got, const char *want) {
  lal_cpuset w = cpus(want);
  if (lal_cpuset_equal(got, &w) != 1) {
    char a[256];
    lal_cpuset_format(got, a, sizeof a);
    fail_msg("got %s, expected %s", a, want);
  }
}

static void expect_thread(const char *want) {
  lal_cpuset got;
  assert_status(LAL_OK, lali_win_thread_affinity_get(&os, &got));
  expect_set(&got, want);
}

static void expect_process(const char *want) {
  lal_cpuset got;
  assert_status(LAL_OK, lali_win_process_affinity_get(&os, &got));
  expect_set(&got, want);
}

/* Windows 10, 2 x 64 CPUs: a thread runs in one group, so a set spanning
 * groups is refused (its CPU sets in the other group would be ignored), and
 * a selection reaching outside the group reports only what is used. */
static void windows10_thread_stays_in_one_group(void **state) {
  (void)state;
  machine(0, 2, 64, 1);
  expect_thread("0-63");
  lal_cpuset span = cpus("1,65");
  assert_status(LAL_ENOTSUP, lali_win_thread_affinity_set(&os, &span));
  assert_int_equal(f.group_sets + f.selection_sets, 0);
  expect_thread("0-63");

  lal_cpuset one = cpus("70");
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &one));
  assert_int_equal(f.thread.Group, 1);
  assert_true(f.thread.Mask == (KAFFINITY)1 << 6);
  expect_thread("70");

  f.selection[0] = cpus("3,70-71");
  expect_thread("70");
  f.selection[0] = cpus("3"); /* wholly in the other group: ignored */
  expect_thread("70");
  f.selection[0] = cpus("");
  f.selection[1] = cpus("70-71"); /* the process default applies too */
  f.thread.Mask = 0xff;
  expect_thread("70-71");
}

/* Windows 11, 64 + 32 CPUs: a thread spans both groups until confined;
 * a spanning set is a selection, all of it clears the selection, a set in
 * one group confines it, and after that spanning is refused. */
static void windows11_thread_spans_until_confined(void **state) {
  (void)state;
  machine(1, 2, 64, 2);
  os.active[1] = 0xffffffffu;
  expect_thread("0-95");

  lal_cpuset span = cpus("1,65");
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &span));
  assert_int_equal(f.group_sets, 0);
  expect_set(&f.selection[0], "1,65");
  expect_thread("1,65");

  lal_cpuset all = cpus("0-95");
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &all));
  assert_int_equal(lal_cpuset_count(&f.selection[0]), 0);
  expect_thread("0-95");

  /* With a process default, "all of it" must be selected explicitly. */
  f.selection[1] = cpus("0-7");
  expect_thread("0-7");
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &all));
  expect_set(&f.selection[0], "0-95");
  expect_thread("0-95");
  lal_cpuset_zero(&f.selection[1]);

  lal_cpuset one = cpus("5");
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &one));
  assert_int_equal(f.group_sets, 1);
  assert_int_equal(lal_cpuset_count(&f.selection[0]), 0);
  expect_thread("5");
  int before = f.selection_sets;
  assert_status(LAL_ENOTSUP, lali_win_thread_affinity_set(&os, &span));
  assert_int_equal(f.selection_sets, before);
  expect_thread("5");
}

/* Confined by someone else (a mask narrower than the group), a thread
 * reports its group only and refuses to span. A job's group masks limit
 * what the process and its threads may use. */
static void confinement_and_job_limits(void **state) {
  (void)state;
  machine(1, 2, 64, 2);
  f.thread.Mask = 0xf;
  expect_thread("0-3");
  lal_cpuset span = cpus("1,65");
  assert_status(LAL_ENOTSUP, lali_win_thread_affinity_set(&os, &span));

  machine(1, 2, 64, 2);
  f.jobs = 2;
  f.job[0].Group = 0;
  f.job[0].Mask = 0xf;
  f.job[1].Group = 1;
  f.job[1].Mask = 0x3;
  f.thread.Mask = 0xf;
  expect_process("0-3,64-65");
  expect_thread("0-3,64-65");
  lal_cpuset outside = cpus("1,66");
  assert_status(LAL_EINVAL, lali_win_thread_affinity_set(&os, &outside));
  assert_status(LAL_EINVAL, lali_win_process_affinity_set(&os, &outside));
  assert_int_equal(f.selection_sets, 0);
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &span));
  expect_thread("1,65");
}

/* A one-group process: SetProcessAffinityMask within its group, and no way
 * to another group; a process spanning groups: the default CPU sets. */
static void process_affinity_by_group_count(void **state) {
  (void)state;
  machine(0, 2, 64, 1);
  expect_process("0-63");
  f.selection[1] = cpus("9");
  lal_cpuset two = cpus("2-3");
  assert_status(LAL_OK, lali_win_process_affinity_set(&os, &two));
  assert_true(f.process_mask == 0xc);
  assert_int_equal(lal_cpuset_count(&f.selection[1]), 0);
  expect_process("2-3");
  lal_cpuset other = cpus("64");
  assert_status(LAL_ENOTSUP, lali_win_process_affinity_set(&os, &other));
  lal_cpuset span = cpus("3,64");
  assert_status(LAL_ENOTSUP, lali_win_process_affinity_set(&os, &span));
  assert_int_equal(f.mask_sets, 1);
  expect_process("2-3");

  machine(1, 2, 64, 2);
  expect_process("0-127");
  assert_status(LAL_OK, lali_win_process_affinity_set(&os, &span));
  assert_int_equal(f.mask_sets, 0);
  expect_set(&f.selection[1], "3,64");
  expect_process("3,64");
  lal_cpuset all = cpus("0-127");
  assert_status(LAL_OK, lali_win_process_affinity_set(&os, &all));
  assert_int_equal(lal_cpuset_count(&f.selection[1]), 0);
  expect_process("0-127");
  /* No CPU sets (Windows 7/8 with threads spread by the app): clearing is
   * already done, selecting is not possible. */
  f.has_cpu_sets = 0;
  assert_status(LAL_OK, lali_win_process_affinity_set(&os, &all));
  assert_status(LAL_ENOTSUP, lali_win_process_affinity_set(&os, &span));
}

/* Inactive or absent processors are refused before any call; an OS failure
 * is reported as its status and marks nothing. */
static void bad_sets_change_nothing(void **state) {
  (void)state;
  machine(1, 2, 64, 2);
  os.active[1] = 0xff; /* 8 active in group 1 */
  lal_cpuset inactive = cpus("72"), absent = cpus("200");
  assert_status(LAL_EINVAL, lali_win_thread_affinity_set(&os, &inactive));
  assert_status(LAL_EINVAL, lali_win_thread_affinity_set(&os, &absent));
  assert_status(LAL_EINVAL, lali_win_process_affinity_set(&os, &inactive));
  assert_status(LAL_EINVAL, lali_win_process_affinity_set(&os, &absent));
  assert_int_equal(f.group_sets + f.mask_sets + f.selection_sets, 0);

  f.fail_group_set = ERROR_ACCESS_DENIED;
  lal_cpuset one = cpus("1");
  assert_status(LAL_EPERM, lali_win_thread_affinity_set(&os, &one));
  assert_int_equal(f.confined, 0);
  expect_thread("0-71");
}

/* A process default CPU set steers every thread without its own selection:
 * a one-group set must still read back as asked (the thread selects exactly
 * it), and a refused hard set leaves the selection as it was. */
static void single_group_set_overrides_a_process_default(void **state) {
  (void)state;
  machine(0, 1, 8, 1);
  f.selection[1] = cpus("0-3");
  expect_thread("0-3");
  lal_cpuset want = cpus("2-5");
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &want));
  assert_true(f.thread.Mask == 0x3c);
  expect_set(&f.selection[0], "2-5");
  expect_thread("2-5");

  f.selection[0] = cpus("6");
  f.fail_group_set = ERROR_ACCESS_DENIED;
  lal_cpuset other = cpus("1");
  assert_status(LAL_EPERM, lali_win_thread_affinity_set(&os, &other));
  expect_set(&f.selection[0], "6");
  assert_true(f.thread.Mask == 0x3c);

  /* Without a default, the thread's own selection is cleared. */
  f.fail_group_set = 0;
  lal_cpuset_zero(&f.selection[1]);
  assert_status(LAL_OK, lali_win_thread_affinity_set(&os, &other));
  assert_int_equal(lal_cpuset_count(&f.selection[0]), 0);
  expect_thread("1");
}

/* Clock calibration replayed on a Windows 11 machine with 2 x 64 CPUs: the
 * CPU visits confine whichever thread makes them to one group for good, so
 * they must happen on a helper thread. The fake gives each thread its own
 * affinity state; the helper starts as a new thread does (spanning). */
static struct { int on_helper, caller_calls, helper_confined; } replay;
static int replay_get(void *ctx, lal_cpuset *out) {
  (void)ctx;
  replay.caller_calls += !replay.on_helper;
  return lali_win_thread_affinity_get(&os, out);
}
static int replay_set(void *ctx, const lal_cpuset *set) {
  (void)ctx;
  replay.caller_calls += !replay.on_helper;
  return lali_win_thread_affinity_set(&os, set);
}
static int replay_start(void *ctx, lali_os_thread **out, void (*entry)(void *), void *arg) {
  (void)ctx;
  GROUP_AFFINITY caller = f.thread;
  int caller_confined = f.confined;
  lal_cpuset caller_selection = f.selection[0];
  f.thread.Group = 0;
  f.thread.Mask = os.active[0];
  f.confined = 0;
  lal_cpuset_zero(&f.selection[0]);
  replay.on_helper = 1;
  entry(arg); /* the caller waits in join meanwhile: run it here */
  replay.on_helper = 0;
  replay.helper_confined = f.confined;
  f.thread = caller;
  f.confined = caller_confined;
  f.selection[0] = caller_selection;
  *out = NULL;
  return LAL_OK;
}
static int replay_join(void *ctx, lali_os_thread *thread) {
  (void)ctx;
  (void)thread;
  return LAL_OK;
}

static void clock_calibration_leaves_a_spanning_caller_spanning(void **state) {
  (void)state;
  machine(1, 2, 64, 2);
  expect_thread("0-127");
  memset(&replay, 0, sizeof replay);
  static const lali_clock_visit_os visit = {NULL, replay_get, replay_set, replay_start,
                                            replay_join};
  lali_tsc_evidence ev;
  memset(&ev, 0, sizeof ev);
  lali_clock_measure_with(&visit, &ev);
  assert_int_equal(replay.caller_calls, 0);
  assert_int_equal(replay.helper_confined, 1); /* the visits did confine the helper */
  assert_true(ev.cpus_checked >= 1);
  assert_int_equal(f.confined, 0);
  expect_thread("0-127");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(windows10_thread_stays_in_one_group),
      cmocka_unit_test(windows11_thread_spans_until_confined),
      cmocka_unit_test(confinement_and_job_limits),
      cmocka_unit_test(process_affinity_by_group_count),
      cmocka_unit_test(bad_sets_change_nothing),
      cmocka_unit_test(single_group_set_overrides_a_process_default),
      cmocka_unit_test(clock_calibration_leaves_a_spanning_caller_spanning),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
