/* SPDX-License-Identifier: MIT */
/*
 * Windows memory: large pages, NUMA placement, working-set locking and
 * verification through QueryWorkingSetEx.
 *
 * Large pages ("Large-Page Support") need SeLockMemoryPrivilege held by the
 * account *and* enabled in the token; they are always locked, non-pageable,
 * committed in GetLargePageMinimum() units, and fail with
 * ERROR_NO_SYSTEM_RESOURCES when physical memory is too fragmented.
 * Locking (VirtualLock and the working set) is mem_lock.c.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include <psapi.h> /* needs windows.h first */

#include "compat.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "privilege.h"

typedef BOOL(WINAPI *query_ws_ex_fn)(HANDLE, PVOID, DWORD);
typedef LPVOID(WINAPI *virtual_alloc_ex_numa_fn)(HANDLE, LPVOID, SIZE_T, DWORD, DWORD, DWORD);

size_t lali_os_page_size(void) {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  return si.dwPageSize;
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

static void note(lal_mem_info *info, const char *text) {
  lali_append_note(info->reason, sizeof info->reason, text);
}

static int enable_lock_memory_privilege(void) {
  return lali_win_enable_privilege(L"SeLockMemoryPrivilege");
}

static void *alloc(size_t len, DWORD type, int node) {
  if (node < 0)
    return VirtualAlloc(NULL, len, type, PAGE_READWRITE);
  virtual_alloc_ex_numa_fn f =
      (virtual_alloc_ex_numa_fn)lali_win_proc(L"kernel32.dll", "VirtualAllocExNuma");
  return f ? f(GetCurrentProcess(), NULL, len, type, PAGE_READWRITE, (DWORD)node) : NULL;
}

int lali_os_numa_node_check(int node) {
  ULONG highest = 0;
  if (!GetNumaHighestNodeNumber(&highest))
    return lali_fail_os();
  return (ULONG)node <= highest ? LAL_OK : LAL_EINVAL;
}

static int map_large(size_t size, const lal_mem_opts *opts, lali_mem_region *r,
                     lal_mem_info *info) {
  size_t large = GetLargePageMinimum();
  char text[128];
  if (large == 0) {
    note(info, "large pages: none on this machine (GetLargePageMinimum 0)");
    return LAL_ENOTSUP;
  }
  int rc = enable_lock_memory_privilege();
  if (rc != LAL_OK) {
    snprintf(text, sizeof text, "MEM_LARGE_PAGES: SeLockMemoryPrivilege not held (%s)",
             lal_err_name(rc));
    note(info, text);
    return rc;
  }
  size_t len = round_up(size, large);
  void *p = alloc(len, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, opts->numa_node);
  if (!p) {
    rc = lali_fail_os();
    snprintf(text, sizeof text, "MEM_LARGE_PAGES: %s (error %d)", lal_err_name(rc),
             lal_last_os_error());
    note(info, text);
    return rc;
  }
  *r = (lali_mem_region){p, len, LAL_PAGE_LARGE, LAL_MEM_METHOD_LARGE};
  return LAL_OK;
}

int lali_os_mem_map(size_t size, const lal_mem_opts *opts, lali_mem_region *r, lal_mem_info *info) {
  int fallback = opts->flags & LAL_MEM_FALLBACK;
  /* VirtualAlloc says ERROR_INVALID_PARAMETER for a size beyond the user
   * address space; mmap says ENOMEM. Both mean "no memory" to the caller. */
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  if (size >
      (size_t)((char *)si.lpMaximumApplicationAddress - (char *)si.lpMinimumApplicationAddress))
    return LAL_ENOMEM;
  int rc = LAL_ENOMEM;
  if (opts->page_kind == LAL_PAGE_HUGE) {
    /* 1 GiB pages need VirtualAlloc2 with MEM_EXTENDED_PARAMETER_NONPAGED_HUGE
     * (Windows 10 1803+), which lal does not use yet. */
    note(info, "1 GiB pages: not supported by lal on Windows");
    if (!fallback)
      return LAL_ENOTSUP;
  }
  if (opts->page_kind >= LAL_PAGE_LARGE) {
    rc = map_large(size, opts, r, info);
    if (rc != LAL_OK && !fallback)
      return rc;
  }
  if (rc != LAL_OK) {
    size_t len = round_up(size, lali_os_page_size());
    void *p = alloc(len, MEM_RESERVE | MEM_COMMIT, opts->numa_node);
    if (!p)
      return lali_fail_os();
    *r = (lali_mem_region){p, len, LAL_PAGE_DEFAULT, LAL_MEM_METHOD_NORMAL};
  }
  info->degraded = r->kind < opts->page_kind;
  return LAL_OK;
}

int lali_os_mem_unmap(const lali_mem_region *r) {
  return VirtualFree(r->p, 0, MEM_RELEASE) ? LAL_OK : lali_fail_os();
}

int lali_os_mem_verify(const lali_mem_region *r, lal_mem_info *info) {
  query_ws_ex_fn query = (query_ws_ex_fn)lali_win_proc(L"kernel32.dll", "K32QueryWorkingSetEx");
  size_t page = lali_os_page_size();
  info->numa_node = -1;
  info->page_bytes = r->method == LAL_MEM_METHOD_LARGE ? GetLargePageMinimum() : page;
  if (!query)
    return LAL_ENOTSUP;
  enum { CHUNK = 512 };
  PSAPI_WORKING_SET_EX_INFORMATION ws[CHUNK];
  size_t pages = r->mapped / page, valid = 0, large = 0, locked = 0;
  for (size_t first = 0; first < pages; first += CHUNK) {
    size_t n = pages - first < CHUNK ? pages - first : CHUNK;
    for (size_t i = 0; i < n; i++)
      ws[i].VirtualAddress = (char *)r->p + (first + i) * page;
    if (!query(GetCurrentProcess(), ws, (DWORD)(n * sizeof ws[0])))
      return lali_fail_os();
    for (size_t i = 0; i < n; i++) {
      if (!ws[i].VirtualAttributes.Valid)
        continue;
      if (valid++ == 0)
        info->numa_node = (int)ws[i].VirtualAttributes.Node;
      large += ws[i].VirtualAttributes.LargePage;
      locked += ws[i].VirtualAttributes.Locked;
    }
  }
  info->resident_bytes = valid * page;
  info->huge_bytes = large * page;
  /* Large pages are locked by nature; base pages need VirtualLock. */
  info->locked = valid == pages && (locked == pages || large == pages);
  info->page_bytes = large == pages && pages > 0 ? GetLargePageMinimum() : page;
  info->page_kind = info->page_bytes > page ? LAL_PAGE_LARGE : LAL_PAGE_DEFAULT;
  return LAL_OK;
}

/* Page protections a write may go to (VirtualQuery's Protect, "Memory
 * Protection Constants"): read-write and copy-on-write, executable or not. A
 * guard page raises STATUS_GUARD_PAGE_VIOLATION on the first touch, so it
 * counts as not writable. */
static int writable(const MEMORY_BASIC_INFORMATION *m) {
  DWORD prot = m->Protect & 0xff;
  return m->State == MEM_COMMIT && !(m->Protect & (PAGE_GUARD | PAGE_NOACCESS)) &&
         (prot == PAGE_READWRITE || prot == PAGE_WRITECOPY || prot == PAGE_EXECUTE_READWRITE ||
          prot == PAGE_EXECUTE_WRITECOPY);
}

/* LAL_OK if every page of [p, p + size) is committed and writable; LAL_ENOMEM
 * for a free or reserved part, LAL_EINVAL for one that is not writable. */
static int check_writable(void *p, size_t size) {
  uintptr_t a = (uintptr_t)p, end = a + size;
  MEMORY_BASIC_INFORMATION m;
  while (a < end) {
    if (VirtualQuery((void *)a, &m, sizeof m) != sizeof m)
      return lali_fail_os();
    if (m.State != MEM_COMMIT)
      return LAL_ENOMEM;
    if (!writable(&m))
      return LAL_EINVAL;
    a = (uintptr_t)m.BaseAddress + m.RegionSize;
  }
  return LAL_OK;
}

int lali_os_mem_prefault(void *p, size_t size) {
  int rc = check_writable(p, size);
  if (rc != LAL_OK)
    return rc;
  size_t page = lali_os_page_size();
  uintptr_t end = (uintptr_t)p + size;
  for (uintptr_t a = (uintptr_t)p / page * page; a < end; a += page) {
    volatile char *c = (volatile char *)(a < (uintptr_t)p ? (uintptr_t)p : a);
    *c = *c;
  }
  return LAL_OK;
}
