/* SPDX-License-Identifier: MIT */
/*
 * The topology object and the builder each OS fills it through. Portable: the
 * OS code reports PUs with raw domain keys (hwloc logical indexes, Windows
 * record numbers); lali_topology_finish turns them into the dense indexes of
 * the public API, ranks CPU kinds and computes the summary.
 */
#ifndef LAL_SRC_COMMON_TOPOLOGY_INTERNAL_H
#define LAL_SRC_COMMON_TOPOLOGY_INTERNAL_H

#include "lal.h"

#define LALI_TOPO_KINDS_MAX 8

struct lal_topology {
  int npu;
  int cap;
  lal_topo_pu *pus; /* sorted by cpu once finished */
  int nkind;
  lal_topo_kind kinds[LALI_TOPO_KINDS_MAX];
  /* 1 when a kind's efficiency class only ranks clocks (hwloc's frequency
   * heuristic, no CoreType): two CCDs of one core type, not two core types. */
  int class_from_clock[LALI_TOPO_KINDS_MAX];
  /* 1 for the kind of PUs the OS put in no kind (hwloc: a CPU without
   * cpufreq data among CPUs with it): "unknown", ranked after the others. */
  int unknown[LALI_TOPO_KINDS_MAX];
  lal_topology_info info;
};

/* A new, empty topology for up to max_pus PUs; NULL when out of memory. */
lal_topology *lali_topology_alloc(int max_pus);

/* Adds a PU. pu->core/package/numa_node/l2/l3 hold raw keys (any non-negative
 * number that is equal for PUs sharing the domain, -1 if unknown); pu->kind
 * an index returned by lali_topology_add_kind, or 0. LAL_EIO if full or the
 * CPU number is out of range / repeated. */
int lali_topology_add_pu(lal_topology *topo, const lal_topo_pu *pu);

/* Declares a CPU kind (efficiency_class: higher = more performant, -1 if the
 * OS does not rank); returns its index, or LAL_EIO past LALI_TOPO_KINDS_MAX. */
int lali_topology_add_kind(lal_topology *topo, int efficiency_class, const char *name);
/* Records a kind's top clock in MHz (0 = unknown), used to rank kinds the OS
 * did not rank; class_from_clock: its efficiency class was derived from that
 * clock rather than from the core type. */
void lali_topology_kind_set_clock(lal_topology *topo, int kind, int max_mhz, int class_from_clock);

/* Marks a kind as the PUs no kind describes (see lal_topology.unknown). */
void lali_topology_kind_set_unknown(lal_topology *topo, int kind);

/* The process-specific sets, any of which may be NULL (= every PU for allowed
 * and affinity, none for isolated and nohz_full). */
typedef struct lali_topology_sets {
  const lal_cpuset *allowed;
  const lal_cpuset *affinity;
  const lal_cpuset *isolated;
  const lal_cpuset *nohz_full;
  int groups;
} lali_topology_sets;

/* After lali_topology_finish: marks the CPUs another process holds (RESERVED,
 * dropped from `allowed`) and those allocated to this one (EXCLUSIVE). */
void lali_topology_set_reservations(lal_topology *topo, const lal_cpuset *reserved,
                                    const lal_cpuset *exclusive);

/* Densifies domain indexes, ranks kinds, sets PU flags and the summary.
 * LAL_EIO when no PU was added. */
int lali_topology_finish(lal_topology *topo, const lali_topology_sets *sets, const char *source);

#endif
