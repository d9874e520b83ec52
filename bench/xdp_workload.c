/* SPDX-License-Identifier: MIT */
/*
 * xdp_pingpong (Linux, lal/xdp.h, root): a UDP ping-pong across a veth pair
 * between two network namespaces this workload creates (and removes). The
 * pinger always uses a kernel socket; the echo side uses (1) a kernel UDP
 * socket, (2) an AF_XDP socket woken by poll(2), (3) the same socket
 * busy-spinning on its ring. Round-trip times side by side in one run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "lal.h"
#include "lal/xdp.h"
#include "netns.h"

#define PORT 6001

static char ns_a[32], ns_b[32];

enum { E_KERNEL, E_XSK_POLL, E_XSK_SPIN, E_COUNT };
static const char *const echo_names[E_COUNT] = {"kernel UDP socket", "AF_XDP, poll()",
                                                "AF_XDP, busy spin"};

typedef struct run {
  int echo;
  int iterations;
  uint64_t budget_ns;
  histogram *h;
  volatile int ready;
  int status;
  char reason[192];
} run;

static int echo_main(void *arg) {
  run *r = arg;
  if (netns_enter(ns_a) != 0) {
    r->status = LAL_EPERM;
    r->ready = 1;
    return 0;
  }
  if (r->echo == E_KERNEL) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
    inet_pton(AF_INET, "10.202.0.1", &a.sin_addr);
    r->status = bind(s, (struct sockaddr *)&a, sizeof a) == 0 ? LAL_OK : LAL_EIO;
    r->ready = 1;
    char buf[64];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    for (;;) {
      ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
      if (n <= 0)
        break;
      sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, flen);
      if (buf[0] == 'q')
        break;
    }
    close(s);
    return 0;
  }
  lal_xdp *x = NULL;
  lal_xsk *k = NULL;
  lal_xdp_result xr = LAL_XDP_RESULT_INIT;
  r->status = lal_xdp_attach("vpa", LAL_XDP_MODE_SKB, PORT, &x, &xr);
  lal_xsk_opts o = LAL_XSK_OPTS_INIT;
  o.frames = 1024;
  o.flags = r->echo == E_XSK_SPIN ? LAL_XSK_BUSY_POLL : 0;
  lal_xsk_result kr = LAL_XSK_RESULT_INIT;
  if (r->status == LAL_OK)
    r->status = lal_xsk_open(x, &o, &k, &kr);
  if (r->status != LAL_OK)
    snprintf(r->reason, sizeof r->reason, "%s", xr.reason[0] ? xr.reason : kr.reason);
  r->ready = 1;
  unsigned char f[2048], t[6], ip[4], port[2];
  while (r->status == LAL_OK) {
    size_t len;
    int rc = lal_xsk_recv(k, f, sizeof f, &len, r->echo == E_XSK_SPIN ? 0 : 1000000000ull);
    if (rc == LAL_EAGAIN)
      continue;
    if (rc != LAL_OK || len < 43)
      break;
    /* Swap Ethernet, IPv4 and UDP source and destination (the IPv4 header
     * checksum is a sum over both, so it stays valid). The UDP checksum is
     * cleared (0 = none, allowed for IPv4): a sender on veth leaves it partial
     * for offload (CHECKSUM_PARTIAL), which the XDP side sees as is. */
    memcpy(t, f, 6), memcpy(f, f + 6, 6), memcpy(f + 6, t, 6);
    memcpy(ip, f + 26, 4), memcpy(f + 26, f + 30, 4), memcpy(f + 30, ip, 4);
    memcpy(port, f + 34, 2), memcpy(f + 34, f + 36, 2), memcpy(f + 36, port, 2);
    f[40] = f[41] = 0;
    while (lal_xsk_send(k, f, len) == LAL_EAGAIN) {
    }
    if (f[42] == 'q')
      break;
  }
  lal_xsk_close(k);
  lal_xdp_detach(x);
  return 0;
}

static int ping_main(void *arg) {
  run *r = arg;
  while (!r->ready)
    lal_sleep_ns(1000000, 0);
  if (r->status != LAL_OK || netns_enter(ns_b) != 0)
    return 0;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(PORT)};
  inet_pton(AF_INET, "10.202.0.1", &to.sin_addr);
  struct timeval tv = {1, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  connect(s, (struct sockaddr *)&to, sizeof to);
  char buf[64];
  uint64_t deadline = lal_now_ns() + r->budget_ns;
  for (int i = 0;; i++) {
    int last = i >= r->iterations || lal_now_ns() >= deadline;
    char msg = last ? 'q' : 'p';
    uint64_t t0 = lal_now_ns();
    if (send(s, &msg, 1, 0) != 1 || recv(s, buf, sizeof buf, 0) != 1) {
      r->status = LAL_EIO; /* lost: the echo side did not answer within 1 s */
      if (!last)
        send(s, "q", 1, 0);
      break;
    }
    if (!last && i >= 50)
      hist_record(r->h, lal_now_ns() - t0);
    if (last)
      break;
  }
  close(s);
  return 0;
}

int wl_xdp_pingpong(const bench_opts *opts, json_writer *jw) {
  if (getuid() != 0) {
    printf("  skipped: needs root (network namespaces, XDP)\n");
    return 0;
  }
  snprintf(ns_a, sizeof ns_a, "lalba%d", (int)getpid());
  snprintf(ns_b, sizeof ns_b, "lalbb%d", (int)getpid());
  if (netns_veth_pair(ns_a, ns_b, "vp", 2) != 0) { /* vpa / vpb, 10.202.0.1 / .2 */
    printf("  skipped: could not create the namespaces and veth pair\n");
    return 0;
  }
  lal_cpuset mine;
  lal_thread_get_affinity(&mine);
  int cpu_a = lal_cpuset_first(&mine), cpu_b = lal_cpuset_next(&mine, cpu_a);
  if (cpu_b < 0)
    cpu_b = cpu_a;
  double p50[E_COUNT] = {0};
  for (int e = 0; e < E_COUNT; e++) {
    histogram *h = malloc(sizeof *h);
    if (!h)
      break;
    hist_init(h);
    run r = {e,
             opts->quick ? 500 : 20000,
             (uint64_t)(bench_share_s(opts, opts->quick ? 0.5 : 2.0, 0.3) * 1e9),
             h,
             0,
             LAL_OK,
             ""};
    lal_cpuset ca, cb;
    lal_cpuset_zero(&ca), lal_cpuset_zero(&cb);
    lal_cpuset_set(&ca, cpu_a), lal_cpuset_set(&cb, cpu_b);
    lal_thread_attr aa = LAL_THREAD_ATTR_INIT, ab = LAL_THREAD_ATTR_INIT;
    aa.affinity = &ca, ab.affinity = &cb;
    lal_thread *te = NULL, *tp = NULL;
    if (lal_thread_create(&te, &aa, echo_main, &r) == LAL_OK &&
        lal_thread_create(&tp, &ab, ping_main, &r) == LAL_OK)
      lal_thread_join(tp, NULL);
    if (te)
      lal_thread_join(te, NULL);
    if (r.status != LAL_OK) {
      printf("  %-32s unavailable: %s %s\n", echo_names[e], lal_err_name(r.status), r.reason);
    } else {
      char series[64];
      snprintf(series, sizeof series, "echo: %s", echo_names[e]);
      bench_print(series, "ns", h);
      bench_emit(jw, "xdp_pingpong", series, "ns round trip", h);
      p50[e] = (double)hist_quantile(h, 0.5);
    }
    free(h);
  }
  netns_sh("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; true", ns_a, ns_b);
  if (p50[E_KERNEL] > 0 && p50[E_XSK_SPIN] > 0)
    printf("  median kernel socket / AF_XDP poll = %.2f, / AF_XDP busy spin = %.2f\n",
           p50[E_XSK_POLL] > 0 ? p50[E_KERNEL] / p50[E_XSK_POLL] : 0,
           p50[E_KERNEL] / p50[E_XSK_SPIN]);
  return 0;
}
