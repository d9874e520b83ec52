/* SPDX-License-Identifier: MIT */
/*
 * The PostgreSQL backend (libpq): many CI machines writing one database.
 * Parameters go out-of-line with PQexecParams (text, and byte strings in
 * binary so they need no escaping: libpq "Command Execution Functions");
 * results come back as text and are typed by their column's type OID.
 * Migrations are serialized by a transaction-scoped advisory lock
 * (pg_advisory_xact_lock), so eight jobs opening a new database at once
 * create its tables once.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LAL_HAVE_POSTGRES
#  include <libpq-fe.h>

/* Type OIDs (src/include/catalog/pg_type.dat): stable across releases. */
#  define OID_BYTEA 17
#  define OID_INT8 20
#  define OID_INT2 21
#  define OID_INT4 23
#  define OID_FLOAT4 700
#  define OID_FLOAT8 701
#  define OID_NUMERIC 1700
#  define MAX_PARAMS 32
#  define MAX_COLS 32
/* Any constant both sides agree on: the key of the migration lock. */
#  define SCHEMA_LOCK_KEY 0x6c616c68 /* "lalh" */

static void pg_close(store *s) {
  PQfinish(s->handle);
  free(s);
}

static void set_error(store *s, const char *what, const char *msg) {
  size_t n = (size_t)snprintf(s->error, sizeof s->error, "%s: %s", what, msg ? msg : "");
  /* libpq's messages end with a newline */
  while (n > 0 && n < sizeof s->error && (s->error[n - 1] == '\n' || s->error[n - 1] == ' '))
    s->error[--n] = 0;
}

/* `?` -> `$n` (no statement here has a `?` inside a literal). */
static char *number_placeholders(const char *sql) {
  size_t marks = 0;
  for (const char *p = sql; *p; p++)
    marks += *p == '?';
  char *out = malloc(strlen(sql) + marks * 4 + 1);
  if (!out)
    return NULL;
  char *o = out;
  int n = 0;
  for (const char *p = sql; *p; p++) {
    if (*p == '?')
      o += sprintf(o, "$%d", ++n);
    else
      *o++ = *p;
  }
  *o = 0;
  return out;
}

static int hex(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* bytea's text output in the hex format ("\x0a1b..."), the default since 9.0. */
static unsigned char *unhex(const char *t, size_t *len) {
  if (t[0] != '\\' || t[1] != 'x')
    return NULL;
  size_t n = strlen(t + 2) / 2;
  unsigned char *b = malloc(n ? n : 1);
  if (!b)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    int hi = hex(t[2 + 2 * i]), lo = hex(t[3 + 2 * i]);
    if (hi < 0 || lo < 0) {
      free(b);
      return NULL;
    }
    b[i] = (unsigned char)(hi * 16 + lo);
  }
  *len = n;
  return b;
}

static int pg_query(store *s, const char *sql, const store_value *params, size_t n_params,
                    store_row_fn fn, void *ctx) {
  if (n_params > MAX_PARAMS) {
    set_error(s, "query", "too many parameters");
    return -1;
  }
  char *text = number_placeholders(sql);
  if (!text) {
    set_error(s, "query", "out of memory");
    return -1;
  }
  const char *values[MAX_PARAMS];
  int lengths[MAX_PARAMS], formats[MAX_PARAMS];
  char numbers[MAX_PARAMS][32];
  for (size_t i = 0; i < n_params; i++) {
    lengths[i] = 0;
    formats[i] = 0;
    switch (params[i].type) {
    case STORE_INT:
      snprintf(numbers[i], sizeof numbers[i], "%lld", (long long)params[i].i);
      values[i] = numbers[i];
      break;
    case STORE_REAL:
      snprintf(numbers[i], sizeof numbers[i], "%.17g", params[i].d);
      values[i] = numbers[i];
      break;
    case STORE_TEXT:
      values[i] = params[i].s;
      break;
    case STORE_BLOB:
      values[i] = params[i].s ? params[i].s : "";
      lengths[i] = (int)params[i].len;
      formats[i] = 1;
      break;
    default:
      values[i] = NULL;
    }
  }
  PGresult *r = PQexecParams(s->handle, text, (int)n_params, NULL, values, lengths, formats, 0);
  free(text);
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char *msg = PQresultErrorMessage(r);
    set_error(s, "query", msg && *msg ? msg : PQerrorMessage(s->handle));
    PQclear(r);
    return -1;
  }
  int rows = PQntuples(r), cols = PQnfields(r);
  if (cols > MAX_COLS)
    cols = MAX_COLS;
  int rc = 0;
  for (int row = 0; fn && row < rows; row++) {
    store_value v[MAX_COLS];
    unsigned char *blobs[MAX_COLS] = {0};
    for (int c = 0; c < cols; c++) {
      if (PQgetisnull(r, row, c)) {
        v[c] = sv_null();
        continue;
      }
      const char *t = PQgetvalue(r, row, c);
      switch (PQftype(r, c)) {
      case OID_INT2:
      case OID_INT4:
      case OID_INT8:
        v[c] = sv_int(strtoll(t, NULL, 10));
        break;
      case OID_FLOAT4:
      case OID_FLOAT8:
      case OID_NUMERIC:
        v[c] = sv_real(strtod(t, NULL));
        break;
      case OID_BYTEA: {
        size_t len = 0;
        blobs[c] = unhex(t, &len);
        v[c] = blobs[c] ? sv_blob(blobs[c], len) : sv_null();
        break;
      }
      default:
        v[c] = sv_text(t);
      }
    }
    store_row one = {(size_t)cols, v};
    int stop = fn(ctx, &one);
    for (int c = 0; c < cols; c++)
      free(blobs[c]);
    if (stop)
      break;
  }
  PQclear(r);
  return rc;
}

static int pg_begin(store *s) { return pg_query(s, "BEGIN", NULL, 0, NULL, NULL); }

static int pg_lock_schema(store *s) {
  store_value key = sv_int(SCHEMA_LOCK_KEY);
  return pg_query(s, "SELECT pg_advisory_xact_lock(?)", &key, 1, NULL, NULL);
}

static void quiet(void *arg, const char *message) {
  /* NOTICEs ("relation ... already exists, skipping") are not errors, and a
   * tool's output is its own. */
  (void)arg;
  (void)message;
}

static const store_ops ops = {pg_close, pg_query, pg_begin, pg_lock_schema};

store *store_pg_open(const char *conninfo, char *err, size_t err_size) {
  PGconn *c = PQconnectdb(conninfo);
  if (!c || PQstatus(c) != CONNECTION_OK) {
    const char *msg = c ? PQerrorMessage(c) : "out of memory";
    size_t n = (size_t)snprintf(err, err_size, "PostgreSQL: %s", msg);
    while (n > 0 && n < err_size && (err[n - 1] == '\n' || err[n - 1] == ' '))
      err[--n] = 0;
    PQfinish(c);
    return NULL;
  }
  PQsetNoticeProcessor(c, quiet, NULL);
  store *s = calloc(1, sizeof *s);
  if (!s) {
    PQfinish(c);
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  s->ops = &ops;
  s->kind = STORE_POSTGRES;
  s->handle = c;
  return s;
}

#else

store *store_pg_open(const char *conninfo, char *err, size_t err_size) {
  (void)conninfo;
  snprintf(err, err_size,
           "this lal-history was built without PostgreSQL (libpq-dev was not found at build time)");
  return NULL;
}

#endif
