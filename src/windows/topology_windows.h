/* SPDX-License-Identifier: MIT */
/* Windows topology entry points beyond lal_os.h, for tests on recorded machines. */
#ifndef LAL_SRC_WINDOWS_TOPOLOGY_WINDOWS_H
#define LAL_SRC_WINDOWS_TOPOLOGY_WINDOWS_H

#include <stddef.h>

#include "lal.h"

/* Builds a topology from a GetLogicalProcessorInformationEx(RelationAll)
 * buffer of len bytes. allowed / affinity may be NULL (= every PU).
 * LAL_EIO for a malformed buffer (a record size that is 0 or runs past the
 * end, a PU outside its group's active mask, no processor records). */
int lali_win_topology_from_slpi(const void *buffer, size_t len, const lal_cpuset *allowed,
                                const lal_cpuset *affinity, const char *source, lal_topology **out);

#endif
