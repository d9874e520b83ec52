/* SPDX-License-Identifier: MIT */
/*
 * The names of the enums results carry (lal.h: lal_priority_profile_name and
 * the others), the one table of each that the library, lal info, lal-bench
 * and the reasons in results all print.
 */
#include "lal_internal.h"

#define NAME_OF(table, v)                                                                          \
  ((v) >= 0 && (size_t)(v) < sizeof(table) / sizeof(table)[0] && (table)[v] ? (table)[v]           \
                                                                            : "unknown")

const char *lal_priority_profile_name(int profile) {
  static const char *const names[] = {NULL,    "BACKGROUND", "NORMAL",  "INTERACTIVE",
                                      "AUDIO", "REALTIME",   "EXPLICIT"};
  return NAME_OF(names, profile);
}

const char *lal_policy_name(int policy) {
  static const char *const names[] = {"SCHED_OTHER", "SCHED_BATCH",    "SCHED_IDLE", "SCHED_FIFO",
                                      "SCHED_RR",    "SCHED_DEADLINE", "windows"};
  return NAME_OF(names, policy);
}

const char *lal_priority_via_name(int via) {
  static const char *const names[] = {"direct",     "rtkit", "portal",
                                      "slice hint", "nice",  "unchanged"};
  return NAME_OF(names, via);
}

const char *lal_page_kind_name(int kind) {
  static const char *const names[] = {"default", "large", "huge"};
  return NAME_OF(names, kind);
}
