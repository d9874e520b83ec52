/* SPDX-License-Identifier: MIT */
/* See priority_text.h. */
#include "priority_text.h"

#include <ctype.h>
#include <stdio.h>

int priority_profile_parse(const char *name) {
  for (int p = LAL_PRIORITY_BACKGROUND; name && p <= LAL_PRIORITY_REALTIME; p++) {
    const char *a = name, *b = lal_priority_profile_name(p);
    while (*a && *b && toupper((unsigned char)*a) == *b)
      a++, b++;
    if (!*a && !*b)
      return p;
  }
  return -1;
}

void priority_text(const lal_priority_result *r, char *buf, size_t size) {
  if (r->policy == LAL_POLICY_WINDOWS)
    snprintf(buf, size, "class %d, thread priority %d%s%s", r->win_priority_class,
             r->win_thread_priority, r->mmcss_task[0] ? ", MMCSS " : "", r->mmcss_task);
  else if (r->policy == LAL_POLICY_FIFO || r->policy == LAL_POLICY_RR)
    snprintf(buf, size, "%s %d", lal_policy_name(r->policy), r->rt_priority);
  else if (r->slice_ns)
    snprintf(buf, size, "%s nice %d, slice %llu us", lal_policy_name(r->policy), r->nice,
             (unsigned long long)(r->slice_ns / 1000));
  else if (r->policy >= 0 && r->policy <= LAL_POLICY_DEADLINE)
    snprintf(buf, size, "%s nice %d", lal_policy_name(r->policy), r->nice);
  else
    snprintf(buf, size, "policy %d", r->policy);
}
