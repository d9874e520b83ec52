/* SPDX-License-Identifier: MIT */
/*
 * The out-of-line twins of the inline functions, as an FFI caller reaches
 * them: the shared library loaded at run time (dlopen / LoadLibrary) and
 * each function looked up by its name, as Python's ctypes or Rust's
 * libloading would. Each twin must do what the inline function does: the
 * same histogram buckets for the same values, a counter that moves, a clock
 * on the library's timebase.
 */
#include <string.h>

#include "lal_test.h"

#ifdef _WIN32
#  include <windows.h>
typedef HMODULE lib_handle;
static lib_handle lib_open(const char *path) { return LoadLibraryA(path); }
static void *lib_sym(lib_handle h, const char *name) {
  /* GetProcAddress returns FARPROC; through uintptr_t to a data pointer, as
   * every FFI does (both are 64-bit here). */
  return (void *)(uintptr_t)GetProcAddress(h, name);
}
static void lib_close(lib_handle h) { FreeLibrary(h); }
#else
#  include <dlfcn.h>
typedef void *lib_handle;
static lib_handle lib_open(const char *path) { return dlopen(path, RTLD_NOW | RTLD_LOCAL); }
static void *lib_sym(lib_handle h, const char *name) { return dlsym(h, name); }
static void lib_close(lib_handle h) { dlclose(h); }
#endif

typedef uint64_t (*u64_fn)(void);
typedef uint64_t (*tscp_fn)(uint32_t *);
typedef void (*record_fn)(lal_hist *, uint64_t);
typedef int (*hist_create_fn)(lal_hist **);
typedef void (*hist_free_fn)(lal_hist *);

static lib_handle lib;

/* A function pointer from a looked-up address (C forbids the direct cast
 * from void *; memcpy is the portable spelling). */
#define LOOKUP(type, var, name)                                                                    \
  type var;                                                                                        \
  do {                                                                                             \
    void *addr_ = lib_sym(lib, name);                                                              \
    if (!addr_)                                                                                    \
      fail_msg("%s is not exported by %s", name, LAL_SHARED_LIB_PATH);                             \
    memcpy(&var, &addr_, sizeof var);                                                              \
  } while (0)

static int open_lib(void **state) {
  (void)state;
  lib = lib_open(LAL_SHARED_LIB_PATH);
  return lib ? 0 : -1;
}

static int close_lib(void **state) {
  (void)state;
  lib_close(lib);
  return 0;
}

static void counter_twins_move(void **state) {
  (void)state;
  LOOKUP(u64_fn, tsc, "lal_tsc");
  LOOKUP(u64_fn, tsc_ordered, "lal_tsc_ordered");
  LOOKUP(tscp_fn, tscp, "lal_tscp");
  uint64_t a = tsc();
  uint64_t b = tsc_ordered();
  uint32_t aux = 0;
  uint64_t c = tscp(&aux);
  assert_true(a != 0);
  assert_true(b >= a);
  assert_true(c >= b);
  assert_true(tscp(NULL) >= c); /* aux may be NULL, as inline */
  /* The inline counter and the twin read the same hardware counter. */
  uint64_t inline_read = lal_tsc_ordered();
  assert_true(tsc_ordered() >= inline_read);
}

static void now_ns_twin_is_the_librarys_clock(void **state) {
  (void)state;
  LOOKUP(u64_fn, now_ns, "lal_now_ns");
  LOOKUP(u64_fn, mono_ns, "lal_mono_ns");
  uint64_t before = mono_ns();
  uint64_t now = now_ns(); /* calibrates the loaded library's clock on first use */
  now = now_ns();
  uint64_t after = mono_ns();
  assert_true(now != 0);
  /* lal_now_ns shares lal_mono_ns's epoch; the TSC conversion may differ from
   * it by the calibration error, far below a millisecond this early on. */
  assert_true(now + 1000000u >= before);
  assert_true(now <= after + 1000000u);
  uint64_t later = now_ns();
  assert_true(later >= now);
}

static void hist_record_twin_matches_inline(void **state) {
  (void)state;
  LOOKUP(record_fn, record, "lal_hist_record");
  LOOKUP(hist_create_fn, create, "lal_hist_create");
  LOOKUP(hist_free_fn, destroy, "lal_hist_free");
  lal_hist *twin = NULL, *inl = NULL;
  assert_status(LAL_OK, create(&twin));
  assert_status(LAL_OK, lal_hist_create(&inl));
  uint64_t v = 1;
  for (int i = 0; i < 4000; i++) {
    v = v * 6364136223846793005u + 1442695040888963407u; /* every magnitude */
    uint64_t value = v >> (i % 64);
    record(twin, value);
    lal_hist_record(inl, value);
  }
  assert_int_equal(twin->count, 4000);
  assert_int_equal(twin->count, inl->count);
  assert_int_equal(twin->min, inl->min);
  assert_int_equal(twin->max, inl->max);
  assert_true(twin->sum == inl->sum);
  assert_memory_equal(twin->buckets, inl->buckets, sizeof twin->buckets);
  destroy(twin);
  lal_hist_free(inl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(counter_twins_move),
      cmocka_unit_test(now_ns_twin_is_the_librarys_clock),
      cmocka_unit_test(hist_record_twin_matches_inline),
  };
  return cmocka_run_group_tests(tests, open_lib, close_lib);
}
