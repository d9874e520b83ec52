/* SPDX-License-Identifier: MIT */
/*
 * Linux tests that need a process of their own (dropping privilege, mlockall,
 * moving between cgroups): run a check in a forked child, which reports a
 * failure as a message through a pipe; the parent fails the test with it.
 */
#ifndef LAL_TEST_CHILD_H
#define LAL_TEST_CHILD_H

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lal_test.h"

/* check(ctx, msg, size) returns 1 on success, or 0 with msg filled. */
typedef int (*lal_test_child_fn)(void *ctx, char *msg, size_t size);

static inline void lal_test_in_child(lal_test_child_fn check, void *ctx) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    char msg[512] = "";
    int ok = check(ctx, msg, sizeof msg);
    if (write(fds[1], msg, strlen(msg)) < 0)
      ok = 0;
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  char msg[512] = "";
  ssize_t n = read(fds[0], msg, sizeof msg - 1);
  close(fds[0]);
  msg[n > 0 ? n : 0] = '\0';
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail_msg("child: %s", msg);
}

#endif
