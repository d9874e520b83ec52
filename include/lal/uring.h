/* SPDX-License-Identifier: MIT */
/*
 * lal/uring.h — a low-latency io_uring ring (Linux only; built when liburing
 * is found: lal_caps.build_features & LAL_FEATURE_URING).
 *
 * For latency, not throughput: optional SQPOLL (a kernel thread polls the
 * submission queue, so submitting is a memory write) pinned to a chosen CPU,
 * COOP_TASKRUN / SINGLE_ISSUER / DEFER_TASKRUN where the kernel has them
 * (probed, never assumed), registered files and fixed buffers, submit-and-wait
 * with a timeout, and a busy-poll completion mode that spins on the
 * completion queue without a syscall, within a bound.
 * io_uring(7), io_uring_setup(2), liburing's io_uring_queue_init_params(3).
 *
 * A ring is used by one thread at a time (SINGLE_ISSUER makes the kernel
 * enforce it). Every function returns LAL_OK or a negative lal_status; the
 * prep functions queue one operation and return LAL_EAGAIN when the
 * submission queue is full (submit first).
 */
#ifndef LAL_URING_H
#define LAL_URING_H

#include "lal.h"

#if !defined(__linux__)
#  error "lal/uring.h is Linux-only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lal_uring lal_uring;

/* lal_uring_opts.flags */
#define LAL_URING_SQPOLL (1u << 0)           /* kernel SQ polling thread */
#define LAL_URING_FALLBACK (1u << 1)         /* drop what is not permitted/supported, report it */
#define LAL_URING_NO_TASKRUN_FLAGS (1u << 2) /* do not ask for COOP/SINGLE_ISSUER/DEFER */

typedef struct lal_uring_opts {
  size_t size;
  unsigned entries;        /* submission queue size, 1..32768 (rounded up to a power of 2) */
  unsigned flags;          /* LAL_URING_* */
  int sqpoll_cpu;          /* pin the SQPOLL thread here (IORING_SETUP_SQ_AFF); -1 = not pinned */
  unsigned sqpoll_idle_ms; /* the SQPOLL thread sleeps after this much idle time */
} lal_uring_opts;
#ifdef __cplusplus
extern "C++" inline lal_uring_opts lal_impl_uring_opts_init() {
  lal_uring_opts v = lal_impl_sized_init<lal_uring_opts>();
  v.entries = 64;
  v.sqpoll_cpu = -1;
  v.sqpoll_idle_ms = 1000;
  return v;
}
#  define LAL_URING_OPTS_INIT lal_impl_uring_opts_init()
#else
#  define LAL_URING_OPTS_INIT                                                                      \
    { .size = sizeof(lal_uring_opts), .entries = 64, .sqpoll_cpu = -1, .sqpoll_idle_ms = 1000 }
#endif

/* Operations, as bits of lal_uring_result.ops_supported. */
#define LAL_URING_OP_NOP (1u << 0)
#define LAL_URING_OP_READ (1u << 1)
#define LAL_URING_OP_WRITE (1u << 2)
#define LAL_URING_OP_READ_FIXED (1u << 3)
#define LAL_URING_OP_WRITE_FIXED (1u << 4)
#define LAL_URING_OP_POLL (1u << 5)
#define LAL_URING_OP_RECV (1u << 6)
#define LAL_URING_OP_SEND (1u << 7)
#define LAL_URING_OP_TIMEOUT (1u << 8)

typedef struct lal_uring_result {
  size_t size;
  unsigned setup_flags; /* IORING_SETUP_* the ring was created with */
  unsigned features;    /* IORING_FEAT_* the kernel reported */
  int sqpoll;           /* 1 if an SQPOLL thread serves the ring */
  int sqpoll_cpu;       /* its CPU, -1 if not pinned */
  int coop_taskrun, single_issuer, defer_taskrun;
  unsigned sq_entries, cq_entries;
  unsigned ops_supported; /* LAL_URING_OP_* the kernel's probe lists */
  int degraded;           /* 1 if something asked for was dropped (FALLBACK) */
  char reason[256];       /* what was tried and refused */
} lal_uring_result;
#define LAL_URING_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_uring_result)

/*
 * lal_uring_create: sets a ring up. The flags are tried from the most to the
 * least the kernel might have: DEFER_TASKRUN + SINGLE_ISSUER (6.1, not with
 * SQPOLL), COOP_TASKRUN (5.19), then none; EINVAL from the kernel means "not
 * this one" and the next is tried, always (they only change how completions
 * are run, never what they are). SQPOLL refused (EPERM before 5.11 without
 * CAP_SYS_NICE, or a CPU outside the allowed set) is an error unless
 * LAL_URING_FALLBACK, which then runs without it and says so.
 * Returns LAL_OK; LAL_EINVAL: NULL out, entries 0 or above 32768, unknown flags,
 * sqpoll_cpu without SQPOLL or outside 0..LAL_CPUSET_MAX-1; LAL_ENOTSUP: no
 * ring at all (kernel without io_uring, kernel.io_uring_disabled = 2, seccomp);
 * LAL_EPERM: io_uring_disabled = 1 and not in kernel.io_uring_group;
 * LAL_ENOMEM: RLIMIT_MEMLOCK too small for the rings (kernels before 5.12).
 * result (may be NULL) always says what was tried and got.
 * lal_uring_close: tears the ring down, cancelling what is in flight, and
 * frees the handle (NULL: no-op).
 */
LAL_API int lal_uring_create(const lal_uring_opts *opts, lal_uring **out, lal_uring_result *result);
LAL_API void lal_uring_close(lal_uring *ring);

/*
 * Registered resources: files are then named by their index with
 * LAL_URING_FIXED_FILE, buffers by their index in the *_fixed ops.
 * LAL_EINVAL: NULL, count 0 or above 1024, a negative fd, a NULL buffer or
 * zero length; LAL_EBUSY: already registered; LAL_ENOMEM: buffers beyond
 * RLIMIT_MEMLOCK (they are pinned).
 */
LAL_API int lal_uring_register_files(lal_uring *ring, const int *fds, unsigned count);
LAL_API int lal_uring_register_buffers(lal_uring *ring, void *const *bufs, const size_t *lens,
                                       unsigned count);

/* Per-operation flags */
#define LAL_URING_FIXED_FILE (1u << 0) /* fd is an index into the registered files */

/*
 * Operations. user_data comes back in the completion. The fd is checked
 * against the registered files with LAL_URING_FIXED_FILE; buf_index and
 * [offset_in_buf, +len) against the registered buffers: LAL_EINVAL otherwise,
 * with nothing queued. Each completes with bytes (or poll events), or a lal
 * status (lal_uring_cqe). Each returns LAL_OK once queued; LAL_EINVAL as
 * above or for a NULL ring; LAL_EAGAIN when the submission queue is full
 * (submit or wait first).
 */
LAL_API int lal_uring_nop(lal_uring *ring, uint64_t user_data);
LAL_API int lal_uring_read(lal_uring *ring, int fd, void *buf, unsigned len, uint64_t offset,
                           unsigned flags, uint64_t user_data);
LAL_API int lal_uring_write(lal_uring *ring, int fd, const void *buf, unsigned len, uint64_t offset,
                            unsigned flags, uint64_t user_data);
LAL_API int lal_uring_read_fixed(lal_uring *ring, int fd, unsigned buf_index, size_t offset_in_buf,
                                 unsigned len, uint64_t offset, unsigned flags, uint64_t user_data);
LAL_API int lal_uring_write_fixed(lal_uring *ring, int fd, unsigned buf_index, size_t offset_in_buf,
                                  unsigned len, uint64_t offset, unsigned flags,
                                  uint64_t user_data);
LAL_API int lal_uring_poll(lal_uring *ring, int fd, unsigned poll_events, unsigned flags,
                           uint64_t user_data);
LAL_API int lal_uring_recv(lal_uring *ring, int fd, void *buf, unsigned len, int msg_flags,
                           unsigned flags, uint64_t user_data);
LAL_API int lal_uring_send(lal_uring *ring, int fd, const void *buf, unsigned len, int msg_flags,
                           unsigned flags, uint64_t user_data);
/* Completes with LAL_EAGAIN (os_error ETIME) after ns (a relative timer). */
LAL_API int lal_uring_timeout(lal_uring *ring, uint64_t ns, uint64_t user_data);

/* lal_uring_submit: hands the queued operations to the kernel (with SQPOLL
 * only a wake-up when its thread sleeps). Returns how many (>= 0);
 * LAL_EINVAL for a NULL ring; LAL_EAGAIN or LAL_EBUSY when the kernel
 * cannot take them now (out of memory for requests, completions overflowing:
 * reap and retry); LAL_EIO for any other failure of io_uring_enter(2), with
 * the errno in lal_last_os_error(). */
LAL_API int lal_uring_submit(lal_uring *ring);

/* One completion. res: what the operation gave (bytes moved, the poll
 * events, 0) when >= 0, else a lal status, as every lal call returns one:
 * LAL_EAGAIN for a timeout that expired (ETIME) or an operation cancelled,
 * LAL_EINVAL for a bad fd or argument, LAL_EPERM, LAL_ENOMEM... with the
 * kernel's errno in os_error (0 when res >= 0). An array element the caller
 * allocates: its layout is frozen. */
typedef struct lal_uring_cqe {
  uint64_t user_data;
  int32_t res;
  uint32_t flags;    /* IORING_CQE_F_* */
  int32_t os_error;  /* the errno behind a negative res, else 0 */
  uint32_t reserved; /* 0 */
} lal_uring_cqe;

/* lal_uring_wait modes */
#define LAL_URING_WAIT_SYSCALL 0 /* submit what is queued and sleep in the kernel */
#define LAL_URING_WAIT_BUSY 1    /* spin on the completion queue, no syscall */

/*
 * lal_uring_wait: submits what is queued, then waits until at least min (>= 1)
 * completions are there or timeout_ns passes (UINT64_MAX: no timeout), and
 * copies up to max of them to out. BUSY spins with PAUSE, never sleeping, for
 * at most timeout_ns (so pass a bound); SYSCALL uses
 * io_uring_submit_and_wait_timeout. Returns the count copied (>= 1), or
 * LAL_EAGAIN when the timeout passed with fewer than min (any that arrived
 * are still returned on the next call); LAL_EINVAL for NULL, max 0, min 0 or
 * min > max, an unknown mode.
 */
LAL_API int lal_uring_wait(lal_uring *ring, lal_uring_cqe *out, unsigned max, unsigned min,
                           uint64_t timeout_ns, int mode);

/* The 0.2 spelling, until 1.0: "close" is lal's verb for handing back what a
 * handle holds (lal.h, "Destructor verbs"). */
LAL_API void lal_uring_destroy(lal_uring *ring);

#ifdef __cplusplus
}
#endif

#endif /* LAL_URING_H */
