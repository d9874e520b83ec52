/* SPDX-License-Identifier: MIT */
/*
 * Linked into each shared Linux module (liblal-uring.so, liblal-xdp.so) with
 * private copies of the portable helpers it uses: lali_fail_os records the
 * error through liblal's own lali_fail_native, so lal_last_os_error() says
 * what failed in a module call too.
 */
#include <errno.h>

#include "lal_internal.h"

int lali_fail_os(void) { return lali_fail_native(errno); }
