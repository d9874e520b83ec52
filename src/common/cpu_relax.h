/* SPDX-License-Identifier: MIT */
/* The spin-wait hint: x86 PAUSE (lets the sibling hyperthread run and avoids the
 * memory-order machine clear on loop exit), arm64 YIELD. */
#ifndef LAL_SRC_COMMON_CPU_RELAX_H
#define LAL_SRC_COMMON_CPU_RELAX_H

#if defined(_MSC_VER) && !defined(__clang__)
#  include <intrin.h>
#  if defined(_M_ARM64)
#    define lali_cpu_relax() __yield()
#  else
#    define lali_cpu_relax() _mm_pause()
#  endif
#elif defined(__x86_64__) || defined(__i386__)
#  define lali_cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#  define lali_cpu_relax() __asm__ __volatile__("yield")
#else
#  define lali_cpu_relax() ((void)0)
#endif

#endif
