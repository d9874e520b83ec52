/* SPDX-License-Identifier: MIT */
/*
 * Whether lal_now_ns() may use the TSC. Default policy: the CPU must promise an
 * invariant TSC and the measurements must confirm it here and now (CPUs in sync,
 * no backward step across migrations, a stable rate). What the kernel believes
 * and whether a hypervisor is present are reported, and required only under
 * LAL_INIT_CLOCK_STRICT: a VM whose TSC measures well is usable (the common case
 * on current KVM/Hyper-V hosts), but a careful user may refuse it.
 */
#include <stdio.h>
#include <string.h>

#include "clock_internal.h"

double lali_ppm_diff(uint64_t a, uint64_t b) {
  if (b == 0)
    return 1e9;
  double d = (double)a - (double)b;
  return (d < 0 ? -d : d) * 1e6 / (double)b;
}

static void check(lali_clock_choice *c, unsigned bit, int verdict) {
  if (verdict > 0)
    c->passed |= bit;
  else if (verdict == 0)
    c->failed |= bit;
}

/* Picks the frequency: the first exact source that agrees with the
 * measurement, else the measurement. */
static void choose_frequency(const lali_tsc_evidence *ev, lali_clock_choice *c) {
  const struct {
    uint64_t hz;
    int method;
  } exact[] = {{ev->cpu.cpuid_hz, LAL_TSC_FREQ_CPUID},
               {ev->cpu.hypervisor_hz, LAL_TSC_FREQ_HYPERVISOR},
               {ev->os.kernel_tsc_hz, LAL_TSC_FREQ_KERNEL}};
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
    if (exact[i].hz && ev->measured_hz &&
        lali_ppm_diff(exact[i].hz, ev->measured_hz) <= LALI_FREQ_AGREE_PPM) {
      c->tsc_hz = exact[i].hz;
      c->freq_method = exact[i].method;
      return;
    }
  }
  c->tsc_hz = ev->measured_hz;
  c->freq_method = ev->measured_hz ? LAL_TSC_FREQ_MEASURED : LAL_TSC_FREQ_NONE;
}

/* Appends ", text" (or "text" at the start) to buf. */
static void append(char *buf, size_t size, const char *text) {
  size_t n = strlen(buf);
  if (n + 1 < size)
    snprintf(buf + n, size - n, "%s%s", n && buf[n - 1] != ' ' ? ", " : "", text);
}

static void describe(const lali_tsc_evidence *ev, unsigned bits, int passed, char *buf,
                     size_t size) {
  char item[96];
  if (bits & LAL_TSC_CHECK_INVARIANT)
    append(buf, size, passed ? "invariant TSC" : "no invariant TSC bit");
  if (bits & LAL_TSC_CHECK_NO_HYPERVISOR) {
    snprintf(item, sizeof item, "hypervisor %s", ev->cpu.hypervisor_name);
    append(buf, size, passed ? "no hypervisor" : item);
  }
  if (bits & LAL_TSC_CHECK_KERNEL_CLOCKSOURCE) {
    snprintf(item, sizeof item, "kernel clocksource %s", ev->os.clocksource);
    append(buf, size, item);
  }
  if (bits & LAL_TSC_CHECK_KERNEL_STABLE)
    append(buf, size, passed ? "kernel trusts the TSC" : "kernel marked the TSC unstable");
  if (bits & LAL_TSC_CHECK_CPU_SYNC) {
    snprintf(item, sizeof item, "%d CPUs %s %lld ns", ev->cpus_checked,
             passed ? "in sync within" : "out of sync by", (long long)ev->cpu_skew_ns);
    append(buf, size, item);
  }
  if (bits & LAL_TSC_CHECK_MONOTONIC) {
    snprintf(item, sizeof item, "%d backward steps across migrations", ev->backward_steps);
    append(buf, size, passed ? "monotonic across migrations" : item);
  }
  if (bits & LAL_TSC_CHECK_FREQ_STABLE) {
    snprintf(item, sizeof item, "rate %s %.1f ppm", passed ? "stable to" : "unstable by",
             lali_ppm_diff(ev->measured_hz_first, ev->measured_hz_second));
    append(buf, size, item);
  }
}

void lali_clock_decide(const lali_tsc_evidence *ev, unsigned init_flags, lali_clock_choice *c) {
  memset(c, 0, sizeof *c);
  check(c, LAL_TSC_CHECK_INVARIANT, ev->cpu.invariant);
  check(c, LAL_TSC_CHECK_NO_HYPERVISOR, !ev->cpu.hypervisor);
  check(c, LAL_TSC_CHECK_KERNEL_CLOCKSOURCE, ev->os.kernel_clocksource_tsc);
  check(c, LAL_TSC_CHECK_KERNEL_STABLE,
        ev->os.kernel_tsc_unstable < 0 ? -1 : !ev->os.kernel_tsc_unstable);
  check(c, LAL_TSC_CHECK_CPU_SYNC,
        ev->cpus_checked < 2 || ev->cpu_skew_ns < 0 ? -1
                                                    : ev->cpu_skew_ns <= LALI_SYNC_MAX_SKEW_NS);
  check(c, LAL_TSC_CHECK_MONOTONIC, ev->backward_steps < 0 ? -1 : ev->backward_steps == 0);
  check(c, LAL_TSC_CHECK_FREQ_STABLE,
        !ev->measured_hz_first || !ev->measured_hz_second
            ? -1
            : lali_ppm_diff(ev->measured_hz_first, ev->measured_hz_second) <= LALI_FREQ_STABLE_PPM);
  choose_frequency(ev, c);

  unsigned required = LAL_TSC_CHECKS_REQUIRED;
  if (init_flags & LAL_INIT_CLOCK_STRICT)
    required |= LAL_TSC_CHECK_NO_HYPERVISOR | LAL_TSC_CHECK_KERNEL_CLOCKSOURCE |
                LAL_TSC_CHECK_KERNEL_STABLE;
  unsigned blocking = c->failed & required;

  if (init_flags & LAL_INIT_CLOCK_FORCE_OS) {
    c->source = LAL_CLOCK_SOURCE_OS;
    snprintf(c->reason, sizeof c->reason, "OS clock: forced by LAL_INIT_CLOCK_FORCE_OS");
    return;
  }
  if (!c->tsc_hz) {
    c->source = LAL_CLOCK_SOURCE_OS;
    snprintf(c->reason, sizeof c->reason, "OS clock: TSC frequency unknown (calibration failed)");
    return;
  }
  if (init_flags & LAL_INIT_CLOCK_FORCE_TSC) {
    c->source = LAL_CLOCK_SOURCE_TSC;
    snprintf(c->reason, sizeof c->reason, "TSC: forced by LAL_INIT_CLOCK_FORCE_TSC; failed: ");
    describe(ev, c->failed, 0, c->reason, sizeof c->reason);
    return;
  }
  if (blocking) {
    c->source = LAL_CLOCK_SOURCE_OS;
    snprintf(c->reason, sizeof c->reason, "OS clock: TSC not trusted: ");
    describe(ev, blocking, 0, c->reason, sizeof c->reason);
    return;
  }
  c->source = LAL_CLOCK_SOURCE_TSC;
  snprintf(c->reason, sizeof c->reason, "TSC: ");
  describe(ev, c->passed & ~(LAL_TSC_CHECK_NO_HYPERVISOR | LAL_TSC_CHECK_KERNEL_STABLE), 1,
           c->reason, sizeof c->reason);
  if (c->failed) {
    append(c->reason, sizeof c->reason, "noted: ");
    describe(ev, c->failed, 0, c->reason, sizeof c->reason);
  }
}
