/* SPDX-License-Identifier: MIT */
/* lal_thread: attributes applied before fn runs, what the result reports,
 * strict vs fallback failures, names, stack size and prefault. */
#include <string.h>

#include "lal_test.h"

#ifdef _WIN32
#  include <windows.h>

#  include <psapi.h>
#endif
#ifdef __linux__
#  include <sys/resource.h>
#endif

typedef struct probe {
  int ran;
  char name[64];
  int name_status;
  lal_cpuset affinity;
  int ret;
} probe;

static int observe(void *arg) {
  probe *p = arg;
  p->ran = 1;
  p->name_status = lal_thread_get_name(p->name, sizeof p->name);
  lal_thread_get_affinity(&p->affinity);
  return p->ret;
}

static void plain_thread_returns_its_value(void **state) {
  (void)state;
  probe p = {.ret = 42};
  lal_thread *t = NULL;
  assert_status(LAL_OK, lal_thread_create(&t, NULL, observe, &p));
  assert_non_null(t);
  lal_thread_result r = LAL_THREAD_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_get_result(t, &r));
  assert_status(LAL_OK, r.name_status);
  assert_true(r.stack_size > 0);
  int ret = 0;
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_int_equal(ret, 42);
  assert_int_equal(p.ran, 1);
}

static void attributes_apply_before_fn(void **state) {
  (void)state;
  lal_cpuset mine, one;
  assert_status(LAL_OK, lal_thread_get_affinity(&mine));
  lal_cpuset_zero(&one);
  lal_cpuset_set(&one, lal_cpuset_first(&mine));
  lal_priority_req prio = LAL_PRIORITY_REQ_INIT;
  prio.profile = LAL_PRIORITY_NORMAL;
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.name = "lal-worker";
  attr.affinity = &one;
  attr.priority = &prio;
  attr.stack_size = 1 << 20;
  attr.stack_prefault = 256 * 1024;
  probe p = {0};
  lal_thread *t;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, observe, &p));
  lal_thread_result r = LAL_THREAD_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_get_result(t, &r));
  assert_status(LAL_OK, lal_thread_join(t, NULL));
  assert_status(LAL_OK, r.affinity_status);
  assert_status(LAL_OK, r.priority_status);
  assert_status(LAL_OK, r.prefault_status);
  assert_true(lal_cpuset_equal(&r.affinity, &one));
  assert_true(lal_cpuset_equal(&p.affinity, &one));
  assert_true(r.stack_size >= (size_t)1 << 20 && r.stack_size < (size_t)4 << 20);
  if (r.name_status == LAL_ENOTSUP)
    LAL_SKIP("SetThreadDescription is missing (before Windows 10 1607)");
  assert_status(LAL_OK, r.name_status);
  assert_status(LAL_OK, p.name_status);
  assert_string_equal(p.name, "lal-worker");
}

static void strict_failure_never_runs_fn(void **state) {
  (void)state;
  lal_cpuset absent;
  lal_cpuset_zero(&absent);
  lal_cpuset_set(&absent, LAL_CPUSET_MAX - 1);
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.affinity = &absent;
  probe p = {0};
  lal_thread *t = NULL;
  assert_status(LAL_EINVAL, lal_thread_create(&t, &attr, observe, &p));
  assert_null(t);
  assert_int_equal(p.ran, 0);

  /* With FALLBACK the thread runs and the result says what failed. */
  attr.flags = LAL_THREAD_FALLBACK;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, observe, &p));
  lal_thread_result r = LAL_THREAD_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_get_result(t, &r));
  assert_status(LAL_OK, lal_thread_join(t, NULL));
  assert_int_equal(p.ran, 1);
  assert_status(LAL_EINVAL, r.affinity_status);
  assert_false(lal_cpuset_isset(&r.affinity, LAL_CPUSET_MAX - 1));

  /* A prefault larger than the stack: LAL_ERANGE before fn. */
  lal_thread_attr big = LAL_THREAD_ATTR_INIT;
  big.stack_size = 256 * 1024;
  big.stack_prefault = 1 << 20;
  p.ran = 0;
  assert_status(LAL_ERANGE, lal_thread_create(&t, &big, observe, &p));
  assert_int_equal(p.ran, 0);
}

static void bad_arguments(void **state) {
  (void)state;
  lal_thread *t = NULL;
  probe p = {0};
  assert_status(LAL_EINVAL, lal_thread_create(NULL, NULL, observe, &p));
  assert_status(LAL_EINVAL, lal_thread_create(&t, NULL, NULL, &p));
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.size = 4;
  assert_status(LAL_EINVAL, lal_thread_create(&t, &attr, observe, &p));
  attr.size = sizeof attr;
  attr.flags = 1u << 20;
  assert_status(LAL_EINVAL, lal_thread_create(&t, &attr, observe, &p));
  attr.flags = 0;
  attr.name = "";
  assert_status(LAL_EINVAL, lal_thread_create(&t, &attr, observe, &p));
  attr.name = NULL;
  lal_cpuset empty;
  lal_cpuset_zero(&empty);
  attr.affinity = &empty;
  assert_status(LAL_EINVAL, lal_thread_create(&t, &attr, observe, &p));
  attr.affinity = NULL;
  lal_priority_req prio = LAL_PRIORITY_REQ_INIT;
  prio.profile = 99;
  attr.priority = &prio;
  assert_status(LAL_EINVAL, lal_thread_create(&t, &attr, observe, &p));
  attr.priority = NULL;
#if defined(_WIN32) && SIZE_MAX > 0xffffffffu
  /* _beginthreadex takes an unsigned: a 4 GiB stack was silently 0 (the
   * default 1 MiB) before. */
  attr.stack_size = (size_t)0xffffffffu + 1;
  assert_status(LAL_ERANGE, lal_thread_create(&t, &attr, observe, &p));
  attr.stack_size = 0;
#endif
  assert_null(t);
  assert_int_equal(p.ran, 0); /* rejected before any thread existed */
  assert_status(LAL_EINVAL, lal_thread_join(NULL, NULL));
  lal_thread_result r = LAL_THREAD_RESULT_INIT;
  assert_status(LAL_EINVAL, lal_thread_get_result(NULL, &r));
}

/* Handed over with release/acquire: the handle must be complete when the
 * thread sees it (ThreadSanitizer checks the tests too). */
static lal_thread *volatile self_handle;
static int join_self(void *arg) {
  (void)arg;
  lal_thread *me;
  while (!(me = LAL_TEST_LOAD_ACQUIRE(&self_handle)))
    lal_sleep_ns(100000, 0);
  return lal_thread_join(me, NULL);
}

static void a_thread_cannot_join_itself(void **state) {
  (void)state;
  lal_thread *t;
  LAL_TEST_STORE_RELEASE(&self_handle, NULL);
  assert_status(LAL_OK, lal_thread_create(&t, NULL, join_self, NULL));
  LAL_TEST_STORE_RELEASE(&self_handle, t);
  int ret = 0;
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_status(LAL_EINVAL, ret);
}

static void names_are_utf8_and_cut_at_a_character(void **state) {
  (void)state;
  char before[64];
  int rc = lal_thread_get_name(before, sizeof before);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("thread names need Windows 10 1607+ (SetThreadDescription)");
  assert_status(LAL_OK, rc);
  assert_status(LAL_EINVAL, lal_thread_set_name(NULL));
  assert_status(LAL_EINVAL, lal_thread_set_name(""));
  assert_status(LAL_EINVAL, lal_thread_set_name("bad\xff"));
  assert_status(LAL_EINVAL, lal_thread_set_name("\xc0\x80"));     /* overlong NUL */
  assert_status(LAL_EINVAL, lal_thread_set_name("\xed\xa0\x80")); /* a surrogate */
  assert_status(LAL_EINVAL, lal_thread_set_name("cut\xe2\x82"));  /* truncated sequence */
  char now[64];
  assert_status(LAL_OK, lal_thread_get_name(now, sizeof now));
  assert_string_equal(now, before); /* unchanged by the rejections */

  /* 10 x "é" (2 bytes each): Linux keeps 15 bytes, so 7 whole characters. */
  const char *accented = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                         "\xc3\xa9";
  assert_status(LAL_OK, lal_thread_set_name(accented));
  assert_status(LAL_OK, lal_thread_get_name(now, sizeof now));
  size_t n = strlen(now);
  assert_true(n > 0 && n % 2 == 0 && strncmp(now, accented, n) == 0);
#ifdef __linux__
  assert_int_equal(n, 14);
#else
  assert_int_equal(n, 20);
#endif
  char tiny[4];
  assert_status(LAL_ERANGE, lal_thread_get_name(tiny, sizeof tiny));
  assert_status(LAL_EINVAL, lal_thread_get_name(NULL, 16));
  if (before[0]) /* Windows threads start unnamed: "" cannot be set back */
    assert_status(LAL_OK, lal_thread_set_name(before));
}

static void stack_prefault_bounds(void **state) {
  (void)state;
  assert_status(LAL_OK, lal_stack_prefault(0));
  assert_status(LAL_OK, lal_stack_prefault(64 * 1024));
  assert_status(LAL_ERANGE, lal_stack_prefault((size_t)1 << 40));
}

/* The largest prefault lal accepts, in a thread with a 1 MiB stack: every
 * byte up to the documented limit (room - 64 KiB) is touched without
 * overflowing. Under AddressSanitizer each frame of the old recursion was
 * ~16.4 KiB for 16 KiB of touches and this crashed. */
static int prefault_to_the_limit(void *arg) {
  size_t *largest = arg;
  size_t lo = 0, hi = (size_t)1 << 20; /* OK at lo, not above hi */
  while (hi - lo > 4096) {
    size_t mid = lo + (hi - lo) / 2;
    int rc = lal_stack_prefault(mid);
    if (rc == LAL_OK)
      lo = mid;
    else if (rc == LAL_ERANGE)
      hi = mid;
    else
      return rc;
  }
  /* Then every size from just under the limit up to it, page by page. */
  for (size_t b = lo > 16384 ? lo - 16384 : 0; b <= lo + 4096; b += 1024)
    if (lal_stack_prefault(b) == LAL_OK)
      *largest = b;
  return 0;
}

static void stack_prefault_up_to_the_limit_stays_inside(void **state) {
  (void)state;
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.stack_size = (size_t)1 << 20;
  size_t largest = 0;
  lal_thread *t;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, prefault_to_the_limit, &largest));
  int ret = -1;
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_int_equal(ret, 0);
  /* Most of the stack could be prefaulted: the limit is room - 64 KiB. */
  assert_true(largest > (size_t)600 << 10);
  assert_true(largest < (size_t)1 << 20);
}

#ifdef __linux__
/* Minor faults of this thread while using `bytes` of fresh stack. */
static volatile char sink;
static __attribute__((noinline)) void use_stack(size_t bytes) {
  volatile char block[16384];
  for (size_t i = 0; i < sizeof block; i += 1024)
    block[i] = 1;
  if (bytes > sizeof block)
    use_stack(bytes - sizeof block);
  sink = block[0];
}

static long minor_faults(void) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_minflt;
}

typedef struct fault_count {
  size_t prefault;
  long faults;
} fault_count;

static int count_faults(void *arg) {
  fault_count *f = arg;
  if (f->prefault && lal_stack_prefault(f->prefault) != LAL_OK)
    return -1;
  long before = minor_faults();
  use_stack(512 * 1024);
  f->faults = minor_faults() - before;
  return 0;
}
#endif

#ifdef _WIN32
/* Windows counts page faults per process only, so residency is read instead:
 * QueryWorkingSetEx's Valid bit says a page is in the working set (touched
 * and not trimmed), which a stack page never touched is not. */
typedef BOOL(WINAPI *query_ws_ex_fn)(HANDLE, PVOID, DWORD);

typedef struct stack_residency {
  size_t prefault;
  int pages, resident;
} stack_residency;

static int count_resident(void *arg) {
  stack_residency *r = arg;
  if (r->prefault && lal_stack_prefault(r->prefault) != LAL_OK)
    return -1;
  query_ws_ex_fn query = (query_ws_ex_fn)(void (*)(void))GetProcAddress(
      GetModuleHandleW(L"kernel32.dll"), "K32QueryWorkingSetEx");
  if (!query)
    return -2;
  /* From 64 KiB below this frame (room for the calls above it) down to
   * 448 KiB below: inside what a 512 KiB prefault touches. */
  volatile char here = 0;
  uintptr_t top = ((uintptr_t)&here & ~(uintptr_t)4095) - 64 * 1024;
  enum { PAGES = 96 };
  PSAPI_WORKING_SET_EX_INFORMATION ws[PAGES];
  for (int i = 0; i < PAGES; i++)
    ws[i].VirtualAddress = (void *)(top - (uintptr_t)(i + 1) * 4096);
  if (!query(GetCurrentProcess(), ws, sizeof ws))
    return -3;
  r->pages = PAGES;
  for (int i = 0; i < PAGES; i++)
    r->resident += ws[i].VirtualAttributes.Valid;
  return here;
}
#endif

/* The point of prefaulting: 512 KiB of new stack costs ~128 page faults
 * without it and none after it (getrusage RUSAGE_THREAD, a kernel count). */
static void stack_prefault_removes_page_faults(void **state) {
  (void)state;
#if defined(__SANITIZE_THREAD__)
  LAL_SKIP("ThreadSanitizer faults in shadow memory for each stack page on first use: "
           "those faults are the sanitizer's, not lal's");
#elif defined(__has_feature)
#  if __has_feature(thread_sanitizer)
  LAL_SKIP("ThreadSanitizer faults in shadow memory for each stack page on first use: "
           "those faults are the sanitizer's, not lal's");
#  endif
#endif
  if (lal_test_under_valgrind())
    LAL_SKIP("valgrind maps and grows thread stacks itself: the fault counts are its own");
#ifdef __linux__
  fault_count cold = {0, 0}, warm = {1 << 20, 0};
  /* glibc reuses the stack of a joined thread for a new one whose size is
   * within 1/4..1x of it (its stack cache, nptl/allocatestack.c): sizes no
   * other test uses, 4x apart, give each thread a never-touched stack. */
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.stack_size = (size_t)24 << 20;
  lal_thread *t;
  int ret;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, count_faults, &cold));
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_int_equal(ret, 0);
  attr.stack_size = (size_t)100 << 20;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, count_faults, &warm));
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_int_equal(ret, 0);
  if (cold.faults < 64)
    LAL_SKIP("fresh stack took only %ld faults here (sanitizer fake stack?)", cold.faults);
  assert_true(warm.faults <= 4);
#else
  /* Stack sizes no other test uses: a fresh, never-touched stack each. */
  stack_residency cold = {0, 0, 0}, warm = {512 * 1024, 0, 0};
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.stack_size = (size_t)3 << 20;
  lal_thread *t;
  int ret;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, count_resident, &cold));
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_int_equal(ret, 0);
  attr.stack_size = (size_t)5 << 20;
  assert_status(LAL_OK, lal_thread_create(&t, &attr, count_resident, &warm));
  assert_status(LAL_OK, lal_thread_join(t, &ret));
  assert_int_equal(ret, 0);
  if (cold.resident > cold.pages / 4)
    LAL_SKIP("%d of %d never-touched stack pages are resident already (Wine makes a new "
             "thread's stack resident whole; its QueryWorkingSetEx is right for heap pages): "
             "residency cannot show the prefault",
             cold.resident, cold.pages);
  assert_int_equal(warm.resident, warm.pages);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(plain_thread_returns_its_value),
      cmocka_unit_test(attributes_apply_before_fn),
      cmocka_unit_test(strict_failure_never_runs_fn),
      cmocka_unit_test(bad_arguments),
      cmocka_unit_test(a_thread_cannot_join_itself),
      cmocka_unit_test(names_are_utf8_and_cut_at_a_character),
      cmocka_unit_test(stack_prefault_bounds),
      cmocka_unit_test(stack_prefault_up_to_the_limit_stays_inside),
      cmocka_unit_test(stack_prefault_removes_page_faults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
