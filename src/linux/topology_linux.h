/* SPDX-License-Identifier: MIT */
/* Linux topology entry points beyond lal_os.h, for tests on recorded machines. */
#ifndef LAL_TOPOLOGY_LINUX_H
#define LAL_TOPOLOGY_LINUX_H

#include "lal.h"

/* Loads an hwloc XML topology (lstopo --of xml, or hwloc-gather-topology) and
 * reads isolated / nohz_full under sysroot ("" = this machine). The process
 * affinity of a recorded machine is taken to be its allowed set.
 * LAL_ENOTSUP without hwloc; LAL_EIO if hwloc cannot read the file. */
int lal__linux_topology_from_xml(const char *xml_path, const char *sysroot, lal_topology **out);

#endif
