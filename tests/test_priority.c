/* SPDX-License-Identifier: MIT */
/*
 * lal_thread_set_priority: bad requests change nothing, profiles obtain what
 * the table in lal.h says, the saved state comes back, and without privilege
 * the fallback chain and the result say what happened. Privilege is really
 * dropped: on Linux a forked child lowers RLIMIT_RTPRIO / RLIMIT_NICE and
 * becomes `nobody` (losing CAP_SYS_NICE) before asking.
 */
#include <string.h>

#include "lal_test.h"

#ifdef __linux__
#  include "lal_test_child.h"
#  include "linux/priority_chain.h"
#  include <sched.h>
#  include <sys/resource.h>
#  include <sys/wait.h>
#  include <unistd.h>
#endif
#ifdef _WIN32
#  include "windows/mmcss_service.h"
#endif

static lal_thread_state saved;

static int setup(void **state) {
  (void)state;
  return lal_thread_state_save(&saved) == LAL_OK ? 0 : -1;
}

static int restore(void **state) {
  (void)state;
  return lal_thread_state_restore(&saved) == LAL_OK ? 0 : -1;
}

static void get_now(lal_priority_result *r) {
  memset(r, 0, sizeof *r);
  r->size = sizeof *r;
  assert_status(LAL_OK, lal_thread_get_priority(r));
}

static void expect_unchanged(const lal_priority_result *before) {
  lal_priority_result now;
  get_now(&now);
  assert_int_equal(now.policy, before->policy);
  assert_int_equal(now.rt_priority, before->rt_priority);
  assert_int_equal(now.nice, before->nice);
  assert_int_equal(now.win_thread_priority, before->win_thread_priority);
  assert_int_equal(now.win_priority_class, before->win_priority_class);
}

static void bad_requests_change_nothing(void **state) {
  (void)state;
  lal_priority_result before, res = LAL_PRIORITY_RESULT_INIT;
  get_now(&before);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  assert_status(LAL_EINVAL, lal_thread_set_priority(NULL, &res));
  req.size = 8;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.size = sizeof req;
  int bad_profiles[] = {0, 7, -1};
  for (size_t i = 0; i < 3; i++) {
    req.profile = bad_profiles[i];
    assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  }
  req.profile = LAL_PRIORITY_REALTIME;
  req.flags = 1u << 15;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.flags = 0;
  memset(req.mmcss_task, 'x', sizeof req.mmcss_task); /* unterminated */
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  memset(req.mmcss_task, 0, sizeof req.mmcss_task);

  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_FIFO;
  req.rt_priority = 0;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.rt_priority = 100;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.policy = LAL_POLICY_OTHER;
  req.nice = -21;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.nice = 20;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.policy = 42;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.policy = LAL_POLICY_DEADLINE; /* runtime > deadline */
  req.runtime_ns = 2000000, req.deadline_ns = 1000000, req.period_ns = 10000000;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.runtime_ns = 500000, req.deadline_ns = 20000000; /* deadline > period */
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.runtime_ns = 0, req.deadline_ns = 1000000;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.policy = LAL_POLICY_WINDOWS;
  req.win_thread_priority = 3;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.win_thread_priority = 0;
  req.win_priority_class = 7;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  /* A result struct too small to hold the reason. */
  req = (lal_priority_req)LAL_PRIORITY_REQ_INIT;
  res.size = 16;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  assert_status(LAL_EINVAL, lal_thread_get_priority(NULL));
  assert_status(LAL_EINVAL, lal_thread_state_save(NULL));
  assert_status(LAL_EINVAL, lal_thread_state_restore(NULL));
  lal_thread_state blank;
  memset(&blank, 0, sizeof blank);
  assert_status(LAL_EINVAL, lal_thread_state_restore(&blank));
  expect_unchanged(&before);
}

static int privileged(void) {
  lal_caps caps = LAL_CAPS_INIT;
  return lal_query_caps(&caps) == LAL_OK && (caps.machine_features & LAL_CAP_RT_PRIORITY) &&
         !(caps.machine_features & LAL_CAP_UNDER_WINE);
}

static int under_wine(void) {
  lal_caps caps = LAL_CAPS_INIT;
  return lal_query_caps(&caps) == LAL_OK && (caps.machine_features & LAL_CAP_UNDER_WINE);
}

static void set_profile(int profile, lal_priority_result *res) {
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = profile;
  memset(res, 0, sizeof *res);
  res->size = sizeof *res;
  int rc = lal_thread_set_priority(&req, res);
  if (rc != LAL_OK)
    fail_msg("profile %d: %s: %s", profile, lal_err_name(rc), res->reason);
  assert_false(res->flags & LAL_PRIORITY_DEGRADED);
  assert_non_null(strstr(res->reason, "ok"));
}

static void normal_and_background_need_no_privilege(void **state) {
  (void)state;
  lal_priority_result res;
  set_profile(LAL_PRIORITY_NORMAL, &res);
#ifdef __linux__
  assert_int_equal(res.policy, LAL_POLICY_OTHER);
  assert_int_equal(res.nice, 0);
  set_profile(LAL_PRIORITY_BACKGROUND, &res);
  assert_int_equal(res.policy, LAL_POLICY_BATCH);
  assert_int_equal(res.nice, 10);
#else
  assert_int_equal(res.policy, LAL_POLICY_WINDOWS);
  assert_int_equal(res.win_thread_priority, 0);
  set_profile(LAL_PRIORITY_BACKGROUND, &res);
  assert_int_equal(res.win_thread_priority, -2); /* THREAD_PRIORITY_LOWEST */
#endif
}

static void every_profile_obtains_its_table_entry(void **state) {
  (void)state;
#ifdef __linux__
  if (!privileged())
    LAL_SKIP("needs root or CAP_SYS_NICE (SCHED_FIFO, negative nice); unprivileged paths are "
             "tested by the dropped-privilege tests");
  lal_priority_result res;
  set_profile(LAL_PRIORITY_INTERACTIVE, &res);
  assert_int_equal(res.policy, LAL_POLICY_OTHER);
  assert_int_equal(res.nice, -10);
  set_profile(LAL_PRIORITY_AUDIO, &res);
  assert_int_equal(res.policy, LAL_POLICY_FIFO);
  assert_int_equal(res.rt_priority, 60);
  assert_true(res.flags & LAL_PRIORITY_RESET_ON_FORK);
  assert_int_equal(sched_getscheduler(0) & ~SCHED_RESET_ON_FORK, SCHED_FIFO);
  set_profile(LAL_PRIORITY_REALTIME, &res);
  assert_int_equal(res.rt_priority, 80);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_RR;
  req.rt_priority = 33;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  assert_int_equal(res.policy, LAL_POLICY_RR);
  assert_int_equal(res.rt_priority, 33);
  req.policy = LAL_POLICY_WINDOWS;
  assert_status(LAL_ENOTSUP, lal_thread_set_priority(&req, &res));
  assert_int_equal(res.policy, LAL_POLICY_RR); /* unchanged */
  /* SCHED_DEADLINE: 1 ms every 10 ms. The kernel refuses it (EPERM) when the
   * thread's affinity is narrower than its root domain: the test keeps it wide. */
  req.policy = LAL_POLICY_DEADLINE;
  req.runtime_ns = 1000000, req.deadline_ns = 10000000, req.period_ns = 10000000;
  int rc = lal_thread_set_priority(&req, &res);
  if (rc == LAL_EBUSY)
    LAL_SKIP("SCHED_DEADLINE admission control refused 10%% bandwidth here");
  assert_status(LAL_OK, rc);
  assert_int_equal(res.policy, LAL_POLICY_DEADLINE);
  assert_true(res.runtime_ns == 1000000 && res.period_ns == 10000000);
#else
  /* What "SetThreadPriority" and "Scheduling Priorities" document, on
   * Windows and under Wine alike: relative priorities need no privilege. */
  lal_priority_result res;
  set_profile(LAL_PRIORITY_INTERACTIVE, &res);
  assert_int_equal(res.win_thread_priority, 2); /* THREAD_PRIORITY_HIGHEST */
  assert_false(res.flags & LAL_PRIORITY_MMCSS); /* strict: the plain priority */
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  /* With FALLBACK: the MMCSS "Games" task where the service runs, else
   * HIGHEST, degraded, with the reason. */
  req.profile = LAL_PRIORITY_INTERACTIVE;
  req.flags = LAL_PRIORITY_FALLBACK;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  if (res.flags & LAL_PRIORITY_MMCSS) {
    assert_string_equal(res.mmcss_task, "Games");
  } else {
    assert_true(res.flags & LAL_PRIORITY_DEGRADED);
    assert_int_equal(res.win_thread_priority, 2);
    assert_non_null(strstr(res.reason, "MMCSS"));
  }
  req = (lal_priority_req)LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_REALTIME;
  req.flags = LAL_PRIORITY_FALLBACK;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  if (res.flags & LAL_PRIORITY_MMCSS) {
    /* MMCSS schedules the thread from here on; its base stays TIME_CRITICAL. */
    assert_string_equal(res.mmcss_task, "Pro Audio");
    assert_int_equal(res.mmcss_priority, 2); /* AVRT_PRIORITY_CRITICAL */
  } else {
    assert_true(res.flags & LAL_PRIORITY_DEGRADED);
    assert_int_equal(res.win_thread_priority, 15); /* TIME_CRITICAL instead */
  }
  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_DEADLINE;
  req.runtime_ns = 1000000, req.deadline_ns = 10000000;
  assert_status(LAL_ENOTSUP, lal_thread_set_priority(&req, &res));
  req.policy = LAL_POLICY_WINDOWS;
  req.win_priority_class = LAL_WIN_CLASS_ABOVE_NORMAL;
  req.win_thread_priority = 1;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  assert_int_equal(res.win_priority_class, LAL_WIN_CLASS_ABOVE_NORMAL);
  assert_int_equal(res.win_thread_priority, 1);
#endif
}

static void saved_state_comes_back(void **state) {
  (void)state;
  lal_thread_state s;
  assert_status(LAL_OK, lal_thread_state_save(&s));
  lal_priority_result before;
  get_now(&before);
  lal_cpuset one;
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, lal_cpuset_first(&s.affinity));
  assert_status(LAL_OK, lal_thread_set_affinity(&one));
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = privileged() || under_wine() ? LAL_PRIORITY_REALTIME : LAL_PRIORITY_BACKGROUND;
  req.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  int rc = lal_thread_state_restore(&s);
  if (rc == LAL_EPERM && req.profile == LAL_PRIORITY_BACKGROUND)
    LAL_SKIP("undoing nice 10 needs RLIMIT_NICE or CAP_SYS_NICE, which this user lacks");
  assert_status(LAL_OK, rc);
  expect_unchanged(&before);
  lal_cpuset now;
  assert_status(LAL_OK, lal_thread_get_affinity(&now));
  assert_true(lal_cpuset_equal(&now, &s.affinity));
}

#ifdef _WIN32
/* Restoring a state saved inside MMCSS re-joins the same task at the saved
 * priority (it re-joined at NORMAL), and restores power throttling too (it
 * returned before that step). */
static void restore_brings_back_mmcss_priority(void **state) {
  (void)state;
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO; /* MMCSS "Pro Audio" at HIGH */
  req.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  if (!(res.flags & LAL_PRIORITY_MMCSS))
    LAL_SKIP("MMCSS refused here (%s): nothing to restore", res.reason);
  lal_thread_state inside;
  assert_status(LAL_OK, lal_thread_state_save(&inside));
  assert_string_equal(inside.priority.mmcss_task, "Pro Audio");
  assert_int_equal(inside.priority.mmcss_priority, 1); /* AVRT_PRIORITY_HIGH */
  req.profile = LAL_PRIORITY_NORMAL;                   /* leaves MMCSS */
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  lal_priority_result now = LAL_PRIORITY_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_get_priority(&now));
  assert_string_equal(now.mmcss_task, "");
  assert_status(LAL_OK, lal_thread_state_restore(&inside));
  assert_status(LAL_OK, lal_thread_get_priority(&now));
  assert_string_equal(now.mmcss_task, "Pro Audio");
  assert_int_equal(now.mmcss_priority, 1);
  assert_int_equal(now.flags & LAL_PRIORITY_NO_THROTTLING,
                   inside.priority.flags & LAL_PRIORITY_NO_THROTTLING);
  assert_int_equal(now.win_priority_class, inside.priority.win_priority_class);
  /* A saved MMCSS priority outside AVRT's range is refused before anything. */
  lal_thread_state bad = inside;
  bad.priority.mmcss_priority = 7;
  assert_status(LAL_EINVAL, lal_thread_state_restore(&bad));
}
#endif

/* An explicit EEVDF slice: SCHED_OTHER with runtime_ns (Linux 6.12+, read
 * back); out of the 0.1-100 ms range it is LAL_EINVAL; Windows has none. */
static void explicit_slice(void **state) {
  (void)state;
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_OTHER;
  req.runtime_ns = 50000; /* below 0.1 ms */
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.runtime_ns = 200000000; /* above 100 ms */
  assert_status(LAL_EINVAL, lal_thread_set_priority(&req, &res));
  req.runtime_ns = 500000;
  int rc = lal_thread_set_priority(&req, &res);
#ifdef _WIN32
  assert_status(LAL_ENOTSUP, rc);
  req.flags = LAL_PRIORITY_FALLBACK;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
#else
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this kernel keeps its own slice (Linux 6.12+ takes a hint): %s", res.reason);
  assert_status(LAL_OK, rc);
  assert_int_equal(res.obtained_via, LAL_VIA_DIRECT);
  assert_int_equal(res.slice_ns, 500000);
  assert_int_equal(res.policy, LAL_POLICY_OTHER);
  assert_non_null(strstr(res.reason, "SCHED_OTHER nice 0, slice 500 us: ok"));
#endif
}

/* Asserts the calling thread's affinity and scheduling are those of `s`. */
static void expect_state(const lal_thread_state *s) {
  expect_unchanged(&s->priority);
  lal_cpuset now;
  assert_status(LAL_OK, lal_thread_get_affinity(&now));
  assert_true(lal_cpuset_equal(&now, &s->affinity));
}

static void restore_of_a_bad_state_changes_nothing(void **state) {
  (void)state;
  lal_thread_state now, bad;
  assert_status(LAL_OK, lal_thread_state_save(&now));
  /* A different affinity in every bad state: a restore that applied it
   * before noticing the bad priority would show. */
  lal_cpuset one;
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, lal_cpuset_first(&now.affinity));

  bad = now;
  bad.affinity = one;
  bad.priority.policy = 99;
  assert_status(LAL_EINVAL, lal_thread_state_restore(&bad));
  expect_state(&now);
#ifdef __linux__
  bad = now;
  bad.affinity = one;
  bad.priority.policy = LAL_POLICY_FIFO;
  bad.priority.rt_priority = 0;
  assert_status(LAL_EINVAL, lal_thread_state_restore(&bad));
  expect_state(&now);
  bad.priority.policy = LAL_POLICY_OTHER;
  bad.priority.nice = 20;
  assert_status(LAL_EINVAL, lal_thread_state_restore(&bad));
  expect_state(&now);
#else
  bad = now;
  bad.affinity = one;
  bad.priority.win_thread_priority = 42;
  assert_status(LAL_EINVAL, lal_thread_state_restore(&bad));
  expect_state(&now);
#endif
  bad = now;
  bad.valid = 7; /* never written by save */
  assert_status(LAL_EINVAL, lal_thread_state_restore(&bad));
  expect_state(&now);

  /* A valid lower priority with an affinity no thread can have: the
   * affinity fails, and the scheduling must not have changed either. */
  bad = now;
  lal_cpuset_zero(&bad.affinity);
  lal_cpuset_set(&bad.affinity, LAL_CPUSET_MAX - 1);
#ifdef __linux__
  bad.priority.policy = LAL_POLICY_BATCH;
  bad.priority.rt_priority = 0;
  bad.priority.nice = 5;
#else
  bad.priority.win_thread_priority = -1; /* THREAD_PRIORITY_BELOW_NORMAL */
#endif
  int rc = lal_thread_state_restore(&bad);
  assert_true(rc != LAL_OK);
  expect_state(&now);
}

#ifdef __linux__
/* Runs check() in a child that set RLIMIT_RTPRIO / RLIMIT_NICE (soft and
 * hard) and became nobody, and fails if the child reports a failure. */
typedef struct limits {
  long rtprio, nice;
  int (*check)(char *, size_t);
} limits;

/* Sets RLIMIT_RTPRIO / RLIMIT_NICE (soft and hard), becomes nobody, checks. */
static int drop_and_check(void *ctx, char *msg, size_t size) {
  const limits *l = ctx;
  struct rlimit rt = {(rlim_t)l->rtprio, (rlim_t)l->rtprio},
                ni = {(rlim_t)l->nice, (rlim_t)l->nice};
  if (setrlimit(RLIMIT_RTPRIO, &rt) != 0 || setrlimit(RLIMIT_NICE, &ni) != 0 ||
      setgid(65534) != 0 || setuid(65534) != 0) {
    snprintf(msg, size, "could not drop privilege");
    return 0;
  }
  return l->check(msg, size);
}

static void in_unprivileged_child(long rtprio, long nice_limit, int (*check)(char *, size_t)) {
  limits l = {rtprio, nice_limit, check};
  lal_test_in_child(drop_and_check, &l);
}

/* No RT, no nice below 0: strict fails with EPERM and changes nothing;
 * fallback ends at "unchanged" and says why. */
static int denied_everything(char *msg, size_t size) {
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_REALTIME;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_EPERM);
  CHILD_EXPECT(res.policy == LAL_POLICY_OTHER && res.nice == 0);
  CHILD_EXPECT(sched_getscheduler(0) == SCHED_OTHER);
  CHILD_EXPECT(res.denied == LAL_EPERM && res.rlimit_rtprio == 0);
  /* Only the nice step allowed: the brokers and the slice hint, which an
   * unprivileged thread may well get, are test_rtkit's. */
  req.flags = LAL_PRIORITY_FALLBACK | LAL_PRIORITY_VIA_NICE;
  memset(&res, 0, sizeof res);
  res.size = sizeof res;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.flags & LAL_PRIORITY_DEGRADED);
  CHILD_EXPECT(res.obtained_via == LAL_VIA_UNCHANGED);
  CHILD_EXPECT(res.policy == LAL_POLICY_OTHER && res.nice == 0);
  CHILD_EXPECT(res.denied == LAL_EPERM);
  CHILD_EXPECT(strstr(res.reason, "SCHED_FIFO 80: LAL_EPERM") != NULL);
  CHILD_EXPECT(strstr(res.reason, "no CAP_SYS_NICE") != NULL);
  CHILD_EXPECT(strstr(res.reason, "left unchanged") != NULL);
  return 1;
}

/* RLIMIT_RTPRIO 20 (what rtkit-style setups grant): FIFO capped at 20. */
static int capped_fifo(char *msg, size_t size) {
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_REALTIME;
  req.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.flags & LAL_PRIORITY_DEGRADED);
  CHILD_EXPECT(res.policy == LAL_POLICY_FIFO && res.rt_priority == 20);
  CHILD_EXPECT(res.rlimit_rtprio == 20);
  CHILD_EXPECT(strstr(res.reason, "SCHED_FIFO 20: ok") != NULL);
  /* Going back down needs no privilege. */
  req.profile = LAL_PRIORITY_NORMAL;
  req.flags = 0;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK && res.policy == LAL_POLICY_OTHER);
  return 1;
}

/* No RT, RLIMIT_NICE 25 (nice down to -5): AUDIO ends at nice -5. */
static int nice_within_rlimit(char *msg, size_t size) {
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO;
  req.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.flags & LAL_PRIORITY_DEGRADED);
  CHILD_EXPECT(res.policy == LAL_POLICY_OTHER && res.nice == -5);
  CHILD_EXPECT(strstr(res.reason, "SCHED_OTHER nice -11: LAL_EPERM") != NULL);
  CHILD_EXPECT(strstr(res.reason, "SCHED_OTHER nice -5: ok") != NULL);
  /* INTERACTIVE asks for -10, gets -5 too. */
  req.profile = LAL_PRIORITY_INTERACTIVE;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK && res.nice == -5);
  return 1;
}

/* 1 if this process can give a child hard limits this high (root without
 * CAP_SYS_RESOURCE cannot raise a hard limit). */
static int can_raise(int resource, long value) {
  struct rlimit rl;
  return getrlimit(resource, &rl) == 0 &&
         (rl.rlim_max == RLIM_INFINITY || (long)rl.rlim_max >= value);
}
#endif

static void without_privilege_strict_fails_and_fallback_reports(void **state) {
  (void)state;
#ifdef __linux__
  if (getuid() != 0)
    LAL_SKIP("dropping privilege in a child needs root to start from");
  in_unprivileged_child(0, 0, denied_everything);
#else
  /* A refused MMCSS registration (real Windows: ERROR_INVALID_TASK_NAME for
   * a task not under HKLM\...\Multimedia\SystemProfile\Tasks). */
  lal_priority_result before;
  get_now(&before);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_WINDOWS;
  req.win_thread_priority = 1;
  snprintf(req.mmcss_task, sizeof req.mmcss_task, "lal no such task");
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  int rc = lal_thread_set_priority(&req, &res);
  if (rc == LAL_OK)
    LAL_SKIP("this avrt accepts any MMCSS task name (Wine): the refusal cannot be provoked");
  assert_true(rc < 0);
  expect_unchanged(&before); /* strict: the thread priority was put back */
  assert_int_equal(res.denied, rc);
  req.flags = LAL_PRIORITY_FALLBACK;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  assert_true(res.flags & LAL_PRIORITY_DEGRADED);
  assert_false(res.flags & LAL_PRIORITY_MMCSS);
  assert_int_equal(res.win_thread_priority, 1);
#endif
}

#ifdef __linux__
static void rlimits_cap_the_fallback(void **state) {
  (void)state;
  if (getuid() != 0)
    LAL_SKIP("dropping privilege in a child needs root to start from");
  if (!can_raise(RLIMIT_RTPRIO, 20) || !can_raise(RLIMIT_NICE, 25))
    LAL_SKIP("the hard RLIMIT_RTPRIO/RLIMIT_NICE are below 20/25 and this root cannot raise them "
             "(no CAP_SYS_RESOURCE): the capped steps are checked by priority_chain_degrades");
  in_unprivileged_child(20, 0, capped_fifo);
  in_unprivileged_child(0, 25, nice_within_rlimit);
}
#endif

#ifdef __linux__
static void expect_chain(int profile, int policy, int64_t rl_rt, int64_t rl_nice,
                         const char *expected) {
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = profile;
  req.policy = policy;
  req.rt_priority = 50;
  req.runtime_ns = 1000000, req.deadline_ns = 10000000;
  lali_sched_chain c;
  assert_status(LAL_OK, lali_linux_priority_chain(&req, 0, rl_rt, rl_nice, 0, &c));
  char got[512] = "", step[96];
  for (int i = 0; i < c.n; i++) {
    lali_linux_step_describe(&c, i, step, sizeof step);
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " > " : "", step);
  }
  assert_string_equal(got, expected);
}

/* The documented degradation for limits this machine cannot set. */
static void priority_chain_degrades(void **state) {
  (void)state;
#  define BROKERS(p) "rtkit SCHED_RR " p " > portal SCHED_RR " p " > SCHED_OTHER slice 1000 us > "
  expect_chain(LAL_PRIORITY_REALTIME, 0, 0, 0,
               "SCHED_FIFO 80 > " BROKERS("80") "SCHED_OTHER nice -11");
  expect_chain(LAL_PRIORITY_REALTIME, 0, 20, 0,
               "SCHED_FIFO 80 > SCHED_FIFO 20 > " BROKERS("80") "SCHED_OTHER nice -11");
  expect_chain(LAL_PRIORITY_AUDIO, 0, 0, 25,
               "SCHED_FIFO 60 > " BROKERS("60") "SCHED_OTHER nice -11 > SCHED_OTHER nice -5");
  expect_chain(LAL_PRIORITY_AUDIO, 0, -1, -1,
               "SCHED_FIFO 60 > " BROKERS("60") "SCHED_OTHER nice -11");
  expect_chain(LAL_PRIORITY_AUDIO, 0, 95, 0,
               "SCHED_FIFO 60 > " BROKERS("60") "SCHED_OTHER nice -11");
  /* INTERACTIVE: the nice the limits allow, then the brokers for -10. */
  expect_chain(LAL_PRIORITY_INTERACTIVE, 0, 0, 25,
               "SCHED_OTHER nice -10 > SCHED_OTHER nice -5 > rtkit nice -10 > portal nice -10");
  expect_chain(LAL_PRIORITY_INTERACTIVE, 0, 0, 0,
               "SCHED_OTHER nice -10 > rtkit nice -10 > portal nice -10");
  expect_chain(LAL_PRIORITY_BACKGROUND, 0, 0, 0, "SCHED_BATCH nice 10");
  expect_chain(LAL_PRIORITY_EXPLICIT, LAL_POLICY_RR, 10, 0,
               "SCHED_RR 50 > SCHED_RR 10 > " BROKERS("50") "SCHED_OTHER nice -11");
  expect_chain(LAL_PRIORITY_EXPLICIT, LAL_POLICY_DEADLINE, 0, 0,
               "SCHED_DEADLINE 1000000/10000000/10000000 ns > SCHED_FIFO 80 > " BROKERS(
                   "80") "SCHED_OTHER nice -11");
  /* A request naming its steps gets only those; inside Flatpak the portal
   * comes first (rtkit is not reachable from the sandbox). */
  lal_priority_req only = LAL_PRIORITY_REQ_INIT;
  only.profile = LAL_PRIORITY_AUDIO;
  only.flags = LAL_PRIORITY_FALLBACK | LAL_PRIORITY_VIA_RTKIT | LAL_PRIORITY_VIA_SLICE;
  lali_sched_chain oc;
  assert_status(LAL_OK, lali_linux_priority_chain(&only, 0, 0, 0, 0, &oc));
  char got[256] = "", step[96];
  for (int i = 0; i < oc.n; i++) {
    lali_linux_step_describe(&oc, i, step, sizeof step);
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " > " : "", step);
  }
  assert_string_equal(got, "SCHED_FIFO 60 > rtkit SCHED_RR 60 > SCHED_OTHER slice 1000 us");
  only.flags = LAL_PRIORITY_FALLBACK;
  assert_status(LAL_OK, lali_linux_priority_chain(&only, 0, 0, 0, 1, &oc));
  assert_int_equal(oc.how[1], LALI_STEP_PORTAL);
  assert_int_equal(oc.how[2], LALI_STEP_RTKIT);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_WINDOWS;
  lali_sched_chain c;
  assert_status(LAL_ENOTSUP, lali_linux_priority_chain(&req, 0, 0, 0, 0, &c));
}
#endif

#ifdef _WIN32
/* avrt accepts "Pro Audio" whether or not the MMCSS service runs (Wine's is
 * a stub that accepts anything); without the service a registration does
 * nothing, so it must not be reported as applied: strict requests fail and
 * change nothing, FALLBACK ones get the explicit priority and say why. */
static void mmcss_without_its_service_is_not_reported_as_applied(void **state) {
  (void)state;
  lal_priority_result before;
  get_now(&before);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  int rc = lal_thread_set_priority(&req, &res);
  if (lali_win_mmcss_service_state() != 0) {
    if (rc != LAL_OK)
      LAL_SKIP("MMCSS runs here but refused the task: %s", res.reason);
    assert_true(res.flags & LAL_PRIORITY_MMCSS);
    assert_string_equal(res.mmcss_task, "Pro Audio");
    return; /* with the service, what it applied is what is reported */
  }
  assert_status(LAL_ENOTSUP, rc);
  assert_non_null(strstr(res.reason, "MMCSS service is not running"));
  expect_unchanged(&before);
  assert_false(res.flags & LAL_PRIORITY_MMCSS);

  req.flags = LAL_PRIORITY_FALLBACK;
  assert_status(LAL_OK, lal_thread_set_priority(&req, &res));
  assert_true(res.flags & LAL_PRIORITY_DEGRADED);
  assert_false(res.flags & LAL_PRIORITY_MMCSS);
  assert_string_equal(res.mmcss_task, "");
  assert_int_equal(res.win_thread_priority, 15); /* THREAD_PRIORITY_TIME_CRITICAL */
  assert_int_equal(res.denied, LAL_ENOTSUP);
  assert_non_null(strstr(res.reason, "thread priority 15 instead"));
  lal_priority_result now;
  get_now(&now);
  assert_int_equal(now.win_thread_priority, 15); /* read back, not assumed */
  assert_false(now.flags & LAL_PRIORITY_MMCSS);
}
#endif

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(bad_requests_change_nothing, restore),
      cmocka_unit_test_teardown(normal_and_background_need_no_privilege, restore),
      cmocka_unit_test_teardown(every_profile_obtains_its_table_entry, restore),
      cmocka_unit_test_teardown(saved_state_comes_back, restore),
      cmocka_unit_test_teardown(restore_of_a_bad_state_changes_nothing, restore),
      cmocka_unit_test_teardown(explicit_slice, restore),
#ifdef _WIN32
      cmocka_unit_test_teardown(restore_brings_back_mmcss_priority, restore),
      cmocka_unit_test_teardown(mmcss_without_its_service_is_not_reported_as_applied, restore),
#endif
      cmocka_unit_test_teardown(without_privilege_strict_fails_and_fallback_reports, restore),
#ifdef __linux__ /* rlimits and sched_setattr chains are Linux's */
      cmocka_unit_test(rlimits_cap_the_fallback),
      cmocka_unit_test(priority_chain_degrades),
#endif
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
