/* SPDX-License-Identifier: MIT */
/* Windows side of bench_os.h. */
#include <windows.h>

#include <io.h>

#include <stdio.h>
#include <string.h>

#include "bench_os.h"

uint64_t bench_os_clock_ns(void) {
  static LARGE_INTEGER f;
  LARGE_INTEGER c;
  if (!f.QuadPart)
    QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  uint64_t hz = (uint64_t)f.QuadPart, t = (uint64_t)c.QuadPart;
  return t / hz * 1000000000u + t % hz * 1000000000u / hz;
}

void bench_os_sleep_until(uint64_t d) {
  /* What most Windows code does: a default waitable timer (1 ms class). */
  static __thread HANDLE timer;
  uint64_t now = bench_os_clock_ns();
  if (now >= d)
    return;
  if (!timer)
    timer = CreateWaitableTimerW(NULL, FALSE, NULL);
  LARGE_INTEGER due;
  due.QuadPart = -(LONGLONG)((d - now + 99) / 100);
  SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE);
  WaitForSingleObject(timer, INFINITE);
}

#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#  define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002 /* Windows 10 1803 */
#endif

void bench_os_sleep_for(uint64_t ns) {
  /* SDL3's delay: a high-resolution waitable timer where Windows has one
   * (CreateWaitableTimerExW refuses the flag before 10 1803), else a default
   * one; a relative due time (negative, 100 ns units). */
  static __thread HANDLE timer;
  if (!timer)
    timer =
        CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, TIMER_ALL_ACCESS);
  if (!timer)
    timer = CreateWaitableTimerW(NULL, FALSE, NULL);
  LARGE_INTEGER due;
  due.QuadPart = -(LONGLONG)(ns / 100);
  if (timer && SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE))
    WaitForSingleObject(timer, INFINITE);
}

int bench_os_current_cpu(void) {
  PROCESSOR_NUMBER pn;
  GetCurrentProcessorNumberEx(&pn);
  return pn.Group * 64 + pn.Number;
}

int bench_os_pin(int cpu) {
  return SetThreadAffinityMask(GetCurrentThread(), (DWORD_PTR)1 << cpu) ? 0 : -1;
}

int bench_os_cpu_count(void) { return (int)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS); }

int bench_os_realtime(void) {
  return SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_TIME_CRITICAL) ? 0 : -1;
}

void bench_os_normal(void) { SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_NORMAL); }

uint64_t bench_os_thread_cpu_ns(void) {
  FILETIME c, e, k, u;
  GetThreadTimes(GetCurrentThread(), &c, &e, &k, &u);
  return ((((uint64_t)k.dwHighDateTime << 32) | k.dwLowDateTime) +
          (((uint64_t)u.dwHighDateTime << 32) | u.dwLowDateTime)) *
         100u;
}

const char *bench_os_name(void) { return "Windows"; }

void bench_os_trivial_syscall(void) {
  FILETIME c, e, k, u;
  GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
}

void bench_os_yield(void) { SwitchToThread(); }

void bench_os_kernel_build(char *buf, size_t size) {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  typedef const char *(__cdecl * wine_version_fn)(void);
  typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
  wine_version_fn wine_version =
      ntdll ? (wine_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
  rtl_get_version_fn rtl_get_version =
      ntdll ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion") : NULL;
  OSVERSIONINFOW v;
  memset(&v, 0, sizeof v);
  v.dwOSVersionInfoSize = sizeof v;
  if (wine_version)
    snprintf(buf, size, "Wine %s", wine_version());
  else if (rtl_get_version && rtl_get_version(&v) == 0)
    snprintf(buf, size, "build %lu", v.dwBuildNumber);
  else if (size)
    buf[0] = '\0';
}

FILE *bench_os_take_stdout(void) {
  fflush(stdout);
  int fd = _dup(_fileno(stdout));
  if (fd < 0 || _dup2(_fileno(stderr), _fileno(stdout)) < 0)
    return NULL;
  return _fdopen(fd, "w");
}

FILE *bench_os_temp_file(void) {
  wchar_t dir[MAX_PATH], path[MAX_PATH];
  DWORD n = GetTempPathW(MAX_PATH, dir);
  if (n == 0 || n >= MAX_PATH || !GetTempFileNameW(dir, L"lal", 0, path))
    return NULL;
  HANDLE h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    DeleteFileW(path);
    return NULL;
  }
  int fd = _open_osfhandle((intptr_t)h, 0);
  if (fd < 0) {
    CloseHandle(h);
    return NULL;
  }
  FILE *f = _fdopen(fd, "w+b");
  if (!f)
    _close(fd);
  return f;
}

void bench_os_signal_safe_write(const char *text, size_t len) {
  DWORD written;
  WriteFile(GetStdHandle(STD_ERROR_HANDLE), text, (DWORD)len, &written, NULL);
}

/* rename() fails on Windows when the target exists ("MoveFileExW":
 * MOVEFILE_REPLACE_EXISTING replaces it in one step). */
int bench_os_replace_file(const char *from, const char *to) {
  return MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) ? 0 : -1;
}

void bench_os_host_name(char *buf, size_t size) {
  DWORD n = (DWORD)size;
  if (!GetComputerNameExA(ComputerNameDnsHostname, buf, &n) && size)
    buf[0] = '\0';
}

/* Windows has no load average or PSI: both are reported unknown. */
void bench_os_load(double *loadavg_1min, double *psi_cpu_some_avg10) {
  *loadavg_1min = -1;
  *psi_cpu_some_avg10 = -1;
}

void bench_os_utc_now(char *buf, size_t size) {
  SYSTEMTIME st;
  GetSystemTime(&st);
  snprintf(buf, size, "%04u-%02u-%02uT%02u:%02u:%02uZ", st.wYear, st.wMonth, st.wDay, st.wHour,
           st.wMinute, st.wSecond);
}
