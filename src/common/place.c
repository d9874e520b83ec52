/* SPDX-License-Identifier: MIT */
/*
 * lal_place: choosing CPUs for N latency-critical threads on a loaded
 * topology. Pure computation, the same on every OS.
 *
 * The unit of placement is a core (its candidate PUs in SMT order): threads
 * fill distinct cores before any SMT sibling, because two busy threads on
 * siblings share one core's execution units and caches and each sees the
 * other as jitter. Cores keep their topology order, so placements are
 * deterministic and neighbouring threads share caches where the machine does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lal_internal.h"
#include "topology_internal.h"

#define UNIT_PUS_MAX 8 /* SMT width kept per core (POWER has 8) */

#define PLACE_SAME_ANY (LAL_PLACE_SAME_L3 | LAL_PLACE_SAME_NUMA | LAL_PLACE_SAME_PACKAGE)
#define PLACE_KNOWN_FLAGS                                                                          \
  (LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_FAST_ONLY | PLACE_SAME_ANY)

typedef struct unit {
  int core;    /* dense core index, or -1 - PU index for a PU of unknown core */
  int order;   /* position in topology order */
  int tainted; /* shares its core with an excluded PU */
  int rank;    /* perf_rank of its kind */
  int domain;  /* its L3 / NUMA node / package for SAME_* requests */
  int npu;
  int cpus[UNIT_PUS_MAX];
} unit;

typedef struct plan {
  unit *units;
  int nunits;
  int per_core; /* PUs a unit may give: 1 with ONE_PER_CORE */
} plan;

static int unit_capacity(const plan *p, const unit *u) {
  return u->npu < p->per_core ? u->npu : p->per_core;
}

static int domain_field(const lal_topo_pu *pu, unsigned flags) {
  if (flags & LAL_PLACE_SAME_L3)
    return pu->l3;
  if (flags & LAL_PLACE_SAME_NUMA)
    return pu->numa_node;
  if (flags & LAL_PLACE_SAME_PACKAGE)
    return pu->package;
  return 0;
}

static const char *domain_name(unsigned flags) {
  if (flags & LAL_PLACE_SAME_L3)
    return "L3 domain";
  if (flags & LAL_PLACE_SAME_NUMA)
    return "NUMA node";
  return "package";
}

/* 1 if a PU of `core` is in `excluded` (NULL: none). */
static int core_excluded(const lal_topology *t, int core, const lal_cpuset *excluded) {
  if (!excluded)
    return 0;
  for (int i = 0; i < t->npu; i++)
    if (t->pus[i].core == core && lal_cpuset_isset(excluded, t->pus[i].cpu))
      return 1;
  return 0;
}

/* Groups the candidate PUs into units, one per core, in core order. A core
 * with an excluded PU (say CPU 0, taking interrupts) is "tainted": its sibling
 * shares the core with exactly what the caller wanted to avoid. With
 * ONE_PER_CORE it is no candidate; otherwise it comes after clean cores. */
static int build_units(const lal_topology *t, const lal_cpuset *cand, unsigned flags,
                       const lal_cpuset *excluded, plan *p) {
  p->units = calloc((size_t)t->npu, sizeof *p->units);
  if (!p->units)
    return LAL_ENOMEM;
  for (int i = 0; i < t->npu; i++) {
    const lal_topo_pu *pu = &t->pus[i];
    if (!lal_cpuset_isset(cand, pu->cpu))
      continue;
    int tainted = pu->core >= 0 && core_excluded(t, pu->core, excluded);
    if (tainted && (flags & LAL_PLACE_ONE_PER_CORE))
      continue;
    int key = pu->core >= 0 ? pu->core : -1 - i;
    unit *u = NULL;
    for (int j = 0; j < p->nunits && !u; j++)
      if (p->units[j].core == key)
        u = &p->units[j];
    if (!u) {
      u = &p->units[p->nunits++];
      u->core = key;
      u->order = p->nunits - 1;
      u->rank = t->kinds[pu->kind].perf_rank;
      u->domain = domain_field(pu, flags);
      u->tainted = tainted;
    }
    if (u->npu < UNIT_PUS_MAX)
      u->cpus[u->npu++] = pu->cpu; /* PUs come in CPU order = SMT order */
  }
  return LAL_OK;
}

/* Fastest kind first when asked, then clean cores before tainted ones, then
 * topology order (qsort is not stable, `order` makes it so). */
static int by_preference(const void *a, const void *b) {
  const unit *x = a, *y = b;
  if (x->rank != y->rank)
    return x->rank - y->rank;
  if (x->tainted != y->tainted)
    return x->tainted - y->tainted;
  return x->order - y->order;
}
static int by_cleanliness(const void *a, const void *b) {
  const unit *x = a, *y = b;
  if (x->tainted != y->tainted)
    return x->tainted - y->tainted;
  return x->order - y->order;
}

/* Keeps only the units for which keep(u) holds, in order. */
static void filter_units(plan *p, int (*keep)(const unit *, int), int arg) {
  int n = 0;
  for (int i = 0; i < p->nunits; i++)
    if (keep(&p->units[i], arg))
      p->units[n++] = p->units[i];
  p->nunits = n;
}
static int rank_is(const unit *u, int rank) { return u->rank == rank; }
static int domain_is(const unit *u, int domain) { return u->domain == domain; }

static int total_capacity(const plan *p) {
  int cap = 0;
  for (int i = 0; i < p->nunits; i++)
    cap += unit_capacity(p, &p->units[i]);
  return cap;
}

/* Picks the domain for a SAME_* request: one that holds `threads`, with the
 * most fast-kind capacity (counted up to `threads`), then the lowest index. -1 if none does;
 * *largest then gets the best capacity seen and *largest_domain its index. */
static int choose_domain(const plan *p, int threads, int *largest, int *largest_domain) {
  int best = -1, best_fast = -1, best_clean = -1;
  int min_rank = p->nunits ? p->units[0].rank : 0;
  for (int i = 0; i < p->nunits; i++)
    if (p->units[i].rank < min_rank)
      min_rank = p->units[i].rank;
  *largest = 0;
  *largest_domain = -1;
  for (int i = 0; i < p->nunits; i++) {
    int d = p->units[i].domain, seen = 0;
    for (int j = 0; j < i && !seen; j++)
      seen = p->units[j].domain == d;
    if (seen)
      continue;
    int cap = 0, fast = 0, clean = 0;
    for (int j = i; j < p->nunits; j++)
      if (p->units[j].domain == d) {
        int c = unit_capacity(p, &p->units[j]);
        cap += c;
        fast += p->units[j].rank == min_rank ? c : 0;
        clean += p->units[j].tainted ? 0 : c;
      }
    if (cap > *largest) {
      *largest = cap;
      *largest_domain = d;
    }
    /* More fast or clean capacity than the request needs is no better. */
    fast = fast < threads ? fast : threads;
    clean = clean < threads ? clean : threads;
    if (cap >= threads && (fast > best_fast || (fast == best_fast && clean > best_clean) ||
                           (fast == best_fast && clean == best_clean && d < best))) {
      best = d;
      best_fast = fast;
      best_clean = clean;
    }
  }
  return best;
}

static int place(const lal_topology *t, const lal_place_req *req, lal_cpuset out[],
                 lal_place_result *r) {
  const lal_topology_info *info = &t->info;
  lal_cpuset cand = req->within ? *req->within : info->affinity;
  lal_cpuset_and(&cand, &cand, &info->allowed);
  if (req->exclude)
    lal_cpuset_andnot(&cand, &cand, req->exclude);

  plan p = {.per_core = req->flags & LAL_PLACE_ONE_PER_CORE ? 1 : UNIT_PUS_MAX};
  int rc = build_units(t, &cand, req->flags, req->exclude, &p);
  if (rc != LAL_OK)
    return rc;
  const char *what = req->flags & LAL_PLACE_ONE_PER_CORE ? "cores" : "CPUs";
  qsort(p.units, (size_t)p.nunits, sizeof *p.units,
        req->flags & (LAL_PLACE_PREFER_FAST | LAL_PLACE_FAST_ONLY) ? by_preference
                                                                   : by_cleanliness);
  if ((req->flags & LAL_PLACE_FAST_ONLY) && p.nunits > 0)
    filter_units(&p, rank_is, p.units[0].rank);

  int threads = req->threads;
  if (total_capacity(&p) < threads) {
    rc = LAL_ERANGE;
    if (r)
      snprintf(r->reason, sizeof r->reason, "%d threads need %d %s%s; the candidates offer %d",
               threads, threads, req->flags & LAL_PLACE_FAST_ONLY ? "fastest-kind " : "", what,
               total_capacity(&p));
    goto out;
  }
  if (req->flags & PLACE_SAME_ANY) {
    int largest, largest_domain;
    int d = choose_domain(&p, threads, &largest, &largest_domain);
    if (d < 0) {
      rc = LAL_ERANGE;
      if (r)
        snprintf(r->reason, sizeof r->reason,
                 "no single %s holds %d threads (%s): the largest offers %d (%s %d)",
                 domain_name(req->flags), threads, what, largest, domain_name(req->flags),
                 largest_domain);
      goto out;
    }
    filter_units(&p, domain_is, d);
    if (r)
      r->domain = d;
  }

  /* Round k gives each unit its k-th PU: distinct cores first. */
  lal_cpuset cores_used;
  lal_cpuset_zero(&cores_used);
  int placed = 0;
  for (int round = 0; placed < threads; round++)
    for (int i = 0; i < p.nunits && placed < threads; i++)
      if (round < unit_capacity(&p, &p.units[i])) {
        lal_cpuset_zero(&out[placed]);
        lal_cpuset_set(&out[placed], p.units[i].cpus[round]);
        placed++;
        if (round == 0 && r)
          r->cores_used++;
      }
  rc = LAL_OK;
out:
  free(p.units);
  return rc;
}

int lal_place(const lal_topology *topo, const lal_place_req *req, lal_cpuset out[],
              lal_place_result *result) {
  lal_place_req loaded = LAL_PLACE_REQ_INIT;
  if (!topo || !req || !out ||
      lal__input_struct_load(&loaded, sizeof loaded, req, LAL__INPUT_MIN(lal_place_req, threads)) !=
          LAL_OK)
    return LAL_EINVAL;
  req = &loaded; /* from here on, only the loaded copy is read */
  if (req->threads < 1 || req->threads > LAL_CPUSET_MAX || (req->flags & ~PLACE_KNOWN_FLAGS))
    return LAL_EINVAL;
  unsigned same = req->flags & PLACE_SAME_ANY;
  if (same & (same - 1))
    return LAL_EINVAL; /* more than one SAME_* */
  if (result && (result->size < LAL__OFFSETOF_END(lal_place_result, reason) ||
                 result->size > LAL__STRUCT_SIZE_MAX))
    return LAL_EINVAL;

  lal_place_result full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  full.domain = -1;
  /* Place into a scratch array so that a failure leaves out[] untouched. */
  lal_cpuset *scratch = malloc((size_t)req->threads * sizeof *scratch);
  if (!scratch)
    return LAL_ENOMEM;
  int rc = place(topo, req, scratch, &full);
  if (rc == LAL_OK)
    memcpy(out, scratch, (size_t)req->threads * sizeof *scratch);
  free(scratch);
  if (result)
    lal__copy_sized_result(result, result->size, &full, sizeof full);
  return rc;
}
