/* SPDX-License-Identifier: MIT */
/* Windows side of experiment_os.h. */
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_os.h"

/* Appends arg to cmd quoted as the C runtime's argv parser reads it back
 * ("Parsing C command-line arguments": backslashes are literal unless they
 * precede a quote; 2n backslashes + quote -> n and a delimiter, 2n+1 -> n
 * and a literal quote). 0, or -1 when cmd is full. */
static int quote_arg(char *cmd, size_t size, size_t *used, const char *arg) {
  char buf[32768];
  size_t n = 0;
  int needs = arg[0] == '\0' || strpbrk(arg, " \t\n\v\"") != NULL;
  if (needs)
    buf[n++] = '"';
  for (const char *p = arg; *p && n + 4 < sizeof buf; p++) {
    size_t slashes = 0;
    while (p[slashes] == '\\')
      slashes++;
    if (slashes) {
      int before_quote = p[slashes] == '"' || (needs && p[slashes] == '\0');
      for (size_t i = 0; i < (before_quote ? 2 * slashes : slashes) && n + 4 < sizeof buf; i++)
        buf[n++] = '\\';
      p += slashes - 1;
      continue;
    }
    if (*p == '"')
      buf[n++] = '\\';
    buf[n++] = *p;
  }
  if (needs)
    buf[n++] = '"';
  if (*used + n + 2 > size)
    return -1;
  if (*used)
    cmd[(*used)++] = ' ';
  memcpy(cmd + *used, buf, n);
  *used += n;
  cmd[*used] = '\0';
  return 0;
}

int experiment_os_run(char *const argv[], char *why, size_t why_size) {
  static char cmd[32768];
  size_t used = 0;
  cmd[0] = '\0';
  for (int i = 0; argv[i]; i++)
    if (quote_arg(cmd, sizeof cmd, &used, argv[i]) != 0) {
      snprintf(why, why_size, "command line too long");
      return -1;
    }
  fflush(NULL);
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  ZeroMemory(&si, sizeof si);
  si.cb = sizeof si;
  /* No shell: CreateProcess runs argv[0] (searched as "CreateProcess"
   * documents) with this process's token and environment. */
  if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    snprintf(why, why_size, "cannot start it (error %lu)", (unsigned long)GetLastError());
    return -1;
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  snprintf(why, why_size, "exit %lu", (unsigned long)code);
  return code > 255 ? 255 : (int)code;
}

static FILE *file_of(HANDLE h, const char *mode, char *why, size_t why_size) {
  int fd = _open_osfhandle((intptr_t)h, _O_RDWR);
  if (fd < 0) {
    CloseHandle(h);
    snprintf(why, why_size, "cannot open a descriptor");
    return NULL;
  }
  FILE *f = _fdopen(fd, mode);
  if (!f) {
    _close(fd);
    snprintf(why, why_size, "cannot open a stream");
  }
  return f;
}

FILE *experiment_os_journal_create(const char *path, char *why, size_t why_size) {
  /* CREATE_NEW fails on any existing name; FILE_FLAG_OPEN_REPARSE_POINT keeps
   * a symbolic link from being followed. The file inherits the directory's
   * ACL: the default journal lives in the caller's own %LOCALAPPDATA%. */
  HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD e = GetLastError();
    snprintf(why, why_size, e == ERROR_FILE_EXISTS ? "it exists" : "error %lu", (unsigned long)e);
    return NULL;
  }
  return file_of(h, "w+", why, why_size);
}

FILE *experiment_os_journal_open(const char *path, char *why, size_t why_size) {
  HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    snprintf(why, why_size, "error %lu", (unsigned long)GetLastError());
    return NULL;
  }
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(h, &info) ||
      (info.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY))) {
    CloseHandle(h);
    snprintf(why, why_size, "not a regular file");
    return NULL;
  }
  /* Ownership is the directory's ACL's business on Windows (see create). */
  return file_of(h, "r+", why, why_size);
}

int experiment_os_journal_rewrite(FILE *f, const char *text) {
  size_t n = strlen(text);
  if (fseek(f, 0, SEEK_SET) != 0 || fwrite(text, 1, n, f) != n || fflush(f) != 0 ||
      _chsize_s(_fileno(f), (__int64)n) != 0 || _commit(_fileno(f)) != 0)
    return -1;
  return 0;
}

int experiment_os_timer_slack_get(unsigned long long *ns) {
  (void)ns;
  return -1;
}

long experiment_os_pid(void) { return (long)GetCurrentProcessId(); }

int experiment_os_alive(long pid) {
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);
  if (!h)
    return GetLastError() == ERROR_ACCESS_DENIED;
  int alive = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  CloseHandle(h);
  return alive;
}

void experiment_os_default_journal(char *buf, size_t size) {
  char dir[MAX_PATH];
  DWORD n = GetEnvironmentVariableA("LOCALAPPDATA", dir, sizeof dir);
  if (n == 0 || n >= sizeof dir)
    n = GetTempPathA(sizeof dir, dir);
  if (n == 0 || n >= sizeof dir)
    snprintf(dir, sizeof dir, ".");
  size_t len = strlen(dir);
  snprintf(buf, size, "%s%slal-experiment.journal", dir,
           len && (dir[len - 1] == '\\' || dir[len - 1] == '/') ? "" : "\\");
}
