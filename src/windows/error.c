/* SPDX-License-Identifier: MIT */
/*
 * The one GetLastError() -> lal_status translator for Windows ("System Error
 * Codes", learn.microsoft.com). Each code sits with the status of its errno twin
 * in src/linux/error.c, so the same failure gives the same status on both OSes.
 */
#include <windows.h>

#include "lal_os.h"

int lali_os_native_error(void) { return (int)GetLastError(); }

int lali_os_status_from_native(int native) {
  switch ((DWORD)native) {
  case ERROR_INVALID_PARAMETER: /* EINVAL */
  case ERROR_INVALID_HANDLE:    /* EBADF */
  case ERROR_NOACCESS:          /* EFAULT */
  case ERROR_INVALID_FLAGS:
    return LAL_EINVAL;
  case ERROR_ACCESS_DENIED:      /* EACCES */
  case ERROR_PRIVILEGE_NOT_HELD: /* EPERM */
    return LAL_EPERM;
  case ERROR_NOT_SUPPORTED:        /* EOPNOTSUPP */
  case ERROR_CALL_NOT_IMPLEMENTED: /* ENOSYS */
  case ERROR_PROC_NOT_FOUND:       /* an API this Windows (or Wine) lacks */
  case ERROR_INVALID_FUNCTION:     /* "Incorrect function": unsupported request */
    return LAL_ENOTSUP;
  case ERROR_NOT_ENOUGH_MEMORY: /* ENOMEM */
  case ERROR_OUTOFMEMORY:
  case ERROR_COMMITMENT_LIMIT:
  case ERROR_NO_SYSTEM_RESOURCES:
  case ERROR_WORKING_SET_QUOTA: /* the VirtualLock limit: RLIMIT_MEMLOCK's twin */
  case ERROR_NOT_ENOUGH_QUOTA:
    return LAL_ENOMEM;
  case ERROR_INSUFFICIENT_BUFFER:  /* ERANGE */
  case ERROR_ARITHMETIC_OVERFLOW:  /* EOVERFLOW */
  case ERROR_FILENAME_EXCED_RANGE: /* ENAMETOOLONG */
    return LAL_ERANGE;
  case ERROR_BUSY:           /* EBUSY */
  case ERROR_ALREADY_EXISTS: /* EEXIST */
  case ERROR_FILE_EXISTS:
  case ERROR_SHARING_VIOLATION:
  case ERROR_LOCK_VIOLATION:
    return LAL_EBUSY;
  case ERROR_TIMEOUT: /* ETIMEDOUT */
  case WAIT_TIMEOUT:
  case ERROR_RETRY:             /* EAGAIN */
  case ERROR_OPERATION_ABORTED: /* EINTR */
    return LAL_EAGAIN;
  case ERROR_FILE_NOT_FOUND: /* ENOENT */
  case ERROR_PATH_NOT_FOUND:
  case ERROR_NOT_FOUND:
  case ERROR_MOD_NOT_FOUND:
  case ERROR_DEV_NOT_EXIST: /* ENODEV */
    return LAL_ENOENT;
  default:
    return LAL_EIO;
  }
}
