/* SPDX-License-Identifier: MIT */
/* lal-compare: where a series' thread woke ("ran_on", see SCHEMA.md), as text. */
#ifndef LAL_COMPARE_COMPARE_WHERE_H
#define LAL_COMPARE_COMPARE_WHERE_H

#include <stddef.h>

#include "json_reader.h"

/* "CPU 3 100%; IntelCore 100%; 0 migrations" (the three busiest CPUs, every
 * kind with a share). *fastest_share: the percentage of wake-ups on the kind of
 * perf_rank 0, or -1 without kinds. 0 when the series has no "ran_on". */
int compare_where_text(const json_value *series, char *text, size_t size, double *fastest_share);

#endif
