/* SPDX-License-Identifier: MIT */
/* The 0.1 spellings of renamed public functions (lal.h, "0.1 spellings"):
 * exported wrappers, so sources written against 0.1 keep building. Until 1.0. */
#include "lal_internal.h"

int lal_clock_info_get(lal_clock_info *info) { return lal_clock_get_info(info); }

int lal_pacer_stats_get(const lal_pacer *pacer, lal_pacer_stats *stats) {
  return lal_pacer_get_stats(pacer, stats);
}
