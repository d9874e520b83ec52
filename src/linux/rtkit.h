/* SPDX-License-Identifier: MIT */
/* Realtime through rtkit or the xdg Realtime portal (rtkit.c). */
#ifndef LAL_SRC_LINUX_RTKIT_H
#define LAL_SRC_LINUX_RTKIT_H

#include <stdint.h>

enum { LALI_BROKER_RTKIT = 0, LALI_BROKER_PORTAL = 1 };

/* What a broker granted or why not. */
typedef struct lali_broker_grant {
  int priority;     /* SCHED_RR priority obtained, 0 if none */
  int clamped;      /* the priority asked was above the broker's maximum */
  int max_priority; /* MaxRealtimePriority, MinNiceLevel, RTTimeUSecMax as read */
  int min_nice;
  long long rttime_us; /* -1 if not read */
  int rttime_lowered;  /* 1 if RLIMIT_RTTIME was lowered (soft and hard) for it */
  int nice;            /* the nice value obtained (lali_linux_broker_nice) */
  char reason[200];    /* "rtkit: SCHED_RR 20 (asked 60; rtkit allows at most 20)" */
} lali_broker_grant;

/* Asks the broker (LALI_BROKER_RTKIT on the system bus, LALI_BROKER_PORTAL
 * on the session bus) to make the calling thread SCHED_RR at `want`, clamped
 * to its MaxRealtimePriority, after lowering RLIMIT_RTTIME (soft and hard) to
 * its RTTimeUSecMax. The limit is lowered only once the broker answered (its
 * properties read; for the portal, rtkit behind it too: a no-op
 * MakeThreadHighPriority at the thread's own nice), since the hard limit
 * cannot be raised again; g->rttime_lowered and g->reason say when it was.
 * LAL_OK; LAL_ENOTSUP: no libdbus-1, no bus, or no such service; LAL_EPERM:
 * refused; LAL_EAGAIN: no reply in 2 s; g->reason says which. Costs a D-Bus
 * connection and three to five round trips (~ms). */
int lali_linux_broker_realtime(int which, uint32_t want, lali_broker_grant *g);

/* Asks the broker for nice `want` on the calling thread
 * (MakeThreadHighPriorityWithPID), raised to its MinNiceLevel when below it.
 * Statuses as above; g->nice is what was granted. */
int lali_linux_broker_nice(int which, int want, lali_broker_grant *g);

/* 1 inside a Flatpak sandbox (root + "/.flatpak-info" exists). */
int lali_linux_in_flatpak(const char *root);

#endif
