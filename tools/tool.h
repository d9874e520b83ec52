/* SPDX-License-Identifier: MIT */
/* Subcommands of the `lal` command; each returns the process exit code. */
#ifndef LAL_TOOLS_TOOL_H
#define LAL_TOOLS_TOOL_H

int lal_tool_info(int argc, char **argv);
int lal_tool_doctor(int argc, char **argv);

#endif
