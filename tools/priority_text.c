/* SPDX-License-Identifier: MIT */
/* See priority_text.h. */
#include "priority_text.h"

#include <ctype.h>
#include <stdio.h>

static const char *const profile_names[] = {NULL,          "BACKGROUND", "NORMAL",
                                            "INTERACTIVE", "AUDIO",      "REALTIME"};
static const char *const policy_names[] = {"SCHED_OTHER", "SCHED_BATCH", "SCHED_IDLE",
                                           "SCHED_FIFO",  "SCHED_RR",    "SCHED_DEADLINE",
                                           "windows"};

const char *priority_profile_name(int profile) {
  return profile >= LAL_PRIORITY_BACKGROUND && profile <= LAL_PRIORITY_REALTIME
             ? profile_names[profile]
             : "?";
}

int priority_profile_parse(const char *name) {
  for (int p = LAL_PRIORITY_BACKGROUND; name && p <= LAL_PRIORITY_REALTIME; p++) {
    const char *a = name, *b = profile_names[p];
    while (*a && *b && toupper((unsigned char)*a) == *b)
      a++, b++;
    if (!*a && !*b)
      return p;
  }
  return -1;
}

const char *priority_via_name(int via) {
  static const char *const names[] = {"direct",     "rtkit", "portal",
                                      "slice hint", "nice",  "unchanged"};
  return via >= LAL_VIA_DIRECT && via <= LAL_VIA_UNCHANGED ? names[via] : "?";
}

const char *priority_policy_name(int policy) {
  return policy >= 0 && policy <= LAL_POLICY_WINDOWS ? policy_names[policy] : "?";
}

void priority_text(const lal_priority_result *r, char *buf, size_t size) {
  if (r->policy == LAL_POLICY_WINDOWS)
    snprintf(buf, size, "class %d, thread priority %d%s%s", r->win_priority_class,
             r->win_thread_priority, r->mmcss_task[0] ? ", MMCSS " : "", r->mmcss_task);
  else if (r->policy == LAL_POLICY_FIFO || r->policy == LAL_POLICY_RR)
    snprintf(buf, size, "%s %d", policy_names[r->policy], r->rt_priority);
  else if (r->slice_ns)
    snprintf(buf, size, "%s nice %d, slice %llu us", policy_names[r->policy], r->nice,
             (unsigned long long)(r->slice_ns / 1000));
  else if (r->policy >= 0 && r->policy <= LAL_POLICY_DEADLINE)
    snprintf(buf, size, "%s nice %d", policy_names[r->policy], r->nice);
  else
    snprintf(buf, size, "policy %d", r->policy);
}
