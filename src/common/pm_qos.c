/* SPDX-License-Identifier: MIT */
/*
 * lal_pm_qos_hold / lal_pm_qos_release: checks, and a registry of the live
 * handles, so that releasing one twice (or a pointer lal never returned) is
 * LAL_EINVAL instead of a double close of whatever the descriptor became.
 */
#include <stdlib.h>
#include <string.h>

#include "lal_atomic.h"
#include "lal_internal.h"
#include "lal_os.h"

struct lal_pm_qos {
  intptr_t token;
  lal_pm_qos *next;
};

static lali_spinlock live_lock = LALI_SPINLOCK_INIT;
static lal_pm_qos *live;

static int take_live(lal_pm_qos *q) {
  int found = 0;
  lali_spin_lock(&live_lock);
  for (lal_pm_qos **p = &live; *p; p = &(*p)->next)
    if (*p == q) {
      *p = q->next;
      found = 1;
      break;
    }
  lali_spin_unlock(&live_lock);
  return found;
}

int lal_pm_qos_hold(uint32_t max_resume_latency_us, lal_pm_qos **out, lal_pm_qos_result *res) {
  if (!out || max_resume_latency_us > LAL_PM_QOS_LATENCY_MAX_US ||
      !LALI_OUT_OPTIONAL_VALID(res, lal_pm_qos_result, reason))
    return LAL_EINVAL;
  lal_pm_qos_result full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  lal_pm_qos *q = calloc(1, sizeof *q);
  int rc =
      q ? lali_os_pm_qos_open(max_resume_latency_us, &q->token, full.reason, sizeof full.reason)
        : LAL_ENOMEM;
  if (rc == LAL_OK) {
    full.latency_us = max_resume_latency_us;
    full.system_wide = 1;
    lali_spin_lock(&live_lock);
    q->next = live;
    live = q;
    lali_spin_unlock(&live_lock);
    *out = q;
  } else {
    free(q);
  }
  if (res)
    LALI_OUT_SET(res, full);
  return rc;
}

int lal_pm_qos_release(lal_pm_qos *qos) {
  if (!qos || !take_live(qos))
    return LAL_EINVAL;
  lali_os_pm_qos_close(qos->token);
  free(qos);
  return LAL_OK;
}
