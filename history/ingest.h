/* SPDX-License-Identifier: MIT */
/* Storing a result: one transaction per run, so a run is stored whole or not
 * at all (a killed ingest, a full disk, a refused write leave nothing). */
#ifndef LAL_HISTORY_INGEST_H
#define LAL_HISTORY_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "history_doc.h"
#include "store.h"

/* Stores d, labelled `label` (NULL: none), at the database's current time
 * `now_utc`. 0 with *run_id (the new run, or the run already holding this
 * content: *duplicate = 1); -1 with the database's message in why (nothing
 * written). */
int ingest_doc(store *s, const hist_doc *d, const char *label, const char *now_utc, int64_t *run_id,
               int *duplicate, char *why, size_t why_size);

#endif
