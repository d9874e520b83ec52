/* SPDX-License-Identifier: MIT */
/*
 * uring_pingpong (Linux, lal/uring.h): a 1-byte ping-pong between two threads
 * pinned to different CPUs, over a pipe pair and over a loopback UDP socket
 * pair, through
 *   (a) blocking read/write        (b) epoll_wait then read
 *   (c) the ring, submit-and-wait  (d) SQPOLL + busy-polled completions
 * and, to separate the two effects of (d), (c') the ring with busy-polled
 * completions but no SQPOLL. Round-trip times side by side in one run.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "lal.h"
#include "lal/uring.h"

enum { M_BLOCK, M_EPOLL, M_RING, M_RING_BUSY, M_SQPOLL_BUSY, M_COUNT };
static const char *const method_names[M_COUNT] = {"(a) blocking read/write", "(b) epoll",
                                                  "(c) ring, submit-and-wait",
                                                  "(c') ring, busy-poll", "(d) SQPOLL + busy-poll"};

typedef struct side {
  int rfd, wfd, socket;
  int method;
  int iterations;
  uint64_t budget_ns; /* the measuring side stops after this long */
  histogram *h;       /* the measuring side only */
  int status;
  char reason[160];
} side;

#define BUSY_BOUND_NS 20000000u /* re-armed until the byte arrives */

static int ring_xfer(lal_uring *ring, const side *s, int write_op, char *byte) {
  int rc;
  if (write_op)
    rc = s->socket ? lal_uring_send(ring, s->wfd, byte, 1, 0, 0, 1)
                   : lal_uring_write(ring, s->wfd, byte, 1, 0, 0, 1);
  else
    rc = s->socket ? lal_uring_recv(ring, s->rfd, byte, 1, 0, 0, 2)
                   : lal_uring_read(ring, s->rfd, byte, 1, 0, 0, 2);
  if (rc != LAL_OK)
    return rc;
  int mode = s->method == M_RING ? LAL_URING_WAIT_SYSCALL : LAL_URING_WAIT_BUSY;
  lal_uring_cqe cqe;
  do
    rc = lal_uring_wait(ring, &cqe, 1, 1, mode == LAL_URING_WAIT_BUSY ? BUSY_BOUND_NS : UINT64_MAX,
                        mode);
  while (rc == LAL_EAGAIN);
  return rc == 1 && cqe.res == 1 ? LAL_OK : LAL_EIO;
}

static int plain_xfer(int epfd, const side *s, int write_op, char *byte) {
  if (write_op)
    return write(s->wfd, byte, 1) == 1 ? LAL_OK : LAL_EIO;
  if (epfd >= 0) {
    struct epoll_event ev;
    while (epoll_wait(epfd, &ev, 1, -1) != 1) {
    }
  }
  for (;;) {
    ssize_t n = read(s->rfd, byte, 1);
    if (n == 1)
      return LAL_OK;
    if (n < 0 && errno == EAGAIN)
      continue; /* epoll woke us for data another read consumed: rare */
    return LAL_EIO;
  }
}

/* measuring: write then read (one round trip); echo: read then write. */
static int run_side(void *arg, int measuring) {
  side *s = arg;
  lal_uring *ring = NULL;
  int epfd = -1;
  if (s->method >= M_RING) {
    lal_uring_opts o = LAL_URING_OPTS_INIT;
    o.entries = 8;
    o.flags = s->method == M_SQPOLL_BUSY ? LAL_URING_SQPOLL : 0;
    /* Busy polling on a COOP/DEFER_TASKRUN ring needs kernel entries to
     * post completions; plain rings let the poll loop stay in user space. */
    if (s->method != M_RING)
      o.flags |= LAL_URING_NO_TASKRUN_FLAGS;
    lal_uring_result r = LAL_URING_RESULT_INIT;
    s->status = lal_uring_create(&o, &ring, &r);
    if (s->status != LAL_OK) {
      snprintf(s->reason, sizeof s->reason, "%.150s", r.reason);
      return s->status;
    }
  } else if (s->method == M_EPOLL) {
    epfd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    fcntl(s->rfd, F_SETFL, O_NONBLOCK);
    epoll_ctl(epfd, EPOLL_CTL_ADD, s->rfd, &ev);
  }
  /* The measuring side stops after `iterations` or the time budget and sends
   * 'q', which the echo side returns before leaving: nobody is left blocked. */
  uint64_t deadline = lal_now_ns() + s->budget_ns;
  for (int i = 0; s->status == LAL_OK; i++) {
    int last = measuring && (i >= s->iterations || lal_now_ns() >= deadline);
    char byte = last ? 'q' : 'p';
    uint64_t t0 = lal_now_ns();
    for (int step = 0; step < 2 && s->status == LAL_OK; step++) {
      int write_op = measuring ? step == 0 : step == 1;
      s->status = ring ? ring_xfer(ring, s, write_op, &byte) : plain_xfer(epfd, s, write_op, &byte);
    }
    if (measuring && !last && i >= 100) /* the first 100 warm up */
      hist_record(s->h, lal_now_ns() - t0);
    if (last || (!measuring && byte == 'q'))
      break;
  }
  lal_uring_close(ring);
  if (epfd >= 0)
    close(epfd);
  return s->status;
}
static int measure_main(void *arg) { return run_side(arg, 1); }
static int echo_main(void *arg) { return run_side(arg, 0); }

/* fds[0..1]: A's read/write ends, fds[2..3]: B's. */
static int make_transport(int socket_pair, int fds[4]) {
  if (!socket_pair) {
    int ab[2], ba[2];
    if (pipe(ab) != 0 || pipe(ba) != 0)
      return -1;
    fds[0] = ba[0], fds[1] = ab[1], fds[2] = ab[0], fds[3] = ba[1];
    return 0;
  }
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct sockaddr_in sb = sa;
  socklen_t len = sizeof sa;
  if (bind(a, (struct sockaddr *)&sa, sizeof sa) || bind(b, (struct sockaddr *)&sb, sizeof sb) ||
      getsockname(a, (struct sockaddr *)&sa, &len) ||
      getsockname(b, (struct sockaddr *)&sb, &(socklen_t){sizeof sb}) ||
      connect(a, (struct sockaddr *)&sb, sizeof sb) ||
      connect(b, (struct sockaddr *)&sa, sizeof sa))
    return -1;
  fds[0] = fds[1] = a;
  fds[2] = fds[3] = b;
  return 0;
}

int wl_uring_pingpong(const bench_opts *opts, json_writer *jw) {
  lal_cpuset mine;
  lal_thread_get_affinity(&mine);
  int cpu_a = lal_cpuset_first(&mine), cpu_b = lal_cpuset_next(&mine, cpu_a);
  if (cpu_b < 0)
    cpu_b = cpu_a;
  int iterations = bench_share(opts, opts->quick ? 2000 : 50000, 1000);
  for (int transport = 0; transport < 2; transport++) {
    double p50[M_COUNT] = {0};
    for (int m = 0; m < M_COUNT; m++) {
      int fds[4];
      if (make_transport(transport, fds) != 0) {
        printf("  cannot make the %s\n", transport ? "UDP pair" : "pipe pair");
        return 1;
      }
      histogram *h = malloc(sizeof *h);
      if (!h)
        return 1;
      hist_init(h);
      uint64_t budget = (uint64_t)(bench_share_s(opts, opts->quick ? 0.5 : 2.0, 0.3) * 1e9);
      side a = {fds[0], fds[1], transport, m, iterations, budget, h, LAL_OK, ""};
      side b = {fds[2], fds[3], transport, m, iterations, budget, NULL, LAL_OK, ""};
      lal_cpuset ca, cb;
      lal_cpuset_zero(&ca);
      lal_cpuset_zero(&cb);
      lal_cpuset_set(&ca, cpu_a);
      lal_cpuset_set(&cb, cpu_b);
      lal_thread_attr aa = LAL_THREAD_ATTR_INIT, ab = LAL_THREAD_ATTR_INIT;
      aa.affinity = &ca;
      ab.affinity = &cb;
      lal_thread *ta = NULL, *tb = NULL;
      if (lal_thread_create(&tb, &ab, echo_main, &b) == LAL_OK &&
          lal_thread_create(&ta, &aa, measure_main, &a) == LAL_OK) {
        lal_thread_join(ta, NULL);
      }
      if (a.status != LAL_OK && tb) /* unblock the echo side */
        close(fds[1]), close(fds[0]);
      if (tb)
        lal_thread_join(tb, NULL);
      char series[96];
      snprintf(series, sizeof series, "%s, %s", transport ? "UDP" : "pipe", method_names[m]);
      if (a.status != LAL_OK || b.status != LAL_OK) {
        printf("  %-40s unavailable: %s %s\n", series, lal_err_name(a.status ? a.status : b.status),
               a.reason[0] ? a.reason : b.reason);
      } else if (h->count == 0) {
        printf("  %-40s no round trip past the warm-up within the time budget: busy pollers "
               "outnumber the CPUs\n",
               series);
      } else {
        bench_print(series, "ns", h);
        bench_emit(jw, "uring_pingpong", series, "ns round trip", h);
        p50[m] = (double)hist_quantile(h, 0.5);
        close(fds[0]);
        if (fds[1] != fds[0])
          close(fds[1]);
      }
      close(fds[2]);
      if (fds[3] != fds[2])
        close(fds[3]);
      free(h);
    }
    if (p50[M_BLOCK] > 0 && p50[M_SQPOLL_BUSY] > 0)
      printf("  %s: median (a)/(d) = %.2f (target >= 1.5), (a)/(c) = %.2f, (a)/(c') = %.2f; "
             "CPUs %d and %d\n",
             transport ? "UDP" : "pipe", p50[M_BLOCK] / p50[M_SQPOLL_BUSY],
             p50[M_RING] > 0 ? p50[M_BLOCK] / p50[M_RING] : 0,
             p50[M_RING_BUSY] > 0 ? p50[M_BLOCK] / p50[M_RING_BUSY] : 0, cpu_a, cpu_b);
  }
  return 0;
}
