/* SPDX-License-Identifier: MIT */
/* Internals of lal's TSC clock, shared by clock*.c and the tests. Portable. */
#ifndef LAL_SRC_COMMON_CLOCK_INTERNAL_H
#define LAL_SRC_COMMON_CLOCK_INTERNAL_H

#include "cpu_features.h"
#include "lal.h"
#include "lal_os.h"

/* Everything the trust decision looks at: what the CPU and the OS say, and
 * what calibration measured. The decision is a pure function of this, so tests
 * can force each input. */
typedef struct lali_tsc_evidence {
  lali_cpu_tsc cpu;
  lali_os_clock_facts os;
  uint64_t measured_hz;       /* over the whole calibration window; 0 if it failed */
  uint64_t measured_hz_first; /* first and second half, for the stability check */
  uint64_t measured_hz_second;
  int64_t cpu_skew_ns; /* max - min TSC offset between CPUs; -1 if not measured */
  int cpus_checked;
  int backward_steps; /* across migrations; -1 if not measured */
} lali_tsc_evidence;

typedef struct lali_clock_choice {
  int source; /* LAL_CLOCK_SOURCE_* */
  int freq_method;
  uint64_t tsc_hz;
  unsigned passed, failed;
  char reason[256];
} lali_clock_choice;

/* Thresholds of the measured checks. */
#define LALI_SYNC_MAX_SKEW_NS 2000
#define LALI_FREQ_STABLE_PPM 50
/* An exact frequency source (CPUID, hypervisor, kernel) is used only if it
 * agrees with the measurement this closely; otherwise the measurement wins. */
#define LALI_FREQ_AGREE_PPM 20

/* The trust decision (clock_trust.c). init_flags: LAL_INIT_CLOCK_*. */
void lali_clock_decide(const lali_tsc_evidence *ev, unsigned init_flags, lali_clock_choice *out);

/* Measures frequency, cross-CPU sync and monotonicity (clock_calibrate.c);
 * about 20 ms. Fills the measured fields of *ev. The CPU visits happen on a
 * helper thread: the caller's affinity is never read or changed. */
void lali_clock_measure(lali_tsc_evidence *ev);

/* The OS calls the measurement makes, so tests can replay it on machines we
 * do not have (a Windows 11 machine with two processor groups). affinity_*
 * act on the calling thread, as lali_os_thread_affinity_* do. */
typedef struct lali_clock_visit_os {
  void *ctx;
  int (*affinity_get)(void *ctx, lal_cpuset *out);
  int (*affinity_set)(void *ctx, const lal_cpuset *set);
  int (*thread_start)(void *ctx, lali_os_thread **out, void (*entry)(void *), void *arg);
  int (*thread_join)(void *ctx, lali_os_thread *thread);
} lali_clock_visit_os;
void lali_clock_measure_with(const lali_clock_visit_os *os, lali_tsc_evidence *ev);

/* One (tsc, ns) pair from `clock`, taken where the two reads were closest;
 * returns the bracketing window in TSC ticks. */
uint64_t lali_clock_sample_pair(uint64_t (*clock)(void), uint64_t *tsc, uint64_t *ns);

/* mult and shift such that ns = (ticks * mult) >> shift for a counter of hz. */
void lali_clock_params_for(uint64_t hz, uint64_t *mult, uint32_t *shift);

/* |a - b| / b in parts per million. */
double lali_ppm_diff(uint64_t a, uint64_t b);

#endif
