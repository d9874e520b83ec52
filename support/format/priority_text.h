/* SPDX-License-Identifier: MIT */
/* lal's priority profiles and results as text (the names themselves are
 * the library's: lal_priority_profile_name, lal_policy_name...), shared by `lal info` and
 * lal-bench (which records what its harness obtained). */
#ifndef LAL_SUPPORT_FORMAT_PRIORITY_TEXT_H
#define LAL_SUPPORT_FORMAT_PRIORITY_TEXT_H

#include <stddef.h>

#include "lal.h"

/* The profile named `name` (case-insensitive), or -1. */
int priority_profile_parse(const char *name);
/* What a thread has now: "SCHED_FIFO 80", "SCHED_OTHER nice -11",
 * "class 2, thread priority 15, MMCSS Pro Audio". */
void priority_text(const lal_priority_result *r, char *buf, size_t size);

#endif
