/* SPDX-License-Identifier: MIT */
/*
 * Linux topology from /sys alone, for machines (and builds) without hwloc:
 * what a game's players have. It reads what hwloc's Linux backend reads
 * (topology/sysfs.c there), from the kernel's documented files:
 *   /sys/devices/system/cpu/online                     the CPUs
 *   cpuN/topology/physical_package_id, core_cpus_list  package, core
 *     (thread_siblings_list on kernels before 5.7)
 *     (Documentation/ABI/stable/sysfs-devices-system-cpu, admin-guide/cputopology.rst)
 *   cpuN/cache/indexM/{level,type,size,shared_cpu_list} L2 and L3
 *     (Documentation/ABI/testing/sysfs-devices-system-cpu)
 *   /sys/devices/system/node/online, nodeN/cpulist     NUMA nodes (none
 *     without CONFIG_NUMA: then one node, as hwloc says)
 *   cpuN/cpu_capacity                                  arm64 and hybrid x86
 *     capacity (sched-capacity.rst): higher = more performant
 *   /sys/devices/cpu_core/cpus, cpu_atom/cpus, cpu_lowpower/cpus  Intel hybrid
 *     core types, from the perf PMUs the kernel registers per type
 *   cpuN/cpufreq/base_frequency (or acpi_cppc/nominal_freq), cpuinfo_max_freq
 *     the clocks, in kHz (nominal_freq in MHz)
 * and for `allowed`, the cpuset of the process's cgroup
 * (cpuset.cpus.effective, or v1 cpuset.effective_cpus), as hwloc does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"
#include "topology_internal.h"
#include "topology_linux.h"

#define CACHE_INDEXES 10 /* x86 has 4 (L1d, L1i, L2, L3), some arm64 parts 5 */

/* Intel's PMU names, least to most performant (hwloc's CoreType values). */
enum { TYPE_UNKNOWN = 0, TYPE_LOWPOWER = 1, TYPE_ATOM = 2, TYPE_CORE = 3 };
static const char *const type_names[] = {"", "IntelLowPower", "IntelAtom", "IntelCore"};

typedef struct cpu_facts {
  lal_topo_pu pu;   /* raw keys, as lali_topology_add_pu takes them */
  int type;         /* TYPE_* */
  long capacity;    /* cpu_capacity, 0 if absent */
  int base_mhz;     /* base_frequency / nominal_freq in MHz, 0 if unknown */
  int kind_max_mhz; /* cpuinfo_max_freq as kinds compare it (see adjust_max_clocks) */
  int max_mhz;      /* cpuinfo_max_freq in MHz, 0 if unknown */
} cpu_facts;

static int read_cpu_text(const char *root, int cpu, const char *rel, char *buf, size_t size) {
  char path[128];
  snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/%s", cpu, rel);
  return lali_linux_read_text(root, path, buf, size);
}

/* A decimal (optionally negative) integer file; `fallback` if absent or not a number. */
static long read_cpu_long(const char *root, int cpu, const char *rel, long fallback) {
  char text[32], *end;
  if (read_cpu_text(root, cpu, rel, text, sizeof text) <= 0)
    return fallback;
  long v = strtol(text, &end, 10);
  return end == text || (*end && *end != '\n') ? fallback : v;
}

/* The lowest CPU of a cpulist file: the key of the domain it describes. */
static int read_cpu_first(const char *root, int cpu, const char *rel) {
  char text[LAL_CPUSET_FORMAT_MAX];
  lal_cpuset set;
  if (read_cpu_text(root, cpu, rel, text, sizeof text) <= 0 || lal_cpuset_parse(&set, text) != 0)
    return -1;
  return lal_cpuset_first(&set);
}

/* "32768K" -> 33554432 (sysfs cache sizes are in K, M on some arm64). */
static uint64_t parse_size(const char *text) {
  char *end;
  unsigned long long v = strtoull(text, &end, 10);
  if (end == text)
    return 0;
  if (*end == 'K')
    v <<= 10;
  else if (*end == 'M')
    v <<= 20;
  return (uint64_t)v;
}

/* L2 and L3 from cache/indexM: key = the lowest CPU sharing it. */
static void read_caches(const char *root, int cpu, lal_topo_pu *pu) {
  for (int i = 0; i < CACHE_INDEXES; i++) {
    char rel[48], text[32];
    snprintf(rel, sizeof rel, "cache/index%d/level", i);
    long level = read_cpu_long(root, cpu, rel, -1);
    if (level < 0)
      break; /* indexes are dense */
    snprintf(rel, sizeof rel, "cache/index%d/type", i);
    if (level < 2 || level > 3 || read_cpu_text(root, cpu, rel, text, sizeof text) <= 0 ||
        strncmp(text, "Instruction", 11) == 0)
      continue;
    snprintf(rel, sizeof rel, "cache/index%d/shared_cpu_list", i);
    int key = read_cpu_first(root, cpu, rel);
    snprintf(rel, sizeof rel, "cache/index%d/size", i);
    uint64_t bytes = read_cpu_text(root, cpu, rel, text, sizeof text) > 0 ? parse_size(text) : 0;
    *(level == 2 ? &pu->l2 : &pu->l3) = key >= 0 ? key : cpu;
    *(level == 2 ? &pu->l2_bytes : &pu->l3_bytes) = bytes;
  }
}

/* numa[cpu] = its node; every CPU node 0 on a kernel without NUMA. */
static void read_nodes(const char *root, int *numa, int ncpu_max) {
  lal_cpuset nodes;
  if (lali_linux_read_cpulist(root, "/sys/devices/system/node/online", &nodes) != LAL_OK) {
    for (int c = 0; c < ncpu_max; c++)
      numa[c] = 0;
    return;
  }
  for (int n = lal_cpuset_first(&nodes); n >= 0; n = lal_cpuset_next(&nodes, n)) {
    char path[64];
    lal_cpuset cpus;
    snprintf(path, sizeof path, "/sys/devices/system/node/node%d/cpulist", n);
    if (lali_linux_read_cpulist(root, path, &cpus) != LAL_OK)
      continue;
    for (int c = lal_cpuset_first(&cpus); c >= 0 && c < ncpu_max; c = lal_cpuset_next(&cpus, c))
      numa[c] = n;
  }
}

/* The cgroup cpuset the process may use; every online CPU when no cpuset
 * controller is there to say otherwise (then hwloc says the same). */
static void read_allowed(const char *root, const lal_cpuset *online, lal_cpuset *out) {
  char mountinfo[16384], self[4096], mount[512], path[1024], file[1700];
  *out = *online;
  if (lali_linux_read_text(root, "/proc/self/mountinfo", mountinfo, sizeof mountinfo) <= 0 ||
      lali_linux_read_text(root, "/proc/self/cgroup", self, sizeof self) <= 0)
    return;
  int hybrid = 0;
  const char *name = NULL;
  if (lali_cgroup1_find_mount(mountinfo, "cpuset", mount, sizeof mount) == LAL_OK &&
      lali_cgroup1_self_path(self, "cpuset", path, sizeof path) == LAL_OK)
    name = "cpuset.effective_cpus";
  else if (lali_cgroup_find_mount(mountinfo, mount, sizeof mount, &hybrid) == LAL_OK &&
           lali_cgroup_self_path(self, path, sizeof path) == LAL_OK)
    name = "cpuset.cpus.effective";
  if (!name)
    return;
  /* A v2 group without the cpuset controller has no such file: its nearest
   * ancestor that has one decides. */
  for (;;) {
    lal_cpuset set;
    snprintf(file, sizeof file, "%s%s%s/%s", mount, strcmp(path, "/") ? path : "", "", name);
    if (lali_linux_read_cpulist(root, file, &set) == LAL_OK && lal_cpuset_count(&set) > 0) {
      lal_cpuset_and(out, online, &set);
      return;
    }
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) {
      if (strcmp(path, "/") == 0)
        return;
      strcpy(path, "/");
    } else {
      *slash = '\0';
    }
  }
}

static int facts_cmp(const cpu_facts *a, const cpu_facts *b) {
  if (a->type != b->type)
    return a->type < b->type ? -1 : 1;
  if (a->capacity != b->capacity)
    return a->capacity < b->capacity ? -1 : 1;
  if (a->base_mhz != b->base_mhz)
    return a->base_mhz < b->base_mhz ? -1 : 1;
  return (a->kind_max_mhz > b->kind_max_mhz) - (a->kind_max_mhz < b->kind_max_mhz);
}

/* Turbo Boost Max 3.0 (and AMD's preferred cores) give a few cores of one
 * kind a higher maximum. As hwloc does (topology-linux.c,
 * hwloc_linux_cpukinds_adjust_maxfreqs): when every CPU has a base clock,
 * maxima that differ by less than 10 % among CPUs of one base clock count as
 * one, the lowest. Without base clocks the maxima are all there is. */
static void adjust_max_clocks(cpu_facts *f, int n) {
  for (int i = 0; i < n; i++)
    if (f[i].max_mhz && !f[i].base_mhz)
      return;
  for (int i = 0; i < n; i++) {
    int lo = f[i].max_mhz, hi = f[i].max_mhz;
    for (int j = 0; j < n; j++)
      if (f[j].base_mhz == f[i].base_mhz) {
        lo = f[j].max_mhz < lo ? f[j].max_mhz : lo;
        hi = f[j].max_mhz > hi ? f[j].max_mhz : hi;
      }
    if (lo > 0 && (hi - lo) * 10 < lo)
      f[i].kind_max_mhz = lo;
  }
}

/* CPU kinds: CPUs that differ in core type, capacity or clocks, numbered from
 * the least to the most performant as hwloc numbers them. `detail` 2 tells
 * kinds apart by all of these, 1 by type and capacity, 0 not at all (past
 * LALI_TOPO_KINDS_MAX kinds lal keeps the coarser split). */
static int count_kinds(cpu_facts *f, int n, int detail, const cpu_facts **reps) {
  int nk = 0;
  for (int i = 0; i < n; i++) {
    if (detail < 2)
      f[i].base_mhz = f[i].kind_max_mhz = 0;
    if (detail < 1)
      f[i].type = TYPE_UNKNOWN, f[i].capacity = 0;
    int k = 0;
    while (k < nk && facts_cmp(reps[k], &f[i]) != 0)
      k++;
    if (k == nk) {
      if (nk == LALI_TOPO_KINDS_MAX)
        return -1;
      reps[nk++] = &f[i];
    }
  }
  return nk;
}

static int add_kinds(lal_topology *t, cpu_facts *f, int n) {
  const cpu_facts *reps[LALI_TOPO_KINDS_MAX];
  int nk = -1;
  for (int detail = 2; nk < 0; detail--)
    nk = count_kinds(f, n, detail, reps);
  if (nk == 1) {
    int k = lali_topology_add_kind(t, -1, "default");
    for (int i = 0; i < n; i++)
      f[i].pu.kind = k;
    return k < 0 ? LAL_EIO : LAL_OK;
  }
  /* Sort the representatives: efficiency class = rank from the bottom. */
  for (int i = 1; i < nk; i++)
    for (int j = i; j > 0 && facts_cmp(reps[j - 1], reps[j]) > 0; j--) {
      const cpu_facts *tmp = reps[j];
      reps[j] = reps[j - 1];
      reps[j - 1] = tmp;
    }
  /* Kinds that differ in clock alone (an X3D part's two CCDs) are one core
   * type ranked by clock, as hwloc's frequency heuristic says. */
  int by_clock_only = 1;
  for (int k = 1; k < nk; k++)
    if (reps[k]->type != reps[0]->type || reps[k]->capacity != reps[0]->capacity)
      by_clock_only = 0;
  for (int k = 0; k < nk; k++) {
    char name[32];
    /* CPUs with nothing to tell them apart (no type, capacity or clock)
     * among CPUs that have it: hwloc puts them in no kind; lal gives them
     * one, "unknown", ranked after the others. */
    int unknown =
        !reps[k]->type && !reps[k]->capacity && !reps[k]->base_mhz && !reps[k]->kind_max_mhz;
    if (unknown) {
      int k2 = lali_topology_add_kind(t, -1, "unknown");
      if (k2 != k)
        return LAL_EIO;
      lali_topology_kind_set_unknown(t, k);
      for (int i = 0; i < n; i++)
        if (facts_cmp(&f[i], reps[k]) == 0)
          f[i].pu.kind = k;
      continue;
    }
    if (reps[k]->type != TYPE_UNKNOWN)
      lali_copy_string(name, sizeof name, type_names[reps[k]->type]);
    else
      snprintf(name, sizeof name, "kind %d", k);
    if (lali_topology_add_kind(t, k, name) != k)
      return LAL_EIO;
    int max_mhz = 0;
    for (int i = 0; i < n; i++)
      if (facts_cmp(&f[i], reps[k]) == 0) {
        f[i].pu.kind = k;
        if (f[i].max_mhz > max_mhz)
          max_mhz = f[i].max_mhz;
      }
    lali_topology_kind_set_clock(t, k, max_mhz, by_clock_only);
  }
  return LAL_OK;
}

static void read_facts(const char *root, int cpu, const int *numa, const lal_cpuset types[4],
                       cpu_facts *f) {
  *f = (cpu_facts){.pu = {.size = sizeof f->pu, .cpu = cpu}};
  lal_topo_pu *pu = &f->pu;
  pu->package = (int)read_cpu_long(root, cpu, "topology/physical_package_id", -1);
  if (pu->package < -1)
    pu->package = -1; /* "-1" on firmware that does not say */
  pu->core = read_cpu_first(root, cpu, "topology/core_cpus_list");
  if (pu->core < 0)
    pu->core = read_cpu_first(root, cpu, "topology/thread_siblings_list");
  if (pu->core < 0)
    pu->core = cpu;
  pu->l2 = pu->l3 = -1;
  read_caches(root, cpu, pu);
  pu->numa_node = numa[cpu];
  f->type = TYPE_UNKNOWN;
  for (int t = TYPE_LOWPOWER; t <= TYPE_CORE; t++)
    if (lal_cpuset_isset(&types[t], cpu))
      f->type = t;
  f->capacity = read_cpu_long(root, cpu, "cpu_capacity", 0);
  long max_khz = read_cpu_long(root, cpu, "cpufreq/cpuinfo_max_freq", 0);
  /* intel_pstate's base_frequency, else ACPI CPPC's nominal frequency (MHz). */
  long base_khz = read_cpu_long(root, cpu, "cpufreq/base_frequency", 0);
  if (base_khz <= 0)
    base_khz = read_cpu_long(root, cpu, "acpi_cppc/nominal_freq", 0) * 1000;
  f->max_mhz = f->kind_max_mhz = max_khz > 0 ? (int)(max_khz / 1000) : 0;
  f->base_mhz = base_khz > 0 ? (int)(base_khz / 1000) : 0;
}

int lali_linux_topology_sysfs(const char *root, const lal_cpuset *affinity, const char *source,
                              lal_topology **out) {
  if (!root || !source || !out)
    return LAL_EINVAL;
  lal_cpuset online, types[4];
  int rc = lali_linux_read_cpulist(root, "/sys/devices/system/cpu/online", &online);
  if (rc == LAL_ENOENT) /* kernels before 2.6.26 */
    rc = lali_linux_read_cpulist(root, "/sys/devices/system/cpu/present", &online);
  if (rc == LAL_ERANGE)
    return rc; /* a bigger machine than a lal_cpuset holds */
  if (rc != LAL_OK || lal_cpuset_count(&online) == 0)
    return LAL_EIO; /* no /sys, a malformed one, or one that names no CPU */
  for (int t = TYPE_UNKNOWN; t <= TYPE_CORE; t++) {
    char path[64];
    snprintf(path, sizeof path, "/sys/devices/%s/cpus",
             t == TYPE_LOWPOWER ? "cpu_lowpower"
             : t == TYPE_ATOM   ? "cpu_atom"
                                : "cpu_core");
    if (t == TYPE_UNKNOWN || lali_linux_read_cpulist(root, path, &types[t]) != LAL_OK)
      lal_cpuset_zero(&types[t]);
  }

  int n = lal_cpuset_count(&online);
  int *numa = malloc(LAL_CPUSET_MAX * sizeof *numa);
  cpu_facts *f = calloc((size_t)n, sizeof *f);
  lal_topology *t = lali_topology_alloc(n);
  if (!numa || !f || !t) {
    free(numa), free(f), lal_topology_free(t);
    return LAL_ENOMEM;
  }
  for (int c = 0; c < LAL_CPUSET_MAX; c++)
    numa[c] = -1;
  read_nodes(root, numa, LAL_CPUSET_MAX);
  int i = 0;
  for (int c = lal_cpuset_first(&online); c >= 0; c = lal_cpuset_next(&online, c))
    read_facts(root, c, numa, types, &f[i++]);
  adjust_max_clocks(f, n);
  rc = add_kinds(t, f, n);
  for (i = 0; i < n && rc == LAL_OK; i++)
    rc = lali_topology_add_pu(t, &f[i].pu);
  lal_cpuset allowed;
  read_allowed(root, &online, &allowed);
  if (rc == LAL_OK)
    rc = lali_linux_topology_finish(t, root, &allowed, affinity, source);
  free(numa);
  free(f);
  if (rc != LAL_OK) {
    lal_topology_free(t);
    return rc;
  }
  *out = t;
  return LAL_OK;
}
