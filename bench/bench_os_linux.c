/* SPDX-License-Identifier: MIT */
/* Linux side of bench_os.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench_os.h"
#ifdef LAL_HAVE_CGROUP
#  include "lal/cgroup.h"
#endif

uint64_t bench_os_clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_os_sleep_until(uint64_t d) {
  struct timespec ts = {(time_t)(d / 1000000000u), (long)(d % 1000000000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}

void bench_os_sleep_for(uint64_t ns) {
  struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

int bench_os_pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set);
}

int bench_os_current_cpu(void) { return sched_getcpu(); }

int bench_os_cpu_count(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }

int bench_os_realtime(void) {
  struct sched_param sp = {.sched_priority = 80};
  return sched_setscheduler(0, SCHED_FIFO, &sp);
}

void bench_os_normal(void) {
  struct sched_param sp = {.sched_priority = 0};
  sched_setscheduler(0, SCHED_OTHER, &sp);
}

uint64_t bench_os_thread_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *bench_os_name(void) { return "Linux"; }

void bench_os_trivial_syscall(void) { (void)syscall(SYS_getppid); }

void bench_os_yield(void) { sched_yield(); }

void bench_os_kernel_build(char *buf, size_t size) {
  struct utsname u;
  snprintf(buf, size, "%s", uname(&u) == 0 ? u.version : "");
}

FILE *bench_os_take_stdout(void) {
  fflush(stdout);
  int fd = dup(STDOUT_FILENO);
  if (fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
    return NULL;
  return fdopen(fd, "w");
}

int bench_os_replace_file(const char *from, const char *to) { return rename(from, to); }

FILE *bench_os_temp_file(void) { return tmpfile(); }

void bench_os_signal_safe_write(const char *text, size_t len) {
  while (len > 0) {
    ssize_t n = write(2, text, len);
    if (n <= 0)
      return;
    text += n, len -= (size_t)n;
  }
}

void bench_os_host_name(char *buf, size_t size) {
  if (gethostname(buf, size) != 0 && size)
    buf[0] = '\0';
  if (size)
    buf[size - 1] = '\0';
}

/* proc(5) /proc/loadavg; PSI (Documentation/accounting/psi.rst) through
 * lal_cgroup_pressure, in a build with lal/cgroup.h. */
void bench_os_load(double *loadavg_1min, double *psi_cpu_some_avg10) {
  *loadavg_1min = -1;
  *psi_cpu_some_avg10 = -1;
  char text[256];
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fgets(text, sizeof text, f))
      *loadavg_1min = strtod(text, NULL);
    fclose(f);
  }
#ifdef LAL_HAVE_CGROUP
  /* The library's one PSI reader (lal/cgroup.h; NULL: /proc/pressure). */
  lal_psi psi = LAL_PSI_INIT;
  if (lal_cgroup_pressure(NULL, LAL_PSI_CPU, &psi) == LAL_OK)
    *psi_cpu_some_avg10 = psi.some.avg10;
#endif
}

void bench_os_utc_now(char *buf, size_t size) {
  time_t t = time(NULL);
  struct tm tm_utc;
  if (!gmtime_r(&t, &tm_utc) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm_utc))
    snprintf(buf, size, "1970-01-01T00:00:00Z");
}
