/* SPDX-License-Identifier: MIT */
/* /proc and /sys text: reads through a root prefix, and the parsers lal uses. */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lal_internal.h"

static LALI_THREAD_LOCAL const char *library_root = "";

const char *lali_linux_root(void) { return library_root; }
void lali_linux_set_root(const char *root) { library_root = root ? root : ""; }

FILE *lali_linux_fopen_rooted(const char *path, int *status) {
  char full[4096];
  *status = LAL_OK;
  if ((size_t)snprintf(full, sizeof full, "%s%s", library_root, path) >= sizeof full) {
    *status = LAL_ERANGE;
    return NULL;
  }
  FILE *f = fopen(full, "re");
  if (!f)
    *status = lali_fail_os();
  return f;
}

int lali_linux_read_text(const char *root, const char *path, char *buf, size_t size) {
  char full[4096];
  if (size == 0 || (size_t)snprintf(full, sizeof full, "%s%s", root, path) >= sizeof full)
    return LAL_ERANGE;
  /* O_NONBLOCK: a FIFO (or a device) planted in a recorded tree must not
   * block the open; anything that is not a regular file is refused. /proc,
   * /sys and cgroupfs files are all regular files (stat(2) S_IFREG). */
  int fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return lali_fail_os();
  struct stat st;
  int status = fstat(fd, &st) != 0 ? lali_fail_os() : LAL_OK;
  if (status == LAL_OK && !S_ISREG(st.st_mode)) {
    lali_fail_native(S_ISDIR(st.st_mode) ? EISDIR : EINVAL); /* for lal_last_os_error() */
    status = LAL_EIO; /* not a file of the kind lal reads here */
  }
  if (status != LAL_OK) {
    close(fd);
    return status;
  }
  size_t n = 0;
  while (n + 1 < size) {
    ssize_t r = read(fd, buf + n, size - 1 - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      status = lali_fail_os();
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

/* 1 if text is a cpulist (digits, ',', '-', newline) with a number past
 * LAL_CPUSET_MAX - 1. */
static int names_cpu_past_max(const char *text) {
  long v = 0;
  int big = 0;
  for (const char *c = text;; c++) {
    if (*c >= '0' && *c <= '9') {
      v = v < LAL_CPUSET_MAX ? v * 10 + (*c - '0') : v;
      continue;
    }
    big |= v >= LAL_CPUSET_MAX;
    v = 0;
    if (!*c || *c == '\n')
      return big;
    if (*c != ',' && *c != '-')
      return 0;
  }
}

int lali_linux_read_cpulist(const char *root, const char *path, lal_cpuset *out) {
  char text[LAL_CPUSET_FORMAT_MAX];
  int n = lali_linux_read_text(root, path, text, sizeof text);
  if (n < 0)
    return n;
  if (lal_cpuset_parse(out, text) == LAL_OK)
    return LAL_OK;
  return names_cpu_past_max(text) ? LAL_ERANGE : LAL_EIO;
}

int64_t lali_linux_limit_soft(const char *limits, const char *name) {
  size_t n = strlen(name);
  for (const char *line = limits; line && *line;) {
    /* proc(5): "Limit  Soft Limit  Hard Limit  Units", columns padded with
     * spaces; the name is followed by at least two of them. */
    if (strncmp(line, name, n) == 0 && line[n] == ' ' && line[n + 1] == ' ') {
      const char *p = line + n;
      while (*p == ' ')
        p++;
      if (strncmp(p, "unlimited", 9) == 0)
        return -1;
      return *p >= '0' && *p <= '9' ? (int64_t)strtoll(p, NULL, 10) : -2;
    }
    line = strchr(line, '\n');
    if (line)
      line++;
  }
  return -2;
}

uint64_t lali_linux_meminfo_value(const char *text, const char *key) {
  const char *v = find_line(text, key, ':');
  if (!v)
    return 0;
  char *end;
  unsigned long long n = strtoull(v, &end, 10);
  while (*end == ' ')
    end++;
  return strncmp(end, "kB", 2) == 0 ? (uint64_t)n * 1024 : (uint64_t)n;
}

uint64_t lali_linux_status_cap_eff(const char *text) {
  const char *v = find_line(text, "CapEff", ':');
  return v ? (uint64_t)strtoull(v, NULL, 16) : 0;
}

int lali_linux_mountinfo_has_fstype(const char *text, const char *fstype) {
  /* proc(5): optional fields end with " - ", then the filesystem type. */
  size_t tlen = strlen(fstype);
  for (const char *p = strstr(text, " - "); p; p = strstr(p + 3, " - "))
    if (strncmp(p + 3, fstype, tlen) == 0 && p[3 + tlen] == ' ')
      return 1;
  return 0;
}

int lali_linux_bracketed_choice(const char *text, char *mode, size_t size) {
  const char *open_bracket = strchr(text, '[');
  const char *close_bracket = open_bracket ? strchr(open_bracket, ']') : NULL;
  if (!close_bracket || (size_t)(close_bracket - open_bracket) > size)
    return -1;
  size_t n = (size_t)(close_bracket - open_bracket - 1);
  memcpy(mode, open_bracket + 1, n);
  mode[n] = '\0';
  return 0;
}

/* "Name:   123 kB" -> bytes, when line starts with name. */
static int smaps_field(const char *line, const char *name, uint64_t *acc) {
  size_t n = strlen(name);
  if (strncmp(line, name, n) != 0 || line[n] != ':')
    return 0;
  *acc += strtoull(line + n + 1, NULL, 10) * 1024u;
  return 1;
}

int lali_linux_smaps_sum(FILE *f, uintptr_t start, uintptr_t end, lali_smaps_sum *out) {
  memset(out, 0, sizeof *out);
  out->all_locked = 1;
  char line[512];
  int inside = 0;
  while (fgets(line, sizeof line, f)) {
    /* A mapping's header starts with its lowercase-hex start address; its
     * fields start with a capitalised name. */
    if ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f')) {
      char *dash;
      unsigned long long lo = strtoull(line, &dash, 16), hi = 0;
      if (*dash == '-')
        hi = strtoull(dash + 1, NULL, 16);
      inside = lo < end && hi > start;
      out->vmas += inside;
      continue;
    }
    if (!inside)
      continue;
    uint64_t page = 0;
    if (smaps_field(line, "KernelPageSize", &page)) {
      if (page > out->kernel_page_size)
        out->kernel_page_size = page;
    } else if (smaps_field(line, "Rss", &out->rss) ||
               smaps_field(line, "AnonHugePages", &out->anon_huge) ||
               smaps_field(line, "Private_Hugetlb", &out->hugetlb) ||
               smaps_field(line, "Shared_Hugetlb", &out->hugetlb)) {
    } else if (strncmp(line, "VmFlags:", 8) == 0 && !strstr(line + 8, " lo")) {
      out->all_locked = 0;
    }
  }
  if (out->vmas == 0)
    out->all_locked = 0;
  return LAL_OK;
}

int lali_linux_maps_writable(FILE *f, uintptr_t start, uintptr_t end) {
  /* proc(5): /proc/<pid>/maps lists mappings in ascending address order, one
   * per line: "start-end perms offset dev inode path", perms "rwxp". */
  uintptr_t covered = start; /* [start, covered) is mapped */
  int writable = 1;
  char line[512];
  while (covered < end && fgets(line, sizeof line, f)) {
    size_t len = strlen(line);
    int whole = len > 0 && line[len - 1] == '\n';
    char *dash, *space;
    unsigned long long lo = strtoull(line, &dash, 16), hi = 0;
    if (*dash == '-')
      hi = strtoull(dash + 1, &space, 16);
    if (*dash == '-' && *space == ' ' && lo < hi && hi > covered) {
      if (lo > covered)
        break; /* a hole */
      if (space[1] != 'r' || space[2] != 'w')
        writable = 0; /* MADV_POPULATE_WRITE would refuse it too */
      covered = hi < end ? (uintptr_t)hi : end;
    }
    /* A path longer than the line buffer: skip the rest of it. */
    while (!whole && fgets(line, sizeof line, f)) {
      len = strlen(line);
      whole = len > 0 && line[len - 1] == '\n';
    }
  }
  if (covered < end)
    return LAL_ENOMEM;
  return writable ? LAL_OK : LAL_EINVAL;
}
