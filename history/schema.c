/* SPDX-License-Identifier: MIT */
/* The migrations, in order: migration N takes a database from version N - 1
 * to N. A released migration is never edited; a change is a new one. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* @ID@: the dialect's auto-numbered key; @BLOB@: its byte string. */
static const char *const migration_1[] = {
    "CREATE TABLE machines (id @ID@, fingerprint TEXT NOT NULL UNIQUE, host TEXT, os TEXT,"
    " cpu_model TEXT, cpu_count BIGINT, hypervisor TEXT, topology TEXT, under_wine BIGINT)",
    "CREATE TABLE runs (id @ID@, machine_id BIGINT NOT NULL REFERENCES machines(id),"
    " content_hash TEXT NOT NULL UNIQUE, start_utc TEXT NOT NULL, label TEXT, command_line TEXT,"
    " lal_version TEXT, os TEXT, os_release TEXT, build_type TEXT, format_version BIGINT NOT NULL,"
    " complete BIGINT, env TEXT, ingested_utc TEXT NOT NULL)",
    "CREATE INDEX runs_by_machine ON runs (machine_id, start_utc, id)",
    "CREATE TABLE series (id @ID@, workload TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,"
    " UNIQUE (workload, name, unit))",
    "CREATE TABLE results (run_id BIGINT NOT NULL REFERENCES runs(id),"
    " series_id BIGINT NOT NULL REFERENCES series(id), count BIGINT NOT NULL,"
    " min DOUBLE PRECISION, p50 DOUBLE PRECISION, p90 DOUBLE PRECISION, p99 DOUBLE PRECISION,"
    " p99_9 DOUBLE PRECISION, p99_99 DOUBLE PRECISION, max DOUBLE PRECISION,"
    " cpu_pct DOUBLE PRECISION, rounds BIGINT NOT NULL, round_pcts @BLOB@, buckets @BLOB@,"
    " PRIMARY KEY (run_id, series_id))",
    "CREATE INDEX results_by_series ON results (series_id, run_id)",
    NULL};

static const char *const *const migrations[HISTORY_SCHEMA_VERSION] = {migration_1};

static char *dialect(const store *s, const char *sql) {
  size_t cap = strlen(sql) + 128;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  char *o = out;
  for (const char *p = sql; *p;) {
    const char *with = NULL;
    size_t skip = 0;
    if (strncmp(p, "@ID@", 4) == 0)
      with = store_id_column(s), skip = 4;
    else if (strncmp(p, "@BLOB@", 6) == 0)
      with = store_blob_type(s), skip = 6;
    if (with) {
      o += sprintf(o, "%s", with);
      p += skip;
    } else {
      *o++ = *p++;
    }
  }
  *o = 0;
  return out;
}

int schema_version(store *s, int *version, char *why, size_t why_size) {
  int64_t v = 0;
  /* A database without the table has no schema yet: the query fails, and
   * that is the answer, not an error (a database we cannot reach failed
   * earlier, at store_open). */
  int rc = store_query_int(s, "SELECT max(version) FROM lal_history_schema", NULL, 0, &v);
  (void)why;
  (void)why_size;
  *version = rc == 1 ? (int)v : 0;
  return 0;
}

int schema_migrate(store *s, char *why, size_t why_size) {
  int version = 0;
  schema_version(s, &version, why, why_size);
  if (version == HISTORY_SCHEMA_VERSION)
    return 0; /* nothing to write: a read-only database still reads */
  if (version > HISTORY_SCHEMA_VERSION) {
    snprintf(why, why_size,
             "the database's schema is version %d, newer than this lal-history's %d: use a newer "
             "lal-history",
             version, HISTORY_SCHEMA_VERSION);
    return -1;
  }
  if (store_begin(s) != 0 || store_lock_schema(s) != 0 ||
      store_exec(s, "CREATE TABLE IF NOT EXISTS lal_history_schema (version BIGINT NOT NULL)", NULL,
                 0) != 0)
    goto failed;
  /* Another process may have migrated while this one waited for the lock. */
  int64_t now = 0;
  if (store_query_int(s, "SELECT max(version) FROM lal_history_schema", NULL, 0, &now) < 0)
    goto failed;
  if (now > HISTORY_SCHEMA_VERSION) {
    store_rollback(s);
    snprintf(why, why_size,
             "the database's schema is version %lld, newer than this lal-history's %d",
             (long long)now, HISTORY_SCHEMA_VERSION);
    return -1;
  }
  for (int m = (int)now; m < HISTORY_SCHEMA_VERSION; m++) {
    for (const char *const *sql = migrations[m]; *sql; sql++) {
      char *text = dialect(s, *sql);
      int rc = text ? store_exec(s, text, NULL, 0) : -1;
      free(text);
      if (rc != 0)
        goto failed;
    }
    store_value v = sv_int(m + 1);
    if (store_exec(s, "INSERT INTO lal_history_schema (version) VALUES (?)", &v, 1) != 0)
      goto failed;
  }
  if (store_commit(s) != 0)
    goto failed;
  return 0;
failed:
  snprintf(why, why_size, "creating the schema: %s", store_error(s));
  store_rollback(s);
  return -1;
}
