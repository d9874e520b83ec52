/* /proc and /sys text: reads through a root prefix, and the parsers lal uses. */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lal_internal.h"

int lal__linux_read_text(const char *root, const char *path, char *buf, size_t size) {
  char full[4096];
  if (size == 0 || (size_t)snprintf(full, sizeof full, "%s%s", root, path) >= sizeof full)
    return LAL_ERANGE;
  int fd = open(full, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return lal__fail_os();
  size_t n = 0;
  while (n + 1 < size) {
    ssize_t r = read(fd, buf + n, size - 1 - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int status = lal__fail_os();
      close(fd);
      return status;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  return (int)n;
}

/* The start of the line that begins with `key` followed by `sep`, or NULL. */
static const char *find_line(const char *text, const char *key, char sep) {
  size_t klen = strlen(key);
  for (const char *line = text; line && *line;) {
    if (strncmp(line, key, klen) == 0 && line[klen] == sep)
      return line + klen + 1;
    line = strchr(line, '\n');
    if (line)
      line++;
  }
  return NULL;
}

uint64_t lal__linux_meminfo_value(const char *text, const char *key) {
  const char *v = find_line(text, key, ':');
  if (!v)
    return 0;
  char *end;
  unsigned long long n = strtoull(v, &end, 10);
  while (*end == ' ')
    end++;
  return strncmp(end, "kB", 2) == 0 ? (uint64_t)n * 1024 : (uint64_t)n;
}

uint64_t lal__linux_status_cap_eff(const char *text) {
  const char *v = find_line(text, "CapEff", ':');
  return v ? (uint64_t)strtoull(v, NULL, 16) : 0;
}

int lal__linux_mountinfo_has_fstype(const char *text, const char *fstype) {
  /* proc(5): optional fields end with " - ", then the filesystem type. */
  size_t tlen = strlen(fstype);
  for (const char *p = strstr(text, " - "); p; p = strstr(p + 3, " - "))
    if (strncmp(p + 3, fstype, tlen) == 0 && p[3 + tlen] == ' ')
      return 1;
  return 0;
}

int lal__linux_bracketed_choice(const char *text, char *mode, size_t size) {
  const char *open_bracket = strchr(text, '[');
  const char *close_bracket = open_bracket ? strchr(open_bracket, ']') : NULL;
  if (!close_bracket || (size_t)(close_bracket - open_bracket) > size)
    return -1;
  size_t n = (size_t)(close_bracket - open_bracket - 1);
  memcpy(mode, open_bracket + 1, n);
  mode[n] = '\0';
  return 0;
}
