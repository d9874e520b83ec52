/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor` on Linux. Every check reads files under `root` (the prefix of
 * /proc and /sys), never the live system directly, so the same code runs on
 * recorded trees (tests/data/machines, made by its capture.sh). The cgroup
 * findings use lal/cgroup.h's parsers (find the cgroup2 mount and the
 * caller's group, cpu.stat, PSI).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "doctor.h"
#include "doctor_linux.h"
#include "lal.h"
#include "linux/procfs.h"

/* set as a cpulist that fits in buf[size] (the 160-byte finding value holds
 * more than this): the list itself, or its count and its start cut at a
 * comma ("1024 CPUs: 0,2,4,..."). Never leaves buf unset. */
static void cpu_list_text(const lal_cpuset *set, char *buf, size_t size) {
  char full[LAL_CPUSET_FORMAT_MAX];
  if (lal_cpuset_format(set, full, sizeof full) != LAL_OK)
    full[0] = '\0';
  if (strlen(full) < size) {
    snprintf(buf, size, "%s", full);
    return;
  }
  int n = snprintf(buf, size, "%d CPUs: ", lal_cpuset_count(set));
  size_t room = n > 0 && (size_t)n + 4 < size ? size - (size_t)n - 4 : 0;
  size_t cut = room;
  while (cut > 0 && full[cut] != ',')
    cut--;
  snprintf(buf + n, size - (size_t)n, "%.*s...", (int)cut, full);
}

int dl_rd(ctx *c, const char *path) {
  int n = lali_linux_read_text(c->root, path, c->text, sizeof c->text);
  if (n < 0) {
    c->text[0] = '\0';
    return 0;
  }
  while (n > 0 && (c->text[n - 1] == '\n' || c->text[n - 1] == ' '))
    c->text[--n] = '\0';
  return 1;
}

finding *dl_add(ctx *c, const char *check, doctor_status st, const char *why) {
  return doctor_add(&c->list, check, st, why);
}

/* The value of `key=` on the kernel command line into buf; 1 if present. */
static int cmdline_arg(const ctx *c, const char *key, char *buf, size_t size) {
  size_t n = strlen(key);
  for (const char *p = c->cmdline; (p = strstr(p, key)) != NULL; p += n)
    if ((p == c->cmdline || p[-1] == ' ') && (p[n] == '=' || p[n] == ' ' || p[n] == '\0')) {
      const char *v = p[n] == '=' ? p + n + 1 : p + n;
      size_t len = strcspn(v, " ");
      if (buf && size) {
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, v, k);
        buf[k] = '\0';
      }
      return 1;
    }
  return 0;
}

/* CPU numbers N of sys/devices/system/cpu/cpuN under root. */
static int cpu_dirs(ctx *c, int *cpus, int max) {
  char path[512];
  snprintf(path, sizeof path, "%s/sys/devices/system/cpu", c->root);
  DIR *d = opendir(path);
  int n = 0;
  if (!d)
    return 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < max)
    if (strncmp(e->d_name, "cpu", 3) == 0 && e->d_name[3] >= '0' && e->d_name[3] <= '9')
      cpus[n++] = atoi(e->d_name + 3);
  closedir(d);
  return n;
}

static void check_governor(ctx *c) {
  static const char why[] = "ondemand/powersave/schedutil ramp the clock up only after load "
                            "appears: the first milliseconds of a burst run slow";
  int cpus[LAL_CPUSET_MAX], n = cpu_dirs(c, cpus, LAL_CPUSET_MAX), seen = 0;
  char first[64] = "";
  lal_cpuset slow;
  lal_cpuset_zero(&slow);
  for (int i = 0; i < n; i++) {
    char path[96];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpus[i]);
    if (!dl_rd(c, path))
      continue;
    seen++;
    if (strcmp(c->text, "performance") != 0) {
      lal_cpuset_set(&slow, cpus[i]);
      if (!first[0])
        snprintf(first, sizeof first, "%s", c->text);
    }
  }
  if (!seen) {
    snprintf(dl_add(c, "cpufreq_governor", DOCTOR_NA, why)->value, 160,
             "no cpufreq driver (fixed frequency, or a VM)");
    return;
  }
  char list[96];
  cpu_list_text(&slow, list, sizeof list);
  finding *f =
      dl_add(c, "cpufreq_governor", lal_cpuset_count(&slow) ? DOCTOR_WARN : DOCTOR_OK, why);
  if (lal_cpuset_count(&slow)) {
    snprintf(f->value, sizeof f->value, "%s on CPUs %s", first, list);
    snprintf(f->fix, sizeof f->fix, "cpupower frequency-set -g performance");
  } else {
    snprintf(f->value, sizeof f->value, "performance on all %d CPUs", seen);
  }
}

static void check_cstates(ctx *c) {
  static const char why[] = "waking a core from a deep C-state takes tens to hundreds of "
                            "microseconds, added to every wake-up that finds it asleep";
  char driver[64] = "";
  if (dl_rd(c, "/sys/devices/system/cpu/cpuidle/current_driver"))
    snprintf(driver, sizeof driver, "%s", c->text);
  char maxc[32] = "";
  int limited = cmdline_arg(c, "intel_idle.max_cstate", maxc, sizeof maxc) ||
                cmdline_arg(c, "processor.max_cstate", maxc, sizeof maxc);
  int worst = -1;
  char worst_name[32] = "";
  for (int s = 0; s < 16; s++) {
    char path[96];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cpuidle/state%d/latency", s);
    if (!dl_rd(c, path))
      break;
    int lat = atoi(c->text);
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cpuidle/state%d/disable", s);
    if (dl_rd(c, path) && atoi(c->text) == 1)
      continue;
    if (lat > worst) {
      worst = lat;
      snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cpuidle/state%d/name", s);
      snprintf(worst_name, sizeof worst_name, "%s", dl_rd(c, path) ? c->text : "?");
    }
  }
  if (!driver[0] || strcmp(driver, "none") == 0 || worst < 0) {
    snprintf(dl_add(c, "cstates", DOCTOR_NA, why)->value, 160, "no cpuidle driver%s%s",
             limited ? ", max_cstate=" : "", limited ? maxc : "");
    return;
  }
  /* cpuidle-haltpoll (a KVM guest): its halt state declares a 1 us exit
   * latency, but a halt is a VM exit and the wake-up waits for the host to
   * run the vCPU again. The governor polls up to guest_halt_poll_ns first
   * (Documentation/virt/guest-halt-polling.rst); at 0 it never polls. */
  long poll_ns = -1;
  if (strcmp(driver, "haltpoll") == 0 &&
      dl_rd(c, "/sys/module/haltpoll/parameters/guest_halt_poll_ns"))
    poll_ns = atol(c->text);
  int halts = poll_ns == 0;
  finding *f = dl_add(c, "cstates", worst > 10 || halts ? DOCTOR_WARN : DOCTOR_OK, why);
  char poll[64] = "";
  if (poll_ns >= 0)
    snprintf(poll, sizeof poll,
             poll_ns ? "; polls up to %ld us before halting"
                     : "; halt polling off (guest_halt_poll_ns=0)",
             poll_ns / 1000);
  snprintf(f->value, sizeof f->value, "%s: deepest enabled %s, exit latency %d us%s%s%s", driver,
           worst_name, worst, limited ? ", max_cstate=" : "", limited ? maxc : "", poll);
  if (halts)
    snprintf(f->fix, sizeof f->fix,
             "hold /dev/cpu_dma_latency at 0 while the latency threads run (idle CPUs then poll), "
             "or set /sys/module/haltpoll/parameters/guest_halt_poll_ns above their sleep period "
             "(2000000 for 1 ms)");
  else if (worst > 10)
    snprintf(f->fix, sizeof f->fix,
             "kernel command line intel_idle.max_cstate=1 processor.max_cstate=1, or hold "
             "/dev/cpu_dma_latency at 0 while running");
}

static void check_smt(ctx *c) {
  static const char why[] = "SMT siblings share one core's execution units and caches: a busy "
                            "sibling is jitter for a latency-critical thread";
  if (!dl_rd(c, "/sys/devices/system/cpu/smt/control")) {
    snprintf(dl_add(c, "smt", DOCTOR_NA, why)->value, 160, "unknown (no smt/control)");
    return;
  }
  int on = strcmp(c->text, "on") == 0;
  int na = strcmp(c->text, "notsupported") == 0 || strcmp(c->text, "notimplemented") == 0;
  finding *f = dl_add(c, "smt", na ? DOCTOR_NA : on ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%s", c->text);
  if (on)
    snprintf(f->fix, sizeof f->fix,
             "place with LAL_PLACE_ONE_PER_CORE and keep siblings idle, or: echo off > "
             "/sys/devices/system/cpu/smt/control");
}

static void check_isolation(ctx *c) {
  static const char why[] = "without isolcpus/nohz_full/rcu_nocbs the scheduler tick, RCU "
                            "callbacks and other tasks interrupt every CPU";
  char iso[128] = "", nohz[128] = "", rcu[128] = "";
  int has_iso = cmdline_arg(c, "isolcpus", iso, sizeof iso);
  int has_nohz = cmdline_arg(c, "nohz_full", nohz, sizeof nohz);
  int has_rcu = cmdline_arg(c, "rcu_nocbs", rcu, sizeof rcu);
  lal_cpuset_zero(&c->isolated);
  if (dl_rd(c, "/sys/devices/system/cpu/isolated") && c->text[0])
    lal_cpuset_parse(&c->isolated, c->text);
  int all = has_iso && has_nohz && has_rcu;
  finding *f = dl_add(c, "cpu_isolation", all ? DOCTOR_OK : DOCTOR_WARN, why);
  char list[64];
  cpu_list_text(&c->isolated, list, sizeof list);
  snprintf(f->value, sizeof f->value, "isolated %s; isolcpus=%s nohz_full=%s rcu_nocbs=%s",
           list[0] ? list : "none", has_iso ? iso : "-", has_nohz ? nohz : "-",
           has_rcu ? rcu : "-");
  if (!all)
    snprintf(f->fix, sizeof f->fix,
             "kernel command line isolcpus=managed_irq,domain,N-M nohz_full=N-M rcu_nocbs=N-M "
             "for the CPUs of the latency threads");
}

static void check_irqs(ctx *c) {
  static const char why[] = "an interrupt handled on an isolated CPU preempts the thread "
                            "placed there";
  if (lal_cpuset_count(&c->isolated) == 0) {
    snprintf(dl_add(c, "irq_affinity", DOCTOR_NA, why)->value, 160, "no isolated CPUs");
    return;
  }
  char path[512];
  snprintf(path, sizeof path, "%s/proc/irq", c->root);
  DIR *d = opendir(path);
  int total = 0, hitting = 0;
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9')
        continue;
      char file[96];
      snprintf(file, sizeof file, "/proc/irq/%.16s/smp_affinity_list", e->d_name);
      lal_cpuset aff;
      if (!dl_rd(c, file) || lal_cpuset_parse(&aff, c->text) != LAL_OK)
        continue;
      total++;
      lal_cpuset_and(&aff, &aff, &c->isolated);
      hitting += lal_cpuset_count(&aff) > 0;
    }
    closedir(d);
  }
  finding *f = dl_add(c, "irq_affinity", hitting ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%d of %d IRQs may run on isolated CPUs", hitting, total);
  if (hitting)
    snprintf(f->fix, sizeof f->fix,
             "write the housekeeping CPUs to /proc/irq/*/smp_affinity_list (isolcpus=managed_irq "
             "covers managed IRQs)");
}

static void check_irqbalance(ctx *c) {
  static const char why[] = "irqbalance moves interrupts every 10 s, possibly onto isolated "
                            "CPUs unless told which to avoid";
  char path[512];
  snprintf(path, sizeof path, "%s/proc", c->root);
  DIR *d = opendir(path);
  int running = 0;
  if (d) {
    struct dirent *e;
    while (!running && (e = readdir(d)) != NULL) {
      if (e->d_name[0] < '1' || e->d_name[0] > '9')
        continue;
      char file[64];
      snprintf(file, sizeof file, "/proc/%.16s/comm", e->d_name);
      running = dl_rd(c, file) && strcmp(c->text, "irqbalance") == 0;
    }
    closedir(d);
  }
  int iso = lal_cpuset_count(&c->isolated) > 0;
  finding *f = dl_add(c, "irqbalance", running && iso ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%s", running ? "running" : "not running");
  if (running && iso)
    snprintf(f->fix, sizeof f->fix,
             "IRQBALANCE_BANNED_CPULIST=<isolated CPUs> in /etc/default/irqbalance, or stop it");
}

static void check_thp(ctx *c) {
  char mode[32] = "";
  static const char why_en[] = "THP \"always\" lets khugepaged and page faults compact memory "
                               "under any allocation: millisecond stalls";
  static const char why_df[] = "defrag \"always\" makes a faulting thread compact memory "
                               "synchronously before it gets its page";
  if (!dl_rd(c, "/sys/kernel/mm/transparent_hugepage/enabled") ||
      lali_linux_bracketed_choice(c->text, mode, sizeof mode) != 0) {
    snprintf(dl_add(c, "thp_enabled", DOCTOR_NA, why_en)->value, 160, "no THP in this kernel");
  } else {
    finding *f =
        dl_add(c, "thp_enabled", strcmp(mode, "always") == 0 ? DOCTOR_WARN : DOCTOR_OK, why_en);
    snprintf(f->value, sizeof f->value, "%s", mode);
    if (f->status == DOCTOR_WARN)
      snprintf(f->fix, sizeof f->fix,
               "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled (lal asks for THP "
               "with MADV_HUGEPAGE)");
  }
  if (!dl_rd(c, "/sys/kernel/mm/transparent_hugepage/defrag") ||
      lali_linux_bracketed_choice(c->text, mode, sizeof mode) != 0)
    return;
  finding *f =
      dl_add(c, "thp_defrag", strcmp(mode, "always") == 0 ? DOCTOR_WARN : DOCTOR_OK, why_df);
  snprintf(f->value, sizeof f->value, "%s", mode);
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "echo defer+madvise > /sys/kernel/mm/transparent_hugepage/defrag");
}

static void check_hugepages(ctx *c) {
  static const char why[] = "LAL_PAGE_LARGE needs reserved hugetlb pages; without them it falls "
                            "back to THP, which the kernel may not grant";
  dl_rd(c, "/proc/meminfo");
  uint64_t total = lali_linux_meminfo_value(c->text, "HugePages_Total");
  uint64_t free_pages = lali_linux_meminfo_value(c->text, "HugePages_Free");
  uint64_t size = lali_linux_meminfo_value(c->text, "Hugepagesize");
  finding *f = dl_add(c, "hugepages", total ? DOCTOR_OK : DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "%llu of %llu free (%llu KiB pages)",
           (unsigned long long)free_pages, (unsigned long long)total,
           (unsigned long long)(size >> 10));
  if (!total)
    snprintf(f->fix, sizeof f->fix, "sysctl -w vm.nr_hugepages=<2 MiB pages the app maps>");
}

static void check_rt_throttling(ctx *c) {
  static const char why[] = "with sched_rt_runtime_us below the period, a SCHED_FIFO thread "
                            "that keeps the CPU is stopped for the rest of each second";
  if (!dl_rd(c, "/proc/sys/kernel/sched_rt_runtime_us")) {
    snprintf(dl_add(c, "rt_throttling", DOCTOR_NA, why)->value, 160, "unknown");
    return;
  }
  long v = atol(c->text);
  finding *f = dl_add(c, "rt_throttling", v < 0 ? DOCTOR_OK : DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "sched_rt_runtime_us=%ld%s", v,
           v < 0 ? " (off)" : " (RT tasks get at most this much of each second)");
  if (v >= 0)
    snprintf(f->fix, sizeof f->fix,
             "sysctl -w kernel.sched_rt_runtime_us=-1 (only if no RT thread can spin forever)");
}

static void check_rlimits(ctx *c) {
  int cap_nice = (int)(c->cap_eff >> LALI_CAP_SYS_NICE & 1),
      cap_lock = (int)(c->cap_eff >> LALI_CAP_IPC_LOCK & 1);
  if (!c->has_limits)
    return;
  int64_t rt = c->rtprio, lock = c->memlock;
  finding *f = dl_add(c, "rlimit_rtprio", rt != 0 || cap_nice ? DOCTOR_OK : DOCTOR_WARN,
                      "without RLIMIT_RTPRIO (or CAP_SYS_NICE) AUDIO/REALTIME profiles degrade to "
                      "nice levels");
  if (rt == -1)
    snprintf(f->value, sizeof f->value, "unlimited");
  else
    snprintf(f->value, sizeof f->value, "%lld%s", (long long)rt,
             cap_nice ? " (CAP_SYS_NICE held)" : "");
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "/etc/security/limits.d/99-realtime.conf: @audio - rtprio 95 (and add the user "
             "to audio)");
  f = dl_add(c, "rlimit_memlock",
             lock == -1 || lock >= (64ll << 20) || cap_lock ? DOCTOR_OK : DOCTOR_WARN,
             "lal_mem_lock_all and LAL_MEM_LOCK fail beyond RLIMIT_MEMLOCK without CAP_IPC_LOCK");
  if (lock == -1)
    snprintf(f->value, sizeof f->value, "unlimited");
  else
    snprintf(f->value, sizeof f->value, "%lld KiB%s", (long long)(lock / 1024),
             cap_lock ? " (CAP_IPC_LOCK held)" : "");
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "/etc/security/limits.d/99-realtime.conf: @audio - memlock unlimited");
}

static void check_timer_slack(ctx *c) {
  static const char why[] = "every sleep of a thread may wake up to its timer slack late "
                            "(50 us by default) so the kernel can batch wake-ups";
  if (!dl_rd(c, "/proc/self/timerslack_ns")) {
    snprintf(dl_add(c, "timer_slack", DOCTOR_NA, why)->value, 160, "unknown (kernel < 4.6)");
    return;
  }
  long v = atol(c->text);
  finding *f = dl_add(c, "timer_slack", v > 1000 ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%ld ns (inherited by new threads)", v);
  if (v > 1000)
    snprintf(f->fix, sizeof f->fix,
             "lal_timer_slack_set(1, NULL) in each latency thread (SCHED_FIFO threads have none)");
}

static void check_clocksource(ctx *c) {
  static const char why[] = "a clocksource other than the TSC makes clock_gettime slower "
                            "(or a syscall); tsc=unstable marks the TSC untrusted";
  char src[64] = "unknown", tsc[32] = "";
  if (dl_rd(c, "/sys/devices/system/clocksource/clocksource0/current_clocksource"))
    snprintf(src, sizeof src, "%s", c->text);
  /* the last tsc= wins, as the kernel parses them in order */
  for (const char *p = c->cmdline; (p = strstr(p, "tsc=")) != NULL; p += 4)
    if (p == c->cmdline || p[-1] == ' ')
      snprintf(tsc, sizeof tsc, "%.*s", (int)strcspn(p + 4, " "), p + 4);
  int unstable = strcmp(tsc, "unstable") == 0;
  finding *f =
      dl_add(c, "clocksource", strcmp(src, "tsc") == 0 && !unstable ? DOCTOR_OK : DOCTOR_WARN, why);
  snprintf(f->value, sizeof f->value, "%s%s%s", src, tsc[0] ? ", tsc=" : "", tsc);
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "if `lal info` shows the TSC invariant and in sync: kernel command line "
             "clocksource=tsc tsc=reliable");
}

static void check_preemption(ctx *c) {
  static const char why[] = "without full preemption a wake-up waits until the running kernel "
                            "code reaches a preemption point";
  int rt = dl_rd(c, "/sys/kernel/realtime") && atoi(c->text) == 1;
  char version[256] = "", preempt[32] = "";
  if (dl_rd(c, "/proc/sys/kernel/version"))
    snprintf(version, sizeof version, "%s", c->text);
  int has_arg = cmdline_arg(c, "preempt", preempt, sizeof preempt);
  doctor_status st;
  const char *model;
  if (rt || strstr(version, "PREEMPT_RT")) {
    st = DOCTOR_OK, model = "PREEMPT_RT";
  } else if (strstr(version, "PREEMPT_DYNAMIC")) {
    st = has_arg && strcmp(preempt, "full") == 0 ? DOCTOR_OK : DOCTOR_WARN;
    model = "PREEMPT_DYNAMIC";
  } else if (strstr(version, "PREEMPT")) {
    st = DOCTOR_OK, model = "PREEMPT";
  } else {
    st = DOCTOR_WARN, model = "none (voluntary or server)";
  }
  finding *f = dl_add(c, "preemption", st, why);
  snprintf(f->value, sizeof f->value, "%s%s%s", model, has_arg ? ", preempt=" : "",
           has_arg ? preempt : "");
  if (st == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             strstr(version, "PREEMPT_DYNAMIC") ? "kernel command line preempt=full"
                                                : "a PREEMPT_RT or PREEMPT_DYNAMIC kernel with "
                                                  "preempt=full");
}

static void check_mitigations(ctx *c) {
  static const char why[] = "speculation mitigations add cost to every syscall, context switch "
                            "and VM exit";
  char path[512];
  snprintf(path, sizeof path, "%s/sys/devices/system/cpu/vulnerabilities", c->root);
  DIR *d = opendir(path);
  int mitigated = 0, vulnerable = 0, total = 0;
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.')
        continue;
      char file[128];
      snprintf(file, sizeof file, "/sys/devices/system/cpu/vulnerabilities/%.64s", e->d_name);
      if (!dl_rd(c, file))
        continue;
      total++;
      mitigated += strncmp(c->text, "Mitigation", 10) == 0;
      vulnerable += strncmp(c->text, "Vulnerable", 10) == 0;
    }
    closedir(d);
  }
  char arg[64] = "";
  int off = cmdline_arg(c, "mitigations", arg, sizeof arg) && strcmp(arg, "off") == 0;
  if (!total) {
    snprintf(dl_add(c, "cpu_mitigations", DOCTOR_NA, why)->value, 160, "not reported");
    return;
  }
  finding *f = dl_add(c, "cpu_mitigations", mitigated && !off ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%d mitigated, %d vulnerable of %d%s", mitigated, vulnerable,
           total, off ? " (mitigations=off)" : "");
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "only where the threat model allows it: kernel command line mitigations=off");
}

static void check_swap(ctx *c) {
  static const char why[] = "a page swapped out faults back in from disk: milliseconds, unless "
                            "the process locks its memory";
  int devices = 0;
  if (dl_rd(c, "/proc/swaps"))
    for (const char *p = strchr(c->text, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
      devices++;
  dl_rd(c, "/proc/meminfo");
  uint64_t total = lali_linux_meminfo_value(c->text, "SwapTotal");
  uint64_t used = total - lali_linux_meminfo_value(c->text, "SwapFree");
  doctor_status st = !devices ? DOCTOR_OK : used ? DOCTOR_FAIL : DOCTOR_WARN;
  finding *f = dl_add(c, "swap", st, why);
  if (!devices)
    snprintf(f->value, sizeof f->value, "no swap");
  else
    snprintf(f->value, sizeof f->value, "%d device(s), %llu MiB in use of %llu MiB", devices,
             (unsigned long long)(used >> 20), (unsigned long long)(total >> 20));
  if (st != DOCTOR_OK)
    snprintf(f->fix, sizeof f->fix,
             "lal_mem_lock_all(LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE), "
             "or swapoff -a");
}

/* The directory of the caller's cgroup2 group under root, via lal/cgroup.h's parsers. */
static int cgroup2_dir(ctx *c, char *dir, size_t size) {
  char mount[256], path[512];
  int hybrid;
  if (!dl_rd(c, "/proc/self/mountinfo") ||
      lali_cgroup_find_mount(c->text, mount, sizeof mount, &hybrid) != LAL_OK ||
      !lali_cgroup_path_valid(mount) || !dl_rd(c, "/proc/self/cgroup") ||
      lali_cgroup_self_path(c->text, path, sizeof path) != LAL_OK)
    return 0; /* self_path refuses "..": nothing is read from outside the root */
  snprintf(dir, size, "%s%s", mount, strcmp(path, "/") ? path : "");
  return 1;
}

int dl_cgroup1_cpu_dir(ctx *c, char *dir, size_t size) {
  char mount[256], path[512];
  if (!dl_rd(c, "/proc/self/mountinfo") ||
      lali_cgroup1_find_mount(c->text, "cpu", mount, sizeof mount) != LAL_OK ||
      !lali_cgroup_path_valid(mount) || !dl_rd(c, "/proc/self/cgroup") ||
      lali_cgroup1_self_path(c->text, "cpu", path, sizeof path) != LAL_OK)
    return 0; /* a path with ".." is refused: nothing is read from outside the root */
  snprintf(dir, size, "%s%s", mount, strcmp(path, "/") ? path : "");
  return 1;
}

static void check_cgroup_version(ctx *c) {
  static const char why[] = "on a hybrid v1/v2 host the cgroup2 hierarchy has no cpu, cpuset "
                            "or memory controller: lal/cgroup.h can group and move threads and "
                            "read PSI there, not limit or isolate them";
  char mount[256];
  int hybrid = 0;
  int v2 = dl_rd(c, "/proc/self/mountinfo") &&
           lali_cgroup_find_mount(c->text, mount, sizeof mount, &hybrid) == LAL_OK;
  finding *f = dl_add(c, "cgroup_version", v2 && !hybrid ? DOCTOR_OK : DOCTOR_WARN, why);
  char controllers[256] = "";
  if (v2) {
    char file[300];
    snprintf(file, sizeof file, "%s/cgroup.controllers", mount);
    if (dl_rd(c, file))
      snprintf(controllers, sizeof controllers, "%s", c->text);
  }
  if (!v2)
    snprintf(f->value, sizeof f->value, "cgroup v1 only");
  else
    snprintf(f->value, sizeof f->value, "%s: cgroup2 at %s (controllers: %s)",
             hybrid ? "hybrid" : "unified", mount, controllers[0] ? controllers : "none");
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             "boot with systemd.unified_cgroup_hierarchy=1 (cgroup_no_v1=all) for a pure v2 host");
}

static void check_cgroup(ctx *c) {
  static const char why_q[] = "a CPU quota (cpu.max / cfs_quota_us) stops every thread of the "
                              "group for the rest of the period once it is used up";
  static const char why_t[] = "throttled periods are latency spikes that already happened";
  char dir[800], file[900], quota[64] = "";
  lal_cgroup_cpu_stat st;
  memset(&st, 0, sizeof st);
  int have_stat = 0;
  if (cgroup2_dir(c, dir, sizeof dir)) {
    snprintf(file, sizeof file, "%s/cpu.max", dir);
    unsigned long long q = 0, period = 100000;
    if (dl_rd(c, file) && strncmp(c->text, "max", 3) != 0 &&
        sscanf(c->text, "%llu %llu", &q, &period) >= 1 && period)
      snprintf(quota, sizeof quota, "cpu.max %llu/%llu us (%.2f CPUs)", q, period,
               (double)q / (double)period);
    snprintf(file, sizeof file, "%s/cpu.stat", dir);
    if (dl_rd(c, file)) {
      lali_cgroup_parse_cpu_stat(c->text, &st);
      have_stat = st.throttling_known;
    }
  }
  char v1[800];
  if (!quota[0] && dl_cgroup1_cpu_dir(c, v1, sizeof v1)) {
    snprintf(file, sizeof file, "%s/cpu.cfs_quota_us", v1);
    long q = dl_rd(c, file) ? atol(c->text) : -1;
    snprintf(file, sizeof file, "%s/cpu.cfs_period_us", v1);
    long period = dl_rd(c, file) ? atol(c->text) : 100000;
    if (q > 0 && period > 0)
      snprintf(quota, sizeof quota, "cfs_quota_us %ld/%ld us (%.2f CPUs)", q, period,
               (double)q / (double)period);
    snprintf(file, sizeof file, "%s/cpu.stat", v1);
    if (!have_stat && dl_rd(c, file)) { /* v1 uses the same keys */
      lali_cgroup_parse_cpu_stat(c->text, &st);
      have_stat = st.throttling_known;
    }
  }
  finding *f = dl_add(c, "cgroup_cpu_quota", quota[0] ? DOCTOR_WARN : DOCTOR_OK, why_q);
  snprintf(f->value, sizeof f->value, "%s", quota[0] ? quota : "no quota");
  if (quota[0])
    snprintf(f->fix, sizeof f->fix,
             "raise or remove the quota (docker --cpus, systemd CPUQuota=, cpu.max \"max\")");
  if (!have_stat) {
    snprintf(dl_add(c, "cgroup_throttling", DOCTOR_NA, why_t)->value, 160,
             "no throttling counters (no cpu controller for this group)");
    return;
  }
  f = dl_add(c, "cgroup_throttling", st.nr_throttled ? DOCTOR_FAIL : DOCTOR_OK, why_t);
  snprintf(f->value, sizeof f->value, "throttled in %llu of %llu periods",
           (unsigned long long)st.nr_throttled, (unsigned long long)st.nr_periods);
  if (st.nr_throttled)
    snprintf(f->fix, sizeof f->fix, "raise the group's CPU quota or pin its threads to fewer CPUs");
}

static void check_psi(ctx *c) {
  static const char *const names[] = {"psi_cpu", "psi_memory", "psi_io"};
  static const char *const files[] = {"/proc/pressure/cpu", "/proc/pressure/memory",
                                      "/proc/pressure/io"};
  static const char why[] = "pressure stall information: the share of time runnable tasks "
                            "waited for CPU, memory or I/O over the last minute";
  for (int r = 0; r < 3; r++) {
    lal_psi psi;
    memset(&psi, 0, sizeof psi);
    if (!dl_rd(c, files[r]) || lali_cgroup_parse_psi(c->text, &psi) != LAL_OK) {
      snprintf(dl_add(c, names[r], DOCTOR_NA, why)->value, 160, "no PSI (CONFIG_PSI, psi=1)");
      continue;
    }
    double some = psi.some.avg60;
    doctor_status st = some >= 20.0 ? DOCTOR_FAIL : some >= 5.0 ? DOCTOR_WARN : DOCTOR_OK;
    finding *f = dl_add(c, names[r], st, why);
    snprintf(f->value, sizeof f->value, "some avg10 %.2f%% avg60 %.2f%%, full avg60 %.2f%%",
             psi.some.avg10, some, psi.full.avg60);
    if (st != DOCTOR_OK)
      snprintf(f->fix, sizeof f->fix,
               "find the competing load (e.g. `top`, per-cgroup "
               "*.pressure) or give the latency threads isolated CPUs");
  }
}

static void check_virtualization(ctx *c) {
  static const char why[] = "in a VM, timers and IPIs go through the hypervisor and vCPUs can "
                            "be descheduled by the host: tails the guest cannot remove";
  int vm = dl_rd(c, "/proc/cpuinfo") && strstr(c->text, " hypervisor") != NULL;
  /* The same rule as lal_query_caps' `container` (src/linux/system.c). */
  char container[32];
  lali_linux_container_from(c->root, container, sizeof container);
  finding *f = dl_add(c, "virtualization", vm || container[0] ? DOCTOR_WARN : DOCTOR_OK, why);
  snprintf(f->value, sizeof f->value, "%s%s%s%s",
           vm ? "virtual machine (CPUID hypervisor flag)" : "bare metal",
           container[0] ? "; container (" : "", container, container[0] ? ")" : "");
  if (f->status == DOCTOR_WARN)
    snprintf(f->fix, sizeof f->fix,
             vm ? "pin vCPUs on the host and use dedicated cores, or run on bare metal"
                : "give the container dedicated CPUs (cpuset) and no CPU quota");
}

int doctor_run_opts(const doctor_opts *o, finding *out, int max) {
  ctx *c = calloc(1, sizeof *c);
  if (!c)
    return 0;
  c->root = o->root;
  c->memlock_need = o->memlock_need;
  c->list = (doctor_list){out, 0, max};
  if (dl_rd(c, "/proc/cmdline"))
    snprintf(c->cmdline, sizeof c->cmdline, "%s", c->text);
  if (dl_rd(c, "/proc/self/status"))
    c->cap_eff = lali_linux_status_cap_eff(c->text);
  c->rtprio = c->rttime = c->memlock = -2;
  if ((c->has_limits = dl_rd(c, "/proc/self/limits")) != 0) {
    c->rtprio = lali_linux_limit_soft(c->text, "Max realtime priority");
    c->rttime = lali_linux_limit_soft(c->text, "Max realtime timeout");
    c->memlock = lali_linux_limit_soft(c->text, "Max locked memory");
  }
  check_governor(c);
  check_cstates(c);
  check_smt(c);
  check_isolation(c);
  check_irqs(c);
  check_irqbalance(c);
  check_thp(c);
  check_hugepages(c);
  check_rt_throttling(c);
  check_rlimits(c);
  check_timer_slack(c);
  check_clocksource(c);
  check_preemption(c);
  check_mitigations(c);
  check_swap(c);
  check_cgroup_version(c);
  check_cgroup(c);
  check_psi(c);
  check_virtualization(c);
  dl_check_sandbox(c);
  int n = c->list.n;
  free(c);
  return n;
}
