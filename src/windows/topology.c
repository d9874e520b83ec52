/* SPDX-License-Identifier: MIT */
/*
 * This machine's topology on Windows: GetLogicalProcessorInformationEx
 * (RelationAll) covers every processor group; `allowed` drops the CPU sets
 * another process holds exclusively (GetSystemCpuSetInformation: Allocated but
 * not AllocatedToTargetProcess, Windows 10+), `affinity` is the process's.
 */
#include <stdlib.h>
#include <windows.h>

#include "compat.h"
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

/* Appends GetLogicalProcessorInformationEx(rel)'s records to *buf (records
 * carry their own size, so two answers concatenate into one valid buffer). */
static int append_records(LOGICAL_PROCESSOR_RELATIONSHIP rel, char **buf, DWORD *len) {
  DWORD more = 0;
  if (GetLogicalProcessorInformationEx(rel, NULL, &more) ||
      GetLastError() != ERROR_INSUFFICIENT_BUFFER)
    return lal__fail_os();
  char *grown = realloc(*buf, (size_t)*len + more);
  if (!grown)
    return LAL_ENOMEM;
  *buf = grown;
  if (!GetLogicalProcessorInformationEx(rel, (void *)(grown + *len), &more))
    return lal__fail_os();
  *len += more;
  return LAL_OK;
}

int lal__os_topology_load(lal_topology **out) {
  char *buf = NULL;
  DWORD len = 0;
  int rc = append_records(RelationAll, &buf, &len);
  /* Windows Server 2022 / 11: NUMA nodes with all their groups (an older
   * Windows answers ERROR_INVALID_PARAMETER: nothing to add). */
  if (rc == LAL_OK)
    append_records(LAL_RELATION_NUMA_NODE_EX, &buf, &len);
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
