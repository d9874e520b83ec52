/* SPDX-License-Identifier: MIT */
/*
 * Windows thread scheduling: the process priority class and the thread's
 * relative priority together give its base priority ("Scheduling
 * Priorities"); MMCSS (avrt.dll, "Multimedia Class Scheduler Service") lifts
 * a registered thread into the realtime range for its task's share of each
 * period, without the process needing REALTIME_PRIORITY_CLASS; EcoQoS (thread
 * power throttling) may park a thread on efficient cores at low clock speed.
 *
 * Windows accepts most of these without a privilege; the exceptions are
 * REALTIME_PRIORITY_CLASS, which silently becomes HIGH_PRIORITY_CLASS without
 * SeIncreaseBasePriorityPrivilege (lal reads the class back to notice), and
 * MMCSS, which fails when its service is stopped.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include <avrt.h> /* needs windows.h first */

#include "compat.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "mmcss_service.h"
#include "privilege.h"
#include "priority_internal.h"

/* The MMCSS registration of this thread, if lal made one. */
static LALI_THREAD_LOCAL HANDLE mmcss_handle;
static LALI_THREAD_LOCAL char mmcss_task[32];
static LALI_THREAD_LOCAL AVRT_PRIORITY mmcss_prio;
static LALI_THREAD_LOCAL int throttling_off;
/* 1 once lal_thread_set_priority on this thread changed the process's
 * priority class: only then does restoring this thread's state touch the
 * class, which every thread of the process shares. */
static LALI_THREAD_LOCAL int class_changed_here;

static const DWORD class_of[] = {0,
                                 IDLE_PRIORITY_CLASS,
                                 BELOW_NORMAL_PRIORITY_CLASS,
                                 NORMAL_PRIORITY_CLASS,
                                 ABOVE_NORMAL_PRIORITY_CLASS,
                                 HIGH_PRIORITY_CLASS,
                                 REALTIME_PRIORITY_CLASS};

static int lal_class_of(DWORD c) {
  for (int i = 1; i <= LAL_WIN_CLASS_REALTIME; i++)
    if (class_of[i] == c)
      return i;
  return 0;
}

static void mmcss_leave(void) {
  if (mmcss_handle)
    AvRevertMmThreadCharacteristics(mmcss_handle);
  mmcss_handle = NULL;
  mmcss_task[0] = '\0';
  mmcss_prio = AVRT_PRIORITY_NORMAL;
}

/* Joins MMCSS task `task` (UTF-8) at `prio` (AVRT_PRIORITY_*). */
static int mmcss_join(const char *task, AVRT_PRIORITY prio) {
  if (mmcss_handle && strcmp(task, mmcss_task) == 0) {
    if (!AvSetMmThreadPriority(mmcss_handle, prio))
      return lali_fail_os();
    mmcss_prio = prio;
    return LAL_OK;
  }
  WCHAR wide[32];
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, task, -1, wide, 32) == 0)
    return LAL_EINVAL;
  DWORD index = 0;
  HANDLE h = AvSetMmThreadCharacteristicsW(wide, &index);
  if (!h)
    return lali_fail_os();
  if (!AvSetMmThreadPriority(h, prio)) {
    int rc = lali_fail_os();
    AvRevertMmThreadCharacteristics(h);
    return rc;
  }
  mmcss_leave();
  mmcss_handle = h;
  mmcss_prio = prio;
  lali_copy_string(mmcss_task, sizeof mmcss_task, task);
  return LAL_OK;
}

/* EcoQoS off (control EXECUTION_SPEED, state 0) or back to the OS's choice
 * (control 0) for this thread; a no-op where the OS has no such policy. */
static void throttling_set(int off) {
  lal_set_thread_information_fn set =
      (lal_set_thread_information_fn)lali_win_proc(L"kernel32.dll", "SetThreadInformation");
  lal_power_throttling_state s = {LAL_POWER_THROTTLING_VERSION,
                                  off ? LAL_POWER_THROTTLING_EXECUTION_SPEED : 0, 0};
  if (set && set(GetCurrentThread(), LAL_THREAD_POWER_THROTTLING_CLASS, &s, sizeof s))
    throttling_off = off;
}

int lali_os_priority_get(lal_priority_result *res) {
  int prio = GetThreadPriority(GetCurrentThread());
  DWORD cls = GetPriorityClass(GetCurrentProcess());
  if (prio == THREAD_PRIORITY_ERROR_RETURN || cls == 0)
    return lali_fail_os();
  res->policy = LAL_POLICY_WINDOWS;
  res->win_thread_priority = prio;
  res->win_priority_class = lal_class_of(cls);
  lali_copy_string(res->mmcss_task, sizeof res->mmcss_task, mmcss_task);
  res->mmcss_priority = mmcss_handle ? (int)mmcss_prio : 0;
  if (mmcss_handle)
    res->flags |= LAL_PRIORITY_MMCSS;
  if (throttling_off)
    res->flags |= LAL_PRIORITY_NO_THROTTLING;
  return LAL_OK;
}

int lali_os_priority_saved_check(const lal_priority_result *s) {
  /* What GetPriorityClass / GetThreadPriority can report ("Scheduling
   * Priorities"): the six classes, and the relative thread priorities
   * -2..2 plus IDLE (-15) and TIME_CRITICAL (15); realtime-class threads
   * may also hold -7..-3 and 3..6. An MMCSS task name must be terminated. */
  int p = s->win_thread_priority;
  if (s->policy != LAL_POLICY_WINDOWS || s->win_priority_class < 0 ||
      s->win_priority_class > LAL_WIN_CLASS_REALTIME)
    return LAL_EINVAL;
  if (!(p == THREAD_PRIORITY_IDLE || p == THREAD_PRIORITY_TIME_CRITICAL || (p >= -7 && p <= 6)))
    return LAL_EINVAL;
  if (memchr(s->mmcss_task, '\0', sizeof s->mmcss_task) == NULL)
    return LAL_EINVAL;
  if (s->mmcss_priority < AVRT_PRIORITY_LOW || s->mmcss_priority > AVRT_PRIORITY_CRITICAL)
    return LAL_EINVAL;
  return LAL_OK;
}

int lali_os_priority_restore(const lal_priority_result *saved) {
  /* The class belongs to the whole process: put back only a change this
   * thread's own lal_thread_set_priority made. */
  if (class_changed_here && saved->win_priority_class > 0) {
    DWORD cls = class_of[saved->win_priority_class];
    if (GetPriorityClass(GetCurrentProcess()) != cls && !SetPriorityClass(GetCurrentProcess(), cls))
      return lali_fail_os();
    class_changed_here = 0;
  }
  if (!SetThreadPriority(GetCurrentThread(), saved->win_thread_priority))
    return lali_fail_os();
  int rc = LAL_OK;
  AVRT_PRIORITY prio = (AVRT_PRIORITY)saved->mmcss_priority;
  if (saved->mmcss_task[0] == '\0')
    mmcss_leave();
  else if (!mmcss_handle || strcmp(saved->mmcss_task, mmcss_task) != 0 || prio != mmcss_prio)
    rc = mmcss_join(saved->mmcss_task, prio); /* the saved priority, not NORMAL */
  /* Throttling is restored whatever MMCSS said: the steps are independent. */
  throttling_set(saved->flags & LAL_PRIORITY_NO_THROTTLING ? 1 : 0);
  return rc;
}

/* nice -> relative thread priority, for explicit Linux-style requests. */
static int thread_priority_of_nice(int nice) {
  if (nice <= -10)
    return THREAD_PRIORITY_HIGHEST;
  if (nice <= -5)
    return THREAD_PRIORITY_ABOVE_NORMAL;
  if (nice < 5)
    return THREAD_PRIORITY_NORMAL;
  if (nice < 10)
    return THREAD_PRIORITY_BELOW_NORMAL;
  return THREAD_PRIORITY_LOWEST;
}

typedef struct plan {
  int win_class; /* LAL_WIN_CLASS_*, 0 = leave */
  int thread_prio;
  const char *mmcss; /* NULL = leave MMCSS */
  AVRT_PRIORITY mmcss_prio;
  int fallback_prio; /* thread priority when MMCSS is refused */
  int boost;         /* turn EcoQoS off */
} plan;

static int make_plan(const lal_priority_req *req, plan *p) {
  memset(p, 0, sizeof *p);
  p->fallback_prio = THREAD_PRIORITY_TIME_CRITICAL;
  switch (req->profile) {
  case LAL_PRIORITY_BACKGROUND:
    p->thread_prio = THREAD_PRIORITY_LOWEST;
    return LAL_OK;
  case LAL_PRIORITY_NORMAL:
    p->thread_prio = THREAD_PRIORITY_NORMAL;
    return LAL_OK;
  case LAL_PRIORITY_INTERACTIVE:
    p->thread_prio = THREAD_PRIORITY_HIGHEST;
    p->boost = 1;
    /* What Windows offers a game's threads: the MMCSS "Games" task (the
     * registry's SystemProfile\Tasks\Games), as AUDIO gets "Pro Audio". Only
     * where the caller allows degrading: without the MMCSS service (or under
     * Wine's stub avrt) the thread keeps THREAD_PRIORITY_HIGHEST and the
     * result says so; a strict INTERACTIVE stays the plain priority. */
    if (req->flags & LAL_PRIORITY_FALLBACK) {
      p->mmcss = "Games";
      p->mmcss_prio = AVRT_PRIORITY_NORMAL;
      p->fallback_prio = THREAD_PRIORITY_HIGHEST;
    }
    return LAL_OK;
  case LAL_PRIORITY_AUDIO:
    p->thread_prio = THREAD_PRIORITY_NORMAL; /* MMCSS sets the effective priority */
    p->mmcss = "Pro Audio";
    p->mmcss_prio = AVRT_PRIORITY_HIGH;
    p->boost = 1;
    return LAL_OK;
  case LAL_PRIORITY_REALTIME:
    p->thread_prio = THREAD_PRIORITY_TIME_CRITICAL;
    p->mmcss = "Pro Audio";
    p->mmcss_prio = AVRT_PRIORITY_CRITICAL;
    p->boost = 1;
    return LAL_OK;
  }
  p->boost = 1;
  switch (req->policy) {
  case LAL_POLICY_WINDOWS:
    p->win_class = req->win_priority_class;
    p->thread_prio = req->win_thread_priority;
    p->fallback_prio = req->win_thread_priority;
    if (req->mmcss_task[0]) {
      p->mmcss = req->mmcss_task;
      p->mmcss_prio = AVRT_PRIORITY_NORMAL;
    }
    p->boost = req->win_thread_priority > 0 || req->mmcss_task[0];
    return LAL_OK;
  case LAL_POLICY_OTHER:
  case LAL_POLICY_BATCH:
    /* An EEVDF slice (runtime_ns) has no Windows counterpart: the quantum is
     * the system's. Refused unless the caller allows degrading. */
    if (req->runtime_ns && !(req->flags & LAL_PRIORITY_FALLBACK))
      return LAL_ENOTSUP;
    p->thread_prio = thread_priority_of_nice(req->nice);
    p->boost = req->nice < 0;
    return LAL_OK;
  case LAL_POLICY_IDLE:
    p->thread_prio = THREAD_PRIORITY_IDLE;
    p->boost = 0;
    return LAL_OK;
  case LAL_POLICY_FIFO:
  case LAL_POLICY_RR:
    p->thread_prio = THREAD_PRIORITY_TIME_CRITICAL;
    return LAL_OK;
  }
  return LAL_ENOTSUP; /* SCHED_DEADLINE has no Windows counterpart */
}

static void note_failure(lal_priority_result *res, const char *what, int status) {
  char text[128];
  int os = lal_last_os_error();
  snprintf(text, sizeof text, "%s: %s (error %d)", what, lal_err_name(status), os);
  lali_priority_note(res, text);
  if (!res->denied) {
    res->denied = status;
    res->denied_os_error = os;
  }
}

int lali_os_priority_set(const lal_priority_req *req, lal_priority_result *res) {
  plan p;
  int rc = make_plan(req, &p);
  int fallback = req->flags & LAL_PRIORITY_FALLBACK;
  if (rc != LAL_OK) {
    lali_priority_note(res, "SCHED_DEADLINE: no Windows equivalent");
    lali_os_priority_get(res);
    return rc;
  }
  lal_priority_result before;
  memset(&before, 0, sizeof before);
  if ((rc = lali_os_priority_get(&before)) != LAL_OK)
    return rc;
  int degraded = 0;

  if (p.win_class) {
    DWORD want = class_of[p.win_class];
    /* REALTIME_PRIORITY_CLASS needs SeIncreaseBasePriorityPrivilege enabled,
     * not merely held; without it Windows gives HIGH (checked below). */
    if (want == REALTIME_PRIORITY_CLASS)
      lali_win_enable_privilege(L"SeIncreaseBasePriorityPrivilege");
    DWORD had = GetPriorityClass(GetCurrentProcess());
    int set = SetPriorityClass(GetCurrentProcess(), want);
    DWORD now = GetPriorityClass(GetCurrentProcess());
    if (now != had)
      class_changed_here = 1;
    if (!set) {
      rc = lali_fail_os();
      note_failure(res, "priority class", rc);
    } else if (now != want) {
      /* REALTIME without SeIncreaseBasePriorityPrivilege: Windows gave HIGH. */
      rc = LAL_EPERM;
      note_failure(res, "REALTIME_PRIORITY_CLASS (no SeIncreaseBasePriorityPrivilege)", rc);
    }
    if (rc != LAL_OK && !fallback)
      goto undo;
    degraded |= rc != LAL_OK;
    rc = LAL_OK;
  }
  if (!SetThreadPriority(GetCurrentThread(), p.thread_prio)) {
    rc = lali_fail_os();
    note_failure(res, "thread priority", rc);
    goto undo; /* no weaker step to fall back to */
  }
  if (p.mmcss) {
    rc = mmcss_join(p.mmcss, p.mmcss_prio);
    if (rc != LAL_OK) {
      note_failure(res, "MMCSS", rc);
    } else if (lali_win_mmcss_service_state() == 0) {
      /* avrt accepted the task, but no service will ever raise the thread
       * (stopped, or a stub avrt as under Wine): not applied, so not kept
       * and not reported. */
      mmcss_leave();
      rc = LAL_ENOTSUP;
      note_failure(res, "MMCSS (avrt accepted the task, but the MMCSS service is not running)", rc);
    }
    if (rc != LAL_OK) {
      if (!fallback)
        goto undo;
      degraded = 1;
      rc = SetThreadPriority(GetCurrentThread(), p.fallback_prio) ? LAL_OK : lali_fail_os();
      char text[64];
      snprintf(text, sizeof text, "thread priority %d instead", p.fallback_prio);
      lali_priority_note(res, text);
    }
  } else {
    mmcss_leave();
  }
  /* Only on a change: lal knows what it set on this thread, and the call is a
   * kernel round trip (tens of us under Wine). */
  if (!(req->flags & LAL_PRIORITY_KEEP_THROTTLING) && p.boost != throttling_off)
    throttling_set(p.boost);
  if (!degraded)
    lali_priority_note(res, "ok");
  lali_os_priority_get(res);
  if (degraded)
    res->flags |= LAL_PRIORITY_DEGRADED;
  return rc;

undo:
  lali_os_priority_restore(&before);
  lali_os_priority_get(res);
  res->flags |= LAL_PRIORITY_DEGRADED;
  return rc;
}
