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
#include "topology_internal.h"
#include "topology_windows.h"

/* Game Mode (expandedresources.h, Windows 10 1703+; the API set DLL is not
 * loaded by default): whether this process holds expanded resources, and how
 * many CPUs it got exclusively. */
typedef HRESULT(WINAPI *has_expanded_fn)(BOOL *);
typedef HRESULT(WINAPI *exclusive_count_fn)(ULONG *);

static void game_mode(lal_topology_info *info) {
  HMODULE dll = LoadLibraryExW(L"api-ms-win-gaming-expandedresources-l1-1-0.dll", NULL,
                               LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (!dll)
    return; /* unknown: game_mode stays -1 */
  has_expanded_fn has =
      (has_expanded_fn)(void (*)(void))GetProcAddress(dll, "HasExpandedResources");
  exclusive_count_fn count = (exclusive_count_fn)(void (*)(void))GetProcAddress(
      dll, "GetExpandedResourceExclusiveCpuCount");
  BOOL yes = FALSE;
  ULONG n = 0;
  if (has && SUCCEEDED(has(&yes))) {
    info->game_mode = yes ? 1 : 0;
    if (yes && count && SUCCEEDED(count(&n)))
      info->game_mode_exclusive_cpus = (int)n;
  }
  FreeLibrary(dll);
}

/* Appends GetLogicalProcessorInformationEx(rel)'s records to *buf (records
 * carry their own size, so two answers concatenate into one valid buffer). */
static int append_records(LOGICAL_PROCESSOR_RELATIONSHIP rel, char **buf, DWORD *len) {
  DWORD more = 0;
  if (GetLogicalProcessorInformationEx(rel, NULL, &more) ||
      GetLastError() != ERROR_INSUFFICIENT_BUFFER)
    return lali_fail_os();
  char *grown = realloc(*buf, (size_t)*len + more);
  if (!grown)
    return LAL_ENOMEM;
  *buf = grown;
  if (!GetLogicalProcessorInformationEx(rel, (void *)(grown + *len), &more))
    return lali_fail_os();
  *len += more;
  return LAL_OK;
}

int lali_os_topology_load(lal_topology **out) {
  char *buf = NULL;
  DWORD len = 0;
  int rc = append_records(RelationAll, &buf, &len);
  /* Windows Server 2022 / 11: NUMA nodes with all their groups (an older
   * Windows answers ERROR_INVALID_PARAMETER: nothing to add). */
  if (rc == LAL_OK)
    append_records(LAL_RELATION_NUMA_NODE_EX, &buf, &len);
  lal_cpuset affinity, reserved, exclusive;
  lali_win_cpu_sets sets;
  lal_cpuset_zero(&reserved);
  lal_cpuset_zero(&exclusive);
  if (lali_win_cpu_sets_get(&sets) == LAL_OK) { /* Windows 7/8, Wine: no CPU sets */
    lali_win_cpu_sets_classify(&sets, &reserved, &exclusive);
    lali_win_cpu_sets_free(&sets);
  }
  if (rc == LAL_OK)
    rc = lali_os_process_affinity_get(&affinity);
  if (rc == LAL_OK)
    rc = lali_win_topology_from_slpi(buf, len, NULL, &affinity, "windows", out);
  free(buf);
  if (rc == LAL_OK) {
    lali_topology_set_reservations(*out, &reserved, &exclusive);
    game_mode(&(*out)->info);
  }
  return rc;
}
