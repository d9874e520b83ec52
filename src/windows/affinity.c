/*
 * Windows thread affinity in lal_cpuset numbering (group * 64 + number). A
 * thread's affinity lives in one processor group ("Processor Groups"), so a set
 * spanning groups is rejected; CPU sets across groups arrive with topology.
 */
#include <windows.h>

#include "lal_internal.h"
#include "lal_os.h"

int lal__os_thread_affinity_get(lal_cpuset *out) {
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
  int first = lal_cpuset_first(set);
  if (first < 0)
    return LAL_EINVAL;
  GROUP_AFFINITY ga;
  ZeroMemory(&ga, sizeof ga);
  ga.Group = (WORD)(first / 64);
  for (int cpu = first; cpu >= 0; cpu = lal_cpuset_next(set, cpu)) {
    if (cpu / 64 != ga.Group)
      return LAL_EINVAL;
    ga.Mask |= (KAFFINITY)1 << (cpu % 64);
  }
  if (!SetThreadGroupAffinity(GetCurrentThread(), &ga, NULL))
    return lal__fail_os();
  return LAL_OK;
}
