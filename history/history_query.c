/* SPDX-License-Identifier: MIT */
#include "history_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_format.h"

const char *hq_pct_column(const char *pct) {
  for (int p = 0; p < RESULT_NPCT; p++)
    if (pct && strcmp(pct, result_pct_names[p]) == 0)
      return result_pct_names[p];
  return NULL;
}

/* A growing array of rows: each callback appends one element. */
typedef struct grow {
  void *items;
  size_t n, cap, size;
  int oom;
} grow;

static void *grow_next(grow *g) {
  if (g->n == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : 64;
    void *bigger = realloc(g->items, cap * g->size);
    if (!bigger) {
      g->oom = 1;
      return NULL;
    }
    g->items = bigger;
    g->cap = cap;
  }
  void *at = (char *)g->items + g->n++ * g->size;
  memset(at, 0, g->size);
  return at;
}

static void text(char *dst, size_t size, const store_value *v) {
  snprintf(dst, size, "%s", v->type == STORE_TEXT ? v->s : "");
}

static int64_t num(const store_value *v) {
  return v->type == STORE_INT ? v->i : v->type == STORE_REAL ? (int64_t)v->d : 0;
}

static int machine_row(void *ctx, const store_row *r) {
  hq_machine *m = grow_next(ctx);
  if (!m)
    return 1;
  m->id = num(&r->col[0]);
  text(m->fingerprint, sizeof m->fingerprint, &r->col[1]);
  text(m->host, sizeof m->host, &r->col[2]);
  text(m->os, sizeof m->os, &r->col[3]);
  text(m->cpu_model, sizeof m->cpu_model, &r->col[4]);
  m->under_wine = (int)num(&r->col[5]);
  m->runs = num(&r->col[6]);
  return 0;
}

#define MACHINE_COLUMNS                                                                            \
  "SELECT m.id, m.fingerprint, m.host, m.os, m.cpu_model, m.under_wine,"                           \
  " (SELECT count(*) FROM runs r WHERE r.machine_id = m.id) FROM machines m"

static int finish(grow *g, void *out, size_t *n, int rc) {
  if (rc != 0 || g->oom) {
    free(g->items);
    return -1;
  }
  *(void **)out = g->items;
  *n = g->n;
  return 0;
}

int hq_machines(store *s, hq_machine **out, size_t *n) {
  grow g = {NULL, 0, 0, sizeof(hq_machine), 0};
  int rc = store_query(s, MACHINE_COLUMNS " ORDER BY 7 DESC, m.id", NULL, 0, machine_row, &g);
  return finish(&g, out, n, rc);
}

int hq_find_machine(store *s, const char *key, hq_machine *m) {
  grow g = {NULL, 0, 0, sizeof(hq_machine), 0};
  store_value p[2] = {sv_text(key), sv_text(key)};
  int rc = store_query(s, MACHINE_COLUMNS " WHERE m.fingerprint = ? OR m.host = ? ORDER BY m.id", p,
                       2, machine_row, &g);
  if (rc != 0 || g.oom) {
    free(g.items);
    return -1;
  }
  int found = g.n > 0;
  if (found)
    *m = *(hq_machine *)g.items;
  free(g.items);
  return found;
}

static int series_row(void *ctx, const store_row *r) {
  hq_series *x = grow_next(ctx);
  if (!x)
    return 1;
  x->id = num(&r->col[0]);
  text(x->workload, sizeof x->workload, &r->col[1]);
  text(x->name, sizeof x->name, &r->col[2]);
  text(x->unit, sizeof x->unit, &r->col[3]);
  return 0;
}

int hq_machine_series(store *s, int64_t machine, hq_series **out, size_t *n) {
  grow g = {NULL, 0, 0, sizeof(hq_series), 0};
  store_value p = sv_int(machine);
  int rc = store_query(s,
                       "SELECT s.id, s.workload, s.name, s.unit FROM series s WHERE s.id IN"
                       " (SELECT DISTINCT x.series_id FROM results x JOIN runs r ON r.id = x.run_id"
                       " WHERE r.machine_id = ?) ORDER BY s.id",
                       &p, 1, series_row, &g);
  return finish(&g, out, n, rc);
}

static int point_row(void *ctx, const store_row *r) {
  hq_point *pt = grow_next(ctx);
  if (!pt)
    return 1;
  pt->run_id = num(&r->col[0]);
  text(pt->start_utc, sizeof pt->start_utc, &r->col[1]);
  text(pt->label, sizeof pt->label, &r->col[2]);
  text(pt->os_release, sizeof pt->os_release, &r->col[3]);
  pt->value = r->col[4].type == STORE_REAL  ? r->col[4].d
              : r->col[4].type == STORE_INT ? (double)r->col[4].i
                                            : -1;
  pt->count = num(&r->col[5]);
  return 0;
}

int hq_trend(store *s, int64_t machine, int64_t series, const char *pct, hq_point **out,
             size_t *n) {
  const char *column = hq_pct_column(pct);
  if (!column)
    return -1;
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT r.id, r.start_utc, r.label, r.os_release, x.%s, x.count FROM results x"
           " JOIN runs r ON r.id = x.run_id WHERE x.series_id = ? AND r.machine_id = ?"
           " ORDER BY r.start_utc, r.id",
           column);
  grow g = {NULL, 0, 0, sizeof(hq_point), 0};
  store_value p[2] = {sv_int(series), sv_int(machine)};
  int rc = store_query(s, sql, p, 2, point_row, &g);
  return finish(&g, out, n, rc);
}
