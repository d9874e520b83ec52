/* SPDX-License-Identifier: MIT */
/*
 * Windows waiting: a high-resolution waitable timer (Windows 10 1803+), else a
 * waitable timer under a scoped, reference-counted timeBeginPeriod(1) — the
 * approach of SDL3's SDL_systimer.c. Timer resolution requests live here
 * too (the power-throttling opt-out is power_throttling.c).
 */
#include <windows.h>

#include <mmsystem.h>

#include "compat.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "unload.h"

/* One timer per thread, cached in fiber-local storage whose destructor closes
 * it when the thread exits (FlsAlloc: unlike TlsAlloc it has a callback). */
static DWORD fls_index = FLS_OUT_OF_INDEXES;
static volatile LONG fls_state;            /* 0 none, 1 initialising, 2 ready, 3 failed */
static volatile LONG high_resolution = -1; /* -1 unknown, 0 no, 1 yes */

static VOID WINAPI close_timer(PVOID timer) {
  if (timer)
    CloseHandle((HANDLE)timer);
}

static HANDLE create_timer(void) {
  if (high_resolution != 0) {
    HANDLE h =
        CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, TIMER_ALL_ACCESS);
    InterlockedExchange(&high_resolution, h != NULL);
    if (h)
      return h;
  }
  return CreateWaitableTimerExW(NULL, NULL, 0, TIMER_ALL_ACCESS);
}

/* This thread's timer; *owned = 1 when it could not be cached (FlsAlloc or
 * FlsSetValue failed), and the caller closes it after use. */
static HANDLE thread_timer(int *owned) {
  *owned = 0;
  if (fls_state != 2 && fls_state != 3) {
    if (InterlockedCompareExchange(&fls_state, 1, 0) == 0) {
      fls_index = FlsAlloc(close_timer);
      InterlockedExchange(&fls_state, fls_index == FLS_OUT_OF_INDEXES ? 3 : 2);
    }
    while (fls_state == 1)
      SwitchToThread();
  }
  HANDLE h = fls_state == 2 ? (HANDLE)FlsGetValue(fls_index) : NULL;
  if (!h) {
    h = create_timer();
    *owned = h && (fls_state != 2 || !FlsSetValue(fls_index, h));
  }
  return h;
}

/* The state goes back to "none": a static library's user may call this
 * nowhere, and a DLL loaded again starts afresh. */
void lali_win_sleep_unload(void) {
  if (InterlockedCompareExchange(&fls_state, 1, 2) == 2) {
    FlsFree(fls_index);
    fls_index = FLS_OUT_OF_INDEXES;
    InterlockedExchange(&fls_state, 0);
  }
}

/* Process-wide count of sleeps that hold timeBeginPeriod(1). */
static volatile LONG period_users;

int lali_os_sleep_until_mono(uint64_t deadline) {
  uint64_t now = lali_os_mono_ns();
  if (now >= deadline)
    return LAL_OK;
  int owned;
  HANDLE timer = thread_timer(&owned);
  if (!timer)
    return lali_fail_os();
  int scoped_period = high_resolution != 1;
  if (scoped_period && InterlockedIncrement(&period_users) == 1)
    timeBeginPeriod(1);
  /* Negative due time: relative, in 100 ns units, immune to wall-clock changes. */
  LARGE_INTEGER due;
  due.QuadPart = -(LONGLONG)((deadline - now + 99) / 100);
  int status = LAL_OK;
  if (!SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE))
    status = lali_fail_os();
  else if (WaitForSingleObject(timer, INFINITE) != WAIT_OBJECT_0)
    status = lali_fail_os();
  if (scoped_period && InterlockedDecrement(&period_users) == 0)
    timeEndPeriod(1);
  if (owned)
    CloseHandle(timer);
  return status;
}

static volatile LONG slack_period_ms; /* lal's own outstanding timeBeginPeriod */

/* ntdll's NtQueryTimerResolution (undocumented, stable since NT 3.1, what
 * clockres and every timer tool read): the resolution in force now, in
 * 100 ns units, whoever asked for it. */
typedef LONG(NTAPI *nt_query_timer_resolution_fn)(PULONG coarsest, PULONG finest, PULONG current);

/* The system timer resolution in force, in ns; 0 if the OS does not say. */
static uint64_t timer_resolution_in_force_ns(void) {
  nt_query_timer_resolution_fn query =
      (nt_query_timer_resolution_fn)lali_win_proc(L"ntdll.dll", "NtQueryTimerResolution");
  ULONG coarsest, finest, current;
  if (!query || query(&coarsest, &finest, &current) != 0 || current == 0)
    return 0;
  return (uint64_t)current * 100u;
}

int lali_os_timer_slack_set(uint64_t ns, uint64_t *applied_ns) {
  TIMECAPS caps;
  if (timeGetDevCaps(&caps, sizeof caps) != MMSYSERR_NOERROR)
    return LAL_EIO;
  uint64_t ms = ns / 1000000u + (ns % 1000000u != 0); /* ceil, without overflow */
  if (ms < caps.wPeriodMin)
    ms = caps.wPeriodMin;
  if (ms > caps.wPeriodMax)
    ms = caps.wPeriodMax;
  if (timeBeginPeriod((UINT)ms) != TIMERR_NOERROR)
    return LAL_ERANGE;
  LONG previous = InterlockedExchange(&slack_period_ms, (LONG)ms);
  if (previous)
    timeEndPeriod((UINT)previous);
  if (applied_ns) {
    /* What is in force: another process may hold a finer resolution than
     * lal asked for (then timers are finer than requested); without the
     * query, what timeBeginPeriod accepted. */
    uint64_t in_force = timer_resolution_in_force_ns();
    *applied_ns = in_force ? in_force : ms * 1000000u;
  }
  return LAL_OK;
}
