/* SPDX-License-Identifier: MIT */
/*
 * Windows affinity in lal_cpuset numbering (group * 64 + number): the OS
 * calls behind the rules of affinity_groups.h, and the CPU-set selection
 * (SetThreadSelectedCpuSets / SetProcessDefaultCpuSets, Windows 10+, Ids
 * from cpusets.c).
 */
#include <windows.h>

#include "affinity_groups.h"
#include "compat.h"
#include "cpusets.h"
#include "lal_internal.h"
#include "lal_os.h"

/* 1 and *out = the CPUs of h's CPU-set selection if it has one, else 0. */
static int selected_sets(const char *get_name, HANDLE h, lal_cpuset *out) {
  lal_get_cpu_sets_fn get = (lal_get_cpu_sets_fn)lali_win_proc(L"kernel32.dll", get_name);
  if (!get)
    return 0;
  ULONG ids[LAL_CPUSET_MAX], n = 0;
  if (!get(h, ids, LAL_CPUSET_MAX, &n) || n == 0)
    return 0;
  lali_win_cpu_sets sets;
  if (lali_win_cpu_sets_get(&sets) != LAL_OK)
    return 0;
  lali_win_cpus_of_ids(&sets, ids, n, out);
  lali_win_cpu_sets_free(&sets);
  return lal_cpuset_count(out) > 0;
}

/* Selects the CPU sets of *set for h (NULL: clears the selection). */
static int apply_sets(const char *set_name, HANDLE h, const lal_cpuset *set) {
  lal_set_cpu_sets_fn put = (lal_set_cpu_sets_fn)lali_win_proc(L"kernel32.dll", set_name);
  if (!put)
    return LAL_ENOTSUP;
  if (!set) /* clear the selection */
    return put(h, NULL, 0) ? LAL_OK : lali_fail_os();
  lali_win_cpu_sets sets;
  int rc = lali_win_cpu_sets_get(&sets);
  if (rc != LAL_OK)
    return rc;
  ULONG ids[LAL_CPUSET_MAX], n = 0;
  rc = lali_win_cpu_set_ids(&sets, set, ids, &n);
  lali_win_cpu_sets_free(&sets);
  if (rc == LAL_OK && !put(h, ids, n))
    rc = lali_fail_os();
  return rc;
}

/* ---- the OS calls of affinity_groups.h */

static BOOL thread_group_get(void *ctx, GROUP_AFFINITY *ga) {
  (void)ctx;
  return GetThreadGroupAffinity(GetCurrentThread(), ga);
}

static BOOL thread_group_set(void *ctx, const GROUP_AFFINITY *ga) {
  (void)ctx;
  return SetThreadGroupAffinity(GetCurrentThread(), ga, NULL);
}

/* Windows has no query for "confined to one group": lal remembers its own
 * SetThreadGroupAffinity per thread. */
static LALI_THREAD_LOCAL int confined_by_lal;
static int thread_confined(void *ctx) {
  (void)ctx;
  return confined_by_lal;
}
static void thread_confine_mark(void *ctx) {
  (void)ctx;
  confined_by_lal = 1;
}

/* Wine 8 stubs GetProcessGroupAffinity (ERROR_CALL_NOT_IMPLEMENTED) and has
 * one group: the calling thread's group is then the process's. */
static BOOL process_groups(void *ctx, USHORT *count, USHORT *groups) {
  (void)ctx;
  if (GetProcessGroupAffinity(GetCurrentProcess(), count, groups))
    return TRUE;
  if (GetLastError() != ERROR_CALL_NOT_IMPLEMENTED)
    return FALSE;
  GROUP_AFFINITY ga;
  if (!GetThreadGroupAffinity(GetCurrentThread(), &ga))
    return FALSE;
  groups[0] = ga.Group;
  *count = 1;
  return TRUE;
}

static BOOL process_mask_get(void *ctx, DWORD_PTR *mask) {
  (void)ctx;
  DWORD_PTR system_mask;
  return GetProcessAffinityMask(GetCurrentProcess(), mask, &system_mask);
}

static BOOL process_mask_set(void *ctx, DWORD_PTR mask) {
  (void)ctx;
  return SetProcessAffinityMask(GetCurrentProcess(), mask);
}

/* QueryInformationJobObject(NULL, JobObjectGroupInformationEx): the group
 * masks of the job this process is in. It fails without a job (and under
 * Wine), which means no limit. */
static int job_group_masks(void *ctx, GROUP_AFFINITY *out) {
  (void)ctx;
  DWORD bytes = 0;
  if (!QueryInformationJobObject(NULL, LAL_JOB_OBJECT_GROUP_INFORMATION_EX, out,
                                 (DWORD)(LALI_WIN_MAX_GROUPS * sizeof *out), &bytes))
    return 0;
  return (int)(bytes / sizeof *out);
}

static int selection_get(void *ctx, int process, lal_cpuset *out) {
  (void)ctx;
  const char *name = process ? "GetProcessDefaultCpuSets" : "GetThreadSelectedCpuSets";
  if (!lali_win_proc(L"kernel32.dll", name))
    return LAL_ENOTSUP;
  if (!selected_sets(name, process ? GetCurrentProcess() : GetCurrentThread(), out))
    lal_cpuset_zero(out); /* no selection */
  return LAL_OK;
}

static int selection_set(void *ctx, int process, const lal_cpuset *set) {
  (void)ctx;
  return process ? apply_sets("SetProcessDefaultCpuSets", GetCurrentProcess(), set)
                 : apply_sets("SetThreadSelectedCpuSets", GetCurrentThread(), set);
}

/* This machine as affinity_groups.h sees it. GetThreadSelectedCpuSetMasks
 * exists from Windows 11 / Server 2022, the releases whose threads span
 * groups by default: the feature, not a version number that manifests lie
 * about. The active processors of a group are numbered 0..count-1. */
static void machine(lali_win_affinity_os *os) {
  ZeroMemory(os, sizeof *os);
  os->spans_groups_by_default =
      lali_win_proc(L"kernel32.dll", "GetThreadSelectedCpuSetMasks") != NULL;
  os->group_count = GetActiveProcessorGroupCount();
  if (os->group_count > LALI_WIN_MAX_GROUPS)
    os->group_count = LALI_WIN_MAX_GROUPS;
  for (int g = 0; g < os->group_count; g++) {
    DWORD n = GetActiveProcessorCount((WORD)g);
    os->active[g] = n >= 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << n) - 1);
  }
  os->thread_group_get = thread_group_get;
  os->thread_group_set = thread_group_set;
  os->thread_confined = thread_confined;
  os->thread_confine_mark = thread_confine_mark;
  os->process_groups = process_groups;
  os->process_mask_get = process_mask_get;
  os->process_mask_set = process_mask_set;
  os->job_group_masks = job_group_masks;
  os->selection_get = selection_get;
  os->selection_set = selection_set;
}

int lali_os_thread_affinity_get(lal_cpuset *out) {
  lali_win_affinity_os os;
  machine(&os);
  return lali_win_thread_affinity_get(&os, out);
}

int lali_os_thread_affinity_set(const lal_cpuset *set) {
  lali_win_affinity_os os;
  machine(&os);
  return lali_win_thread_affinity_set(&os, set);
}

int lali_os_process_affinity_get(lal_cpuset *out) {
  lali_win_affinity_os os;
  machine(&os);
  return lali_win_process_affinity_get(&os, out);
}

int lali_os_process_affinity_set(const lal_cpuset *set) {
  lali_win_affinity_os os;
  machine(&os);
  return lali_win_process_affinity_set(&os, set);
}

int lali_os_cpu_sets_set(int process, const lal_cpuset *set) {
  return selection_set(NULL, process, set);
}

int lali_os_cpu_sets_get(int process, lal_cpuset *out) { return selection_get(NULL, process, out); }

int lali_os_current_cpu(void) {
  PROCESSOR_NUMBER pn;
  GetCurrentProcessorNumberEx(&pn);
  return pn.Group * 64 + pn.Number;
}
