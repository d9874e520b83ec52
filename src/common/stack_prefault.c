/* SPDX-License-Identifier: MIT */
/*
 * lal_stack_prefault: touch the stack below the caller so later deep calls do
 * not fault. One function grows its own frame with alloca in bounded steps
 * and writes one byte per 4 KiB (the smallest page on the platforms lal
 * supports), top to bottom, until the frame reaches the target depth. The
 * depth is measured from the addresses alloca returns, not assumed, so
 * instrumentation that enlarges frames (AddressSanitizer's redzones) cannot
 * push the touches past the limit that was checked. Walking down in order is
 * what Windows needs: its stacks grow through a guard page that must be hit
 * in order, and the compilers' alloca probes (__chkstk) do exactly that.
 */
#include <stdint.h>

#include "lal_internal.h"
#include "lal_os.h"

/* The real stack frame's address: a local's address can lie on
 * AddressSanitizer's heap-allocated "fake stack" (detect_stack_use_after_return). */
#if defined(_MSC_VER) && !defined(__clang__)
#  include <intrin.h>
#  include <malloc.h>
#  define LALI_ALLOCA(n) _alloca(n)
#  define LALI_FRAME_ADDRESS() ((uintptr_t)_AddressOfReturnAddress())
#else
#  define LALI_ALLOCA(n) __builtin_alloca(n)
#  define LALI_FRAME_ADDRESS() ((uintptr_t)__builtin_frame_address(0))
#endif

#define STEP_BYTES (64 * 1024)
#define PAGE_STEP 4096
#define MARGIN_BYTES (64 * 1024) /* left untouched for signal handlers, the OS guard */

/* Grows this frame down to `target` (an address below the caller's frame).
 * alloca memory lives until the function returns, so each step extends the
 * same frame; the last step is only as large as what is left. */
static LALI_NOINLINE int touch_down_to(uintptr_t target) {
  uintptr_t reached = LALI_FRAME_ADDRESS();
  int sum = 0;
  while (reached > target) {
    size_t step = reached - target < STEP_BYTES ? (size_t)(reached - target) : STEP_BYTES;
    volatile char *chunk = (volatile char *)LALI_ALLOCA(step);
    for (size_t i = step; i >= PAGE_STEP; i -= PAGE_STEP)
      chunk[i - 1] = 0;
    chunk[0] = 0;
    sum += chunk[0];
    if ((uintptr_t)chunk >= reached)
      break; /* a stack that does not grow down: nothing more to do */
    reached = (uintptr_t)chunk;
  }
  return sum; /* used after the loop: the allocations stay live */
}

int lal_stack_prefault(size_t bytes) {
  if (bytes == 0)
    return LAL_OK;
  uintptr_t low, high;
  int rc = lali_os_stack_bounds(&low, &high);
  if (rc != LAL_OK)
    return rc;
  uintptr_t sp = LALI_FRAME_ADDRESS();
  if (sp <= low || sp > high || sp - low < MARGIN_BYTES || bytes > sp - low - MARGIN_BYTES)
    return LAL_ERANGE;
  touch_down_to(sp - bytes);
  return LAL_OK;
}
