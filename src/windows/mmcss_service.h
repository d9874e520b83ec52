/* SPDX-License-Identifier: MIT */
/* Whether the Multimedia Class Scheduler Service is there to act on avrt. */
#ifndef LAL_SRC_WINDOWS_MMCSS_SERVICE_H
#define LAL_SRC_WINDOWS_MMCSS_SERVICE_H

/* 1 running, 0 absent or stopped (a registration with avrt then changes
 * nothing), -1 the service manager could not be asked. Asked once per
 * process: a few service-manager round trips. */
int lali_win_mmcss_service_state(void);

#endif
