/* SPDX-License-Identifier: MIT */
/*
 * Linux thread scheduling through sched_setattr(2)/sched_getattr(2): one
 * atomic call sets policy, RT priority, nice and SCHED_DEADLINE parameters of
 * the calling thread, so a refused request changes nothing. glibc before 2.41
 * has no wrapper, hence syscall(2) and lal's own struct (the kernel's
 * struct sched_attr, SCHED_ATTR_SIZE_VER1 = 56 bytes).
 *
 * The fallback chain follows what an unprivileged process may do (sched(7)):
 * RT policies need CAP_SYS_NICE or RLIMIT_RTPRIO >= the priority; lowering nice
 * needs CAP_SYS_NICE or RLIMIT_NICE >= 20 - nice; SCHED_DEADLINE needs
 * CAP_SYS_NICE, and its admission control may refuse (EBUSY) even as root.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "priority_internal.h"
#include "priority_chain.h"
#include "procfs.h"
#include "rtkit.h"

#define CAP_SYS_NICE_BIT 23

#define PROFILE_AUDIO_FIFO 60
#define PROFILE_REALTIME_FIFO 80
#define RTKIT_NICE (-11) /* what rtkit grants desktop audio threads */

static int setattr(const struct sched_attr_v1 *a) {
  struct sched_attr_v1 copy = *a;
  copy.size = sizeof copy;
  return syscall(SYS_sched_setattr, 0, &copy, 0) == 0 ? LAL_OK : lali_fail_os();
}

static int getattr(struct sched_attr_v1 *a) {
  memset(a, 0, sizeof *a);
  return syscall(SYS_sched_getattr, 0, a, sizeof *a, 0) == 0 ? LAL_OK : lali_fail_os();
}

static int64_t soft_limit(int resource) {
  struct rlimit rl;
  if (getrlimit(resource, &rl) != 0)
    return 0;
  return rl.rlim_cur == RLIM_INFINITY ? -1 : (int64_t)rl.rlim_cur;
}

static int has_cap_sys_nice(void) {
  char text[4096];
  /* live: the calling thread's own capabilities (procfs.h) */
  if (lali_linux_read_text("", "/proc/thread-self/status", text, sizeof text) <= 0)
    return 0;
  return (int)(lali_linux_status_cap_eff(text) >> CAP_SYS_NICE_BIT & 1);
}

static int policy_of_kernel(uint32_t k) {
  switch (k) {
  case K_FIFO:
    return LAL_POLICY_FIFO;
  case K_RR:
    return LAL_POLICY_RR;
  case K_BATCH:
    return LAL_POLICY_BATCH;
  case K_IDLE:
    return LAL_POLICY_IDLE;
  case K_DEADLINE:
    return LAL_POLICY_DEADLINE;
  default:
    return LAL_POLICY_OTHER;
  }
}

static int is_broker(int how) { return how == LALI_STEP_RTKIT || how == LALI_STEP_PORTAL; }

void lali_linux_step_describe(const lali_sched_chain *c, int i, char *buf, size_t size) {
  const struct sched_attr_v1 *a = &c->steps[i];
  if (is_broker(c->how[i]) && a->policy == K_OTHER)
    snprintf(buf, size, "%s nice %d", c->how[i] == LALI_STEP_RTKIT ? "rtkit" : "portal", a->nice);
  else if (is_broker(c->how[i]))
    snprintf(buf, size, "%s %s %u", c->how[i] == LALI_STEP_RTKIT ? "rtkit" : "portal",
             lal_policy_name(LAL_POLICY_RR), a->priority);
  else if (c->how[i] == LALI_STEP_SLICE)
    snprintf(buf, size, "%s slice %llu us", lal_policy_name(LAL_POLICY_OTHER),
             (unsigned long long)(a->runtime / 1000));
  else if ((a->policy == K_OTHER || a->policy == K_BATCH) && a->runtime)
    snprintf(buf, size, "%s nice %d, slice %llu us", lal_policy_name(policy_of_kernel(a->policy)),
             a->nice, (unsigned long long)(a->runtime / 1000));
  else
    lali_linux_sched_describe(a, buf, size);
}

void lali_linux_sched_describe(const struct sched_attr_v1 *a, char *buf, size_t size) {
  const char *name = lal_policy_name(policy_of_kernel(a->policy));
  switch (a->policy) {
  case K_FIFO:
  case K_RR:
    snprintf(buf, size, "%s %u", name, a->priority);
    break;
  case K_DEADLINE:
    snprintf(buf, size, "%s %llu/%llu/%llu ns", name, (unsigned long long)a->runtime,
             (unsigned long long)a->deadline, (unsigned long long)a->period);
    break;
  case K_IDLE:
    snprintf(buf, size, "%s", name);
    break;
  default:
    snprintf(buf, size, "%s nice %d", name, a->nice);
  }
}

static void fill_from(const struct sched_attr_v1 *a, int64_t rl_rtprio, int64_t rl_nice,
                      lal_priority_result *res) {
  res->policy = policy_of_kernel(a->policy);
  res->rt_priority = (a->policy == K_FIFO || a->policy == K_RR) ? (int)a->priority : 0;
  res->nice = (a->policy == K_FIFO || a->policy == K_RR || a->policy == K_DEADLINE) ? 0 : a->nice;
  res->runtime_ns = a->policy == K_DEADLINE ? a->runtime : 0;
  res->deadline_ns = a->policy == K_DEADLINE ? a->deadline : 0;
  res->period_ns = a->policy == K_DEADLINE ? a->period : 0;
  if (a->flags & K_RESET_ON_FORK)
    res->flags |= LAL_PRIORITY_RESET_ON_FORK;
  res->rlimit_rtprio = rl_rtprio;
  res->rlimit_nice = rl_nice;
}

int lali_os_priority_get(lal_priority_result *res) {
  struct sched_attr_v1 a;
  int rc = getattr(&a);
  if (rc == LAL_OK)
    fill_from(&a, soft_limit(RLIMIT_RTPRIO), soft_limit(RLIMIT_NICE), res);
  return rc;
}

int lali_os_priority_saved_check(const lal_priority_result *s) {
  /* sched_setattr(2)'s own rules: RT priority 1..99 for FIFO/RR and 0
   * otherwise; nice -20..19 for the time-sharing policies; DEADLINE with
   * 0 < runtime <= deadline <= period (period 0 = deadline). */
  switch (s->policy) {
  case LAL_POLICY_OTHER:
  case LAL_POLICY_BATCH:
  case LAL_POLICY_IDLE:
    return s->rt_priority == 0 && s->nice >= -20 && s->nice <= 19 ? LAL_OK : LAL_EINVAL;
  case LAL_POLICY_FIFO:
  case LAL_POLICY_RR:
    return s->rt_priority >= 1 && s->rt_priority <= 99 ? LAL_OK : LAL_EINVAL;
  case LAL_POLICY_DEADLINE: {
    uint64_t period = s->period_ns ? s->period_ns : s->deadline_ns;
    return s->runtime_ns > 0 && s->runtime_ns <= s->deadline_ns && s->deadline_ns <= period
               ? LAL_OK
               : LAL_EINVAL;
  }
  default:
    return LAL_EINVAL;
  }
}

int lali_os_priority_restore(const lal_priority_result *saved) {
  struct sched_attr_v1 a;
  memset(&a, 0, sizeof a);
  static const uint32_t k_of[] = {K_OTHER, K_BATCH, K_IDLE, K_FIFO, K_RR, K_DEADLINE};
  if (saved->policy < 0 || saved->policy > LAL_POLICY_DEADLINE)
    return LAL_EINVAL;
  a.policy = k_of[saved->policy];
  a.priority = (uint32_t)saved->rt_priority;
  a.nice = saved->nice;
  a.runtime = saved->runtime_ns;
  a.deadline = saved->deadline_ns;
  a.period = saved->period_ns;
  a.flags = saved->flags & LAL_PRIORITY_RESET_ON_FORK ? K_RESET_ON_FORK : 0;
  return setattr(&a);
}

/* ---- the request as a chain of attempts, first = what was asked */

static void push_how(lali_sched_chain *c, int how, uint32_t policy, uint32_t prio, int nice,
                     uint64_t flags) {
  if (c->n >= LALI_SCHED_CHAIN_MAX)
    return;
  c->how[c->n] = how;
  struct sched_attr_v1 *a = &c->steps[c->n++];
  memset(a, 0, sizeof *a);
  a->policy = policy;
  a->priority = prio;
  a->nice = nice;
  a->flags = flags;
}

static void push(lali_sched_chain *c, uint32_t policy, uint32_t prio, int nice, uint64_t flags) {
  push_how(c, LALI_STEP_SYSCALL, policy, prio, nice, flags);
}

/* The fallback steps a request allows: every one, unless it names some. */
#define VIA_ALL                                                                                    \
  (LAL_PRIORITY_VIA_RTKIT | LAL_PRIORITY_VIA_PORTAL | LAL_PRIORITY_VIA_SLICE |                     \
   LAL_PRIORITY_VIA_NICE)
static unsigned allowed_steps(unsigned flags) {
  return flags & VIA_ALL ? flags & VIA_ALL : VIA_ALL;
}

/* The lowest nice an unprivileged thread may set: RLIMIT_NICE r allows 20 - r
 * (setrlimit(2)); unlimited allows -20. */
static int lowest_nice(int64_t rlimit_nice) {
  if (rlimit_nice < 0 || rlimit_nice >= 40)
    return -20;
  return (int)(20 - rlimit_nice);
}

static void degrade_nice(lali_sched_chain *c, int nice, uint64_t keep_flags, int64_t rl_nice) {
  int lo = lowest_nice(rl_nice);
  if (nice < 0 && lo > nice && lo < 0)
    push(c, K_OTHER, 0, lo, keep_flags);
}

/* A negative nice the limits refuse: ask the brokers for it, as a desktop
 * grants a game's thread (rtkit's MakeThreadHighPriority, within its
 * MinNiceLevel; the portal forwards to it), the portal first in Flatpak. */
static void degrade_nice_brokers(lali_sched_chain *c, int nice, unsigned allow, int flatpak) {
  int order[2] = {flatpak ? LALI_STEP_PORTAL : LALI_STEP_RTKIT,
                  flatpak ? LALI_STEP_RTKIT : LALI_STEP_PORTAL};
  for (int i = 0; i < 2 && nice < 0; i++) {
    unsigned bit = order[i] == LALI_STEP_RTKIT ? LAL_PRIORITY_VIA_RTKIT : LAL_PRIORITY_VIA_PORTAL;
    if (allow & bit)
      push_how(c, order[i], K_OTHER, 0, nice, 0);
  }
}

/* After the direct RT attempts: the brokers (the portal first inside
 * Flatpak, where rtkit is not reachable), the slice hint (its nice is set to
 * the thread's own when applied), then nice. */
static void degrade_rt(lali_sched_chain *c, uint32_t policy, uint32_t prio, uint64_t keep_flags,
                       int64_t rl_rtprio, int64_t rl_nice, unsigned allow, int flatpak) {
  if (rl_rtprio > 0 && rl_rtprio < (int64_t)prio)
    push(c, policy, (uint32_t)rl_rtprio, 0, K_RESET_ON_FORK);
  int order[2] = {flatpak ? LALI_STEP_PORTAL : LALI_STEP_RTKIT,
                  flatpak ? LALI_STEP_RTKIT : LALI_STEP_PORTAL};
  for (int i = 0; i < 2; i++) {
    unsigned bit = order[i] == LALI_STEP_RTKIT ? LAL_PRIORITY_VIA_RTKIT : LAL_PRIORITY_VIA_PORTAL;
    if (allow & bit)
      push_how(c, order[i], K_RR, prio, 0, K_RESET_ON_FORK);
  }
  if (allow & LAL_PRIORITY_VIA_SLICE) {
    push_how(c, LALI_STEP_SLICE, K_OTHER, 0, 0, keep_flags);
    c->steps[c->n - 1].runtime = LALI_SLICE_NS;
  }
  if (allow & LAL_PRIORITY_VIA_NICE) {
    push(c, K_OTHER, 0, RTKIT_NICE, keep_flags);
    degrade_nice(c, RTKIT_NICE, keep_flags, rl_nice);
  }
}

int lali_linux_priority_chain(const lal_priority_req *req, uint64_t cur_flags, int64_t rl_rt,
                              int64_t rl_nice, int flatpak, lali_sched_chain *c) {
  uint64_t keep = cur_flags & K_RESET_ON_FORK; /* an unprivileged thread cannot clear it */
  unsigned allow = allowed_steps(req->flags);
  int policy = req->profile == LAL_PRIORITY_EXPLICIT ? req->policy : -1;
  c->n = 0;
  switch (req->profile) {
  case LAL_PRIORITY_BACKGROUND:
    push(c, K_BATCH, 0, 10, keep);
    return LAL_OK;
  case LAL_PRIORITY_NORMAL:
    push(c, K_OTHER, 0, 0, keep);
    return LAL_OK;
  case LAL_PRIORITY_INTERACTIVE:
    push(c, K_OTHER, 0, -10, keep);
    if (allow & LAL_PRIORITY_VIA_NICE) /* the rlimit's own nice needs no broker */
      degrade_nice(c, -10, keep, rl_nice);
    degrade_nice_brokers(c, -10, allow, flatpak);
    return LAL_OK;
  case LAL_PRIORITY_AUDIO:
  case LAL_PRIORITY_REALTIME: {
    uint32_t prio = req->profile == LAL_PRIORITY_AUDIO ? PROFILE_AUDIO_FIFO : PROFILE_REALTIME_FIFO;
    push(c, K_FIFO, prio, 0, K_RESET_ON_FORK);
    degrade_rt(c, K_FIFO, prio, keep, rl_rt, rl_nice, allow, flatpak);
    return LAL_OK;
  }
  }
  switch (policy) {
  case LAL_POLICY_OTHER:
  case LAL_POLICY_BATCH:
    push(c, policy == LAL_POLICY_BATCH ? K_BATCH : K_OTHER, 0, req->nice, keep);
    c->steps[0].runtime = req->runtime_ns; /* the EEVDF slice, 0 = the kernel's */
    degrade_nice(c, req->nice, keep, rl_nice);
    if (c->n > 1)
      c->steps[1].runtime = req->runtime_ns;
    return LAL_OK;
  case LAL_POLICY_IDLE:
    push(c, K_IDLE, 0, 0, keep);
    return LAL_OK;
  case LAL_POLICY_FIFO:
  case LAL_POLICY_RR: {
    uint32_t k = policy == LAL_POLICY_FIFO ? K_FIFO : K_RR;
    push(c, k, (uint32_t)req->rt_priority, 0, K_RESET_ON_FORK);
    degrade_rt(c, k, (uint32_t)req->rt_priority, keep, rl_rt, rl_nice, allow, flatpak);
    return LAL_OK;
  }
  case LAL_POLICY_DEADLINE:
    /* A SCHED_DEADLINE task cannot fork at all (sched(7)): no reset-on-fork. */
    push(c, K_DEADLINE, 0, 0, 0);
    c->steps[0].runtime = req->runtime_ns;
    c->steps[0].deadline = req->deadline_ns;
    c->steps[0].period = req->period_ns ? req->period_ns : req->deadline_ns;
    push(c, K_FIFO, PROFILE_REALTIME_FIFO, 0, K_RESET_ON_FORK);
    degrade_rt(c, K_FIFO, PROFILE_REALTIME_FIFO, keep, rl_rt, rl_nice, allow, flatpak);
    return LAL_OK;
  }
  return LAL_ENOTSUP; /* LAL_POLICY_WINDOWS */
}

/* The slice hint: SCHED_OTHER at the thread's own nice with sched_runtime
 * set. Linux 6.12+ takes it as the EEVDF slice and reports it back from
 * sched_getattr; older kernels accept the call but keep their default, so
 * the read-back is the check (and the thread is put back when it fails). */
static int apply_slice(struct sched_attr_v1 *step, const struct sched_attr_v1 *cur, int own_nice,
                       char *note, size_t size) {
  if (own_nice)
    step->nice = cur->policy == K_OTHER || cur->policy == K_BATCH ? cur->nice : 0;
  int rc = setattr(step);
  if (rc != LAL_OK)
    return rc;
  struct sched_attr_v1 now;
  if (getattr(&now) == LAL_OK && now.runtime == step->runtime)
    return LAL_OK;
  setattr(cur);
  snprintf(note, size, "the kernel keeps its own slice (an EEVDF slice hint needs Linux 6.12)");
  return LAL_ENOTSUP;
}

/* A broker step: the grant, then what the thread really has. A SCHED_OTHER
 * step asks for a nice value, the others for realtime. */
static int apply_broker(int how, struct sched_attr_v1 *step, lal_priority_result *res, char *note,
                        size_t size) {
  lali_broker_grant g;
  int which = how == LALI_STEP_PORTAL ? LALI_BROKER_PORTAL : LALI_BROKER_RTKIT;
  int rc = step->policy == K_OTHER ? lali_linux_broker_nice(which, step->nice, &g)
                                   : lali_linux_broker_realtime(which, step->priority, &g);
  snprintf(note, size, "%s", g.reason);
  if (rc != LAL_OK)
    return rc;
  struct sched_attr_v1 now;
  if (getattr(&now) == LAL_OK)
    *step = now; /* SCHED_RR | SCHED_RESET_ON_FORK at the granted priority */
  (void)res;
  return LAL_OK;
}

static int via_of(const lali_sched_chain *c, int i) {
  if (c->how[i] == LALI_STEP_RTKIT)
    return LAL_VIA_RTKIT;
  if (c->how[i] == LALI_STEP_PORTAL)
    return LAL_VIA_PORTAL;
  if (c->how[i] == LALI_STEP_SLICE)
    return LAL_VIA_SLICE;
  return i == 0                                                           ? LAL_VIA_DIRECT
         : c->steps[i].policy == K_OTHER && c->steps[0].policy != K_OTHER ? LAL_VIA_NICE
                                                                          : LAL_VIA_DIRECT;
}

int lali_os_priority_set(const lal_priority_req *req, lal_priority_result *res) {
  struct sched_attr_v1 cur;
  int rc = getattr(&cur);
  if (rc != LAL_OK)
    return rc;
  int64_t rl_rt = soft_limit(RLIMIT_RTPRIO), rl_nice = soft_limit(RLIMIT_NICE);
  lali_sched_chain c;
  rc = lali_linux_priority_chain(req, cur.flags, rl_rt, rl_nice, lali_linux_in_flatpak(""), &c);
  if (rc != LAL_OK) {
    lali_priority_note(res, "LAL_POLICY_WINDOWS: Windows only");
    fill_from(&cur, rl_rt, rl_nice, res);
    res->obtained_via = LAL_VIA_UNCHANGED;
    res->rlimit_rttime = soft_limit(RLIMIT_RTTIME);
    return rc;
  }
  int fallback = req->flags & LAL_PRIORITY_FALLBACK;
  int applied = -1, explained = 0;
  for (int i = 0; i < (fallback ? c.n : 1) && applied < 0; i++) {
    char what[96], note[320], detail[200] = "";
    lali_linux_step_describe(&c, i, what, sizeof what);
    int st;
    if (is_broker(c.how[i]))
      st = apply_broker(c.how[i], &c.steps[i], res, detail, sizeof detail);
    else if (c.how[i] == LALI_STEP_SLICE ||
             (c.steps[i].runtime && (c.steps[i].policy == K_OTHER || c.steps[i].policy == K_BATCH)))
      st = apply_slice(&c.steps[i], &cur, c.how[i] == LALI_STEP_SLICE, detail, sizeof detail);
    else
      st = setattr(&c.steps[i]);
    if (st == LAL_OK) {
      applied = i;
      if (is_broker(c.how[i]))
        snprintf(note, sizeof note, "%s", detail); /* the broker's own words, clamp included */
      else
        snprintf(note, sizeof note, "%s: ok", what);
    } else {
      int os = lal_last_os_error();
      if (!res->denied) {
        res->denied = st;
        res->denied_os_error = os;
      }
      if (detail[0])
        snprintf(note, sizeof note, "%s%s%s", is_broker(c.how[i]) ? "" : what,
                 is_broker(c.how[i]) ? "" : ": ", detail);
      else if (st == LAL_EPERM && !explained++) /* the limits once, on the first refusal */
        snprintf(note, sizeof note, "%s: %s (RLIMIT_RTPRIO %lld, RLIMIT_NICE %lld, %s)", what,
                 lal_err_name(st), (long long)rl_rt, (long long)rl_nice,
                 has_cap_sys_nice() ? "CAP_SYS_NICE" : "no CAP_SYS_NICE");
      else if (st == LAL_EPERM)
        snprintf(note, sizeof note, "%s: %s", what, lal_err_name(st));
      else
        snprintf(note, sizeof note, "%s: %s (errno %d)", what, lal_err_name(st), os);
    }
    lali_priority_note(res, note);
  }
  /* sched_setattr applies exactly what it accepts: the result is the step
   * that succeeded (sched_flags as sent; a broker's as read back), or the
   * state before. */
  fill_from(applied >= 0 ? &c.steps[applied] : &cur, rl_rt, rl_nice, res);
  res->obtained_via = applied >= 0 ? via_of(&c, applied) : LAL_VIA_UNCHANGED;
  res->slice_ns =
      applied >= 0 && (c.steps[applied].policy == K_OTHER || c.steps[applied].policy == K_BATCH)
          ? c.steps[applied].runtime
          : 0;
  res->rlimit_rttime = soft_limit(RLIMIT_RTTIME);
  if (applied != 0) {
    res->flags |= LAL_PRIORITY_DEGRADED;
    if (!fallback)
      return res->denied;
    if (applied < 0)
      lali_priority_note(res, "left unchanged");
  }
  return LAL_OK;
}
