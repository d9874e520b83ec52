/*
 * lal.h — the latency abstraction layer: one portable API for what the operating
 * system does to a thread's latency, on Linux and Windows.
 *
 * Conventions that hold for every function in this header:
 *   - A fallible function returns int: LAL_OK (0) or a negative lal_status. The same
 *     numbers mean the same thing on every OS. lal_last_os_error() gives the raw
 *     errno / GetLastError() behind the last failure on this thread, for diagnostics.
 *   - NULL, out-of-range and malformed arguments return LAL_EINVAL and change
 *     nothing: no output is written, no OS state is touched.
 *   - The library never aborts, prints or exits.
 *   - Option and result structs start with a `size` member; set it with the
 *     structure's *_INIT macro so that newer library versions can grow them.
 *   - Unless a function says otherwise it is thread-safe and allocates nothing.
 */
#ifndef LAL_H
#define LAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- linkage */

#if defined(_WIN32) && !defined(LAL_STATIC)
#  if defined(LAL_BUILDING)
#    define LAL_API __declspec(dllexport)
#  else
#    define LAL_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define LAL_API __attribute__((visibility("default")))
#else
#  define LAL_API
#endif

/* ---------------------------------------------------------------- version */

#define LAL_VERSION_MAJOR 0
#define LAL_VERSION_MINOR 1
#define LAL_VERSION_PATCH 0
/* One comparable number: LAL_VERSION_NUM(0, 1, 0) == 0x000100. */
#define LAL_VERSION_NUM(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define LAL_VERSION LAL_VERSION_NUM(LAL_VERSION_MAJOR, LAL_VERSION_MINOR, LAL_VERSION_PATCH)

/*
 * lal_version: the version of the library actually linked, as LAL_VERSION_NUM.
 * Compare with LAL_VERSION (the header compiled against) to detect a mismatch.
 * lal_version_string: the same as "MAJOR.MINOR.PATCH". Both cost nothing.
 */
LAL_API unsigned lal_version(void);
LAL_API const char *lal_version_string(void);

/* ---------------------------------------------------------------- errors */

/*
 * Portable statuses. Append-only: a value, once published, keeps its number and
 * meaning forever, on every OS.
 */
typedef enum lal_status {
  LAL_OK = 0,
  LAL_EINVAL = -1,  /* bad argument: NULL, out of range, malformed, unknown flag bits */
  LAL_EPERM = -2,   /* the OS refused for lack of a privilege or a limit */
  LAL_ENOTSUP = -3, /* this OS, kernel, build or machine lacks the feature */
  LAL_ENOMEM = -4,  /* out of memory or of a memory-related quota */
  LAL_ERANGE = -5,  /* a result does not fit, or a request cannot be met */
  LAL_EBUSY = -6,   /* the resource is in use */
  LAL_EAGAIN = -7,  /* temporarily unavailable or timed out; retrying may work */
  LAL_ENOENT = -8,  /* no such object: file, interface, CPU, entry */
  LAL_EIO = -9      /* any other OS failure; see lal_last_os_error() */
} lal_status;

/*
 * lal_strerror: a one-line English description of a status ("invalid argument").
 * lal_err_name: the enumerator's name ("LAL_EINVAL").
 * Both return a static string, never NULL; an unknown value (including any
 * positive number) gives "unknown lal status" / "LAL_UNKNOWN".
 */
LAL_API const char *lal_strerror(int status);
LAL_API const char *lal_err_name(int status);

/*
 * lal_last_os_error: the raw OS error (errno on Linux, GetLastError() on Windows)
 * of the last OS call that failed inside lal on the calling thread, or 0 if none
 * has. Diagnostics only: the returned status is the contract. Thread-local; a
 * later failure on the same thread overwrites it, a success does not clear it.
 */
LAL_API int lal_last_os_error(void);

/* ---------------------------------------------------------------- CPU sets */

/*
 * A set of logical CPUs, as a plain value (copy it, compare it with
 * lal_cpuset_equal, keep it on the stack: 256 bytes).
 *
 * CPU numbers: on Linux the kernel's CPU ids; on Windows group * 64 + number
 * within the group, so machines with several processor groups are covered.
 * LAL_CPUSET_MAX is 2048, the largest logical CPU count Windows supports.
 */
#define LAL_CPUSET_MAX 2048
#define LAL_CPUSET_WORDS (LAL_CPUSET_MAX / 64)
typedef struct lal_cpuset {
  uint64_t bits[LAL_CPUSET_WORDS];
} lal_cpuset;

/*
 * A buffer of this many bytes holds lal_cpuset_format() of any set (the worst
 * case is the pattern "0-1,3-4,6-7,..." over all 2048 CPUs).
 */
#define LAL_CPUSET_FORMAT_MAX 8192

/*
 * Set operations. All are O(LAL_CPUSET_WORDS) or better, allocate nothing and
 * are safe on distinct sets from any thread.
 *
 * lal_cpuset_zero:  empties *set. LAL_EINVAL if set is NULL.
 * lal_cpuset_fill:  puts CPUs 0..count-1 in *set (count 0..LAL_CPUSET_MAX).
 * lal_cpuset_set / lal_cpuset_clear: add / remove one CPU. LAL_EINVAL if set is
 *   NULL or cpu is outside 0..LAL_CPUSET_MAX-1 (the set is then unchanged).
 * lal_cpuset_isset: 1 if cpu is in the set, 0 if not, LAL_EINVAL (negative) on a
 *   NULL set or an out-of-range cpu — so test the result with `== 1`.
 * lal_cpuset_count: number of CPUs in the set (>= 0), or LAL_EINVAL.
 * lal_cpuset_first: the lowest CPU in the set, LAL_ENOENT if it is empty.
 * lal_cpuset_next: the lowest CPU greater than cpu, LAL_ENOENT if none; cpu may
 *   be -1 (then it is lal_cpuset_first). Iterate with
 *     for (int c = lal_cpuset_first(&s); c >= 0; c = lal_cpuset_next(&s, c))
 * lal_cpuset_and / _or / _andnot: *out = a & b, a | b, a & ~b. out may alias a or
 *   b. LAL_EINVAL if any pointer is NULL.
 * lal_cpuset_equal: 1 if both sets hold the same CPUs, 0 if not, LAL_EINVAL.
 */
LAL_API int lal_cpuset_zero(lal_cpuset *set);
LAL_API int lal_cpuset_fill(lal_cpuset *set, int count);
LAL_API int lal_cpuset_set(lal_cpuset *set, int cpu);
LAL_API int lal_cpuset_clear(lal_cpuset *set, int cpu);
LAL_API int lal_cpuset_isset(const lal_cpuset *set, int cpu);
LAL_API int lal_cpuset_count(const lal_cpuset *set);
LAL_API int lal_cpuset_first(const lal_cpuset *set);
LAL_API int lal_cpuset_next(const lal_cpuset *set, int cpu);
LAL_API int lal_cpuset_and(lal_cpuset *out, const lal_cpuset *a, const lal_cpuset *b);
LAL_API int lal_cpuset_or(lal_cpuset *out, const lal_cpuset *a, const lal_cpuset *b);
LAL_API int lal_cpuset_andnot(lal_cpuset *out, const lal_cpuset *a, const lal_cpuset *b);
LAL_API int lal_cpuset_equal(const lal_cpuset *a, const lal_cpuset *b);

/*
 * lal_cpuset_parse: reads the Linux "cpulist" syntax (cpuset(7), the format of
 * /sys/devices/system/cpu/online and of isolcpus=) into *out:
 *   list  := "" | item ("," item)*
 *   item  := N | N "-" M | N "-" M ":" USED "/" GROUP
 * N <= M, decimal digits only. The stride form takes the first USED CPUs of every
 * GROUP-sized block of N..M, as the kernel's bitmap_parselist() does
 * ("0-7:2/4" is 0,1,4,5). One trailing "\n" is accepted, so a sysfs file can be
 * parsed as read; the empty string is the empty set.
 * Returns LAL_OK, or LAL_EINVAL (out untouched) for NULL arguments, any other
 * character (spaces, signs, hex), empty items ("1,,2", trailing ","), reversed
 * ranges, USED of 0 or > GROUP, numeric overflow and any CPU >= LAL_CPUSET_MAX.
 * Cost: linear in the text; no allocation.
 */
LAL_API int lal_cpuset_parse(lal_cpuset *out, const char *text);

/*
 * lal_cpuset_format: writes *set in canonical cpulist syntax ("0-3,8,10-11"; ""
 * for the empty set), NUL-terminated, into buf.
 * Returns LAL_OK; LAL_EINVAL if set or buf is NULL; LAL_ERANGE if size is too small
 * (buf is then untouched; LAL_CPUSET_FORMAT_MAX bytes always suffice).
 * lal_cpuset_parse(lal_cpuset_format(s)) == s for every set.
 */
LAL_API int lal_cpuset_format(const lal_cpuset *set, char *buf, size_t size);

/* ---------------------------------------------------------------- capabilities */

/* What this build of lal compiled in (lal_caps.build_features). */
#define LAL_FEATURE_HWLOC (1u << 0)  /* topology through hwloc (Linux) */
#define LAL_FEATURE_NUMA (1u << 1)   /* NUMA binding through libnuma (Linux) */
#define LAL_FEATURE_URING (1u << 2)  /* lal/uring.h (Linux, liburing) */
#define LAL_FEATURE_XDP (1u << 3)    /* lal/xdp.h (Linux, libxdp + libbpf) */
#define LAL_FEATURE_CGROUP (1u << 4) /* lal/cgroup.h (Linux) */

/* The operating system lal was built for (lal_caps.os). */
#define LAL_OS_LINUX 1
#define LAL_OS_WINDOWS 2

/* What this machine and this process's privileges allow (lal_caps.machine_features). */
/* May use a realtime class: SCHED_FIFO/RR (root, CAP_SYS_NICE or RLIMIT_RTPRIO > 0),
 * or Windows REALTIME_PRIORITY_CLASS (SeIncreaseBasePriorityPrivilege held). */
#define LAL_CAP_RT_PRIORITY (1u << 0)
/* May lock memory beyond the limit: CAP_IPC_LOCK / SeLockMemoryPrivilege held. */
#define LAL_CAP_MEMLOCK_ANY (1u << 1)
/* Large pages can be had now: Linux hugetlb pages free or THP not "never";
 * Windows SeLockMemoryPrivilege held and GetLargePageMinimum() > 0. */
#define LAL_CAP_LARGE_PAGES (1u << 2)
/* The kernel accepts io_uring_setup(2) from this process. */
#define LAL_CAP_IO_URING (1u << 3)
/* A cgroup2 hierarchy is mounted (pure v2 or hybrid). */
#define LAL_CAP_CGROUP2 (1u << 4)
/* May attach XDP programs and configure interfaces (CAP_NET_ADMIN). */
#define LAL_CAP_NET_ADMIN (1u << 5)
/* Effective uid 0 / an elevated Windows token. */
#define LAL_CAP_ELEVATED (1u << 6)
/* The Windows build is running under Wine (what Wine stubs, lal_caps cannot tell). */
#define LAL_CAP_UNDER_WINE (1u << 7)

/*
 * lal_caps: filled by lal_query_caps. Set size with LAL_CAPS_INIT; a caller built
 * against an older, smaller struct gets only the fields it knows.
 */
typedef struct lal_caps {
  size_t size;
  unsigned build_features;   /* LAL_FEATURE_* */
  unsigned machine_features; /* LAL_CAP_* */
  int os;                    /* LAL_OS_* */
  int cpu_count;             /* logical CPUs the OS knows (all processor groups) */
  uint64_t memlock_limit;    /* bytes lockable without privilege: RLIMIT_MEMLOCK soft
                                limit (UINT64_MAX = unlimited); Windows: the
                                process's maximum working set size */
  uint64_t large_page_size;  /* bytes of the default large page (2 MiB on x86-64);
                                0 if the machine has none */
  char os_name[32];          /* "Linux" / "Windows" */
  char os_release[64];       /* kernel release ("6.1.0-18-amd64") / "10.0.19045" */
} lal_caps;
#define LAL_CAPS_INIT                                                                              \
  { .size = sizeof(lal_caps) }

/*
 * lal_query_caps: fills *caps (up to caps->size bytes) with what this build
 * compiled in and what the machine and the process's privileges allow right now.
 * Returns LAL_OK; LAL_EINVAL if caps is NULL, or caps->size is smaller than the
 * first version of the struct (through os_release) or larger than 4096. Bytes
 * beyond the fields this library knows are zeroed. A probe that fails leaves its
 * field at 0 and is not an error.
 * Cost: tens of microseconds (a few /proc and /sys reads, one probing syscall and
 * a temporary 1 MiB buffer for /proc/self/mountinfo on Linux; token queries on
 * Windows). Not for hot paths.
 */
LAL_API int lal_query_caps(lal_caps *caps);

/* ---------------------------------------------------------------- lifecycle */

/* lal_init_opts.flags: how lal_now_ns() chooses its source. */
#define LAL_INIT_CLOCK_FORCE_TSC (1u << 0) /* use the TSC even if a check fails */
#define LAL_INIT_CLOCK_FORCE_OS (1u << 1)  /* never use the TSC: lal_now_ns() == lal_mono_ns() */
#define LAL_INIT_CLOCK_STRICT                                                                      \
  (1u << 2) /* also require the kernel to trust the TSC                                            \
               (clocksource tsc, no tsc=unstable) and no                                           \
               hypervisor */

typedef struct lal_init_opts {
  size_t size;
  unsigned flags; /* LAL_INIT_* */
} lal_init_opts;
#define LAL_INIT_OPTS_INIT                                                                         \
  { .size = sizeof(lal_init_opts) }

/*
 * lal_init: optional. Everything in lal initialises itself lazily and
 * thread-safely on first use; call lal_init to choose options, or to pay the
 * clock calibration (about 20 ms) at a moment of your choosing rather than at the
 * first lal_now_ns(). opts may be NULL (defaults).
 * Returns LAL_OK (also when called again with the same options); LAL_EINVAL for
 * a bad size, unknown flag bits or both FORCE flags; LAL_EBUSY if the clock was
 * already initialised with a different source choice (changing the source of a
 * running clock could make time jump).
 */
LAL_API int lal_init(const lal_init_opts *opts);

/* ---------------------------------------------------------------- raw counters */

/*
 * lal_tsc: the CPU's time-stamp counter (x86 RDTSC; arm64 CNTVCT_EL0), ~10-25
 * cycles, not ordered with surrounding loads and stores.
 * lal_tsc_ordered: the same read, ordered after every earlier instruction
 * (LFENCE; RDTSC / ISB; CNTVCT_EL0): for timing a code region's end.
 * lal_tscp: RDTSCP when CPUID advertises it (some hypervisors run the instruction
 * without advertising it; lal then does not use it): returns the counter and
 * stores IA32_TSC_AUX, as the OS programs it, in *aux (Linux: cpu | node << 12).
 * Without RDTSCP it is lal_tsc_ordered() and *aux is UINT32_MAX. aux may be NULL.
 * Ticks are in lal_clock_info.tsc_hz units.
 */
static inline uint64_t lal_tsc(void);
static inline uint64_t lal_tsc_ordered(void);
static inline uint64_t lal_tscp(uint32_t *aux);

/* ---------------------------------------------------------------- clocks */

/*
 * lal_now_ns: lal's best monotonic clock, nanoseconds, same epoch as
 * lal_mono_ns() at initialisation. When the TSC is trusted (lal_clock_info says
 * why) it is TSC ticks converted by a fixed-point multiply and shift (no
 * division; no overflow for centuries of uptime): about the cost of one RDTSC.
 * Otherwise it is lal_mono_ns(). Never goes backwards on a thread; across CPUs
 * the TSC is trusted only if measured offsets are under 2 us, less than the
 * cost of migrating a thread, so a migrated thread cannot see time go back.
 * The first call calibrates the clock (about 20 ms) unless lal_init() did.
 *
 * lal_mono_ns: the OS monotonic clock (CLOCK_MONOTONIC; QueryPerformanceCounter).
 * lal_mono_raw_ns: not slewed by NTP (CLOCK_MONOTONIC_RAW; QPC, which is never
 * slewed). lal_boot_ns: also counts time suspended (CLOCK_BOOTTIME;
 * QueryInterruptTimePrecise on Windows 10+, else GetTickCount64, 1 ms resolution).
 * These three cost one vDSO call (~20-30 ns) or QPC (~20-100 ns) and return 0
 * only if the OS clock fails, which the OSes document as impossible.
 */
static inline uint64_t lal_now_ns(void);
LAL_API uint64_t lal_mono_ns(void);
LAL_API uint64_t lal_mono_raw_ns(void);
LAL_API uint64_t lal_boot_ns(void);

/* lal_clock_info.source */
#define LAL_CLOCK_SOURCE_TSC 1
#define LAL_CLOCK_SOURCE_OS 2

/* lal_clock_info.freq_method: where tsc_hz came from. */
#define LAL_TSC_FREQ_NONE 0
#define LAL_TSC_FREQ_CPUID 1      /* CPUID leaf 0x15 (crystal ratio), or 0x16 */
#define LAL_TSC_FREQ_HYPERVISOR 2 /* hypervisor timing leaf 0x40000010 */
#define LAL_TSC_FREQ_KERNEL 3     /* the kernel's own figure (tsc_freq_khz) */
#define LAL_TSC_FREQ_MEASURED 4   /* measured against CLOCK_MONOTONIC_RAW / QPC */

/* lal_clock_info.checks_passed / checks_failed: the trust checks. A check in
 * neither mask was not run (e.g. sync needs at least two usable CPUs). */
#define LAL_TSC_CHECK_INVARIANT (1u << 0)          /* CPUID: invariant (constant, non-stop) TSC */
#define LAL_TSC_CHECK_NO_HYPERVISOR (1u << 1)      /* CPUID: no hypervisor */
#define LAL_TSC_CHECK_KERNEL_CLOCKSOURCE (1u << 2) /* kernel clocksource is tsc */
#define LAL_TSC_CHECK_KERNEL_STABLE (1u << 3)      /* kernel has not marked the TSC unstable */
#define LAL_TSC_CHECK_CPU_SYNC (1u << 4)           /* measured: CPUs agree within 2 us */
#define LAL_TSC_CHECK_MONOTONIC (1u << 5)          /* measured: no backward step across CPUs */
#define LAL_TSC_CHECK_FREQ_STABLE (1u << 6)        /* measured: two windows agree within 50 ppm */
/* The checks whose failure makes lal distrust the TSC (default policy); the
 * others are reported, and required only with LAL_INIT_CLOCK_STRICT. */
#define LAL_TSC_CHECKS_REQUIRED                                                                    \
  (LAL_TSC_CHECK_INVARIANT | LAL_TSC_CHECK_CPU_SYNC | LAL_TSC_CHECK_MONOTONIC |                    \
   LAL_TSC_CHECK_FREQ_STABLE)

typedef struct lal_clock_info {
  size_t size;
  int source;               /* LAL_CLOCK_SOURCE_* behind lal_now_ns() */
  int freq_method;          /* LAL_TSC_FREQ_* */
  uint64_t tsc_hz;          /* TSC frequency in use (0 if unknown) */
  uint64_t measured_tsc_hz; /* what calibration measured, for comparison */
  unsigned checks_passed;   /* LAL_TSC_CHECK_* */
  unsigned checks_failed;   /* LAL_TSC_CHECK_* */
  int64_t cpu_skew_ns;      /* largest measured TSC offset between CPUs (-1: not measured) */
  int cpus_checked;         /* CPUs the sync and monotonicity checks ran on */
  int has_rdtscp;           /* CPUID advertises RDTSCP (lal_tscp uses it) */
  uint32_t calibration_us;  /* how long initialisation took */
  uint32_t now_read_ps;     /* measured cost of lal_now_ns(), picoseconds */
  uint32_t tsc_read_ps;     /* measured cost of lal_tsc() */
  uint32_t mono_read_ps;    /* measured cost of lal_mono_ns() */
  char os_clocksource[32];  /* Linux current_clocksource; "QueryPerformanceCounter" */
  char reason[256];         /* why this source, in one line */
} lal_clock_info;
#define LAL_CLOCK_INFO_INIT                                                                        \
  { .size = sizeof(lal_clock_info) }

/*
 * lal_clock_info: fills *info (initialising the clock if needed).
 * Returns LAL_OK; LAL_EINVAL if info is NULL or info->size is too small (< the
 * reason field's end) or > 4096. Cost: a copy; the read costs were measured once
 * at initialisation.
 */
LAL_API int lal_clock_info_get(lal_clock_info *info);

/*
 * lal_clock_recalibrate: re-measures the TSC frequency against the OS raw clock
 * over the whole time since initialisation (so the error shrinks as uptime
 * grows: 1 us of pairing error over 100 s is 0.01 ppm) and adopts it. The new
 * conversion starts where the old one stands at that moment, so lal_now_ns()
 * never steps, backwards or forwards; concurrent readers retry around the switch
 * (a sequence lock). Call it from a housekeeping thread, e.g. once a minute.
 * Returns LAL_OK; LAL_ENOTSUP when lal_now_ns() is not TSC-based; LAL_EAGAIN if
 * less than 1 s has passed since the last calibration or the pairing read was
 * disturbed (try later); LAL_ERANGE if the new frequency differs by more than
 * 1000 ppm (not adopted: a TSC that changes that much is not to be trusted).
 */
LAL_API int lal_clock_recalibrate(void);

/* ---------------------------------------------------------------- waiting */

#define LAL_SLEEP_PRECISE (1u << 0) /* OS sleep to deadline - margin, then spin */

/*
 * lal_sleep_until: returns once lal_now_ns() >= deadline_ns, never earlier.
 * Plain mode (flags 0): an absolute-deadline OS sleep (Linux clock_nanosleep
 * TIMER_ABSTIME; Windows a high-resolution waitable timer where the OS has one,
 * else a waitable timer under timeBeginPeriod(1)); wakes late by the OS's timer
 * latency (tens of us to ~1 ms on Windows).
 * LAL_SLEEP_PRECISE: sleeps to deadline - margin, then spins with PAUSE. The
 * margin adapts, per thread, to the 95th percentile of the wake-up error this
 * thread has seen. The spin is bounded (at most 2 ms per call and at most a
 * quarter of the thread's wall time over the last ~100 ms), so a SCHED_FIFO
 * caller still blocks and is not frozen by RT throttling; past the bound lal
 * falls back to the OS sleep for the rest.
 * A deadline in the past returns LAL_OK at once. Returns LAL_EINVAL for unknown
 * flag bits; an OS failure -> its status (lal_last_os_error()).
 * lal_sleep_ns: lal_sleep_until(lal_now_ns() + ns, flags).
 */
LAL_API int lal_sleep_until(uint64_t deadline_ns, unsigned flags);
LAL_API int lal_sleep_ns(uint64_t ns, unsigned flags);

/*
 * lal_timer_slack_set: asks the OS to coalesce this thread's timers less.
 * Linux: PR_SET_TIMERSLACK for the calling thread (ns; 0 is not "none" in the
 * kernel but "default", so lal sends 1 ns for 0). Windows: a process-wide timer
 * resolution request, timeBeginPeriod(ceil(ns / 1 ms)) held until the next call
 * (a previous request by lal is ended).
 * *applied_ns (may be NULL) receives what the OS reports now in force.
 * Returns LAL_OK or the OS failure's status. Cost: one syscall.
 */
LAL_API int lal_timer_slack_set(uint64_t ns, uint64_t *applied_ns);

/*
 * lal_power_throttling_disable: opts the process out of OS power throttling of
 * its timers and execution speed. Windows 10 1709+/11:
 * SetProcessInformation(ProcessPowerThrottling) with EXECUTION_SPEED and
 * IGNORE_TIMER_RESOLUTION (Windows 11 honours timeBeginPeriod in minimised or
 * occluded processes only then). LAL_ENOTSUP on Linux (no such policy) and on
 * Windows versions without it.
 */
LAL_API int lal_power_throttling_disable(void);

/* ---------------------------------------------------------------- pacer */

#define LAL_PACER_CATCH_UP (1u << 0) /* late: run every missed period at once (default: skip) */
#define LAL_PACER_PRECISE (1u << 1)  /* wait with LAL_SLEEP_PRECISE */

/*
 * lal_pacer: periodic wake-ups on absolute deadlines, deadline n = start + n x
 * period exactly (computed, never accumulated: no drift, ever). A plain value;
 * one pacer per thread, not shared.
 */
typedef struct lal_pacer {
  uint64_t start_ns; /* deadline 0 of the current period epoch */
  uint64_t period_ns;
  uint64_t index; /* the next deadline is start_ns + index * period_ns */
  unsigned flags;
  /* statistics (lal_pacer_stats) */
  uint64_t waits;
  uint64_t missed; /* periods skipped because the caller was late */
  uint64_t late_sum_ns;
  uint64_t late_max_ns;
  uint32_t late_log2[40]; /* waits by lateness: [0] < 1 ns, [k] in [2^(k-1), 2^k) ns */
} lal_pacer;

typedef struct lal_pacer_stats {
  size_t size;
  uint64_t waits;
  uint64_t missed;
  uint64_t late_mean_ns;
  uint64_t late_max_ns;
  uint64_t late_p50_ns; /* upper bound of the power-of-two bucket holding the quantile */
  uint64_t late_p99_ns;
} lal_pacer_stats;
#define LAL_PACER_STATS_INIT                                                                       \
  { .size = sizeof(lal_pacer_stats) }

/*
 * lal_pacer_init: the first deadline is one period from now.
 * LAL_EINVAL: NULL, period 0 or > 1 hour, unknown flags.
 * lal_pacer_wait: sleeps until the next deadline and advances. If the caller
 * is already past it: by default the pacer skips to the first deadline still
 * ahead (counting `missed`) and waits for it; with LAL_PACER_CATCH_UP it returns
 * at once for each missed deadline. *late_ns (may be NULL): how late this wake-up
 * was against its deadline. Returns LAL_OK or lal_sleep_until's error.
 * lal_pacer_set_period: the next deadline stays; later ones follow the new period.
 * lal_pacer_deadline: deadline number n of the current epoch (start + n x period),
 * saturating at UINT64_MAX; UINT64_MAX also for a NULL or uninitialised pacer.
 * lal_pacer_stats: lateness statistics since init.
 */
LAL_API int lal_pacer_init(lal_pacer *pacer, uint64_t period_ns, unsigned flags);
LAL_API int lal_pacer_wait(lal_pacer *pacer, uint64_t *late_ns);
LAL_API int lal_pacer_set_period(lal_pacer *pacer, uint64_t period_ns);
LAL_API uint64_t lal_pacer_deadline(const lal_pacer *pacer, uint64_t n);
LAL_API int lal_pacer_stats_get(const lal_pacer *pacer, lal_pacer_stats *stats);

#include "lal/clock_inline.h"

#ifdef __cplusplus
}
#endif

#endif /* LAL_H */
