/* SPDX-License-Identifier: MIT */
/* What the baseline, the change points and the trend pages read back. */
#ifndef LAL_HISTORY_HISTORY_QUERY_H
#define LAL_HISTORY_HISTORY_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct hq_machine {
  int64_t id;
  char fingerprint[17], host[128], os[32], cpu_model[128];
  int64_t runs;
  int under_wine;
} hq_machine;

typedef struct hq_series {
  int64_t id;
  char workload[64], name[160], unit[64];
} hq_series;

typedef struct hq_point {
  int64_t run_id;
  char start_utc[40], label[96], os_release[64];
  double value; /* the percentile; -1 where it was not recorded */
  int64_t count;
} hq_point;

/* The column of percentile `pct` ("p50", "p90", "p99", "p99_9", "p99_99"),
 * or NULL: names from this fixed list are the only text put into SQL. */
const char *hq_pct_column(const char *pct);

/* Every machine, most runs first (*out: free()). 0, or -1 (store_error). */
int hq_machines(store *s, hq_machine **out, size_t *n);
/* The machine with this fingerprint or host name: 1 and *m, 0 none, -1 error. */
int hq_find_machine(store *s, const char *key, hq_machine *m);
/* The series a machine has results for, in workload and name order. */
int hq_machine_series(store *s, int64_t machine, hq_series **out, size_t *n);
/* One series' percentile over a machine's runs in run order (start time,
 * then storage order). */
int hq_trend(store *s, int64_t machine, int64_t series, const char *pct, hq_point **out, size_t *n);

#endif
