/* SPDX-License-Identifier: MIT */
/* A consumer of the installed io_uring module (liblal-uring, lal::uring):
 * it links, reports bad input as lal does, and shares lal's error state. */
#include <stdio.h>

#include <lal.h>
#include <lal/uring.h>

int main(void) {
  int bad = lal_uring_create(NULL, NULL, NULL) != LAL_EINVAL;
  lal_uring *ring = NULL;
  int rc = lal_uring_create(NULL, &ring, NULL);
  if (rc == LAL_OK)
    lal_uring_close(ring);
  else if (rc != LAL_ENOTSUP && rc != LAL_EPERM && rc != LAL_ENOMEM)
    bad = 1;
  printf("consumer_uring: lal %s, a ring: %s, %s\n", lal_version_string(), lal_err_name(rc),
         bad ? "FAILED" : "ok");
  return bad;
}
