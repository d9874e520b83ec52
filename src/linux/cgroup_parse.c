/* SPDX-License-Identifier: MIT */
/* cgroups v2 text formats (Documentation/admin-guide/cgroup-v2.rst, proc(5)), and the
 * two v1 lookups the doctor needs on hybrid hosts (cgroups(7)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "lal_internal.h"

static const char *const controller_names[] = {"cpu",  "cpuset",  "memory", "io",
                                               "pids", "hugetlb", "rdma",   "misc"};
#define N_CONTROLLERS (sizeof controller_names / sizeof controller_names[0])

int lali_cgroup_name_valid(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > LALI_CG_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c <= 0x20 || c >= 0x7f || c == '/') /* controls, space, DEL, non-ASCII, '/' */
      return 0;
  }
  return 1;
}

int lali_cgroup_path_valid(const char *path) {
  if (!path || path[0] != '/')
    return 0;
  if (path[1] == '\0')
    return 1; /* the root */
  /* Each component between slashes: not empty, not "." and not "..", so
   * that no path can leave the subtree it names. */
  for (const char *c = path + 1;;) {
    size_t n = strcspn(c, "/");
    if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
      return 0;
    if (c[n] == '\0')
      return 1;
    c += n + 1;
  }
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(const char *s, size_t n, char *out, size_t size) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < size; i++) {
    if (s[i] == '\\' && i + 3 < n + 1 && s[i + 1] >= '0' && s[i + 1] <= '3') {
      out[o++] = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
}

/* The mount point field of a mountinfo line (proc(5): id parent major:minor
 * root mountpoint ...): its start, and *end just past it; NULL if absent. */
static const char *mount_point(const char *line, const char **end) {
  const char *f = line;
  for (int field = 0; field < 4 && f; field++) {
    f = strchr(f, ' ');
    if (f)
      f++;
  }
  *end = f ? strchr(f, ' ') : NULL;
  return *end ? f : NULL;
}

int lali_cgroup_find_mount(const char *mountinfo, char *mount, size_t size, int *hybrid) {
  int found = 0;
  *hybrid = 0;
  for (const char *line = mountinfo; line && *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    /* proc(5): id parent major:minor root mountpoint options ... - fstype ... */
    const char *sep = strstr(line, " - ");
    if (sep && sep < line + len) {
      const char *fstype = sep + 3;
      if (strncmp(fstype, "cgroup2 ", 8) == 0 && !found) {
        const char *end, *f = mount_point(line, &end);
        if (f) {
          unescape(f, (size_t)(end - f), mount, size);
          found = 1;
        }
      } else if (strncmp(fstype, "cgroup ", 7) == 0) {
        *hybrid = 1;
      }
    }
    line = eol ? eol + 1 : NULL;
  }
  return found ? LAL_OK : LAL_ENOTSUP;
}

/* 1 if the comma list list[0..n) holds word. */
static int in_comma_list(const char *list, size_t n, const char *word) {
  size_t w = strlen(word);
  for (size_t i = 0; i < n;) {
    size_t len = 0;
    while (i + len < n && list[i + len] != ',')
      len++;
    if (len == w && strncmp(list + i, word, w) == 0)
      return 1;
    i += len + 1;
  }
  return 0;
}

int lali_cgroup1_find_mount(const char *mountinfo, const char *controller, char *mount,
                            size_t size) {
  for (const char *line = mountinfo; line && *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    /* proc(5): ... mountpoint ... - cgroup <source> <super options> */
    const char *sep = strstr(line, " - cgroup ");
    if (sep && sep < line + len) {
      const char *opts = line + len; /* the super options: the last field */
      while (opts > sep && opts[-1] != ' ')
        opts--;
      const char *end, *f = mount_point(line, &end);
      if (f && end <= sep && in_comma_list(opts, (size_t)(line + len - opts), controller)) {
        unescape(f, (size_t)(end - f), mount, size);
        return LAL_OK;
      }
    }
    line = eol ? eol + 1 : NULL;
  }
  return LAL_ENOTSUP;
}

int lali_cgroup1_self_path(const char *proc_cgroup, const char *controller, char *path,
                           size_t size) {
  for (const char *line = proc_cgroup; line && *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    /* hierarchy-ID:controller-list:path */
    const char *c1 = memchr(line, ':', len);
    const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(line + len - c1 - 1)) : NULL;
    if (c2 && in_comma_list(c1 + 1, (size_t)(c2 - c1 - 1), controller)) {
      size_t n = (size_t)(line + len - c2 - 1);
      if (n + 1 > size)
        return LAL_EIO;
      memcpy(path, c2 + 1, n);
      path[n] = '\0';
      return lali_cgroup_path_valid(path) ? LAL_OK : LAL_EIO;
    }
    line = eol ? eol + 1 : NULL;
  }
  return LAL_ENOTSUP;
}

int lali_cgroup_self_path(const char *proc_cgroup, char *path, size_t size) {
  for (const char *line = proc_cgroup; line && *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    if (strncmp(line, "0::", 3) == 0 && len > 3) {
      size_t n = len - 3 < size - 1 ? len - 3 : size - 1;
      memcpy(path, line + 3, n);
      path[n] = '\0';
      /* A group removed under us reads "/path (deleted)". */
      char *deleted = strstr(path, " (deleted)");
      if (deleted)
        *deleted = '\0';
      /* A path the kernel would never write ("/../x") is refused, so no
       * reader of a recorded or forged tree follows it out of the hierarchy. */
      return n == len - 3 && lali_cgroup_path_valid(path) ? LAL_OK : LAL_EIO;
    }
    line = eol ? eol + 1 : NULL;
  }
  return LAL_ENOTSUP;
}

unsigned lali_cgroup_controller_bits(const char *text) {
  unsigned bits = 0;
  const char *p = text;
  while (*p) {
    while (*p == ' ' || *p == '\n')
      p++;
    size_t n = strcspn(p, " \n");
    for (size_t i = 0; i < N_CONTROLLERS; i++)
      if (n == strlen(controller_names[i]) && strncmp(p, controller_names[i], n) == 0)
        bits |= 1u << i;
    p += n;
  }
  return bits;
}

const char *lali_cgroup_controller_name(unsigned bit) {
  for (size_t i = 0; i < N_CONTROLLERS; i++)
    if (bit == 1u << i)
      return controller_names[i];
  return "?";
}

static uint64_t keyed(const char *text, const char *key, int *found) {
  size_t n = strlen(key);
  for (const char *line = text; line && *line;) {
    if (strncmp(line, key, n) == 0 && line[n] == ' ') {
      if (found)
        *found = 1;
      return strtoull(line + n + 1, NULL, 10);
    }
    line = strchr(line, '\n');
    if (line)
      line++;
  }
  return 0;
}

void lali_cgroup_parse_cpu_stat(const char *text, lal_cgroup_cpu_stat *stat) {
  stat->usage_us = keyed(text, "usage_usec", NULL);
  stat->user_us = keyed(text, "user_usec", NULL);
  stat->system_us = keyed(text, "system_usec", NULL);
  int known = 0;
  stat->nr_periods = keyed(text, "nr_periods", &known);
  stat->nr_throttled = keyed(text, "nr_throttled", NULL);
  stat->throttled_us = keyed(text, "throttled_usec", NULL);
  stat->throttling_known = known;
}

static int parse_psi_line(const char *line, lal_psi_line *out) {
  return sscanf(line, " avg10=%lf avg60=%lf avg300=%lf total=%llu", &out->avg10, &out->avg60,
                &out->avg300, (unsigned long long *)&out->total_us) == 4
             ? 0
             : -1;
}

int lali_cgroup_parse_psi(const char *text, lal_psi *psi) {
  const char *some = strncmp(text, "some", 4) == 0 ? text : strstr(text, "\nsome");
  if (!some)
    return LAL_EIO;
  some += some[0] == '\n';
  if (parse_psi_line(some + 4, &psi->some) != 0)
    return LAL_EIO;
  const char *full = strstr(text, "\nfull");
  psi->has_full = full && parse_psi_line(full + 5, &psi->full) == 0;
  return LAL_OK;
}

int lali_cgroup_parse_partition(const char *text, char *why, size_t size) {
  why[0] = '\0';
  if (strstr(text, "invalid")) {
    const char *open = strchr(text, '(');
    const char *close = open ? strrchr(open, ')') : NULL;
    if (open && close && size > 0) {
      size_t n = (size_t)(close - open - 1) < size - 1 ? (size_t)(close - open - 1) : size - 1;
      memcpy(why, open + 1, n);
      why[n] = '\0';
    }
    return -1;
  }
  if (strncmp(text, "isolated", 8) == 0)
    return LAL_CGROUP_PARTITION_ISOLATED;
  if (strncmp(text, "root", 4) == 0)
    return LAL_CGROUP_PARTITION_ROOT;
  return LAL_CGROUP_PARTITION_MEMBER;
}
