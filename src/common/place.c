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
  (LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_FAST_ONLY | PLACE_SAME_ANY |         \
   LAL_PLACE_PREFER_CACHE | LAL_PLACE_BEST_EFFORT | LAL_PLACE_EXCLUSIVE)

typedef struct unit {
  int core;    /* dense core index, or -1 - PU index for a PU of unknown core */
  int order;   /* position in topology order */
  int tainted; /* shares its core with an excluded PU */
  int rank;    /* perf_rank of its kind */
  int type;    /* rank of its kind's core type (efficiency class), 0 if unranked */
  int pref;    /* 1 if in the most preferred class (for choosing a SAME_* domain) */
  uint64_t l3_bytes;
  int domain; /* its L3 / NUMA node / package for SAME_* requests */
  int npu;
  int cpus[UNIT_PUS_MAX];
} unit;

typedef struct plan {
  unit *units;
  int nunits;
  int per_core; /* PUs a unit may give: 1 with ONE_PER_CORE */
  unsigned flags;
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

/* The rank of a kind's core type: how many kinds the OS says are more
 * performant (hwloc CoreType kinds, Windows EfficiencyClass). Kinds that only
 * differ in clock (no class, or one hwloc derived from the clock: an X3D
 * part's two CCDs) are one type. */
static int core_type_rank(const lal_topology *t, int kind) {
  int rank = 0;
  if (t->unknown[kind])
    return t->nkind; /* PUs the OS put in no kind: after every known type */
  for (int k = 0; k < t->nkind; k++) {
    if (t->unknown[k])
      continue;
    if (t->kinds[k].efficiency_class < 0 || t->class_from_clock[k])
      return 0;
    rank += t->kinds[k].efficiency_class > t->kinds[kind].efficiency_class;
  }
  return rank;
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
      u->type = core_type_rank(t, pu->kind);
      u->l3_bytes = pu->l3_bytes;
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
/* PREFER_CACHE: the faster core type first, so a dense-core cluster with its
 * own L3 is never taken for a cache die; then the largest L3; then speed. */
static int by_cache(const void *a, const void *b) {
  const unit *x = a, *y = b;
  if (x->type != y->type)
    return x->type - y->type;
  if (x->l3_bytes != y->l3_bytes)
    return x->l3_bytes > y->l3_bytes ? -1 : 1;
  return by_preference(a, b);
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
 * most preferred capacity (fastest kind, or largest L3 with PREFER_CACHE) (counted up to
 * `threads`), then the lowest index. -1 if none does; *largest then gets the best capacity seen and
 * *largest_domain its index. */
static int choose_domain(const plan *p, int threads, int *largest, int *largest_domain) {
  int best = -1, best_fast = -1, best_clean = -1;
  *largest = 0;
  *largest_domain = -1;
  for (int i = 0; i < p->nunits; i++) {
    int d = p->units[i].domain, seen = d < 0; /* no such domain (LP E-cores have no L3) */
    for (int j = 0; j < i && !seen; j++)
      seen = p->units[j].domain == d;
    if (seen)
      continue;
    int cap = 0, fast = 0, clean = 0;
    for (int j = i; j < p->nunits; j++)
      if (p->units[j].domain == d) {
        int c = unit_capacity(p, &p->units[j]);
        cap += c;
        fast += p->units[j].pref ? c : 0;
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

/* Marks the units of the most preferred class: with PREFER_CACHE the best
 * core type and the largest L3 within it (units are then sorted by exactly
 * that, so the first one is in the class); otherwise the fastest kind. */
static void mark_preferred(plan *p) {
  if (p->nunits == 0)
    return;
  const unit *best = &p->units[0];
  int fastest = best->rank;
  for (int i = 0; i < p->nunits; i++)
    fastest = p->units[i].rank < fastest ? p->units[i].rank : fastest;
  for (int i = 0; i < p->nunits; i++) {
    unit *u = &p->units[i];
    if (p->flags & LAL_PLACE_PREFER_CACHE)
      u->pref = u->type == best->type && u->l3_bytes == best->l3_bytes;
    else
      u->pref = u->rank == fastest;
  }
}

/* Candidates: (within, or the process affinity) & allowed & ~exclude, and
 * & exclusive with LAL_PLACE_EXCLUSIVE. */
static void candidates(const lal_topology *t, const lal_place_req *req, lal_cpuset *cand) {
  *cand = req->within ? *req->within : t->info.affinity;
  lal_cpuset_and(cand, cand, &t->info.allowed);
  if (req->flags & LAL_PLACE_EXCLUSIVE)
    lal_cpuset_and(cand, cand, &t->info.exclusive);
  if (req->exclude)
    lal_cpuset_andnot(cand, cand, req->exclude);
}

/* One attempt with `flags` (the request's, or relaxed ones). share_pus: when
 * the candidates hold fewer PUs than threads, give them out round-robin. */
static int place(const lal_topology *t, const lal_place_req *req, unsigned flags, int share_pus,
                 lal_cpuset out[], lal_place_result *r) {
  lal_cpuset cand;
  candidates(t, req, &cand);
  plan p = {.per_core = flags & LAL_PLACE_ONE_PER_CORE ? 1 : UNIT_PUS_MAX, .flags = flags};
  int rc = build_units(t, &cand, flags, req->exclude, &p);
  if (rc != LAL_OK)
    return rc;
  const char *what = flags & LAL_PLACE_ONE_PER_CORE ? "cores" : "CPUs";
  int (*order)(const void *, const void *) = by_cleanliness;
  if (flags & LAL_PLACE_PREFER_CACHE)
    order = by_cache;
  else if (flags & (LAL_PLACE_PREFER_FAST | LAL_PLACE_FAST_ONLY))
    order = by_preference;
  qsort(p.units, (size_t)p.nunits, sizeof *p.units, order);
  if ((flags & LAL_PLACE_FAST_ONLY) && p.nunits > 0) {
    int fastest = p.units[0].rank;
    for (int i = 0; i < p.nunits; i++)
      fastest = p.units[i].rank < fastest ? p.units[i].rank : fastest;
    filter_units(&p, rank_is, fastest);
  }
  mark_preferred(&p);

  int threads = req->threads, capacity = total_capacity(&p);
  if (capacity == 0 || (capacity < threads && !share_pus)) {
    rc = LAL_ERANGE;
    if (capacity == 0 && lal_cpuset_count(&t->info.exclusive) == 0 && (flags & LAL_PLACE_EXCLUSIVE))
      snprintf(r->reason, sizeof r->reason,
               "no exclusive CPU: the OS allocated none to this process (Windows Game Mode)");
    else if (capacity == 0 && lal_cpuset_count(&cand) == 0)
      snprintf(r->reason, sizeof r->reason,
               "no candidate CPU: within (or the affinity) & allowed & ~exclude is empty");
    else
      snprintf(r->reason, sizeof r->reason, "%d threads need %d %s%s; the candidates offer %d",
               threads, threads, flags & LAL_PLACE_FAST_ONLY ? "fastest-kind " : "", what,
               capacity);
    goto out;
  }
  if (flags & PLACE_SAME_ANY) {
    int largest, largest_domain;
    int d = choose_domain(&p, threads, &largest, &largest_domain);
    if (d < 0) {
      rc = LAL_ERANGE;
      snprintf(r->reason, sizeof r->reason,
               "no single %s holds %d threads (%s): the largest offers %d (%s %d)",
               domain_name(flags), threads, what, largest, domain_name(flags), largest_domain);
      goto out;
    }
    filter_units(&p, domain_is, d);
    r->domain = d;
  }

  /* Round k gives each unit its k-th PU: distinct cores first. Past the
   * capacity (share_pus), thread i shares the PU of thread i - capacity. */
  int placed = 0;
  r->cores_used = 0;
  for (int round = 0; placed < threads && placed < capacity; round++)
    for (int i = 0; i < p.nunits && placed < threads; i++)
      if (round < unit_capacity(&p, &p.units[i])) {
        lal_cpuset_zero(&out[placed]);
        lal_cpuset_set(&out[placed], p.units[i].cpus[round]);
        placed++;
        if (round == 0)
          r->cores_used++;
      }
  for (; placed < threads; placed++)
    out[placed] = out[placed - capacity];
  if (capacity < threads)
    r->relaxed |= LAL_PLACE_SHARED_PUS;
  r->applied = flags & ~LAL_PLACE_BEST_EFFORT;
  rc = LAL_OK;
out:
  free(p.units);
  return rc;
}

/* BEST_EFFORT: the request as asked, then each relaxation in the documented
 * order; the first that fits wins. The reason of the first failure stays. */
static int place_relaxing(const lal_topology *t, const lal_place_req *req, lal_cpuset out[],
                          lal_place_result *r) {
  unsigned flags = req->flags;
  int rc = place(t, req, flags, 0, out, r);
  if (rc != LAL_ERANGE || !(flags & LAL_PLACE_BEST_EFFORT))
    return rc;
  char first[sizeof r->reason];
  memcpy(first, r->reason, sizeof first);
  static const unsigned same_ladder[] = {LAL_PLACE_SAME_L3, LAL_PLACE_SAME_NUMA,
                                         LAL_PLACE_SAME_PACKAGE, 0};
  int step = 0;
  while (rc == LAL_ERANGE && (flags & PLACE_SAME_ANY)) {
    while (!(same_ladder[step] & flags))
      step++;
    flags = (flags & ~PLACE_SAME_ANY) | same_ladder[step + 1];
    r->domain = -1;
    rc = place(t, req, flags, 0, out, r);
  }
  if (rc == LAL_ERANGE && (flags & LAL_PLACE_ONE_PER_CORE)) {
    flags &= ~LAL_PLACE_ONE_PER_CORE;
    rc = place(t, req, flags, 0, out, r);
  }
  if (rc == LAL_ERANGE)
    rc = place(t, req, flags, 1, out, r);
  if (rc == LAL_OK) {
    r->relaxed |= req->flags & ~flags;
    memcpy(r->reason, first, sizeof first);
  }
  return rc;
}

int lal_place(const lal_topology *topo, const lal_place_req *req, lal_cpuset out[],
              lal_place_result *result) {
  lal_place_req loaded = LAL_PLACE_REQ_INIT;
  if (!topo || !req || !out ||
      lali_input_struct_load(&loaded, sizeof loaded, req, LALI_INPUT_MIN(lal_place_req, threads)) !=
          LAL_OK)
    return LAL_EINVAL;
  req = &loaded; /* from here on, only the loaded copy is read */
  if (req->threads < 1 || req->threads > LAL_CPUSET_MAX || (req->flags & ~PLACE_KNOWN_FLAGS))
    return LAL_EINVAL;
  unsigned same = req->flags & PLACE_SAME_ANY;
  if (same & (same - 1))
    return LAL_EINVAL; /* more than one SAME_* */
  if (req->within && lal_cpuset_count(req->within) == 0)
    return LAL_EINVAL; /* "none of these" is not a request */
  if (!LALI_OUT_OPTIONAL_VALID(result, lal_place_result, reason))
    return LAL_EINVAL;

  lal_place_result full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  full.domain = -1;
  /* Place into a scratch array so that a failure leaves out[] untouched. */
  lal_cpuset *scratch = malloc((size_t)req->threads * sizeof *scratch);
  if (!scratch)
    return LAL_ENOMEM;
  int rc = place_relaxing(topo, req, scratch, &full);
  if (rc == LAL_OK)
    memcpy(out, scratch, (size_t)req->threads * sizeof *scratch);
  else
    full.cores_used = 0, full.applied = 0, full.relaxed = 0, full.domain = -1;
  free(scratch);
  if (result)
    LALI_OUT_SET(result, full);
  return rc;
}
