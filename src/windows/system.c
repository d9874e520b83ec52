/* SPDX-License-Identifier: MIT */
/* Windows system facts: CPU count and the machine half of lal_query_caps. */
#include <windows.h>

#include <stdio.h>

#include "lal_internal.h"
#include "lal_os.h"

int lali_os_cpu_count(void) {
  /* Counts every processor group; GetSystemInfo stops at the caller's group (64). */
  DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
  return n == 0 ? lali_fail_os() : (int)n;
}

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);

/* RtlGetVersion tells the truth; GetVersionEx reports what the (absent)
 * application manifest claims to support ("Version Helper functions"). */
static void os_release(lal_caps *caps) {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  rtl_get_version_fn get_version =
      ntdll ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion") : NULL;
  OSVERSIONINFOW info = {sizeof info, 0, 0, 0, 0, {0}};
  if (get_version && get_version(&info) == 0)
    snprintf(caps->os_release, sizeof caps->os_release, "%lu.%lu.%lu",
             (unsigned long)info.dwMajorVersion, (unsigned long)info.dwMinorVersion,
             (unsigned long)info.dwBuildNumber);
  /* Wine's ntdll exports wine_get_version; Windows' never has. */
  if (ntdll && GetProcAddress(ntdll, "wine_get_version"))
    caps->machine_features |= LAL_CAP_UNDER_WINE;
}

/* 1 if the process token holds the named privilege, enabled or not: lal
 * enables it (privilege.c) right before the call that needs it, so holding
 * it is what makes the capability available. */
static int token_holds(HANDLE token, const wchar_t *name) {
  LUID luid;
  if (!LookupPrivilegeValueW(NULL, name, &luid))
    return 0;
  union {
    TOKEN_PRIVILEGES privileges;
    char bytes[4096];
  } buf;
  DWORD len = 0;
  if (!GetTokenInformation(token, TokenPrivileges, &buf, sizeof buf, &len))
    return 0;
  for (DWORD i = 0; i < buf.privileges.PrivilegeCount; i++)
    if (buf.privileges.Privileges[i].Luid.LowPart == luid.LowPart &&
        buf.privileges.Privileges[i].Luid.HighPart == luid.HighPart)
      return 1;
  return 0;
}

/* Not a public capability: SeLockMemoryPrivilege held, for LAL_CAP_LARGE_PAGES. */
#define LALI_CAP_LOCK_MEMORY_PRIVILEGE (1u << 31)

static unsigned privilege_caps(void) {
  HANDLE token;
  unsigned caps = 0;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
    return 0;
  TOKEN_ELEVATION elevation;
  DWORD len = 0;
  if (GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &len) &&
      elevation.TokenIsElevated)
    caps |= LAL_CAP_ELEVATED;
  /* REALTIME_PRIORITY_CLASS without this privilege is silently demoted to HIGH
   * ("Scheduling Priorities", SetPriorityClass). */
  if (token_holds(token, L"SeIncreaseBasePriorityPrivilege"))
    caps |= LAL_CAP_RT_PRIORITY;
  /* VirtualLock is bounded by the working-set minimum, which a process may
   * raise when it holds SeIncreaseWorkingSetPrivilege ("VirtualLock",
   * "SetProcessWorkingSetSizeEx"); lal enables it when it grows the set. */
  if (token_holds(token, L"SeIncreaseWorkingSetPrivilege"))
    caps |= LAL_CAP_MEMLOCK_ANY;
  /* MEM_LARGE_PAGES needs "Lock pages in memory" ("Large-Page Support"). */
  if (token_holds(token, L"SeLockMemoryPrivilege"))
    caps |= LALI_CAP_LOCK_MEMORY_PRIVILEGE;
  CloseHandle(token);
  return caps;
}

void lali_os_query_caps(lal_caps *caps) {
  caps->os = LAL_OS_WINDOWS;
  int cpus = lali_os_cpu_count();
  caps->cpu_count = cpus > 0 ? cpus : 0;
  lali_copy_string(caps->os_name, sizeof caps->os_name, "Windows");
  os_release(caps);
  unsigned privileges = privilege_caps();
  caps->machine_features |= privileges & ~LALI_CAP_LOCK_MEMORY_PRIVILEGE;
  caps->large_page_size = GetLargePageMinimum();
  if ((privileges & LALI_CAP_LOCK_MEMORY_PRIVILEGE) && caps->large_page_size)
    caps->machine_features |= LAL_CAP_LARGE_PAGES;

  /* "The maximum number of pages that a process can lock is equal to the
   * number of pages in its minimum working set minus a small overhead"
   * ("VirtualLock"): the minimum is the limit (lal_mem_lock raises it). */
  SIZE_T min_ws, max_ws;
  if (GetProcessWorkingSetSize(GetCurrentProcess(), &min_ws, &max_ws))
    caps->memlock_limit = min_ws;
}
