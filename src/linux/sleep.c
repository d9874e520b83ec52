/* SPDX-License-Identifier: MIT */
/* Linux waiting: clock_nanosleep(2) on absolute deadlines, timer slack (prctl(2)). */
#include <errno.h>
#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <time.h>

#include "lal_internal.h"
#include "lal_os.h"

int lali_os_sleep_until_mono(uint64_t deadline) {
  struct timespec ts = {(time_t)(deadline / 1000000000u), (long)(deadline % 1000000000u)};
  for (;;) {
    /* TIMER_ABSTIME: a signal that interrupts the sleep costs nothing to retry,
     * and the deadline does not drift by the time spent getting here. */
    int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    if (rc == 0)
      return LAL_OK;
    if (rc != EINTR)
      return lali_fail_native(rc); /* it returns the error, not errno */
  }
}

int lali_os_timer_slack_set(uint64_t ns, uint64_t *applied_ns) {
  /* PR_SET_TIMERSLACK with 0 restores the thread's default slack (50 us), so
   * the smallest real request is 1 ns. */
  /* The kernel keeps the slack in an unsigned long and PR_GET_TIMERSLACK
   * returns it as the syscall's long result; glibc's prctl() wrapper returns
   * int and truncates anything above INT_MAX. Read it back through syscall(2),
   * which returns the long, and refuse what a long cannot represent (a slack
   * above LONG_MAX ns is 292 years on 64 bits, 2.1 s on 32). */
  if (ns > (uint64_t)LONG_MAX)
    return LAL_ERANGE;
  unsigned long slack = ns == 0 ? 1 : (unsigned long)ns;
  if (prctl(PR_SET_TIMERSLACK, slack, 0, 0, 0) != 0)
    return lali_fail_os();
  if (applied_ns) {
    long now = syscall(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0);
    if (now < 0)
      return lali_fail_os();
    *applied_ns = (uint64_t)now;
  }
  return LAL_OK;
}

int lali_os_power_throttling_opt_out(unsigned policies, unsigned *applied) {
  (void)policies;
  *applied = 0;
  return LAL_ENOTSUP; /* Linux has no per-process timer/speed throttling policy */
}
