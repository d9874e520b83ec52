/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor` on Linux: why a realtime, locking or io_uring request fails
 * inside a container or sandbox, where the usual limits look generous and
 * the refusal comes from elsewhere: a cgroup's RT budget, a seccomp filter, a
 * sysctl, RLIMIT_RTTIME, a missing rtkit, Flatpak. Files under the root
 * prefix only, like every check (recorded trees in tests/data/machines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctor_linux.h"
#include "linux/procfs.h"

/* 1 if root + path exists (a socket or a file nobody may read counts). */
static int exists(const ctx *c, const char *path) {
  char full[1024];
  snprintf(full, sizeof full, "%s%s", c->root, path);
  return access(full, F_OK) == 0;
}

/* The number after "\n<key>:" in c->text, or -1. */
static long long status_field(const ctx *c, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\n%s:", key);
  const char *p = strstr(c->text, pattern);
  if (!p && strncmp(c->text, pattern + 1, strlen(pattern) - 1) == 0)
    p = c->text - 1; /* the first line */
  if (!p)
    return -1;
  p += strlen(pattern);
  while (*p == ' ' || *p == '\t')
    p++;
  return *p >= '0' && *p <= '9' ? atoll(p) : -1;
}

/* cgroup v1 with CONFIG_RT_GROUP_SCHED: a group's RT budget. */
static void check_rt_budget(ctx *c) {
  static const char why[] =
      "under CONFIG_RT_GROUP_SCHED a cgroup v1 cpu group has its own RT budget, 0 by default "
      "for new groups (systemd user slices, Docker): every SCHED_FIFO/RR request from it "
      "fails with EPERM, even as root";
  char dir[768], path[800];
  if (!dl_cgroup1_cpu_dir(c, dir, sizeof dir)) {
    snprintf(dl_add(c, "rt_budget", DOCTOR_OK, why)->value, 160,
             "no cgroup v1 cpu controller: only kernel.sched_rt_runtime_us applies");
    return;
  }
  snprintf(path, sizeof path, "%s/cpu.rt_runtime_us", dir);
  if (!dl_rd(c, path)) {
    snprintf(dl_add(c, "rt_budget", DOCTOR_OK, why)->value, 160,
             "no cpu.rt_runtime_us: the kernel has no RT group scheduling");
    return;
  }
  long long v = atoll(c->text);
  finding *f = dl_add(c, "rt_budget", v == 0 ? DOCTOR_FAIL : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "cpu.rt_runtime_us=%lld in %.100s", v, dir);
  if (v == 0)
    snprintf(f->fix, sizeof f->fix,
             "give the group a budget: echo 950000 > %.120s/cpu.rt_runtime_us (its parents "
             "first); Docker: --cpu-rt-runtime=950000",
             dir);
}

static void check_seccomp(ctx *c) {
  static const char why[] =
      "a container's or sandbox's seccomp filter can refuse sched_setattr, mlockall or "
      "io_uring_setup with EPERM, which then looks like a missing privilege";
  long long mode = dl_rd(c, "/proc/self/status") ? status_field(c, "Seccomp") : -1;
  if (mode < 0) {
    snprintf(dl_add(c, "seccomp", DOCTOR_NA, why)->value, 160, "unknown (no Seccomp line)");
    return;
  }
  long long filters = status_field(c, "Seccomp_filters");
  finding *f = dl_add(c, "seccomp", mode == 0 ? DOCTOR_OK : DOCTOR_WARN, why);
  if (mode == 0)
    snprintf(f->value, sizeof f->value, "none");
  else if (mode == 1)
    snprintf(f->value, sizeof f->value, "strict mode");
  else
    snprintf(f->value, sizeof f->value, "filter mode (%lld filter%s)", filters < 0 ? 1 : filters,
             filters == 1 || filters < 0 ? "" : "s");
  if (mode != 0)
    snprintf(f->fix, sizeof f->fix,
             "run with a profile allowing sched_setattr, mlock/mlockall and io_uring_setup "
             "(docker: --security-opt seccomp=PROFILE.json)");
}

static void check_io_uring(ctx *c) {
  static const char why[] =
      "kernel.io_uring_disabled (6.6+) switches io_uring off for everyone (2) or for all but "
      "kernel.io_uring_group (1): lal's uring module then gets EPERM";
  if (!dl_rd(c, "/proc/sys/kernel/io_uring_disabled")) {
    snprintf(dl_add(c, "io_uring", DOCTOR_NA, why)->value, 160,
             "no io_uring_disabled (a kernel before 6.6): no sysctl switch");
    return;
  }
  long v = atol(c->text);
  finding *f = dl_add(c, "io_uring", v == 0 ? DOCTOR_OK : DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "io_uring_disabled=%ld%s", v,
           v == 0   ? " (enabled)"
           : v == 1 ? " (only kernel.io_uring_group may create rings)"
                    : " (disabled)");
  if (v != 0)
    snprintf(f->fix, sizeof f->fix,
             "sysctl -w kernel.io_uring_disabled=0, or add the user to the group named by "
             "kernel.io_uring_group");
}

static void check_rlimit_rttime(ctx *c) {
  static const char why[] =
      "RLIMIT_RTTIME bounds the CPU a realtime thread may use without blocking: past the "
      "soft limit it gets SIGXCPU, past the hard limit SIGKILL (rtkit requires one)";
  long long v = c->rttime;
  if (v == -2) {
    snprintf(dl_add(c, "rlimit_rttime", DOCTOR_NA, why)->value, 160, "not reported");
    return;
  }
  /* A periodic audio or frame thread blocks every period: a limit below
   * 10 ms kills one that merely overruns a frame. */
  finding *f = dl_add(c, "rlimit_rttime", v >= 0 && v < 10000 ? DOCTOR_WARN : DOCTOR_OK, why);
  if (v == -1)
    snprintf(f->value, sizeof f->value,
             "unlimited (a runaway RT thread is stopped only by "
             "RT throttling)");
  else
    snprintf(f->value, sizeof f->value, "%lld us without blocking, then SIGXCPU", v);
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "ulimit -r is not it: raise RLIMIT_RTTIME (prlimit "
             "--rttime=200000) or block more often");
}

/* rtkit is the unprivileged path to realtime (lal's priority chain): the
 * system bus must be up and the daemon installed. Whether it answers needs a
 * D-Bus call, which a recorded tree cannot replay: lal info shows the step
 * each profile obtained. */
static void check_rtkit(ctx *c) {
  static const char why[] =
      "without CAP_SYS_NICE or RLIMIT_RTPRIO, realtime comes from rtkit over the system bus "
      "(or the Realtime portal in Flatpak); without either AUDIO/REALTIME fall to the slice "
      "hint and nice";
  int direct = (c->cap_eff >> LALI_CAP_SYS_NICE & 1) || c->rtprio == -1 || c->rtprio > 0;
  if (!direct && exists(c, "/.flatpak-info")) {
    snprintf(dl_add(c, "rtkit", DOCTOR_NA, why)->value, 160,
             "in Flatpak: the Realtime portal asks the host's rtkit (see flatpak)");
    return;
  }
  int bus = exists(c, "/run/dbus/system_bus_socket");
  int daemon =
      exists(c, "/usr/share/dbus-1/system-services/org.freedesktop.RealtimeKit1.service") ||
      exists(c, "/usr/libexec/rtkit-daemon");
  finding *f = dl_add(c, "rtkit", direct || (bus && daemon) ? DOCTOR_OK : DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "%s; system bus %s, rtkit %s",
           direct ? "not needed (realtime granted directly)" : "needed", bus ? "up" : "absent",
           daemon ? "installed" : "not installed");
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "apt install rtkit (with dbus running), or grant RLIMIT_RTPRIO: "
             "/etc/security/limits.d/99-realtime.conf: @audio - rtprio 95");
}

static void check_flatpak(ctx *c) {
  static const char why[] =
      "inside Flatpak realtime comes only through the xdg Realtime portal, /proc/sys and "
      "cgroups are read-only and the sandbox's seccomp filter applies";
  if (!exists(c, "/.flatpak-info")) {
    snprintf(dl_add(c, "flatpak", DOCTOR_OK, why)->value, 160, "not in a Flatpak sandbox");
    return;
  }
  char app[96] = "";
  if (dl_rd(c, "/.flatpak-info")) {
    const char *n = strstr(c->text, "\nname=");
    if (n)
      snprintf(app, sizeof app, "%.*s", (int)strcspn(n + 6, "\n"), n + 6);
  }
  finding *f = dl_add(c, "flatpak", DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "in Flatpak%s%s", app[0] ? ": " : "", app);
  snprintf(f->fix, sizeof f->fix,
           "run xdg-desktop-portal 1.16+ and rtkit on the host (the Realtime portal forwards "
           "to rtkit)");
}

static void size_text(uint64_t bytes, char *buf, size_t size) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
    snprintf(buf, size, "%llu GiB", (unsigned long long)(bytes >> 30));
  else if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
    snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes >> 20));
  else
    snprintf(buf, size, "%llu KiB", (unsigned long long)((bytes + 1023) >> 10));
}

/* The app's locked set (--memlock) against RLIMIT_MEMLOCK: beyond it,
 * without CAP_IPC_LOCK, mlock/mlockall fail (getrlimit(2)). In a container
 * the limit comes from the runtime, not limits.conf. */
static void check_memlock_budget(ctx *c) {
  static const char why[] = "lal_mem_lock_all and LAL_MEM_LOCK fail (or, with FALLBACK, "
                            "leave memory pageable) once the locked set passes RLIMIT_MEMLOCK";
  if (!c->memlock_need)
    return; /* not stated: rlimit_memlock reports the limit alone */
  int64_t limit = c->memlock;
  char need[32], have[32];
  size_text(c->memlock_need, need, sizeof need);
  if (limit == -2) {
    snprintf(dl_add(c, "memlock_budget", DOCTOR_NA, why)->value, 160,
             "need %s; RLIMIT_MEMLOCK unknown (no /proc/self/limits)", need);
    return;
  }
  int cap = (int)(c->cap_eff >> LALI_CAP_IPC_LOCK & 1);
  int fits = cap || limit == -1 || (uint64_t)limit >= c->memlock_need;
  finding *f = dl_add(c, "memlock_budget", fits ? DOCTOR_OK : DOCTOR_FAIL, why);
  if (limit == -1)
    snprintf(have, sizeof have, "unlimited");
  else
    size_text((uint64_t)limit, have, sizeof have);
  snprintf(f->value, sizeof f->value, "need %s; RLIMIT_MEMLOCK %s%s", need, have,
           cap ? " (CAP_IPC_LOCK held: no limit)" : "");
  if (fits)
    return;
  char container[32];
  lali_linux_container_from(c->root, container, sizeof container);
  unsigned long long kib = (c->memlock_need + 1023) >> 10;
  if (container[0])
    snprintf(f->fix, sizeof f->fix,
             "start the container with --ulimit memlock=%llu:%llu (docker/podman), or "
             "LimitMEMLOCK= in the unit that runs it",
             (unsigned long long)c->memlock_need, (unsigned long long)c->memlock_need);
  else
    snprintf(f->fix, sizeof f->fix,
             "/etc/security/limits.d/99-realtime.conf: @audio - memlock %llu (KiB; then log in "
             "again), or LimitMEMLOCK=%llu in a systemd unit",
             kib, (unsigned long long)c->memlock_need);
}

void dl_check_sandbox(ctx *c) {
  check_rt_budget(c);
  check_seccomp(c);
  check_io_uring(c);
  check_rlimit_rttime(c);
  check_rtkit(c);
  check_flatpak(c);
  check_memlock_budget(c);
}
