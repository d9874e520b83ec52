/* SPDX-License-Identifier: MIT */
/* Priority requests: the checks every entry point shares. */
#ifndef LAL_SRC_COMMON_PRIORITY_INTERNAL_H
#define LAL_SRC_COMMON_PRIORITY_INTERNAL_H

#include "lal.h"

#define LALI_PRIORITY_KNOWN_FLAGS                                                                  \
  (LAL_PRIORITY_FALLBACK | LAL_PRIORITY_KEEP_THROTTLING | LAL_PRIORITY_VIA_RTKIT |                 \
   LAL_PRIORITY_VIA_PORTAL | LAL_PRIORITY_VIA_SLICE | LAL_PRIORITY_VIA_NICE)

/* LAL_OK if req, a full current-size struct (one lali_priority_load made), is
 * well-formed (see lal_thread_set_priority), else LAL_EINVAL. */
int lali_priority_validate(const lal_priority_req *req);
/* Loads the caller's req of any accepted size into *full (defaults for the
 * fields an older caller lacks) and validates it. LAL_OK or LAL_EINVAL. */
int lali_priority_load(lal_priority_req *full, const lal_priority_req *req);

/* Appends "text" to res->reason, separated by "; ", truncating. */
void lali_priority_note(lal_priority_result *res, const char *text);

#endif
