/* SPDX-License-Identifier: MIT */
/* cgroups v2: the handle, and the parsers tests replay on recorded text. */
#ifndef LAL_SRC_LINUX_CGROUP_INTERNAL_H
#define LAL_SRC_LINUX_CGROUP_INTERNAL_H

#include <stddef.h>

#include "lal/cgroup.h"

#define LALI_CG_NAME_MAX 64

struct lal_cgroup {
  char mount[256]; /* the cgroup2 mount */
  char path[512];  /* relative to it, "/" for the root */
  char dir[1024];  /* mount + path */
  int hybrid;
  char reason[256];
};

/* Opens the group at `path` under the cgroup2 hierarchy mounted at `mount`
 * (a real mount, or a fake tree in tests). */
int lali_cgroup_open_at(const char *mount, const char *path, int hybrid, lal_cgroup **out);

/* 1 if path is absolute and none of its components is empty, "." or "..":
 * "/" and "/a/b" are valid; "/a/../b", "/a//b", "a", "/a/" are not. */
int lali_cgroup_path_valid(const char *path);

/* 1 if name is a valid single group name (see lal/cgroup.h). */
int lali_cgroup_name_valid(const char *name);

/* From /proc/self/mountinfo text: the cgroup2 mount point (octal escapes
 * decoded) and whether v1 "cgroup" mounts exist. LAL_ENOTSUP without cgroup2. */
int lali_cgroup_find_mount(const char *mountinfo, char *mount, size_t size, int *hybrid);

/* From /proc/self/cgroup text: the "0::" path. LAL_ENOTSUP without one;
 * LAL_EIO for a path that is not valid (lali_cgroup_path_valid) or too long. */
int lali_cgroup_self_path(const char *proc_cgroup, char *path, size_t size);

/* cgroup v1 (cgroups(7)), for hosts whose controllers are still there: from
 * mountinfo text, the mount point of the "cgroup" hierarchy whose super
 * options name `controller`; from /proc/self/cgroup text, the path on the
 * line whose controller list has it (LAL_EIO if not a valid path).
 * LAL_ENOTSUP when there is none. */
int lali_cgroup1_find_mount(const char *mountinfo, const char *controller, char *mount,
                            size_t size);
int lali_cgroup1_self_path(const char *proc_cgroup, const char *controller, char *path,
                           size_t size);

/* "cpu io memory" -> LAL_CGROUP_* bits (unknown names ignored). */
unsigned lali_cgroup_controller_bits(const char *text);
/* LAL_CGROUP_* bit -> "cpu", ... */
const char *lali_cgroup_controller_name(unsigned bit);

/* cpu.stat text into *stat (a full struct). */
void lali_cgroup_parse_cpu_stat(const char *text, lal_cgroup_cpu_stat *stat);

/* PSI text ("some avg10=... total=...\nfull ...") into *psi (a full struct).
 * LAL_EIO if there is no "some" line. */
int lali_cgroup_parse_psi(const char *text, lal_psi *psi);

/* cpuset.cpus.partition as read back: "member", "root", "isolated", or
 * "root invalid (reason)". Returns the LAL_CGROUP_PARTITION_* value, or -1 for an
 * invalid partition with the kernel's reason copied to why. */
int lali_cgroup_parse_partition(const char *text, char *why, size_t size);

#endif
