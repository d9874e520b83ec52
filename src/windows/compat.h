/*
 * Declarations of post-Windows-7 APIs that mingw-w64 10's headers lack or hide
 * behind _WIN32_WINNT. lal targets Windows 7 (_WIN32_WINNT=0x0601) and resolves
 * every newer function at run time with GetProcAddress: a static import of a
 * function the OS (or Wine) lacks stops the process from loading at all.
 */
#ifndef LAL_WINDOWS_COMPAT_H
#define LAL_WINDOWS_COMPAT_H

#include <windows.h>

/* CreateWaitableTimerExW flag, Windows 10 1803+ ("CreateWaitableTimerExW"). */
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#  define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

/* SetProcessInformation(ProcessPowerThrottling, ...), Windows 8+ with the
 * throttling class from Windows 10 1709 ("PROCESS_POWER_THROTTLING_STATE"). */
/* PROCESS_INFORMATION_CLASS value ProcessPowerThrottling. */
#define LAL_PROCESS_POWER_THROTTLING_CLASS 4
#define LAL_POWER_THROTTLING_VERSION 1
#define LAL_POWER_THROTTLING_EXECUTION_SPEED 0x1
#define LAL_POWER_THROTTLING_IGNORE_TIMER_RESOLUTION 0x4
typedef struct lal_power_throttling_state {
  ULONG Version;
  ULONG ControlMask;
  ULONG StateMask;
} lal_power_throttling_state;
typedef BOOL(WINAPI *lal_set_process_information_fn)(HANDLE, int, LPVOID, DWORD);

/* QueryInterruptTimePrecise, Windows 10+ (realtimeapiset.h). */
typedef VOID(WINAPI *lal_query_interrupt_time_fn)(PULONGLONG);

/* GetProcAddress from an already-loaded system DLL, as a generic function
 * pointer (the cast through void (*)(void) keeps -Wcast-function-type quiet). */
static inline void (*lal__win_proc(const wchar_t *module, const char *name))(void) {
  HMODULE m = GetModuleHandleW(module);
  return m ? (void (*)(void))GetProcAddress(m, name) : NULL;
}

#endif
