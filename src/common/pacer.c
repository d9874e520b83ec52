/* SPDX-License-Identifier: MIT */
/* lal_pacer: periodic deadlines start + n x period, computed, never accumulated. */
#include <string.h>

#include "lal_internal.h"

#define PERIOD_MAX_NS (3600ull * 1000000000ull)
#define PACER_FLAGS (LAL_PACER_CATCH_UP | LAL_PACER_PRECISE)
#define LATE_BUCKETS 40

uint64_t lal_pacer_deadline(const lal_pacer *p, uint64_t n) {
  if (!p || !p->period_ns)
    return UINT64_MAX;
  if (n > (UINT64_MAX - p->start_ns) / p->period_ns)
    return UINT64_MAX; /* saturate: ~584 years of nanoseconds */
  return p->start_ns + n * p->period_ns;
}

int lal_pacer_init(lal_pacer *p, uint64_t period_ns, unsigned flags) {
  if (!p || period_ns == 0 || period_ns > PERIOD_MAX_NS || (flags & ~PACER_FLAGS))
    return LAL_EINVAL;
  memset(p, 0, sizeof *p);
  p->start_ns = lal_now_ns();
  p->period_ns = period_ns;
  p->index = 1;
  p->flags = flags;
  p->last_cpu = -1;
  return LAL_OK;
}

/* Counts a wake-up on `cpu` (negative: the OS did not say, not counted). */
static void record_cpu(lal_pacer *p, int cpu) {
  if (cpu < 0)
    return;
  if (p->last_cpu >= 0 && cpu != p->last_cpu)
    p->migrations++;
  p->last_cpu = cpu;
  for (int i = 0; i < LAL_PACER_CPUS; i++) {
    if (p->cpu_waits[i] == 0) {
      p->cpu[i] = cpu; /* first free slot: a new CPU */
      p->cpu_waits[i] = 1;
      return;
    }
    if (p->cpu[i] == cpu) {
      p->cpu_waits[i]++;
      return;
    }
  }
  p->other_cpu_waits++;
}

static unsigned bit_length(uint64_t v) {
  unsigned n = 0;
  while (v) {
    n++;
    v >>= 1;
  }
  return n;
}

int lal_pacer_wait(lal_pacer *p, uint64_t *late_ns) {
  /* The pacer is a plain value the caller owns: re-check what init and
   * set_period enforce, so a corrupted one fails instead of sleeping for
   * years. The next deadline is never more than one period (at most
   * PERIOD_MAX_NS) ahead of now: init and set_period both leave it there. */
  if (!p || p->period_ns == 0 || p->period_ns > PERIOD_MAX_NS || (p->flags & ~PACER_FLAGS))
    return LAL_EINVAL;
  uint64_t deadline = lal_pacer_deadline(p, p->index);
  uint64_t now = lal_now_ns();
  if (deadline > now && deadline - now > PERIOD_MAX_NS)
    return LAL_EINVAL;
  if (!(p->flags & LAL_PACER_CATCH_UP) && now >= deadline) {
    /* Late: skip to the first deadline still ahead and wait for it, as a
     * frame or audio loop needs (running at once, off the grid, would
     * squeeze the next period). missed = the deadlines skipped. */
    uint64_t n = (now - p->start_ns) / p->period_ns + 1;
    p->missed += n - p->index;
    p->index = n;
    deadline = lal_pacer_deadline(p, n);
  }
  int rc = lal_sleep_until(deadline, (p->flags & LAL_PACER_PRECISE) ? LAL_SLEEP_PRECISE : 0);
  if (rc != LAL_OK)
    return rc;
  now = lal_now_ns();
  uint64_t late = now > deadline ? now - deadline : 0;
  p->index++;
  p->waits++;
  p->late_sum_ns += late;
  if (late > p->late_max_ns)
    p->late_max_ns = late;
  unsigned bucket = bit_length(late);
  p->late_log2[bucket < LATE_BUCKETS ? bucket : LATE_BUCKETS - 1]++;
  if (p->hist)
    lal_hist_record(p->hist, late);
  record_cpu(p, lal_current_cpu());
  if (late_ns)
    *late_ns = late;
  return LAL_OK;
}

int lal_pacer_set_hist(lal_pacer *p, lal_hist *hist) {
  if (!p)
    return LAL_EINVAL;
  p->hist = hist;
  return LAL_OK;
}

int lal_pacer_set_period(lal_pacer *p, uint64_t period_ns) {
  if (!p || !p->period_ns || p->period_ns > PERIOD_MAX_NS || period_ns == 0 ||
      period_ns > PERIOD_MAX_NS)
    return LAL_EINVAL;
  p->start_ns = lal_pacer_deadline(p, p->index); /* the next deadline stays */
  p->index = 0;
  p->period_ns = period_ns;
  return LAL_OK;
}

/* Upper bound of the bucket holding the q-quantile (q in per mille). */
static uint64_t quantile(const lal_pacer *p, unsigned per_mille) {
  uint64_t target = (p->waits * per_mille + 999) / 1000, seen = 0;
  for (unsigned b = 0; b < LATE_BUCKETS; b++) {
    seen += p->late_log2[b];
    if (seen >= target && seen > 0)
      return b == 0 ? 0 : (b >= 63 ? UINT64_MAX : (UINT64_C(1) << b));
  }
  return p->late_max_ns;
}

int lal_pacer_get_stats(const lal_pacer *p, lal_pacer_stats *out) {
  if (!p || !LALI_OUT_VALID(out, lal_pacer_stats, late_p99_ns))
    return LAL_EINVAL;
  lal_pacer_stats s;
  memset(&s, 0, sizeof s);
  s.waits = p->waits;
  s.missed = p->missed;
  s.late_mean_ns = p->waits ? p->late_sum_ns / p->waits : 0;
  s.late_max_ns = p->late_max_ns;
  s.late_p50_ns = p->waits ? quantile(p, 500) : 0;
  s.late_p99_ns = p->waits ? quantile(p, 990) : 0;
  if (p->hist && p->hist->count) {
    s.late_p50_ns = lal_hist_value_at(p->hist, 50.0);
    s.late_p99_ns = lal_hist_value_at(p->hist, 99.0);
    s.late_p99_9_ns = lal_hist_value_at(p->hist, 99.9);
    s.exact = 1;
  }
  s.migrations = p->migrations;
  for (int i = 0; i < LAL_PACER_CPUS && p->cpu_waits[i]; i++) {
    s.cpu[s.cpus] = p->cpu[i];
    s.cpu_waits[s.cpus++] = p->cpu_waits[i];
  }
  s.other_cpu_waits = p->other_cpu_waits;
  LALI_OUT_SET(out, s);
  return LAL_OK;
}
