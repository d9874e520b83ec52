/* SPDX-License-Identifier: MIT */
/*
 * lal/cgroup.h — cgroups v2 for latency isolation (Linux only; built when
 * LAL_WITH_CGROUP is on, lal_caps.build_features & LAL_FEATURE_CGROUP).
 *
 * Containers and desktop sessions put threads under limits that cost latency:
 * CPU quota throttling (cpu.max), cpuset contention, memory pressure. This
 * module finds the cgroup2 hierarchy (pure v2 at /sys/fs/cgroup, or hybrid at
 * e.g. /sys/fs/cgroup/unified), creates and removes child groups, moves
 * processes and threads, sets the latency-relevant controller files and reads
 * cpu.stat throttling counters and PSI (Documentation/admin-guide/cgroup-v2.rst,
 * accounting/psi.rst).
 *
 * Safety: a group name is one path component: 1..64 bytes of printable ASCII
 * without '/', not "." or "..", so no caller can leave the subtree it was
 * given. Every write checks the kernel's answer. Setters for a controller
 * that is not enabled for the group return LAL_ENOTSUP, and
 * lal_cgroup_reason() says why (e.g. a hybrid host whose cgroup2 hierarchy
 * only has hugetlb); groups, moves and PSI work without any controller.
 * A handle is not shared between threads without locking; distinct handles are
 * independent.
 */
#ifndef LAL_CGROUP_H
#define LAL_CGROUP_H

#include "lal.h"

#if !defined(__linux__)
#  error "lal/cgroup.h is Linux-only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Controllers (lal_cgroup_info.available / .enabled, lal_cgroup_enable). */
#define LAL_CGROUP_CPU (1u << 0)
#define LAL_CGROUP_CPUSET (1u << 1)
#define LAL_CGROUP_MEMORY (1u << 2)
#define LAL_CGROUP_IO (1u << 3)
#define LAL_CGROUP_PIDS (1u << 4)
#define LAL_CGROUP_HUGETLB (1u << 5)
#define LAL_CGROUP_RDMA (1u << 6)
#define LAL_CGROUP_MISC (1u << 7)

typedef struct lal_cgroup lal_cgroup;

typedef struct lal_cgroup_info {
  size_t size;
  char mount[256];    /* the cgroup2 mount point */
  int hybrid;         /* cgroup v1 hierarchies are mounted too */
  char path[512];     /* the group, relative to the mount ("/" = root) */
  unsigned available; /* LAL_CGROUP_* listed in its cgroup.controllers */
  unsigned delegated; /* LAL_CGROUP_* in its cgroup.subtree_control (enabled for children) */
  int threaded;       /* cgroup.type is "threaded" */
} lal_cgroup_info;
#define LAL_CGROUP_INFO_INIT LAL_IMPL_SIZED_INIT(lal_cgroup_info)

/*
 * lal_cgroup_open: a handle on an existing group. path: relative to the
 * cgroup2 mount ("/system.slice/x"), or NULL for the calling process's own
 * group (/proc/self/cgroup, the "0::" line). LAL_ENOTSUP: no cgroup2 mounted;
 * LAL_ENOENT: no such group, or a file rather than a directory
 * (lal_last_os_error then says ENOTDIR); LAL_EINVAL: NULL out, a path with
 * "..", or not absolute; LAL_ERANGE: mount + path longer than a path lal
 * keeps (1024 bytes); LAL_ENOMEM. Cost: a few file reads.
 * lal_cgroup_close frees the handle (the group stays); NULL is a no-op.
 * lal_cgroup_get_info: where the group is and its controllers. LAL_EINVAL:
 * NULL, or info->size smaller than its first version; otherwise LAL_OK (a
 * file it cannot read leaves its field 0). Cost: three small reads.
 */
LAL_API int lal_cgroup_open(const char *path, lal_cgroup **out);
LAL_API void lal_cgroup_close(lal_cgroup *group);
LAL_API int lal_cgroup_get_info(const lal_cgroup *group, lal_cgroup_info *info);

/* Why the last call on this handle failed (a sentence), "" after a success. */
LAL_API const char *lal_cgroup_reason(const lal_cgroup *group);

/* lal_cgroup_create flags */
#define LAL_CGROUP_THREADED                                                                        \
  (1u << 0) /* make it a threaded group (cgroup.type), so                                          \
               single threads can be moved in */

/*
 * lal_cgroup_create: makes child `name` of parent, optionally threaded, and
 * enables `controllers` in the *parent's* subtree_control first if asked
 * (they must be available there). All or nothing: if a step fails, the child
 * is removed again and the parent's subtree_control put back.
 * LAL_EINVAL: bad name or flags; LAL_EBUSY: exists (EEXIST);
 * LAL_ENOTSUP: a controller not available; LAL_EPERM: no write access;
 * LAL_ERANGE: the child's path would pass 511 bytes; LAL_ENOMEM; LAL_EIO
 * and others as the kernel answers mkdir(2) (lal_last_os_error).
 * lal_cgroup_remove: rmdir of the group (it must hold no process or child;
 * LAL_EBUSY otherwise) and frees the handle on success.
 */
LAL_API int lal_cgroup_create(lal_cgroup *parent, const char *name, unsigned flags,
                              unsigned controllers, lal_cgroup **out);
LAL_API int lal_cgroup_remove(lal_cgroup *group);

/*
 * Moving: a process (all its threads; cgroup.procs) or one thread
 * (cgroup.threads, into a threaded group of the same threaded subtree).
 * pid / tid 0 mean the caller / the calling thread. LAL_EINVAL: negative id;
 * LAL_ENOENT: no such task; the kernel's refusals (EOPNOTSUPP across
 * subtrees, EBUSY for the no-internal-process rule) map to LAL_ENOTSUP /
 * LAL_EBUSY with the rule in lal_cgroup_reason.
 */
LAL_API int lal_cgroup_move_process(lal_cgroup *group, int pid);
LAL_API int lal_cgroup_move_thread(lal_cgroup *group, int tid);

/* cpuset.cpus.partition */
#define LAL_CGROUP_PARTITION_MEMBER 0
#define LAL_CGROUP_PARTITION_ROOT 1
#define LAL_CGROUP_PARTITION_ISOLATED 2

/*
 * Setters. Each needs its controller enabled for the group (its parent's
 * subtree_control): LAL_ENOTSUP otherwise, or when the file is absent (e.g.
 * cpu.uclamp.min without CONFIG_UCLAMP_TASK_GROUP). LAL_EINVAL for values out
 * of range (checked before writing) and for values the kernel refuses.
 *   cpus / mems: non-empty sets (cpuset.cpus, cpuset.mems).
 *   partition: LAL_CGROUP_PARTITION_*; the kernel may accept the write yet make
 *     the partition "invalid": lal reads it back and returns LAL_EBUSY with
 *     the kernel's explanation.
 *   cpu_max: quota_us 1000..(2^53) per period_us 1000..1000000, or quota
 *     UINT64_MAX for "max" (no limit).
 *   cpu_weight: 1..10000 (default 100).
 *   uclamp_min: 0..10000 in hundredths of a percent (cpu.uclamp.min).
 *   memory: LAL_CGROUP_MEMORY_MIN/HIGH/MAX, bytes or UINT64_MAX for "max".
 */
LAL_API int lal_cgroup_set_cpus(lal_cgroup *group, const lal_cpuset *cpus);
LAL_API int lal_cgroup_set_mems(lal_cgroup *group, const lal_cpuset *nodes);
LAL_API int lal_cgroup_set_partition(lal_cgroup *group, int partition);
LAL_API int lal_cgroup_set_cpu_max(lal_cgroup *group, uint64_t quota_us, uint64_t period_us);
LAL_API int lal_cgroup_set_cpu_weight(lal_cgroup *group, unsigned weight);
LAL_API int lal_cgroup_set_uclamp_min(lal_cgroup *group, unsigned hundredths_percent);
#define LAL_CGROUP_MEMORY_MIN 0
#define LAL_CGROUP_MEMORY_HIGH 1
#define LAL_CGROUP_MEMORY_MAX 2
LAL_API int lal_cgroup_set_memory(lal_cgroup *group, int which, uint64_t bytes);

/* cpu.stat (microseconds; the throttling fields need the cpu controller and
 * are 0 without it: `throttling_known` says which). */
typedef struct lal_cgroup_cpu_stat {
  size_t size;
  uint64_t usage_us;
  uint64_t user_us;
  uint64_t system_us;
  int throttling_known;
  uint64_t nr_periods;
  uint64_t nr_throttled;
  uint64_t throttled_us;
} lal_cgroup_cpu_stat;
#define LAL_CGROUP_CPU_STAT_INIT LAL_IMPL_SIZED_INIT(lal_cgroup_cpu_stat)
/* lal_cgroup_get_cpu_stat: the group's cpu.stat. LAL_EINVAL: NULL, or
 * stat->size smaller than its first version; the error of reading cpu.stat
 * otherwise (LAL_ENOENT if the group was removed; lal_cgroup_reason says
 * which file), *stat untouched. Cost: one read. */
LAL_API int lal_cgroup_get_cpu_stat(lal_cgroup *group, lal_cgroup_cpu_stat *stat);

/* Pressure stall information: the share of time some / all tasks stalled. */
#define LAL_PSI_CPU 0
#define LAL_PSI_MEMORY 1
#define LAL_PSI_IO 2
typedef struct lal_psi_line {
  double avg10, avg60, avg300; /* percent */
  uint64_t total_us;
} lal_psi_line;
typedef struct lal_psi {
  size_t size;
  lal_psi_line some;
  lal_psi_line full; /* all zero where the kernel has no "full" line (cpu before 5.13) */
  int has_full;
} lal_psi;
#define LAL_PSI_INIT LAL_IMPL_SIZED_INIT(lal_psi)
/* lal_cgroup_pressure: the group's <resource>.pressure, or with group NULL
 * the system-wide /proc/pressure/<resource>. LAL_EINVAL: NULL psi, a bad
 * size, an unknown resource; LAL_ENOTSUP: no PSI file to read (a kernel
 * without PSI or booted with psi=0, and also a group removed under its
 * handle); LAL_EIO: text that is not PSI's, or a read failure; LAL_EPERM:
 * the file is not readable. */
LAL_API int lal_cgroup_pressure(lal_cgroup *group, int resource, lal_psi *psi);

/*
 * PSI triggers: the kernel wakes a poll(2)er when `some` (or `full`) stall
 * time exceeds stall_us within any window_us (psi.rst). Windows must be
 * 500 ms..10 s; without CAP_SYS_RESOURCE a multiple of 2 s; stall_us <= window.
 * lal_psi_trigger_open: LAL_EINVAL for NULL out, an unknown resource, a window
 * outside 500 ms..10 s, stall_us 0 or above the window; LAL_ENOTSUP without PSI
 * (no <resource>.pressure file); LAL_EPERM / LAL_EINVAL as the kernel answers
 * the trigger write (a window that is not a multiple of 2 s without
 * CAP_SYS_RESOURCE; lal_cgroup_reason says so for a group); LAL_ENOMEM.
 * lal_psi_trigger_wait: LAL_OK once it fired, LAL_EAGAIN after timeout_ms
 * (-1: forever), LAL_EIO if the group went away.
 */
typedef struct lal_psi_trigger lal_psi_trigger;
LAL_API int lal_psi_trigger_open(lal_cgroup *group, int resource, int full, uint64_t stall_us,
                                 uint64_t window_us, lal_psi_trigger **out);
LAL_API int lal_psi_trigger_wait(lal_psi_trigger *trigger, int timeout_ms);
LAL_API void lal_psi_trigger_close(lal_psi_trigger *trigger);

/* 0.1 spellings (see lal.h), until 1.0. */
LAL_API int lal_cgroup_info_get(const lal_cgroup *group, lal_cgroup_info *info);
LAL_API int lal_cgroup_cpu_stat_get(lal_cgroup *group, lal_cgroup_cpu_stat *stat);
#define LAL_CG_CPU LAL_CGROUP_CPU
#define LAL_CG_CPUSET LAL_CGROUP_CPUSET
#define LAL_CG_MEMORY LAL_CGROUP_MEMORY
#define LAL_CG_IO LAL_CGROUP_IO
#define LAL_CG_PIDS LAL_CGROUP_PIDS
#define LAL_CG_HUGETLB LAL_CGROUP_HUGETLB
#define LAL_CG_RDMA LAL_CGROUP_RDMA
#define LAL_CG_MISC LAL_CGROUP_MISC
#define LAL_CG_THREADED LAL_CGROUP_THREADED
#define LAL_CG_PARTITION_MEMBER LAL_CGROUP_PARTITION_MEMBER
#define LAL_CG_PARTITION_ROOT LAL_CGROUP_PARTITION_ROOT
#define LAL_CG_PARTITION_ISOLATED LAL_CGROUP_PARTITION_ISOLATED
#define LAL_CG_MEMORY_MIN LAL_CGROUP_MEMORY_MIN
#define LAL_CG_MEMORY_HIGH LAL_CGROUP_MEMORY_HIGH
#define LAL_CG_MEMORY_MAX LAL_CGROUP_MEMORY_MAX

#ifdef __cplusplus
}
#endif

#endif /* LAL_CGROUP_H */
