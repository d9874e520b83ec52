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

#ifdef __cplusplus
}
#endif

#endif /* LAL_H */
