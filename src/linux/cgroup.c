/* SPDX-License-Identifier: MIT */
/*
 * cgroups v2 groups: open, create/remove, move tasks, controller settings,
 * cpu.stat, PSI and PSI triggers. Every file operation goes through one
 * reader and one writer that record the kernel's answer and a reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "lal_internal.h"
#include "procfs.h"

__attribute__((format(printf, 2, 3))) static void why(lal_cgroup *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->reason, sizeof g->reason, fmt, ap);
  va_end(ap);
}

int lali_cgroup_open_at(const char *mount, const char *path, int hybrid, lal_cgroup **out) {
  if (!mount || !out || !lali_cgroup_path_valid(path))
    return LAL_EINVAL;
  lal_cgroup *g = calloc(1, sizeof *g);
  if (!g)
    return LAL_ENOMEM;
  lali_copy_string(g->mount, sizeof g->mount, mount);
  lali_copy_string(g->path, sizeof g->path, path);
  g->hybrid = hybrid;
  if ((size_t)snprintf(g->dir, sizeof g->dir, "%s%s", mount, strcmp(path, "/") ? path : "") >=
      sizeof g->dir) {
    free(g);
    return LAL_ERANGE;
  }
  struct stat st;
  int rc = stat(g->dir, &st) != 0 ? lali_fail_os() : LAL_OK;
  if (rc == LAL_OK && !S_ISDIR(st.st_mode)) {
    lali_fail_native(ENOTDIR); /* what lal_last_os_error() says: a file, not a group */
    rc = LAL_ENOENT;
  }
  if (rc != LAL_OK) {
    free(g);
    return rc;
  }
  *out = g;
  return LAL_OK;
}

int lal_cgroup_open(const char *path, lal_cgroup **out) {
  if (!out)
    return LAL_EINVAL;
  char *text = malloc(1 << 20); /* mountinfo of a busy container can be large */
  if (!text)
    return LAL_ENOMEM;
  char mount[256], self[512];
  int hybrid = 0;
  const char *root = lali_linux_root();
  int rc = lali_linux_read_text(root, "/proc/self/mountinfo", text, 1 << 20);
  if (rc >= 0)
    rc = lali_cgroup_find_mount(text, mount, sizeof mount, &hybrid);
  if (rc >= 0 && !path) {
    rc = lali_linux_read_text(root, "/proc/self/cgroup", text, 1 << 20);
    if (rc >= 0)
      rc = lali_cgroup_self_path(text, self, sizeof self);
    path = self;
  }
  free(text);
  if (rc < 0)
    return rc;
  char rooted[sizeof mount + 1024];
  if ((size_t)snprintf(rooted, sizeof rooted, "%s%s", root, mount) >= sizeof rooted)
    return LAL_ERANGE;
  return lali_cgroup_open_at(rooted, path, hybrid, out);
}

void lal_cgroup_close(lal_cgroup *g) { free(g); }

const char *lal_cgroup_reason(const lal_cgroup *g) { return g ? g->reason : ""; }

/* Reads dir/name into buf: LAL_OK or the failure's status. */
static int read_raw(const lal_cgroup *g, const char *name, char *buf, size_t size) {
  char rel[320];
  snprintf(rel, sizeof rel, "/%s", name);
  int n = lali_linux_read_text(g->dir, rel, buf, size);
  return n < 0 ? n : LAL_OK;
}

/* read_raw, recording a failure as the handle's reason. */
static int read_file(lal_cgroup *g, const char *name, char *buf, size_t size) {
  int rc = read_raw(g, name, buf, size);
  if (rc != LAL_OK)
    why(g, "cannot read %s/%s: %s", g->path, name, lal_err_name(rc));
  return rc;
}

/* Writes text to dir/name in one write(2), as cgroupfs expects; the kernel
 * answers each write on its own. */
static int write_file(lal_cgroup *g, const char *name, const char *text) {
  char full[1400];
  snprintf(full, sizeof full, "%s/%s", g->dir, name);
  /* O_TRUNC as a shell's `>` does: cgroupfs ignores it, a fake tree needs it. */
  int fd = open(full, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) {
    int rc = lali_fail_os();
    why(g, "cannot open %s for writing: %s", full, lal_err_name(rc));
    return rc;
  }
  size_t len = strlen(text);
  ssize_t n = write(fd, text, len);
  int rc = n == (ssize_t)len ? LAL_OK : n < 0 ? lali_fail_os() : LAL_EIO;
  close(fd);
  if (rc != LAL_OK)
    why(g, "the kernel refused \"%s\" in %s: %s (errno %d)", text, name, lal_err_name(rc),
        lal_last_os_error());
  else
    g->reason[0] = '\0';
  return rc;
}

int lal_cgroup_get_info(const lal_cgroup *g, lal_cgroup_info *info) {
  if (!g || !LALI_OUT_VALID(info, lal_cgroup_info, threaded))
    return LAL_EINVAL;
  lal_cgroup_info full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  lali_copy_string(full.mount, sizeof full.mount, g->mount);
  lali_copy_string(full.path, sizeof full.path, g->path);
  full.hybrid = g->hybrid;
  char text[512];
  if (read_raw(g, "cgroup.controllers", text, sizeof text) == LAL_OK)
    full.available = lali_cgroup_controller_bits(text);
  if (read_raw(g, "cgroup.subtree_control", text, sizeof text) == LAL_OK)
    full.delegated = lali_cgroup_controller_bits(text);
  if (read_raw(g, "cgroup.type", text, sizeof text) == LAL_OK)
    full.threaded = strncmp(text, "threaded", 8) == 0;
  LALI_OUT_SET(info, full);
  return LAL_OK;
}

/* The controller must be enabled for g (listed in its cgroup.controllers,
 * i.e. in its parent's subtree_control) and `file` must exist. */
static int need(lal_cgroup *g, unsigned controller, const char *file) {
  char text[512] = "";
  unsigned have = read_file(g, "cgroup.controllers", text, sizeof text) == LAL_OK
                      ? lali_cgroup_controller_bits(text)
                      : 0;
  if (!(have & controller)) {
    text[strcspn(text, "\n")] = '\0';
    why(g, "the %s controller is not enabled for %s (enabled: \"%.64s\")%s",
        lali_cgroup_controller_name(controller), g->path, text,
        g->hybrid ? "; on this hybrid host cgroup v1 holds the other controllers" : "");
    return LAL_ENOTSUP;
  }
  char full[1400];
  snprintf(full, sizeof full, "%s/%s", g->dir, file);
  if (access(full, F_OK) != 0) {
    why(g, "%s is absent: the kernel lacks that feature", file);
    return LAL_ENOTSUP;
  }
  return LAL_OK;
}

static int set_controllers(lal_cgroup *g, unsigned bits, char sign) {
  char text[128] = "";
  for (unsigned b = 1; b && b <= LAL_CGROUP_MISC; b <<= 1)
    if (bits & b) {
      size_t used = strlen(text);
      snprintf(text + used, sizeof text - used, "%s%c%s", used ? " " : "", sign,
               lali_cgroup_controller_name(b));
    }
  return text[0] ? write_file(g, "cgroup.subtree_control", text) : LAL_OK;
}

int lal_cgroup_create(lal_cgroup *parent, const char *name, unsigned flags, unsigned controllers,
                      lal_cgroup **out) {
  if (!parent || !name || !out || (flags & ~LAL_CGROUP_THREADED) || (controllers & ~0xffu))
    return LAL_EINVAL;
  if (!lali_cgroup_name_valid(name)) {
    why(parent, "invalid group name (1..64 printable ASCII bytes, no '/', not . or ..)");
    return LAL_EINVAL;
  }
  char ctext[512] = "", stext[512] = "";
  unsigned available = 0, delegated = 0;
  if (read_file(parent, "cgroup.controllers", ctext, sizeof ctext) == LAL_OK)
    available = lali_cgroup_controller_bits(ctext);
  if (read_file(parent, "cgroup.subtree_control", stext, sizeof stext) == LAL_OK)
    delegated = lali_cgroup_controller_bits(stext);
  if (controllers & ~available) {
    ctext[strcspn(ctext, "\n")] = '\0';
    why(parent, "controller(s) not available in %s: it has \"%.64s\"%s", parent->path, ctext,
        parent->hybrid ? " (a hybrid host: cgroup v1 holds the others)" : "");
    return LAL_ENOTSUP;
  }
  unsigned added = controllers & ~delegated;
  int rc = set_controllers(parent, added, '+');
  if (rc != LAL_OK)
    return rc;
  char path[512];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", strcmp(parent->path, "/") ? parent->path : "",
                       name) >= sizeof path) {
    set_controllers(parent, added, '-');
    return LAL_ERANGE;
  }
  char dir[1400];
  snprintf(dir, sizeof dir, "%s%s", parent->mount, path);
  if (mkdir(dir, 0755) != 0) {
    int err = errno;
    rc = err == EEXIST ? LAL_EBUSY : lali_fail_os();
    why(parent, "mkdir %s: %s", path, strerror(err));
    set_controllers(parent, added, '-');
    return rc;
  }
  lal_cgroup *child = NULL;
  char failure[sizeof parent->reason] = "";
  rc = lali_cgroup_open_at(parent->mount, path, parent->hybrid, &child);
  if (rc == LAL_OK && (flags & LAL_CGROUP_THREADED)) {
    rc = write_file(child, "cgroup.type", "threaded");
    if (rc != LAL_OK)
      lali_copy_string(failure, sizeof failure, child->reason);
  }
  if (rc != LAL_OK) { /* all or nothing */
    lal_cgroup_close(child);
    rmdir(dir);
    set_controllers(parent, added, '-');
    lali_copy_string(parent->reason, sizeof parent->reason, failure);
    return rc;
  }
  parent->reason[0] = '\0';
  *out = child;
  return LAL_OK;
}

int lal_cgroup_remove(lal_cgroup *g) {
  if (!g)
    return LAL_EINVAL;
  if (strcmp(g->path, "/") == 0) {
    why(g, "the root group cannot be removed");
    return LAL_EINVAL;
  }
  if (rmdir(g->dir) != 0) {
    int rc = lali_fail_os();
    why(g, "rmdir %s: %s (a group must hold no process and no child)", g->path, strerror(errno));
    return rc;
  }
  free(g);
  return LAL_OK;
}

static int move(lal_cgroup *g, const char *file, int id) {
  if (!g || id < 0)
    return LAL_EINVAL;
  char text[24];
  snprintf(text, sizeof text, "%d", id);
  int rc = write_file(g, file, text);
  if (rc == LAL_ENOTSUP || rc == LAL_EBUSY)
    strncat(g->reason,
            rc == LAL_EBUSY ? " (no-internal-process rule: a group with controllers enabled for "
                              "children cannot hold tasks)"
                            : " (threads move only within one threaded subtree)",
            sizeof g->reason - strlen(g->reason) - 1);
  return rc;
}

int lal_cgroup_move_process(lal_cgroup *g, int pid) {
  return move(g, "cgroup.procs", pid ? pid : (int)getpid());
}

int lal_cgroup_move_thread(lal_cgroup *g, int tid) {
  return move(g, "cgroup.threads", tid ? tid : (int)syscall(SYS_gettid));
}

int lal_cgroup_set_cpus(lal_cgroup *g, const lal_cpuset *cpus) {
  char text[LAL_CPUSET_FORMAT_MAX];
  if (!g || !cpus || lal_cpuset_count(cpus) <= 0 ||
      lal_cpuset_format(cpus, text, sizeof text) != LAL_OK)
    return LAL_EINVAL;
  int rc = need(g, LAL_CGROUP_CPUSET, "cpuset.cpus");
  return rc == LAL_OK ? write_file(g, "cpuset.cpus", text) : rc;
}

int lal_cgroup_set_mems(lal_cgroup *g, const lal_cpuset *nodes) {
  char text[LAL_CPUSET_FORMAT_MAX];
  if (!g || !nodes || lal_cpuset_count(nodes) <= 0 ||
      lal_cpuset_format(nodes, text, sizeof text) != LAL_OK)
    return LAL_EINVAL;
  int rc = need(g, LAL_CGROUP_CPUSET, "cpuset.mems");
  return rc == LAL_OK ? write_file(g, "cpuset.mems", text) : rc;
}

int lal_cgroup_set_partition(lal_cgroup *g, int partition) {
  static const char *const names[] = {"member", "root", "isolated"};
  if (!g || partition < LAL_CGROUP_PARTITION_MEMBER || partition > LAL_CGROUP_PARTITION_ISOLATED)
    return LAL_EINVAL;
  int rc = need(g, LAL_CGROUP_CPUSET, "cpuset.cpus.partition");
  if (rc == LAL_OK)
    rc = write_file(g, "cpuset.cpus.partition", names[partition]);
  if (rc != LAL_OK)
    return rc;
  /* The kernel may take the write and still not make the partition (its
   * CPUs not exclusive, ...): it says so when read back. */
  char text[256], reason[160];
  if ((rc = read_file(g, "cpuset.cpus.partition", text, sizeof text)) != LAL_OK)
    return rc;
  if (lali_cgroup_parse_partition(text, reason, sizeof reason) != partition) {
    why(g, "the kernel made the partition invalid: %s", reason[0] ? reason : text);
    return LAL_EBUSY;
  }
  return LAL_OK;
}

int lal_cgroup_set_cpu_max(lal_cgroup *g, uint64_t quota_us, uint64_t period_us) {
  /* cgroup-v2.rst: period 1 ms..1 s; quota >= 1 ms, or "max". */
  if (!g || period_us < 1000 || period_us > 1000000 ||
      (quota_us != UINT64_MAX && (quota_us < 1000 || quota_us > (UINT64_C(1) << 53))))
    return LAL_EINVAL;
  char text[64];
  if (quota_us == UINT64_MAX)
    snprintf(text, sizeof text, "max %llu", (unsigned long long)period_us);
  else
    snprintf(text, sizeof text, "%llu %llu", (unsigned long long)quota_us,
             (unsigned long long)period_us);
  int rc = need(g, LAL_CGROUP_CPU, "cpu.max");
  return rc == LAL_OK ? write_file(g, "cpu.max", text) : rc;
}

int lal_cgroup_set_cpu_weight(lal_cgroup *g, unsigned weight) {
  if (!g || weight < 1 || weight > 10000)
    return LAL_EINVAL;
  char text[16];
  snprintf(text, sizeof text, "%u", weight);
  int rc = need(g, LAL_CGROUP_CPU, "cpu.weight");
  return rc == LAL_OK ? write_file(g, "cpu.weight", text) : rc;
}

int lal_cgroup_set_uclamp_min(lal_cgroup *g, unsigned hundredths) {
  if (!g || hundredths > 10000)
    return LAL_EINVAL;
  char text[16];
  snprintf(text, sizeof text, "%u.%02u", hundredths / 100, hundredths % 100);
  int rc = need(g, LAL_CGROUP_CPU, "cpu.uclamp.min");
  return rc == LAL_OK ? write_file(g, "cpu.uclamp.min", text) : rc;
}

int lal_cgroup_set_memory(lal_cgroup *g, int which, uint64_t bytes) {
  static const char *const files[] = {"memory.min", "memory.high", "memory.max"};
  if (!g || which < LAL_CGROUP_MEMORY_MIN || which > LAL_CGROUP_MEMORY_MAX)
    return LAL_EINVAL;
  char text[32];
  if (bytes == UINT64_MAX)
    snprintf(text, sizeof text, "max");
  else
    snprintf(text, sizeof text, "%llu", (unsigned long long)bytes);
  int rc = need(g, LAL_CGROUP_MEMORY, files[which]);
  return rc == LAL_OK ? write_file(g, files[which], text) : rc;
}

int lal_cgroup_get_cpu_stat(lal_cgroup *g, lal_cgroup_cpu_stat *stat) {
  if (!g || !LALI_OUT_VALID(stat, lal_cgroup_cpu_stat, throttled_us))
    return LAL_EINVAL;
  char text[2048];
  int rc = read_file(g, "cpu.stat", text, sizeof text);
  if (rc != LAL_OK)
    return rc;
  lal_cgroup_cpu_stat full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  lali_cgroup_parse_cpu_stat(text, &full);
  LALI_OUT_SET(stat, full);
  return LAL_OK;
}

static const char *const psi_names[] = {"cpu", "memory", "io"};

int lal_cgroup_pressure(lal_cgroup *g, int resource, lal_psi *psi) {
  if (!psi || resource < LAL_PSI_CPU || resource > LAL_PSI_IO ||
      !LALI_OUT_VALID(psi, lal_psi, has_full))
    return LAL_EINVAL;
  char text[512], file[32];
  int rc;
  if (g) {
    snprintf(file, sizeof file, "%s.pressure", psi_names[resource]);
    rc = read_file(g, file, text, sizeof text);
  } else {
    snprintf(file, sizeof file, "/proc/pressure/%s", psi_names[resource]);
    rc = lali_linux_read_text(lali_linux_root(), file, text, sizeof text);
    rc = rc < 0 ? rc : LAL_OK;
  }
  if (rc == LAL_ENOENT || rc == LAL_ENOTSUP || rc == LAL_EINVAL)
    return LAL_ENOTSUP; /* no PSI in this kernel (CONFIG_PSI, psi=0) */
  if (rc != LAL_OK)
    return rc;
  lal_psi full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  rc = lali_cgroup_parse_psi(text, &full);
  if (rc == LAL_OK)
    LALI_OUT_SET(psi, full);
  return rc;
}

struct lal_psi_trigger {
  int fd;
};

int lal_psi_trigger_open(lal_cgroup *g, int resource, int full, uint64_t stall_us,
                         uint64_t window_us, lal_psi_trigger **out) {
  /* psi.rst: window 500 ms..10 s, threshold within it. */
  if (!out || resource < LAL_PSI_CPU || resource > LAL_PSI_IO || window_us < 500000 ||
      window_us > 10000000 || stall_us == 0 || stall_us > window_us)
    return LAL_EINVAL;
  char path[1400];
  if (g)
    snprintf(path, sizeof path, "%s/%s.pressure", g->dir, psi_names[resource]);
  else
    snprintf(path, sizeof path, "/proc/pressure/%s", psi_names[resource]);
  lal_psi_trigger *t = malloc(sizeof *t);
  if (!t)
    return LAL_ENOMEM;
  t->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (t->fd < 0) {
    int rc = lali_fail_os();
    free(t);
    return rc == LAL_ENOENT ? LAL_ENOTSUP : rc;
  }
  char text[64];
  snprintf(text, sizeof text, "%s %llu %llu", full ? "full" : "some", (unsigned long long)stall_us,
           (unsigned long long)window_us);
  /* The trigger string is written with its NUL, as psi.rst's example does. */
  if (write(t->fd, text, strlen(text) + 1) < 0) {
    int rc = lali_fail_os();
    if (g)
      why(g,
          "PSI trigger \"%s\" refused: %s (without CAP_SYS_RESOURCE the window must be a "
          "multiple of 2 s)",
          text, strerror(errno));
    close(t->fd);
    free(t);
    return rc;
  }
  *out = t;
  return LAL_OK;
}

int lal_psi_trigger_wait(lal_psi_trigger *t, int timeout_ms) {
  if (!t)
    return LAL_EINVAL;
  struct pollfd p = {.fd = t->fd, .events = POLLPRI};
  for (;;) {
    int n = poll(&p, 1, timeout_ms);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return lali_fail_os();
    if (n == 0)
      return LAL_EAGAIN;
    if (p.revents & POLLERR)
      return LAL_EIO; /* the group was removed */
    return LAL_OK;
  }
}

void lal_psi_trigger_close(lal_psi_trigger *t) {
  if (!t)
    return;
  close(t->fd);
  free(t);
}

/* 0.1 spellings (lal/cgroup.h), until 1.0. */
int lal_cgroup_info_get(const lal_cgroup *group, lal_cgroup_info *info) {
  return lal_cgroup_get_info(group, info);
}

int lal_cgroup_cpu_stat_get(lal_cgroup *group, lal_cgroup_cpu_stat *stat) {
  return lal_cgroup_get_cpu_stat(group, stat);
}
