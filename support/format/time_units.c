/* SPDX-License-Identifier: MIT */
/* Scaled time units for people reading a table. */
#include "time_units.h"

#include <stdio.h>
#include <string.h>

double time_unit_seconds(const char *unit) {
  static const struct {
    const char *prefix;
    double seconds;
  } units[] = {{"ps", 1e-12}, {"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}};
  for (size_t i = 0; unit && i < sizeof units / sizeof *units; i++) {
    size_t n = strlen(units[i].prefix);
    /* the unit word itself, not a prefix of another word ("nsec" is not "ns") */
    if (strncmp(unit, units[i].prefix, n) == 0 &&
        (unit[n] == '\0' || unit[n] == ' ' || unit[n] == '/' || unit[n] == ','))
      return units[i].seconds;
  }
  return 0;
}

void time_format(char *out, size_t size, double v, const char *unit) {
  static const char *const names[] = {"ps", "ns", "us", "ms", "s"};
  double base = time_unit_seconds(unit);
  if (base <= 0 || v < 0) {
    snprintf(out, size, "%.0f", v);
    return;
  }
  double ps = v * base * 1e12;
  int k = 0;
  while (ps >= 1000 && k < 4)
    ps /= 1000, k++;
  if (v == 0)
    snprintf(out, size, "0 %s", names[base >= 1e-9 ? 1 : 0]);
  else if (ps < 10)
    snprintf(out, size, "%.2f %s", ps, names[k]);
  else if (ps < 100)
    snprintf(out, size, "%.1f %s", ps, names[k]);
  else
    snprintf(out, size, "%.0f %s", ps, names[k]);
}
