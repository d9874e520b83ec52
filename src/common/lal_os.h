/* SPDX-License-Identifier: MIT */
/*
 * lal_os.h — the internal contract each operating system implements, once, in
 * src/linux/ and once in src/windows/. Common code calls only these; it never
 * includes an OS header and never asks which OS it runs on.
 *
 * Conventions: arguments were validated by the common entry point, so these
 * functions assume valid input. Functions returning int return LAL_OK or a
 * negative lal_status; a failed OS call is reported through lali_fail_os().
 */
#ifndef LAL_SRC_COMMON_LAL_OS_H
#define LAL_SRC_COMMON_LAL_OS_H

#include "lal.h"

/* ---- errors (error.c) */

/* The calling thread's current native error: errno, or GetLastError(). */
int lali_os_native_error(void);

/* The one translator from a native error code to a portable lal_status.
 * Native 0 maps to LAL_EIO: a failure without a cause is still a failure. */
int lali_os_status_from_native(int native);

/* ---- system facts (system.c) */

/* Logical CPUs the OS knows: Linux sysconf(_SC_NPROCESSORS_CONF); Windows
 * GetActiveProcessorCount(ALL_PROCESSOR_GROUPS). >= 1, or a negative status. */
int lali_os_cpu_count(void);

/* Fills the OS-specific fields of *caps (machine_features, cpu_count,
 * memlock_limit, large_page_size, os_name, os_release). caps is a full,
 * zeroed, lal_caps. A failing probe leaves its field 0. */
void lali_os_query_caps(lal_caps *caps);

/* ---- clocks (clock.c) */

/* CLOCK_MONOTONIC / QPC; CLOCK_MONOTONIC_RAW / QPC; CLOCK_BOOTTIME /
 * QueryInterruptTimePrecise. Nanoseconds. */
uint64_t lali_os_mono_ns(void);
uint64_t lali_os_mono_raw_ns(void);
uint64_t lali_os_boot_ns(void);

/* What the OS itself thinks of the TSC. -1 in a field means "cannot tell". */
typedef struct lali_os_clock_facts {
  char clocksource[32];       /* the OS clock's source, for the report */
  int kernel_clocksource_tsc; /* 1 if the kernel times itself with the TSC */
  int kernel_tsc_unstable;    /* 1 if the kernel marked the TSC unstable */
  uint64_t kernel_tsc_hz;     /* the kernel's TSC frequency, 0 if not exposed */
} lali_os_clock_facts;
void lali_os_clock_facts_get(lali_os_clock_facts *facts);

/* ---- waiting (sleep.c) */

/* Blocks until the OS monotonic clock (lali_os_mono_ns) reaches mono_deadline_ns,
 * with the OS's best timer; may return early only on an OS failure. */
int lali_os_sleep_until_mono(uint64_t mono_deadline_ns);
int lali_os_timer_slack_set(uint64_t ns, uint64_t *applied_ns);
/* Opts out of the LAL_THROTTLE_* policies the OS has; *applied = those now
 * opted out of. LAL_OK when at least one was applied. */
int lali_os_power_throttling_opt_out(unsigned policies, unsigned *applied);

/* ---- affinity (affinity.c), in lal_cpuset numbering */

/* Sets are non-empty. A set holding a CPU the process may not use returns
 * LAL_EINVAL with nothing changed (the OS's answer is checked). */
int lali_os_thread_affinity_get(lal_cpuset *out);
int lali_os_thread_affinity_set(const lal_cpuset *set);
int lali_os_process_affinity_get(lal_cpuset *out);
int lali_os_process_affinity_set(const lal_cpuset *set);
/* Windows CPU-set selection of the calling thread (process 0) or the process
 * default (1); set NULL clears it. LAL_ENOTSUP where the OS has none (Linux). */
int lali_os_cpu_sets_set(int process, const lal_cpuset *set);
int lali_os_cpu_sets_get(int process, lal_cpuset *out);
/* The calling thread's CPU now, or a negative status. */
int lali_os_current_cpu(void);

/* ---- topology (topology*.c) */

/* Builds this machine's topology with the builder of topology_internal.h. */
int lali_os_topology_load(lal_topology **out);

/* ---- threads (thread.c) */

typedef struct lali_os_thread lali_os_thread;
/* Starts entry(arg) on a new thread with stack_size bytes of stack (0 = OS
 * default). LAL_EAGAIN / LAL_ENOMEM when the OS refuses. */
int lali_os_thread_start(lali_os_thread **out, size_t stack_size, void (*entry)(void *), void *arg);
/* Waits for the thread to end and frees it. */
int lali_os_thread_join(lali_os_thread *thread);
/* 1 if thread is the calling thread. */
int lali_os_thread_is_self(const lali_os_thread *thread);

/* A one-shot event: one thread waits until another signals. */
typedef struct lali_os_event lali_os_event;
int lali_os_event_create(lali_os_event **out);
void lali_os_event_signal(lali_os_event *event);
void lali_os_event_wait(lali_os_event *event);
void lali_os_event_destroy(lali_os_event *event);

/* Name of the calling thread; name is valid, non-empty UTF-8. */
int lali_os_thread_set_name(const char *name);
int lali_os_thread_get_name(char *buf, size_t size);

/* The calling thread's stack: [*low, *high) with the current frame inside. */
int lali_os_stack_bounds(uintptr_t *low, uintptr_t *high);

/* ---- PM QoS (pm_qos.c): the OS request behind lal_pm_qos_hold. *token is
 * what close needs; reason (size bytes) says what was done or why not. */
int lali_os_pm_qos_open(uint32_t latency_us, intptr_t *token, char *reason, size_t size);
void lali_os_pm_qos_close(intptr_t token);

/* ---- priority (priority.c) */

/* req was validated (lal_priority_validate). Applies it to the calling thread
 * with the OS's fallback chain, filling the whole *res (a full struct). */
int lali_os_priority_set(const lal_priority_req *req, lal_priority_result *res);
/* What the calling thread has now, in res's policy fields. */
int lali_os_priority_get(lal_priority_result *res);
/* LAL_OK if `saved` is something lali_os_priority_get could have returned on
 * this OS (valid policy, priority and nice ranges...), else LAL_EINVAL. No
 * syscall: restore checks everything before it changes anything. */
int lali_os_priority_saved_check(const lal_priority_result *saved);
/* Puts back exactly what lali_os_priority_get saw. */
int lali_os_priority_restore(const lal_priority_result *saved);

/* ---- memory (mem.c) */

/* A mapping made by lali_os_mem_map. */
typedef struct lali_mem_region {
  void *p;
  size_t mapped; /* bytes mapped (the size rounded to the page) */
  int kind;      /* lal_page_kind obtained */
  int method;    /* LAL_MEM_METHOD_* */
} lali_mem_region;

/* The base page size (4096 on x86-64). */
size_t lali_os_page_size(void);
/* Maps size bytes following opts (validated) with the OS's fallback chain,
 * bound to opts->numa_node; fills info->page_kind, method, degraded, reason.
 * On failure nothing is mapped. */
int lali_os_mem_map(size_t size, const lal_mem_opts *opts, lali_mem_region *region,
                    lal_mem_info *info);
int lali_os_mem_unmap(const lali_mem_region *region);
/* Fills info's verified fields (page_bytes, huge_bytes, resident_bytes,
 * numa_node, locked) from what the OS reports for the region. */
int lali_os_mem_verify(const lali_mem_region *region, lal_mem_info *info);
/* LAL_EINVAL if node is not a node of this machine, LAL_ENOTSUP if this
 * build or OS cannot bind memory. */
int lali_os_numa_node_check(int node);
int lali_os_mem_lock(void *p, size_t size);
int lali_os_mem_unlock(void *p, size_t size);
int lali_os_mem_prefault(void *p, size_t size);
int lali_os_mem_lock_all(unsigned flags, lal_lock_result *res);
int lali_os_mem_unlock_all(void);

#endif /* LAL_SRC_COMMON_LAL_OS_H */
