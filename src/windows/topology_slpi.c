/* SPDX-License-Identifier: MIT */
/*
 * Topology from a GetLogicalProcessorInformationEx(RelationAll) buffer: a
 * sequence of variable-size records ("SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX",
 * each with its own Size). A logical processor is (group, number); lal numbers
 * it group * 64 + number, so machines with processor groups (more than 64
 * logical CPUs, or NUMA nodes that Windows splits) keep distinct numbers.
 * Records name their PUs by GROUP_AFFINITY masks: one per record for caches and
 * NUMA nodes before Windows Server 2022 / Windows 11, GroupCount of them since.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "compat.h"
#include "lal_internal.h"
#include "topology_internal.h"
#include "topology_windows.h"

typedef struct pu_map {
  int index[LAL_CPUSET_MAX]; /* cpu -> its lal_topo_pu in `pus`, -1 if none */
  lal_topo_pu pus[LAL_CPUSET_MAX];
  int npu;
  lal_cpuset active; /* from the RelationGroup record */
  int groups;
  int classes[LALI_TOPO_KINDS_MAX]; /* distinct EfficiencyClass values seen */
  int nclass;
} pu_map;

typedef void (*pu_visit)(lal_topo_pu *pu, int key, uint64_t bytes);

/* Calls visit on every known PU of masks[0..count). */
static int visit_masks(pu_map *m, const GROUP_AFFINITY *masks, int count, pu_visit visit, int key,
                       uint64_t bytes) {
  for (int g = 0; g < count; g++)
    for (int bit = 0; bit < 64; bit++) {
      if (!(masks[g].Mask >> bit & 1))
        continue;
      int cpu = masks[g].Group * 64 + bit;
      if (cpu >= LAL_CPUSET_MAX || m->index[cpu] < 0)
        return LAL_EIO;
      visit(&m->pus[m->index[cpu]], key, bytes);
    }
  return LAL_OK;
}

static void set_package(lal_topo_pu *pu, int key, uint64_t b) { (void)b, pu->package = key; }
static void set_numa(lal_topo_pu *pu, int key, uint64_t b) { (void)b, pu->numa_node = key; }
static void set_l2(lal_topo_pu *pu, int key, uint64_t b) { pu->l2 = key, pu->l2_bytes = b; }
static void set_l3(lal_topo_pu *pu, int key, uint64_t b) { pu->l3 = key, pu->l3_bytes = b; }

static int kind_of_class(pu_map *m, int cls) {
  for (int k = 0; k < m->nclass; k++)
    if (m->classes[k] == cls)
      return k;
  if (m->nclass == LALI_TOPO_KINDS_MAX)
    return -1;
  m->classes[m->nclass] = cls;
  return m->nclass++;
}

/* Walks the records of `type`, calling fn on each. */
typedef int (*record_fn)(pu_map *m, const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, int n);
static int each_record(const void *buf, size_t len, LOGICAL_PROCESSOR_RELATIONSHIP type,
                       record_fn fn, pu_map *m) {
  const char *p = buf, *end = p + len;
  int n = 0;
  while (p < end) {
    const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = (const void *)p;
    size_t head = offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Processor);
    if ((size_t)(end - p) < head || r->Size < head || r->Size > (size_t)(end - p))
      return LAL_EIO;
    if (r->Relationship == type) {
      int rc = fn(m, r, n++);
      if (rc != LAL_OK)
        return rc;
    }
    p += r->Size;
  }
  return LAL_OK;
}

/* A record's GROUP_AFFINITY array must lie inside the record. */
static int masks_fit(const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, const void *masks,
                     int count) {
  return count >= 1 &&
         (const char *)masks + (size_t)count * sizeof(GROUP_AFFINITY) <= (const char *)r + r->Size;
}

static int on_group(pu_map *m, const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, int n) {
  (void)n;
  const GROUP_RELATIONSHIP *g = &r->Group;
  int count = g->ActiveGroupCount;
  if ((const char *)&g->GroupInfo[count] > (const char *)r + r->Size || count * 64 > LAL_CPUSET_MAX)
    return LAL_EIO;
  for (int i = 0; i < count; i++)
    for (int bit = 0; bit < 64; bit++)
      if (g->GroupInfo[i].ActiveProcessorMask >> bit & 1)
        lal_cpuset_set(&m->active, i * 64 + bit);
  m->groups = count;
  return LAL_OK;
}

static int on_core(pu_map *m, const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, int n) {
  const PROCESSOR_RELATIONSHIP *c = &r->Processor;
  if (!masks_fit(r, c->GroupMask, c->GroupCount))
    return LAL_EIO;
  int kind = kind_of_class(m, LAL_PROCESSOR_EFFICIENCY_CLASS(c));
  if (kind < 0)
    return LAL_EIO;
  for (int g = 0; g < c->GroupCount; g++)
    for (int bit = 0; bit < 64; bit++) {
      if (!(c->GroupMask[g].Mask >> bit & 1))
        continue;
      int cpu = c->GroupMask[g].Group * 64 + bit;
      if (cpu >= LAL_CPUSET_MAX || m->index[cpu] >= 0 ||
          (m->groups && !lal_cpuset_isset(&m->active, cpu)))
        return LAL_EIO;
      lal_topo_pu *pu = &m->pus[m->npu];
      memset(pu, 0, sizeof *pu);
      pu->size = sizeof *pu;
      pu->cpu = cpu;
      pu->core = n;
      pu->package = pu->numa_node = pu->l2 = pu->l3 = -1;
      pu->kind = kind;
      m->index[cpu] = m->npu++;
    }
  return LAL_OK;
}

static int on_package(pu_map *m, const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, int n) {
  const PROCESSOR_RELATIONSHIP *c = &r->Processor;
  if (!masks_fit(r, c->GroupMask, c->GroupCount))
    return LAL_EIO;
  return visit_masks(m, c->GroupMask, c->GroupCount, set_package, n, 0);
}

static int on_numa(pu_map *m, const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, int n) {
  (void)n;
  const NUMA_NODE_RELATIONSHIP *node = &r->NumaNode;
  int count = LAL_NUMA_GROUP_COUNT(node) ? LAL_NUMA_GROUP_COUNT(node) : 1;
  if (!masks_fit(r, &node->GroupMask, count))
    return LAL_EIO;
  return visit_masks(m, &node->GroupMask, count, set_numa, (int)node->NodeNumber, 0);
}

static int on_cache(pu_map *m, const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r, int n) {
  const CACHE_RELATIONSHIP *c = &r->Cache;
  if ((c->Level != 2 && c->Level != 3) || c->Type == CacheInstruction || c->Type == CacheTrace)
    return LAL_OK;
  int count = LAL_CACHE_GROUP_COUNT(c) ? LAL_CACHE_GROUP_COUNT(c) : 1;
  if (!masks_fit(r, &c->GroupMask, count))
    return LAL_EIO;
  return visit_masks(m, &c->GroupMask, count, c->Level == 2 ? set_l2 : set_l3, n, c->CacheSize);
}

int lali_win_topology_from_slpi(const void *buffer, size_t len, const lal_cpuset *allowed,
                                const lal_cpuset *affinity, const char *source,
                                lal_topology **out) {
  if (!buffer || !out)
    return LAL_EINVAL;
  pu_map *m = calloc(1, sizeof *m);
  if (!m)
    return LAL_ENOMEM;
  for (int i = 0; i < LAL_CPUSET_MAX; i++)
    m->index[i] = -1;
  int rc = each_record(buffer, len, RelationGroup, on_group, m);
  if (rc == LAL_OK)
    rc = each_record(buffer, len, RelationProcessorCore, on_core, m);
  if (rc == LAL_OK)
    rc = each_record(buffer, len, RelationProcessorPackage, on_package, m);
  if (rc == LAL_OK)
    rc = each_record(buffer, len, RelationNumaNode, on_numa, m);
  /* After the plain records: where a node spans groups, its Ex record names
   * the PUs outside its primary group too. */
  if (rc == LAL_OK)
    rc = each_record(buffer, len, LAL_RELATION_NUMA_NODE_EX, on_numa, m);
  if (rc == LAL_OK)
    rc = each_record(buffer, len, RelationCache, on_cache, m);
  if (rc == LAL_OK && m->npu == 0)
    rc = LAL_EIO;
  if (rc == LAL_OK && m->npu > LAL_CPUSET_MAX)
    rc = LAL_ERANGE; /* more CPUs than a lal_cpuset can name */
  lal_topology *t = rc == LAL_OK ? lali_topology_alloc(m->npu) : NULL;
  if (rc == LAL_OK && !t)
    rc = LAL_ENOMEM;
  /* EfficiencyClass: "a higher value indicates a core that is more
   * performant" (PROCESSOR_RELATIONSHIP); all 0 on non-hybrid machines. */
  for (int k = 0; rc == LAL_OK && k < m->nclass; k++) {
    char name[32];
    snprintf(name, sizeof name, m->nclass > 1 ? "EfficiencyClass %d" : "default", m->classes[k]);
    if (lali_topology_add_kind(t, m->classes[k], name) < 0)
      rc = LAL_EIO;
  }
  for (int i = 0; rc == LAL_OK && i < m->npu; i++)
    rc = lali_topology_add_pu(t, &m->pus[i]);
  lali_topology_sets sets = {allowed, affinity, NULL, NULL, m->groups ? m->groups : 1};
  if (rc == LAL_OK)
    rc = lali_topology_finish(t, &sets, source);
  free(m);
  if (rc != LAL_OK) {
    lal_topology_free(t);
    return rc;
  }
  *out = t;
  return LAL_OK;
}
