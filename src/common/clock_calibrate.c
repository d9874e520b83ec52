/* SPDX-License-Identifier: MIT */
/*
 * Calibration of the TSC against the OS raw clock, and the measured trust
 * checks: cross-CPU offsets and monotonicity across forced migrations. The
 * approach follows what the kernel's own TSC sync check does
 * (arch/x86/kernel/tsc_sync.c) from user space: pin to each CPU in turn and
 * compare readings against one reference clock.
 */
#include <string.h>

#include "clock_internal.h"

#define CALIBRATION_HALF_NS 10000000u /* two 10 ms windows: <= 25 ms first use */
/* Under load a visit to a busy CPU waits for it: visits stop once they have
 * taken this long, so a loaded machine's first use stays near 25 ms. */
#define VISIT_BUDGET_NS 8000000u
#define PAIR_TRIES 9
#define SYNC_CPUS_MAX 16 /* bound the init cost on big machines */
#define SYNC_ROUNDS 2

uint64_t lali_clock_sample_pair(uint64_t (*clock)(void), uint64_t *tsc, uint64_t *ns) {
  uint64_t best = UINT64_MAX;
  *tsc = *ns = 0; /* if no try is usable (the TSC went backwards), callers see 0 */
  for (int i = 0; i < PAIR_TRIES; i++) {
    uint64_t t0 = lal_tsc_ordered();
    uint64_t n = clock();
    uint64_t t1 = lal_tsc_ordered();
    if (t1 >= t0 && t1 - t0 < best) {
      best = t1 - t0;
      *tsc = t0 + (t1 - t0) / 2; /* the OS read happened around the middle */
      *ns = n;
    }
  }
  return best;
}

static uint64_t hz_between(uint64_t tsc0, uint64_t ns0, uint64_t tsc1, uint64_t ns1) {
  if (tsc1 <= tsc0 || ns1 <= ns0)
    return 0;
  return (uint64_t)((double)(tsc1 - tsc0) * 1e9 / (double)(ns1 - ns0) + 0.5);
}

/* Busy-waits (sleeping most of it) until the raw clock reaches `until`. */
static void wait_raw_until(uint64_t until) {
  uint64_t now = lali_os_mono_raw_ns();
  if (now + 200000 < until) /* leave the last 200 us to the spin below */
    lali_os_sleep_until_mono(lali_os_mono_ns() + (until - now - 200000));
  while (lali_os_mono_raw_ns() < until) {
  }
}

struct cpu_sample {
  uint64_t tsc, ns;
};

/* The CPU visits of one calibration. They run on a short-lived helper thread,
 * never on the caller's: pinning the caller and restoring it afterwards is
 * not invisible. On Windows 11 / Server 2022 a thread spans every group of its
 * process until SetThreadGroupAffinity confines it to one, and nothing widens
 * it again ("Processor Groups"), so a visit-and-restore on the caller would
 * leave a game's main thread in one group for good; on Linux another thread
 * watching the caller would see its affinity narrowed during lal_init. */
typedef struct measure_job {
  const lali_clock_visit_os *os;
  lali_tsc_evidence *ev;
  int visits; /* 1: the helper may move itself between CPUs */
} measure_job;

static void measure(const lali_clock_visit_os *os, lali_tsc_evidence *ev, int visits) {
  ev->measured_hz = ev->measured_hz_first = ev->measured_hz_second = 0;
  ev->cpu_skew_ns = -1;
  ev->cpus_checked = 0;
  ev->backward_steps = -1;

  /* The helper's own affinity is the set to visit: a new thread inherits its
   * creator's mask on Linux (pthread_create(3)) and gets the process's on
   * Windows (CreateThread), so these are the CPUs the caller may use. */
  lal_cpuset saved, one;
  int have_affinity = visits && os->affinity_get(os->ctx, &saved) == LAL_OK;
  int home = have_affinity ? lal_cpuset_first(&saved) : -1;
  if (home >= 0) {
    lal_cpuset_zero(&one);
    lal_cpuset_set(&one, home);
    if (os->affinity_set(os->ctx, &one) != LAL_OK)
      home = -1;
  }

  uint64_t tsc_a, ns_a, tsc_m, ns_m, tsc_b, ns_b;
  lali_clock_sample_pair(lali_os_mono_raw_ns, &tsc_a, &ns_a);

  /* Visit each CPU (bounded) twice, during the first window, within the
   * visit budget (the CPUs left out are not counted as checked). */
  struct cpu_sample samples[SYNC_CPUS_MAX * SYNC_ROUNDS];
  int n_samples = 0, backward = 0, cpus = 0;
  if (home >= 0) {
    uint64_t last = lal_tsc_ordered();
    for (int round = 0; round < SYNC_ROUNDS; round++) {
      int visited = 0;
      for (int cpu = lal_cpuset_first(&saved);
           cpu >= 0 && visited < SYNC_CPUS_MAX && lali_os_mono_raw_ns() - ns_a < VISIT_BUDGET_NS;
           cpu = lal_cpuset_next(&saved, cpu)) {
        lal_cpuset_zero(&one);
        lal_cpuset_set(&one, cpu);
        if (os->affinity_set(os->ctx, &one) != LAL_OK)
          continue;
        uint64_t first = lal_tsc_ordered();
        if (first < last)
          backward++;
        lali_clock_sample_pair(lali_os_mono_raw_ns, &samples[n_samples].tsc,
                               &samples[n_samples].ns);
        n_samples++;
        visited++;
        last = lal_tsc_ordered();
      }
      if (round == 0)
        cpus = visited;
    }
    lal_cpuset_zero(&one);
    lal_cpuset_set(&one, home);
    os->affinity_set(os->ctx, &one);
  }

  /* Each window is at least CALIBRATION_HALF_NS long, the second measured
   * from where the first really ended: when the visits (or a preemption)
   * overran the first, a second window anchored at ns_a would shrink to
   * microseconds, and its rate, off by the pairing error over that span,
   * would read as an unstable TSC (thousands of ppm on a loaded machine). */
  wait_raw_until(ns_a + CALIBRATION_HALF_NS);
  lali_clock_sample_pair(lali_os_mono_raw_ns, &tsc_m, &ns_m);
  wait_raw_until(ns_m + CALIBRATION_HALF_NS);
  lali_clock_sample_pair(lali_os_mono_raw_ns, &tsc_b, &ns_b);
  /* The helper ends right after this: its affinity is not restored. */

  ev->measured_hz = hz_between(tsc_a, ns_a, tsc_b, ns_b);
  ev->measured_hz_first = hz_between(tsc_a, ns_a, tsc_m, ns_m);
  ev->measured_hz_second = hz_between(tsc_m, ns_m, tsc_b, ns_b);
  if (!ev->measured_hz || home < 0)
    return;

  /* Each CPU's offset: where its TSC puts the raw clock minus where the raw
   * clock really was. The spread between CPUs bounds their TSC skew (plus the
   * pairing error of a few tens of ns). */
  double ns_per_tick = 1e9 / (double)ev->measured_hz;
  double lo = 0, hi = 0;
  for (int i = 0; i < n_samples; i++) {
    double predicted = (double)ns_a + ((double)samples[i].tsc - (double)tsc_a) * ns_per_tick;
    double offset = predicted - (double)samples[i].ns;
    if (i == 0 || offset < lo)
      lo = offset;
    if (i == 0 || offset > hi)
      hi = offset;
  }
  ev->cpus_checked = cpus;
  ev->backward_steps = backward;
  ev->cpu_skew_ns = n_samples ? (int64_t)(hi - lo + 0.5) : -1;
}

static void measure_entry(void *arg) {
  measure_job *job = arg;
  measure(job->os, job->ev, job->visits);
}

void lali_clock_measure_with(const lali_clock_visit_os *os, lali_tsc_evidence *ev) {
  measure_job job = {os, ev, 1};
  lali_os_thread *helper;
  if (os->thread_start(os->ctx, &helper, measure_entry, &job) == LAL_OK) {
    os->thread_join(os->ctx, helper);
    return;
  }
  /* No helper thread (the process is at its thread limit): measure the rate
   * here without the CPU visits, which would move the caller. The sync
   * checks then read "not measured" and the trust decision says so. */
  job.visits = 0;
  measure_entry(&job);
}

static int os_affinity_get(void *ctx, lal_cpuset *out) {
  (void)ctx;
  return lali_os_thread_affinity_get(out);
}
static int os_affinity_set(void *ctx, const lal_cpuset *set) {
  (void)ctx;
  return lali_os_thread_affinity_set(set);
}
static int os_thread_start(void *ctx, lali_os_thread **out, void (*entry)(void *), void *arg) {
  (void)ctx;
  return lali_os_thread_start(out, 0, entry, arg);
}
static int os_thread_join(void *ctx, lali_os_thread *thread) {
  (void)ctx;
  return lali_os_thread_join(thread);
}

void lali_clock_measure(lali_tsc_evidence *ev) {
  static const lali_clock_visit_os os = {NULL, os_affinity_get, os_affinity_set, os_thread_start,
                                         os_thread_join};
  lali_clock_measure_with(&os, ev);
}
