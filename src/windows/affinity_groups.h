/* SPDX-License-Identifier: MIT */
/*
 * Thread and process affinity across processor groups, as a policy over the
 * few OS calls it needs, so the rules can be tested on machines we do not
 * have (the way topology_slpi.c is). What Windows does ("Processor Groups",
 * "CPU Sets", SetThreadGroupAffinity, SetProcessAffinityMask remarks):
 *
 * - Hard affinity lives in one group. Up to Windows 10 a thread always runs
 *   in one group. From Windows 11 / Server 2022 a thread spans every group of
 *   its process until SetThreadGroupAffinity (or SetThreadAffinityMask)
 *   confines it to one; nothing widens it again, and GetThreadGroupAffinity
 *   reports only the primary group either way.
 * - A CPU-set selection (thread, else the process default) is a strong
 *   preference, and the part of it outside the groups the thread may run in
 *   is ignored: where a thread runs is its hard affinity & its selection
 *   (or the hard affinity alone when they do not meet).
 * - GetProcessAffinityMask / SetProcessAffinityMask work on a process whose
 *   threads are in one group; a process spanning groups has per-group limits
 *   only through its job (JobObjectGroupInformationEx).
 */
#ifndef LAL_SRC_WINDOWS_AFFINITY_GROUPS_H
#define LAL_SRC_WINDOWS_AFFINITY_GROUPS_H

#include <windows.h>

#include "lal.h"

#define LALI_WIN_MAX_GROUPS (LAL_CPUSET_MAX / 64)

typedef struct lali_win_affinity_os {
  void *ctx;
  /* Windows 11 / Server 2022 semantics: threads span their process's groups
   * until confined. */
  int spans_groups_by_default;
  int group_count;                       /* active processor groups */
  KAFFINITY active[LALI_WIN_MAX_GROUPS]; /* active processors of each group */
  /* The calling thread's primary group and its mask / confine it to one. */
  BOOL (*thread_group_get)(void *ctx, GROUP_AFFINITY *ga);
  BOOL (*thread_group_set)(void *ctx, const GROUP_AFFINITY *ga);
  /* 1 once lal confined the calling thread to a group (a full-group mask
   * looks the same as not being confined at all). */
  int (*thread_confined)(void *ctx);
  void (*thread_confine_mark)(void *ctx);
  /* The groups the process's threads are in (GetProcessGroupAffinity). */
  BOOL (*process_groups)(void *ctx, USHORT *count, USHORT *groups);
  /* GetProcessAffinityMask / SetProcessAffinityMask (one-group process). */
  BOOL (*process_mask_get)(void *ctx, DWORD_PTR *mask);
  BOOL (*process_mask_set)(void *ctx, DWORD_PTR mask);
  /* The job's per-group limits into out[LALI_WIN_MAX_GROUPS]: how many, 0
   * when the process has no job or its job sets none. */
  int (*job_group_masks)(void *ctx, GROUP_AFFINITY *out);
  /* The CPU-set selection of the thread (process 0) or the process default
   * (1) in lal_cpuset numbering: LAL_OK with an empty set when there is
   * none, LAL_ENOTSUP where the OS has no CPU sets. set NULL clears it. */
  int (*selection_get)(void *ctx, int process, lal_cpuset *out);
  int (*selection_set)(void *ctx, int process, const lal_cpuset *set);
} lali_win_affinity_os;

/* The lali_os_*_affinity_* contracts (lal.h) over os. */
int lali_win_thread_affinity_get(const lali_win_affinity_os *os, lal_cpuset *out);
int lali_win_thread_affinity_set(const lali_win_affinity_os *os, const lal_cpuset *set);
int lali_win_process_affinity_get(const lali_win_affinity_os *os, lal_cpuset *out);
int lali_win_process_affinity_set(const lali_win_affinity_os *os, const lal_cpuset *set);

#endif
