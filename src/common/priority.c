/* SPDX-License-Identifier: MIT */
/* Priority entry points: validation, result hand-back, and saved thread state. */
#include <string.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "priority_internal.h"

int lali_priority_load(lal_priority_req *full, const lal_priority_req *req) {
  lal_priority_req defaults = LAL_PRIORITY_REQ_INIT;
  *full = defaults;
  if (!req || lali_input_struct_load(full, sizeof *full, req,
                                     LALI_INPUT_MIN(lal_priority_req, profile)) != LAL_OK)
    return LAL_EINVAL;
  return lali_priority_validate(full);
}

int lali_priority_validate(const lal_priority_req *req) {
  if (!req || req->size != sizeof *req || (req->flags & ~LALI_PRIORITY_KNOWN_FLAGS) ||
      req->profile < LAL_PRIORITY_BACKGROUND || req->profile > LAL_PRIORITY_EXPLICIT)
    return LAL_EINVAL;
  if (memchr(req->mmcss_task, '\0', sizeof req->mmcss_task) == NULL)
    return LAL_EINVAL;
  if (req->profile != LAL_PRIORITY_EXPLICIT)
    return LAL_OK;
  switch (req->policy) {
  case LAL_POLICY_OTHER:
  case LAL_POLICY_BATCH:
    /* runtime_ns: the EEVDF slice, 0 (the kernel's) or 0.1-100 ms (the
     * range Linux 6.12 clamps to). */
    if (req->runtime_ns && (req->runtime_ns < 100000 || req->runtime_ns > 100000000))
      return LAL_EINVAL;
    return req->nice >= -20 && req->nice <= 19 ? LAL_OK : LAL_EINVAL;
  case LAL_POLICY_IDLE:
    return LAL_OK;
  case LAL_POLICY_FIFO:
  case LAL_POLICY_RR:
    return req->rt_priority >= 1 && req->rt_priority <= 99 ? LAL_OK : LAL_EINVAL;
  case LAL_POLICY_DEADLINE: {
    /* sched(7): runtime <= deadline <= period; period 0 means = deadline. The
     * kernel also wants runtime >= 1024 ns (its precision) and periods that
     * fit in 2^63 ns; lal checks the order, the kernel the rest. */
    uint64_t period = req->period_ns ? req->period_ns : req->deadline_ns;
    if (req->runtime_ns < 1024 || req->runtime_ns > req->deadline_ns || req->deadline_ns > period)
      return LAL_EINVAL;
    return LAL_OK;
  }
  case LAL_POLICY_WINDOWS:
    if (req->win_priority_class < 0 || req->win_priority_class > LAL_WIN_CLASS_REALTIME)
      return LAL_EINVAL;
    /* THREAD_PRIORITY_IDLE (-15), LOWEST..HIGHEST (-2..2), TIME_CRITICAL (15). */
    if (!(req->win_thread_priority >= -2 && req->win_thread_priority <= 2) &&
        req->win_thread_priority != -15 && req->win_thread_priority != 15)
      return LAL_EINVAL;
    return LAL_OK;
  }
  return LAL_EINVAL;
}

void lali_priority_note(lal_priority_result *res, const char *text) {
  lali_append_note(res->reason, sizeof res->reason, text);
}

int lal_thread_set_priority(const lal_priority_req *req, lal_priority_result *result) {
  lal_priority_req loaded;
  if (lali_priority_load(&loaded, req) != LAL_OK ||
      !LALI_OUT_OPTIONAL_VALID(result, lal_priority_result, reason))
    return LAL_EINVAL;
  req = &loaded; /* from here on, only the loaded copy is read */
  lal_priority_result full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  int rc = lali_os_priority_set(req, &full);
  if (result)
    LALI_OUT_SET(result, full);
  return rc;
}

int lal_thread_get_priority(lal_priority_result *out) {
  if (!LALI_OUT_VALID(out, lal_priority_result, reason))
    return LAL_EINVAL;
  lal_priority_result full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  int rc = lali_os_priority_get(&full);
  if (rc == LAL_OK)
    LALI_OUT_SET(out, full);
  return rc;
}

int lal_thread_state_save(lal_thread_state *state) {
  if (!state)
    return LAL_EINVAL;
  lal_thread_state s;
  memset(&s, 0, sizeof s);
  s.priority.size = sizeof s.priority;
  int rc = lali_os_thread_affinity_get(&s.affinity);
  if (rc == LAL_OK)
    rc = lali_os_priority_get(&s.priority);
  if (rc != LAL_OK)
    return rc;
  s.valid = 1;
  *state = s;
  return LAL_OK;
}

int lal_thread_state_restore(const lal_thread_state *state) {
  /* Everything is checked before anything changes, then applied all or
   * nothing: affinity first, because lal's affinity set refuses (and undoes)
   * a mask the kernel would trim, and going back to the previous mask needs
   * no privilege, while undoing a priority change may (raising a nice value
   * back without CAP_SYS_NICE). If the priority step fails, the affinity
   * goes back to what it was. */
  if (!state || state->valid != 1 || lal_cpuset_count(&state->affinity) <= 0 ||
      lali_os_priority_saved_check(&state->priority) != LAL_OK)
    return LAL_EINVAL;
  lal_thread_state before;
  int rc = lal_thread_state_save(&before);
  if (rc != LAL_OK)
    return rc;
  rc = lali_os_thread_affinity_set(&state->affinity);
  if (rc != LAL_OK)
    return rc;
  rc = lali_os_priority_restore(&state->priority);
  if (rc != LAL_OK) {
    /* Windows restores in steps (class, thread priority, MMCSS): put back
     * any step that was applied. A failed sched_setattr changed nothing. */
    lali_os_priority_restore(&before.priority);
    lali_os_thread_affinity_set(&before.affinity);
  }
  return rc;
}
