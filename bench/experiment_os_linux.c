/* SPDX-License-Identifier: MIT */
/* Linux side of experiment_os.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "experiment_os.h"

int experiment_os_run(char *const argv[], char *why, size_t why_size) {
  fflush(NULL); /* the child must not write our buffered output again */
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(why, why_size, "fork: %s", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    /* execvp(3): the argument vector as given, PATH searched, no shell. */
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(why, why_size, "waitpid: %s", strerror(errno));
      return -1;
    }
  if (WIFSIGNALED(status)) {
    snprintf(why, why_size, "killed by signal %d", WTERMSIG(status));
    return -1;
  }
  int code = WEXITSTATUS(status);
  if (code == 127)
    snprintf(why, why_size, "exit 127 (not found, or not executable)");
  else
    snprintf(why, why_size, "exit %d", code);
  return code;
}

FILE *experiment_os_journal_create(const char *path, char *why, size_t why_size) {
  /* O_EXCL with O_CREAT fails on any existing name, a symbolic link
   * included (open(2)); O_NOFOLLOW for good measure. */
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(why, why_size, "%s", errno == EEXIST ? "it exists" : strerror(errno));
    return NULL;
  }
  FILE *f = fdopen(fd, "w+");
  if (!f) {
    snprintf(why, why_size, "%s", strerror(errno));
    close(fd);
  }
  return f;
}

FILE *experiment_os_journal_open(const char *path, char *why, size_t why_size) {
  int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    snprintf(why, why_size, "%s", errno == ELOOP ? "a symbolic link" : strerror(errno));
    return NULL;
  }
  struct stat st;
  const char *bad = NULL;
  if (fstat(fd, &st) != 0)
    bad = "cannot stat it";
  else if (!S_ISREG(st.st_mode))
    bad = "not a regular file";
  else if (st.st_uid != geteuid())
    bad = "written by another user";
  else if (st.st_mode & 077)
    bad = "readable or writable by others";
  FILE *f = bad ? NULL : fdopen(fd, "r+");
  if (!f) {
    snprintf(why, why_size, "%s", bad ? bad : strerror(errno));
    close(fd);
  }
  return f;
}

int experiment_os_journal_rewrite(FILE *f, const char *text) {
  size_t n = strlen(text);
  if (fseek(f, 0, SEEK_SET) != 0 || fwrite(text, 1, n, f) != n || fflush(f) != 0 ||
      ftruncate(fileno(f), (off_t)n) != 0 || fsync(fileno(f)) != 0)
    return -1;
  return 0;
}

int experiment_os_timer_slack_get(unsigned long long *ns) {
  /* prctl(2): the value is the return value (an int: slacks above 2^31 - 1
   * ns read back wrong, and lal_timer_slack_set refuses those anyway). */
  int v = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  if (v < 0)
    return -1;
  *ns = (unsigned long long)v;
  return 0;
}

long experiment_os_pid(void) { return (long)getpid(); }

int experiment_os_alive(long pid) {
  /* kill(2) with signal 0 checks existence; EPERM: it exists (another user's). */
  return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

void experiment_os_default_journal(char *buf, size_t size) {
  const char *dir = getenv("XDG_RUNTIME_DIR");
  if (dir && dir[0] == '/')
    snprintf(buf, size, "%s/lal-experiment.journal", dir);
  else
    snprintf(buf, size, "/tmp/lal-experiment-%ld.journal", (long)geteuid());
}
