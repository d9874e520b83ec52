/* SPDX-License-Identifier: MIT */
/*
 * Windows CPU sets ("CPU Sets", Windows 10+): one record per logical
 * processor with a system-wide Id that SetThreadSelectedCpuSets and
 * SetProcessDefaultCpuSets take. Every function is resolved at run time
 * (Windows 7/8 and Wine lack some): LAL_ENOTSUP where the OS has none.
 */
#ifndef LAL_SRC_WINDOWS_CPUSETS_H
#define LAL_SRC_WINDOWS_CPUSETS_H

#include <windows.h>

#include "compat.h"
#include "lal.h"

typedef struct lali_win_cpu_sets {
  lal_cpu_set_info *sets;
  int count;
} lali_win_cpu_sets;

/* Every CPU set of the system as this process sees it (allocation flags are
 * relative to the current process). Free with lali_win_cpu_sets_free. */
int lali_win_cpu_sets_get(lali_win_cpu_sets *out);
void lali_win_cpu_sets_free(lali_win_cpu_sets *sets);

/* CPUs whose CPU set another process holds (Allocated, not
 * AllocatedToTargetProcess) and those allocated to this process (Game Mode's
 * exclusive CPUs: Allocated and AllocatedToTargetProcess). */
void lali_win_cpu_sets_classify(const lali_win_cpu_sets *sets, lal_cpuset *reserved,
                                lal_cpuset *exclusive);

/* The CPU-set Ids of the CPUs in *set, into ids[LAL_CPUSET_MAX].
 * LAL_EINVAL if a CPU has no CPU set (absent, or not active). */
int lali_win_cpu_set_ids(const lali_win_cpu_sets *sets, const lal_cpuset *set, ULONG *ids,
                         ULONG *count);
/* The CPUs of the given Ids. */
void lali_win_cpus_of_ids(const lali_win_cpu_sets *sets, const ULONG *ids, ULONG count,
                          lal_cpuset *out);

#endif
