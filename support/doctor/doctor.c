/* SPDX-License-Identifier: MIT */
/* The doctor's engine, common to both OSes: the finding list, sizes, names
 * (doctor.h). The checks are doctor_linux.c and doctor_windows.c; the
 * command that prints them is tools/doctor_cmd.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "json_writer.h"
#include "lal.h"

const char *doctor_status_name(doctor_status s) {
  static const char *const names[] = {"ok", "warn", "fail", "n/a"};
  return s <= DOCTOR_NA ? names[s] : "?";
}

finding *doctor_add(doctor_list *l, const char *check, doctor_status st, const char *why) {
  static finding scratch;
  finding *f = l->n < l->max ? &l->out[l->n++] : &scratch;
  memset(f, 0, sizeof *f);
  f->check = check;
  f->status = st;
  f->why = why;
  return f;
}

const finding *doctor_find(const finding *out, int n, const char *check) {
  for (int i = 0; i < n; i++)
    if (strcmp(out[i].check, check) == 0)
      return &out[i];
  return NULL;
}

int doctor_parse_size(const char *text, uint64_t *out) {
  if (!text || *text < '0' || *text > '9')
    return 0;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno == ERANGE)
    return 0;
  static const struct {
    const char *suffix;
    unsigned shift;
  } units[] = {{"", 0},     {"K", 10}, {"KiB", 10}, {"k", 10},   {"M", 20},
               {"MiB", 20}, {"m", 20}, {"G", 30},   {"GiB", 30}, {"g", 30}};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strcmp(end, units[i].suffix) == 0) {
      if (v == 0 || v > (UINT64_MAX >> units[i].shift))
        return 0;
      *out = (uint64_t)v << units[i].shift;
      return 1;
    }
  return 0;
}

int doctor_run(const char *root, finding *out, int max) {
  doctor_opts o = {root, 0};
  return doctor_run_opts(&o, out, max);
}
