/*
 * lal_stack_prefault: touch the stack below the caller so later deep calls do
 * not fault. Each frame of a non-inlined, non-tail recursion owns a 16 KiB
 * volatile buffer and writes one byte per 4 KiB (the smallest page on the
 * platforms lal supports), walking down one page at a time as Windows needs:
 * its stacks grow through a guard page that must be hit in order (compilers
 * emit __chkstk probes for frames over a page for the same reason).
 */
#include <stdint.h>

#include "lal_internal.h"
#include "lal_os.h"

#define FRAME_BYTES 16384
#define PAGE_STEP 4096
#define MARGIN_BYTES (64 * 1024) /* left untouched for signal handlers, the OS guard */

static LAL__NOINLINE int touch(size_t remaining) {
  volatile char frame[FRAME_BYTES];
  for (size_t i = FRAME_BYTES; i >= PAGE_STEP; i -= PAGE_STEP)
    frame[i - 1] = 0; /* top to bottom */
  frame[0] = 0;
  int below = remaining > FRAME_BYTES ? touch(remaining - FRAME_BYTES) : 0;
  return below + frame[0]; /* used after the call: no tail call, the frame stays */
}

int lal_stack_prefault(size_t bytes) {
  if (bytes == 0)
    return LAL_OK;
  uintptr_t low, high;
  int rc = lal__os_stack_bounds(&low, &high);
  if (rc != LAL_OK)
    return rc;
  volatile char here = 0;
  uintptr_t sp = (uintptr_t)&here;
  if (sp <= low || sp > high || sp - low < MARGIN_BYTES || bytes > sp - low - MARGIN_BYTES)
    return LAL_ERANGE;
  touch(bytes);
  return LAL_OK;
}
