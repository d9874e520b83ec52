/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor` on Windows: power plan, timer resolution in force, the
 * large-page privilege, the MMCSS service, power throttling / Game Mode and
 * processor groups. Functions newer than Windows 7 (and those Wine lacks)
 * are resolved at run time; a check whose API is missing says n/a and why.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "doctor.h"
#include "lal.h"

typedef LONG(WINAPI *nt_query_timer_resolution_fn)(PULONG, PULONG, PULONG);
typedef DWORD(WINAPI *power_get_active_scheme_fn)(HKEY, GUID **);

typedef struct ctx {
  doctor_list list;
  uint64_t memlock_need; /* --memlock, 0 = not stated */
} ctx;

static finding *add(ctx *c, const char *check, doctor_status st, const char *why) {
  return doctor_add(&c->list, check, st, why);
}

static void (*proc(const wchar_t *dll, const char *name))(void) {
  HMODULE m = GetModuleHandleW(dll);
  if (!m)
    m = LoadLibraryW(dll);
  return m ? (void (*)(void))GetProcAddress(m, name) : NULL;
}

static void check_power_plan(ctx *c) {
  static const char why[] = "the Balanced and power-saver plans park cores and lower clocks "
                            "between bursts";
  power_get_active_scheme_fn get =
      (power_get_active_scheme_fn)proc(L"powrprof.dll", "PowerGetActiveScheme");
  GUID *g = NULL;
  if (!get || get(NULL, &g) != ERROR_SUCCESS || !g) {
    snprintf(add(c, "power_plan", DOCTOR_NA, why)->value, 160,
             "PowerGetActiveScheme unavailable (powrprof.dll)");
    return;
  }
  char guid[40];
  snprintf(guid, sizeof guid, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2],
           g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
  LocalFree(g);
  const char *name = "custom";
  doctor_status st = DOCTOR_WARN;
  if (strcmp(guid, "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c") == 0)
    name = "High performance", st = DOCTOR_OK;
  else if (strcmp(guid, "e9a42b02-d5df-448d-aa00-03f14749eb61") == 0)
    name = "Ultimate Performance", st = DOCTOR_OK;
  else if (strcmp(guid, "381b4222-f694-41f0-9685-ff5bb260df2e") == 0)
    name = "Balanced";
  else if (strcmp(guid, "a1841308-3541-4fab-bc81-f71556f20b4a") == 0)
    name = "Power saver";
  finding *f = add(c, "power_plan", st, why);
  snprintf(f->value, sizeof f->value, "%s (%s)", name, guid);
  if (st != DOCTOR_OK)
    snprintf(f->fix, sizeof f->fix, "powercfg /setactive SCHEME_MIN (High performance)");
}

static void check_timer_resolution(ctx *c) {
  static const char why[] = "Sleep and waitable timers wake on the system timer tick: at "
                            "15.6 ms a 1 ms sleep can take 15 ms";
  nt_query_timer_resolution_fn q =
      (nt_query_timer_resolution_fn)proc(L"ntdll.dll", "NtQueryTimerResolution");
  ULONG coarsest, finest, current;
  if (!q || q(&coarsest, &finest, &current) != 0) {
    snprintf(add(c, "timer_resolution", DOCTOR_NA, why)->value, 160,
             "NtQueryTimerResolution unavailable");
    return;
  }
  /* 100 ns units; "coarsest" is the largest interval. */
  finding *f = add(c, "timer_resolution", current > 10000 ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%.3f ms in force (range %.3f..%.3f ms)", current / 1e4,
           finest / 1e4, coarsest / 1e4);
  if (current > 10000)
    snprintf(f->fix, sizeof f->fix,
             "lal_sleep_until uses a high-resolution waitable timer; otherwise "
             "lal_timer_slack_set(1000000, NULL) (timeBeginPeriod(1)) while latency matters");
}

static void check_large_pages(ctx *c) {
  static const char why[] = "LAL_PAGE_LARGE needs SeLockMemoryPrivilege (\"Lock pages in "
                            "memory\"); without it allocations fall back to 4 KiB pages";
  lal_caps caps = LAL_CAPS_INIT;
  lal_query_caps(&caps);
  int held = (caps.machine_features & LAL_CAP_LARGE_PAGES) != 0;
  finding *f = add(c, "large_page_privilege", held ? DOCTOR_OK : DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "%s; large page %llu KiB", held ? "held" : "not held",
           (unsigned long long)(caps.large_page_size >> 10));
  if (!held)
    snprintf(f->fix, sizeof f->fix,
             "secpol.msc > Local Policies > User Rights Assignment > Lock pages in memory: add "
             "the account, then sign out and in");
}

static void check_mmcss(ctx *c) {
  static const char why[] = "the AUDIO and REALTIME profiles register threads with the "
                            "Multimedia Class Scheduler Service";
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  SC_HANDLE svc = scm ? OpenServiceW(scm, L"MMCSS", SERVICE_QUERY_STATUS) : NULL;
  SERVICE_STATUS s;
  if (!svc || !QueryServiceStatus(svc, &s)) {
    DWORD err = GetLastError();
    finding *f = add(c, "mmcss_service", scm ? DOCTOR_WARN : DOCTOR_NA, why);
    snprintf(f->value, sizeof f->value, "not found (error %lu)", (unsigned long)err);
    if (scm)
      snprintf(f->fix, sizeof f->fix, "sc config MMCSS start= auto && sc start MMCSS");
  } else {
    int running = s.dwCurrentState == SERVICE_RUNNING;
    finding *f = add(c, "mmcss_service", running ? DOCTOR_OK : DOCTOR_WARN, why);
    snprintf(f->value, sizeof f->value, "%s", running ? "running" : "not running");
    if (!running)
      snprintf(f->fix, sizeof f->fix, "sc start MMCSS");
  }
  if (svc)
    CloseServiceHandle(svc);
  if (scm)
    CloseServiceHandle(scm);
}

static void check_game_mode(ctx *c) {
  static const char why[] = "EcoQoS / power throttling runs background-looking processes on "
                            "efficient cores at low clocks; Game Mode changes scheduling";
  DWORD v = 0, size = sizeof v;
  LONG rc = RegGetValueW(HKEY_CURRENT_USER, L"Software\\Microsoft\\GameBar", L"AutoGameModeEnabled",
                         RRF_RT_REG_DWORD, NULL, &v, &size);
  finding *f = add(c, "power_throttling", DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value,
           "Game Mode %s; call lal_power_throttling_disable() to opt "
           "this process out of EcoQoS",
           rc == ERROR_SUCCESS ? (v ? "on" : "off") : "default");
}

static void check_groups(ctx *c) {
  static const char why[] = "with several processor groups a thread runs in one group only "
                            "unless it is placed (lal spans groups with CPU sets)";
  WORD groups = GetActiveProcessorGroupCount();
  finding *f = add(c, "processor_groups", DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%u group(s), %lu logical processors", groups,
           (unsigned long)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS));
  if (groups > 1) {
    f->status = DOCTOR_WARN;
    snprintf(f->fix, sizeof f->fix,
             "place threads explicitly (lal_place + lal_thread_set_affinity) across groups");
  }
}

/* 1 if the process token holds the named privilege (enabled or not). */
static int token_holds(const wchar_t *name) {
  HANDLE token;
  LUID luid;
  if (!LookupPrivilegeValueW(NULL, name, &luid) ||
      !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
    return 0;
  union {
    TOKEN_PRIVILEGES p;
    char bytes[4096];
  } buf;
  DWORD len = 0;
  int held = 0;
  if (GetTokenInformation(token, TokenPrivileges, &buf, sizeof buf, &len))
    for (DWORD i = 0; i < buf.p.PrivilegeCount; i++)
      held |= buf.p.Privileges[i].Luid.LowPart == luid.LowPart &&
              buf.p.Privileges[i].Luid.HighPart == luid.HighPart;
  CloseHandle(token);
  return held;
}

/* The app's locked set (--memlock) against VirtualLock's limit, the minimum
 * working set ("VirtualLock"): lal_mem_lock raises it on demand, which takes
 * SeIncreaseWorkingSetPrivilege (every user holds it by default) and a set
 * that fits in physical memory. */
static void check_memlock_budget(ctx *c) {
  static const char why[] = "VirtualLock fails beyond the minimum working set; lal raises "
                            "it for LAL_MEM_LOCK, which needs SeIncreaseWorkingSetPrivilege";
  if (!c->memlock_need)
    return;
  SIZE_T lo = 0, hi = 0;
  GetProcessWorkingSetSize(GetCurrentProcess(), &lo, &hi);
  MEMORYSTATUSEX mem;
  mem.dwLength = sizeof mem;
  uint64_t phys = GlobalMemoryStatusEx(&mem) ? mem.ullTotalPhys : 0;
  int grow = token_holds(L"SeIncreaseWorkingSetPrivilege");
  int fits = c->memlock_need <= lo || (grow && (phys == 0 || c->memlock_need < phys / 2));
  finding *f = add(c, "memlock_budget", fits ? DOCTOR_OK : DOCTOR_FAIL, why);
  snprintf(f->value, sizeof f->value,
           "need %llu KiB; minimum working set %llu KiB, %s; physical memory %llu MiB",
           (unsigned long long)((c->memlock_need + 1023) >> 10), (unsigned long long)(lo >> 10),
           grow ? "raised on demand (SeIncreaseWorkingSetPrivilege held)"
                : "fixed (SeIncreaseWorkingSetPrivilege not held)",
           (unsigned long long)(phys >> 20));
  if (!fits)
    snprintf(f->fix, sizeof f->fix,
             grow ? "lock less than half of physical memory"
                  : "secpol.msc > User Rights Assignment > Increase a process working set: add "
                    "the account");
}

int doctor_run_opts(const doctor_opts *o, finding *out, int max) {
  ctx c = {{out, 0, max}, o->memlock_need};
  check_power_plan(&c);
  check_timer_resolution(&c);
  check_large_pages(&c);
  check_mmcss(&c);
  check_game_mode(&c);
  check_groups(&c);
  check_memlock_budget(&c);
  return c.list.n;
}
