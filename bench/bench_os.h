/* SPDX-License-Identifier: MIT */
/* The raw OS calls lal's benchmarks compare lal against, one file per OS. */
#ifndef LAL_BENCH_BENCH_OS_H
#define LAL_BENCH_BENCH_OS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The OS monotonic clock read directly: clock_gettime(CLOCK_MONOTONIC) / QPC. */
uint64_t bench_os_clock_ns(void);
/* The OS absolute sleep on that clock: clock_nanosleep(TIMER_ABSTIME) /
 * a waitable timer (Sleep-class granularity on Windows). */
void bench_os_sleep_until(uint64_t deadline_ns);
/* A relative OS sleep of ns as a game library makes it (SDL3's delay):
 * nanosleep / a high-resolution waitable timer due ns from now, where the
 * OS has one. 0 still enters the kernel (Linux: the timer slack, 50 us by
 * default, applies). */
void bench_os_sleep_for(uint64_t ns);
/* Pins the calling thread to one CPU; 0 on success. */
int bench_os_pin(int cpu);
int bench_os_cpu_count(void);
/* The CPU running the caller: sched_getcpu / GetCurrentProcessorNumberEx. */
int bench_os_current_cpu(void);
/* Realtime scheduling for the calling thread: SCHED_FIFO 80 /
 * THREAD_PRIORITY_TIME_CRITICAL. Returns 0 if applied. Undo with bench_os_normal. */
int bench_os_realtime(void);
void bench_os_normal(void);
/* One trivial kernel entry: Linux syscall(SYS_getppid) (never cached by
 * libc), Windows GetProcessTimes (an NtQueryInformationProcess). */
void bench_os_trivial_syscall(void);
/* Gives up the CPU if another thread is ready: sched_yield / SwitchToThread. */
void bench_os_yield(void);
/* Thread CPU time, ns. */
uint64_t bench_os_thread_cpu_ns(void);
const char *bench_os_name(void);
/* The kernel's build string: uname(2) version ("#1 SMP PREEMPT_DYNAMIC ...");
 * Windows: "Wine <version>" under Wine (ntdll's wine_get_version), else the
 * build from RtlGetVersion. */
void bench_os_kernel_build(char *buf, size_t size);

/* `--json -`: a FILE on the original standard output for the JSON, with file
 * descriptor 1 then pointing at standard error, so every progress line the
 * workloads print goes there. NULL on failure. */
FILE *bench_os_take_stdout(void);
/* Renames from over to, replacing to if it exists (POSIX rename(2) does;
 * Windows MoveFileEx with MOVEFILE_REPLACE_EXISTING). 0 or -1. */
int bench_os_replace_file(const char *from, const char *to);
/* An anonymous temporary file, open for writing and reading back, deleted
 * when closed: tmpfile(3) / a file in GetTempPath opened with
 * FILE_FLAG_DELETE_ON_CLOSE (the C runtime's tmpfile writes to the root of
 * the current drive, which a standard user may not). NULL on failure. */
FILE *bench_os_temp_file(void);
/* Writes text to standard error from a signal handler (write(2), which is
 * async-signal-safe; WriteFile: Windows runs the handler on its own thread). */
void bench_os_signal_safe_write(const char *text, size_t len);
/* The time now as ISO 8601 UTC, "2026-11-29T19:41:06Z". */
void bench_os_utc_now(char *buf, size_t size);
/* This machine's host name ("" if unknown). */
void bench_os_host_name(char *buf, size_t size);
/* The load now: the 1-minute load average (-1 if the OS has none) and,
 * Linux, PSI cpu "some" avg10 in percent (-1 without PSI). */
void bench_os_load(double *loadavg_1min, double *psi_cpu_some_avg10);

#endif
