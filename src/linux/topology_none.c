/* SPDX-License-Identifier: MIT */
/* Linux topology in a build without hwloc (LAL_WITH_HWLOC=OFF or libhwloc-dev
 * missing): lal_topology_load says so rather than guessing the machine. */
#include "lal_os.h"
#include "topology_linux.h"

int lal__linux_topology_from_xml(const char *xml_path, const char *sysroot, lal_topology **out) {
  (void)xml_path;
  (void)sysroot;
  (void)out;
  return LAL_ENOTSUP;
}

int lal__os_topology_load(lal_topology **out) {
  (void)out;
  return LAL_ENOTSUP;
}
