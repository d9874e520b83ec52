/* SPDX-License-Identifier: MIT */
/* `lal info` sections on where threads run: the topology and what each
 * priority profile obtains right now. */
#ifndef LAL_TOOLS_INFO_SCHED_H
#define LAL_TOOLS_INFO_SCHED_H

#include "json_writer.h"

void info_topology_text(void);
void info_topology_json(json_writer *w);
void info_profiles_text(void);
void info_profiles_json(json_writer *w);

#endif
