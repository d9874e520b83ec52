/* SPDX-License-Identifier: MIT */
/* Token privileges: enabling one the account holds before the call that needs it. */
#include <windows.h>

#include "lal_internal.h"
#include "privilege.h"

int lali_win_enable_privilege(const wchar_t *name) {
  /* A privilege the account holds is usually present but disabled in the
   * token ("Privilege Constants"); the API that needs it (MEM_LARGE_PAGES,
   * REALTIME_PRIORITY_CLASS) checks the enabled state. AdjustTokenPrivileges
   * "succeeds" with ERROR_NOT_ALL_ASSIGNED when the token lacks it: that is
   * the check. */
  HANDLE token;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token))
    return lali_fail_os();
  TOKEN_PRIVILEGES tp;
  tp.PrivilegeCount = 1;
  tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  int rc = LAL_OK;
  if (!LookupPrivilegeValueW(NULL, name, &tp.Privileges[0].Luid) ||
      !AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL))
    rc = lali_fail_os();
  else if (GetLastError() == ERROR_NOT_ALL_ASSIGNED)
    rc = lali_fail_native(ERROR_PRIVILEGE_NOT_HELD);
  CloseHandle(token);
  return rc;
}
