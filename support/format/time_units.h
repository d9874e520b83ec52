/* SPDX-License-Identifier: MIT */
/* One scaled time unit per value: 9376 in "ps/call" is "9.38 ns", 74496 in
 * "ns late" is "74.5 us". Shared by lal-bench's and lal-compare's output. */
#ifndef LAL_SUPPORT_FORMAT_TIME_UNITS_H
#define LAL_SUPPORT_FORMAT_TIME_UNITS_H

#include <stddef.h>

/* The seconds one unit of a series' unit string is worth ("ps/call": 1e-12,
 * "ns late": 1e-9, "us": 1e-6, "ms": 1e-3); 0 when it is not a time. */
double time_unit_seconds(const char *unit);
/* v (in the series' unit) as "<3 significant digits> <ps|ns|us|ms|s>"; a
 * plain "%.0f" when the unit is not a time. */
void time_format(char *out, size_t size, double v, const char *unit);

#endif
