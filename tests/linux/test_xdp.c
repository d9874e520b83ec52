/* SPDX-License-Identifier: MIT */
/*
 * lal/xdp.h, as root, in two network namespaces joined by a veth pair the
 * test creates (one queue each, static neighbours; all removed afterwards):
 * attach lal's program on one end, send UDP to two ports from the other, and
 * check that the AF_XDP socket got exactly the packets of its port with
 * their payloads, the kernel socket the rest, and the counters agree.
 * Without root or without XDP support the tests skip with the reason.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lal/xdp.h"
#include "lal_test.h"
#include "lal_test_child.h"
#include "netns.h"

#define PORT_XSK 5001
#define PORT_KERNEL 5002
#define N_XSK 5
#define N_KERNEL 3

static char ns_a[32], ns_b[32];
static int have_netns;

static int make_pair(void **state) {
  (void)state;
  if (getuid() != 0 || system("ip -V >/dev/null 2>&1") != 0)
    return 0; /* the tests skip, saying why */
  snprintf(ns_a, sizeof ns_a, "lalxa%d", (int)getpid());
  snprintf(ns_b, sizeof ns_b, "lalxb%d", (int)getpid());
  /* vxa / vxb, 10.201.0.1 / .2 */
  have_netns = netns_veth_pair(ns_a, ns_b, "vx", 1) == 0;
  return 0;
}

static int remove_pair(void **state) {
  (void)state;
  if (ns_a[0])
    netns_sh("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; true", ns_a, ns_b);
  return 0;
}

#define NEED_PAIR()                                                                                \
  do {                                                                                             \
    if (getuid() != 0)                                                                             \
      LAL_SKIP("XDP and network namespaces need root");                                            \
    if (!have_netns)                                                                               \
      LAL_SKIP("could not create the namespaces and veth pair (iproute2 missing?)");               \
  } while (0)

static int udp_socket(const char *ip, int port) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, ip, &a.sin_addr);
  if (port && bind(s, (struct sockaddr *)&a, sizeof a) != 0) {
    close(s);
    return -1;
  }
  struct timeval tv = {2, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return s;
}

static void send_to(int s, int port, const char *payload) {
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "10.201.0.1", &to.sin_addr);
  sendto(s, payload, strlen(payload), 0, (struct sockaddr *)&to, sizeof to);
}

typedef struct scenario {
  int ready[2]; /* receiver -> sender: attached */
} scenario;

#define FAIL(...)                                                                                  \
  do {                                                                                             \
    snprintf(msg, size, __VA_ARGS__);                                                              \
    goto out;                                                                                      \
  } while (0)

/* Child in namespace A: attach, open the socket, receive, check. */
static int receiver(void *ctx, char *msg, size_t size) {
  scenario *sc = ctx;
  lal_xdp *x = NULL;
  lal_xsk *k = NULL;
  int ok = 0, ks = -1;
  if (netns_enter(ns_a) != 0)
    FAIL("setns into %s failed", ns_a);
  lal_xdp_result xr = LAL_XDP_RESULT_INIT;
  int rc = lal_xdp_attach("vxa", LAL_XDP_MODE_SKB, PORT_XSK, &x, &xr);
  if (rc != LAL_OK)
    FAIL("attach: %s (%s)", lal_err_name(rc), xr.reason);
  lal_xsk_opts o = LAL_XSK_OPTS_INIT;
  o.frames = 256;
  lal_xsk_result kr = LAL_XSK_RESULT_INIT;
  if ((rc = lal_xsk_open(x, &o, &k, &kr)) != LAL_OK)
    FAIL("xsk open: %s (%s)", lal_err_name(rc), kr.reason);
  if ((ks = udp_socket("10.201.0.1", PORT_KERNEL)) < 0)
    FAIL("kernel socket");
  if (write(sc->ready[1], "r", 1) != 1)
    FAIL("signal");
  int seen[N_XSK] = {0};
  for (int i = 0; i < N_XSK; i++) {
    unsigned char frame[2048];
    size_t len = 0;
    if ((rc = lal_xsk_recv(k, frame, sizeof frame, &len, 3000000000ull)) != LAL_OK)
      FAIL("xsk recv %d: %s", i, lal_err_name(rc));
    /* Ethernet 14 + IPv4 20 (no options from this sender) + UDP 8 */
    if (len < 42 + 5 || frame[23] != 17 || (frame[36] << 8 | frame[37]) != PORT_XSK)
      FAIL("frame %d is not UDP to %d (len %zu)", i, PORT_XSK, len);
    int n = -1;
    if (sscanf((const char *)frame + 42, "lal-%d", &n) != 1 || n < 0 || n >= N_XSK || seen[n]++)
      FAIL("unexpected payload %.*s", (int)(len - 42), frame + 42);
  }
  unsigned char extra[2048];
  size_t extra_len;
  if (lal_xsk_recv(k, extra, sizeof extra, &extra_len, 200000000ull) != LAL_EAGAIN)
    FAIL("the socket got a frame it should not have");
  for (int i = 0; i < N_KERNEL; i++) {
    char buf[64] = "";
    if (recv(ks, buf, sizeof buf - 1, 0) <= 0 || strncmp(buf, "other-", 6) != 0)
      FAIL("the kernel socket missed packet %d", i);
  }
  lal_xdp_counters c = LAL_XDP_COUNTERS_INIT;
  if (lal_xdp_get_counters(x, &c) != LAL_OK)
    FAIL("counters");
  if (c.matched != N_XSK || c.redirected != N_XSK || c.passed < N_KERNEL ||
      c.packets != c.redirected + c.passed)
    FAIL("counters: packets %llu matched %llu redirected %llu passed %llu",
         (unsigned long long)c.packets, (unsigned long long)c.matched,
         (unsigned long long)c.redirected, (unsigned long long)c.passed);
  ok = 1;
out:
  if (ks >= 0)
    close(ks);
  lal_xsk_close(k);
  if (x && lal_xdp_detach(x) != LAL_OK && ok)
    return snprintf(msg, size, "detach failed"), 0;
  return ok;
}

static int sender(void *ctx, char *msg, size_t size) {
  scenario *sc = ctx;
  char c;
  if (read(sc->ready[0], &c, 1) != 1)
    return snprintf(msg, size, "receiver never got ready"), 0;
  if (netns_enter(ns_b) != 0)
    return snprintf(msg, size, "setns into %s failed", ns_b), 0;
  int s = udp_socket("0.0.0.0", 0);
  for (int i = 0; i < N_XSK + N_KERNEL; i++) {
    char p[32];
    if (i < N_XSK)
      snprintf(p, sizeof p, "lal-%d", i), send_to(s, PORT_XSK, p);
    else
      snprintf(p, sizeof p, "other-%d", i - N_XSK), send_to(s, PORT_KERNEL, p);
    usleep(2000);
  }
  close(s);
  return 1;
}

static void packets_of_the_port_reach_the_socket(void **state) {
  (void)state;
  NEED_PAIR();
  scenario sc;
  assert_int_equal(pipe(sc.ready), 0);
  pid_t pid = fork();
  if (pid == 0) {
    /* the sender runs in its own process, the receiver is checked below */
    char msg[256] = "";
    _exit(sender(&sc, msg, sizeof msg) ? 0 : 1);
  }
  lal_test_in_child(receiver, &sc);
  int status;
  waitpid(pid, &status, 0);
  assert_int_equal(WEXITSTATUS(status), 0);
}

static int modes_and_bad_input(void *ctx, char *msg, size_t size) {
  (void)ctx;
  if (netns_enter(ns_a) != 0)
    return snprintf(msg, size, "setns"), 0;
  lal_xdp *x = NULL, *y = NULL;
  lal_xdp_result r = LAL_XDP_RESULT_INIT;
  if (lal_xdp_attach("", LAL_XDP_MODE_SKB, 1, &x, &r) != LAL_EINVAL ||
      lal_xdp_attach("vxa", LAL_XDP_MODE_SKB, 0, &x, &r) != LAL_EINVAL ||
      lal_xdp_attach("vxa", LAL_XDP_MODE_SKB, 70000, &x, &r) != LAL_EINVAL ||
      lal_xdp_attach("vxa", 7, 1, &x, &r) != LAL_EINVAL ||
      lal_xdp_attach("vxa", LAL_XDP_MODE_SKB, 1, NULL, &r) != LAL_EINVAL ||
      lal_xdp_attach("a-name-longer-than-ifnamsiz", LAL_XDP_MODE_SKB, 1, &x, &r) != LAL_EINVAL)
    return snprintf(msg, size, "bad arguments accepted"), 0;
  int rc = lal_xdp_attach("lalnosuch0", LAL_XDP_MODE_SKB, 1, &x, &r);
  if (rc != LAL_ENOENT || x)
    return snprintf(msg, size, "missing interface: %s", lal_err_name(rc)), 0;
  /* Native mode: veth has it. */
  rc = lal_xdp_attach("vxa", LAL_XDP_MODE_NATIVE, 1, &x, &r);
  if (rc != LAL_OK)
    return snprintf(msg, size, "native attach: %s (%s)", lal_err_name(rc), r.reason), 0;
  if (r.mode != LAL_XDP_MODE_NATIVE || !r.prog_id)
    return snprintf(msg, size, "result: mode %d id %u", r.mode, r.prog_id), 0;
  /* A second program on the same interface: busy, nothing attached. */
  rc = lal_xdp_attach("vxa", LAL_XDP_MODE_NATIVE, 2, &y, &r);
  if (rc != LAL_EBUSY || y || !r.reason[0]) {
    if (y)
      lal_xdp_detach(y);
    lal_xdp_detach(x);
    return snprintf(msg, size, "a second attach: %s (%s)", lal_err_name(rc), r.reason), 0;
  }
  lal_xsk *k = NULL;
  lal_xsk_opts o = LAL_XSK_OPTS_INIT;
  o.frames = 100; /* not a power of 2 */
  int bad = lal_xsk_open(x, &o, &k, NULL) == LAL_EINVAL;
  o.frames = 256, o.frame_size = 1000;
  bad &= lal_xsk_open(x, &o, &k, NULL) == LAL_EINVAL;
  o.frame_size = 2048, o.flags = LAL_XSK_COPY | LAL_XSK_ZEROCOPY;
  bad &= lal_xsk_open(x, &o, &k, NULL) == LAL_EINVAL;
  o.flags = LAL_XSK_ZEROCOPY; /* veth has no zero-copy */
  int zc = lal_xsk_open(x, &o, &k, NULL);
  if (zc == LAL_OK)
    lal_xsk_close(k), k = NULL;
  /* Close and reopen on the same queue at once: the kernel frees the queue
   * from a work item, lal waits for it; a second live socket is refused. */
  o.flags = 0;
  lal_xsk *k2 = NULL;
  int reopen = lal_xsk_open(x, &o, &k, NULL);
  if (reopen == LAL_OK) {
    int second = lal_xsk_open(x, &o, &k2, NULL);
    lal_xsk_close(k);
    k = NULL;
    reopen = second == LAL_EBUSY ? lal_xsk_open(x, &o, &k, NULL) : LAL_EIO;
    if (k2)
      lal_xsk_close(k2);
    lal_xsk_close(k);
  }
  if (reopen != LAL_OK) {
    lal_xdp_detach(x);
    return snprintf(msg, size, "close + reopen of a queue: %s", lal_err_name(reopen)), 0;
  }
  lal_xdp_counters c = LAL_XDP_COUNTERS_INIT;
  c.size = 3;
  bad &= lal_xdp_get_counters(x, &c) == LAL_EINVAL && lal_xdp_set_port(x, 0) == LAL_EINVAL;
  if (lal_xdp_detach(x) != LAL_OK)
    return snprintf(msg, size, "detach"), 0;
  if (!bad || (zc != LAL_ENOTSUP && zc != LAL_OK))
    return snprintf(msg, size, "bad xsk/counter input accepted, or zero-copy gave %s",
                    lal_err_name(zc)),
           0;
  /* After detach the interface is free again. */
  rc = lal_xdp_attach("vxa", LAL_XDP_MODE_SKB, 1, &x, &r);
  if (rc != LAL_OK)
    return snprintf(msg, size, "re-attach: %s", lal_err_name(rc)), 0;
  lal_xdp_detach(x);
  return 1;
}

static void attach_modes_and_bad_input(void **state) {
  (void)state;
  NEED_PAIR();
  lal_test_in_child(modes_and_bad_input, NULL);
}

static int unprivileged_attach(void *ctx, char *msg, size_t size) {
  (void)ctx;
  if (netns_enter(ns_a) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
    return snprintf(msg, size, "could not enter the namespace and drop privilege"), 0;
  lal_xdp *x = NULL;
  lal_xdp_result r = LAL_XDP_RESULT_INIT;
  int rc = lal_xdp_attach("vxa", LAL_XDP_MODE_SKB, PORT_XSK, &x, &r);
  if (rc != LAL_EPERM || x)
    return snprintf(msg, size, "as nobody: %s (%s)", lal_err_name(rc), r.reason), 0;
  return 1;
}

static void attach_without_privilege_is_eperm(void **state) {
  (void)state;
  NEED_PAIR();
  lal_test_in_child(unprivileged_attach, NULL);
}

static void detach_null_is_a_no_op(void **state) {
  (void)state;
  assert_status(LAL_OK, lal_xdp_detach(NULL));
  lal_xsk_close(NULL);
  lal_xdp_counters c = LAL_XDP_COUNTERS_INIT;
  assert_status(LAL_EINVAL, lal_xdp_get_counters(NULL, &c));
  assert_status(LAL_EINVAL, lal_xdp_counters_get(NULL, &c)); /* the 0.1 spelling */
  assert_status(LAL_EINVAL, lal_xsk_recv(NULL, &c, 1, NULL, 0));
  assert_status(LAL_EINVAL, lal_xsk_send(NULL, &c, 1));
}

int main(void) {
  if (lal_test_under_valgrind()) {
    /* Not lal's limitation: the kernel fills AF_XDP rings and the UMEM
     * through shared memory, with no syscall valgrind could follow, and
     * libbpf's bpf(2) attribute unions are partly uninitialised by design. */
    printf("[  SKIPREASON ] valgrind cannot see the kernel's writes into AF_XDP rings/UMEM "
           "or bpf(2)'s attribute unions\n");
    return LAL_TEST_SKIP_EXIT;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(detach_null_is_a_no_op),
      cmocka_unit_test(attach_modes_and_bad_input),
      cmocka_unit_test(attach_without_privilege_is_eperm),
      cmocka_unit_test(packets_of_the_port_reach_the_socket),
  };
  return cmocka_run_group_tests(tests, make_pair, remove_pair);
}
