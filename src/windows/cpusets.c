/* SPDX-License-Identifier: MIT */
/* Windows CPU sets: enumeration and Id <-> lal_cpuset conversion. */
#include "cpusets.h"

#include <stdlib.h>

#include "lal_internal.h"

int lali_win_cpu_sets_get(lali_win_cpu_sets *out) {
  lal_get_system_cpu_set_information_fn get = (lal_get_system_cpu_set_information_fn)lali_win_proc(
      L"kernel32.dll", "GetSystemCpuSetInformation");
  out->sets = NULL;
  out->count = 0;
  if (!get)
    return LAL_ENOTSUP;
  ULONG len = 0;
  HANDLE self = GetCurrentProcess();
  if (!get(NULL, 0, &len, self, 0) && GetLastError() != ERROR_INSUFFICIENT_BUFFER)
    return lali_fail_os();
  if (len == 0)
    return LAL_ENOTSUP;
  out->sets = malloc(len);
  if (!out->sets)
    return LAL_ENOMEM;
  if (!get(out->sets, len, &len, self, 0)) {
    int rc = lali_fail_os();
    lali_win_cpu_sets_free(out);
    return rc;
  }
  /* Records carry their own Size: step by it, keep the CPU-set kind only. */
  int n = 0;
  for (ULONG off = 0; off + sizeof(lal_cpu_set_info) <= len;) {
    const lal_cpu_set_info *r = (const lal_cpu_set_info *)((const char *)out->sets + off);
    if (r->Size == 0)
      break;
    if (r->Type == 0)
      out->sets[n++] = *r;
    off += r->Size;
  }
  out->count = n;
  return LAL_OK;
}

void lali_win_cpu_sets_free(lali_win_cpu_sets *sets) {
  free(sets->sets);
  sets->sets = NULL;
  sets->count = 0;
}

static int cpu_of(const lal_cpu_set_info *s) { return s->Group * 64 + s->LogicalProcessorIndex; }

void lali_win_cpu_sets_classify(const lali_win_cpu_sets *sets, lal_cpuset *reserved,
                                lal_cpuset *exclusive) {
  lal_cpuset_zero(reserved);
  lal_cpuset_zero(exclusive);
  for (int i = 0; i < sets->count; i++) {
    const lal_cpu_set_info *s = &sets->sets[i];
    if (!(s->AllFlags & LAL_CPU_SET_ALLOCATED))
      continue;
    lal_cpuset_set(s->AllFlags & LAL_CPU_SET_ALLOCATED_TO_TARGET ? exclusive : reserved, cpu_of(s));
  }
}

int lali_win_cpu_set_ids(const lali_win_cpu_sets *sets, const lal_cpuset *set, ULONG *ids,
                         ULONG *count) {
  ULONG n = 0;
  for (int cpu = lal_cpuset_first(set); cpu >= 0; cpu = lal_cpuset_next(set, cpu)) {
    int found = 0;
    for (int i = 0; i < sets->count && !found; i++)
      if (cpu_of(&sets->sets[i]) == cpu) {
        ids[n++] = sets->sets[i].Id;
        found = 1;
      }
    if (!found)
      return LAL_EINVAL;
  }
  *count = n;
  return LAL_OK;
}

void lali_win_cpus_of_ids(const lali_win_cpu_sets *sets, const ULONG *ids, ULONG count,
                          lal_cpuset *out) {
  lal_cpuset_zero(out);
  for (ULONG k = 0; k < count; k++)
    for (int i = 0; i < sets->count; i++)
      if (sets->sets[i].Id == ids[k])
        lal_cpuset_set(out, cpu_of(&sets->sets[i]));
}
