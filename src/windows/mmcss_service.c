/* SPDX-License-Identifier: MIT */
/*
 * avrt.dll's AvSetMmThreadCharacteristics succeeds as long as the task name
 * is one of HKLM\...\Multimedia\SystemProfile\Tasks; what raises the thread
 * is the MMCSS service (a kernel driver service, "MMCSS", from Windows 10).
 * When it is stopped, or absent as under Wine, whose avrt is a stub that
 * accepts every task, a registration has no effect at all: lal asks the
 * service manager rather than report MMCSS as applied.
 */
#include <windows.h>

#include "mmcss_service.h"

static volatile LONG cached = -2; /* -2 not asked yet */

static int ask(void) {
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  if (!scm)
    return -1;
  int state = -1;
  SC_HANDLE svc = OpenServiceW(scm, L"MMCSS", SERVICE_QUERY_STATUS);
  if (svc) {
    SERVICE_STATUS s;
    if (QueryServiceStatus(svc, &s))
      state = s.dwCurrentState == SERVICE_RUNNING;
    CloseServiceHandle(svc);
  } else if (GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) {
    state = 0;
  }
  CloseServiceHandle(scm);
  return state;
}

int lali_win_mmcss_service_state(void) {
  LONG state = cached;
  if (state == -2) {
    state = ask();
    InterlockedExchange(&cached, state);
  }
  return (int)state;
}
