/* SPDX-License-Identifier: MIT */
/*
 * Memory: allocation with page kinds and fallbacks, verification, locking,
 * prefault, and every bad input. On Linux as root the tests reserve a few
 * 2 MiB hugetlb pages (vm.nr_hugepages, put back afterwards) to prove a LARGE
 * allocation is really backed by them, prove the THP fallback without them,
 * and prove that locked, prefaulted memory takes no page fault (getrusage).
 */
#include <string.h>

#include "lal_test.h"

#include "lal_test_child.h"
#ifdef __linux__
#  include <sys/resource.h>
#  include <sys/wait.h>
#  include <unistd.h>
#endif
#ifdef _WIN32
#  include <windows.h>

#  include "windows/mem_lock.h"
#endif

#define MIB ((size_t)1 << 20)

/* AddressSanitizer and ThreadSanitizer (sanitizer_common) intercept
 * mlock/munlock/mlockall/munlockall and make them no-ops that succeed
 * (locking their terabytes of shadow would be fatal). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#  define LAL_TEST_SANITIZER_MLOCK 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#    define LAL_TEST_SANITIZER_MLOCK 1
#  endif
#endif
#ifdef LAL_TEST_SANITIZER_MLOCK
#  define SKIP_IF_LOCKING_IS_FAKED()                                                               \
    LAL_SKIP("the sanitizer turns mlock/mlockall into no-ops; lal's verification sees "            \
             "nothing locked, as it should")
#else
#  define SKIP_IF_LOCKING_IS_FAKED() (void)0
#endif

static lal_mem_info alloc_ok(size_t size, int kind, unsigned flags, void **p) {
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.page_kind = kind;
  o.flags = flags;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int rc = lal_mem_alloc(size, &o, p, &info);
  if (rc != LAL_OK)
    fail_msg("lal_mem_alloc(%zu, kind %d, flags %#x): %s (%s)", size, kind, flags, lal_err_name(rc),
             info.reason);
  return info;
}

static void default_pages_are_zeroed_writable_and_verified(void **state) {
  (void)state;
  void *p = NULL;
  lal_mem_info info = alloc_ok(MIB + 1, LAL_PAGE_DEFAULT, LAL_MEM_PREFAULT, &p);
  assert_non_null(p);
  assert_int_equal(info.page_kind, LAL_PAGE_DEFAULT);
  assert_int_equal(info.method, LAL_MEM_METHOD_NORMAL);
  assert_false(info.degraded);
  assert_true(info.page_bytes == 4096);
  assert_true(info.mapped_bytes == MIB + 4096); /* rounded to the page */
  assert_true(info.resident_bytes == info.mapped_bytes);
  unsigned char *c = p;
  for (size_t i = 0; i < MIB + 1; i += 4096)
    assert_int_equal(c[i], 0);
  memset(p, 0xA5, MIB + 1);
  lal_mem_info again = LAL_MEM_INFO_INIT;
  assert_status(LAL_OK, lal_mem_query(p, &again));
  assert_true(again.resident_bytes == info.mapped_bytes);
  assert_status(LAL_EINVAL, lal_mem_free(p, MIB)); /* not the size it was allocated with */
  assert_status(LAL_OK, lal_mem_free(p, MIB + 1));
  assert_status(LAL_EINVAL, lal_mem_free(p, MIB + 1)); /* twice */
  assert_status(LAL_EINVAL, lal_mem_query(p, &again));
}

static int under_wine(void) {
  lal_caps caps = LAL_CAPS_INIT;
  return lal_query_caps(&caps) == LAL_OK && (caps.machine_features & LAL_CAP_UNDER_WINE);
}

static void lock_option_locks(void **state) {
  (void)state;
  SKIP_IF_LOCKING_IS_FAKED();
  void *p = NULL;
  lal_mem_info info = alloc_ok(MIB, LAL_PAGE_DEFAULT, LAL_MEM_LOCK | LAL_MEM_PREFAULT, &p);
  lal_mem_info unlocked = LAL_MEM_INFO_INIT, relocked = LAL_MEM_INFO_INIT;
  assert_status(LAL_OK, lal_mem_unlock(p, MIB));
  assert_status(LAL_OK, lal_mem_query(p, &unlocked));
  assert_status(LAL_OK, lal_mem_lock(p, MIB));
  assert_status(LAL_OK, lal_mem_query(p, &relocked));
  assert_status(LAL_OK, lal_mem_free(p, MIB));
  assert_true(info.resident_bytes == MIB);
  if (under_wine() && !info.locked)
    LAL_SKIP("Wine's QueryWorkingSetEx does not report the Locked bit (VirtualLock itself "
             "succeeded)");
  assert_true(info.locked);
  assert_false(unlocked.locked);
  assert_true(relocked.locked);
}

static void bad_input_changes_nothing(void **state) {
  (void)state;
  void *p = (void *)0x1;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  assert_status(LAL_EINVAL, lal_mem_alloc(0, &o, &p, &info));
  assert_status(LAL_EINVAL, lal_mem_alloc(MIB, &o, NULL, &info));
  o.size = 4;
  assert_status(LAL_EINVAL, lal_mem_alloc(MIB, &o, &p, &info));
  o.size = sizeof o;
  o.page_kind = 3;
  assert_status(LAL_EINVAL, lal_mem_alloc(MIB, &o, &p, &info));
  o.page_kind = LAL_PAGE_DEFAULT;
  o.flags = 1u << 30;
  assert_status(LAL_EINVAL, lal_mem_alloc(MIB, &o, &p, &info));
  o.flags = 0;
  o.numa_node = -2;
  assert_status(LAL_EINVAL, lal_mem_alloc(MIB, &o, &p, &info));
  o.numa_node = 4000; /* no machine has it; a kernel without NUMA: not supported */
  int rc = lal_mem_alloc(MIB, &o, &p, &info);
  assert_true(rc == LAL_EINVAL || rc == LAL_ENOTSUP);
  o.numa_node = -1;
  assert_status(LAL_ERANGE, lal_mem_alloc(SIZE_MAX, &o, &p, &info));
  assert_status(LAL_ERANGE, lal_mem_alloc(SIZE_MAX - 4095, &o, &p, &info));
  info.size = 3;
  assert_status(LAL_EINVAL, lal_mem_alloc(MIB, &o, &p, &info));
  assert_true(p == (void *)0x1); /* untouched */
  /* Far more than the address space can hold: the OS refuses, nothing mapped. */
  info.size = sizeof info;
  int huge = lal_mem_alloc((size_t)1 << 60, &o, &p, &info);
  if (lal_test_under_valgrind() && huge == LAL_EINVAL)
    huge = LAL_ENOMEM; /* valgrind's address-space manager answers EINVAL, the kernel ENOMEM */
  assert_status(LAL_ENOMEM, huge);
  assert_true(p == (void *)0x1);

  char stack_buf[64];
  assert_status(LAL_EINVAL, lal_mem_free(NULL, 1));
  assert_status(LAL_EINVAL, lal_mem_free(stack_buf, sizeof stack_buf)); /* not lal's */
  assert_status(LAL_EINVAL, lal_mem_query(stack_buf, &info));
  assert_status(LAL_EINVAL, lal_mem_query(NULL, &info));
  assert_status(LAL_EINVAL, lal_mem_lock(NULL, 4096));
  assert_status(LAL_EINVAL, lal_mem_lock(stack_buf, 0));
  assert_status(LAL_ERANGE, lal_mem_lock((void *)(UINTPTR_MAX - 10), 100)); /* wraps */
  /* Ends that reach the last page: rounding up to a page would wrap to an
   * empty range, which the OS would "lock" or "prefault" without error. */
  assert_status(LAL_ERANGE, lal_mem_lock((void *)1, SIZE_MAX));
  assert_status(LAL_ERANGE, lal_mem_unlock((void *)1, SIZE_MAX));
  assert_status(LAL_ERANGE, lal_mem_prefault((void *)1, SIZE_MAX));
  assert_status(LAL_ERANGE, lal_mem_prefault((void *)(UINTPTR_MAX - 4096), 100));
  assert_status(LAL_EINVAL, lal_mem_unlock(NULL, 4096));
  assert_status(LAL_EINVAL, lal_mem_prefault(NULL, 4096));
  assert_status(LAL_EINVAL, lal_mem_prefault(stack_buf, 0));
  assert_status(LAL_OK, lal_mem_prefault(stack_buf, sizeof stack_buf)); /* contents kept */

  lal_lock_result res = LAL_LOCK_RESULT_INIT;
  assert_status(LAL_EINVAL, lal_mem_lock_all(0, &res));
  assert_status(LAL_EINVAL,
                lal_mem_lock_all(LAL_MEM_LOCK_ONFAULT, &res)); /* needs CURRENT/FUTURE */
  assert_status(LAL_EINVAL, lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | (1u << 9), &res));
  res.size = 2;
  assert_status(LAL_EINVAL, lal_mem_lock_all(LAL_MEM_LOCK_CURRENT, &res));
}

static int linux_has_1g_pages_reserved(void) {
#ifdef __linux__
  FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "r");
  long n = 0;
  if (f) {
    if (fscanf(f, "%ld", &n) != 1)
      n = 0;
    fclose(f);
  }
  return n > 0;
#else
  return 0;
#endif
}

/* 1 GiB pages with none reserved: a clear status, nothing left mapped; with
 * FALLBACK, smaller pages and a reason. */
/* Lines of /proc/self/maps: one per mapping (-1 elsewhere). */
static int mapping_count(void) {
#ifdef __linux__
  FILE *f = fopen("/proc/self/maps", "r");
  int n = 0, c;
  if (!f)
    return -1;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
#else
  return -1;
#endif
}

#ifdef _WIN32
#  include <windows.h>
static void *map_protected(size_t size, int writable_none_read) {
  DWORD prot = writable_none_read == 0 ? PAGE_NOACCESS : PAGE_READONLY;
  return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, prot);
}
static void unmap_protected(void *p, size_t size) {
  (void)size;
  VirtualFree(p, 0, MEM_RELEASE);
}
#else
#  include <sys/mman.h>
/* 0: PROT_NONE, 1: PROT_READ. */
static void *map_protected(size_t size, int readable) {
  void *p = mmap(NULL, size, readable ? PROT_READ : PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}
static void unmap_protected(void *p, size_t size) { munmap(p, size); }
#endif

/* lal writes only to memory the OS confirmed writable: read-only and
 * inaccessible memory is LAL_EINVAL, never a crash (each call below took
 * SIGSEGV when lal read the kernel's EINVAL as "too old a kernel"). */
static void prefault_refuses_memory_that_is_not_writable(void **state) {
  (void)state;
  static const char literal[] = "read-only data in the executable image";
  assert_status(LAL_EINVAL, lal_mem_prefault((void *)literal, sizeof literal));
  for (int readable = 0; readable <= 1; readable++) {
    char *p = map_protected(4 * 4096, readable);
    assert_non_null(p);
    assert_status(LAL_EINVAL, lal_mem_prefault(p, 4 * 4096));
    assert_status(LAL_EINVAL, lal_mem_prefault(p + 4096 + 17, 100)); /* inside, unaligned */
    unmap_protected(p, 4 * 4096);
  }
  /* A writable allocation followed by a read-only page: refused as a whole. */
  void *w;
  alloc_ok(4096, LAL_PAGE_DEFAULT, 0, &w);
  assert_status(LAL_OK, lal_mem_prefault(w, 4096));
  assert_status(LAL_OK, lal_mem_free(w, 4096));
}

static void huge_pages_unavailable(void **state) {
  (void)state;
  if (linux_has_1g_pages_reserved())
    LAL_SKIP("this machine has 1 GiB pages reserved: the refusal cannot be provoked");
  int maps_before = mapping_count();
  void *p = (void *)0x1;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.page_kind = LAL_PAGE_HUGE;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int rc = lal_mem_alloc(64 * MIB, &o, &p, &info);
#ifdef __linux__
  /* No pool of that size in this kernel: not supported; a pool, empty: no memory. */
  FILE *pool = fopen("/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "r");
  assert_status(pool ? LAL_ENOMEM : LAL_ENOTSUP, rc);
  if (pool)
    fclose(pool);
#else
  assert_status(LAL_ENOTSUP, rc);
#endif
  assert_true(p == (void *)0x1);
  assert_true(strlen(info.reason) > 0);
  assert_int_equal(mapping_count(), maps_before); /* nothing left mapped */
  o.flags = LAL_MEM_FALLBACK | LAL_MEM_PREFAULT;
  assert_status(LAL_OK, lal_mem_alloc(4 * MIB, &o, &p, &info));
  assert_true(info.degraded);
  assert_true(info.page_kind < LAL_PAGE_HUGE);
  assert_status(LAL_OK, lal_mem_free(p, 4 * MIB));
}

#ifdef __linux__
static long read_long(const char *path) {
  FILE *f = fopen(path, "r");
  long v = -1;
  if (f) {
    if (fscanf(f, "%ld", &v) != 1)
      v = -1;
    fclose(f);
  }
  return v;
}

static int write_long(const char *path, long v) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  int ok = fprintf(f, "%ld\n", v) > 0;
  return fclose(f) == 0 && ok ? 0 : -1;
}

#  define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"
#  define FREE_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
#endif

static void large_pages_are_really_large(void **state) {
  (void)state;
#ifdef __linux__
  if (getuid() != 0)
    LAL_SKIP("reserving hugetlb pages (vm.nr_hugepages) needs root");
  long saved = read_long(NR_HUGEPAGES);
  assert_true(saved >= 0);
  if (write_long(NR_HUGEPAGES, saved + 4) != 0 || read_long(FREE_2M) < 4) {
    write_long(NR_HUGEPAGES, saved);
    LAL_SKIP("the kernel could not reserve 4 free 2 MiB pages (memory fragmented?)");
  }
  void *p = NULL;
  lal_mem_info info = alloc_ok(3 * MIB, LAL_PAGE_LARGE, LAL_MEM_PREFAULT, &p);
  long free_during = read_long(FREE_2M);
  assert_status(LAL_OK, lal_mem_free(p, 3 * MIB));
  long free_after = read_long(FREE_2M);
  write_long(NR_HUGEPAGES, saved);
  assert_int_equal(info.method, LAL_MEM_METHOD_HUGETLB);
  assert_int_equal(info.page_kind, LAL_PAGE_LARGE);
  assert_true(info.page_bytes == 2 * MIB);   /* smaps KernelPageSize */
  assert_true(info.mapped_bytes == 4 * MIB); /* two 2 MiB pages */
  assert_true(info.huge_bytes == 4 * MIB);   /* smaps Private_Hugetlb */
  assert_false(info.degraded);
  assert_int_equal(free_after - free_during, 2); /* the pool got its two pages back */
#else
  void *p = NULL;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.page_kind = LAL_PAGE_LARGE;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int rc = lal_mem_alloc(4 * MIB, &o, &p, &info);
  if (rc == LAL_OK) {
    assert_int_equal(info.method, LAL_MEM_METHOD_LARGE);
    assert_true(info.page_bytes >= 2 * MIB);
    assert_status(LAL_OK, lal_mem_free(p, 4 * MIB));
    return;
  }
  /* Without SeLockMemoryPrivilege (always so under Wine): EPERM, a reason,
   * and with FALLBACK base pages that say they are degraded. */
  assert_status(LAL_EPERM, rc);
  assert_non_null(strstr(info.reason, "SeLockMemoryPrivilege"));
  o.flags = LAL_MEM_FALLBACK;
  assert_status(LAL_OK, lal_mem_alloc(4 * MIB, &o, &p, &info));
  assert_true(info.degraded);
  assert_int_equal(info.method, LAL_MEM_METHOD_NORMAL);
  assert_status(LAL_OK, lal_mem_free(p, 4 * MIB));
#endif
}

#ifdef __linux__
static void thp_fallback_without_reserved_pages(void **state) {
  (void)state;
  if (getuid() != 0)
    LAL_SKIP("emptying the hugetlb pool (vm.nr_hugepages) needs root");
  char mode[64] = "";
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (f) {
    if (!fgets(mode, sizeof mode, f))
      mode[0] = '\0';
    fclose(f);
  }
  if (strstr(mode, "[never]") || mode[0] == '\0')
    LAL_SKIP("transparent huge pages are disabled here (%s)", mode);
  long saved = read_long(NR_HUGEPAGES);
  write_long(NR_HUGEPAGES, 0);
  void *p = NULL;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.page_kind = LAL_PAGE_LARGE;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int strict = lal_mem_alloc(8 * MIB, &o, &p, &info); /* no pool, no fallback */
  o.flags = LAL_MEM_FALLBACK | LAL_MEM_PREFAULT;
  int rc = lal_mem_alloc(8 * MIB, &o, &p, &info);
  write_long(NR_HUGEPAGES, saved);
  assert_status(LAL_ENOMEM, strict);
  assert_status(LAL_OK, rc);
  assert_int_equal(info.method, LAL_MEM_METHOD_THP);
  assert_true(info.degraded); /* THP is a hint, not a reservation */
  assert_non_null(strstr(info.reason, "hugetlb 2 MiB: LAL_ENOMEM"));
  assert_true((uintptr_t)p % (2 * MIB) == 0);
  /* The kernel backs the aligned, prefaulted range with huge pages when it
   * has free 2 MiB blocks; smaps AnonHugePages says how much it did. */
  if (info.huge_bytes == 0) {
    lal_mem_free(p, 8 * MIB);
    LAL_SKIP("the kernel gave no huge page to the THP range (no free 2 MiB block?)");
  }
  assert_true(info.huge_bytes % (2 * MIB) == 0);
  if (info.huge_bytes == 8 * MIB)
    assert_true(info.page_bytes == 2 * MIB);
  assert_status(LAL_OK, lal_mem_free(p, 8 * MIB));
}
#endif

#ifdef __linux__
static long minor_faults(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt + ru.ru_majflt;
}

/* In a child (mlockall is process-wide): lock everything, map and prefault a
 * buffer, then touching every page takes no fault at all. */
static int locked_touch_faults(long *faults) {
  lal_lock_result res = LAL_LOCK_RESULT_INIT;
  if (lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE, &res) != LAL_OK)
    return 1;
  void *p;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.flags = LAL_MEM_PREFAULT;
  if (lal_mem_alloc(16 * MIB, &o, &p, NULL) != LAL_OK)
    return 2;
  long before = minor_faults();
  for (size_t i = 0; i < 16 * MIB; i += 4096)
    ((volatile char *)p)[i] = 1;
  *faults = minor_faults() - before;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  lal_mem_query(p, &info);
  return info.locked && res.applied == (LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE) ? 0 : 3;
}
#endif

static void lock_all_leaves_no_faults(void **state) {
  (void)state;
  SKIP_IF_LOCKING_IS_FAKED();
#ifdef __linux__
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    long faults = -1;
    int rc = locked_touch_faults(&faults);
    if (write(fds[1], &faults, sizeof faults) != sizeof faults)
      rc = 9;
    _exit(rc);
  }
  long faults = -1;
  assert_int_equal(read(fds[0], &faults, sizeof faults), sizeof faults);
  int status;
  waitpid(pid, &status, 0);
  close(fds[0]);
  close(fds[1]);
  struct rlimit rl;
  getrlimit(RLIMIT_MEMLOCK, &rl);
  if (WEXITSTATUS(status) == 1 && getuid() != 0)
    LAL_SKIP("mlockall of this process exceeds RLIMIT_MEMLOCK (%llu) without CAP_IPC_LOCK",
             (unsigned long long)rl.rlim_cur);
  assert_int_equal(WEXITSTATUS(status), 0);
  assert_int_equal(faults, 0);
#else
  lal_lock_result res = LAL_LOCK_RESULT_INIT;
  assert_status(LAL_ENOTSUP, lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE, &res));
  assert_int_equal(res.applied, 0);
  assert_status(LAL_OK, lal_mem_lock_all(LAL_MEM_LOCK_CURRENT, &res));
  assert_int_equal(res.applied, LAL_MEM_LOCK_CURRENT);
  assert_true(res.locked_bytes > 0);
  assert_status(LAL_OK, lal_mem_unlock_all());
#endif
}

/* In a child whose locks are refused: LAL_MEM_LOCK | LAL_MEM_FALLBACK gives
 * the memory unlocked but resident, degraded, with the reason. */
static int refused_lock_degrades(char *msg, size_t size) {
  void *p = NULL;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.flags = LAL_MEM_LOCK | LAL_MEM_FALLBACK;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int rc = lal_mem_alloc(64 * MIB, &o, &p, &info);
  if (rc != LAL_OK || !info.degraded || info.locked || !strstr(info.reason, "lock refused") ||
      info.resident_bytes < info.mapped_bytes) {
    snprintf(msg, size, "LOCK | FALLBACK refused: %s degraded %d locked %d resident %llu/%llu: %s",
             lal_err_name(rc), info.degraded, info.locked, (unsigned long long)info.resident_bytes,
             (unsigned long long)info.mapped_bytes, info.reason);
    return 0;
  }
  memset(p, 1, 64 * MIB); /* and it is memory */
  return lal_mem_free(p, 64 * MIB) == LAL_OK;
}

#ifdef __linux__
/* As nobody with RLIMIT_MEMLOCK 64 KiB: strict fails, fallback reports. */
static int unprivileged_lock_all(void *ctx, char *msg, size_t size) {
  (void)ctx;
  struct rlimit rl = {64 * 1024, 64 * 1024};
  if (setrlimit(RLIMIT_MEMLOCK, &rl) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
    snprintf(msg, size, "could not drop privilege");
    return 0;
  }
  lal_lock_result res = LAL_LOCK_RESULT_INIT;
  int rc = lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE, &res);
  if (rc != LAL_ENOMEM || res.applied != 0 || res.limit_bytes != 64 * 1024 || res.privileged) {
    snprintf(msg, size, "strict: %s applied %u limit %llu: %s", lal_err_name(rc), res.applied,
             (unsigned long long)res.limit_bytes, res.reason);
    return 0;
  }
  void *p;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.flags = LAL_MEM_LOCK;
  if ((rc = lal_mem_alloc(16 * MIB, &o, &p, NULL)) != LAL_ENOMEM) {
    snprintf(msg, size, "LAL_MEM_LOCK of 16 MiB over the limit: %s", lal_err_name(rc));
    return 0;
  }
  if (!refused_lock_degrades(msg, size))
    return 0;
  memset(&res, 0, sizeof res);
  res.size = sizeof res;
  rc = lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FALLBACK, &res);
  if (rc != LAL_OK || !res.degraded || !strstr(res.reason, "no CAP_IPC_LOCK")) {
    snprintf(msg, size, "fallback: %s degraded %d: %s", lal_err_name(rc), res.degraded, res.reason);
    return 0;
  }
  return 1;
}
#endif

#ifdef _WIN32
/* A child without SeIncreaseWorkingSetPrivilege or SeLockMemoryPrivilege, in
 * its default (small) working set: locking everything needs the working set
 * raised to hold it, which it may not do. Strict fails and changes nothing;
 * FALLBACK reports what was denied. */
static int unprivileged_lock_all(void *ctx, char *msg, size_t size) {
  (void)ctx;
  lal_lock_result res = LAL_LOCK_RESULT_INIT;
  int rc = lal_mem_lock_all(LAL_MEM_LOCK_CURRENT, &res);
  if (rc == LAL_OK && under_wine()) {
    lal_mem_unlock_all();
    snprintf(msg, size,
             "Wine sizes the working set without SeIncreaseWorkingSetPrivilege and maps "
             "VirtualLock onto mlock as the Wine user (%s): no quota to run into",
             res.reason);
    return LAL_TEST_CHILD_SKIP;
  }
  if (rc == LAL_OK || res.applied != 0 || res.privileged || res.locked_bytes != 0) {
    snprintf(msg, size, "strict: %s applied %u privileged %d locked %llu: %s", lal_err_name(rc),
             res.applied, res.privileged, (unsigned long long)res.locked_bytes, res.reason);
    return 0;
  }
  lal_lock_result fb = LAL_LOCK_RESULT_INIT;
  rc = lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FALLBACK, &fb);
  if (rc != LAL_OK || !fb.degraded || fb.denied == 0 || fb.reason[0] == '\0') {
    snprintf(msg, size, "fallback: %s degraded %d denied %s: %s", lal_err_name(rc), fb.degraded,
             lal_err_name(fb.denied), fb.reason);
    return 0;
  }
  lal_mem_unlock_all();
  return refused_lock_degrades(msg, size);
}
#endif

#ifdef _WIN32
/* A replay of VirtualLock / VirtualUnlock: the pages it holds locked (Wine
 * locks nothing and reports no Locked bit, so the real calls cannot show
 * what a refused lal_mem_lock_all undoes). It refuses from the third lock on,
 * as a working set the OS will not grow further does. */
#  define FAKE_PAGES 65536
static uintptr_t fake_locked[FAKE_PAGES];
static size_t fake_count;
static int lock_calls, unlock_calls;

static int fake_find(uintptr_t page) {
  for (size_t i = 0; i < fake_count; i++)
    if (fake_locked[i] == page)
      return (int)i;
  return -1;
}
static void fake_mark(void *p, SIZE_T n, int lock) {
  for (uintptr_t a = (uintptr_t)p / 4096 * 4096; a < (uintptr_t)p + n; a += 4096) {
    int at = fake_find(a);
    if (lock && at < 0 && fake_count < FAKE_PAGES)
      fake_locked[fake_count++] = a;
    else if (!lock && at >= 0)
      fake_locked[at] = fake_locked[--fake_count];
  }
}
static BOOL WINAPI fake_lock(LPVOID p, SIZE_T n) {
  if (++lock_calls > 2) {
    SetLastError(ERROR_WORKING_SET_QUOTA);
    return FALSE;
  }
  fake_mark(p, n, 1);
  return TRUE;
}
static BOOL WINAPI fake_unlock(LPVOID p, SIZE_T n) {
  unlock_calls++;
  fake_mark(p, n, 0);
  return TRUE;
}
static size_t fake_locked_in(void *p, size_t n) {
  size_t pages = 0;
  for (uintptr_t a = (uintptr_t)p; a < (uintptr_t)p + n; a += 4096)
    pages += fake_find(a) >= 0;
  return pages;
}

/* A refused lal_mem_lock_all changes nothing: VirtualLock does not count, so
 * unlocking everything it walked over would also unlock a buffer
 * lal_mem_lock locked before; what it locked itself is unlocked, and the
 * working-set size goes back. */
static void refused_lock_all_changes_nothing(void **state) {
  (void)state;
  void *buf = NULL;
  alloc_ok(MIB, LAL_PAGE_DEFAULT, LAL_MEM_PREFAULT, &buf);
  assert_status(LAL_OK, lal_mem_lock(buf, MIB)); /* the real call: lal records it */
  fake_count = 0;
  fake_mark(buf, MIB, 1); /* and the replay holds it locked, as Windows would */
  SIZE_T lo0, hi0, lo1, hi1;
  DWORD f0, f1;
  assert_true(GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo0, &hi0, &f0));

  lock_calls = unlock_calls = 0;
  static const lali_win_lock_os os = {fake_lock, fake_unlock};
  lal_lock_result res = LAL_LOCK_RESULT_INIT;
  assert_status(LAL_ENOMEM, lali_win_mem_lock_all_with(&os, LAL_MEM_LOCK_CURRENT, &res));
  assert_int_equal(res.denied, LAL_ENOMEM);
  assert_int_equal(res.applied, 0);
  assert_true(res.locked_bytes == 0);
  assert_non_null(strstr(res.reason, "nothing changed"));
  assert_int_equal(lock_calls, 3);                        /* two regions locked, then the refusal */
  assert_true(unlock_calls > 0);                          /* ...and those two unlocked again */
  assert_int_equal(fake_locked_in(buf, MIB), MIB / 4096); /* the earlier lock stands */
  assert_int_equal(fake_count, MIB / 4096);               /* and nothing else is locked */
  assert_true(GetProcessWorkingSetSizeEx(GetCurrentProcess(), &lo1, &hi1, &f1));
  assert_true(lo1 == lo0 && hi1 == hi0);

  /* FALLBACK keeps what was locked and says so. */
  lock_calls = 0;
  lal_lock_result part = LAL_LOCK_RESULT_INIT;
  assert_status(
      LAL_OK, lali_win_mem_lock_all_with(&os, LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FALLBACK, &part));
  assert_true(part.degraded && part.denied == LAL_ENOMEM && part.locked_bytes > 0);
  assert_non_null(strstr(part.reason, "what was locked stays locked"));
  assert_true(fake_count > MIB / 4096);

  /* What bounds VirtualLock is the working set; what lets it grow is
   * SeIncreaseWorkingSetPrivilege, reported as such. */
  lal_caps caps = LAL_CAPS_INIT;
  assert_status(LAL_OK, lal_query_caps(&caps));
  assert_int_equal(res.privileged, (caps.machine_features & LAL_CAP_MEMLOCK_ANY) != 0);
  if (!res.privileged)
    assert_non_null(strstr(res.reason, "SeIncreaseWorkingSetPrivilege not held"));
  assert_status(LAL_OK, lal_mem_unlock_all());
  assert_status(LAL_OK, lal_mem_unlock(buf, MIB));
  assert_status(LAL_OK, lal_mem_free(buf, MIB));
}
#endif

static void lock_all_without_privilege(void **state) {
  (void)state;
  SKIP_IF_LOCKING_IS_FAKED();
#ifdef __linux__
  if (getuid() != 0)
    LAL_SKIP("dropping privilege in a child needs root to start from");
  lal_test_in_child(unprivileged_lock_all, NULL);
#else
  lal_test_in_restricted_child("lock_all");
#endif
}

static void numa_binding_is_verified(void **state) {
  (void)state;
  void *p = NULL;
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  o.numa_node = 0;
  o.flags = LAL_MEM_PREFAULT;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int rc = lal_mem_alloc(2 * MIB, &o, &p, &info);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this build or OS cannot bind memory to a node (a Linux kernel without CONFIG_NUMA)");
  assert_status(LAL_OK, rc);
  int node = info.numa_node;
  assert_status(LAL_OK, lal_mem_free(p, 2 * MIB));
  if (node < 0 && under_wine())
    LAL_SKIP("Wine's QueryWorkingSetEx reports no node");
  assert_int_equal(node, 0); /* read back: get_mempolicy / QueryWorkingSetEx Node */
}

int main(int argc, char **argv) {
  LAL_TEST_CHILDREN(argc, argv, {"lock_all", unprivileged_lock_all});
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(default_pages_are_zeroed_writable_and_verified),
      cmocka_unit_test(lock_option_locks),
      cmocka_unit_test(bad_input_changes_nothing),
      cmocka_unit_test(prefault_refuses_memory_that_is_not_writable),
      cmocka_unit_test(huge_pages_unavailable),
      cmocka_unit_test(numa_binding_is_verified),
      cmocka_unit_test(large_pages_are_really_large),
#ifdef __linux__ /* transparent huge pages are Linux's */
      cmocka_unit_test(thp_fallback_without_reserved_pages),
#endif
      cmocka_unit_test(lock_all_leaves_no_faults),
      cmocka_unit_test(lock_all_without_privilege),
#ifdef _WIN32
      cmocka_unit_test(refused_lock_all_changes_nothing),
#endif
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
