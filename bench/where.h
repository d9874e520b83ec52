/* SPDX-License-Identifier: MIT */
/* Where a measuring thread's wake-ups ran: a count per CPU and the number of
 * migrations, written beside a series ("ran_on") so that lal-compare can say
 * "B woke 40 % of its periods on a slower kind of core". */
#ifndef LAL_BENCH_WHERE_H
#define LAL_BENCH_WHERE_H

#include <stdint.h>

#include "json_writer.h"
#include "lal.h"

typedef struct bench_where {
  uint64_t migrations;
  int last; /* -1 before the first wake-up */
  uint64_t waits[LAL_CPUSET_MAX];
} bench_where;

void where_init(bench_where *w);

/* Counts one wake-up on the CPU the caller runs on now (lal_current_cpu, tens
 * of ns: after the wake-up's lateness was taken, never inside it). */
static inline void where_record(bench_where *w) {
  int cpu = lal_current_cpu();
  if (cpu < 0 || cpu >= LAL_CPUSET_MAX)
    return;
  if (w->last >= 0 && cpu != w->last)
    w->migrations++;
  w->last = cpu;
  w->waits[cpu]++;
}

/* The same from a pacer's own record (lal_pacer_stats). */
void where_from_pacer(bench_where *w, const lal_pacer_stats *st);

/* "ran_on": {"migrations": n, "cpus": [[cpu, waits]...], "kinds": [{"name",
 * "perf_rank", "waits"}...]} (kinds only where the topology loads). */
void where_emit(json_writer *jw, const bench_where *w);

#endif
