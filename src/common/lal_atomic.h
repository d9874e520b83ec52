/* SPDX-License-Identifier: MIT */
/*
 * lal_atomic.h — the few atomic operations the library needs, without
 * <stdatomic.h>: MSVC's C mode has it only from VS 2022 17.5 and only with
 * /experimental:c11atomics, which most studios' toolchains lack. GCC and
 * clang (clang-cl included) get their __atomic builtins (the C11 memory
 * model, understood by ThreadSanitizer); MSVC gets volatile accesses under
 * /volatile:iso (__iso_volatile_*) with explicit barriers and Interlocked*
 * read-modify-writes. A compiler branch, not an OS one: portable.
 *
 * Data read while a writer republishes it (a seqlock) is accessed with the
 * relaxed loads and stores below, as the C11 seqlock pattern requires (Boehm,
 * "Can seqlocks get along with programming language memory models?").
 */
#ifndef LAL_SRC_COMMON_LAL_ATOMIC_H
#define LAL_SRC_COMMON_LAL_ATOMIC_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)

#  define lali_load_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#  define lali_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#  define lali_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#  define lali_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#  define lali_fence_release() __atomic_thread_fence(__ATOMIC_RELEASE)
#  define lali_fence_seq_cst() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Compare-and-swap of an int: 1 if *p was `expected` and is now `desired`. */
static inline int lali_cas_int(volatile int *p, int expected, int desired) {
  return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
/* Stores v, returns the previous value (acquire + release). */
static inline int lali_exchange_int(volatile int *p, int v) {
  return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL);
}

#elif defined(_MSC_VER)

#  include <intrin.h>

/* x64 is TSO: a compiler barrier orders like acquire/release. arm64 needs a
 * DMB ISH (the barrier the C11 mappings use for MSVC's arm64 target). */
#  if defined(_M_ARM64)
#    define LALI_HW_BARRIER() __dmb(_ARM64_BARRIER_ISH)
#  else
#    define LALI_HW_BARRIER() _ReadWriteBarrier()
#  endif

static __forceinline uint32_t lali_load32(const volatile void *p) {
  return (uint32_t)__iso_volatile_load32((const volatile __int32 *)p);
}
static __forceinline uint64_t lali_load64(const volatile void *p) {
  return (uint64_t)__iso_volatile_load64((const volatile __int64 *)p);
}
static __forceinline void lali_store32(volatile void *p, uint32_t v) {
  __iso_volatile_store32((volatile __int32 *)p, (__int32)v);
}
static __forceinline void lali_store64(volatile void *p, uint64_t v) {
  __iso_volatile_store64((volatile __int64 *)p, (__int64)v);
}

/* Size-dispatched through sizeof: every field lal accesses this way is 4 or
 * 8 bytes (checked where each is declared). */
#  define lali_load_relaxed(p) (sizeof(*(p)) == 8 ? lali_load64(p) : lali_load32(p))
#  define lali_load_acquire(p) (lali_load_acquire_((p), sizeof(*(p))))
static __forceinline uint64_t lali_load_acquire_(const volatile void *p, size_t size) {
  uint64_t v = size == 8 ? lali_load64(p) : lali_load32(p);
  LALI_HW_BARRIER();
  return v;
}
#  define lali_store_relaxed(p, v)                                                                 \
    (sizeof(*(p)) == 8 ? lali_store64((p), (uint64_t)(v)) : lali_store32((p), (uint32_t)(v)))
#  define lali_store_release(p, v) (LALI_HW_BARRIER(), lali_store_relaxed((p), (v)))
#  define lali_fence_release() LALI_HW_BARRIER()
#  if defined(_M_ARM64)
#    define lali_fence_seq_cst() __dmb(_ARM64_BARRIER_ISH)
#  else
#    define lali_fence_seq_cst() __faststorefence()
#  endif

static __forceinline int lali_cas_int(volatile int *p, int expected, int desired) {
  return _InterlockedCompareExchange((volatile long *)p, desired, expected) == expected;
}
static __forceinline int lali_exchange_int(volatile int *p, int v) {
  return (int)_InterlockedExchange((volatile long *)p, v);
}

#else
#  error "lal needs GCC, clang or MSVC atomics"
#endif

/* A spin lock for rarely contended, short critical sections (not hot paths). */
typedef volatile int lali_spinlock;
#define LALI_SPINLOCK_INIT 0
static inline void lali_spin_lock(lali_spinlock *l) {
  while (lali_exchange_int(l, 1))
    while (lali_load_relaxed(l))
      ;
}
static inline void lali_spin_unlock(lali_spinlock *l) { lali_store_release(l, 0); }
/* 1 if taken, 0 if already held. */
static inline int lali_spin_trylock(lali_spinlock *l) { return lali_exchange_int(l, 1) == 0; }

#endif /* LAL_SRC_COMMON_LAL_ATOMIC_H */
