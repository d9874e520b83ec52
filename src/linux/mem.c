/* SPDX-License-Identifier: MIT */
/*
 * Linux memory: mappings with a page-size fallback chain, locking, prefault,
 * and verification from /proc/self/smaps.
 *
 * Large pages come from two places (Documentation/admin-guide/mm/hugetlbpage.rst
 * and transhuge.rst): the hugetlb pool, reserved ahead (vm.nr_hugepages), which
 * MAP_HUGETLB either gets or fails on with ENOMEM, and transparent huge pages,
 * which the kernel may or may not give a 2 MiB-aligned MADV_HUGEPAGE range at
 * fault time. Only the first is a promise; lal verifies both afterwards.
 */
#include <errno.h>
#include <linux/mempolicy.h>
#include <linux/mman.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lal_atomic.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"

#define MIB2 ((size_t)2 << 20)
#define GIB1 ((size_t)1 << 30)
#define CAP_IPC_LOCK_BIT 14

size_t lali_os_page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

static void note(lal_mem_info *info, const char *text) {
  lali_append_note(info->reason, sizeof info->reason, text);
}

static void *map_anon(size_t len, int extra) {
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* A hugetlb mapping of page_size pages (MAP_HUGE_2MB / MAP_HUGE_1GB select
 * the pool, mmap(2)). */
static int map_hugetlb(size_t size, size_t page_size, lali_mem_region *r, lal_mem_info *info) {
  size_t len = round_up(size, page_size);
  int flag = page_size == GIB1 ? MAP_HUGE_1GB : MAP_HUGE_2MB;
  void *p = map_anon(len, MAP_HUGETLB | flag);
  if (!p) {
    int rc = lali_fail_os();
    /* EINVAL for a page size the kernel has no pool for (no
     * /sys/kernel/mm/hugepages/hugepages-<size>kB): not supported, rather
     * than a bad argument. */
    char pool[96], probe[16];
    snprintf(pool, sizeof pool, "/sys/kernel/mm/hugepages/hugepages-%zukB/nr_hugepages",
             page_size >> 10);
    if (rc == LAL_EINVAL && lali_linux_read_text(lali_linux_root(), pool, probe, sizeof probe) < 0)
      rc = LAL_ENOTSUP;
    char text[96];
    snprintf(text, sizeof text, "hugetlb %s: %s (errno %d)", page_size == GIB1 ? "1 GiB" : "2 MiB",
             lal_err_name(rc), lal_last_os_error());
    note(info, text);
    return rc;
  }
  *r = (lali_mem_region){p, len, page_size == GIB1 ? LAL_PAGE_HUGE : LAL_PAGE_LARGE,
                         LAL_MEM_METHOD_HUGETLB};
  return LAL_OK;
}

/* The THP mode ("always", "madvise", "never"); "" if unknown. */
static void thp_mode(char *mode, size_t size) {
  char text[128];
  mode[0] = '\0';
  if (lali_linux_read_text(lali_linux_root(), "/sys/kernel/mm/transparent_hugepage/enabled", text,
                           sizeof text) > 0)
    lali_linux_bracketed_choice(text, mode, size);
}

/* A 2 MiB-aligned anonymous range marked MADV_HUGEPAGE: over-map by 2 MiB,
 * then trim, since mmap only promises base-page alignment. */
static int map_thp(size_t size, lali_mem_region *r, lal_mem_info *info) {
  char mode[16];
  thp_mode(mode, sizeof mode);
  if (strcmp(mode, "never") == 0) {
    note(info, "THP: disabled (transparent_hugepage/enabled = never)");
    return LAL_ENOTSUP;
  }
  size_t len = round_up(size, MIB2);
  char *raw = map_anon(len + MIB2, 0);
  if (!raw)
    return lali_fail_os();
  char *p = (char *)round_up((size_t)raw, MIB2);
  if (p > raw)
    munmap(raw, (size_t)(p - raw));
  if (raw + len + MIB2 > p + len)
    munmap(p + len, (size_t)(raw + len + MIB2 - (p + len)));
  if (madvise(p, len, MADV_HUGEPAGE) != 0) {
    int rc = lali_fail_os();
    munmap(p, len);
    note(info, "THP: madvise(MADV_HUGEPAGE) refused");
    return rc;
  }
  *r = (lali_mem_region){p, len, LAL_PAGE_LARGE, LAL_MEM_METHOD_THP};
  return LAL_OK;
}

static int map_normal(size_t size, lali_mem_region *r) {
  size_t len = round_up(size, lali_os_page_size());
  void *p = map_anon(len, 0);
  if (!p)
    return lali_fail_os();
  *r = (lali_mem_region){p, len, LAL_PAGE_DEFAULT, LAL_MEM_METHOD_NORMAL};
  return LAL_OK;
}

/* NUMA through the system calls themselves (mbind(2), get_mempolicy(2)),
 * not libnuma: its wrappers are these calls, and liblal then needs no
 * library a player's machine may lack. */
static long sys_get_mempolicy(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
                              unsigned long flags) {
  return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

int lali_os_numa_node_check(int node) {
  /* ENOSYS: a kernel built without CONFIG_NUMA (libnuma's numa_available). */
  if (sys_get_mempolicy(NULL, NULL, 0, NULL, 0) != 0 && errno == ENOSYS)
    return LAL_ENOTSUP;
  lal_cpuset online;
  if (lali_linux_read_cpulist(lali_linux_root(), "/sys/devices/system/node/online", &online) !=
      LAL_OK)
    return LAL_ENOTSUP;
  return lal_cpuset_isset(&online, node) ? LAL_OK : LAL_EINVAL;
}

/* mbind(2) MPOL_BIND before the first touch: pages are placed when faulted. */
static int bind_node(const lali_mem_region *r, int node) {
  unsigned long mask[16] = {0};
  if (node >= (int)(8 * sizeof mask))
    return LAL_EINVAL;
  mask[node / (8 * sizeof mask[0])] |= 1ul << (node % (8 * sizeof mask[0]));
  if (syscall(SYS_mbind, r->p, r->mapped, MPOL_BIND, mask, 8 * sizeof mask, 0) != 0)
    return lali_fail_os();
  return LAL_OK;
}

int lali_os_mem_map(size_t size, const lal_mem_opts *opts, lali_mem_region *r, lal_mem_info *info) {
  int fallback = opts->flags & LAL_MEM_FALLBACK;
  int rc = LAL_ENOMEM;
  int kind = opts->page_kind;
  if (kind == LAL_PAGE_HUGE) {
    rc = map_hugetlb(size, GIB1, r, info);
    if (rc != LAL_OK && !fallback)
      return rc;
  }
  if (rc != LAL_OK && kind >= LAL_PAGE_LARGE) {
    rc = map_hugetlb(size, MIB2, r, info);
    if (rc != LAL_OK && !fallback)
      return rc;
    if (rc != LAL_OK)
      rc = map_thp(size, r, info);
  }
  if (rc != LAL_OK && (kind == LAL_PAGE_DEFAULT || fallback))
    rc = map_normal(size, r);
  if (rc != LAL_OK)
    return rc;
  info->degraded = r->kind < kind || r->method == LAL_MEM_METHOD_THP;
  if (opts->numa_node >= 0 && (rc = bind_node(r, opts->numa_node)) != LAL_OK) {
    munmap(r->p, r->mapped);
    return rc;
  }
  return LAL_OK;
}

int lali_os_mem_unmap(const lali_mem_region *r) {
  return munmap(r->p, r->mapped) == 0 ? LAL_OK : lali_fail_os();
}

int lali_os_mem_verify(const lali_mem_region *r, lal_mem_info *info) {
  int rc;
  FILE *f = lali_linux_fopen_rooted("/proc/self/smaps", &rc);
  if (!f)
    return rc;
  lali_smaps_sum s;
  uintptr_t start = (uintptr_t)r->p;
  lali_linux_smaps_sum(f, start, start + r->mapped, &s);
  fclose(f);
  size_t base = lali_os_page_size();
  info->huge_bytes = s.anon_huge + s.hugetlb;
  info->resident_bytes = s.rss + s.hugetlb;
  if (info->resident_bytes > r->mapped) /* a neighbouring mapping merged into ours */
    info->resident_bytes = r->mapped;
  if (info->huge_bytes > r->mapped)
    info->huge_bytes = r->mapped;
  info->locked = s.all_locked;
  /* hugetlb: the kernel page size of the mapping; THP: 2 MiB only when every
   * byte sits in huge pages, else the base page (huge_bytes tells how much). */
  if (s.kernel_page_size > base)
    info->page_bytes = s.kernel_page_size;
  else if (r->method == LAL_MEM_METHOD_THP && s.anon_huge >= r->mapped)
    info->page_bytes = MIB2;
  else
    info->page_bytes = base;
  info->page_kind = info->page_bytes >= GIB1  ? LAL_PAGE_HUGE
                    : info->page_bytes > base ? LAL_PAGE_LARGE
                                              : LAL_PAGE_DEFAULT;
  info->numa_node = -1;
  int node;
  /* MPOL_F_NODE | MPOL_F_ADDR: the node holding the page at addr. */
  if (info->resident_bytes > 0 &&
      sys_get_mempolicy(&node, NULL, 0, r->p, MPOL_F_NODE | MPOL_F_ADDR) == 0)
    info->numa_node = node;
  return LAL_OK;
}

int lali_os_mem_lock(void *p, size_t size) { return mlock(p, size) == 0 ? LAL_OK : lali_fail_os(); }

int lali_os_mem_unlock(void *p, size_t size) {
  return munlock(p, size) == 0 ? LAL_OK : lali_fail_os();
}

/* One read-modify-write of the same value per page, from user space. */
static void touch_pages(void *p, size_t size) {
  uintptr_t base = lali_os_page_size(), end = (uintptr_t)p + size;
  for (uintptr_t a = (uintptr_t)p / base * base; a < end; a += base) {
    volatile char *c = (volatile char *)(a < (uintptr_t)p ? (uintptr_t)p : a);
    *c = *c;
  }
}

/* 1 if this kernel knows MADV_POPULATE_WRITE (5.14). madvise(2) checks the
 * advice before the range, and an empty range is then a no-op: EINVAL from
 * this call means only "unknown advice". Probed once; a race repeats it. */
static int populate_write_known(void) {
  static volatile int known = -1;
  int k = lali_load_relaxed(&known);
  if (k < 0) {
    k = madvise((void *)lali_os_page_size(), 0, MADV_POPULATE_WRITE) == 0;
    lali_store_relaxed(&known, k);
  }
  return k;
}

int lali_os_mem_prefault(void *p, size_t size) {
  /* MADV_POPULATE_WRITE (5.14) faults every page in writable in one call,
   * about 14x cheaper per page than taking the faults one by one here. It
   * answers EINVAL for a range that is not writable (a read-only or
   * PROT_NONE mapping): lal then refuses, and never writes to memory the
   * kernel did not confirm writable. Before 5.14, /proc/self/maps says whether
   * the range is mapped read-write before the touch loop writes to it.
   * The touch after populate is not redundant under shadow-paging
   * hypervisors: the kernel populated the guest page tables through its own
   * mapping, and the first user access to each page still exits to the host
   * (measured on this project's PVM guest: 1 page in 8 took ~13 us after
   * populate alone, none after the touch). On bare metal it costs a cache
   * miss per page. */
  uintptr_t base = lali_os_page_size();
  uintptr_t lo = (uintptr_t)p / base * base;
  if (populate_write_known()) {
    if (madvise((void *)lo, (uintptr_t)p + size - lo, MADV_POPULATE_WRITE) != 0) {
      int rc = lali_fail_os();
      /* EFAULT: populating would have raised SIGBUS (past a file's end). */
      return errno == EFAULT ? LAL_EIO : rc;
    }
  } else {
    FILE *f = fopen("/proc/self/maps", "re"); /* live: a safety check (procfs.h) */
    if (!f)
      return lali_fail_os();
    int rc = lali_linux_maps_writable(f, lo, (uintptr_t)p + size);
    fclose(f);
    if (rc != LAL_OK)
      return rc;
  }
  touch_pages(p, size);
  return LAL_OK;
}

static uint64_t vm_locked_bytes(void) {
  char text[4096];
  if (lali_linux_read_text(lali_linux_root(), "/proc/self/status", text, sizeof text) <= 0)
    return 0;
  return lali_linux_meminfo_value(text, "VmLck");
}

static int try_lock_all(unsigned flags) {
  int mcl = (flags & LAL_MEM_LOCK_CURRENT ? MCL_CURRENT : 0) |
            (flags & LAL_MEM_LOCK_FUTURE ? MCL_FUTURE : 0) |
            (flags & LAL_MEM_LOCK_ONFAULT ? MCL_ONFAULT : 0);
  return mlockall(mcl) == 0 ? LAL_OK : lali_fail_os();
}

int lali_os_mem_lock_all(unsigned flags, lal_lock_result *res) {
  struct rlimit rl;
  res->limit_bytes = getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                         ? (uint64_t)rl.rlim_cur
                         : UINT64_MAX;
  char text[4096];
  if (lali_linux_read_text(lali_linux_root(), "/proc/self/status", text, sizeof text) > 0)
    res->privileged = (int)(lali_linux_status_cap_eff(text) >> CAP_IPC_LOCK_BIT & 1);
  unsigned want = flags & ~LAL_MEM_LOCK_FALLBACK;
  int rc = try_lock_all(want);
  char line[160];
  if (rc == LAL_OK) {
    res->applied = want;
    snprintf(line, sizeof line, "mlockall: ok");
  } else {
    res->denied = rc;
    snprintf(line, sizeof line, "mlockall: %s (RLIMIT_MEMLOCK %llu bytes, %s)", lal_err_name(rc),
             (unsigned long long)res->limit_bytes,
             res->privileged ? "CAP_IPC_LOCK held" : "no CAP_IPC_LOCK");
    if ((flags & LAL_MEM_LOCK_FALLBACK) && !(want & LAL_MEM_LOCK_ONFAULT)) {
      /* MCL_ONFAULT locks only pages already resident or touched later, so
       * what counts against the limit is the working set, not every mapping. */
      if (try_lock_all(want | LAL_MEM_LOCK_ONFAULT) == LAL_OK) {
        res->applied = want | LAL_MEM_LOCK_ONFAULT;
        strncat(line, "; with MCL_ONFAULT: ok", sizeof line - strlen(line) - 1);
      } else {
        strncat(line, "; with MCL_ONFAULT: refused too", sizeof line - strlen(line) - 1);
      }
    }
    res->degraded = 1;
  }
  lali_copy_string(res->reason, sizeof res->reason, line);
  res->locked_bytes = vm_locked_bytes();
  if (rc != LAL_OK && !(flags & LAL_MEM_LOCK_FALLBACK))
    return rc;
  if (rc != LAL_OK && !res->applied)
    strncat(res->reason, "; nothing locked", sizeof res->reason - strlen(res->reason) - 1);
  return LAL_OK;
}

int lali_os_mem_unlock_all(void) { return munlockall() == 0 ? LAL_OK : lali_fail_os(); }
