/* SPDX-License-Identifier: MIT */
/*
 * SetProcessInformation(ProcessPowerThrottling) ("PROCESS_POWER_THROTTLING_STATE"):
 * ControlMask names the policies the process decides, StateMask 0 turns them
 * off. PROCESS_POWER_THROTTLING_IGNORE_TIMER_RESOLUTION exists from Windows
 * 11; Windows 10 refuses a mask holding it with ERROR_INVALID_PARAMETER, and
 * Windows 10 before 1709 refuses the class itself the same way. Our
 * arguments are valid by construction, so that error means "not on this
 * Windows".
 *
 * The call replaces the process's whole state: a ControlMask without a bit
 * hands that policy back to the system. So lal keeps the union of what this
 * process opted out of and sends all of it every time; a second opt-out
 * never undoes the first.
 */
#include "power_throttling.h"

#include "lal.h"
#include "lal_atomic.h"
#include "lal_internal.h"
#include "lal_os.h"

static ULONG control_mask(unsigned policies) {
  ULONG mask = 0;
  if (policies & LAL_THROTTLE_EXECUTION_SPEED)
    mask |= LAL_POWER_THROTTLING_EXECUTION_SPEED;
  if (policies & LAL_THROTTLE_TIMER_RESOLUTION)
    mask |= LAL_POWER_THROTTLING_IGNORE_TIMER_RESOLUTION;
  return mask;
}

static int opt_out(lal_set_process_information_fn set_info, HANDLE process, unsigned policies) {
  lal_power_throttling_state state = {LAL_POWER_THROTTLING_VERSION, control_mask(policies), 0};
  if (set_info(process, LAL_PROCESS_POWER_THROTTLING_CLASS, &state, sizeof state))
    return LAL_OK;
  int rc = lali_fail_os(); /* recorded for lal_last_os_error */
  return GetLastError() == ERROR_INVALID_PARAMETER ? LAL_ENOTSUP : rc;
}

int lali_win_power_throttling_apply(lal_set_process_information_fn set_info, HANDLE process,
                                    unsigned *opted_out, unsigned policies, unsigned *applied) {
  *applied = 0;
  if (!set_info)
    return LAL_ENOTSUP; /* before Windows 8 */
  unsigned send = *opted_out | policies;
  int rc = opt_out(set_info, process, send);
  if (rc == LAL_ENOTSUP && (send & LAL_THROTTLE_TIMER_RESOLUTION) &&
      (send & ~LAL_THROTTLE_TIMER_RESOLUTION)) {
    send &= ~LAL_THROTTLE_TIMER_RESOLUTION; /* Windows 10: the rest alone */
    rc = opt_out(set_info, process, send);
  }
  if (rc != LAL_OK)
    return rc;
  *opted_out = send;
  *applied = send; /* the caller compares it with what it asked */
  return LAL_OK;
}

int lali_os_power_throttling_opt_out(unsigned policies, unsigned *applied) {
  static lali_spinlock lock = LALI_SPINLOCK_INIT;
  static unsigned opted_out; /* what the process's state holds, under lock */
  lal_set_process_information_fn set_info =
      (lal_set_process_information_fn)lali_win_proc(L"kernel32.dll", "SetProcessInformation");
  lali_spin_lock(&lock);
  int rc =
      lali_win_power_throttling_apply(set_info, GetCurrentProcess(), &opted_out, policies, applied);
  lali_spin_unlock(&lock);
  return rc;
}
