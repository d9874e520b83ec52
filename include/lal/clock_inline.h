/* SPDX-License-Identifier: MIT */
/*
 * lal/clock_inline.h — the inline hot paths behind lal_tsc(), lal_tscp() and
 * lal_now_ns(). Included by lal.h; do not include it directly. Branches on the
 * compiler and architecture only (liburing's model: per-call paths inline,
 * everything else out of line).
 */
#ifndef LAL_CLOCK_INLINE_H
#define LAL_CLOCK_INLINE_H

/* Which intrinsics: MSVC's for the Microsoft compiler, the GNU builtins for
 * gcc and clang (clang-cl included). LAL_IMPL_CHECK_MSVC_PATHS, for lal's own
 * header check only, makes clang-cl take the MSVC branches so they are
 * compiled for real (tests/headers/check.sh). */
#if defined(_MSC_VER) && (!defined(__clang__) || defined(LAL_IMPL_CHECK_MSVC_PATHS))
#  define LAL_IMPL_MSVC_PATHS 1
#  include <intrin.h>
#endif
#if defined(_M_ARM64)
/* CNTVCT_EL0 as _ReadStatusReg's operand: winnt.h's ARM64_SYSREG(3, 3, 14, 0,
 * 2), spelt out so this header needs only <intrin.h>, not <windows.h>. The
 * barrier domains are those of arm64intr.h (_ARM64_BARRIER_ISH / _SY). */
#  define LAL_IMPL_ARM64_CNTVCT 0x5F02
#  define LAL_IMPL_ARM64_ISH 0xB
#  define LAL_IMPL_ARM64_SY 0xF
#endif
#if defined(__SIZEOF_INT128__)
/* __extension__: ISO C and C++ have no 128-bit integer, and -Wpedantic users
 * must not see a warning for lal's use of the compiler's. */
__extension__ typedef unsigned __int128 lal_impl_u128;
#endif

#if defined(LAL_IMPL_MSVC_PATHS)
#  define LAL_IMPL_LIKELY(x) (x)
/* Plain loads (__iso_volatile_load*: no /volatile:ms acquire semantics, which
 * is not the arm64 default) ordered by an explicit barrier: on arm64 a DMB
 * ISH after the load makes it an acquire (the mapping MSVC's own <atomic>
 * uses there); x64 is TSO, so a compiler barrier is enough. */
#  if defined(_M_ARM64)
#    define LAL_IMPL_FENCE_ACQUIRE() __dmb(LAL_IMPL_ARM64_ISH)
#  else
#    define LAL_IMPL_FENCE_ACQUIRE() _ReadWriteBarrier()
#  endif
#  define LAL_IMPL_LOAD_RELAXED(p)                                                                 \
    LAL_IMPL_CAST(uint32_t, __iso_volatile_load32(LAL_IMPL_PTR_CAST(const volatile __int32 *, p)))
#  define LAL_IMPL_LOAD_RELAXED64(p)                                                               \
    LAL_IMPL_CAST(uint64_t, __iso_volatile_load64(LAL_IMPL_PTR_CAST(const volatile __int64 *, p)))
static __forceinline uint32_t lal_impl_load_acquire32(const volatile uint32_t *p) {
  uint32_t v = LAL_IMPL_LOAD_RELAXED(p);
  LAL_IMPL_FENCE_ACQUIRE();
  return v;
}
#  define LAL_IMPL_LOAD_ACQUIRE(p) lal_impl_load_acquire32(p)
#elif defined(__GNUC__) || defined(__clang__)
#  define LAL_IMPL_LIKELY(x) __builtin_expect(!!(x), 1)
#  define LAL_IMPL_LOAD_ACQUIRE(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#  define LAL_IMPL_LOAD_RELAXED(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#  define LAL_IMPL_LOAD_RELAXED64(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#  define LAL_IMPL_FENCE_ACQUIRE() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#else
#  error "lal.h needs GCC, clang or MSVC for its inline clock reads"
#endif

/* The conversion state lal_now_ns() reads. Written only by the library, under
 * the sequence lock `seq`: odd while an update is in progress; bit 1 set
 * while lal_now_ns() is not (yet) the TSC's, so that one load of `seq` says
 * both "stable" and "TSC mode" (seq % 4 == 0) on the fast path, as TSCNS
 * folds its state into one word. One 64-byte line: four words, three 64-bit
 * fields and reserved space. Exported data: a program's copy relocation
 * sizes it when the program is linked, so it can never grow. */
typedef struct lal_impl_clock_state {
  uint32_t seq;
  uint32_t mode; /* 0: not initialised, LAL_CLOCK_SOURCE_TSC or _OS (the slow path's) */
  uint32_t shift;
  uint32_t has_rdtscp;
  uint64_t mult;
  uint64_t tsc_base;
  uint64_t ns_base;
  uint64_t reserved[3]; /* to 64 bytes: the layout and size are frozen */
} lal_impl_clock_state;

LAL_API extern lal_impl_clock_state lal_impl_clock;
LAL_API uint64_t lal_impl_now_ns_slow(void);

LAL_INLINE uint64_t lal_tsc(void) {
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#  if defined(LAL_IMPL_MSVC_PATHS)
  return __rdtsc();
#  else
  uint32_t lo, hi;
  __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
  return (LAL_IMPL_CAST(uint64_t, hi) << 32) | lo;
#  endif
#elif defined(_M_ARM64) && defined(LAL_IMPL_MSVC_PATHS)
  return LAL_IMPL_CAST(uint64_t, _ReadStatusReg(LAL_IMPL_ARM64_CNTVCT));
#elif defined(__aarch64__)
  uint64_t v;
  __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
  return v;
#else
#  error "lal_tsc: unsupported architecture"
#endif
}

LAL_INLINE uint64_t lal_tsc_ordered(void) {
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#  if defined(LAL_IMPL_MSVC_PATHS)
  _mm_lfence(); /* Intel SDM: LFENCE; RDTSC waits for earlier instructions */
  return __rdtsc();
#  else
  uint32_t lo, hi;
  __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
  return (LAL_IMPL_CAST(uint64_t, hi) << 32) | lo;
#  endif
#elif defined(_M_ARM64) && defined(LAL_IMPL_MSVC_PATHS)
  __isb(LAL_IMPL_ARM64_SY);
  return LAL_IMPL_CAST(uint64_t, _ReadStatusReg(LAL_IMPL_ARM64_CNTVCT));
#elif defined(__aarch64__)
  uint64_t v;
  __asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
  return v;
#endif
}

LAL_INLINE uint64_t lal_tscp(uint32_t *aux) {
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
  if (LAL_IMPL_LOAD_RELAXED(&lal_impl_clock.has_rdtscp)) {
#  if defined(LAL_IMPL_MSVC_PATHS)
    unsigned int a;
    uint64_t t = __rdtscp(&a);
#  else
    uint32_t lo, hi, a;
    __asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(a));
    uint64_t t = (LAL_IMPL_CAST(uint64_t, hi) << 32) | lo;
#  endif
    if (aux)
      *aux = a;
    return t;
  }
#endif
  if (aux)
    *aux = UINT32_MAX;
  return lal_tsc_ordered();
}

/* (a * mult) >> shift with a 128-bit intermediate: exact, no overflow while
 * the result fits in 64 bits. */
static inline uint64_t lal_impl_mul_shift(uint64_t a, uint64_t mult, uint32_t shift) {
#if defined(__SIZEOF_INT128__)
  return LAL_IMPL_CAST(uint64_t, (LAL_IMPL_CAST(lal_impl_u128, a) * mult) >> shift);
#elif defined(LAL_IMPL_MSVC_PATHS) && defined(_M_X64)
  uint64_t hi, lo = _umul128(a, mult, &hi);
  return shift == 0    ? lo
         : shift >= 64 ? hi >> (shift - 64)
                       : __shiftright128(lo, hi, LAL_IMPL_CAST(unsigned char, shift));
#else
  /* Portable: four 32x32 products. */
  uint64_t a_lo = LAL_IMPL_CAST(uint32_t, a), a_hi = a >> 32;
  uint64_t m_lo = LAL_IMPL_CAST(uint32_t, mult), m_hi = mult >> 32;
  uint64_t p0 = a_lo * m_lo, p1 = a_lo * m_hi, p2 = a_hi * m_lo, p3 = a_hi * m_hi;
  uint64_t mid = (p0 >> 32) + LAL_IMPL_CAST(uint32_t, p1) + LAL_IMPL_CAST(uint32_t, p2);
  uint64_t lo = (mid << 32) | LAL_IMPL_CAST(uint32_t, p0);
  uint64_t hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
  return shift == 0 ? lo : shift >= 64 ? hi >> (shift - 64) : (lo >> shift) | (hi << (64 - shift));
#endif
}

/* One read of the TSC conversion under sequence value `seq` (seen even and
 * in TSC mode): 1 and *ns if no update overlapped it, else 0. Shared by
 * lal_now_ns and the library's slow path. */
static inline int lal_impl_clock_read(uint32_t seq, uint64_t *ns) {
  /* Relaxed atomic loads of the protected fields (the C11 seqlock pattern):
   * a torn or mixed read is possible and discarded by the sequence check,
   * but it is not a data race. */
  uint64_t mult = LAL_IMPL_LOAD_RELAXED64(&lal_impl_clock.mult);
  uint64_t tsc_base = LAL_IMPL_LOAD_RELAXED64(&lal_impl_clock.tsc_base);
  uint64_t ns_base = LAL_IMPL_LOAD_RELAXED64(&lal_impl_clock.ns_base);
  uint32_t shift = LAL_IMPL_LOAD_RELAXED(&lal_impl_clock.shift);
  uint64_t t = lal_tsc();
  LAL_IMPL_FENCE_ACQUIRE();
  if (!LAL_IMPL_LIKELY(LAL_IMPL_LOAD_RELAXED(&lal_impl_clock.seq) == seq))
    return 0;
  /* A CPU whose TSC trails the base by the (measured, bounded) skew reads
   * slightly below it right after a recalibration: convert that backwards
   * instead of wrapping around. */
  *ns = LAL_IMPL_LIKELY(t >= tsc_base) ? ns_base + lal_impl_mul_shift(t - tsc_base, mult, shift)
                                       : ns_base - lal_impl_mul_shift(tsc_base - t, mult, shift);
  return 1;
}

LAL_INLINE uint64_t lal_now_ns(void) {
  for (;;) {
    uint32_t seq = LAL_IMPL_LOAD_ACQUIRE(&lal_impl_clock.seq);
    uint64_t ns;
    if (!LAL_IMPL_LIKELY((seq & 3) == 0)) /* updating, not initialised, or the OS clock's */
      return lal_impl_now_ns_slow();
    if (LAL_IMPL_LIKELY(lal_impl_clock_read(seq, &ns)))
      return ns;
  }
}

#endif /* LAL_CLOCK_INLINE_H */
