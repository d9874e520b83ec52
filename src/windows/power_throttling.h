/* SPDX-License-Identifier: MIT */
/*
 * Opting a process out of power throttling (EcoQoS), with the OS call passed
 * in so the Windows 10 / Windows 11 answers can be tested under Wine, whose
 * SetProcessInformation refuses the class.
 */
#ifndef LAL_SRC_WINDOWS_POWER_THROTTLING_H
#define LAL_SRC_WINDOWS_POWER_THROTTLING_H

#include <windows.h>

#include "compat.h"

/* lali_os_power_throttling_opt_out through set_info (SetProcessInformation).
 * *opted_out: the policies the process is opted out of so far (lal_THROTTLE_*),
 * sent again with policies and updated on success. *applied: all of them
 * (a requested policy missing from it is one this Windows does not have). */
int lali_win_power_throttling_apply(lal_set_process_information_fn set_info, HANDLE process,
                                    unsigned *opted_out, unsigned policies, unsigned *applied);

#endif
