/* SPDX-License-Identifier: MIT */
/* What the Linux doctor's check files share: the reading context and helpers. */
#ifndef LAL_SUPPORT_DOCTOR_DOCTOR_LINUX_H
#define LAL_SUPPORT_DOCTOR_DOCTOR_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "doctor.h"
#include "lal.h"

#define TEXT_MAX 65536

typedef struct ctx {
  const char *root;      /* prefix of /proc and /sys: "" live, a recorded tree in tests */
  uint64_t memlock_need; /* bytes the app will lock (--memlock), 0 = not stated */
  doctor_list list;
  /* The audited process's CapEff and soft limits, read once (/proc/self/status
   * and /proc/self/limits): -1 unlimited, -2 not reported; has_limits 0 when
   * the tree has no limits file. */
  uint64_t cap_eff;
  int has_limits;
  int64_t rtprio, rttime, memlock;
  char cmdline[4096];
  lal_cpuset isolated;
  char text[TEXT_MAX]; /* scratch */
} ctx;

/* Reads root + path into c->text; 1 if it exists. Trailing newline removed. */
int dl_rd(ctx *c, const char *path);
finding *dl_add(ctx *c, const char *check, doctor_status st, const char *why);
/* The caller's cgroup v1 cpu-controller directory under root
 * (lali_cgroup1_find_mount + lali_cgroup1_self_path). 1 if found. */
int dl_cgroup1_cpu_dir(ctx *c, char *dir, size_t size);

/* Why a request fails in a container or sandbox (doctor_sandbox_linux.c). */
void dl_check_sandbox(ctx *c);

#endif
