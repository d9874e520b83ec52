/* SPDX-License-Identifier: MIT */
/*
 * Several ingesters may store the same result at once (CI jobs retrying, a
 * cache restored twice). Uniqueness is the database's: INSERT ... ON CONFLICT
 * DO NOTHING on the content hash (SQLite 3.24 and PostgreSQL 9.5 spell it
 * alike) and RETURNING the new id (SQLite 3.35, PostgreSQL 8.2): no row back
 * means another transaction stored it first, and this one stores nothing.
 */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

#include "result_format.h"

static int db_fail(store *s, char *why, size_t why_size, const char *what) {
  snprintf(why, why_size, "%s: %s", what, store_error(s));
  store_rollback(s);
  return -1;
}

static int machine_id(store *s, const hist_machine *m, int64_t *id) {
  store_value p[8] = {sv_text(m->fingerprint), sv_text(m->host),     sv_text(m->os),
                      sv_text(m->cpu_model),   sv_int(m->cpu_count), sv_text(m->hypervisor),
                      sv_text(m->topology),    sv_int(m->under_wine)};
  if (store_exec(s,
                 "INSERT INTO machines (fingerprint, host, os, cpu_model, cpu_count, hypervisor,"
                 " topology, under_wine) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                 " ON CONFLICT (fingerprint) DO NOTHING",
                 p, 8) != 0)
    return -1;
  return store_query_int(s, "SELECT id FROM machines WHERE fingerprint = ?", p, 1, id) == 1 ? 0
                                                                                            : -1;
}

static int series_id(store *s, const hist_series *x, int64_t *id) {
  store_value p[3] = {sv_text(x->workload), sv_text(x->name), sv_text(x->unit)};
  if (store_exec(s,
                 "INSERT INTO series (workload, name, unit) VALUES (?, ?, ?)"
                 " ON CONFLICT (workload, name, unit) DO NOTHING",
                 p, 3) != 0)
    return -1;
  return store_query_int(s, "SELECT id FROM series WHERE workload = ? AND name = ? AND unit = ?", p,
                         3, id) == 1
             ? 0
             : -1;
}

static store_value pct_or_null(double v) { return v >= 0 ? sv_real(v) : sv_null(); }

int ingest_doc(store *s, const hist_doc *d, const char *label, const char *now_utc, int64_t *run_id,
               int *duplicate, char *why, size_t why_size) {
  *duplicate = 0;
  *run_id = 0;
  if (store_begin(s) != 0) {
    snprintf(why, why_size, "starting a transaction: %s", store_error(s));
    return -1;
  }
  int64_t machine = 0;
  if (machine_id(s, &d->machine, &machine) != 0)
    return db_fail(s, why, why_size, "storing the machine");
  store_value run[13] = {sv_int(machine),
                         sv_text(d->hash),
                         sv_text(d->start_utc[0] ? d->start_utc : now_utc),
                         sv_text(label),
                         sv_text(d->command_line),
                         sv_text(d->lal_version),
                         sv_text(d->machine.os),
                         sv_text(d->os_release),
                         sv_text(d->build_type),
                         sv_int(d->version),
                         sv_int(d->complete),
                         sv_text(d->env),
                         sv_text(now_utc)};
  int got = store_query_int(
      s,
      "INSERT INTO runs (machine_id, content_hash, start_utc, label, command_line, lal_version, os,"
      " os_release, build_type, format_version, complete, env, ingested_utc)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (content_hash) DO NOTHING RETURNING id",
      run, 13, run_id);
  if (got < 0)
    return db_fail(s, why, why_size, "storing the run");
  if (got == 0) { /* stored before (or by a concurrent ingest just now) */
    store_rollback(s);
    *duplicate = 1;
    store_value h = sv_text(d->hash);
    if (store_query_int(s, "SELECT id FROM runs WHERE content_hash = ?", &h, 1, run_id) != 1) {
      snprintf(why, why_size, "reading the stored run: %s", store_error(s));
      return -1;
    }
    return 0;
  }
  for (size_t i = 0; i < d->n_series; i++) {
    const hist_series *x = &d->series[i];
    int64_t sid = 0;
    if (series_id(s, x, &sid) != 0)
      return db_fail(s, why, why_size, "storing a series");
    store_value r[14] = {sv_int(*run_id),
                         sv_int(sid),
                         sv_int((int64_t)x->count),
                         sv_real(x->min),
                         pct_or_null(x->pct[0]),
                         pct_or_null(x->pct[1]),
                         pct_or_null(x->pct[2]),
                         pct_or_null(x->pct[3]),
                         pct_or_null(x->pct[4]),
                         sv_real(x->max),
                         pct_or_null(x->cpu_pct),
                         sv_int((int64_t)x->rounds),
                         sv_blob(x->round_pcts, x->rounds * RESULT_NPCT * 4),
                         sv_blob(x->buckets, x->buckets_len)};
    if (store_exec(s,
                   "INSERT INTO results (run_id, series_id, count, min, p50, p90, p99, p99_9,"
                   " p99_99, max, cpu_pct, rounds, round_pcts, buckets)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   r, 14) != 0) {
      char what[300];
      snprintf(what, sizeof what, "storing series \"%s\" / \"%s\"", x->workload, x->name);
      return db_fail(s, why, why_size, what);
    }
  }
  if (store_commit(s) != 0)
    return db_fail(s, why, why_size, "committing the run");
  return 0;
}
