/* SPDX-License-Identifier: MIT */
/*
 * Declarations of post-Windows-7 APIs that mingw-w64 10's headers lack or hide
 * behind _WIN32_WINNT. lal targets Windows 7 (_WIN32_WINNT=0x0601) and resolves
 * every newer function at run time with GetProcAddress: a static import of a
 * function the OS (or Wine) lacks stops the process from loading at all.
 */
#ifndef LAL_SRC_WINDOWS_COMPAT_H
#define LAL_SRC_WINDOWS_COMPAT_H

#include <windows.h>

/* CreateWaitableTimerExW flag, Windows 10 1803+ ("CreateWaitableTimerExW"). */
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#  define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

/* SetProcessInformation(ProcessPowerThrottling, ...), Windows 8+ with the
 * throttling class from Windows 10 1709 ("PROCESS_POWER_THROTTLING_STATE"). */
/* PROCESS_INFORMATION_CLASS value ProcessPowerThrottling. */
#define LAL_PROCESS_POWER_THROTTLING_CLASS 4
#define LAL_POWER_THROTTLING_VERSION 1
#define LAL_POWER_THROTTLING_EXECUTION_SPEED 0x1
#define LAL_POWER_THROTTLING_IGNORE_TIMER_RESOLUTION 0x4
typedef struct lal_power_throttling_state {
  ULONG Version;
  ULONG ControlMask;
  ULONG StateMask;
} lal_power_throttling_state;
typedef BOOL(WINAPI *lal_set_process_information_fn)(HANDLE, int, LPVOID, DWORD);

/* QueryInterruptTimePrecise, Windows 10+ (realtimeapiset.h). */
typedef VOID(WINAPI *lal_query_interrupt_time_fn)(PULONGLONG);

/* ---- CPU sets, Windows 10+ ("SYSTEM_CPU_SET_INFORMATION"); mingw-w64 10 lacks
 * the struct. Layout of the CpuSetInformation variant, 32 bytes. */
typedef struct lal_cpu_set_info {
  DWORD Size;
  DWORD Type; /* CpuSetInformation = 0 */
  DWORD Id;
  WORD Group;
  BYTE LogicalProcessorIndex;
  BYTE CoreIndex;
  BYTE LastLevelCacheIndex;
  BYTE NumaNodeIndex;
  BYTE EfficiencyClass;
  BYTE AllFlags; /* Parked 1, Allocated 2, AllocatedToTargetProcess 4, RealTime 8 */
  DWORD Reserved;
  DWORD64 AllocationTag;
} lal_cpu_set_info;
#define LAL_CPU_SET_ALLOCATED 0x02
#define LAL_CPU_SET_ALLOCATED_TO_TARGET 0x04
typedef BOOL(WINAPI *lal_get_system_cpu_set_information_fn)(lal_cpu_set_info *, ULONG, PULONG,
                                                            HANDLE, ULONG);
typedef BOOL(WINAPI *lal_set_cpu_sets_fn)(HANDLE, const ULONG *, ULONG);
typedef BOOL(WINAPI *lal_get_cpu_sets_fn)(HANDLE, PULONG, ULONG, PULONG);

/* PROCESSOR_RELATIONSHIP.EfficiencyClass (Windows 10+) is mingw-w64 10's
 * Reserved[0]; NUMA_NODE_RELATIONSHIP and CACHE_RELATIONSHIP gained a
 * GroupCount (WORD, 0 on older Windows = one mask) before their GroupMask,
 * which became GroupMasks[GroupCount] (Windows Server 2022 / Windows 11). */
#define LAL_PROCESSOR_EFFICIENCY_CLASS(p) ((p)->Reserved[0])
#define LAL_NUMA_GROUP_COUNT(n) ((WORD)((n)->Reserved[18] | (n)->Reserved[19] << 8))
#define LAL_CACHE_GROUP_COUNT(c) ((WORD)((c)->Reserved[18] | (c)->Reserved[19] << 8))

/* SetThreadInformation(ThreadPowerThrottling), Windows 10 1709+
 * ("THREAD_POWER_THROTTLING_STATE"); the same three fields as the process one. */
#define LAL_THREAD_POWER_THROTTLING_CLASS 3
typedef BOOL(WINAPI *lal_set_thread_information_fn)(HANDLE, int, LPVOID, DWORD);

/* LOGICAL_PROCESSOR_RELATIONSHIP RelationNumaNodeEx (Windows Server 2022 /
 * Windows 11): NUMA_NODE_RELATIONSHIP records with every GroupMask of a node
 * spanning processor groups, where RelationNumaNode records keep only the
 * node's primary group for old callers. mingw-w64 10 lacks the name. */
#define LAL_RELATION_NUMA_NODE_EX ((LOGICAL_PROCESSOR_RELATIONSHIP)6)

/* QueryInformationJobObject class JobObjectGroupInformationEx (Windows 10+):
 * the job's GROUP_AFFINITY per processor group. */
#define LAL_JOB_OBJECT_GROUP_INFORMATION_EX ((JOBOBJECTINFOCLASS)14)

/* SetThreadDescription / GetThreadDescription, Windows 10 1607+. */
typedef HRESULT(WINAPI *lal_set_thread_description_fn)(HANDLE, PCWSTR);
typedef HRESULT(WINAPI *lal_get_thread_description_fn)(HANDLE, PWSTR *);

/* GetProcAddress from an already-loaded system DLL, as a generic function
 * pointer (the cast through void (*)(void) keeps -Wcast-function-type quiet). */
static inline void (*lali_win_proc(const wchar_t *module, const char *name))(void) {
  HMODULE m = GetModuleHandleW(module);
  return m ? (void (*)(void))GetProcAddress(m, name) : NULL;
}

#endif
