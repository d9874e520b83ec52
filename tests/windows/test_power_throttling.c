/* SPDX-License-Identifier: MIT */
/*
 * The power-throttling opt-out as Windows 11, Windows 10 and Windows 10
 * before 1709 answer it (Wine refuses the class outright, so the real call
 * cannot show the difference): what is applied is what is reported.
 */
#include <windows.h>

#include "lal_test.h"
#include "windows/power_throttling.h"

/* The fake keeps the process's state as Windows does: each call replaces it
 * whole (a bit left out hands that policy back to the system). */
static ULONG accepted_bits; /* the ControlMask bits this fake Windows knows */
static unsigned opted_out;  /* lal's record of the process's opt-outs */
static DWORD refusal;       /* the error of a refused call */
static lal_power_throttling_state last;
static int calls;

static BOOL WINAPI set_info(HANDLE process, int cls, LPVOID data, DWORD size) {
  (void)process;
  calls++;
  assert_int_equal(cls, LAL_PROCESS_POWER_THROTTLING_CLASS);
  assert_int_equal(size, sizeof last);
  const lal_power_throttling_state *s = data;
  assert_int_equal(s->Version, LAL_POWER_THROTTLING_VERSION);
  assert_int_equal(s->StateMask, 0); /* 0: the named policies off */
  if (s->ControlMask & ~accepted_bits) {
    SetLastError(refusal);
    return FALSE;
  }
  last = *s;
  return TRUE;
}

static void windows(ULONG bits, DWORD error) {
  accepted_bits = bits;
  refusal = error;
  calls = 0;
  opted_out = 0;
  memset(&last, 0, sizeof last);
}

#define BOTH (LAL_THROTTLE_EXECUTION_SPEED | LAL_THROTTLE_TIMER_RESOLUTION)
#define SPEED LAL_POWER_THROTTLING_EXECUTION_SPEED
#define TIMER LAL_POWER_THROTTLING_IGNORE_TIMER_RESOLUTION

static void windows11_applies_both(void **state) {
  (void)state;
  windows(SPEED | TIMER, ERROR_INVALID_PARAMETER);
  unsigned applied = 0;
  assert_status(LAL_OK,
                lali_win_power_throttling_apply(set_info, NULL, &opted_out, BOTH, &applied));
  assert_int_equal(applied, BOTH);
  assert_int_equal(last.ControlMask, SPEED | TIMER);
  assert_int_equal(calls, 1);
}

/* Windows 10 knows execution speed only: applied alone, and reported so. */
static void windows10_refuses_the_timer_bit(void **state) {
  (void)state;
  windows(SPEED, ERROR_INVALID_PARAMETER);
  unsigned applied = 0;
  assert_status(LAL_OK,
                lali_win_power_throttling_apply(set_info, NULL, &opted_out, BOTH, &applied));
  assert_int_equal(applied, LAL_THROTTLE_EXECUTION_SPEED);
  assert_int_equal(last.ControlMask, SPEED);
  opted_out = 0; /* a process that never opted out of anything */
  assert_status(LAL_ENOTSUP,
                lali_win_power_throttling_apply(set_info, NULL, &opted_out,
                                                LAL_THROTTLE_TIMER_RESOLUTION, &applied));
  assert_int_equal(applied, 0);
}

static void older_windows_and_failures(void **state) {
  (void)state;
  unsigned applied = 99;
  windows(0, ERROR_INVALID_PARAMETER); /* before 1709: no such class */
  assert_status(LAL_ENOTSUP,
                lali_win_power_throttling_apply(set_info, NULL, &opted_out, BOTH, &applied));
  assert_int_equal(applied, 0);
  assert_int_equal(lal_last_os_error(), ERROR_INVALID_PARAMETER);
  applied = 99;
  assert_status(LAL_ENOTSUP,
                lali_win_power_throttling_apply(NULL, NULL, &opted_out, BOTH, &applied));
  assert_int_equal(applied, 0); /* before Windows 8: no SetProcessInformation */
  windows(0, ERROR_ACCESS_DENIED);
  assert_status(LAL_EPERM,
                lali_win_power_throttling_apply(set_info, NULL, &opted_out, BOTH, &applied));
  assert_int_equal(calls, 1); /* no second try for a refusal that is not the flag */
}

/* A second opt-out sends the first one's policies again, so the process ends
 * opted out of both; on Windows 10 a later TIMER request keeps SPEED. */
static void a_second_opt_out_keeps_the_first(void **state) {
  (void)state;
  windows(SPEED | TIMER, ERROR_INVALID_PARAMETER);
  unsigned applied = 0;
  assert_status(LAL_OK, lali_win_power_throttling_apply(set_info, NULL, &opted_out,
                                                        LAL_THROTTLE_EXECUTION_SPEED, &applied));
  assert_int_equal(last.ControlMask, SPEED);
  assert_status(LAL_OK, lali_win_power_throttling_apply(set_info, NULL, &opted_out,
                                                        LAL_THROTTLE_TIMER_RESOLUTION, &applied));
  assert_int_equal(last.ControlMask, SPEED | TIMER);
  assert_int_equal(applied, BOTH);

  windows(SPEED, ERROR_INVALID_PARAMETER);
  assert_status(LAL_OK, lali_win_power_throttling_apply(set_info, NULL, &opted_out,
                                                        LAL_THROTTLE_EXECUTION_SPEED, &applied));
  assert_status(LAL_OK, lali_win_power_throttling_apply(set_info, NULL, &opted_out,
                                                        LAL_THROTTLE_TIMER_RESOLUTION, &applied));
  assert_int_equal(last.ControlMask, SPEED); /* resent, not dropped */
  assert_int_equal(applied, LAL_THROTTLE_EXECUTION_SPEED);
  assert_int_equal(opted_out, LAL_THROTTLE_EXECUTION_SPEED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(windows11_applies_both),
      cmocka_unit_test(windows10_refuses_the_timer_bit),
      cmocka_unit_test(older_windows_and_failures),
      cmocka_unit_test(a_second_opt_out_keeps_the_first),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
