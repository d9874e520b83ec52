/* SPDX-License-Identifier: MIT */
/* The topology object: the builder the OS code fills, and the public accessors. */
#include <stdlib.h>
#include <string.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "topology_internal.h"

lal_topology *lali_topology_alloc(int max_pus) {
  if (max_pus < 1 || max_pus > LAL_CPUSET_MAX)
    return NULL;
  lal_topology *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->pus = calloc((size_t)max_pus, sizeof *t->pus);
  if (!t->pus) {
    free(t);
    return NULL;
  }
  t->cap = max_pus;
  return t;
}

int lali_topology_add_pu(lal_topology *topo, const lal_topo_pu *pu) {
  if (topo->npu >= topo->cap || pu->cpu < 0 || pu->cpu >= LAL_CPUSET_MAX ||
      lal_cpuset_isset(&topo->info.all, pu->cpu))
    return LAL_EIO;
  topo->pus[topo->npu] = *pu;
  topo->pus[topo->npu].size = sizeof(lal_topo_pu);
  topo->npu++;
  lal_cpuset_set(&topo->info.all, pu->cpu);
  return LAL_OK;
}

int lali_topology_add_kind(lal_topology *topo, int efficiency_class, const char *name) {
  if (topo->nkind >= LALI_TOPO_KINDS_MAX)
    return LAL_EIO;
  lal_topo_kind *k = &topo->kinds[topo->nkind];
  memset(k, 0, sizeof *k);
  k->size = sizeof *k;
  k->efficiency_class = efficiency_class;
  lali_copy_string(k->name, sizeof k->name, name);
  return topo->nkind++;
}

void lali_topology_kind_set_clock(lal_topology *topo, int kind, int max_mhz, int class_from_clock) {
  if (kind < 0 || kind >= topo->nkind)
    return;
  topo->kinds[kind].max_mhz = max_mhz > 0 ? max_mhz : 0;
  topo->class_from_clock[kind] = class_from_clock != 0;
}

void lali_topology_kind_set_unknown(lal_topology *topo, int kind) {
  if (kind >= 0 && kind < topo->nkind)
    topo->unknown[kind] = 1;
}

static int by_cpu(const void *a, const void *b) {
  return ((const lal_topo_pu *)a)->cpu - ((const lal_topo_pu *)b)->cpu;
}

/* Rewrites one raw-key field of every PU (at byte offset `field`) into dense
 * indexes in order of first appearance; returns how many distinct domains. */
static int densify(lal_topology *t, size_t field) {
  int *raw = malloc((size_t)t->npu * sizeof *raw);
  int n = 0;
  if (!raw)
    return -1;
  for (int i = 0; i < t->npu; i++) {
    int *v = (int *)((char *)&t->pus[i] + field);
    if (*v < 0)
      continue;
    int j = 0;
    while (j < n && raw[j] != *v)
      j++;
    if (j == n)
      raw[n++] = *v;
    *v = j;
  }
  free(raw);
  return n;
}

/* Kinds are ranked by efficiency class, highest first. When the OS did not
 * rank them (any class -1) but says each kind's top clock (hwloc leaves the
 * CCDs of an X3D part unranked, hwloc issue 772, yet their cpufreq maxima
 * differ), the higher clock ranks first. Otherwise every kind gets rank 0:
 * lal does not guess. */
static void rank_kinds(lal_topology *t) {
  int by_class = 1, by_clock = 1, known = 0;
  for (int k = 0; k < t->nkind; k++) {
    if (t->unknown[k])
      continue; /* ranked after every known kind, below */
    known++;
    by_class &= t->kinds[k].efficiency_class >= 0;
    by_clock &= t->kinds[k].max_mhz > 0;
  }
  for (int k = 0; k < t->nkind; k++) {
    int rank = 0;
    if (t->unknown[k]) {
      t->kinds[k].perf_rank = known;
      continue;
    }
    for (int o = 0; o < t->nkind; o++)
      if (t->unknown[o])
        continue;
      else if (by_class)
        rank += t->kinds[o].efficiency_class > t->kinds[k].efficiency_class;
      else if (by_clock)
        rank += t->kinds[o].max_mhz > t->kinds[k].max_mhz;
    t->kinds[k].perf_rank = rank;
  }
}

int lali_topology_finish(lal_topology *t, const lali_topology_sets *sets, const char *source) {
  if (t->npu == 0)
    return LAL_EIO;
  if (t->nkind == 0)
    lali_topology_add_kind(t, -1, "default");
  qsort(t->pus, (size_t)t->npu, sizeof *t->pus, by_cpu);

  lal_topology_info *info = &t->info;
  info->size = sizeof *info;
  if ((info->cores = densify(t, offsetof(lal_topo_pu, core))) < 0 ||
      (info->packages = densify(t, offsetof(lal_topo_pu, package))) < 0 ||
      (info->numa_nodes = densify(t, offsetof(lal_topo_pu, numa_node))) < 0 ||
      (info->l2_domains = densify(t, offsetof(lal_topo_pu, l2))) < 0 ||
      (info->l3_domains = densify(t, offsetof(lal_topo_pu, l3))) < 0)
    return LAL_ENOMEM;
  info->pus = t->npu;
  info->kinds = t->nkind;
  info->groups = sets->groups > 0 ? sets->groups : 1;
  lali_copy_string(info->source, sizeof info->source, source);
  info->game_mode = -1; /* unknown until the Windows loader asks */
  rank_kinds(t);

  for (int i = 0; i < t->npu; i++) {
    lal_topo_pu *pu = &t->pus[i];
    if (pu->kind < 0 || pu->kind >= t->nkind)
      return LAL_EIO;
    int smt = 0; /* PUs of the same core with a lower CPU number */
    for (int j = 0; j < i; j++)
      if (pu->core >= 0 && t->pus[j].core == pu->core)
        smt++;
    pu->smt_index = smt;
    if (smt + 1 > info->smt_max)
      info->smt_max = smt + 1;
    pu->flags = 0;
    if (!sets->allowed || lal_cpuset_isset(sets->allowed, pu->cpu))
      pu->flags |= LAL_TOPO_PU_ALLOWED;
    if (!sets->affinity || lal_cpuset_isset(sets->affinity, pu->cpu))
      pu->flags |= LAL_TOPO_PU_AFFINITY;
    if (sets->isolated && lal_cpuset_isset(sets->isolated, pu->cpu))
      pu->flags |= LAL_TOPO_PU_ISOLATED;
    if (sets->nohz_full && lal_cpuset_isset(sets->nohz_full, pu->cpu))
      pu->flags |= LAL_TOPO_PU_NOHZ_FULL;
    if (pu->flags & LAL_TOPO_PU_ALLOWED)
      lal_cpuset_set(&info->allowed, pu->cpu);
    if (pu->flags & LAL_TOPO_PU_AFFINITY)
      lal_cpuset_set(&info->affinity, pu->cpu);
    if (pu->flags & LAL_TOPO_PU_ISOLATED)
      lal_cpuset_set(&info->isolated, pu->cpu);
    if (pu->flags & LAL_TOPO_PU_NOHZ_FULL)
      lal_cpuset_set(&info->nohz_full, pu->cpu);
    lal_cpuset_set(&t->kinds[pu->kind].cpus, pu->cpu);
    t->kinds[pu->kind].pus++;
  }
  return LAL_OK;
}

void lali_topology_set_reservations(lal_topology *t, const lal_cpuset *reserved,
                                    const lal_cpuset *exclusive) {
  lal_topology_info *info = &t->info;
  lal_cpuset_zero(&info->reserved);
  lal_cpuset_zero(&info->exclusive);
  for (int i = 0; i < t->npu; i++) {
    lal_topo_pu *pu = &t->pus[i];
    if (reserved && lal_cpuset_isset(reserved, pu->cpu)) {
      pu->flags = (pu->flags | LAL_TOPO_PU_RESERVED) & ~LAL_TOPO_PU_ALLOWED;
      lal_cpuset_set(&info->reserved, pu->cpu);
      lal_cpuset_clear(&info->allowed, pu->cpu);
    } else if (exclusive && lal_cpuset_isset(exclusive, pu->cpu)) {
      pu->flags |= LAL_TOPO_PU_EXCLUSIVE;
      lal_cpuset_set(&info->exclusive, pu->cpu);
    }
  }
}

int lal_topology_load(lal_topology **out) {
  if (!out)
    return LAL_EINVAL;
  return lali_os_topology_load(out);
}

void lal_topology_free(lal_topology *topo) {
  if (!topo)
    return;
  free(topo->pus);
  free(topo);
}

int lal_topology_get_info(const lal_topology *topo, lal_topology_info *info) {
  if (!topo || !LALI_OUT_VALID(info, lal_topology_info, source))
    return LAL_EINVAL;
  LALI_OUT_SET(info, topo->info);
  return LAL_OK;
}

int lal_topology_pu(const lal_topology *topo, int index, lal_topo_pu *out) {
  if (!topo || !LALI_OUT_VALID(out, lal_topo_pu, l3_bytes))
    return LAL_EINVAL;
  if (index < 0 || index >= topo->npu)
    return LAL_ERANGE;
  LALI_OUT_SET(out, topo->pus[index]);
  return LAL_OK;
}

int lal_topology_pu_of_cpu(const lal_topology *topo, int cpu, lal_topo_pu *out) {
  /* The output struct is checked before anything is looked up, so a bad
   * struct is LAL_EINVAL whatever the cpu (one precedence everywhere). */
  if (!topo || !LALI_OUT_VALID(out, lal_topo_pu, l3_bytes))
    return LAL_EINVAL;
  if (cpu < 0 || cpu >= LAL_CPUSET_MAX)
    return LAL_ERANGE;
  for (int i = 0; i < topo->npu; i++)
    if (topo->pus[i].cpu == cpu)
      return lal_topology_pu(topo, i, out);
  return LAL_ENOENT;
}

int lal_topology_kind(const lal_topology *topo, int index, lal_topo_kind *out) {
  if (!topo || !LALI_OUT_VALID(out, lal_topo_kind, cpus))
    return LAL_EINVAL;
  if (index < 0 || index >= topo->nkind)
    return LAL_ERANGE;
  LALI_OUT_SET(out, topo->kinds[index]);
  return LAL_OK;
}

/* The domain index of pu in `domain`, for the selector below. */
static int domain_of(const lal_topo_pu *pu, lal_topo_domain domain) {
  switch (domain) {
  case LAL_TOPO_CORE:
    return pu->core;
  case LAL_TOPO_PACKAGE:
    return pu->package;
  case LAL_TOPO_NUMA:
    return pu->numa_node;
  case LAL_TOPO_L2:
    return pu->l2;
  case LAL_TOPO_L3:
    return pu->l3;
  case LAL_TOPO_KIND:
    return pu->kind;
  }
  return -1;
}

int lal_topology_domain_cpus(const lal_topology *topo, lal_topo_domain domain, int index,
                             lal_cpuset *out) {
  if (!topo || !out || (unsigned)domain > LAL_TOPO_KIND)
    return LAL_EINVAL;
  lal_cpuset set;
  lal_cpuset_zero(&set);
  for (int i = 0; i < topo->npu; i++)
    if (domain_of(&topo->pus[i], domain) == index)
      lal_cpuset_set(&set, topo->pus[i].cpu);
  if (index < 0 || lal_cpuset_count(&set) == 0)
    return LAL_ERANGE;
  *out = set;
  return LAL_OK;
}
