/* SPDX-License-Identifier: MIT */
/*
 * Realtime without root, against the real services: a system bus, polkitd
 * and rtkit-daemon started by the ctest fixture (tests/linux/rtkit-services.sh).
 * In a child that drops to nobody with RLIMIT_RTPRIO 0 (no CAP_SYS_NICE):
 * AUDIO obtains SCHED_RR from rtkit, clamped to its MaxRealtimePriority, with
 * RLIMIT_RTTIME lowered to its RTTimeUSecMax; through the xdg Realtime portal
 * (xdg-desktop-portal on a session bus of nobody's, which forwards to rtkit),
 * SCHED_RR too; with rtkit stopped, the chain goes on past the portal (no
 * session bus in the child) to the EEVDF slice hint.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lal_test.h"
#include "lal_test_child.h"

static int rtkit_running(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           "dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
           "org.freedesktop.DBus.NameHasOwner string:org.freedesktop.RealtimeKit1 2>/dev/null "
           "| grep -q 'boolean true'");
  return system(cmd) == 0;
}

static int services(const char *action) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "bash '%s' %s '%s' >/dev/null 2>&1", LAL_RTKIT_SCRIPT, action,
           LAL_RTKIT_STATE);
  return system(cmd);
}

/* 1 if this kernel takes a slice hint (Linux 6.12+). */
static int kernel_has_slice(void) {
  struct utsname u;
  int major = 0, minor = 0;
  return uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
         (major > 6 || (major == 6 && minor >= 12));
}

static int drop_to_nobody(char *msg, size_t size) {
  struct rlimit zero = {0, 0};
  if (setrlimit(RLIMIT_RTPRIO, &zero) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
    snprintf(msg, size, "could not drop privilege");
    return 0;
  }
  return 1;
}

static int audio_from_rtkit(void *ctx, char *msg, size_t size) {
  (void)ctx;
  if (!drop_to_nobody(msg, size))
    return 0;
  /* Explicit RR at 5 through rtkit first: no clamp needed. (Once a thread is
   * RR, lowering its own priority needs no broker.) */
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_EXPLICIT;
  req.policy = LAL_POLICY_RR;
  req.rt_priority = 5;
  req.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.obtained_via == LAL_VIA_RTKIT && res.rt_priority == 5);
  CHILD_EXPECT(strstr(res.reason, "rtkit: SCHED_RR 5") != NULL);
  /* AUDIO asks 60: clamped to what rtkit allows. */
  req = (lal_priority_req)LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO;
  req.flags = LAL_PRIORITY_FALLBACK;
  memset(&res, 0, sizeof res);
  res.size = sizeof res;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.obtained_via == LAL_VIA_RTKIT);
  CHILD_EXPECT(res.policy == LAL_POLICY_RR && res.rt_priority >= 1 && res.rt_priority <= 60);
  CHILD_EXPECT(res.flags & LAL_PRIORITY_RESET_ON_FORK);
  CHILD_EXPECT(res.flags & LAL_PRIORITY_DEGRADED);
  CHILD_EXPECT(strstr(res.reason, "SCHED_FIFO 60: LAL_EPERM") != NULL);
  /* Debian's rtkit allows 20: the clamp is reported. */
  CHILD_EXPECT(res.rt_priority == 60 ||
               strstr(res.reason, "(asked 60; rtkit allows at most") != NULL);
  CHILD_EXPECT(sched_getscheduler(0) == (SCHED_RR | SCHED_RESET_ON_FORK) ||
               sched_getscheduler(0) == SCHED_RR);
  /* RLIMIT_RTTIME was lowered, soft and hard, before asking. */
  struct rlimit rl;
  CHILD_EXPECT(getrlimit(RLIMIT_RTTIME, &rl) == 0);
  CHILD_EXPECT(rl.rlim_max != RLIM_INFINITY && rl.rlim_cur <= rl.rlim_max);
  CHILD_EXPECT(res.rlimit_rttime == (int64_t)rl.rlim_cur && res.rlimit_rttime > 0);
  return 1;
}

/* The fixture's session bus (rtkit-services.sh start-portal). */
static char portal_address[512];

/* INTERACTIVE as nobody with RLIMIT_NICE 0: nice -10 is refused by the
 * kernel, granted by rtkit (MakeThreadHighPriority, within its MinNiceLevel).
 * Through the portal too, when it is up. */
static int interactive_from_a_broker(void *ctx, char *msg, size_t size) {
  const char *via = ctx;
  struct rlimit zero = {0, 0};
  if (setrlimit(RLIMIT_NICE, &zero) != 0 || !drop_to_nobody(msg, size))
    return 0;
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
    snprintf(msg, size, "PR_SET_DUMPABLE failed");
    return 0;
  }
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_INTERACTIVE;
  req.flags = LAL_PRIORITY_FALLBACK;
  if (strcmp(via, "portal") == 0) {
    setenv("DBUS_SESSION_BUS_ADDRESS", portal_address, 1);
    req.flags |= LAL_PRIORITY_VIA_PORTAL;
  }
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.obtained_via == (strcmp(via, "portal") == 0 ? LAL_VIA_PORTAL : LAL_VIA_RTKIT));
  CHILD_EXPECT(res.policy == LAL_POLICY_OTHER && res.nice < 0 && res.nice >= -10);
  CHILD_EXPECT(strstr(res.reason, "SCHED_OTHER nice -10: LAL_EPERM") != NULL);
  char want[32];
  snprintf(want, sizeof want, "%s: nice %d", via, res.nice);
  CHILD_EXPECT(strstr(res.reason, want) != NULL);
  CHILD_EXPECT(res.flags & LAL_PRIORITY_DEGRADED); /* not the direct route */
  errno = 0;
  CHILD_EXPECT(getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid)) == res.nice && errno == 0);
  return 1;
}

static int audio_without_rtkit(void *ctx, char *msg, size_t size) {
  (void)ctx;
  if (!drop_to_nobody(msg, size))
    return 0;
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO;
  req.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(strstr(res.reason, "rtkit: LAL_ENOTSUP") != NULL);
  CHILD_EXPECT(strstr(res.reason, "portal: ") != NULL);
  if (kernel_has_slice()) {
    CHILD_EXPECT(res.obtained_via == LAL_VIA_SLICE);
    CHILD_EXPECT(res.slice_ns == 1000000u && res.policy == LAL_POLICY_OTHER);
    CHILD_EXPECT(strstr(res.reason, "SCHED_OTHER slice 1000 us: ok") != NULL);
  } else {
    CHILD_EXPECT(res.obtained_via == LAL_VIA_NICE || res.obtained_via == LAL_VIA_UNCHANGED);
  }
  return 1;
}

static int audio_from_the_portal(void *ctx, char *msg, size_t size) {
  (void)ctx;
  if (!drop_to_nobody(msg, size))
    return 0;
  /* A process that changed its uid is not dumpable, which leaves its
   * /proc/<pid> owned by root: the portal (as nobody) could then not open
   * /proc/<pid>/root to tell a host app from a sandboxed one ("Unable to open
   * /proc/N/root"). An app started as nobody is dumpable: be that app. */
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
    snprintf(msg, size, "PR_SET_DUMPABLE failed");
    return 0;
  }
  setenv("DBUS_SESSION_BUS_ADDRESS", portal_address, 1);
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO;
  req.flags = LAL_PRIORITY_FALLBACK | LAL_PRIORITY_VIA_PORTAL; /* the portal step only */
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  CHILD_EXPECT(lal_thread_set_priority(&req, &res) == LAL_OK);
  CHILD_EXPECT(res.obtained_via == LAL_VIA_PORTAL);
  CHILD_EXPECT(res.policy == LAL_POLICY_RR && res.rt_priority >= 1 && res.rt_priority <= 60);
  CHILD_EXPECT(strstr(res.reason, "rtkit: ") == NULL); /* rtkit was not asked directly */
  CHILD_EXPECT(strstr(res.reason, "portal: SCHED_RR") != NULL);
  CHILD_EXPECT(res.rt_priority == 60 ||
               strstr(res.reason, "(asked 60; portal allows at most") != NULL);
  CHILD_EXPECT(sched_getscheduler(0) == (SCHED_RR | SCHED_RESET_ON_FORK) ||
               sched_getscheduler(0) == SCHED_RR);
  struct rlimit rl;
  CHILD_EXPECT(getrlimit(RLIMIT_RTTIME, &rl) == 0 && rl.rlim_max != RLIM_INFINITY);
  return 1;
}

static void run_in_child(int (*fn)(void *, char *, size_t)) { lal_test_in_child(fn, NULL); }

static void skip_unless_services(void) {
  if (getuid() != 0)
    LAL_SKIP("the services and dropping to nobody need root to start from");
  if (!rtkit_running())
    LAL_SKIP("rtkit is not on the system bus (packages dbus, polkitd, rtkit; the fixture "
             "tests/linux/rtkit-services.sh starts them as root)");
}

static void audio_obtains_rr_from_rtkit_as_nobody(void **state) {
  (void)state;
  skip_unless_services();
  run_in_child(audio_from_rtkit);
}

static void audio_obtains_rr_through_the_portal_as_nobody(void **state) {
  (void)state;
  skip_unless_services();
  char path[600];
  snprintf(path, sizeof path, "%s/portal.address", LAL_RTKIT_STATE);
  FILE *f = fopen(path, "r");
  if (!f)
    LAL_SKIP("xdg-desktop-portal is not running (package xdg-desktop-portal; the fixture "
             "starts it as nobody on a session bus of its own)");
  int got = fgets(portal_address, sizeof portal_address, f) != NULL;
  fclose(f);
  assert_true(got);
  portal_address[strcspn(portal_address, "\n")] = '\0';
  run_in_child(audio_from_the_portal);
}

/* A refused AUDIO request changes nothing: RLIMIT_RTTIME (soft and hard)
 * and the scheduling policy are as they were, whether the portal is up with
 * rtkit stopped behind it or there is no bus at all. */
static int refused_audio_changes_nothing(void *ctx, char *msg, size_t size) {
  const char *how = ctx;
  if (!drop_to_nobody(msg, size))
    return 0;
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
    snprintf(msg, size, "PR_SET_DUMPABLE failed");
    return 0;
  }
  if (strcmp(how, "portal") == 0) {
    setenv("DBUS_SESSION_BUS_ADDRESS", portal_address, 1);
  } else { /* no bus at all */
    unsetenv("DBUS_SESSION_BUS_ADDRESS");
    unsetenv("XDG_RUNTIME_DIR");
    setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/lal-no-bus", 1);
  }
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = LAL_PRIORITY_AUDIO;
  req.flags = LAL_PRIORITY_FALLBACK | LAL_PRIORITY_VIA_RTKIT | LAL_PRIORITY_VIA_PORTAL;
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  struct rlimit before, after;
  CHILD_EXPECT(getrlimit(RLIMIT_RTTIME, &before) == 0);
  int policy = sched_getscheduler(0);
  int rc = lal_thread_set_priority(&req, &res);
  CHILD_EXPECT(getrlimit(RLIMIT_RTTIME, &after) == 0);
  if (after.rlim_cur != before.rlim_cur || after.rlim_max != before.rlim_max) {
    snprintf(msg, size, "%s: RLIMIT_RTTIME %lld/%lld became %lld/%lld (%s: %s)", how,
             (long long)before.rlim_cur, (long long)before.rlim_max, (long long)after.rlim_cur,
             (long long)after.rlim_max, lal_err_name(rc), res.reason);
    return 0;
  }
  CHILD_EXPECT(sched_getscheduler(0) == policy);
  CHILD_EXPECT(res.obtained_via == LAL_VIA_UNCHANGED);
  return 1;
}

static void interactive_obtains_a_nice_boost_as_nobody(void **state) {
  (void)state;
  skip_unless_services();
  lal_test_in_child(interactive_from_a_broker, (void *)"rtkit");
  char path[600];
  snprintf(path, sizeof path, "%s/portal.address", LAL_RTKIT_STATE);
  FILE *f = fopen(path, "r");
  if (!f)
    LAL_SKIP("rtkit granted it; xdg-desktop-portal is not running to try that route");
  int got = fgets(portal_address, sizeof portal_address, f) != NULL;
  fclose(f);
  assert_true(got);
  portal_address[strcspn(portal_address, "\n")] = '\0';
  lal_test_in_child(interactive_from_a_broker, (void *)"portal");
}

static void without_rtkit_the_chain_goes_on(void **state) {
  (void)state;
  skip_unless_services();
  char ours[600];
  snprintf(ours, sizeof ours, "%s/system.conf", LAL_RTKIT_STATE);
  if (access(ours, F_OK) != 0)
    LAL_SKIP("the system bus here is not the fixture's: it may start rtkit on demand (bus "
             "activation), so rtkit cannot be kept stopped");
  services("stop-rtkit");
  assert_false(rtkit_running());
  run_in_child(audio_without_rtkit);
  lal_test_in_child(refused_audio_changes_nothing, (void *)"no bus");
  if (portal_address[0])
    lal_test_in_child(refused_audio_changes_nothing, (void *)"portal");
  services("start-rtkit");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(audio_obtains_rr_from_rtkit_as_nobody),
      cmocka_unit_test(audio_obtains_rr_through_the_portal_as_nobody),
      cmocka_unit_test(interactive_obtains_a_nice_boost_as_nobody),
      cmocka_unit_test(without_rtkit_the_chain_goes_on),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
