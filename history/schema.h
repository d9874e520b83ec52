/* SPDX-License-Identifier: MIT */
/*
 * The history's schema, one for SQLite and PostgreSQL, and its migrations.
 *
 *   machines  one per machine fingerprint (the identity fields of a result's
 *             env: host, OS, CPU model and count, hypervisor, topology, Wine)
 *   runs      one per stored result: its content hash (SHA-256 of the file,
 *             unique: a result ingested twice is one run), start time, label,
 *             command line, lal version, OS release, build type, format
 *             version, the whole env as "key\tvalue" lines
 *   series    one per (workload, series, unit)
 *   results   one per run and series: the recorded count, min, percentiles
 *             and max, sleep_cost's CPU %, the rounds' own percentiles, and
 *             the pooled histogram's buckets (codec.h) to recompute any
 *             percentile
 */
#ifndef LAL_HISTORY_SCHEMA_H
#define LAL_HISTORY_SCHEMA_H

#include <stddef.h>

#include "store.h"

/* The schema version this lal-history writes and reads. */
#define HISTORY_SCHEMA_VERSION 1

/* Brings the database to HISTORY_SCHEMA_VERSION (one transaction, serialized
 * against other processes doing the same). 0; -1 with the reason in why (a
 * database error, or a schema newer than this tool's: nothing is changed). */
int schema_migrate(store *s, char *why, size_t why_size);

/* The database's schema version without changing anything (0: no schema):
 * 0, or -1 with the reason. */
int schema_version(store *s, int *version, char *why, size_t why_size);

#endif
