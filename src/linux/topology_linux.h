/* SPDX-License-Identifier: MIT */
/*
 * Linux topology sources: hwloc (topology_hwloc.c, when this build has it and
 * the machine has libhwloc) and /sys (topology_sysfs.c, needing nothing),
 * with what both share (topology.c). Tests load recorded machines through
 * them.
 */
#ifndef LAL_SRC_LINUX_TOPOLOGY_LINUX_H
#define LAL_SRC_LINUX_TOPOLOGY_LINUX_H

#include "lal.h"

/* Through hwloc: xml_path NULL for this machine (or the fsroot hwloc is told
 * of by HWLOC_FSROOT), else an hwloc XML (lstopo --of xml). isolated,
 * nohz_full and the X3D mode are read under sysroot ("" = this machine);
 * affinity NULL takes the allowed set. LAL_ENOTSUP when hwloc is not there
 * (a build without it, or libhwloc.so.15 absent); LAL_EIO if hwloc cannot
 * read its input; LAL_ENOMEM; LAL_ERANGE past LAL_CPUSET_MAX. */
int lali_linux_topology_hwloc(const char *xml_path, const char *sysroot, const lal_cpuset *affinity,
                              const char *source, lal_topology **out);

/* lali_linux_topology_hwloc(xml_path, sysroot, NULL, "hwloc-xml", out), with
 * LAL_EINVAL for NULL arguments. */
int lali_linux_topology_from_xml(const char *xml_path, const char *sysroot, lal_topology **out);

/* From sysroot's /sys/devices/system/cpu and /sys/devices/system/node, and
 * its cgroup cpuset for `allowed` (see topology_sysfs.c for what is read).
 * affinity NULL takes the allowed set. LAL_EIO when the tree describes no
 * CPU or is malformed; LAL_ENOMEM; LAL_ERANGE past LAL_CPUSET_MAX. */
int lali_linux_topology_sysfs(const char *sysroot, const lal_cpuset *affinity, const char *source,
                              lal_topology **out);

/* Shared by both sources: reads isolated and nohz_full under sysroot, then
 * lali_topology_finish (affinity NULL = allowed), then the X3D mode. */
int lali_linux_topology_finish(lal_topology *t, const char *sysroot, const lal_cpuset *allowed,
                               const lal_cpuset *affinity, const char *source);

/* 1 when hwloc is usable: linked in, or libhwloc.so.15 loaded (hwloc_api.c). */
int lali_linux_hwloc_present(void);

/* "5250" -> 5250; 0 for anything that is not a plausible clock in MHz. */
int lali_linux_parse_mhz(const char *text);

#endif
