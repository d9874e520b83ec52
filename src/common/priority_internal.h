/* SPDX-License-Identifier: MIT */
/* Priority requests: the checks every entry point shares. */
#ifndef LAL_PRIORITY_INTERNAL_H
#define LAL_PRIORITY_INTERNAL_H

#include "lal.h"

#define LAL__PRIORITY_KNOWN_FLAGS (LAL_PRIORITY_FALLBACK | LAL_PRIORITY_KEEP_THROTTLING)

/* LAL_OK if req is well-formed (see lal_thread_set_priority), else LAL_EINVAL. */
int lal__priority_validate(const lal_priority_req *req);

/* Appends "text" to res->reason, separated by "; ", truncating. */
void lal__priority_note(lal_priority_result *res, const char *text);

#endif
