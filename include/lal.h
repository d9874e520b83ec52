/* SPDX-License-Identifier: MIT */
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
 *   - Destructor verbs, one meaning each (given NULL, one that returns
 *     nothing does nothing; one that returns a status says what in its
 *     comment):
 *     _free     memory lal allocated, no OS object behind it (lal_topology_free,
 *               lal_hist_free, lal_mem_free);
 *     _close    a handle to OS objects: closes them, frees the handle
 *               (lal_cgroup_close, lal_psi_trigger_close, lal_xsk_close,
 *               lal_uring_close);
 *     _release  a request held on the system, given back (lal_pm_qos_release);
 *     _remove   deletes the system object a _create made (lal_cgroup_remove);
 *     _detach   undoes an _attach (lal_xdp_detach);
 *     _join     waits for a thread and frees it (lal_thread_join).
 *     Earlier spellings stay as aliases until 1.0 (lal_uring_destroy).
 *   - Struct fields that hold an enum's value (lal_policy, lal_page_kind, ...)
 *     are declared int, the enum named in their comment: gcc gives an enum
 *     without negative values an unsigned type and MSVC gives it int, and a
 *     struct shared by a library and a program built by different compilers
 *     must not change signedness between them.
 *
 * The ABI: what a program compiles in is a promise.
 *   - A struct a program allocates and lal reads or writes through a size
 *     member (options, requests, results, info) only ever grows at its end.
 *   - A struct passed by value or read by inline code has a frozen layout:
 *     lal_cpuset, lal_pacer (reserved words for what may come), lal_hist (the
 *     fields lal_hist_record updates), lal_impl_clock (one 64-byte line) and
 *     lal_uring_cqe (an array the caller allocates).
 *     A change to one of them is incompatible and bumps the SONAME.
 *   - Everything else is opaque (lal_topology, lal_thread, ...): a pointer
 *     and accessors.
 *   - Every exported symbol carries a version (the LAL_0.2 node of liblal.so's
 *     version script, src/linux/liblal.map); nothing but LAL_API is exported.
 *   - Every inline function (lal_tsc, lal_tsc_ordered, lal_tscp, lal_now_ns,
 *     lal_hist_record) is also exported out of line under the same name, for
 *     callers through an FFI (Rust, C#, Python ctypes) that cannot compile C.
 *   - The SONAME (liblal.so.1) counts incompatible changes, apart from the
 *     release number (LAL_VERSION); CHANGELOG.md says why each one came.
 *
 * Names: lal_* and LAL_* are the API. lal_impl_* and LAL_IMPL_* are what the
 * inline code in these headers needs (lal_impl_clock and lal_impl_now_ns_slow
 * are exported for it): never call or read them. The library's internals use
 * lali_*, are hidden, and appear in no installed header. Both prefixes are
 * legal identifiers in C and C++ (C++ reserves any name with a double
 * underscore).
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

/* How the inline functions are defined: static inline for programs; the
 * library's inline_exports.c defines LAL_INLINE as LAL_API before including
 * this header, which makes the same definitions its exported out-of-line
 * twins. */
#ifndef LAL_INLINE
#  define LAL_INLINE static inline
#endif

/* ---------------------------------------------------------------- struct initializers */

/* Every size-prefixed struct has a LAL_<NAME>_INIT macro: the struct zeroed,
 * its size member set (and, for a few, a default other than 0). Versions:
 * lal reads an input struct (options, requests) only up to its size member,
 * so a caller built against an older lal.h, whose struct lacks later fields,
 * gets their defaults; a caller built against a newer lal.h may pass a larger
 * struct as long as the fields this lal does not know are zero (else
 * LAL_EINVAL, nothing done). Output structs (results, info) are written only
 * up to their size member. New fields are only ever appended. The same
 * spelling works in C and C++ (`lal_caps c = LAL_CAPS_INIT;`): C gets a
 * designated initializer; C++11 and later a value-initialised temporary,
 * since designated initializers are C++20 only and a positional
 * `{ sizeof(T) }` draws -Wmissing-field-initializers. */
#ifdef __cplusplus
extern "C++" {
template <typename T> inline T lal_impl_sized_init() {
  T v = T();
  v.size = sizeof(T);
  return v;
}
}
#  define LAL_IMPL_SIZED_INIT(type) lal_impl_sized_init<type>()
#else
#  define LAL_IMPL_SIZED_INIT(type)                                                                \
    { .size = sizeof(type) }
#endif

/* Casts a C++ consumer's -Wold-style-cast accepts: static_cast there, the C
 * cast in C (both convert the same way between arithmetic types). */
#ifdef __cplusplus
#  define LAL_IMPL_CAST(type, v) static_cast<type>(v)
#  define LAL_IMPL_PTR_CAST(type, v) reinterpret_cast<type>(v)
#else
#  define LAL_IMPL_PTR_CAST(type, v) ((type)(v))
#  define LAL_IMPL_CAST(type, v) ((type)(v))
#endif

/* ---------------------------------------------------------------- version */

#define LAL_VERSION_MAJOR 0
#define LAL_VERSION_MINOR 2
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
 * has. Diagnostics only: the returned status is the contract. Thread-local.
 * Set only when an OS call lal made failed (a status lal returns without
 * asking the OS, such as LAL_EINVAL for a bad argument, leaves it alone);
 * never cleared: a later failure on the same thread overwrites it, a success
 * does not clear it.
 */
LAL_API int lal_last_os_error(void);

/*
 * The names of the enums results carry, for logs and reports, as
 * lal_err_name names a status: lal_priority_profile_name ("BACKGROUND" ...
 * "REALTIME", "EXPLICIT"), lal_policy_name ("SCHED_OTHER", "SCHED_BATCH",
 * "SCHED_IDLE", "SCHED_FIFO", "SCHED_RR", "SCHED_DEADLINE", and "windows"
 * for a Windows class and thread priority), lal_priority_via_name ("direct",
 * "rtkit", "portal", "slice hint", "nice", "unchanged": obtained_via) and
 * lal_page_kind_name ("default", "large", "huge"). A static string, never
 * NULL; "unknown" for a value the enum does not have.
 */
LAL_API const char *lal_priority_profile_name(int profile);
LAL_API const char *lal_policy_name(int policy);
LAL_API const char *lal_priority_via_name(int via);
LAL_API const char *lal_page_kind_name(int kind);

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
/* topology through hwloc (Linux): set when this build can use hwloc and, in
 * the default run-time-loading build, libhwloc.so.15 loaded on this machine;
 * without it lal_topology_load reads /sys (info.source "sysfs"). */
#define LAL_FEATURE_HWLOC (1u << 0)
#define LAL_FEATURE_NUMA (1u << 1) /* NUMA binding through mbind(2) (Linux) */
#define LAL_FEATURE_URING                                                                          \
  (1u << 2) /* this build made liblal-uring: lal/uring.h (Linux, liburing) */
#define LAL_FEATURE_XDP                                                                            \
  (1u << 3) /* this build made liblal-xdp: lal/xdp.h (Linux, libxdp + libbpf) */
#define LAL_FEATURE_CGROUP (1u << 4) /* lal/cgroup.h (Linux) */

/* The operating system lal was built for (lal_caps.os). */
#define LAL_OS_LINUX 1
#define LAL_OS_WINDOWS 2

/* What this machine and this process's privileges allow (lal_caps.machine_features). */
/* May use a realtime class: SCHED_FIFO/RR (root, CAP_SYS_NICE or RLIMIT_RTPRIO > 0),
 * or Windows REALTIME_PRIORITY_CLASS (SeIncreaseBasePriorityPrivilege held). */
#define LAL_CAP_RT_PRIORITY (1u << 0)
/* May lock memory beyond the limit: Linux CAP_IPC_LOCK held; Windows
 * SeIncreaseWorkingSetPrivilege held, which lets the process raise the
 * working-set minimum that bounds VirtualLock (lal enables it when needed). */
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
                                process's minimum working set size, VirtualLock's
                                limit (less a small overhead); lal_mem_lock raises
                                it as needed and lal_mem_unlock gives it back */
  uint64_t large_page_size;  /* bytes of the default large page (2 MiB on x86-64);
                                0 if the machine has none */
  char os_name[32];          /* "Linux" / "Windows" */
  char os_release[64];       /* kernel release ("6.1.0-18-amd64") / "10.0.19045" */
  /* since 0.1: */
  char cpu_model[64];        /* CPUID brand string, "" if none */
  char hypervisor[16];       /* CPUID hypervisor vendor ("KVMKVMKVM", "Microsoft Hv"), "" on
                                bare metal */
  char container[16];        /* "docker", "podman", "kubernetes", "lxc" (Linux: /.dockerenv,
                                /run/.containerenv, the cgroup path), "" if none seen */
  uint64_t large_pages_free; /* Linux HugePages_Free; Windows 0 (allocated on demand) */
} lal_caps;
#define LAL_CAPS_INIT LAL_IMPL_SIZED_INIT(lal_caps)

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
#define LAL_INIT_OPTS_INIT LAL_IMPL_SIZED_INIT(lal_init_opts)

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
LAL_INLINE uint64_t lal_tsc(void);
LAL_INLINE uint64_t lal_tsc_ordered(void);
LAL_INLINE uint64_t lal_tscp(uint32_t *aux);

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
LAL_INLINE uint64_t lal_now_ns(void);
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
  /* The OS clocksource at initialisation. lal_clock_recalibrate re-reads
   * os_clocksource: when they differ the kernel changed its clock since (its
   * watchdog demoting the TSC to hpet or acpi_pm is the usual case). */
  char os_clocksource_at_init[32];
} lal_clock_info;
#define LAL_CLOCK_INFO_INIT LAL_IMPL_SIZED_INIT(lal_clock_info)

/*
 * lal_clock_get_info: fills *info (initialising the clock if needed).
 * Returns LAL_OK; LAL_EINVAL if info is NULL or info->size is too small (< the
 * reason field's end) or > 4096. Cost: a copy; the read costs were measured once
 * at initialisation.
 */
LAL_API int lal_clock_get_info(lal_clock_info *info);

/*
 * lal_clock_recalibrate: re-measures the TSC frequency against the OS raw clock
 * over the whole time since initialisation (so the error shrinks as uptime
 * grows: 1 us of pairing error over 100 s is 0.01 ppm) and adopts it. The new
 * conversion starts where the old one stands at that moment, so lal_now_ns()
 * never steps, backwards or forwards; concurrent readers retry around the switch
 * (a sequence lock). Call it from a housekeeping thread, e.g. once a minute.
 * It first re-reads the OS clocksource into lal_clock_info.os_clocksource (a
 * change from os_clocksource_at_init is how a kernel's TSC demotion shows),
 * whatever it then returns.
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
 * thread has seen, from every OS sleep it makes; a call shorter than the
 * margin (no OS sleep to learn from) lets it decay, so it comes back down
 * after a burst of late wake-ups (within a second of 1 ms calls) and cannot
 * stay stuck above every request. A request of 2 ms or more ends its OS sleep
 * earlier: at a second estimate, the 99.5th percentile of the wake-up error
 * (lifted at once to any error above it, since stalls come in bursts), at
 * most a fifth of the request and at most 400 us; there a few hundred us of
 * spin cost a few per cent of the request and keep a host's occasional
 * stalls from making sleeps late. Such a request makes two OS sleeps, the
 * last 1 ms long: a wake-up after a long idle stretch (a deep C-state, a
 * halted vCPU) is the one that comes late. The spin is bounded (at most 2 ms per call
 * and at most a fifth of the thread's wall time over the last ~100 ms: under
 * a quarter over any run), so a SCHED_FIFO caller still blocks and is not
 * frozen by RT throttling; the OS sleep then ends no earlier than the budget
 * allows, and when what is left of it is below the margin lal uses the OS
 * sleep alone (a sleep ending that little early wakes as late anyway).
 * Cost (PRECISE): one or two OS sleeps plus the spin; measured by lal-bench's
 * sleep_cost workload, a few per cent of a CPU at 1-16 ms (README).
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
 * Returns LAL_OK; LAL_ERANGE (Linux) for a slack the kernel cannot report
 * back (above LONG_MAX ns), nothing changed; or the OS failure's status.
 * Cost: two syscalls.
 */
LAL_API int lal_timer_slack_set(uint64_t ns, uint64_t *applied_ns);

/* Power-throttling policies a process can opt out of (Windows EcoQoS). */
#define LAL_THROTTLE_EXECUTION_SPEED (1u << 0)  /* Windows 10 1709+ */
#define LAL_THROTTLE_TIMER_RESOLUTION (1u << 1) /* Windows 11+ */

/*
 * lal_power_throttling_opt_out: opts the process out of the given OS power
 * throttling policies, each where the OS has it: EXECUTION_SPEED (EcoQoS may
 * run the process on efficient cores at low clocks) and TIMER_RESOLUTION
 * (Windows 11 ignores the timer resolution a minimised or occluded process
 * asked for, lal_timer_slack_set included, unless it opts out).
 * SetProcessInformation(ProcessPowerThrottling); Windows 10 refuses the
 * TIMER_RESOLUTION bit, and lal then applies the rest alone.
 * *applied (may be NULL) receives the policies now opted out of, 0 on failure.
 * Returns LAL_OK if every requested policy was applied; LAL_ENOTSUP if only
 * some were (*applied says which) or none could be (Linux has no such
 * policies; Windows before 10 1709); LAL_EINVAL for 0 or unknown bits,
 * nothing changed; or the OS failure's status. Cost: one or two syscalls.
 * lal_power_throttling_disable: the same for both policies, without the
 * report: LAL_OK when at least EXECUTION_SPEED was applied (as in 0.1).
 */
LAL_API int lal_power_throttling_opt_out(unsigned policies, unsigned *applied);
LAL_API int lal_power_throttling_disable(void);

/* ---------------------------------------------------------------- PM QoS */

/*
 * A CPU idle-state limit (PM QoS), held while the handle lives: the largest
 * wake-up latency, in us, any CPU may take to leave an idle state. On many
 * machines leaving a deep C-state (or, in a VM, a halt) is the largest part of
 * a thread's wake-up latency; cyclictest holds 0 while it runs, and wake-up
 * figures are comparable only under the same request.
 * Linux: /dev/cpu_dma_latency, system-wide, held open with the value written
 * (Documentation/power/pm_qos_interface.rst; the kernel drops it when the
 * file is closed, also when the process dies). The device is root's (0600):
 * without it LAL_EPERM with the reason. Windows: LAL_ENOTSUP: idle states are
 * a power-plan setting there (lal doctor reports the plan), not a request.
 */
typedef struct lal_pm_qos lal_pm_qos;
typedef struct lal_pm_qos_result {
  size_t size;
  uint32_t latency_us; /* the limit now requested (the kernel takes the lowest request) */
  int system_wide;     /* 1: /dev/cpu_dma_latency */
  char reason[192];    /* what was done, or why not */
} lal_pm_qos_result;
#define LAL_PM_QOS_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_pm_qos_result)
/* The largest limit: 2000 s, the kernel's "no constraint" default. */
#define LAL_PM_QOS_LATENCY_MAX_US 2000000000u

/*
 * lal_pm_qos_hold: requests max_resume_latency_us (0 = stay out of every idle
 * state) until lal_pm_qos_release. Several holds may coexist; the OS honours
 * the lowest. Returns LAL_OK and *out; LAL_EINVAL: out NULL, a latency above
 * LAL_PM_QOS_LATENCY_MAX_US, a bad result struct; LAL_EPERM: not permitted
 * (Linux: no write access to /dev/cpu_dma_latency); LAL_ENOTSUP: no such
 * interface (Windows, a kernel without it); LAL_ENOMEM: the handle could
 * not be allocated; *out untouched on failure. Cost:
 * an open and a write. Thread-safe.
 * lal_pm_qos_release: drops the request and frees the handle. LAL_EINVAL for
 * NULL or a handle not held (released already): nothing done.
 */
LAL_API int lal_pm_qos_hold(uint32_t max_resume_latency_us, lal_pm_qos **out,
                            lal_pm_qos_result *res);
LAL_API int lal_pm_qos_release(lal_pm_qos *qos);

/* ---------------------------------------------------------------- pacer */

#define LAL_PACER_CATCH_UP (1u << 0) /* late: run every missed period at once (default: skip) */
#define LAL_PACER_PRECISE (1u << 1)  /* wait with LAL_SLEEP_PRECISE */

#define LAL_PACER_CPUS 16 /* distinct CPUs a pacer counts wake-ups on */
struct lal_hist;          /* below: a pacer may record into one (lal_pacer_set_hist) */

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
  /* where each wake-up ran (lal_current_cpu after the sleep) */
  uint64_t cpu_waits[LAL_PACER_CPUS]; /* wake-ups on cpu[i]; 0 = slot unused */
  uint64_t other_cpu_waits;           /* wake-ups on CPUs past those */
  uint64_t migrations;                /* wake-ups on another CPU than the one before */
  int32_t cpu[LAL_PACER_CPUS];        /* the first LAL_PACER_CPUS distinct CPUs seen */
  int32_t last_cpu;                   /* -1 before the first wake-up */
  struct lal_hist *hist;              /* lal_pacer_set_hist: every lateness, or NULL */
  uint64_t reserved[8];               /* zero; room for what later versions count */
} lal_pacer;
/* A lal_pacer lives in the caller's memory, so its layout is frozen (512
 * bytes on 64-bit targets): later versions use the reserved words, never a
 * larger struct. Its fields are lal's: read them through lal_pacer_get_stats. */

typedef struct lal_pacer_stats {
  size_t size;
  uint64_t waits;
  uint64_t missed;
  uint64_t late_mean_ns;
  uint64_t late_max_ns;
  uint64_t late_p50_ns; /* upper bound of the power-of-two bucket holding the quantile; */
  uint64_t late_p99_ns; /* with a histogram set (lal_pacer_set_hist), its value (0.8 %) */
  /* Where the wake-ups ran: cpus entries of cpu[] / cpu_waits[], in order of
   * first use; waits on further CPUs are in other_cpu_waits. A wake-up whose
   * CPU the OS did not tell is in none of them. */
  uint64_t migrations; /* wake-ups on a different CPU than the previous one */
  int cpus;
  int cpu[LAL_PACER_CPUS];
  uint64_t cpu_waits[LAL_PACER_CPUS];
  uint64_t other_cpu_waits;
  uint64_t late_p99_9_ns; /* 0 without a histogram */
  int exact;              /* 1: the percentiles come from the pacer's histogram */
} lal_pacer_stats;
#define LAL_PACER_STATS_INIT LAL_IMPL_SIZED_INIT(lal_pacer_stats)

/*
 * lal_pacer_init: the first deadline is one period from now.
 * LAL_EINVAL: NULL, period 0 or > 1 hour, unknown flags.
 * lal_pacer_wait: sleeps until the next deadline and advances. If the caller
 * is already past it: by default the pacer skips to the first deadline still
 * ahead and waits for it (`missed` counts the deadlines skipped; the wake-up
 * stays on the start + n x period grid); with LAL_PACER_CATCH_UP it returns
 * at once for each missed deadline. *late_ns (may be NULL): how late this wake-up
 * was against its deadline. Returns LAL_OK or lal_sleep_until's error;
 * LAL_EINVAL for NULL or a pacer no init/set_period could have left (period 0
 * or over an hour, unknown flags, next deadline over an hour ahead), unchanged.
 * lal_pacer_set_period: the next deadline stays; later ones follow the new period.
 * lal_pacer_deadline: deadline number n of the current epoch (start + n x period),
 * saturating at UINT64_MAX; UINT64_MAX also for a NULL or uninitialised pacer.
 * lal_pacer_get_stats: lateness statistics since init, and where each wake-up ran
 * (per-CPU counts and migrations: "the audio thread woke on 3 CPUs and moved
 * 40 times"). Recording the CPU costs one lal_current_cpu per wait (tens of
 * ns, against a sleep of a period). LAL_EINVAL: NULL pacer/stats or
 * stats->size smaller than its first version; never an OS call.
 */
LAL_API int lal_pacer_init(lal_pacer *pacer, uint64_t period_ns, unsigned flags);
LAL_API int lal_pacer_wait(lal_pacer *pacer, uint64_t *late_ns);
LAL_API int lal_pacer_set_period(lal_pacer *pacer, uint64_t period_ns);
LAL_API uint64_t lal_pacer_deadline(const lal_pacer *pacer, uint64_t n);
LAL_API int lal_pacer_get_stats(const lal_pacer *pacer, lal_pacer_stats *stats);
/*
 * lal_pacer_set_hist: from now on every wake-up's lateness is also recorded
 * in *hist (lal_hist_record: ~2 ns, no allocation), so lal_pacer_stats gives
 * percentiles within 0.8 % instead of power-of-two bounds, and the histogram
 * can be written with lal_hist_write_json for lal-compare. hist NULL detaches.
 * The pacer does not own it: it must outlive its use, on the pacer's thread.
 * LAL_EINVAL for a NULL pacer. Cost: nothing.
 */
LAL_API int lal_pacer_set_hist(lal_pacer *pacer, struct lal_hist *hist);

/* ---------------------------------------------------------------- topology */

/*
 * The machine's CPUs as a tree of domains (package > NUMA node > L3 > L2 > core
 * > PU), read once by lal_topology_load and immutable afterwards: every
 * accessor is thread-safe on a loaded topology. CPU numbers are lal_cpuset
 * indexes: the Linux CPU number; on Windows group * 64 + number in the group.
 * Domain indexes (core, package, ...) are dense, 0 .. count-1, in order of their
 * first CPU; -1 means the OS did not say (e.g. no NUMA information).
 */
typedef struct lal_topology lal_topology;

/* lal_topo_pu.flags */
#define LAL_TOPO_PU_ALLOWED                                                                        \
  (1u << 0)                             /* this process may run here (Linux: cgroup cpuset;        \
                                           Windows: the process's processor groups and             \
                                           CPU sets not allocated to another process)    */
#define LAL_TOPO_PU_AFFINITY (1u << 1)  /* in the process's affinity mask at load time */
#define LAL_TOPO_PU_ISOLATED (1u << 2)  /* Linux isolcpus= (/sys/devices/system/cpu/isolated) */
#define LAL_TOPO_PU_NOHZ_FULL (1u << 3) /* Linux nohz_full= (/sys/devices/system/cpu/nohz_full) */
/* Windows: a CPU set another process holds (GetSystemCpuSetInformation:
 * Allocated, not AllocatedToTargetProcess); never ALLOWED. */
#define LAL_TOPO_PU_RESERVED (1u << 4)
/* Windows: a CPU set allocated to this process (Game Mode's exclusive CPUs). */
#define LAL_TOPO_PU_EXCLUSIVE (1u << 5)

typedef struct lal_topo_pu {
  size_t size;
  int cpu;  /* lal_cpuset index */
  int core; /* dense indexes of the domains holding this PU, -1 if unknown */
  int package;
  int numa_node;
  int l2;
  int l3;
  int kind;          /* index for lal_topology_kind(); 0 when the machine has one kind.
                        Placement ranks a core by the kind of its first PU (smt_index 0),
                        should the OS put its SMT siblings in different kinds */
  int smt_index;     /* 0 for the first PU of its core, 1 for its SMT sibling, ... */
  unsigned flags;    /* LAL_TOPO_PU_* */
  uint64_t l2_bytes; /* size of its L2 / L3, 0 if unknown */
  uint64_t l3_bytes;
} lal_topo_pu;
#define LAL_TOPO_PU_INIT LAL_IMPL_SIZED_INIT(lal_topo_pu)

/* A kind of core on a hybrid CPU (P-cores, E-cores); one kind elsewhere. */
typedef struct lal_topo_kind {
  size_t size;
  int perf_rank;        /* 0 = the most performant kind: the number of kinds ranked above
                           this one, by efficiency class; when the OS gives none (AMD X3D:
                           two kinds that differ only in clock), by max_mhz; 0 for every
                           kind when neither is known. Tied kinds share a rank, leaving a
                           gap (0, 0, 2). The kind "unknown" (CPUs the OS put in no kind,
                           e.g. one without cpufreq data) ranks after all the others. */
  int efficiency_class; /* the OS's own value (hwloc efficiency, Windows EfficiencyClass;
                           higher = more performant), -1 if the OS does not rank kinds */
  int pus;              /* PUs of this kind */
  char name[32];        /* "IntelCore", "IntelAtom", "EfficiencyClass 1", "default", "kind N",
                           "unknown" */
  lal_cpuset cpus;
  int max_mhz; /* the kind's highest clock (hwloc FrequencyMaxMHz), 0 if unknown */
} lal_topo_kind;
#define LAL_TOPO_KIND_INIT LAL_IMPL_SIZED_INIT(lal_topo_kind)

typedef struct lal_topology_info {
  size_t size;
  int pus;
  int cores;
  int packages;
  int numa_nodes; /* 0 when the OS reports none; nodes without CPUs (GPU, CXL,
                     NVDIMM or MCDRAM memory) are not counted */
  int l2_domains;
  int l3_domains;
  int kinds;
  int smt_max;          /* most PUs on one core (1 = no SMT) */
  int groups;           /* Windows processor groups spanned (1 on Linux) */
  lal_cpuset all;       /* every PU the OS knows */
  lal_cpuset allowed;   /* LAL_TOPO_PU_ALLOWED */
  lal_cpuset affinity;  /* LAL_TOPO_PU_AFFINITY */
  lal_cpuset isolated;  /* LAL_TOPO_PU_ISOLATED */
  lal_cpuset nohz_full; /* LAL_TOPO_PU_NOHZ_FULL */
  /* Where it came from: "hwloc", "sysfs", "windows"; "hwloc-recording" when
   * hwloc was told to read another machine (HWLOC_XMLFILE, HWLOC_SYNTHETIC,
   * HWLOC_FSROOT): then `affinity` is the recording's allowed set and
   * isolated / nohz_full come from HWLOC_FSROOT's tree or are empty; the
   * test-only loaders say "hwloc-xml", "windows-buffer". */
  char source[24];
  /* Linux amd_x3d_vcache driver's amd_x3d_mode ("frequency" or "cache": which
   * CCD the kernel's scheduler prefers on a dual-CCD X3D part); "" elsewhere. */
  char amd_x3d_mode[16];
  lal_cpuset reserved;  /* LAL_TOPO_PU_RESERVED */
  lal_cpuset exclusive; /* LAL_TOPO_PU_EXCLUSIVE */
  /* Windows Game Mode (expandedresources.h): HasExpandedResources (1 yes, 0 no,
   * -1 unknown: not Windows, or an OS without the API) and
   * GetExpandedResourceExclusiveCpuCount (0 when none or unknown). */
  int game_mode;
  int game_mode_exclusive_cpus;
} lal_topology_info;
#define LAL_TOPOLOGY_INFO_INIT LAL_IMPL_SIZED_INIT(lal_topology_info)

/* Domains for lal_topology_domain_cpus. */
typedef enum lal_topo_domain {
  LAL_TOPO_CORE = 0,
  LAL_TOPO_PACKAGE = 1,
  LAL_TOPO_NUMA = 2,
  LAL_TOPO_L2 = 3,
  LAL_TOPO_L3 = 4,
  LAL_TOPO_KIND = 5
} lal_topo_domain;

/*
 * lal_topology_load: reads this machine's topology into a new *out (free it
 * with lal_topology_free). Linux: hwloc when this build can use it and the
 * machine has libhwloc.so.15 (loaded at run time by default; including
 * disallowed PUs, so that `allowed` can be reported), else /sys itself
 * (cpuN/topology, cpuN/cache, node/nodeN, cpu_capacity, cpufreq, the Intel
 * hybrid PMUs and the cgroup cpuset): info.source says "hwloc" or "sysfs".
 * Both add sched_getaffinity(2) and /sys/devices/system/cpu isolated and
 * nohz_full. Where they differ: a guest whose /sys has no cpuN/cache (some
 * hypervisors) has no L2/L3 from /sys, where hwloc asks CPUID; kind names
 * from /sys are "IntelCore"/"IntelAtom" on Intel hybrid parts and "kind N"
 * elsewhere. Windows: GetLogicalProcessorInformationEx(RelationAll)
 * over every processor group, GetProcessGroupAffinity / GetProcessAffinityMask,
 * and GetSystemCpuSetInformation where the OS has it (Windows 10+).
 * Returns LAL_OK; LAL_EINVAL if out is NULL; LAL_ENOMEM; LAL_ERANGE for a
 * machine with more CPUs (or CPU numbers) than LAL_CPUSET_MAX; LAL_EIO if the
 * OS's answer is malformed (including an unreadable HWLOC_XMLFILE /
 * HWLOC_SYNTHETIC given to hwloc).
 * Cost: about a millisecond (hwloc, or lal, reads sysfs: a few files per CPU);
 * load once, keep it.
 */
LAL_API int lal_topology_load(lal_topology **out);
/* lal_topology_free: releases topo; NULL is a no-op. */
LAL_API void lal_topology_free(lal_topology *topo);

/*
 * Accessors. LAL_EINVAL for NULL arguments or a struct size smaller than its
 * first version; LAL_ERANGE for an index out of range. They cost nothing.
 * lal_topology_pu: the index-th PU in increasing CPU order (0 .. info.pus-1).
 * lal_topology_pu_of_cpu: the PU whose lal_cpuset index is cpu (LAL_ENOENT if
 * the machine has no such CPU).
 * lal_topology_domain_cpus: the CPUs of one domain (all of them, allowed or not).
 */
LAL_API int lal_topology_get_info(const lal_topology *topo, lal_topology_info *info);
LAL_API int lal_topology_pu(const lal_topology *topo, int index, lal_topo_pu *out);
LAL_API int lal_topology_pu_of_cpu(const lal_topology *topo, int cpu, lal_topo_pu *out);
LAL_API int lal_topology_kind(const lal_topology *topo, int index, lal_topo_kind *out);
LAL_API int lal_topology_domain_cpus(const lal_topology *topo, lal_topo_domain domain, int index,
                                     lal_cpuset *out);

/* ---------------------------------------------------------------- placement */

/* lal_place_req.flags */
/* One thread per core, alone there: never two threads on SMT siblings, and no
 * core with an excluded PU (excluding CPU 0 also keeps threads off its sibling). */
#define LAL_PLACE_ONE_PER_CORE (1u << 0)
#define LAL_PLACE_PREFER_FAST (1u << 1)  /* fastest kind first, then slower kinds */
#define LAL_PLACE_FAST_ONLY (1u << 2)    /* only the fastest kind among the candidates */
#define LAL_PLACE_SAME_L3 (1u << 3)      /* every thread under one L3 */
#define LAL_PLACE_SAME_NUMA (1u << 4)    /* every thread on one NUMA node */
#define LAL_PLACE_SAME_PACKAGE (1u << 5) /* every thread on one package */
/* The largest last-level cache first: cores of the most performant core type
 * (the OS's efficiency class) first, then by L3 size, largest first, then fastest
 * kind. On a dual-CCD X3D part this is the V-Cache CCD; a slower core type with
 * its own cache (Zen 5c, E-cores) never outranks the faster type for its L3. */
#define LAL_PLACE_PREFER_CACHE (1u << 6)
/* When the request cannot be met, relax it in this order until it can: SAME_L3
 * -> SAME_NUMA -> SAME_PACKAGE -> no common domain; then ONE_PER_CORE is dropped
 * (threads may share SMT siblings); then threads share PUs, round-robin.
 * result->relaxed says what was given up, result->applied what was kept. */
#define LAL_PLACE_BEST_EFFORT (1u << 7)
/* Only the CPUs allocated to this process (info.exclusive: Windows Game Mode);
 * LAL_ERANGE when there are none (always on Linux). */
#define LAL_PLACE_EXCLUSIVE (1u << 8)
/* result->relaxed only: more threads than candidate PUs, some share one. */
#define LAL_PLACE_SHARED_PUS (1u << 16)

typedef struct lal_place_req {
  size_t size;
  int threads;               /* how many threads to place, >= 1 */
  unsigned flags;            /* LAL_PLACE_* */
  const lal_cpuset *within;  /* candidates; NULL = the process's affinity */
  const lal_cpuset *exclude; /* never use these (e.g. CPU 0, IRQ-heavy CPUs); may be NULL */
} lal_place_req;
#define LAL_PLACE_REQ_INIT LAL_IMPL_SIZED_INIT(lal_place_req)

typedef struct lal_place_result {
  size_t size;
  int cores_used;   /* distinct cores the threads landed on */
  int domain;       /* the L3 / NUMA node / package chosen for a SAME_* request, else -1 */
  char reason[192]; /* why a request could not be met as asked ("" when it was) */
  unsigned applied; /* the LAL_PLACE_* constraints the placement honours */
  unsigned relaxed; /* BEST_EFFORT: the constraints given up (+ LAL_PLACE_SHARED_PUS) */
} lal_place_result;
#define LAL_PLACE_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_place_result)

/*
 * lal_place: chooses one CPU for each of req->threads threads and writes
 * out[i] = {that CPU} for i < threads (out must hold req->threads sets).
 * Candidates are (within, or the process affinity) & allowed & ~exclude. Threads
 * fill distinct cores first (SMT siblings only once every candidate core has
 * one, and never with LAL_PLACE_ONE_PER_CORE), in core order, fastest kind
 * first with PREFER_FAST / FAST_ONLY, and cores whose sibling is excluded
 * after clean ones. A SAME_* constraint picks the domain that
 * holds the request with the most fastest-kind CPUs (up to the number of
 * threads: more is no better), then the most capacity on cores that share
 * no SMT sibling with an excluded CPU (likewise capped), then the lowest
 * index.
 * PREFER_CACHE orders cores by core type, then L3 size (and picks the SAME_*
 * domain with the most largest-L3 capacity); with both PREFER_ flags the cache
 * wins. With BEST_EFFORT a request that cannot be met is relaxed (see the
 * flag) and succeeds whenever there is a candidate CPU at all; result->reason
 * then says what failed first.
 * Returns LAL_OK; LAL_EINVAL for NULL topo/req/out, threads < 1, unknown flags,
 * more than one SAME_* flag, or an empty `within`; LAL_ERANGE when the
 * candidates cannot hold the request, or there is no candidate CPU at all
 * (result->reason says which constraint failed and what was available; out is
 * untouched); LAL_ENOMEM: the working set for a large machine could not be
 * allocated. result may be NULL. Pure computation on the loaded topology: no
 * OS call, microseconds.
 */
LAL_API int lal_place(const lal_topology *topo, const lal_place_req *req, lal_cpuset out[],
                      lal_place_result *result);

/* ---------------------------------------------------------------- affinity */

/*
 * lal_thread_set_affinity: restricts the calling thread to *set. Linux:
 * sched_setaffinity(2). Windows: a set in one processor group is hard
 * affinity (SetThreadGroupAffinity; on Windows 11 / Server 2022 this also
 * confines a thread that spanned every group, and nothing widens it again).
 * A set spanning groups needs a thread that spans them (Windows 11, never
 * confined): it becomes the thread's selected CPU sets
 * (SetThreadSelectedCpuSets: the scheduler keeps the thread on them unless
 * they are all busy), or no selection when it is every CPU the thread may
 * use. Before Windows 11, or once confined, Windows would ignore the other
 * groups: LAL_ENOTSUP, nothing changed. With a process default CPU set in
 * force, a one-group set is also selected for the thread (a thread selection
 * overrides the default), so it runs on exactly *set, not *set & default.
 * lal itself never moves a caller's thread: clock calibration visits CPUs on
 * a helper thread of its own.
 * Returns LAL_OK; LAL_EINVAL if set is NULL or empty or holds a CPU this process
 * may not run on (absent, offline, outside its cgroup cpuset, processor
 * groups or job) — nothing is changed (Linux would silently drop such CPUs: lal
 * checks the kernel's answer and puts the old mask back). Cost: one or two
 * syscalls.
 * lal_thread_get_affinity: the CPUs the calling thread may run on. Windows:
 * its group affinity (every group of the process for a Windows 11 thread never
 * confined; lal cannot tell a thread confined by another library to a whole
 * group from one never confined), cut by the CPU-set selection in force (the
 * thread's, else the process default) where they meet. LAL_EINVAL if out is
 * NULL; otherwise only a failure of sched_getaffinity(2) /
 * GetThreadGroupAffinity (as lal_err_name maps its error), *out untouched.
 */
LAL_API int lal_thread_set_affinity(const lal_cpuset *set);
LAL_API int lal_thread_get_affinity(lal_cpuset *out);

/*
 * lal_process_set_affinity: every thread of the process, and threads created
 * later. Linux: sched_setaffinity on each thread of /proc/self/task (like
 * `taskset -a -p`); if one fails, those already changed are put back. Windows:
 * a process whose threads are in one group gets SetProcessAffinityMask, for a
 * set in that group only (no call moves a process to another group:
 * LAL_ENOTSUP); a process spanning groups gets the default CPU sets
 * (SetProcessDefaultCpuSets; a thread confined to one group uses the part in
 * its group). Same statuses as lal_thread_set_affinity.
 * lal_process_get_affinity: Linux: the union of every thread's affinity;
 * Windows: the process mask of a one-group process, or each group's active
 * CPUs cut by the job's group masks (JobObjectGroupInformationEx), then cut by
 * the default CPU sets where they meet. LAL_EINVAL if out
 * is NULL; otherwise only a failure reading /proc/self/task or of
 * sched_getaffinity(2) / GetProcessGroupAffinity, GetProcessAffinityMask;
 * *out untouched on failure.
 */
LAL_API int lal_process_set_affinity(const lal_cpuset *set);
LAL_API int lal_process_get_affinity(lal_cpuset *out);

/*
 * Soft placement, Windows 10+ CPU Sets: the scheduler keeps the thread (or
 * every thread of the process without a selection of its own) on these CPUs
 * while they are free and may run it elsewhere when they are all busy; a CPU
 * set another process holds is never used. Unlike affinity this spans
 * processor groups and never starves the thread.
 * lal_thread_set_cpu_sets: SetThreadSelectedCpuSets for the calling thread;
 * lal_process_set_default_cpu_sets: SetProcessDefaultCpuSets. set NULL clears
 * the selection. Returns LAL_OK; LAL_EINVAL for an empty set or one holding a
 * CPU without a CPU set (absent, inactive), nothing changed; LAL_ENOTSUP on
 * Linux (the kernel has no soft affinity: use lal_thread_set_affinity) and on
 * Windows before 10.
 * The getters: the CPUs of the current selection, empty when there is none
 * (GetThreadSelectedCpuSets / GetProcessDefaultCpuSets); LAL_EINVAL for NULL,
 * LAL_ENOTSUP as above. Cost: one call and a CPU-set enumeration.
 */
LAL_API int lal_thread_set_cpu_sets(const lal_cpuset *set);
LAL_API int lal_thread_get_cpu_sets(lal_cpuset *out);
LAL_API int lal_process_set_default_cpu_sets(const lal_cpuset *set);
LAL_API int lal_process_get_default_cpu_sets(lal_cpuset *out);

/*
 * lal_current_cpu: the CPU the caller runs on right now (it may move at any
 * moment unless pinned), as a lal_cpuset index, or a negative status.
 * Linux sched_getcpu(3) (rseq/vDSO, tens of ns); Windows
 * GetCurrentProcessorNumberEx (cannot fail). Negative only when
 * sched_getcpu(3) fails (ENOSYS on a kernel without getcpu), as lal_err_name
 * maps that errno.
 */
LAL_API int lal_current_cpu(void);

/* ---------------------------------------------------------------- priority */

/* Portable profiles: what each obtains is in the table of lal_thread_set_priority. */
typedef enum lal_priority_profile {
  LAL_PRIORITY_BACKGROUND = 1,
  LAL_PRIORITY_NORMAL = 2,
  LAL_PRIORITY_INTERACTIVE = 3, /* game main / render thread */
  LAL_PRIORITY_AUDIO = 4,       /* realtime media callback */
  LAL_PRIORITY_REALTIME = 5,    /* hard realtime, expects to be pinned */
  LAL_PRIORITY_EXPLICIT = 6     /* use the policy fields of lal_priority_req */
} lal_priority_profile;

/* Scheduling policies (lal_priority_req.policy, lal_priority_result.policy). */
typedef enum lal_policy {
  LAL_POLICY_OTHER = 0, /* time sharing with a nice value */
  LAL_POLICY_BATCH = 1,
  LAL_POLICY_IDLE = 2,
  LAL_POLICY_FIFO = 3,
  LAL_POLICY_RR = 4,
  LAL_POLICY_DEADLINE = 5, /* Linux SCHED_DEADLINE (sched_setattr); LAL_ENOTSUP on Windows */
  LAL_POLICY_WINDOWS = 6   /* Windows priority class + thread priority (+ MMCSS) */
} lal_policy;

/* lal_priority_req.flags */
/* A missing privilege degrades along the documented chain instead of failing. */
#define LAL_PRIORITY_FALLBACK (1u << 0)
/* Leave Windows power throttling (EcoQoS) of the thread as it is. */
#define LAL_PRIORITY_KEEP_THROTTLING (1u << 1)
/* The Linux fallback steps a request may take after the direct one (with
 * LAL_PRIORITY_FALLBACK). None of these bits: every step. Any: only those.
 * RTKIT: SCHED_RR from rtkit (org.freedesktop.RealtimeKit1, system bus);
 * PORTAL: from the xdg Realtime portal (session bus; first inside Flatpak);
 * SLICE: an EEVDF slice hint, SCHED_OTHER with a short sched_runtime (Linux
 * 6.12+); NICE: a lower nice value within RLIMIT_NICE. */
#define LAL_PRIORITY_VIA_RTKIT (1u << 4)
#define LAL_PRIORITY_VIA_PORTAL (1u << 5)
#define LAL_PRIORITY_VIA_SLICE (1u << 6)
#define LAL_PRIORITY_VIA_NICE (1u << 7)

/* lal_priority_result.obtained_via: which step gave the thread its scheduling. */
typedef enum lal_priority_via {
  LAL_VIA_DIRECT = 0, /* the OS call itself (sched_setattr, SetThreadPriority...) */
  LAL_VIA_RTKIT = 1,
  LAL_VIA_PORTAL = 2,
  LAL_VIA_SLICE = 3,
  LAL_VIA_NICE = 4,     /* a nice value, the last step before giving up */
  LAL_VIA_UNCHANGED = 5 /* nothing could be applied: the thread kept what it had */
} lal_priority_via;

/* Windows priority classes for LAL_POLICY_WINDOWS (0 = leave the class alone). */
#define LAL_WIN_CLASS_IDLE 1
#define LAL_WIN_CLASS_BELOW_NORMAL 2
#define LAL_WIN_CLASS_NORMAL 3
#define LAL_WIN_CLASS_ABOVE_NORMAL 4
#define LAL_WIN_CLASS_HIGH 5
#define LAL_WIN_CLASS_REALTIME 6

typedef struct lal_priority_req {
  size_t size;
  int profile;    /* lal_priority_profile */
  unsigned flags; /* LAL_PRIORITY_* */
  /* LAL_PRIORITY_EXPLICIT only: */
  int policy;          /* lal_policy */
  int rt_priority;     /* FIFO/RR: 1..99 */
  int nice;            /* OTHER/BATCH: -20..19 */
  uint64_t runtime_ns; /* DEADLINE: runtime <= deadline <= period (period 0 = deadline);
                          OTHER/BATCH: the EEVDF slice, 0 = the kernel's or 0.1-100 ms
                          (Linux 6.12+, verified by reading it back: LAL_ENOTSUP before;
                          Windows: LAL_ENOTSUP, ignored with FALLBACK) */
  uint64_t deadline_ns;
  uint64_t period_ns;
  int win_priority_class;  /* LAL_POLICY_WINDOWS: LAL_WIN_CLASS_* or 0 */
  int win_thread_priority; /* THREAD_PRIORITY_* value: -15, -2..2, 15 */
  char mmcss_task[32];     /* MMCSS task ("Pro Audio", "Games"), "" for none */
} lal_priority_req;
#ifdef __cplusplus
extern "C++" inline lal_priority_req lal_impl_priority_req_init() {
  lal_priority_req v = lal_impl_sized_init<lal_priority_req>();
  v.profile = LAL_PRIORITY_NORMAL;
  return v;
}
#  define LAL_PRIORITY_REQ_INIT lal_impl_priority_req_init()
#else
#  define LAL_PRIORITY_REQ_INIT                                                                    \
    { .size = sizeof(lal_priority_req), .profile = LAL_PRIORITY_NORMAL }
#endif

/* lal_priority_result.flags */
#define LAL_PRIORITY_DEGRADED (1u << 0)      /* less than asked was applied */
#define LAL_PRIORITY_RESET_ON_FORK (1u << 1) /* Linux SCHED_RESET_ON_FORK set */
#define LAL_PRIORITY_MMCSS (1u << 2)         /* the thread joined an MMCSS task */
#define LAL_PRIORITY_NO_THROTTLING (1u << 3) /* Windows EcoQoS turned off for the thread */

typedef struct lal_priority_result {
  size_t size;
  unsigned flags;                              /* LAL_PRIORITY_DEGRADED, ... */
  int policy;                                  /* what the thread has now (lal_policy) */
  int rt_priority;                             /* FIFO/RR priority, 0 otherwise */
  int nice;                                    /* nice value (OTHER/BATCH/IDLE), 0 otherwise */
  uint64_t runtime_ns, deadline_ns, period_ns; /* DEADLINE */
  int win_priority_class;  /* Windows: the process class now (LAL_WIN_CLASS_*) */
  int win_thread_priority; /* Windows: GetThreadPriority now */
  char mmcss_task[32];
  int denied;            /* the status that forced a degradation (LAL_EPERM...), 0 if none */
  int denied_os_error;   /* its errno / GetLastError */
  int64_t rlimit_rtprio; /* Linux RLIMIT_RTPRIO soft limit (-1 = unlimited), 0 on Windows */
  int64_t rlimit_nice;   /* Linux RLIMIT_NICE soft limit (-1 = unlimited) */
  char reason[256];      /* each step tried and its outcome, e.g. "SCHED_FIFO 80: EPERM
                            (RLIMIT_RTPRIO 0, no CAP_SYS_NICE); nice -10: EPERM; nice 0: ok" */
  int mmcss_priority;    /* Windows: the MMCSS priority within mmcss_task (AVRT_PRIORITY:
                            -1 low, 0 normal, 1 high, 2 critical); 0 otherwise */
  int obtained_via;      /* lal_priority_via: the step that applied (lal_thread_set_priority) */
  uint64_t slice_ns;     /* Linux: the EEVDF slice in force when set by lal, else 0 */
  int64_t rlimit_rttime; /* Linux RLIMIT_RTTIME soft limit in us (-1 = unlimited) after
                            the call: rtkit/the portal make lal lower it (see below) */
} lal_priority_result;
#define LAL_PRIORITY_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_priority_result)

/*
 * lal_thread_set_priority: sets the calling thread's scheduling.
 *
 *   profile      Linux                                   Windows
 *   BACKGROUND   SCHED_BATCH nice 10                     THREAD_PRIORITY_LOWEST
 *   NORMAL       SCHED_OTHER nice 0                      THREAD_PRIORITY_NORMAL, MMCSS left
 *   INTERACTIVE  SCHED_OTHER nice -10                    THREAD_PRIORITY_HIGHEST; with FALLBACK
 *                                                        also MMCSS "Games" (else HIGHEST alone)
 *   AUDIO        SCHED_FIFO 60, reset-on-fork            MMCSS "Pro Audio" HIGH, else TIME_CRITICAL
 *   REALTIME     SCHED_FIFO 80, reset-on-fork            TIME_CRITICAL + MMCSS "Pro Audio" CRITICAL
 *   EXPLICIT     policy/rt_priority/nice/deadline        LAL_POLICY_WINDOWS fields; FIFO/RR ->
 *                (sched_setattr(2)); LAL_POLICY_WINDOWS   TIME_CRITICAL, OTHER nice -> thread
 *                -> LAL_ENOTSUP                           priority, DEADLINE -> LAL_ENOTSUP
 * Windows profiles above NORMAL also turn power throttling (EcoQoS) off for the
 * thread (SetThreadInformation ThreadPowerThrottling) unless KEEP_THROTTLING.
 * The process priority class changes only on an explicit win_priority_class.
 *
 * Without LAL_PRIORITY_FALLBACK a refused step returns its status (LAL_EPERM
 * when the privilege is missing) and leaves the thread as it was. With it, Linux
 * degrades, for FIFO/RR (AUDIO, REALTIME, explicit) requests: DEADLINE -> FIFO 80
 * -> the asked RT policy (CAP_SYS_NICE) -> capped at RLIMIT_RTPRIO -> rtkit
 * SCHED_RR at the priority asked, clamped to rtkit's MaxRealtimePriority (the
 * clamp reported) -> the xdg Realtime portal (inside Flatpak it comes before
 * rtkit) -> an EEVDF slice hint (SCHED_OTHER, sched_runtime 1 ms; Linux 6.12+,
 * verified by reading it back) -> nice -11, then the lowest RLIMIT_NICE allows
 * -> unchanged; for INTERACTIVE: nice -10 -> the lowest RLIMIT_NICE allows ->
 * rtkit's MakeThreadHighPriority at -10 (raised to its MinNiceLevel, -15 on
 * Debian, when below it) -> the same through the portal -> unchanged. The
 * LAL_PRIORITY_VIA_* flags restrict which of these steps are allowed.
 * Windows drops MMCSS for TIME_CRITICAL. `result` (may be NULL) always
 * says what the thread has afterwards, which step gave it (obtained_via) and
 * why each earlier one failed (reason, denied, rlimits).
 * rtkit and the portal, for realtime: once the broker has answered (its
 * properties read; through the portal, rtkit behind it asked for the nice
 * the thread already has), lal lowers RLIMIT_RTTIME (soft and hard, for the
 * whole process, irreversibly) to the broker's RTTimeUSecMax (200 ms on
 * Debian), as they require, and the reason says so ("RLIMIT_RTTIME lowered
 * to 200000 us"); a broker that is absent or unreachable leaves it as it was: from then on a
 * realtime thread of the process that runs that long without blocking gets SIGXCPU, and at the hard
 * limit SIGKILL (getrlimit(2)); the default SIGXCPU action ends the process. Threads that block
 * every period (audio callbacks, frame loops) never come near it. The D-Bus client is libdbus-1,
 * loaded at run time: without it these steps say so and the chain goes on. They cost a D-Bus round
 * trip or four (~1 ms). LAL_EINVAL: NULL req, unknown profile/policy/flags, rt_priority
 * outside 1..99, nice outside -20..19, DEADLINE with runtime 0 or runtime > deadline > period, an
 * unterminated mmcss_task. Cost: a few syscalls (sched_setattr, getrlimit).
 */
LAL_API int lal_thread_set_priority(const lal_priority_req *req, lal_priority_result *result);

/*
 * lal_thread_get_priority: what the calling thread has now, in the result's
 * policy fields (reason and denied empty). LAL_EINVAL for NULL.
 */
LAL_API int lal_thread_get_priority(lal_priority_result *out);

/* ---------------------------------------------------------------- thread state */

/*
 * A saved affinity + scheduling of the calling thread, to put back after a
 * temporary change (a scoped pin/boost):
 *     lal_thread_state saved;
 *     lal_thread_state_save(&saved);
 *     ... lal_thread_set_affinity / lal_thread_set_priority ...
 *     lal_thread_state_restore(&saved);
 * Restore re-applies the saved affinity and policy exactly (Linux
 * sched_setattr with the saved attributes, Windows the saved thread priority,
 * MMCSS task left) and returns the first failure; going back from a boost to
 * a lower priority never needs privilege, except undoing a raised nice value
 * on Linux without CAP_SYS_NICE/RLIMIT_NICE (then LAL_EPERM). All or nothing:
 * a state no save could have produced (an unknown policy, FIFO priority 0, a
 * nice outside -20..19, an empty affinity) is LAL_EINVAL before any change,
 * and when a step fails the thread is put back as it was. Restore on the
 * thread that saved. LAL_EINVAL for NULL. Windows 11 with several processor
 * groups: restoring a state that spanned groups on a thread confined since
 * (lal_thread_set_affinity to one group) is LAL_ENOTSUP, nothing changed:
 * Windows never widens a confined thread again, so a scoped pin to one group
 * is not reversible there; pin within the groups with a spanning set (a CPU
 * selection) when the thread must span them afterwards. A state saved while
 * only a process default CPU set steered the thread comes back as a hard
 * mask plus a thread selection of the same CPUs: the thread runs where it
 * did, but no longer follows later changes of the process default.
 */
typedef struct lal_thread_state {
  lal_cpuset affinity;
  lal_priority_result priority;
  int valid;
} lal_thread_state;
LAL_API int lal_thread_state_save(lal_thread_state *state);
LAL_API int lal_thread_state_restore(const lal_thread_state *state);

/* ---------------------------------------------------------------- threads */

typedef struct lal_thread lal_thread;
typedef int (*lal_thread_fn)(void *arg);

/* lal_thread_attr.flags */
/* Run fn even if an attribute could not be applied (the result says which);
 * also passes LAL_PRIORITY_FALLBACK to the priority request. */
#define LAL_THREAD_FALLBACK (1u << 0)

typedef struct lal_thread_attr {
  size_t size;
  unsigned flags;
  const char *name;                 /* NULL: inherit the OS default */
  const lal_cpuset *affinity;       /* NULL: inherit */
  const lal_priority_req *priority; /* NULL: inherit */
  size_t stack_size;     /* bytes, 0 = OS default; rounded up to the page size; Windows: at
                            most 4 GiB - 1 (_beginthreadex), more is LAL_ERANGE */
  size_t stack_prefault; /* bytes of stack to touch before fn runs (lal_stack_prefault) */
} lal_thread_attr;
#define LAL_THREAD_ATTR_INIT LAL_IMPL_SIZED_INIT(lal_thread_attr)

/* What lal_thread_create applied in the new thread, before fn ran. */
typedef struct lal_thread_result {
  size_t size;
  int name_status;              /* LAL_OK, or the status of lal_thread_set_name */
  int affinity_status;          /* LAL_OK, or that of lal_thread_set_affinity */
  int priority_status;          /* LAL_OK, or that of lal_thread_set_priority */
  int prefault_status;          /* LAL_OK, or that of lal_stack_prefault */
  lal_cpuset affinity;          /* the thread's affinity as fn starts */
  lal_priority_result priority; /* the thread's scheduling as fn starts */
  size_t stack_size;            /* the stack it got */
} lal_thread_result;
#define LAL_THREAD_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_thread_result)

/*
 * lal_thread_create: starts a thread that applies attr (name, affinity,
 * priority, stack prefault, in that order) and only then runs fn(arg).
 * Returns after the attributes were applied (lal_thread_get_result says what
 * the thread got). If one fails and LAL_THREAD_FALLBACK is not set, fn never
 * runs, the thread is joined and its status is returned (*out untouched).
 * attr may be NULL (OS defaults). LAL_EINVAL: NULL out/fn, unknown flags, bad
 * attr values (checked before any thread exists); LAL_ENOMEM/LAL_EAGAIN when the
 * OS cannot create the thread. Cost: a thread creation plus one round trip to it.
 * lal_thread_get_result: what the thread got (valid from create until join).
 * LAL_EINVAL: NULL thread/result or result->size smaller than its first
 * version; never an OS call.
 * lal_thread_join: waits for fn to return, stores its return value in *ret (may
 * be NULL), frees the thread. Once per thread. LAL_EINVAL for NULL, or joining
 * oneself.
 */
LAL_API int lal_thread_create(lal_thread **out, const lal_thread_attr *attr, lal_thread_fn fn,
                              void *arg);
LAL_API int lal_thread_get_result(const lal_thread *thread, lal_thread_result *result);
LAL_API int lal_thread_join(lal_thread *thread, int *ret);

/*
 * lal_thread_set_name: names the calling thread for debuggers, profilers and
 * `top -H` (UTF-8). Linux keeps 15 bytes (pthread_setname_np(3)): a longer name
 * is cut at a character boundary; Windows SetThreadDescription (Windows 10
 * 1607+, else LAL_ENOTSUP). LAL_EINVAL: NULL, empty, or not valid UTF-8.
 * lal_thread_get_name: the calling thread's name into buf. LAL_ERANGE if it
 * does not fit.
 */
LAL_API int lal_thread_set_name(const char *name);
LAL_API int lal_thread_get_name(char *buf, size_t size);

/*
 * lal_stack_prefault: touches `bytes` of the calling thread's stack below the
 * current frame, so the first deep call in a latency-critical loop does not
 * page-fault (pair with lal_mem_lock_all to keep the pages). LAL_ERANGE if the
 * stack has less room than bytes + 64 KiB of margin; LAL_OK for 0.
 * Cost: one write per page, plus the page faults it exists to take.
 */
LAL_API int lal_stack_prefault(size_t bytes);

/* ---------------------------------------------------------------- memory */

/* lal_mem_lock_all flags */
#define LAL_MEM_LOCK_CURRENT (1u << 0)  /* lock every page mapped now */
#define LAL_MEM_LOCK_FUTURE (1u << 1)   /* and every page mapped later (Linux only) */
#define LAL_MEM_LOCK_ONFAULT (1u << 2)  /* lock pages as they are first touched (Linux 4.4+) */
#define LAL_MEM_LOCK_FALLBACK (1u << 3) /* over the limit: degrade, report, do not fail */

typedef struct lal_lock_result {
  size_t size;
  unsigned applied;      /* LAL_MEM_LOCK_* actually in force afterwards (0: nothing) */
  int degraded;          /* 1 if less than asked was applied */
  int denied;            /* the status that forced it (LAL_ENOMEM, LAL_EPERM), else 0 */
  uint64_t limit_bytes;  /* Linux RLIMIT_MEMLOCK soft limit (UINT64_MAX = unlimited);
                            Windows: the working-set minimum now (VirtualLock's limit) */
  uint64_t locked_bytes; /* Linux VmLck after the call; Windows bytes VirtualLock'ed */
  int privileged;        /* CAP_IPC_LOCK held (no limit) / SeIncreaseWorkingSetPrivilege
                            enabled (the working-set minimum, VirtualLock's limit, may grow) */
  char reason[192];
} lal_lock_result;
#define LAL_LOCK_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_lock_result)

/*
 * lal_mem_lock_all: keeps the process's memory resident so no page fault can
 * hit a latency-critical thread. Linux: mlockall(2) with MCL_CURRENT /
 * MCL_FUTURE / MCL_ONFAULT; beyond RLIMIT_MEMLOCK without CAP_IPC_LOCK it fails
 * with LAL_ENOMEM (LAL_EPERM if the limit is 0), and with LAL_MEM_LOCK_FALLBACK
 * retries with ONFAULT added (only what is touched counts), then locks nothing
 * and says so. Windows has no mlockall: CURRENT raises the working-set minimum
 * to the committed private memory plus 64 MiB (SetProcessWorkingSetSizeEx) and
 * VirtualLocks every committed read-write private region; FUTURE and ONFAULT
 * are LAL_ENOTSUP without FALLBACK (use lal_mem_lock or LAL_MEM_LOCK for later
 * allocations). result (may be NULL) says what is in force. LAL_EINVAL: no
 * CURRENT/FUTURE bit, unknown bits. Cost: the faults of every mapped page.
 * A refused request changes nothing: on Windows a failure part-way unlocks
 * only what this call locked (buffers lal_mem_lock locked before, and pages
 * the OS reports locked, stay locked) and puts the working-set size back.
 * lal_mem_unlock_all: munlockall(2); Windows: unlocks what lal_mem_lock_all
 * locked (not what lal_mem_lock locked) and restores the working-set size. LAL_OK also when nothing
 * was locked; otherwise only munlockall / VirtualUnlock / SetProcessWorkingSetSizeEx failing
 * (LAL_EPERM, LAL_ENOMEM as the OS says).
 */
LAL_API int lal_mem_lock_all(unsigned flags, lal_lock_result *result);
LAL_API int lal_mem_unlock_all(void);

/*
 * lal_mem_lock / lal_mem_unlock: [p, p + size) rounded out to pages. Linux
 * mlock(2)/munlock(2); Windows VirtualLock/VirtualUnlock (the working set is
 * grown first when the region does not fit in its minimum).
 * LAL_EINVAL: NULL or size 0; LAL_ERANGE: a range whose end, rounded up to a
 * page, passes the end of the address space; LAL_ENOMEM: over the lock limit
 * or not mapped. Cost: faults in the range.
 */
LAL_API int lal_mem_lock(void *p, size_t size);
LAL_API int lal_mem_unlock(void *p, size_t size);

/*
 * lal_mem_prefault: makes every page of [p, p + size) resident and writable
 * now: Linux madvise(MADV_POPULATE_WRITE) (5.14+) and then one user-space
 * read-write per page (under shadow-paging hypervisors the first user access
 * still exits to the host otherwise); Windows one write per page. Contents
 * are kept. lal writes only to memory the OS confirmed writable: Linux
 * MADV_POPULATE_WRITE (or, before 5.14, /proc/self/maps), Windows
 * VirtualQuery.
 * LAL_EINVAL: NULL, size 0, or memory that is not writable (read-only,
 * PROT_NONE, a guard page); LAL_ERANGE: a range whose page-rounded end passes
 * the end of the address space; LAL_ENOMEM: part of the range is not mapped;
 * LAL_EIO: a page could not be populated (e.g. a file mapping past its end).
 * Cost: the page faults.
 */
LAL_API int lal_mem_prefault(void *p, size_t size);

typedef enum lal_page_kind {
  LAL_PAGE_DEFAULT = 0, /* the OS's base page (4 KiB on x86-64) */
  LAL_PAGE_LARGE = 1,   /* 2 MiB (the large page of x86-64) */
  LAL_PAGE_HUGE = 2     /* 1 GiB */
} lal_page_kind;

/* lal_mem_opts.flags */
/* Degrade rather than fail: smaller pages if the asked kind cannot be had,
 * and with LAL_MEM_LOCK, a refused lock (RLIMIT_MEMLOCK, no CAP_IPC_LOCK, a
 * Windows working-set quota) leaves the memory unlocked but prefaulted. Either
 * way info->degraded is 1 and info->reason says what was given up; info->locked
 * says whether the lock held. Without it, a refused lock fails the allocation. */
#define LAL_MEM_FALLBACK (1u << 0)
#define LAL_MEM_LOCK (1u << 1)     /* lal_mem_lock the allocation */
#define LAL_MEM_PREFAULT (1u << 2) /* lal_mem_prefault it (implied by LOCK on Windows) */

typedef struct lal_mem_opts {
  size_t size;
  int page_kind;  /* lal_page_kind */
  unsigned flags; /* LAL_MEM_* */
  int numa_node;  /* Linux: bind to this node; Windows: prefer it; -1 = none */
} lal_mem_opts;
#ifdef __cplusplus
extern "C++" inline lal_mem_opts lal_impl_mem_opts_init() {
  lal_mem_opts v = lal_impl_sized_init<lal_mem_opts>();
  v.numa_node = -1;
  return v;
}
#  define LAL_MEM_OPTS_INIT lal_impl_mem_opts_init()
#else
#  define LAL_MEM_OPTS_INIT                                                                        \
    { .size = sizeof(lal_mem_opts), .numa_node = -1 }
#endif

/* lal_mem_info.method */
#define LAL_MEM_METHOD_NORMAL 0  /* base pages */
#define LAL_MEM_METHOD_HUGETLB 1 /* Linux hugetlb pool (MAP_HUGETLB) */
#define LAL_MEM_METHOD_THP 2     /* Linux transparent huge pages (madvise) */
#define LAL_MEM_METHOD_LARGE 3   /* Windows MEM_LARGE_PAGES */

typedef struct lal_mem_info {
  size_t size;
  int page_kind;           /* the kind obtained (lal_page_kind) */
  int method;              /* LAL_MEM_METHOD_* */
  uint64_t page_bytes;     /* the page size verified to back the memory (see below) */
  uint64_t mapped_bytes;   /* length of the mapping (size rounded to page_bytes) */
  uint64_t huge_bytes;     /* bytes verified to sit in pages larger than the base page */
  uint64_t resident_bytes; /* bytes resident when checked */
  int numa_node;           /* node of the first page, -1 if unknown or not resident */
  int locked;              /* 1 if verified locked */
  int degraded;            /* 1 if a fallback gave less than asked */
  char reason[192];        /* why a fallback happened */
} lal_mem_info;
#define LAL_MEM_INFO_INIT LAL_IMPL_SIZED_INIT(lal_mem_info)

/*
 * lal_mem_alloc: maps `size` bytes of zeroed, read-write memory aligned to its
 * page size, with the page kind asked for. Linux: LARGE/HUGE from the hugetlb
 * pool (MAP_HUGETLB | MAP_HUGE_2MB / 1GB); with LAL_MEM_FALLBACK then
 * transparent huge pages (a 2 MiB-aligned mapping with MADV_HUGEPAGE, when THP
 * is not "never"), then base pages. Windows: LARGE via MEM_LARGE_PAGES after
 * enabling SeLockMemoryPrivilege if the account holds it (HUGE = LAL_ENOTSUP,
 * or LARGE with fallback), then base pages. numa_node: Linux binds the range
 * (mbind(2) MPOL_BIND: pages come from that node or the fault fails); Windows
 * only prefers it (VirtualAllocExNuma's nndPreferred: pages come from another
 * node when it has none free) — check info->numa_node. info (may be NULL) is
 * verified after the fact, never assumed: Linux reads /proc/self/smaps for the
 * mapping (KernelPageSize, AnonHugePages, Rss, Locked) and get_mempolicy(2) for
 * the node; Windows QueryWorkingSetEx (LargePage, Node, Locked) on resident
 * pages. THP backing is only known for resident memory: ask for PREFAULT.
 * Returns LAL_OK; LAL_EINVAL: NULL out, size 0, unknown kind/flags, a node
 * beyond the machine's; LAL_ERANGE: size overflows when rounded to the page;
 * LAL_ENOMEM: no memory, or no page of that kind free and no FALLBACK (e.g. no
 * 1 GiB page reserved); LAL_ENOTSUP: no pages of that size on this kernel or
 * OS (no 1 GiB hugetlb pool, 1 GiB on Windows) and no FALLBACK, or a numa_node
 * on a Linux build without libnuma (or a kernel without NUMA); LAL_EPERM: the
 * large-page privilege is missing and no FALLBACK. On failure nothing stays mapped. Cost: one
 * mmap/VirtualAlloc, plus the prefault's page faults. lal_mem_free: unmaps an allocation of
 * lal_mem_alloc; size must be the size passed to it. LAL_EINVAL for a pointer lal did not allocate
 * (nothing is unmapped) or a different size. lal_mem_query: re-verifies a lal allocation (THP may
 * be collapsed later by khugepaged), filling info as lal_mem_alloc does.
 * LAL_EINVAL: NULL, a pointer lal_mem_alloc did not return, or info->size
 * smaller than its first version; a failure reading /proc/self/smaps (Linux)
 * or of QueryWorkingSetEx (Windows) is returned with info filled from what
 * lal knows of the allocation.
 */
LAL_API int lal_mem_alloc(size_t size, const lal_mem_opts *opts, void **out, lal_mem_info *info);
LAL_API int lal_mem_free(void *p, size_t size);
LAL_API int lal_mem_query(const void *p, lal_mem_info *info);

/* ---------------------------------------------------------------- latency histograms */

/*
 * lal_hist: the log-linear latency histogram lal-bench records with, for an
 * engine to record its own frame or audio-callback lateness in the field and
 * compare builds or OSes with the same lal-compare. Exact below 256, then 128
 * linear sub-buckets per power of two: any value up to 2^40 (18 minutes in
 * ns) is kept within 0.8 % relative error; larger values land in the last
 * bucket (max stays exact). 18 KiB each. One histogram per recording thread
 * (recording takes no lock); merge them for a report.
 */
#define LAL_HIST_SUB_BITS 7
#define LAL_HIST_SUB (1u << LAL_HIST_SUB_BITS)
#define LAL_HIST_BUCKETS (35u * LAL_HIST_SUB)
typedef struct lal_hist {
  uint64_t count; /* samples recorded */
  uint64_t min, max;
  double sum;
  uint32_t buckets[LAL_HIST_BUCKETS]; /* read through lal_hist_value_at */
} lal_hist;
/* The layout is frozen (lal_hist_record, inline, compiles it in): new
 * statistics would come as a new type. A lal_hist the caller allocates
 * itself (static, or inside its own struct) is valid after lal_hist_reset. */

/*
 * lal_hist_create: a new, empty histogram on the heap. LAL_EINVAL for NULL,
 * LAL_ENOMEM. lal_hist_free releases it (NULL is a no-op).
 * lal_hist_record (inline, in lal/hist_inline.h): adds one value: a bit
 * scan, two shifts and three updates, no allocation, no lock, no check (h
 * must be a histogram of this thread's); about 2 ns.
 * lal_hist_merge: adds src's samples to dst. LAL_EINVAL for NULL or dst ==
 * src; LAL_ERANGE if a bucket would pass 2^32 - 1 samples (nothing merged).
 * lal_hist_value_at: the value at `percentile` (0..100): the midpoint of its
 * bucket, clamped to [min, max] (the lowest and the highest sample exactly);
 * 0 for NULL, an empty histogram or a
 * percentile outside 0..100 (or NaN). lal_hist_reset empties it (LAL_EINVAL
 * for NULL).
 */
LAL_API int lal_hist_create(lal_hist **out);
LAL_INLINE void lal_hist_record(lal_hist *h, uint64_t value);
LAL_API void lal_hist_free(lal_hist *h);
LAL_API int lal_hist_merge(lal_hist *dst, const lal_hist *src);
LAL_API uint64_t lal_hist_value_at(const lal_hist *h, double percentile);
LAL_API int lal_hist_reset(lal_hist *h);
/* The lowest value bucket `index` holds (index < LAL_HIST_BUCKETS), else 0. */
LAL_API uint64_t lal_hist_bucket_low(unsigned index);

/* One named histogram of a lal_hist_write_json document. */
typedef struct lal_hist_series {
  const char *workload; /* e.g. "frame", "audio_callback" */
  const char *series;   /* e.g. "lateness, release build" */
  const char *unit;     /* "ns late", "ns"... */
  const lal_hist *hist;
} lal_hist_series;

/*
 * lal_hist_write_json: writes `count` histograms as one lal-bench/1 document
 * (bench/SCHEMA.md), which lal-compare reads like a lal-bench run: each
 * series with its buckets and percentiles, and an environment fingerprint of
 * this machine (OS, release, CPUs, the clock lal uses, lal's version). The
 * file is written to PATH.tmp and renamed over path once complete.
 * LAL_EINVAL: NULL path or series, count 0, a series with a NULL name, unit
 * or histogram; LAL_EIO: the file could not be written (nothing replaced).
 * Cost: proportional to the non-empty buckets; not for a hot path.
 */
LAL_API int lal_hist_write_json(const char *path, const lal_hist_series *series, size_t count);

/* ---------------------------------------------------------------- 0.1 spellings */

/*
 * Public names follow lal_<object>_<verb>[_<what>] since 0.2. The 0.1
 * spellings below still compile and link (the functions are exported
 * wrappers) and go away in 1.0. Binaries built against 0.1 need a rebuild:
 * 0.2 is liblal.so.1 (see "The ABI" above).
 */
LAL_API int lal_clock_info_get(lal_clock_info *info);                            /* get_info */
LAL_API int lal_pacer_stats_get(const lal_pacer *pacer, lal_pacer_stats *stats); /* get_stats */
#define LAL_MEMLOCK_CURRENT LAL_MEM_LOCK_CURRENT
#define LAL_MEMLOCK_FUTURE LAL_MEM_LOCK_FUTURE
#define LAL_MEMLOCK_ONFAULT LAL_MEM_LOCK_ONFAULT
#define LAL_MEMLOCK_FALLBACK LAL_MEM_LOCK_FALLBACK

#include "lal/clock_inline.h"
#include "lal/hist_inline.h"

#ifdef __cplusplus
}
#endif

#endif /* LAL_H */
