/* SPDX-License-Identifier: MIT */
/*
 * lal/uring.h: setup with and without SQPOLL (and its pinning, read back from
 * the kernel thread's affinity), every operation, both wait modes, the
 * fallbacks (SQPOLL refused for a CPU the process may not use;
 * kernel.io_uring_disabled as root, restored after), bad input, a full queue,
 * and teardown with operations in flight.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lal/uring.h"
#include "lal_test.h"

static lal_uring *make(unsigned flags, int cpu, lal_uring_result *res) {
  lal_uring_opts o = LAL_URING_OPTS_INIT;
  o.flags = flags;
  o.sqpoll_cpu = cpu;
  lal_uring *u = NULL;
  int rc = lal_uring_create(&o, &u, res);
  if (rc == LAL_ENOTSUP)
    return NULL;
  if (rc != LAL_OK)
    fail_msg("lal_uring_create: %s (%s)", lal_err_name(rc), res ? res->reason : "");
  return u;
}

#define MAKE_OR_SKIP(u, flags, cpu, res)                                                           \
  lal_uring *u = make(flags, cpu, res);                                                            \
  if (!u)                                                                                          \
  LAL_SKIP("no io_uring here: %s", (res)->reason)

static void nop_round_trip_both_wait_modes(void **state) {
  (void)state;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  MAKE_OR_SKIP(u, 0, -1, &r);
  assert_true(r.sq_entries >= 64 && r.cq_entries >= r.sq_entries);
  assert_true(r.ops_supported & LAL_URING_OP_NOP);
  assert_false(r.sqpoll);
  lal_uring_cqe cqe[4];
  assert_status(LAL_OK, lal_uring_nop(u, 42));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 1, 1000000000, LAL_URING_WAIT_SYSCALL), 1);
  assert_true(cqe[0].user_data == 42 && cqe[0].res == 0);
  assert_status(LAL_OK, lal_uring_nop(u, 43));
  assert_status(LAL_OK, lal_uring_nop(u, 44));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 2, 1000000000, LAL_URING_WAIT_BUSY), 2);
  assert_true(cqe[0].user_data + cqe[1].user_data == 87);
  /* Nothing in flight: both modes time out. */
  assert_status(LAL_EAGAIN, lal_uring_wait(u, cqe, 4, 1, 2000000, LAL_URING_WAIT_BUSY));
  assert_status(LAL_EAGAIN, lal_uring_wait(u, cqe, 4, 1, 2000000, LAL_URING_WAIT_SYSCALL));
  lal_uring_close(u);
}

/* The tid of this process's SQPOLL kernel thread ("iou-sqp-<pid>"), or -1. */
static int sqpoll_tid(void) {
  DIR *d = opendir("/proc/self/task");
  int found = -1;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL && found < 0) {
    char path[96], comm[64] = "";
    snprintf(path, sizeof path, "/proc/self/task/%.24s/comm", e->d_name);
    FILE *f = fopen(path, "r");
    if (f) {
      if (fgets(comm, sizeof comm, f) && strncmp(comm, "iou-sqp-", 8) == 0)
        found = atoi(e->d_name);
      fclose(f);
    }
  }
  if (d)
    closedir(d);
  return found;
}

static void sqpoll_thread_is_pinned(void **state) {
  (void)state;
  lal_cpuset mine;
  assert_status(LAL_OK, lal_thread_get_affinity(&mine));
  int cpu = lal_cpuset_first(&mine);
  for (int c = cpu; c >= 0; c = lal_cpuset_next(&mine, c))
    cpu = c; /* the last allowed CPU */
  lal_uring_result r = LAL_URING_RESULT_INIT;
  MAKE_OR_SKIP(u, LAL_URING_SQPOLL, cpu, &r);
  assert_true(r.sqpoll);
  assert_int_equal(r.sqpoll_cpu, cpu);
  assert_false(r.defer_taskrun || r.coop_taskrun); /* not with SQPOLL */
  /* The SQ thread names itself "iou-sqp-<pid>" once it first runs: let it
   * serve a request, then look. */
  lal_uring_cqe first[1];
  assert_status(LAL_OK, lal_uring_nop(u, 6));
  assert_int_equal(lal_uring_wait(u, first, 1, 1, 1000000000, LAL_URING_WAIT_SYSCALL), 1);
  int tid = -1;
  for (int i = 0; i < 100 && tid < 0; i++)
    if ((tid = sqpoll_tid()) < 0)
      lal_sleep_ns(10000000, 0);
  assert_true(tid > 0);
  cpu_set_t set;
  CPU_ZERO(&set);
  assert_int_equal(sched_getaffinity(tid, sizeof set, &set), 0);
  assert_int_equal(CPU_COUNT(&set), 1);
  assert_true(CPU_ISSET(cpu, &set));
  lal_uring_cqe cqe[1];
  assert_status(LAL_OK, lal_uring_nop(u, 7));
  assert_int_equal(lal_uring_wait(u, cqe, 1, 1, 1000000000, LAL_URING_WAIT_BUSY), 1);
  assert_true(cqe[0].user_data == 7);
  lal_uring_close(u);
}

static void file_and_socket_ops(void **state) {
  (void)state;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  MAKE_OR_SKIP(u, 0, -1, &r);
  int p[2];
  assert_int_equal(pipe(p), 0);
  static char a[4096], b[4096];
  void *bufs[2] = {a, b};
  size_t lens[2] = {sizeof a, sizeof b};
  assert_status(LAL_OK, lal_uring_register_files(u, p, 2));
  assert_status(LAL_EBUSY, lal_uring_register_files(u, p, 2));
  assert_status(LAL_OK, lal_uring_register_buffers(u, bufs, lens, 2));
  lal_uring_cqe cqe[4];

  /* write_fixed from buffer 0 through registered file 1, read_fixed into 1. */
  memcpy(a + 100, "latency", 7);
  assert_status(LAL_OK, lal_uring_write_fixed(u, 1, 0, 100, 7, 0, LAL_URING_FIXED_FILE, 1));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 1, 1000000000, LAL_URING_WAIT_SYSCALL), 1);
  assert_int_equal(cqe[0].res, 7);
  assert_status(LAL_OK, lal_uring_read_fixed(u, 0, 1, 0, 64, 0, LAL_URING_FIXED_FILE, 2));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 1, 1000000000, LAL_URING_WAIT_SYSCALL), 1);
  assert_int_equal(cqe[0].res, 7);
  assert_memory_equal(b, "latency", 7);

  /* poll: nothing to read yet -> no completion; a write makes it POLLIN. */
  assert_status(LAL_OK, lal_uring_poll(u, p[0], POLLIN, 0, 3));
  assert_status(LAL_EAGAIN, lal_uring_wait(u, cqe, 4, 1, 5000000, LAL_URING_WAIT_SYSCALL));
  assert_status(LAL_OK, lal_uring_write(u, p[1], "x", 1, 0, 0, 4));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 2, 1000000000, LAL_URING_WAIT_SYSCALL), 2);
  for (int i = 0; i < 2; i++) {
    if (cqe[i].user_data == 3)
      assert_true(cqe[i].res & POLLIN);
    else
      assert_int_equal(cqe[i].res, 1);
  }
  char c = 0;
  assert_status(LAL_OK, lal_uring_read(u, p[0], &c, 1, 0, 0, 5));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 1, 1000000000, LAL_URING_WAIT_BUSY), 1);
  assert_true(cqe[0].res == 1 && c == 'x');

  /* send / recv on a UDP loopback pair */
  int s1 = socket(AF_INET, SOCK_DGRAM, 0), s2 = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof addr;
  assert_int_equal(bind(s2, (struct sockaddr *)&addr, sizeof addr), 0);
  assert_int_equal(getsockname(s2, (struct sockaddr *)&addr, &alen), 0);
  assert_int_equal(connect(s1, (struct sockaddr *)&addr, sizeof addr), 0);
  char got[32] = "";
  assert_status(LAL_OK, lal_uring_recv(u, s2, got, sizeof got, 0, 0, 6));
  assert_status(LAL_OK, lal_uring_send(u, s1, "ping", 4, 0, 0, 7));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 2, 1000000000, LAL_URING_WAIT_BUSY), 2);
  assert_true(cqe[0].res == 4 && cqe[1].res == 4);
  assert_memory_equal(got, "ping", 4);

  /* timeout: -ETIME after 1 ms */
  assert_status(LAL_OK, lal_uring_timeout(u, 1000000, 8));
  assert_int_equal(lal_uring_wait(u, cqe, 4, 1, 1000000000, LAL_URING_WAIT_SYSCALL), 1);
  assert_true(cqe[0].user_data == 8 && cqe[0].res == LAL_EAGAIN);
  assert_int_equal(cqe[0].os_error, ETIME);
  lal_uring_close(u);
  close(p[0]), close(p[1]), close(s1), close(s2);
}

static void bad_input_queues_nothing(void **state) {
  (void)state;
  lal_uring *u = NULL;
  lal_uring_opts o = LAL_URING_OPTS_INIT;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  assert_status(LAL_EINVAL, lal_uring_create(&o, NULL, &r));
  o.entries = 0;
  assert_status(LAL_EINVAL, lal_uring_create(&o, &u, &r));
  o.entries = 40000;
  assert_status(LAL_EINVAL, lal_uring_create(&o, &u, &r));
  o.entries = 8;
  o.flags = 1u << 9;
  assert_status(LAL_EINVAL, lal_uring_create(&o, &u, &r));
  o.flags = 0;
  o.sqpoll_cpu = 0; /* pinning without SQPOLL */
  assert_status(LAL_EINVAL, lal_uring_create(&o, &u, &r));
  o.flags = LAL_URING_SQPOLL;
  o.sqpoll_cpu = LAL_CPUSET_MAX;
  assert_status(LAL_EINVAL, lal_uring_create(&o, &u, &r));
  o.sqpoll_cpu = -1;
  o.flags = 0;
  r.size = 4;
  assert_status(LAL_EINVAL, lal_uring_create(&o, &u, &r));
  assert_null(u);

  r.size = sizeof r;
  u = make(0, -1, &r);
  if (!u)
    LAL_SKIP("no io_uring here: %s", r.reason);
  int fds[2] = {0, -1};
  assert_status(LAL_EINVAL, lal_uring_register_files(u, NULL, 1));
  assert_status(LAL_EINVAL, lal_uring_register_files(u, fds, 0));
  assert_status(LAL_EINVAL, lal_uring_register_files(u, fds, 2)); /* a negative fd */
  static char buf[64];
  void *bufs[1] = {buf};
  size_t zero = 0, len = sizeof buf;
  assert_status(LAL_EINVAL, lal_uring_register_buffers(u, bufs, &zero, 1));
  /* nothing registered: every index is out of range */
  assert_status(LAL_EINVAL, lal_uring_read_fixed(u, 0, 0, 0, 8, 0, 0, 1));
  assert_status(LAL_EINVAL, lal_uring_read(u, 0, buf, 8, 0, LAL_URING_FIXED_FILE, 1));
  assert_status(LAL_OK, lal_uring_register_buffers(u, bufs, &len, 1));
  assert_status(LAL_EINVAL, lal_uring_read_fixed(u, 0, 1, 0, 8, 0, 0, 1));  /* buffer 1 */
  assert_status(LAL_EINVAL, lal_uring_read_fixed(u, 0, 0, 60, 8, 0, 0, 1)); /* past its end */
  assert_status(LAL_EINVAL, lal_uring_write_fixed(u, 0, 0, 0, 0, 0, 0, 1)); /* empty */
  assert_status(LAL_EINVAL, lal_uring_read(u, -1, buf, 8, 0, 0, 1));
  assert_status(LAL_EINVAL, lal_uring_read(u, 0, NULL, 8, 0, 0, 1));
  assert_status(LAL_EINVAL, lal_uring_send(u, 0, buf, 0, 0, 0, 1));
  assert_status(LAL_EINVAL, lal_uring_poll(u, 0, 0, 0, 1));
  assert_status(LAL_EINVAL, lal_uring_nop(NULL, 1));
  lal_uring_cqe cqe[2];
  assert_status(LAL_EINVAL, lal_uring_wait(u, NULL, 1, 1, 0, 0));
  assert_status(LAL_EINVAL, lal_uring_wait(u, cqe, 0, 0, 0, 0));
  assert_status(LAL_EINVAL, lal_uring_wait(u, cqe, 1, 2, 0, 0));
  assert_status(LAL_EINVAL, lal_uring_wait(u, cqe, 2, 1, 0, 9));
  /* nothing was queued by the refused calls */
  assert_int_equal(lal_uring_submit(u), 0);
  lal_uring_close(u);
  lal_uring_close(NULL);
  lal_uring_destroy(NULL); /* the 0.2 spelling, kept until 1.0 */
}

/* lal_uring_opts from an older caller (no sqpoll_idle_ms: garbage there is
 * not read, the default 1000 applies) and a newer one (tail zero: OK;
 * non-zero: LAL_EINVAL, no ring made). */
static void opts_of_every_size(void **state) {
  (void)state;
  lal_uring_opts older = LAL_URING_OPTS_INIT;
  older.size = offsetof(lal_uring_opts, sqpoll_idle_ms);
  older.sqpoll_idle_ms = 0xdeadbeef;
  lal_uring *u = NULL;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  int rc = lal_uring_create(&older, &u, &r);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("no io_uring here: %s", r.reason);
  assert_status(LAL_OK, rc);
  lal_uring_close(u);
  struct {
    lal_uring_opts known;
    unsigned char tail[16];
  } newer;
  memset(&newer, 0, sizeof newer);
  lal_uring_opts defaults = LAL_URING_OPTS_INIT;
  newer.known = defaults;
  newer.known.size = sizeof newer;
  u = NULL;
  assert_status(LAL_OK, lal_uring_create(&newer.known, &u, &r));
  lal_uring_close(u);
  newer.tail[5] = 1;
  u = NULL;
  assert_status(LAL_EINVAL, lal_uring_create(&newer.known, &u, &r));
  assert_null(u);
}

static void a_full_queue_says_eagain(void **state) {
  (void)state;
  lal_uring_opts o = LAL_URING_OPTS_INIT;
  o.entries = 4;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  lal_uring *u = NULL;
  int rc = lal_uring_create(&o, &u, &r);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("no io_uring here: %s", r.reason);
  assert_status(LAL_OK, rc);
  for (int i = 0; i < 4; i++)
    assert_status(LAL_OK, lal_uring_nop(u, (uint64_t)i));
  assert_status(LAL_EAGAIN, lal_uring_nop(u, 4));
  assert_int_equal(lal_uring_submit(u), 4);
  assert_status(LAL_OK, lal_uring_nop(u, 4));
  lal_uring_cqe cqe[8];
  assert_int_equal(lal_uring_wait(u, cqe, 8, 5, 1000000000, LAL_URING_WAIT_SYSCALL), 5);
  lal_uring_close(u);
}

static void teardown_with_ops_in_flight(void **state) {
  (void)state;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  MAKE_OR_SKIP(u, 0, -1, &r);
  int p[2];
  assert_int_equal(pipe(p), 0);
  static char buf[16];
  assert_status(LAL_OK, lal_uring_poll(u, p[0], POLLIN, 0, 1));
  assert_status(LAL_OK, lal_uring_read(u, p[0], buf, sizeof buf, 0, 0, 2));
  assert_status(LAL_OK, lal_uring_timeout(u, 10000000000ull, 3)); /* 10 s */
  assert_int_equal(lal_uring_submit(u), 3);
  uint64_t t0 = lal_mono_ns();
  lal_uring_close(u);                              /* cancels the poll, the read and the timer */
  assert_true(lal_mono_ns() - t0 < 5000000000ull); /* did not wait out the 10 s timer */
  /* The pipe is untouched and still usable. */
  assert_int_equal(write(p[1], "z", 1), 1);
  assert_int_equal(read(p[0], buf, 1), 1);
  close(p[0]), close(p[1]);
}

/* In a child that became nobody with RLIMIT_NPROC 0, the kernel cannot start
 * the SQPOLL thread (io threads count as the user's tasks): setup fails
 * without FALLBACK, and with it lal makes a plain ring and says so. */
static int sqpoll_refused_child(void) {
  struct rlimit none = {0, 0};
  if (setgid(65534) != 0 || setuid(65534) != 0 || setrlimit(RLIMIT_NPROC, &none) != 0)
    return 10;
  lal_uring_opts o = LAL_URING_OPTS_INIT;
  o.flags = LAL_URING_SQPOLL;
  lal_uring *u = NULL;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  int rc = lal_uring_create(&o, &u, &r);
  if (rc == LAL_OK) {
    lal_uring_close(u);
    return 77;
  }
  if (u || !strstr(r.reason, "SQPOLL"))
    return 11;
  o.flags |= LAL_URING_FALLBACK;
  memset(&r, 0, sizeof r);
  r.size = sizeof r;
  if (lal_uring_create(&o, &u, &r) != LAL_OK || r.sqpoll || !r.degraded ||
      !strstr(r.reason, "SQPOLL"))
    return 12;
  lal_uring_cqe cqe[1];
  int ok = lal_uring_nop(u, 1) == LAL_OK && lal_uring_wait(u, cqe, 1, 1, 1000000000, 0) == 1;
  lal_uring_close(u);
  return ok ? 0 : 13;
}

static void sqpoll_fallback(void **state) {
  (void)state;
  if (getuid() != 0)
    LAL_SKIP("dropping to nobody with RLIMIT_NPROC 0 needs root to start from");
  pid_t pid = fork();
  if (pid == 0)
    _exit(sqpoll_refused_child());
  int status;
  waitpid(pid, &status, 0);
  if (WEXITSTATUS(status) == 77)
    LAL_SKIP("this kernel started the SQPOLL thread despite RLIMIT_NPROC 0");
  assert_int_equal(WEXITSTATUS(status), 0);
}

static int read_sysctl(const char *path) {
  FILE *f = fopen(path, "r");
  int v = -1;
  if (f) {
    if (fscanf(f, "%d", &v) != 1)
      v = -1;
    fclose(f);
  }
  return v;
}

static int write_sysctl(const char *path, int v) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fprintf(f, "%d\n", v);
  return fclose(f);
}

#define DISABLED "/proc/sys/kernel/io_uring_disabled"

static void disabled_by_sysctl(void **state) {
  (void)state;
  int saved = read_sysctl(DISABLED);
  if (saved < 0)
    LAL_SKIP("this kernel has no kernel.io_uring_disabled (before 6.6)");
  if (getuid() != 0 || write_sysctl(DISABLED, 2) != 0)
    LAL_SKIP("changing kernel.io_uring_disabled needs root");
  lal_uring_opts o = LAL_URING_OPTS_INIT;
  lal_uring *u = NULL;
  lal_uring_result r = LAL_URING_RESULT_INIT;
  int rc2 = lal_uring_create(&o, &u, &r);
  int got_ring2 = u != NULL;
  u = NULL;
  char reason2[256];
  snprintf(reason2, sizeof reason2, "%s", r.reason);
  /* 1: only root (CAP_SYS_ADMIN) or kernel.io_uring_group may make rings. */
  write_sysctl(DISABLED, 1);
  int rc1_root = lal_uring_create(&o, &u, &r);
  if (rc1_root == LAL_OK)
    lal_uring_close(u);
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0)
      _exit(10);
    lal_uring *v = NULL;
    lal_uring_result rr = LAL_URING_RESULT_INIT;
    int rc = lal_uring_create(&o, &v, &rr);
    _exit(rc == LAL_EPERM && !v && strstr(rr.reason, "io_uring_disabled=1") ? 0 : 11);
  }
  int status;
  waitpid(pid, &status, 0);
  write_sysctl(DISABLED, saved);
  assert_status(LAL_ENOTSUP, rc2);
  assert_false(got_ring2);
  assert_non_null(strstr(reason2, "io_uring_disabled=2"));
  assert_status(LAL_OK, rc1_root);
  assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nop_round_trip_both_wait_modes),
      cmocka_unit_test(sqpoll_thread_is_pinned),
      cmocka_unit_test(file_and_socket_ops),
      cmocka_unit_test(bad_input_queues_nothing),
      cmocka_unit_test(opts_of_every_size),
      cmocka_unit_test(a_full_queue_says_eagain),
      cmocka_unit_test(teardown_with_ops_in_flight),
      cmocka_unit_test(sqpoll_fallback),
      cmocka_unit_test(disabled_by_sysctl),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
