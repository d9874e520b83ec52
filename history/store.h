/* SPDX-License-Identifier: MIT */
/*
 * lal-history's database, one interface over two backends: SQLite (a single
 * file, the default) and PostgreSQL (libpq, a connection string). Every
 * statement is written once with `?` placeholders and every value travels as
 * a bound parameter, never as SQL text: the PostgreSQL backend numbers the
 * placeholders ($1, $2, ...) itself. The few places the dialects differ (an
 * identity column, a byte string, the lock that serializes migrations) are
 * the backend's.
 */
#ifndef LAL_HISTORY_STORE_H
#define LAL_HISTORY_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct store store;

enum store_kind { STORE_SQLITE, STORE_POSTGRES };

/* A bound parameter or a column's value. */
enum store_type { STORE_NULL, STORE_INT, STORE_REAL, STORE_TEXT, STORE_BLOB };
typedef struct store_value {
  int type;
  int64_t i;
  double d;
  const char *s; /* STORE_TEXT (NUL-terminated) / STORE_BLOB */
  size_t len;    /* STORE_BLOB */
} store_value;

store_value sv_int(int64_t i);
store_value sv_real(double d);
store_value sv_text(const char *s); /* NULL: SQL NULL */
store_value sv_blob(const void *p, size_t len);
store_value sv_null(void);

/* One row of a result, valid during the callback only. */
typedef struct store_row {
  size_t n;
  const store_value *col;
} store_row;
/* Returns 0 to go on, nonzero to stop (the query then returns 0). */
typedef int (*store_row_fn)(void *ctx, const store_row *row);

/* Opens `target`: a PostgreSQL connection string (postgresql://..., postgres://...,
 * or a libpq "key=value" string) or else a SQLite file path (created when
 * absent). NULL with the reason in err (the server's message for a
 * PostgreSQL target). */
store *store_open(const char *target, char *err, size_t err_size);
void store_close(store *s);
int store_kind_of(const store *s);

/* The last error, the database's own message. */
const char *store_error(const store *s);

/* Runs sql with params; each result row goes to fn (fn may be NULL). 0, or
 * -1 with store_error set. */
int store_query(store *s, const char *sql, const store_value *params, size_t n_params,
                store_row_fn fn, void *ctx);
/* The same without rows. */
int store_exec(store *s, const char *sql, const store_value *params, size_t n_params);
/* The first column of the first row as an integer: 1 and *out, 0 without a
 * row, -1 on an error. */
int store_query_int(store *s, const char *sql, const store_value *params, size_t n_params,
                    int64_t *out);

/* A write transaction that serializes writers: SQLite's BEGIN IMMEDIATE
 * (waiting out others for the busy timeout), PostgreSQL's BEGIN. */
int store_begin(store *s);
int store_commit(store *s);
void store_rollback(store *s);
/* Within a transaction: waits until no other process holds the schema lock
 * (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write lock
 * BEGIN IMMEDIATE already holds). */
int store_lock_schema(store *s);

/* The dialect's spelling of an auto-numbered primary key and a byte string. */
const char *store_id_column(const store *s);
const char *store_blob_type(const store *s);

/* Backends (store_sqlite.c, store_pg.c). */
typedef struct store_ops {
  void (*close)(store *s);
  int (*query)(store *s, const char *sql, const store_value *params, size_t n_params,
               store_row_fn fn, void *ctx);
  int (*begin)(store *s);
  int (*lock_schema)(store *s);
} store_ops;

struct store {
  const store_ops *ops;
  int kind;
  char error[512];
  void *handle;
};

store *store_sqlite_open(const char *path, char *err, size_t err_size);
store *store_pg_open(const char *conninfo, char *err, size_t err_size);

#endif
