/* SPDX-License-Identifier: MIT */
/*
 * Reading and parsing /proc and /sys text. Every read takes a root prefix (""
 * for the live system) so tests replay recorded trees from tests/data/, as
 * hwloc does with HWLOC_FSROOT; the parsers take text, not paths.
 */
#ifndef LAL_SRC_LINUX_PROCFS_H
#define LAL_SRC_LINUX_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Reads root+path into buf (NUL-terminated, truncated to size-1 bytes).
 * Returns the byte count, or a negative lal_status (LAL_ENOENT if absent). */
int lali_linux_read_text(const char *root, const char *path, char *buf, size_t size);

/* A cpulist file (sysfs' "0-3,8-11" lists: CPUs, NUMA nodes) read under root
 * into *out: LAL_OK; the read's status when absent (LAL_ENOENT ...); LAL_ERANGE
 * for a well-formed list naming a number past LAL_CPUSET_MAX - 1 (a bigger
 * machine, not a malformed one); LAL_EIO for anything else. */
struct lal_cpuset;
int lali_linux_read_cpulist(const char *root, const char *path, struct lal_cpuset *out);

/* The prefix under which the library reads /proc and /sys on the calling
 * thread (default "": the live system). Thread-local, so a test replaying a
 * recorded tree on one thread leaves every other thread on the live system,
 * and two threads can replay two trees at once. Every read that describes the
 * machine or checks what the kernel did goes through it: lal_query_caps, the
 * clocksource, THP mode and hugetlb pools, smaps and VmLck verification,
 * CapEff, io_uring_disabled, the cgroup mount and the process's group (whose
 * files are then read under the prefix too), system-wide PSI. Live on
 * purpose: /proc/self/maps before lal writes to memory (a safety check),
 * /proc/self/task (the threads lal acts on), /proc/thread-self/status (the
 * calling thread's own capabilities), PSI trigger files and
 * /dev/cpu_dma_latency (kernel objects held open). */
const char *lali_linux_root(void);
void lali_linux_set_root(const char *root);

/* fopen of lali_linux_root() + path, read-only; NULL with *status set (the
 * OS error recorded for lal_last_os_error) on failure. */
FILE *lali_linux_fopen_rooted(const char *path, int *status);

/* The number after "key:" on its own line of /proc/meminfo-style text, times
 * 1024 when the line ends in "kB". 0 on a missing key. */
uint64_t lali_linux_meminfo_value(const char *text, const char *key);

/* The soft limit on the /proc/<pid>/limits line that starts with `name`
 * ("Max locked memory"): the number, -1 for unlimited, -2 when absent. */
int64_t lali_linux_limit_soft(const char *limits, const char *name);

/* The CapEff mask from /proc/<pid>/status text; 0 when absent. */
uint64_t lali_linux_status_cap_eff(const char *text);
/* capability(7) bit numbers in CapEff (linux/capability.h; no libcap needed),
 * shared by lal_query_caps and lal doctor. */
#define LALI_CAP_NET_ADMIN 12
#define LALI_CAP_IPC_LOCK 14
#define LALI_CAP_SYS_NICE 23

/* 1 if /proc/self/mountinfo text lists a filesystem of type `fstype`. */
int lali_linux_mountinfo_has_fstype(const char *text, const char *fstype);

/* The selected mode ("[madvise]") of a /sys/kernel/mm/transparent_hugepage/
 * file such as "always [madvise] never", copied into mode; 0 if found, else -1. */
int lali_linux_bracketed_choice(const char *text, char *mode, size_t size);

/* What /proc/<pid>/smaps says of the mappings overlapping [start, end)
 * (proc(5)), summed; sizes in bytes. */
typedef struct lali_smaps_sum {
  int vmas;                  /* mappings overlapping the range */
  uint64_t kernel_page_size; /* largest KernelPageSize among them */
  uint64_t rss;              /* Rss (hugetlb pages are not in it) */
  uint64_t anon_huge;        /* AnonHugePages: THP-backed bytes */
  uint64_t hugetlb;          /* Private_Hugetlb + Shared_Hugetlb */
  int all_locked;            /* every one has "lo" (VM_LOCKED) in VmFlags */
} lali_smaps_sum;

/* Streams smaps text from f. Returns LAL_OK (vmas may be 0). */
int lali_linux_smaps_sum(FILE *f, uintptr_t start, uintptr_t end, lali_smaps_sum *out);

/* Whether /proc/<pid>/maps text streamed from f covers [start, end) with
 * mappings that are readable and writable: LAL_OK; LAL_EINVAL when covered but
 * some part is not writable; LAL_ENOMEM when part of it is not mapped. */
int lali_linux_maps_writable(FILE *f, uintptr_t start, uintptr_t end);

/* The container runtime seen under root ("docker", "podman", "kubernetes",
 * "lxc"), "" if none (system.c). */
void lali_linux_container_from(const char *root, char *out, size_t size);

/* The kernel's view of the TSC read under `root` (clock.c). */
struct lali_os_clock_facts;
void lali_linux_clock_facts_from(const char *root, struct lali_os_clock_facts *facts);

#endif
