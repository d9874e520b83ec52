/* SPDX-License-Identifier: MIT */
/*
 * This machine's topology on Windows: GetLogicalProcessorInformationEx
 * (RelationAll) covers every processor group; `allowed` drops the CPU sets
 * another process holds exclusively (GetSystemCpuSetInformation: Allocated but
 * not AllocatedToTargetProcess, Windows 10+), `affinity` is the process's.
 */
#include <stdlib.h>
#include <windows.h>

#include "cpusets.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "topology_windows.h"

static void allowed_cpus(lal_cpuset *allowed) {
  lal__win_cpu_sets sets;
  if (lal__win_cpu_sets_get(&sets) != LAL_OK)
    return; /* Windows 7/8, Wine: no CPU sets, nothing reserved */
  for (int i = 0; i < sets.count; i++) {
    const lal_cpu_set_info *s = &sets.sets[i];
    if ((s->AllFlags & LAL_CPU_SET_ALLOCATED) && !(s->AllFlags & LAL_CPU_SET_ALLOCATED_TO_TARGET))
      lal_cpuset_clear(allowed, s->Group * 64 + s->LogicalProcessorIndex);
  }
  lal__win_cpu_sets_free(&sets);
}

int lal__os_topology_load(lal_topology **out) {
  DWORD len = 0;
  if (GetLogicalProcessorInformationEx(RelationAll, NULL, &len) ||
      GetLastError() != ERROR_INSUFFICIENT_BUFFER)
    return lal__fail_os();
  void *buf = malloc(len);
  if (!buf)
    return LAL_ENOMEM;
  int rc = LAL_OK;
  if (!GetLogicalProcessorInformationEx(RelationAll, buf, &len))
    rc = lal__fail_os();
  lal_cpuset allowed, affinity;
  lal_cpuset_fill(&allowed, LAL_CPUSET_MAX);
  allowed_cpus(&allowed);
  if (rc == LAL_OK)
    rc = lal__os_process_affinity_get(&affinity);
  if (rc == LAL_OK)
    rc = lal__win_topology_from_slpi(buf, len, &allowed, &affinity, "windows", out);
  free(buf);
  return rc;
}
