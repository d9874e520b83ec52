/* SPDX-License-Identifier: MIT */
/*
 * `lal doctor`: an audit of the machine for low latency, one finding per
 * check. The checks live per OS (doctor_linux.c, doctor_windows.c); on Linux
 * each reads /proc and /sys under a root path, so tests replay recorded trees.
 */
#ifndef LAL_SUPPORT_DOCTOR_DOCTOR_H
#define LAL_SUPPORT_DOCTOR_DOCTOR_H

#include <stddef.h>
#include <stdint.h>

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

typedef struct doctor_opts {
  const char *root;      /* prefix of /proc and /sys ("" = this machine; ignored on Windows) */
  uint64_t memlock_need; /* bytes the app will lock (--memlock); 0 = not stated, no check */
} doctor_opts;

/* Runs every check of this OS, appending to out[0..max); returns the count. */
int doctor_run_opts(const doctor_opts *o, finding *out, int max);
/* doctor_run_opts with only a root. */
int doctor_run(const char *root, finding *out, int max);

/* "64M", "512MiB", "1g", "65536": bytes into *out (K/M/G and KiB/MiB/GiB are
 * powers of 1024), 1 if the whole string is such a size above 0, else 0. */
int doctor_parse_size(const char *text, uint64_t *out);

const char *doctor_status_name(doctor_status s);

/* The finding for `check` in out[0..n), or NULL. */
const finding *doctor_find(const finding *out, int n, const char *check);

#endif
