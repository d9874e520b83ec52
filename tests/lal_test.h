/* SPDX-License-Identifier: MIT */
/* Shared prelude for lal's CMocka tests (native and under Wine). */
#ifndef LAL_TESTS_LAL_TEST_H
#define LAL_TESTS_LAL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lal.h"

/* Exit code that ctest's SKIP_RETURN_CODE treats as "skipped" for an
 * executable that cannot run at all on this machine. */
#define LAL_TEST_SKIP_EXIT 77

/* skip() with the reason on the log: a skipped test always says why. */
#define LAL_SKIP(...)                                                                              \
  do {                                                                                             \
    printf("[  SKIPREASON ] ");                                                                    \
    printf(__VA_ARGS__);                                                                           \
    printf("\n");                                                                                  \
    fflush(stdout);                                                                                \
    skip();                                                                                        \
  } while (0)

/* 1 under valgrind (its preload library is in LD_PRELOAD): valgrind runs one
 * thread at a time, manages thread stacks itself and has its own address-space
 * limits, so tests of those behaviours skip there with that reason. */
static inline int lal_test_under_valgrind(void) {
#ifdef _WIN32
  return 0;
#else
  const char *preload = getenv("LD_PRELOAD");
  return preload && strstr(preload, "vgpreload") != NULL;
#endif
}

/* fopen, which the Microsoft compiler's C runtime deprecates (C4996, an
 * error under /W4 /WX) in favour of fopen_s. */
static inline FILE *lal_test_fopen(const char *path, const char *mode) {
#if defined(_MSC_VER)
  FILE *f = NULL;
  return fopen_s(&f, path, mode) == 0 ? f : NULL;
#else
  return fopen(path, mode);
#endif
}

/* Handing a flag or a pointer between threads in a test: acquire/release
 * (ThreadSanitizer checks the tests too). MSVC's x64 volatile accesses have
 * these semantics (/volatile:ms, its default there); the variables are
 * declared volatile for it. */
#if defined(_MSC_VER) && !defined(__clang__)
#  define LAL_TEST_LOAD_ACQUIRE(p) (*(p))
#  define LAL_TEST_STORE_RELEASE(p, v) (*(p) = (v))
#else
#  define LAL_TEST_LOAD_ACQUIRE(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#  define LAL_TEST_STORE_RELEASE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#endif

#define assert_status(expected, actual)                                                            \
  do {                                                                                             \
    int lal_test_got_ = (actual);                                                                  \
    if (lal_test_got_ != (expected))                                                               \
      fail_msg("%s returned %s, expected %s", #actual, lal_err_name(lal_test_got_),                \
               lal_err_name(expected));                                                            \
  } while (0)

#endif
