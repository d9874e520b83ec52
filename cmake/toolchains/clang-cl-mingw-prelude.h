/* SPDX-License-Identifier: MIT */
/* Force-included by cmake/toolchains/clang-cl-x86_64.cmake: mingw-w64 headers in
 * clang-cl (MSVC) mode. See that file for why. */
#ifndef LAL_CMAKE_TOOLCHAINS_CLANG_CL_MINGW_PRELUDE_H
#define LAL_CMAKE_TOOLCHAINS_CLANG_CL_MINGW_PRELUDE_H
#include <_mingw.h>
#undef __attribute__
#undef __MINGW_ATTRIB_NORETURN
#define __MINGW_ATTRIB_NORETURN __attribute__((__noreturn__))
#undef __MINGW_ATTRIB_MALLOC
#define __MINGW_ATTRIB_MALLOC __attribute__((__malloc__))
#undef __MINGW_NOTHROW
#define __MINGW_NOTHROW __attribute__((__nothrow__))
#undef __MINGW_ATTRIB_DEPRECATED
#define __MINGW_ATTRIB_DEPRECATED __attribute__((__deprecated__))
/* The SDK's winnt.h declares the _Interlocked* intrinsics its Interlocked*
 * macros expand to; mingw-w64's, in MSVC mode, expects them declared (and
 * clang's <intrin.h> conflicts with mingw-w64's setjmp.h), so the ones lal
 * uses are declared here, as the SDK does. */
#ifdef __cplusplus
extern "C" {
#endif
long _InterlockedExchange(long volatile *target, long value);
long long _InterlockedExchange64(long long volatile *target, long long value);
long _InterlockedCompareExchange(long volatile *target, long exchange, long comparand);
long _InterlockedIncrement(long volatile *addend);
long _InterlockedDecrement(long volatile *addend);
#ifdef __cplusplus
}
#endif
/* mingw-w64's math.h, without __GNUC__, defines NAN as `extern const double
 * __QNANF`, but libmingwex's __QNANF is a 4-byte float: read as a double it is
 * not a NaN (found by test_hist under this build). The SDK's math.h defines
 * NAN and INFINITY as constant expressions; clang's builtins are those. */
#include <math.h>
#undef NAN
#define NAN __builtin_nanf("")
#undef INFINITY
#define INFINITY __builtin_inff()
#undef HUGE_VALF
#define HUGE_VALF __builtin_huge_valf()

#endif
