/* SPDX-License-Identifier: MIT */
/* Windows clocks: QueryPerformanceCounter ("Acquiring high-resolution time stamps"). */
#include <windows.h>

#include <string.h>

#include "compat.h"
#include "lal_internal.h"
#include "lal_os.h"

/* QPC's frequency is fixed at boot and the same on every processor. */
static uint64_t qpc_hz(void) {
  static volatile LONG64 hz;
  if (!hz) {
    LARGE_INTEGER f;
    QueryPerformanceFrequency(&f); /* cannot fail on XP and later */
    InterlockedExchange64(&hz, f.QuadPart);
  }
  return (uint64_t)hz;
}

uint64_t lali_os_mono_ns(void) {
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  uint64_t hz = qpc_hz(), ticks = (uint64_t)c.QuadPart;
  /* Split to avoid overflowing ticks * 1e9 after ~30 minutes at 10 MHz. */
  return ticks / hz * 1000000000u + ticks % hz * 1000000000u / hz;
}

/* QPC is never slewed by time synchronisation: it is already "raw". */
uint64_t lali_os_mono_raw_ns(void) { return lali_os_mono_ns(); }

uint64_t lali_os_boot_ns(void) {
  static lal_query_interrupt_time_fn precise;
  static volatile LONG resolved;
  if (!resolved) {
    precise =
        (lal_query_interrupt_time_fn)lali_win_proc(L"kernelbase.dll", "QueryInterruptTimePrecise");
    if (!precise)
      precise =
          (lal_query_interrupt_time_fn)lali_win_proc(L"kernel32.dll", "QueryInterruptTimePrecise");
    InterlockedExchange(&resolved, 1);
  }
  if (precise) {
    ULONGLONG t100;
    precise(&t100); /* 100 ns units since boot, including time asleep */
    return (uint64_t)t100 * 100u;
  }
  return (uint64_t)GetTickCount64() * 1000000u; /* also counts sleep; 1 ms steps */
}

void lali_os_clock_facts_get(lali_os_clock_facts *f) {
  memset(f, 0, sizeof *f);
  /* Windows does not say whether QPC runs on the TSC (it does when the TSC is
   * invariant, per "Acquiring high-resolution time stamps"). */
  lali_copy_string(f->clocksource, sizeof f->clocksource, "QueryPerformanceCounter");
  f->kernel_clocksource_tsc = -1;
  f->kernel_tsc_unstable = -1;
}
