/* SPDX-License-Identifier: MIT */
#ifndef LAL_SRC_WINDOWS_PRIVILEGE_H
#define LAL_SRC_WINDOWS_PRIVILEGE_H

#include <wchar.h>

/* Enables the named privilege (L"SeLockMemoryPrivilege") in the process
 * token. LAL_OK; LAL_EPERM (ERROR_PRIVILEGE_NOT_HELD) when the account does
 * not hold it; another status if the token cannot be adjusted. */
int lali_win_enable_privilege(const wchar_t *name);

#endif
