/* SPDX-License-Identifier: MIT */
/* Windows memory locking (mem_lock.c), with its one OS-call seam. */
#ifndef LAL_SRC_WINDOWS_MEM_LOCK_H
#define LAL_SRC_WINDOWS_MEM_LOCK_H

#include <windows.h>

#include "lal.h"

/* VirtualLock / VirtualUnlock. */
typedef BOOL(WINAPI *lali_win_virtual_lock_fn)(LPVOID address, SIZE_T size);
typedef struct lali_win_lock_os {
  lali_win_virtual_lock_fn virtual_lock, virtual_unlock;
} lali_win_lock_os;

/* lali_os_mem_lock_all through os, so tests can make it fail part-way (on a
 * real machine that takes a working set the OS refuses to grow) and see what
 * a refused request locks and unlocks: Wine's VirtualLock locks nothing and
 * its QueryWorkingSetEx reports no Locked bit, so only a replay shows it. */
int lali_win_mem_lock_all_with(const lali_win_lock_os *os, unsigned flags, lal_lock_result *res);

#endif
