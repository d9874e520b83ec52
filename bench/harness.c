/* SPDX-License-Identifier: MIT */
/*
 * The harness lal-bench puts its measuring thread in before the workloads:
 * --cpu pins it, --priority applies a profile (with fallback: what was
 * obtained is recorded, never assumed), --lock locks the process's memory
 * (current and future, with fallback). Each workload runs from this state and
 * main() puts it back after each one, so a workload that re-pins or
 * re-prioritises itself does not leak into the next. Threads a workload
 * creates for its own comparison (the per-profile wakeup threads, IPC peers,
 * core-to-core pairs) set their own placement, as the series names say.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "lal.h"
#include "priority_text.h"

int bench_harness_apply(bench_harness *h) {
  snprintf(h->cpu_got, sizeof h->cpu_got, "not pinned");
  snprintf(h->priority_got, sizeof h->priority_got, "not requested");
  snprintf(h->lock_got, sizeof h->lock_got, "not requested");
  snprintf(h->pm_qos_got, sizeof h->pm_qos_got, "not requested");
  if (h->pm_qos >= 0) {
    /* Held for the whole run, as cyclictest holds its own: a comparison of
     * wake-up latency is fair only under the same idle-state limit. */
    lal_pm_qos_result r = LAL_PM_QOS_RESULT_INIT;
    int rc = lal_pm_qos_hold((uint32_t)h->pm_qos, &h->qos, &r);
    snprintf(h->pm_qos_got, sizeof h->pm_qos_got, "%s%s%s", rc == LAL_OK ? "" : lal_err_name(rc),
             rc == LAL_OK ? "" : ": ", r.reason);
  }
  if (h->cpu >= 0) {
    lal_cpuset pin;
    lal_cpuset_zero(&pin);
    int rc = lal_cpuset_set(&pin, h->cpu);
    if (rc == LAL_OK)
      rc = lal_thread_set_affinity(&pin);
    if (rc != LAL_OK) {
      fprintf(stderr, "lal-bench: --cpu %d: %s (%s)\n", h->cpu, lal_err_name(rc), lal_strerror(rc));
      return 2;
    }
    snprintf(h->cpu_got, sizeof h->cpu_got, "%d", h->cpu);
  }
  if (h->priority > 0) {
    lal_priority_req req = LAL_PRIORITY_REQ_INIT;
    req.profile = h->priority;
    req.flags = LAL_PRIORITY_FALLBACK;
    lal_priority_result r = LAL_PRIORITY_RESULT_INIT;
    int rc = lal_thread_set_priority(&req, &r);
    char got[128];
    priority_text(&r, got, sizeof got);
    snprintf(h->priority_got, sizeof h->priority_got, "%s: %s%s%s%s",
             lal_priority_profile_name(h->priority), rc == LAL_OK ? got : lal_err_name(rc),
             r.flags & LAL_PRIORITY_DEGRADED ? " (degraded: " : "",
             r.flags & LAL_PRIORITY_DEGRADED ? r.reason : "",
             r.flags & LAL_PRIORITY_DEGRADED ? ")" : "");
  }
  if (h->lock) {
    lal_lock_result r = LAL_LOCK_RESULT_INIT;
    int rc =
        lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE | LAL_MEM_LOCK_FALLBACK, &r);
    snprintf(h->lock_got, sizeof h->lock_got, "%s%s%s%s%s",
             rc != LAL_OK                      ? lal_err_name(rc)
             : r.applied == 0                  ? "nothing locked"
             : r.applied & LAL_MEM_LOCK_FUTURE ? "current and future pages locked"
                                               : "current pages locked",
             r.degraded ? " (degraded" : "", r.degraded && r.reason[0] ? ": " : "",
             r.degraded ? r.reason : "", r.degraded ? ")" : "");
  }
  printf("harness: cpu %s; priority %s; memory %s; pm qos %s\n", h->cpu_got, h->priority_got,
         h->lock_got, h->pm_qos_got);
  return 0;
}

void bench_harness_json(json_writer *jw, const bench_harness *h) {
  json_string(jw, "harness_cpu", h->cpu_got);
  json_string(jw, "harness_priority", h->priority_got);
  json_string(jw, "harness_memory_lock", h->lock_got);
  json_string(jw, "harness_pm_qos", h->pm_qos_got);
}

void bench_harness_release(bench_harness *h) {
  if (h->qos)
    lal_pm_qos_release(h->qos);
  h->qos = NULL;
}
