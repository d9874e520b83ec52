/* SPDX-License-Identifier: MIT */
/*
 * The trend pages: self-contained HTML (inline SVG and CSS, no script, no
 * external asset), in lal-compare's report style.
 *   index.html            every machine, and every series with a link to it
 *                         across machines
 *   machine-<fp>.html     one machine: each series' p50 and p99 over its runs,
 *                         change points marked and listed with the first run
 *                         after each
 *   series-<id>.html      one series on every machine that has it, Linux and
 *                         Windows machines side by side (a column per OS)
 */
#ifndef LAL_HISTORY_TREND_H
#define LAL_HISTORY_TREND_H

#include <stddef.h>

#include "store.h"

/* Writes the pages into dir (which must exist). machine: only that machine's
 * page (fingerprint or host), or NULL for all. 0, or -1 with the reason. */
int trend_write(store *s, const char *dir, const char *machine, char *why, size_t why_size);

#endif
