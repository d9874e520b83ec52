/* SPDX-License-Identifier: MIT */
/* The one errno -> lal_status translator for Linux (errno(3)). */
#include <errno.h>

#include "lal_os.h"

int lali_os_native_error(void) { return errno; }

int lali_os_status_from_native(int native) {
  switch (native) {
  case EINVAL:
  case EBADF:
  case EFAULT:
    return LAL_EINVAL;
  case EPERM:
  case EACCES:
    return LAL_EPERM;
  case ENOSYS:
  case EOPNOTSUPP: /* == ENOTSUP on Linux */
  case EAFNOSUPPORT:
  case EPROTONOSUPPORT:
    return LAL_ENOTSUP;
  case ENOMEM:
  case ENOBUFS:
  case ENOSPC:
    return LAL_ENOMEM;
  case ERANGE:
  case EOVERFLOW:
  case E2BIG:
  case ENAMETOOLONG:
    return LAL_ERANGE;
  case EBUSY:
  case EEXIST:
  case EADDRINUSE:
    return LAL_EBUSY;
  case EAGAIN: /* == EWOULDBLOCK */
  case ETIMEDOUT:
  case ETIME:     /* an io_uring timeout that expired */
  case ECANCELED: /* an io_uring operation cancelled */
  case EINTR:
    return LAL_EAGAIN;
  case ENOENT:
  case ESRCH:
  case ENODEV:
  case ENXIO:
    return LAL_ENOENT;
  default:
    return LAL_EIO;
  }
}
