/* SPDX-License-Identifier: MIT */
/* lal's priority profiles and results as text, shared by `lal info` and
 * lal-bench (which records what its harness obtained). */
#ifndef LAL_TOOLS_PRIORITY_TEXT_H
#define LAL_TOOLS_PRIORITY_TEXT_H

#include <stddef.h>

#include "lal.h"

/* "BACKGROUND" ... "REALTIME" for a LAL_PRIORITY_* profile, "?" otherwise. */
const char *priority_profile_name(int profile);
/* The profile named `name` (case-insensitive), or -1. */
int priority_profile_parse(const char *name);
/* "SCHED_OTHER" ... "SCHED_DEADLINE", "windows" for a LAL_POLICY_*, "?" otherwise. */
const char *priority_policy_name(int policy);
/* "direct", "rtkit", "portal", "slice hint", "nice", "unchanged" (lal_priority_via). */
const char *priority_via_name(int via);
/* What a thread has now: "SCHED_FIFO 80", "SCHED_OTHER nice -11",
 * "class 2, thread priority 15, MMCSS Pro Audio". */
void priority_text(const lal_priority_result *r, char *buf, size_t size);

#endif
