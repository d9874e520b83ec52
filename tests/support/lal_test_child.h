/* SPDX-License-Identifier: MIT */
/*
 * Tests that need a process of their own (dropping privilege, mlockall,
 * moving between cgroups): run a check in a child, which reports a failure
 * as a message through a pipe; the parent fails the test with it.
 * Linux forks. Windows has no fork: the test executable runs again as
 * `test.exe --child NAME` under a restricted copy of our token, and main
 * hands such a call to lal_test_child_main.
 */
#ifndef LAL_TESTS_SUPPORT_LAL_TEST_CHILD_H
#define LAL_TESTS_SUPPORT_LAL_TEST_CHILD_H

#include <string.h>

#include "lal_test.h"

/* check(ctx, msg, size) returns 1 on success, or 0 with msg filled. */
typedef int (*lal_test_child_fn)(void *ctx, char *msg, size_t size);

/* In a child check about a priority request (a `res` with a reason in scope):
 * on failure, the condition and what lal said. */
#define CHILD_EXPECT(cond)                                                                         \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      snprintf(msg, size, "%s failed; reason: %s", #cond, res.reason);                             \
      return 0;                                                                                    \
    }                                                                                              \
  } while (0)

#ifdef _WIN32
#  include <windows.h>

/* The child's exit code when it still holds a privilege: the OS started it
 * with a token we did not give it. */
#  define LAL_TEST_CHILD_TOKEN_IGNORED 3
/* A check's return value (and the child's exit code) meaning "skip, msg says
 * why": what the child saw cannot be judged on this OS. */
#  define LAL_TEST_CHILD_SKIP 77

typedef struct lal_test_child_entry {
  const char *name;
  lal_test_child_fn check;
} lal_test_child_entry;

/* 1 if this process's token holds any privilege but SeChangeNotifyPrivilege,
 * the one DISABLE_MAX_PRIVILEGE keeps ("CreateRestrictedToken"). */
static inline int lal_test_token_has_privileges(void) {
  HANDLE token;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
    return 1;
  union {
    TOKEN_PRIVILEGES p;
    char bytes[4096];
  } buf;
  DWORD len = 0;
  LUID notify;
  int has = 1;
  if (GetTokenInformation(token, TokenPrivileges, &buf, sizeof buf, &len) &&
      LookupPrivilegeValueW(NULL, L"SeChangeNotifyPrivilege", &notify)) {
    has = 0;
    for (DWORD i = 0; i < buf.p.PrivilegeCount; i++)
      if (buf.p.Privileges[i].Luid.LowPart != notify.LowPart ||
          buf.p.Privileges[i].Luid.HighPart != notify.HighPart)
        has = 1;
  }
  CloseHandle(token);
  return has;
}

/* main's first step: if argv is `--child NAME`, runs that check and returns
 * the exit code (0 passed; 1 failed, message on stderr); else -1. */
static inline int lal_test_child_main(int argc, char **argv, const lal_test_child_entry *table,
                                      size_t count) {
  if (argc != 3 || strcmp(argv[1], "--child") != 0)
    return -1;
  if (lal_test_token_has_privileges())
    return LAL_TEST_CHILD_TOKEN_IGNORED;
  for (size_t i = 0; i < count; i++)
    if (strcmp(table[i].name, argv[2]) == 0) {
      char msg[512] = "";
      int ok = table[i].check(NULL, msg, sizeof msg);
      fputs(msg, stderr);
      fflush(stderr);
      return ok == LAL_TEST_CHILD_SKIP ? LAL_TEST_CHILD_SKIP : ok ? 0 : 1;
    }
  fprintf(stderr, "no child check named %s", argv[2]);
  return 1;
}

/* main's first lines in a test with children: hand `--child NAME` to its check. */
#  define LAL_TEST_CHILDREN(argc, argv, ...)                                                       \
    do {                                                                                           \
      static const lal_test_child_entry lali_children[] = {__VA_ARGS__};                           \
      int lali_child = lal_test_child_main(argc, argv, lali_children,                              \
                                           sizeof lali_children / sizeof lali_children[0]);        \
      if (lali_child >= 0)                                                                         \
        return lali_child;                                                                         \
    } while (0)

/* Runs `this.exe --child name` with every privilege but SeChangeNotify
 * deleted from a copy of our token (CreateRestrictedToken with the list:
 * Wine ignores DISABLE_MAX_PRIVILEGE but honours the list); a restricted copy
 * of the caller's own token needs no SeAssignPrimaryTokenPrivilege
 * ("CreateProcessAsUserW"). Fails the test with the child's message. */
static inline void lal_test_in_restricted_child(const char *name) {
  HANDLE token = NULL, restricted = NULL, rd = NULL, wr = NULL;
  assert_true(OpenProcessToken(GetCurrentProcess(),
                               TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY, &token));
  union {
    TOKEN_PRIVILEGES p;
    char bytes[4096];
  } held;
  DWORD len = 0, keep = 0;
  LUID notify;
  assert_true(GetTokenInformation(token, TokenPrivileges, &held, sizeof held, &len));
  assert_true(LookupPrivilegeValueW(NULL, L"SeChangeNotifyPrivilege", &notify));
  for (DWORD i = 0; i < held.p.PrivilegeCount; i++)
    if (held.p.Privileges[i].Luid.LowPart != notify.LowPart ||
        held.p.Privileges[i].Luid.HighPart != notify.HighPart)
      held.p.Privileges[keep++] = held.p.Privileges[i];
  assert_true(
      CreateRestrictedToken(token, 0, 0, NULL, keep, held.p.Privileges, 0, NULL, &restricted));
  CloseHandle(token);
  SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
  assert_true(CreatePipe(&rd, &wr, &inherit, 0));
  SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
  wchar_t exe[MAX_PATH], cmd[2 * MAX_PATH + 64];
  assert_true(GetModuleFileNameW(NULL, exe, MAX_PATH) > 0);
  swprintf(cmd, sizeof cmd / sizeof *cmd, L"\"%ls\" --child %hs", exe, name);
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  ZeroMemory(&si, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = wr;
  si.hStdError = wr;
  BOOL started =
      CreateProcessAsUserW(restricted, exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
  DWORD error = GetLastError();
  CloseHandle(wr);
  CloseHandle(restricted);
  if (!started) {
    CloseHandle(rd);
    fail_msg("CreateProcessAsUserW: error %lu", (unsigned long)error);
  }
  char msg[1024] = "";
  DWORD n = 0, got;
  while (n < sizeof msg - 1 && ReadFile(rd, msg + n, (DWORD)(sizeof msg - 1 - n), &got, NULL) &&
         got)
    n += got;
  msg[n] = '\0';
  CloseHandle(rd);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  if (code == LAL_TEST_CHILD_TOKEN_IGNORED)
    fail_msg("restricted child %s still holds privileges: the restricted token was not used", name);
  if (code == LAL_TEST_CHILD_SKIP)
    LAL_SKIP("%s", msg);
  if (code != 0)
    fail_msg("restricted child %s (exit %lu): %s", name, (unsigned long)code, msg);
}
#else
#  include <sys/wait.h>
#  include <unistd.h>

/* Linux forks its children: nothing to hand over. */
#  define LAL_TEST_CHILDREN(argc, argv, ...) ((void)(argc), (void)(argv))

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

#endif
