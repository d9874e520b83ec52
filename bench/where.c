/* SPDX-License-Identifier: MIT */
/* Where wake-ups ran: per-CPU counts, folded into CPU kinds when written. */
#include "where.h"

#include <string.h>

void where_init(bench_where *w) {
  memset(w, 0, sizeof *w);
  w->last = -1;
}

void where_from_pacer(bench_where *w, const lal_pacer_stats *st) {
  where_init(w);
  w->migrations = st->migrations;
  for (int i = 0; i < st->cpus && i < LAL_PACER_CPUS; i++)
    if (st->cpu[i] >= 0 && st->cpu[i] < LAL_CPUSET_MAX)
      w->waits[st->cpu[i]] = st->cpu_waits[i];
}

/* The machine's CPU kinds, loaded once for the whole run (hwloc reads sysfs:
 * about a millisecond, and every series would otherwise pay it again). NULL
 * where no topology loads. Kept for the process's life. */
static const lal_topology *kinds_topology(void) {
  static lal_topology *t;
  static int tried;
  if (!tried) {
    tried = 1;
    if (lal_topology_load(&t) != LAL_OK)
      t = NULL;
  }
  return t;
}

void where_emit(json_writer *jw, const bench_where *w) {
  json_object_begin(jw, "ran_on");
  json_uint(jw, "migrations", w->migrations);
  json_array_begin(jw, "cpus");
  for (int cpu = 0; cpu < LAL_CPUSET_MAX; cpu++)
    if (w->waits[cpu]) {
      json_array_begin(jw, NULL);
      json_int(jw, NULL, cpu);
      json_uint(jw, NULL, w->waits[cpu]);
      json_array_end(jw);
    }
  json_array_end(jw);
  const lal_topology *t = kinds_topology();
  if (t) {
    lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
    lal_topology_get_info(t, &info);
    json_array_begin(jw, "kinds");
    for (int k = 0; k < info.kinds; k++) {
      lal_topo_kind kind = LAL_TOPO_KIND_INIT;
      if (lal_topology_kind(t, k, &kind) != LAL_OK)
        continue;
      uint64_t n = 0;
      for (int cpu = lal_cpuset_first(&kind.cpus); cpu >= 0; cpu = lal_cpuset_next(&kind.cpus, cpu))
        n += w->waits[cpu];
      json_object_begin(jw, NULL);
      json_string(jw, "name", kind.name);
      json_int(jw, "perf_rank", kind.perf_rank);
      json_uint(jw, "waits", n);
      json_object_end(jw);
    }
    json_array_end(jw);
  }
  json_object_end(jw);
}
