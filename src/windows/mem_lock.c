/* SPDX-License-Identifier: MIT */
/*
 * Windows memory locking: VirtualLock and the working set that bounds it.
 *
 * "The maximum number of pages that a process can lock is equal to the number
 * of pages in its minimum working set minus a small overhead" ("VirtualLock"):
 * the limit is the working-set minimum, raised with SetProcessWorkingSetSizeEx,
 * which needs SeIncreaseWorkingSetPrivilege to raise it ("SetProcessWorkingSet
 * SizeEx"). Standard tokens hold that privilege disabled, so lal enables it
 * first, as it does SeLockMemoryPrivilege for large pages (a privilege that
 * governs MEM_LARGE_PAGES, not VirtualLock).
 *
 * VirtualLock does not count: one VirtualUnlock undoes any number of locks.
 * So a lal_mem_lock_all that fails part-way must not simply unlock what it
 * walked over: the buffers lal_mem_lock locked before (kept in `held`) and
 * the pages the OS reports locked (QueryWorkingSetEx) stay locked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include <psapi.h> /* needs windows.h first */

#include "compat.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "mem_lock.h"
#include "privilege.h"

#define WS_HEADROOM ((SIZE_T)64 << 20)

typedef BOOL(WINAPI *query_ws_ex_fn)(HANDLE, PVOID, DWORD);

typedef struct range {
  uintptr_t lo, hi; /* page-aligned [lo, hi) */
} range;

/* Under ws_lock: the bytes lal_mem_lock added to the working-set minimum
 * (given back by lal_mem_unlock, so only what lal locked keeps it raised),
 * and the ranges lal_mem_lock locked. */
static SIZE_T ws_grown;
static range *held;
static size_t held_count, held_cap;
static CRITICAL_SECTION ws_lock;
static INIT_ONCE ws_lock_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK init_ws_lock(PINIT_ONCE once, PVOID param, PVOID *ctx) {
  (void)once, (void)param, (void)ctx;
  InitializeCriticalSection(&ws_lock);
  return TRUE;
}

static void lock_state(void) {
  InitOnceExecuteOnce(&ws_lock_once, init_ws_lock, NULL, NULL);
  EnterCriticalSection(&ws_lock);
}

static range page_range(const void *p, size_t size) {
  size_t page = lali_os_page_size();
  uintptr_t lo = (uintptr_t)p / page * page;
  uintptr_t hi = ((uintptr_t)p + size + page - 1) / page * page;
  return (range){lo, hi};
}

/* Under ws_lock: room for one more held range; LAL_ENOMEM, nothing changed,
 * when the list cannot grow. */
static int held_reserve(void) {
  if (held_count < held_cap)
    return LAL_OK;
  size_t cap = held_cap ? held_cap * 2 : 16;
  range *grown = realloc(held, cap * sizeof *grown);
  if (!grown)
    return LAL_ENOMEM;
  held = grown, held_cap = cap;
  return LAL_OK;
}

/* Under ws_lock. */
static int held_add(range r) {
  int rc = held_reserve();
  if (rc == LAL_OK)
    held[held_count++] = r;
  return rc;
}

/* Under ws_lock: r is no longer locked, wherever it overlaps a held range
 * (a range split in two needs one more slot; without it the tail is kept,
 * which errs on the side of not unlocking). */
static void held_remove(range r) {
  for (size_t i = 0; i < held_count;) {
    range h = held[i];
    if (h.hi <= r.lo || h.lo >= r.hi) {
      i++;
      continue;
    }
    if (h.lo < r.lo && h.hi > r.hi) { /* r inside h: split */
      held[i].hi = r.lo;
      if (held_add((range){r.hi, h.hi}) != LAL_OK)
        held[i].hi = h.hi;
      return;
    }
    if (h.lo < r.lo)
      held[i++].hi = r.lo;
    else if (h.hi > r.hi)
      held[i++].lo = r.hi;
    else
      held[i] = held[--held_count];
  }
}

/* Enables SeIncreaseWorkingSetPrivilege: LAL_OK, or the status of a token
 * that does not hold it (then only lowering the minimum is possible). */
static int enable_working_set_privilege(void) {
  return lali_win_enable_privilege(L"SeIncreaseWorkingSetPrivilege");
}

/* Under ws_lock. Raises the minimum by `extra` (the maximum only when the
 * minimum would pass it, as SetProcessWorkingSetSizeEx requires min <= max). */
static int grow_working_set(SIZE_T extra) {
  SIZE_T lo, hi;
  DWORD flags;
  enable_working_set_privilege(); /* refused below if it was needed */
  if (!GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo, &hi, &flags))
    return lali_fail_os();
  if (!SetProcessWorkingSetSizeEx(GetCurrentProcess(), lo + extra,
                                  hi < lo + extra ? lo + extra : hi, flags))
    return lali_fail_os();
  ws_grown += extra;
  return LAL_OK;
}

/* Under ws_lock. Gives back up to `bytes` of what grow_working_set added. */
static void shrink_working_set(SIZE_T bytes) {
  SIZE_T lo, hi;
  DWORD flags;
  SIZE_T give = ws_grown < bytes ? ws_grown : bytes;
  if (give && GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo, &hi, &flags) && lo > give &&
      SetProcessWorkingSetSizeEx(GetCurrentProcess(), lo - give, hi, flags))
    ws_grown -= give;
}

int lali_os_mem_lock(void *p, size_t size) {
  range r = page_range(p, size);
  lock_state();
  /* Room in the list first: a lock lal could not keep track of is not made. */
  int rc = held_reserve();
  if (rc != LAL_OK)
    goto out;
  if (VirtualLock(p, size)) {
    held_add(r);
    goto out;
  }
  if (GetLastError() != ERROR_WORKING_SET_QUOTA) {
    rc = lali_fail_os();
    goto out;
  }
  /* The pages, plus headroom for the overhead the first time lal grows it. */
  SIZE_T extra = (SIZE_T)(r.hi - r.lo) + (ws_grown == 0 ? WS_HEADROOM : 0);
  rc = grow_working_set(extra);
  if (rc != LAL_OK)
    goto out;
  if (VirtualLock(p, size)) {
    held_add(r);
    goto out;
  }
  rc = lali_fail_os();
  shrink_working_set(extra); /* nothing locked: nothing to keep room for */
out:
  LeaveCriticalSection(&ws_lock);
  return rc;
}

int lali_os_mem_unlock(void *p, size_t size) {
  range r = page_range(p, size);
  lock_state();
  int rc = LAL_OK;
  if (!VirtualUnlock(p, size)) {
    rc = lali_fail_os();
  } else {
    held_remove(r);
    shrink_working_set((SIZE_T)(r.hi - r.lo));
  }
  LeaveCriticalSection(&ws_lock);
  return rc;
}

/* The committed, private, read-write regions: what a process's own data is. */
static int lockable(const MEMORY_BASIC_INFORMATION *m) {
  DWORD prot = m->Protect & 0xff;
  return m->State == MEM_COMMIT && m->Type == MEM_PRIVATE && !(m->Protect & PAGE_GUARD) &&
         (prot == PAGE_READWRITE || prot == PAGE_EXECUTE_READWRITE);
}

typedef int (*region_fn)(MEMORY_BASIC_INFORMATION *m, void *ctx);
static int each_region(region_fn fn, void *ctx) {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  char *a = si.lpMinimumApplicationAddress;
  MEMORY_BASIC_INFORMATION m;
  while (a < (char *)si.lpMaximumApplicationAddress && VirtualQuery(a, &m, sizeof m) == sizeof m) {
    if (lockable(&m)) {
      int rc = fn(&m, ctx);
      if (rc != LAL_OK)
        return rc;
    }
    a = (char *)m.BaseAddress + m.RegionSize;
  }
  return LAL_OK;
}

/* The pages to leave locked when lal unlocks what lal_mem_lock_all locked:
 * the held ranges, plus every page the OS reports locked before the call
 * (QueryWorkingSetEx's Locked bit; Wine does not report it, which the held
 * ranges cover for lal's own locks). */
typedef struct keep_list {
  range *r;
  size_t count, cap;
  int failed; /* out of memory: unlock nothing rather than too much */
} keep_list;

static void keep_add(keep_list *k, range r) {
  if (k->count && k->r[k->count - 1].hi == r.lo) {
    k->r[k->count - 1].hi = r.hi;
    return;
  }
  if (k->count == k->cap) {
    size_t cap = k->cap ? k->cap * 2 : 64;
    range *grown = realloc(k->r, cap * sizeof *grown);
    if (!grown) {
      k->failed = 1;
      return;
    }
    k->r = grown, k->cap = cap;
  }
  k->r[k->count++] = r;
}

static int add_locked_pages(MEMORY_BASIC_INFORMATION *m, void *ctx) {
  keep_list *k = ctx;
  query_ws_ex_fn query = (query_ws_ex_fn)lali_win_proc(L"kernel32.dll", "K32QueryWorkingSetEx");
  if (!query)
    return LAL_OK;
  enum { CHUNK = 512 };
  PSAPI_WORKING_SET_EX_INFORMATION ws[CHUNK];
  size_t page = lali_os_page_size(), pages = m->RegionSize / page;
  for (size_t first = 0; first < pages; first += CHUNK) {
    size_t n = pages - first < CHUNK ? pages - first : CHUNK;
    for (size_t i = 0; i < n; i++)
      ws[i].VirtualAddress = (char *)m->BaseAddress + (first + i) * page;
    if (!query(GetCurrentProcess(), ws, (DWORD)(n * sizeof ws[0])))
      return LAL_OK;
    for (size_t i = 0; i < n; i++)
      if (ws[i].VirtualAttributes.Valid && ws[i].VirtualAttributes.Locked) {
        uintptr_t a = (uintptr_t)ws[i].VirtualAddress;
        keep_add(k, (range){a, a + page});
      }
  }
  return LAL_OK;
}

/* Under ws_lock. */
static void keep_snapshot(keep_list *k) {
  memset(k, 0, sizeof *k);
  each_region(add_locked_pages, k);
  for (size_t i = 0; i < held_count; i++)
    keep_add(k, held[i]);
}

static int kept(const keep_list *k, uintptr_t page) {
  for (size_t i = 0; i < k->count; i++)
    if (page >= k->r[i].lo && page < k->r[i].hi)
      return 1;
  return 0;
}

/* Unlocks [lo, hi) but for the kept pages, run by run. */
static void unlock_except(lali_win_virtual_lock_fn virtual_unlock, const keep_list *k, uintptr_t lo,
                          uintptr_t hi) {
  if (k->failed)
    return;
  size_t page = lali_os_page_size();
  uintptr_t run = 0;
  for (uintptr_t a = lo; a <= hi; a += page) {
    int stop = a == hi || kept(k, a);
    if (stop && run) {
      virtual_unlock((void *)run, a - run); /* fails on pages not locked: fine */
      run = 0;
    } else if (!stop && !run) {
      run = a;
    }
  }
}

typedef struct lock_walk {
  const lali_win_lock_os *os;
  uint64_t locked;
  range *done; /* the regions this call locked, for an exact rollback */
  size_t count, cap;
} lock_walk;

static int lock_region(MEMORY_BASIC_INFORMATION *m, void *ctx) {
  lock_walk *w = ctx;
  if (w->count == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 64;
    range *grown = realloc(w->done, cap * sizeof *grown);
    if (!grown)
      return LAL_ENOMEM;
    w->done = grown, w->cap = cap;
  }
  if (!w->os->virtual_lock(m->BaseAddress, m->RegionSize))
    return lali_fail_os();
  uintptr_t a = (uintptr_t)m->BaseAddress;
  w->done[w->count++] = (range){a, a + m->RegionSize};
  w->locked += m->RegionSize;
  return LAL_OK;
}

static int unlock_region(MEMORY_BASIC_INFORMATION *m, void *ctx) {
  uintptr_t a = (uintptr_t)m->BaseAddress;
  unlock_except(VirtualUnlock, ctx, a, a + m->RegionSize);
  return LAL_OK;
}

static int add_size(MEMORY_BASIC_INFORMATION *m, void *ctx) {
  *(uint64_t *)ctx += m->RegionSize;
  return LAL_OK;
}

/* The working-set size before the first lal_mem_lock_all, for unlock_all. */
static SIZE_T saved_ws_min, saved_ws_max;
static DWORD saved_ws_flags;
static int ws_saved;

/* Under ws_lock: lock every lockable region; on failure undo exactly this
 * call's locks and working-set change. */
static int lock_current(const lali_win_lock_os *os, lal_lock_result *res, int keep_part) {
  SIZE_T lo, hi;
  DWORD wsflags;
  if (!GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo, &hi, &wsflags))
    return lali_fail_os();
  keep_list keep;
  keep_snapshot(&keep);
  uint64_t committed = 0;
  each_region(add_size, &committed);
  int rc = LAL_OK, resized = 0;
  SIZE_T want = (SIZE_T)committed + WS_HEADROOM;
  if (want > lo) {
    if (SetProcessWorkingSetSizeEx(GetCurrentProcess(), want, want > hi ? want + WS_HEADROOM : hi,
                                   wsflags))
      resized = 1;
    else
      rc = lali_fail_os();
  }
  lock_walk walk = {os, 0, NULL, 0, 0};
  if (rc == LAL_OK)
    rc = each_region(lock_region, &walk);
  if (rc == LAL_OK || keep_part) {
    res->locked_bytes = walk.locked;
    if (resized && !ws_saved) {
      saved_ws_min = lo, saved_ws_max = hi, saved_ws_flags = wsflags;
      ws_saved = 1;
    }
  } else {
    int os_error = lal_last_os_error();
    for (size_t i = 0; i < walk.count; i++)
      unlock_except(os->virtual_unlock, &keep, walk.done[i].lo, walk.done[i].hi);
    if (resized)
      SetProcessWorkingSetSizeEx(GetCurrentProcess(), lo, hi, wsflags);
    lali_fail_native(os_error); /* what the report names, not the rollback's */
    res->locked_bytes = 0;
  }
  free(walk.done);
  free(keep.r);
  if (GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo, &hi, &wsflags))
    res->limit_bytes = lo;
  return rc;
}

int lali_win_mem_lock_all_with(const lali_win_lock_os *os, unsigned flags, lal_lock_result *res) {
  SIZE_T lo, hi;
  DWORD wsflags;
  if (!GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo, &hi, &wsflags))
    return lali_fail_os();
  res->limit_bytes = lo; /* VirtualLock's limit is the minimum working set */
  /* What lets a process lock more than that: raising the minimum. */
  int priv = enable_working_set_privilege();
  res->privileged = priv == LAL_OK;
  unsigned unsupported = flags & (LAL_MEM_LOCK_FUTURE | LAL_MEM_LOCK_ONFAULT);
  int fallback = (flags & LAL_MEM_LOCK_FALLBACK) != 0;
  if (unsupported && !fallback) {
    lali_copy_string(res->reason, sizeof res->reason,
                     "FUTURE/ONFAULT: Windows has no mlockall; lock allocations as they are made");
    res->denied = LAL_ENOTSUP;
    return LAL_ENOTSUP;
  }
  int rc = LAL_OK;
  if (flags & LAL_MEM_LOCK_CURRENT) {
    lock_state();
    rc = lock_current(os, res, fallback);
    LeaveCriticalSection(&ws_lock);
  }
  char text[192];
  const char *privilege = res->privileged ? "" : "; SeIncreaseWorkingSetPrivilege not held";
  if (rc == LAL_OK) {
    res->applied = flags & LAL_MEM_LOCK_CURRENT;
    res->degraded = unsupported != 0;
    snprintf(text, sizeof text, "working set sized and %llu bytes locked%s%s",
             (unsigned long long)res->locked_bytes,
             unsupported ? "; FUTURE/ONFAULT not available on Windows" : "", privilege);
  } else {
    res->denied = rc;
    res->degraded = 1;
    snprintf(text, sizeof text, "VirtualLock: %s (error %d)%s%s", lal_err_name(rc),
             lal_last_os_error(), fallback ? ", what was locked stays locked" : ", nothing changed",
             privilege);
  }
  lali_copy_string(res->reason, sizeof res->reason, text);
  return rc == LAL_OK || fallback ? LAL_OK : rc;
}

int lali_os_mem_lock_all(unsigned flags, lal_lock_result *res) {
  static const lali_win_lock_os os = {VirtualLock, VirtualUnlock};
  return lali_win_mem_lock_all_with(&os, flags, res);
}

int lali_os_mem_unlock_all(void) {
  lock_state();
  keep_list keep;
  memset(&keep, 0, sizeof keep);
  for (size_t i = 0; i < held_count; i++) /* what lal_mem_lock locked stays */
    keep_add(&keep, held[i]);
  each_region(unlock_region, &keep);
  free(keep.r);
  int rc = LAL_OK;
  if (ws_saved &&
      !SetProcessWorkingSetSizeEx(GetCurrentProcess(), saved_ws_min, saved_ws_max, saved_ws_flags))
    rc = lali_fail_os();
  else
    ws_saved = 0;
  LeaveCriticalSection(&ws_lock);
  return rc;
}
