/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend: one file, no server. Several processes may write it at
 * once (CI jobs sharing a cache): WAL mode lets readers go on beside the one
 * writer, and the busy timeout makes a second writer wait for the first
 * instead of failing with SQLITE_BUSY ("Write-Ahead Logging", sqlite.org/wal.html;
 * sqlite3_busy_timeout). Transactions start with BEGIN IMMEDIATE, which
 * takes the write lock at once: a deferred transaction that read first and
 * then wants to write can fail with SQLITE_BUSY without waiting, the
 * deadlock the busy handler cannot resolve (sqlite.org/lang_transaction.html).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define BUSY_TIMEOUT_MS 60000
/* Statements prepared once and reset between uses, keyed by their text: an
 * ingest runs the same few statements for each of its series. */
#define CACHED 16

typedef struct sqlite_store {
  store base;
  struct {
    char *sql;
    sqlite3_stmt *st;
  } cache[CACHED];
  unsigned next;
} sqlite_store;

static void sqlite_close(store *s) {
  sqlite_store *q = (sqlite_store *)s;
  for (int i = 0; i < CACHED; i++) {
    sqlite3_finalize(q->cache[i].st);
    free(q->cache[i].sql);
  }
  sqlite3_close(s->handle);
  free(s);
}

static sqlite3_stmt *prepared(store *s, const char *sql) {
  sqlite_store *q = (sqlite_store *)s;
  for (int i = 0; i < CACHED; i++)
    if (q->cache[i].st && strcmp(q->cache[i].sql, sql) == 0)
      return q->cache[i].st;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v3(s->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
    return NULL;
  char *copy = strdup(sql);
  if (!copy) {
    sqlite3_finalize(st);
    return NULL;
  }
  unsigned slot = q->next++ % CACHED;
  sqlite3_finalize(q->cache[slot].st);
  free(q->cache[slot].sql);
  q->cache[slot].sql = copy;
  q->cache[slot].st = st;
  return st;
}

static int fail(store *s, const char *what) {
  snprintf(s->error, sizeof s->error, "%s: %s", what, sqlite3_errmsg(s->handle));
  return -1;
}

static int bind_all(store *s, sqlite3_stmt *st, const store_value *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int c = (int)i + 1, rc;
    switch (p[i].type) {
    case STORE_INT:
      rc = sqlite3_bind_int64(st, c, p[i].i);
      break;
    case STORE_REAL:
      rc = sqlite3_bind_double(st, c, p[i].d);
      break;
    case STORE_TEXT:
      rc = sqlite3_bind_text(st, c, p[i].s, (int)p[i].len, SQLITE_STATIC);
      break;
    case STORE_BLOB:
      rc = sqlite3_bind_blob(st, c, p[i].s, (int)p[i].len, SQLITE_STATIC);
      break;
    default:
      rc = sqlite3_bind_null(st, c);
    }
    if (rc != SQLITE_OK)
      return fail(s, "bind");
  }
  return 0;
}

static int sqlite_query(store *s, const char *sql, const store_value *params, size_t n_params,
                        store_row_fn fn, void *ctx) {
  sqlite3_stmt *st = prepared(s, sql);
  if (!st)
    return fail(s, "prepare");
  if (bind_all(s, st, params, n_params) != 0) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return -1;
  }
  store_value cols[32];
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!fn)
      continue;
    int n = sqlite3_column_count(st);
    if (n > 32)
      n = 32;
    for (int i = 0; i < n; i++) {
      switch (sqlite3_column_type(st, i)) {
      case SQLITE_INTEGER:
        cols[i] = sv_int(sqlite3_column_int64(st, i));
        break;
      case SQLITE_FLOAT:
        cols[i] = sv_real(sqlite3_column_double(st, i));
        break;
      case SQLITE_TEXT:
        cols[i] = sv_text((const char *)sqlite3_column_text(st, i));
        break;
      case SQLITE_BLOB: {
        const void *b = sqlite3_column_blob(st, i);
        cols[i] = sv_blob(b, (size_t)sqlite3_column_bytes(st, i));
        break;
      }
      default:
        cols[i] = sv_null();
      }
    }
    store_row row = {(size_t)n, cols};
    if (fn(ctx, &row)) {
      rc = SQLITE_DONE;
      break;
    }
  }
  int failed = rc != SQLITE_DONE;
  if (failed)
    fail(s, "step");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return failed ? -1 : 0;
}

static int sqlite_begin(store *s) {
  return sqlite_query(s, "BEGIN IMMEDIATE", NULL, 0, NULL, NULL);
}
static int sqlite_lock_schema(store *s) {
  (void)s; /* BEGIN IMMEDIATE holds the database's one write lock */
  return 0;
}

static const store_ops ops = {sqlite_close, sqlite_query, sqlite_begin, sqlite_lock_schema};

store *store_sqlite_open(const char *path, char *err, size_t err_size) {
  sqlite_store *q = calloc(1, sizeof *q);
  store *s = q ? &q->base : NULL;
  if (!s) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  s->ops = &ops;
  s->kind = STORE_SQLITE;
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, err_size, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    free(s);
    return NULL;
  }
  s->handle = db;
  sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
  /* WAL needs to write the file's header once; a read-only file keeps its
   * journal mode, and the first write then reports it. NORMAL synchronous is
   * durable across a process crash in WAL mode (only a power loss can lose
   * the last commits: "PRAGMA synchronous"). */
  sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
  sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
  /* A file that is not a database shows here, not at the first write. */
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(err, err_size, "%s: %s", path, sqlite3_errmsg(db));
    sqlite_close(s);
    return NULL;
  }
  return s;
}
