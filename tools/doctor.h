/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor`: an audit of the machine for low latency, one finding per
 * check. The checks live per OS (doctor_linux.c, doctor_windows.c); on Linux
 * each reads /proc and /sys under a root path, so tests replay recorded trees.
 */
#ifndef LAL_TOOLS_DOCTOR_H
#define LAL_TOOLS_DOCTOR_H

#include <stddef.h>

typedef enum doctor_status { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL, DOCTOR_NA } doctor_status;

typedef struct finding {
  const char *check; /* stable identifier, e.g. "cpufreq_governor" */
  doctor_status status;
  char value[160]; /* what was seen */
  const char *why; /* why it matters for latency */
  char fix[240];   /* the exact command or setting; "" when nothing to do */
} finding;

#define DOCTOR_MAX_FINDINGS 48

/* Where the checks append their findings. */
typedef struct doctor_list {
  finding *out;
  int n, max;
} doctor_list;

/* A new, zeroed finding at the end of the list (when the list is full, a
 * scratch one that is dropped), with check, status and why set. */
finding *doctor_add(doctor_list *list, const char *check, doctor_status st, const char *why);

/* Runs every check of this OS, appending to out[0..max); returns the count.
 * root: prefix of /proc and /sys ("" = this machine; ignored on Windows). */
int doctor_run(const char *root, finding *out, int max);

const char *doctor_status_name(doctor_status s);

/* The finding for `check` in out[0..n), or NULL. */
const finding *doctor_find(const finding *out, int n, const char *check);

#endif
