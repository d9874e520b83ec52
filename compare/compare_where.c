/* SPDX-License-Identifier: MIT */
/* lal-compare: where a series' thread woke, summarised for a reader who asks
 * "did B run its audio thread on the slow cores?". */
#include "compare_where.h"

#include <stdio.h>
#include <string.h>

#define TOP_CPUS 3

/* Appends to text (a literal format each time, so the compiler checks it). */
#define APPEND(...)                                                                                \
  do {                                                                                             \
    size_t used_ = strlen(text);                                                                   \
    if (used_ + 1 < size)                                                                          \
      snprintf(text + used_, size - used_, __VA_ARGS__);                                           \
  } while (0)

int compare_where_text(const json_value *series, char *text, size_t size, double *fastest_share) {
  const json_value *where = json_get(series, "ran_on");
  *fastest_share = -1;
  text[0] = '\0';
  if (!where || where->type != JSON_OBJECT)
    return 0;
  const json_value *cpus = json_get(where, "cpus");
  double total = 0;
  size_t n = cpus && cpus->type == JSON_ARRAY ? cpus->count : 0;
  for (size_t i = 0; i < n; i++)
    total += json_number_at(cpus, i, 1, 0);
  /* The busiest CPUs, by selection (the list is short: the CPUs one thread woke on). */
  int shown[TOP_CPUS] = {-1, -1, -1};
  for (int k = 0; k < TOP_CPUS && total > 0; k++) {
    int best = -1;
    for (size_t i = 0; i < n; i++) {
      int taken = 0;
      for (int s = 0; s < k; s++)
        taken |= shown[s] == (int)i;
      if (!taken &&
          (best < 0 || json_number_at(cpus, i, 1, 0) > json_number_at(cpus, (size_t)best, 1, 0)))
        best = (int)i;
    }
    if (best < 0)
      break;
    shown[k] = best;
    APPEND("%sCPU %.0f %.0f%%", k ? ", " : "", json_number_at(cpus, (size_t)best, 0, -1),
           100.0 * json_number_at(cpus, (size_t)best, 1, 0) / total);
  }
  if (n > TOP_CPUS)
    APPEND(" (+%zu more)", n - TOP_CPUS);
  const json_value *kinds = json_get(where, "kinds");
  if (kinds && kinds->type == JSON_ARRAY && kinds->width == 0 && kinds->count > 0 && total > 0) {
    int first = 1;
    for (size_t k = 0; k < kinds->count; k++) {
      const json_value *kind = &kinds->items[k];
      double waits = json_get_number(kind, "waits", 0);
      if (json_get_number(kind, "perf_rank", -1) == 0)
        *fastest_share = (*fastest_share < 0 ? 0 : *fastest_share) + 100.0 * waits / total;
      if (waits <= 0)
        continue;
      APPEND("%s%s %.0f%%", first ? "; " : ", ", json_get_string(kind, "name", "?"),
             100.0 * waits / total);
      first = 0;
    }
  }
  APPEND("; %.0f migrations", json_get_number(where, "migrations", 0));
  return 1;
}
