/* SPDX-License-Identifier: MIT */
/* A build without hwloc (LAL_HWLOC=off, or libhwloc-dev missing at build
 * time): topology comes from /sys alone (topology_sysfs.c). */
#include "lal_os.h"
#include "topology_linux.h"

int lali_linux_topology_hwloc(const char *xml_path, const char *sysroot, const lal_cpuset *affinity,
                              const char *source, lal_topology **out) {
  (void)xml_path, (void)sysroot, (void)affinity, (void)source, (void)out;
  return LAL_ENOTSUP;
}

int lali_linux_topology_from_xml(const char *xml_path, const char *sysroot, lal_topology **out) {
  if (!xml_path || !sysroot || !out)
    return LAL_EINVAL;
  return LAL_ENOTSUP;
}

int lali_linux_hwloc_present(void) { return 0; }
