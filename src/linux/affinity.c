/* SPDX-License-Identifier: MIT */
/*
 * Linux affinity (sched_setaffinity(2)) in lal_cpuset numbering, for one
 * thread or every thread of the process, and sched_getcpu(3).
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "lal_internal.h"
#include "lal_os.h"

/* cpu_set_t holds 1024 CPUs; lal_cpuset holds LAL_CPUSET_MAX, so use the
 * dynamically sized CPU_*_S macros (CPU_ALLOC(3)) on a buffer of that size. */
#define SET_BYTES CPU_ALLOC_SIZE(LAL_CPUSET_MAX)
typedef struct kset {
  unsigned long bits[LAL_CPUSET_MAX / (8 * sizeof(unsigned long))];
} kset;

#define LONG_BITS (8 * sizeof(unsigned long))

/* cpu_set_t is an array of unsigned long, CPU n at bit n % LONG_BITS of word
 * n / LONG_BITS (glibc's __CPUMASK): convert word by word, visiting set bits
 * only. A per-CPU CPU_ISSET_S loop over 2048 CPUs cost microseconds a call. */
static int get_tid(pid_t tid, lal_cpuset *out) {
  kset k;
  memset(&k, 0, sizeof k);
  if (sched_getaffinity(tid, SET_BYTES, (cpu_set_t *)k.bits) != 0)
    return lali_fail_os();
  lal_cpuset_zero(out);
  for (size_t w = 0; w < sizeof k.bits / sizeof k.bits[0]; w++)
    for (unsigned long v = k.bits[w]; v; v &= v - 1)
      lal_cpuset_set(out, (int)(w * LONG_BITS + (unsigned)__builtin_ctzl(v)));
  return LAL_OK;
}

static int put_tid(pid_t tid, const lal_cpuset *in) {
  kset k;
  memset(&k, 0, sizeof k);
  for (int cpu = lal_cpuset_first(in); cpu >= 0; cpu = lal_cpuset_next(in, cpu))
    k.bits[(size_t)cpu / LONG_BITS] |= 1ul << ((size_t)cpu % LONG_BITS);
  if (sched_setaffinity(tid, SET_BYTES, (cpu_set_t *)k.bits) != 0)
    return lali_fail_os();
  return LAL_OK;
}

/* The kernel intersects the mask with the CPUs the task may use (cpuset,
 * online, possible) and only fails when nothing is left (sched_setaffinity(2),
 * EINVAL). A partly impossible set would be trimmed in silence; lal reads
 * the result back and undoes the change instead. */
static int set_tid(pid_t tid, const lal_cpuset *in) {
  lal_cpuset old, now;
  int rc = get_tid(tid, &old);
  if (rc != LAL_OK)
    return rc;
  if ((rc = put_tid(tid, in)) != LAL_OK)
    return rc;
  if ((rc = get_tid(tid, &now)) != LAL_OK)
    return rc;
  if (!lal_cpuset_equal(&now, in)) {
    put_tid(tid, &old);
    return LAL_EINVAL;
  }
  return LAL_OK;
}

int lali_os_thread_affinity_get(lal_cpuset *out) { return get_tid(0, out); }
int lali_os_thread_affinity_set(const lal_cpuset *in) { return set_tid(0, in); }

/* Calls fn on every thread of the process (/proc/self/task; threads created
 * meanwhile inherit their creator's mask). Stops at the first failure and
 * returns it with *done = the count handled. */
typedef int (*task_fn)(pid_t tid, void *ctx, int index);
static int for_each_task(task_fn fn, void *ctx, int *done) {
  DIR *d = opendir("/proc/self/task");
  if (!d)
    return lali_fail_os();
  int rc = LAL_OK, n = 0;
  struct dirent *e;
  while (rc == LAL_OK && (e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    rc = fn((pid_t)atoi(e->d_name), ctx, n);
    if (rc == LAL_OK)
      n++;
  }
  closedir(d);
  *done = n;
  return rc;
}

static int union_task(pid_t tid, void *ctx, int index) {
  (void)index;
  lal_cpuset one;
  int rc = get_tid(tid, &one);
  if (rc == LAL_ENOENT)
    return LAL_OK; /* the thread exited meanwhile */
  if (rc == LAL_OK)
    lal_cpuset_or(ctx, ctx, &one);
  return rc;
}

int lali_os_process_affinity_get(lal_cpuset *out) {
  lal_cpuset all;
  lal_cpuset_zero(&all);
  int n = 0;
  int rc = for_each_task(union_task, &all, &n);
  if (rc == LAL_OK)
    *out = all;
  return rc;
}

typedef struct undo_log {
  const lal_cpuset *set;
  pid_t tids[256]; /* threads changed so far, to put back on failure */
  lal_cpuset old[256];
} undo_log;

static int set_task(pid_t tid, void *ctx, int index) {
  undo_log *log = ctx;
  if (index >= 256)
    return set_tid(tid, log->set); /* past the log: no rollback for these */
  int rc = get_tid(tid, &log->old[index]);
  if (rc == LAL_OK)
    rc = set_tid(tid, log->set);
  log->tids[index] = tid;
  return rc;
}

int lali_os_process_affinity_set(const lal_cpuset *set) {
  undo_log *log = malloc(sizeof *log);
  if (!log)
    return LAL_ENOMEM;
  log->set = set;
  int done = 0;
  int rc = for_each_task(set_task, log, &done);
  if (rc != LAL_OK)
    for (int i = 0; i < done && i < 256; i++)
      put_tid(log->tids[i], &log->old[i]);
  free(log);
  return rc;
}

int lali_os_current_cpu(void) {
  int cpu = sched_getcpu();
  return cpu >= 0 ? cpu : lali_fail_os();
}

/* Linux has hard affinity only (sched_setaffinity(2)); a soft preference the
 * scheduler may ignore when busy does not exist for user space. */
int lali_os_cpu_sets_set(int process, const lal_cpuset *set) {
  (void)process;
  (void)set;
  return LAL_ENOTSUP;
}

int lali_os_cpu_sets_get(int process, lal_cpuset *out) {
  (void)process;
  (void)out;
  return LAL_ENOTSUP;
}
