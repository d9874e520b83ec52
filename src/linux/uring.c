/* SPDX-License-Identifier: MIT */
/*
 * lal/uring.h on liburing: setup with flag probing and fallbacks, registered
 * resources with bounds kept for checks, the operations, and the two wait
 * modes. io_uring(7), io_uring_setup(2), io_uring_enter(2).
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu_relax.h"
#include "lal/uring.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"

#define KNOWN_FLAGS (LAL_URING_SQPOLL | LAL_URING_FALLBACK | LAL_URING_NO_TASKRUN_FLAGS)
#define MAX_ENTRIES 32768u /* IORING_MAX_ENTRIES */
#define MAX_REGISTERED 1024u
#define TASKRUN_FLAGS (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)

struct lal_uring {
  struct io_uring ring;
  unsigned setup_flags;
  unsigned nfiles;
  unsigned nbufs;
  struct iovec *bufs;           /* the registered buffers, for bounds checks */
  struct __kernel_timespec *ts; /* one per SQE slot: timeouts read it at submit */
};

/* Appends "what: strerror(err)" to the reason. */
static void note(lal_uring_result *r, const char *what, int err) {
  char text[96];
  snprintf(text, sizeof text, "%s: %s", what, strerror(err));
  lali_append_note(r->reason, sizeof r->reason, text);
}

/* Why the kernel gave no ring at all. */
static int no_ring_status(int err, lal_uring_result *r) {
  char text[16] = "";
  int disabled = lali_linux_read_text(lali_linux_root(), "/proc/sys/kernel/io_uring_disabled", text,
                                      sizeof text) > 0
                     ? atoi(text)
                     : 0;
  if (err == ENOSYS || (err == EPERM && disabled == 2)) {
    note(r, disabled == 2 ? "kernel.io_uring_disabled=2" : "no io_uring in this kernel", err);
    return LAL_ENOTSUP;
  }
  if (err == EPERM) {
    note(r,
         disabled == 1 ? "kernel.io_uring_disabled=1 (not in io_uring_group)"
                       : "io_uring_setup refused (seccomp?)",
         err);
    return disabled == 1 ? LAL_EPERM : LAL_ENOTSUP;
  }
  note(r, "io_uring_setup", err);
  return lali_fail_native(err);
}

static unsigned probe_ops(struct io_uring *ring) {
  static const struct {
    int op;
    unsigned bit;
  } ops[] = {{IORING_OP_NOP, LAL_URING_OP_NOP},
             {IORING_OP_READ, LAL_URING_OP_READ},
             {IORING_OP_WRITE, LAL_URING_OP_WRITE},
             {IORING_OP_READ_FIXED, LAL_URING_OP_READ_FIXED},
             {IORING_OP_WRITE_FIXED, LAL_URING_OP_WRITE_FIXED},
             {IORING_OP_POLL_ADD, LAL_URING_OP_POLL},
             {IORING_OP_RECV, LAL_URING_OP_RECV},
             {IORING_OP_SEND, LAL_URING_OP_SEND},
             {IORING_OP_TIMEOUT, LAL_URING_OP_TIMEOUT}};
  struct io_uring_probe *p = io_uring_get_probe_ring(ring);
  unsigned bits = 0;
  if (!p)
    return 0;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (io_uring_opcode_supported(p, ops[i].op))
      bits |= ops[i].bit;
  io_uring_free_probe(p);
  return bits;
}

/* Tries the task-run flag sets from the newest down; 0 or -errno. */
static int setup(lal_uring *u, const lal_uring_opts *o, unsigned base, int try_taskrun,
                 lal_uring_result *r) {
  static const struct {
    unsigned flags;
    const char *name;
  } sets[] = {
      {IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG,
       "DEFER_TASKRUN+SINGLE_ISSUER"},
      {IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG,
       "COOP_TASKRUN+SINGLE_ISSUER"},
      {IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, "COOP_TASKRUN"},
      {IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER"},
      {0, "no task-run flags"},
  };
  int rc = -EINVAL;
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    unsigned extra = try_taskrun ? sets[i].flags : 0;
    /* DEFER/COOP are for the submitting task; an SQPOLL ring runs its own. */
    if ((base & IORING_SETUP_SQPOLL) && (extra & TASKRUN_FLAGS))
      continue;
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = base | extra;
    p.sq_thread_cpu = o->sqpoll_cpu >= 0 ? (unsigned)o->sqpoll_cpu : 0;
    p.sq_thread_idle = o->sqpoll_idle_ms;
    rc = io_uring_queue_init_params(o->entries, &u->ring, &p);
    if (rc == 0) {
      u->setup_flags = p.flags;
      r->features = p.features;
      r->sq_entries = p.sq_entries;
      r->cq_entries = p.cq_entries;
      return 0;
    }
    if (rc != -EINVAL || !extra)
      return rc;
    note(r, sets[i].name, -rc); /* not in this kernel: try the next */
  }
  return rc;
}

int lal_uring_create(const lal_uring_opts *opts, lal_uring **out, lal_uring_result *result) {
  lal_uring_opts loaded = LAL_URING_OPTS_INIT;
  if (opts && lali_input_struct_load(&loaded, sizeof loaded, opts,
                                     LALI_INPUT_MIN(lal_uring_opts, entries)) != LAL_OK)
    return LAL_EINVAL;
  const lal_uring_opts *o = &loaded; /* only the loaded copy is read */
  if (!out || o->entries == 0 || o->entries > MAX_ENTRIES || (o->flags & ~KNOWN_FLAGS) ||
      o->sqpoll_cpu < -1 || o->sqpoll_cpu >= LAL_CPUSET_MAX ||
      (o->sqpoll_cpu >= 0 && !(o->flags & LAL_URING_SQPOLL)) ||
      !LALI_OUT_OPTIONAL_VALID(result, lal_uring_result, reason))
    return LAL_EINVAL;
  long cpus = sysconf(_SC_NPROCESSORS_CONF); /* what lali_os_cpu_count says */
  if (o->sqpoll_cpu >= 0 && cpus > 0 && o->sqpoll_cpu >= cpus)
    return LAL_EINVAL;

  lal_uring_result r;
  memset(&r, 0, sizeof r);
  r.size = sizeof r;
  r.sqpoll_cpu = -1;
  lal_uring *u = calloc(1, sizeof *u);
  if (!u)
    return LAL_ENOMEM;
  unsigned base = 0;
  if (o->flags & LAL_URING_SQPOLL)
    base = IORING_SETUP_SQPOLL | (o->sqpoll_cpu >= 0 ? IORING_SETUP_SQ_AFF : 0);
  int try_taskrun = !(o->flags & LAL_URING_NO_TASKRUN_FLAGS);
  int rc = setup(u, o, base, try_taskrun, &r);
  if (rc < 0 && base && (o->flags & LAL_URING_FALLBACK)) {
    note(&r, o->sqpoll_cpu >= 0 ? "SQPOLL pinned" : "SQPOLL", -rc);
    r.degraded = 1;
    rc = setup(u, o, 0, try_taskrun, &r);
  } else if (rc < 0 && base) {
    note(&r, "SQPOLL", -rc);
    rc = rc == -EPERM ? LAL_EPERM : lali_fail_native(-rc);
    free(u);
    if (result)
      LALI_OUT_SET(result, r);
    return rc;
  }
  if (rc < 0) {
    rc = no_ring_status(-rc, &r);
    free(u);
    if (result)
      LALI_OUT_SET(result, r);
    return rc;
  }
  u->ts = calloc(u->ring.sq.ring_entries, sizeof *u->ts);
  if (!u->ts) {
    io_uring_queue_exit(&u->ring);
    free(u);
    return LAL_ENOMEM;
  }
  r.setup_flags = u->setup_flags;
  r.sqpoll = (u->setup_flags & IORING_SETUP_SQPOLL) != 0;
  r.sqpoll_cpu = (u->setup_flags & IORING_SETUP_SQ_AFF) ? o->sqpoll_cpu : -1;
  r.coop_taskrun = (u->setup_flags & IORING_SETUP_COOP_TASKRUN) != 0;
  r.single_issuer = (u->setup_flags & IORING_SETUP_SINGLE_ISSUER) != 0;
  r.defer_taskrun = (u->setup_flags & IORING_SETUP_DEFER_TASKRUN) != 0;
  r.ops_supported = probe_ops(&u->ring);
  if (result)
    LALI_OUT_SET(result, r);
  *out = u;
  return LAL_OK;
}

void lal_uring_close(lal_uring *u) {
  if (!u)
    return;
  io_uring_queue_exit(&u->ring); /* cancels and reaps what is in flight */
  free(u->bufs);
  free(u->ts);
  free(u);
}

int lal_uring_register_files(lal_uring *u, const int *fds, unsigned count) {
  if (!u || !fds || count == 0 || count > MAX_REGISTERED)
    return LAL_EINVAL;
  for (unsigned i = 0; i < count; i++)
    if (fds[i] < 0)
      return LAL_EINVAL;
  if (u->nfiles)
    return LAL_EBUSY;
  int rc = io_uring_register_files(&u->ring, fds, count);
  if (rc < 0)
    return lali_fail_native(-rc);
  u->nfiles = count;
  return LAL_OK;
}

int lal_uring_register_buffers(lal_uring *u, void *const *bufs, const size_t *lens,
                               unsigned count) {
  if (!u || !bufs || !lens || count == 0 || count > MAX_REGISTERED)
    return LAL_EINVAL;
  if (u->nbufs)
    return LAL_EBUSY;
  struct iovec *iov = calloc(count, sizeof *iov);
  if (!iov)
    return LAL_ENOMEM;
  for (unsigned i = 0; i < count; i++) {
    if (!bufs[i] || lens[i] == 0) {
      free(iov);
      return LAL_EINVAL;
    }
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = lens[i];
  }
  int rc = io_uring_register_buffers(&u->ring, iov, count);
  if (rc < 0) {
    free(iov);
    return lali_fail_native(-rc);
  }
  u->bufs = iov;
  u->nbufs = count;
  return LAL_OK;
}

/* The next SQE for fd (index-checked with FIXED_FILE), or NULL with *rc set. */
static struct io_uring_sqe *sqe_for(lal_uring *u, int fd, unsigned flags, int *rc) {
  *rc = LAL_EINVAL;
  if (!u || (flags & ~LAL_URING_FIXED_FILE) || fd < 0 ||
      ((flags & LAL_URING_FIXED_FILE) && (unsigned)fd >= u->nfiles))
    return NULL;
  struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
  *rc = sqe ? LAL_OK : LAL_EAGAIN;
  return sqe;
}

static int finish(struct io_uring_sqe *sqe, unsigned flags, uint64_t user_data) {
  if (flags & LAL_URING_FIXED_FILE)
    sqe->flags |= IOSQE_FIXED_FILE;
  io_uring_sqe_set_data64(sqe, user_data);
  return LAL_OK;
}

int lal_uring_nop(lal_uring *u, uint64_t user_data) {
  int rc;
  struct io_uring_sqe *sqe = sqe_for(u, 0, 0, &rc);
  if (!sqe)
    return rc;
  io_uring_prep_nop(sqe);
  return finish(sqe, 0, user_data);
}

enum io_kind { IO_READ, IO_WRITE, IO_RECV, IO_SEND };

/* One read/write/recv/send of a caller's buffer. */
static int prep_io(lal_uring *u, enum io_kind kind, int fd, void *buf, unsigned len,
                   uint64_t offset, int msg_flags, unsigned flags, uint64_t user_data) {
  if (!buf || len == 0)
    return LAL_EINVAL;
  int rc;
  struct io_uring_sqe *sqe = sqe_for(u, fd, flags, &rc);
  if (!sqe)
    return rc;
  switch (kind) {
  case IO_READ:
    io_uring_prep_read(sqe, fd, buf, len, offset);
    break;
  case IO_WRITE:
    io_uring_prep_write(sqe, fd, buf, len, offset);
    break;
  case IO_RECV:
    io_uring_prep_recv(sqe, fd, buf, len, msg_flags);
    break;
  case IO_SEND:
    io_uring_prep_send(sqe, fd, buf, len, msg_flags);
    break;
  }
  return finish(sqe, flags, user_data);
}

int lal_uring_read(lal_uring *u, int fd, void *buf, unsigned len, uint64_t offset, unsigned flags,
                   uint64_t user_data) {
  return prep_io(u, IO_READ, fd, buf, len, offset, 0, flags, user_data);
}

int lal_uring_write(lal_uring *u, int fd, const void *buf, unsigned len, uint64_t offset,
                    unsigned flags, uint64_t user_data) {
  return prep_io(u, IO_WRITE, fd, (void *)(uintptr_t)buf, len, offset, 0, flags, user_data);
}

/* A read/write of registered buffer buf_index, [offset_in_buf, +len) inside it. */
static int prep_fixed(lal_uring *u, int write_op, int fd, unsigned buf_index, size_t off,
                      unsigned len, uint64_t offset, unsigned flags, uint64_t user_data) {
  if (!u || buf_index >= u->nbufs || len == 0 || off > u->bufs[buf_index].iov_len ||
      len > u->bufs[buf_index].iov_len - off)
    return LAL_EINVAL;
  int rc;
  struct io_uring_sqe *sqe = sqe_for(u, fd, flags, &rc);
  if (!sqe)
    return rc;
  char *at = (char *)u->bufs[buf_index].iov_base + off;
  if (write_op)
    io_uring_prep_write_fixed(sqe, fd, at, len, offset, (int)buf_index);
  else
    io_uring_prep_read_fixed(sqe, fd, at, len, offset, (int)buf_index);
  return finish(sqe, flags, user_data);
}

int lal_uring_read_fixed(lal_uring *u, int fd, unsigned buf_index, size_t offset_in_buf,
                         unsigned len, uint64_t offset, unsigned flags, uint64_t user_data) {
  return prep_fixed(u, 0, fd, buf_index, offset_in_buf, len, offset, flags, user_data);
}

int lal_uring_write_fixed(lal_uring *u, int fd, unsigned buf_index, size_t offset_in_buf,
                          unsigned len, uint64_t offset, unsigned flags, uint64_t user_data) {
  return prep_fixed(u, 1, fd, buf_index, offset_in_buf, len, offset, flags, user_data);
}

int lal_uring_poll(lal_uring *u, int fd, unsigned poll_events, unsigned flags, uint64_t user_data) {
  if (poll_events == 0 || poll_events > 0xffff)
    return LAL_EINVAL;
  int rc;
  struct io_uring_sqe *sqe = sqe_for(u, fd, flags, &rc);
  if (!sqe)
    return rc;
  io_uring_prep_poll_add(sqe, fd, poll_events);
  return finish(sqe, flags, user_data);
}

int lal_uring_recv(lal_uring *u, int fd, void *buf, unsigned len, int msg_flags, unsigned flags,
                   uint64_t user_data) {
  return prep_io(u, IO_RECV, fd, buf, len, 0, msg_flags, flags, user_data);
}

int lal_uring_send(lal_uring *u, int fd, const void *buf, unsigned len, int msg_flags,
                   unsigned flags, uint64_t user_data) {
  return prep_io(u, IO_SEND, fd, (void *)(uintptr_t)buf, len, 0, msg_flags, flags, user_data);
}

int lal_uring_timeout(lal_uring *u, uint64_t ns, uint64_t user_data) {
  int rc;
  struct io_uring_sqe *sqe = sqe_for(u, 0, 0, &rc);
  if (!sqe)
    return rc;
  /* The kernel reads the timespec when it takes the SQE: keep one per slot. */
  struct __kernel_timespec *ts = &u->ts[sqe - u->ring.sq.sqes];
  ts->tv_sec = (long long)(ns / 1000000000u);
  ts->tv_nsec = (long long)(ns % 1000000000u);
  io_uring_prep_timeout(sqe, ts, 0, 0);
  return finish(sqe, 0, user_data);
}

int lal_uring_submit(lal_uring *u) {
  if (!u)
    return LAL_EINVAL;
  int rc = io_uring_submit(&u->ring);
  return rc >= 0 ? rc : lali_fail_native(-rc);
}

static unsigned reap(lal_uring *u, lal_uring_cqe *out, unsigned max) {
  struct io_uring_cqe *cqes[64];
  unsigned total = 0;
  while (total < max) {
    unsigned want = max - total < 64 ? max - total : 64;
    unsigned n = io_uring_peek_batch_cqe(&u->ring, cqes, want);
    for (unsigned i = 0; i < n; i++) {
      out[total + i].user_data = io_uring_cqe_get_data64(cqes[i]);
      /* The kernel's -errno becomes a lal status, the same numbers on every
       * call lal makes; the raw errno stays beside it for diagnostics. */
      int32_t res = cqes[i]->res;
      out[total + i].res = res >= 0 ? res : lali_os_status_from_native(-res);
      out[total + i].os_error = res >= 0 ? 0 : -res;
      out[total + i].flags = cqes[i]->flags;
      out[total + i].reserved = 0;
    }
    io_uring_cq_advance(&u->ring, n);
    total += n;
    if (n < want)
      break;
  }
  return total;
}

int lal_uring_wait(lal_uring *u, lal_uring_cqe *out, unsigned max, unsigned min,
                   uint64_t timeout_ns, int mode) {
  if (!u || !out || max == 0 || min == 0 || min > max ||
      (mode != LAL_URING_WAIT_SYSCALL && mode != LAL_URING_WAIT_BUSY))
    return LAL_EINVAL;
  if (mode == LAL_URING_WAIT_SYSCALL) {
    struct io_uring_cqe *cqe;
    struct __kernel_timespec ts = {(long long)(timeout_ns / 1000000000u),
                                   (long long)(timeout_ns % 1000000000u)};
    int rc = io_uring_submit_and_wait_timeout(&u->ring, &cqe, min,
                                              timeout_ns == UINT64_MAX ? NULL : &ts, NULL);
    if (rc < 0 && rc != -ETIME && rc != -EINTR)
      return lali_fail_native(-rc);
  } else {
    if (io_uring_sq_ready(&u->ring)) {
      int rc = io_uring_submit(&u->ring);
      if (rc < 0)
        return lali_fail_native(-rc);
    }
    int taskrun = (u->setup_flags & TASKRUN_FLAGS) != 0;
    uint64_t start = lal_mono_ns();
    unsigned spins = 0;
    while (io_uring_cq_ready(&u->ring) < min) {
      /* With COOP/DEFER_TASKRUN some completions are posted only when this
       * task enters the kernel; IORING_SQ_TASKRUN says when that is needed. */
      if (taskrun && (IO_URING_READ_ONCE(*u->ring.sq.kflags) & IORING_SQ_TASKRUN))
        io_uring_get_events(&u->ring);
      lali_cpu_relax();
      if ((++spins & 63) == 0 && lal_mono_ns() - start >= timeout_ns)
        break;
    }
  }
  if (io_uring_cq_ready(&u->ring) < min)
    return LAL_EAGAIN;
  return (int)reap(u, out, max);
}

void lal_uring_destroy(lal_uring *u) { lal_uring_close(u); }
