/* SPDX-License-Identifier: MIT */
/*
 * Windows affinity in lal_cpuset numbering (group * 64 + number).
 * A thread's hard affinity lives in one processor group ("Processor Groups":
 * SetThreadGroupAffinity); the only affinity spanning groups is a CPU-set
 * selection (SetThreadSelectedCpuSets / SetProcessDefaultCpuSets, Windows 10+),
 * which the scheduler treats as a strong preference. lal uses the hard form
 * whenever the set allows it.
 */
#include <windows.h>

#include "compat.h"
#include "cpusets.h"
#include "lal_internal.h"
#include "lal_os.h"

/* The group of every CPU in set, or -1 if they span several. */
static int single_group(const lal_cpuset *set) {
  int first = lal_cpuset_first(set), group = first / 64;
  for (int cpu = first; cpu >= 0; cpu = lal_cpuset_next(set, cpu))
    if (cpu / 64 != group)
      return -1;
  return group;
}

static KAFFINITY group_mask(const lal_cpuset *set, int group) {
  KAFFINITY mask = 0;
  for (int bit = 0; bit < 64; bit++)
    if (lal_cpuset_isset(set, group * 64 + bit))
      mask |= (KAFFINITY)1 << bit;
  return mask;
}

/* The active processors of a group are numbered 0..count-1. */
static KAFFINITY active_mask(int group) {
  if (group >= GetActiveProcessorGroupCount())
    return 0;
  DWORD n = GetActiveProcessorCount((WORD)group);
  return n >= 64 ? ~(KAFFINITY)0 : (((KAFFINITY)1 << n) - 1);
}

/* 1 and *out = the CPUs of h's CPU-set selection if it has one, else 0. */
static int selected_sets(const char *get_name, HANDLE h, lal_cpuset *out) {
  lal_get_cpu_sets_fn get = (lal_get_cpu_sets_fn)lal__win_proc(L"kernel32.dll", get_name);
  if (!get)
    return 0;
  ULONG ids[LAL_CPUSET_MAX], n = 0;
  if (!get(h, ids, LAL_CPUSET_MAX, &n) || n == 0)
    return 0;
  lal__win_cpu_sets sets;
  if (lal__win_cpu_sets_get(&sets) != LAL_OK)
    return 0;
  lal__win_cpus_of_ids(&sets, ids, n, out);
  lal__win_cpu_sets_free(&sets);
  return lal_cpuset_count(out) > 0;
}

/* Selects the CPU sets of *set for h (NULL: clears the selection). */
static int apply_sets(const char *set_name, HANDLE h, const lal_cpuset *set) {
  lal_set_cpu_sets_fn put = (lal_set_cpu_sets_fn)lal__win_proc(L"kernel32.dll", set_name);
  if (!put)
    return LAL_ENOTSUP;
  if (!set) /* clear the selection */
    return put(h, NULL, 0) ? LAL_OK : lal__fail_os();
  lal__win_cpu_sets sets;
  int rc = lal__win_cpu_sets_get(&sets);
  if (rc != LAL_OK)
    return rc;
  ULONG ids[LAL_CPUSET_MAX], n = 0;
  rc = lal__win_cpu_set_ids(&sets, set, ids, &n);
  lal__win_cpu_sets_free(&sets);
  if (rc == LAL_OK && !put(h, ids, n))
    rc = lal__fail_os();
  return rc;
}

int lal__os_thread_affinity_get(lal_cpuset *out) {
  if (selected_sets("GetThreadSelectedCpuSets", GetCurrentThread(), out))
    return LAL_OK;
  GROUP_AFFINITY ga;
  if (!GetThreadGroupAffinity(GetCurrentThread(), &ga))
    return lal__fail_os();
  lal_cpuset_zero(out);
  for (int bit = 0; bit < 64; bit++)
    if (ga.Mask >> bit & 1)
      lal_cpuset_set(out, ga.Group * 64 + bit);
  return LAL_OK;
}

int lal__os_thread_affinity_set(const lal_cpuset *set) {
  int group = single_group(set);
  if (group < 0)
    return apply_sets("SetThreadSelectedCpuSets", GetCurrentThread(), set);
  KAFFINITY mask = group_mask(set, group);
  if ((mask & ~active_mask(group)) != 0)
    return LAL_EINVAL; /* absent or inactive processors */
  GROUP_AFFINITY ga;
  ZeroMemory(&ga, sizeof ga);
  ga.Group = (WORD)group;
  ga.Mask = mask;
  /* Fails with ERROR_INVALID_PARAMETER, changing nothing, outside the
   * process's affinity ("SetThreadGroupAffinity"). */
  if (!SetThreadGroupAffinity(GetCurrentThread(), &ga, NULL))
    return lal__fail_os();
  /* A CPU-set selection made earlier would still steer the thread: drop it. */
  apply_sets("SetThreadSelectedCpuSets", GetCurrentThread(), NULL);
  return LAL_OK;
}

/* The processor groups the process's threads are in. Wine 8 stubs
 * GetProcessGroupAffinity (ERROR_CALL_NOT_IMPLEMENTED) and has one group: the
 * calling thread's group is then the process's. */
static int process_groups(USHORT groups[64], USHORT *count) {
  *count = 64;
  if (GetProcessGroupAffinity(GetCurrentProcess(), count, groups))
    return LAL_OK;
  if (GetLastError() != ERROR_CALL_NOT_IMPLEMENTED)
    return lal__fail_os();
  GROUP_AFFINITY ga;
  if (!GetThreadGroupAffinity(GetCurrentThread(), &ga))
    return lal__fail_os();
  groups[0] = ga.Group;
  *count = 1;
  return LAL_OK;
}

int lal__os_process_affinity_get(lal_cpuset *out) {
  if (selected_sets("GetProcessDefaultCpuSets", GetCurrentProcess(), out))
    return LAL_OK;
  USHORT groups[64], count;
  int rc = process_groups(groups, &count);
  if (rc != LAL_OK)
    return rc;
  lal_cpuset_zero(out);
  if (count == 1) {
    DWORD_PTR process_mask, system_mask;
    if (!GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask))
      return lal__fail_os();
    for (int bit = 0; bit < 64; bit++)
      if ((KAFFINITY)process_mask >> bit & 1)
        lal_cpuset_set(out, groups[0] * 64 + bit);
    return LAL_OK;
  }
  /* A process spanning groups has no per-group mask to read: each of its
   * groups is open to it. */
  for (USHORT i = 0; i < count; i++)
    for (int bit = 0; bit < 64; bit++)
      if (active_mask(groups[i]) >> bit & 1)
        lal_cpuset_set(out, groups[i] * 64 + bit);
  return LAL_OK;
}

int lal__os_process_affinity_set(const lal_cpuset *set) {
  int group = single_group(set);
  USHORT groups[64], count;
  int rc = process_groups(groups, &count);
  if (rc != LAL_OK)
    return rc;
  /* SetProcessAffinityMask works on the process's one group only, and fails
   * once its threads are spread over several. */
  if (group >= 0 && count == 1 && groups[0] == group) {
    KAFFINITY mask = group_mask(set, group);
    if ((mask & ~active_mask(group)) != 0)
      return LAL_EINVAL;
    if (!SetProcessAffinityMask(GetCurrentProcess(), (DWORD_PTR)mask))
      return lal__fail_os();
    apply_sets("SetProcessDefaultCpuSets", GetCurrentProcess(), NULL);
    return LAL_OK;
  }
  return apply_sets("SetProcessDefaultCpuSets", GetCurrentProcess(), set);
}

int lal__os_cpu_sets_set(int process, const lal_cpuset *set) {
  return process ? apply_sets("SetProcessDefaultCpuSets", GetCurrentProcess(), set)
                 : apply_sets("SetThreadSelectedCpuSets", GetCurrentThread(), set);
}

int lal__os_cpu_sets_get(int process, lal_cpuset *out) {
  const char *name = process ? "GetProcessDefaultCpuSets" : "GetThreadSelectedCpuSets";
  if (!lal__win_proc(L"kernel32.dll", name))
    return LAL_ENOTSUP;
  if (!selected_sets(name, process ? GetCurrentProcess() : GetCurrentThread(), out))
    lal_cpuset_zero(out); /* no selection */
  return LAL_OK;
}

int lal__os_current_cpu(void) {
  PROCESSOR_NUMBER pn;
  GetCurrentProcessorNumberEx(&pn);
  return pn.Group * 64 + pn.Number;
}
