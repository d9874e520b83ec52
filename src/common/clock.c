/* SPDX-License-Identifier: MIT */
/*
 * lal_now_ns(): the clock state, its one-time initialisation, lal_init,
 * lal_clock_get_info and lal_clock_recalibrate.
 */
#include <string.h>

#include "clock_internal.h"
#include "cpu_relax.h"
#include "lal_atomic.h"
#include "lal_internal.h"

/* seq 2: "not the TSC's" until a TSC conversion is published (clock_inline.h). */
lal_impl_clock_state lal_impl_clock = {.seq = 2};

enum { INIT_NONE, INIT_RUNNING, INIT_DONE };
static volatile int init_state = INIT_NONE;
static unsigned init_flags_used;
/* What lal_clock_get_info reports: written by the initialiser (before
 * init_state turns DONE) and by a recalibration, both under info_lock, so a
 * reader copies one consistent snapshot. */
static lal_clock_info info;
static lali_spinlock info_lock = LALI_SPINLOCK_INIT;
/* The recalibration baseline: a (tsc, raw ns) pair, and the last calibration.
 * Only the writer (the initialiser, then whoever holds `writer`) touches them. */
static uint64_t base_tsc, base_raw_ns, last_calibration_raw_ns;
static lali_spinlock writer = LALI_SPINLOCK_INIT;

#define CLOCK_SHIFT 32

void lali_clock_params_for(uint64_t hz, uint64_t *mult, uint32_t *shift) {
  /* ns = ticks * 1e9 / hz = (ticks * mult) >> 32 with mult = 1e9 * 2^32 / hz,
   * rounded: 1e9 * 2^32 < 2^62 fits, and the quantisation error of mult is
   * below 1 ppb for any hz < 4 GHz * 2^1 (for 5 GHz: 1.2 ppb). */
  *shift = CLOCK_SHIFT;
  *mult = (((uint64_t)1000000000u << CLOCK_SHIFT) + hz / 2) / hz;
}

/* Publishes new conversion parameters under the sequence lock. */
/* The protected fields are stored with relaxed atomic stores between the two
 * sequence updates (the kernel's write_seqcount_begin/end, in C11 terms). */
static void store_params(uint64_t mult, uint32_t shift, uint64_t tsc_base, uint64_t ns_base) {
  lali_store_relaxed(&lal_impl_clock.mult, mult);
  lali_store_relaxed(&lal_impl_clock.shift, shift);
  lali_store_relaxed(&lal_impl_clock.tsc_base, tsc_base);
  lali_store_relaxed(&lal_impl_clock.ns_base, ns_base);
}

/* The sequence after an update of TSC parameters: the next multiple of 4,
 * so bits 0 (updating) and 1 (not the TSC's) both read clear. */
static uint32_t seq_done(uint32_t seq) { return (seq | 3u) + 1u; }

static void publish(uint64_t mult, uint32_t shift, uint64_t tsc_base, uint64_t ns_base) {
  uint32_t seq = lali_load_relaxed(&lal_impl_clock.seq);
  lali_store_relaxed(&lal_impl_clock.seq, seq | 1u);
  lali_fence_release();
  store_params(mult, shift, tsc_base, ns_base);
  lali_store_release(&lal_impl_clock.seq, seq_done(seq));
}

/* Switches to a new rate where the old conversion stands at the switch: the
 * TSC is read after the sequence turns odd, so every reading validated under the
 * old parameters was taken before it, and old(t) <= old(switch) = new(switch). */
static void publish_continuous(uint64_t mult, uint32_t shift) {
  uint32_t seq = lali_load_relaxed(&lal_impl_clock.seq);
  lali_store_relaxed(&lal_impl_clock.seq, seq | 1u);
  lali_fence_seq_cst();
  uint64_t t = lal_tsc_ordered();
  uint64_t ns = lali_load_relaxed(&lal_impl_clock.ns_base) +
                lal_impl_mul_shift(t - lali_load_relaxed(&lal_impl_clock.tsc_base),
                                   lali_load_relaxed(&lal_impl_clock.mult),
                                   lali_load_relaxed(&lal_impl_clock.shift));
  store_params(mult, shift, t, ns);
  lali_store_release(&lal_impl_clock.seq, seq_done(seq));
}

/* Mean cost of `n` calls of fn, in picoseconds, timed with the TSC. */
static uint32_t read_cost_ps(uint64_t (*fn)(void), uint64_t hz) {
  enum { N = 2000 };
  volatile uint64_t sink = 0;
  uint64_t t0 = lal_tsc_ordered();
  for (int i = 0; i < N; i++)
    sink += fn();
  uint64_t t1 = lal_tsc_ordered();
  (void)sink;
  if (!hz)
    return 0;
  double ps = (double)(t1 - t0) * 1e12 / (double)hz / N;
  return ps > 4e9 ? UINT32_MAX : (uint32_t)ps;
}

static uint64_t now_fn(void) { return lal_now_ns(); }
static uint64_t tsc_fn(void) { return lal_tsc(); }

static void clock_init(unsigned flags) {
  uint64_t t_start = lali_os_mono_raw_ns();
  lali_tsc_evidence ev;
  memset(&ev, 0, sizeof ev);
  lali_cpu_tsc_get(&ev.cpu);
  lali_os_clock_facts_get(&ev.os);
  if (!(flags & LAL_INIT_CLOCK_FORCE_OS))
    lali_clock_measure(&ev);
  else
    ev.cpu_skew_ns = -1, ev.backward_steps = -1;

  lali_clock_choice choice;
  lali_clock_decide(&ev, flags, &choice);

  lali_spin_lock(&info_lock);
  memset(&info, 0, sizeof info);
  info.size = sizeof info;
  info.source = choice.source;
  info.freq_method = choice.freq_method;
  info.tsc_hz = choice.tsc_hz;
  info.measured_tsc_hz = ev.measured_hz;
  info.checks_passed = choice.passed;
  info.checks_failed = choice.failed;
  info.cpu_skew_ns = ev.cpu_skew_ns;
  info.cpus_checked = ev.cpus_checked;
  info.has_rdtscp = ev.cpu.rdtscp;
  lali_copy_string(info.os_clocksource, sizeof info.os_clocksource, ev.os.clocksource);
  lali_copy_string(info.os_clocksource_at_init, sizeof info.os_clocksource_at_init,
                   ev.os.clocksource);
  lali_copy_string(info.reason, sizeof info.reason, choice.reason);
  lali_spin_unlock(&info_lock);
  lali_store_relaxed(&lal_impl_clock.has_rdtscp, (uint32_t)ev.cpu.rdtscp);

  if (choice.source == LAL_CLOCK_SOURCE_TSC) {
    uint64_t mult, tsc, mono;
    uint32_t shift;
    lali_clock_params_for(choice.tsc_hz, &mult, &shift);
    /* The epoch is the OS monotonic clock's, so deadlines convert easily. */
    lali_clock_sample_pair(lali_os_mono_ns, &tsc, &mono);
    publish(mult, shift, tsc, mono);
    lali_clock_sample_pair(lali_os_mono_raw_ns, &base_tsc, &base_raw_ns);
    last_calibration_raw_ns = base_raw_ns;
  }
  lali_store_release(&lal_impl_clock.mode, (uint32_t)choice.source);
  uint32_t calibration_us = (uint32_t)((lali_os_mono_raw_ns() - t_start) / 1000);

  uint64_t hz = choice.tsc_hz ? choice.tsc_hz : ev.measured_hz;
  uint32_t now_ps = read_cost_ps(now_fn, hz), tsc_ps = read_cost_ps(tsc_fn, hz);
  uint32_t mono_ps = read_cost_ps(lali_os_mono_ns, hz);
  lali_spin_lock(&info_lock);
  info.calibration_us = calibration_us;
  info.now_read_ps = now_ps;
  info.tsc_read_ps = tsc_ps;
  info.mono_read_ps = mono_ps;
  lali_spin_unlock(&info_lock);
}

/* Runs clock_init once; concurrent first users wait for it. */
static void ensure_init(unsigned flags) {
  if (lali_load_acquire(&init_state) == INIT_DONE)
    return;
  if (lali_cas_int(&init_state, INIT_NONE, INIT_RUNNING)) {
    init_flags_used = flags;
    clock_init(flags);
    lali_store_release(&init_state, INIT_DONE);
    return;
  }
  while (lali_load_acquire(&init_state) != INIT_DONE)
    lali_os_sleep_until_mono(lali_os_mono_ns() + 100000);
}

/* lal_now_ns() off its fast path: before initialisation (initialise, then
 * read again), during an update of the TSC parameters (read again: the
 * writer holds the sequence odd for a few ns), or in OS mode. */
uint64_t lal_impl_now_ns_slow(void) {
  if (lali_load_acquire(&lal_impl_clock.mode) == 0)
    ensure_init(0);
  if (lali_load_acquire(&lal_impl_clock.mode) != LAL_CLOCK_SOURCE_TSC)
    return lali_os_mono_ns();
  /* The fast path's read in a loop here, not a call back into lal_now_ns():
   * a writer preempted with the sequence odd must not grow the stack. */
  for (;;) {
    uint32_t seq = lali_load_acquire(&lal_impl_clock.seq);
    uint64_t ns;
    if ((seq & 3u) == 0 && lal_impl_clock_read(seq, &ns))
      return ns;
    lali_cpu_relax();
  }
}

#define CLOCK_CHOICE_FLAGS                                                                         \
  (LAL_INIT_CLOCK_FORCE_TSC | LAL_INIT_CLOCK_FORCE_OS | LAL_INIT_CLOCK_STRICT)

int lal_init(const lal_init_opts *opts) {
  lal_init_opts o = LAL_INIT_OPTS_INIT;
  if (opts &&
      lali_input_struct_load(&o, sizeof o, opts, LALI_INPUT_MIN(lal_init_opts, flags)) != LAL_OK)
    return LAL_EINVAL;
  unsigned flags = o.flags;
  if (flags & ~CLOCK_CHOICE_FLAGS)
    return LAL_EINVAL;
  if ((flags & LAL_INIT_CLOCK_FORCE_TSC) && (flags & LAL_INIT_CLOCK_FORCE_OS))
    return LAL_EINVAL;
  ensure_init(flags);
  return (init_flags_used & CLOCK_CHOICE_FLAGS) == (flags & CLOCK_CHOICE_FLAGS) ? LAL_OK
                                                                                : LAL_EBUSY;
}

int lal_clock_get_info(lal_clock_info *out) {
  if (!LALI_OUT_VALID(out, lal_clock_info, reason))
    return LAL_EINVAL;
  ensure_init(0);
  lal_clock_info snapshot;
  lali_spin_lock(&info_lock);
  snapshot = info;
  lali_spin_unlock(&info_lock);
  LALI_OUT_SET(out, snapshot);
  return LAL_OK;
}

uint64_t lal_mono_ns(void) { return lali_os_mono_ns(); }
uint64_t lal_mono_raw_ns(void) { return lali_os_mono_raw_ns(); }
uint64_t lal_boot_ns(void) { return lali_os_boot_ns(); }

#define RECALIBRATE_MIN_NS 1000000000u
#define RECALIBRATE_MAX_PPM 1000.0
#define RECALIBRATE_MAX_WINDOW_NS 5000u /* a pairing read disturbed longer is retried */

int lal_clock_recalibrate(void) {
  ensure_init(0);
  /* The kernel may have changed its clocksource since (sysfs
   * current_clocksource): report it, whatever happens next. */
  lali_os_clock_facts facts;
  lali_os_clock_facts_get(&facts);
  if (facts.clocksource[0]) {
    lali_spin_lock(&info_lock);
    lali_copy_string(info.os_clocksource, sizeof info.os_clocksource, facts.clocksource);
    lali_spin_unlock(&info_lock);
  }
  if (lali_load_acquire(&lal_impl_clock.mode) != LAL_CLOCK_SOURCE_TSC)
    return LAL_ENOTSUP;
  if (!lali_spin_trylock(&writer))
    return LAL_EAGAIN;
  int status = LAL_OK;
  uint64_t tsc, raw;
  uint64_t window = lali_clock_sample_pair(lali_os_mono_raw_ns, &tsc, &raw);
  lali_spin_lock(&info_lock);
  uint64_t hz_now = info.tsc_hz;
  lali_spin_unlock(&info_lock);
  if (raw < last_calibration_raw_ns + RECALIBRATE_MIN_NS ||
      window > (uint64_t)((double)RECALIBRATE_MAX_WINDOW_NS * (double)hz_now / 1e9)) {
    status = LAL_EAGAIN;
  } else {
    uint64_t hz = (uint64_t)((double)(tsc - base_tsc) * 1e9 / (double)(raw - base_raw_ns) + 0.5);
    if (lali_ppm_diff(hz, hz_now) > RECALIBRATE_MAX_PPM) {
      status = LAL_ERANGE;
    } else {
      uint64_t mult;
      uint32_t shift;
      lali_clock_params_for(hz, &mult, &shift);
      publish_continuous(mult, shift);
      lali_spin_lock(&info_lock);
      info.tsc_hz = hz;
      info.freq_method = LAL_TSC_FREQ_MEASURED;
      lali_spin_unlock(&info_lock);
      last_calibration_raw_ns = raw;
    }
  }
  lali_spin_unlock(&writer);
  return status;
}
