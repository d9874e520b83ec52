/* SPDX-License-Identifier: MIT */
/*
 * lal-history: lal-bench results over time, for one machine or a fleet.
 *
 *   lal-history [--db TARGET] ingest [--label TEXT] FILE...
 *   lal-history [--db TARGET] baseline FILE [--last N] [--gate P] [--threshold PCT]
 *                                         [--allow-missing] [--html F] [--markdown F]
 *   lal-history [--db TARGET] changes [--machine KEY] [--pct P] [--min-effect PCT]
 *   lal-history [--db TARGET] trend DIR [--machine KEY]
 *   lal-history [--db TARGET] machines | runs [--machine KEY]
 *
 * TARGET is a SQLite file (default $LAL_HISTORY_DB, else lal-history.sqlite)
 * or a PostgreSQL connection string. Exit status: 0 done (baseline: the gate
 * passes); 1 baseline: a gated regression or a missing series; 2 bad input
 * or a database that cannot be used, with the reason on stderr, and nothing
 * written for the input it concerns.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baseline.h"
#include "changes.h"
#include "history_doc.h"
#include "history_query.h"
#include "ingest.h"
#include "schema.h"
#include "store.h"
#include "time_units.h"
#include "trend.h"

#ifndef LAL_HISTORY_VERSION
#  define LAL_HISTORY_VERSION "unknown"
#endif

static void usage(FILE *f) {
  fputs("usage: lal-history [--db TARGET] COMMAND ...\n"
        "  ingest [--label TEXT] FILE...   store lal-bench results (a result stored before is "
        "kept once)\n"
        "  baseline FILE [--last N] [--gate P] [--threshold PCT] [--min-effect PCT]\n"
        "           [--allow-missing] [--html F] [--markdown F]\n"
        "                                  FILE against its machine's last N runs (default 30);\n"
        "                                  exit 1 when the gate percentile (default p99) is worse\n"
        "                                  by more than PCT (default 10)\n"
        "  changes [--machine KEY] [--pct P] [--min-effect PCT]\n"
        "                                  change points of every series (default p50 and p99,\n"
        "                                  shifts of 5 % or more), with the first run after each\n"
        "  trend DIR [--machine KEY]       write the trend pages (index.html, one per machine,\n"
        "                                  one per series across machines) into DIR\n"
        "  machines                        the machines and their run counts\n"
        "  runs [--machine KEY]            the stored runs\n"
        "TARGET: a SQLite file (default $LAL_HISTORY_DB, else lal-history.sqlite) or a\n"
        "PostgreSQL connection string (postgresql://... or \"host=... dbname=...\").\n"
        "KEY: a machine's fingerprint or host name. Exit: 0 done, 1 baseline gate failed,\n"
        "2 bad input or database error (nothing written for that input).\n"
        "  --help, --version\n",
        f);
}

static void now_utc(char out[32]) {
  time_t t = time(NULL);
  struct tm tm;
#ifdef _WIN32
  gmtime_s(&tm, &t);
#else
  gmtime_r(&t, &tm);
#endif
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

typedef struct args {
  const char *db, *command, *label, *machine, *html, *markdown, *gate;
  const char *pos[4096];
  int n_pos;
  int last, allow_missing;
  double threshold, min_effect;
  const char *pct;
} args;

static int parse(int argc, char **argv, args *a) {
  memset(a, 0, sizeof *a);
  a->db = getenv("LAL_HISTORY_DB");
  if (!a->db || !*a->db)
    a->db = "lal-history.sqlite";
  a->last = 30;
  a->gate = "p99";
  a->threshold = 10;
  a->min_effect = -1;
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i];
    const char **text = strcmp(o, "--db") == 0         ? &a->db
                        : strcmp(o, "--label") == 0    ? &a->label
                        : strcmp(o, "--machine") == 0  ? &a->machine
                        : strcmp(o, "--html") == 0     ? &a->html
                        : strcmp(o, "--markdown") == 0 ? &a->markdown
                        : strcmp(o, "--gate") == 0     ? &a->gate
                        : strcmp(o, "--pct") == 0      ? &a->pct
                                                       : NULL;
    if (text || strcmp(o, "--last") == 0 || strcmp(o, "--threshold") == 0 ||
        strcmp(o, "--min-effect") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "lal-history: %s needs a value\n", o);
        return -1;
      }
      const char *v = argv[++i];
      if (text) {
        *text = v;
        continue;
      }
      char *end;
      double d = strtod(v, &end);
      if (end == v || *end || d < 0 || d > 1e6) {
        fprintf(stderr, "lal-history: %s: '%s' is not a number >= 0\n", o, v);
        return -1;
      }
      if (strcmp(o, "--last") == 0) {
        if (d < 1 || d != (double)(int)d) {
          fprintf(stderr, "lal-history: --last: '%s' is not a whole number of runs >= 1\n", v);
          return -1;
        }
        a->last = (int)d;
      } else if (strcmp(o, "--threshold") == 0) {
        a->threshold = d;
      } else {
        a->min_effect = d;
      }
    } else if (strcmp(o, "--allow-missing") == 0) {
      a->allow_missing = 1;
    } else if (o[0] == '-' && o[1]) {
      fprintf(stderr, "lal-history: unknown option '%s'\n", o);
      return -1;
    } else if (!a->command) {
      a->command = o;
    } else if (a->n_pos < (int)(sizeof a->pos / sizeof *a->pos)) {
      a->pos[a->n_pos++] = o;
    } else {
      fprintf(stderr, "lal-history: too many files\n");
      return -1;
    }
  }
  return 0;
}

static store *open_db(const args *a, int migrate) {
  char why[600];
  store *s = store_open(a->db, why, sizeof why);
  if (!s) {
    fprintf(stderr, "lal-history: %s\n", why);
    return NULL;
  }
  int version = 0;
  if (migrate ? schema_migrate(s, why, sizeof why) != 0
              : schema_version(s, &version, why, sizeof why) != 0 ||
                    (version > HISTORY_SCHEMA_VERSION &&
                     snprintf(why, sizeof why,
                              "the database's schema is version %d, newer than this "
                              "lal-history's %d: use a newer lal-history",
                              version, HISTORY_SCHEMA_VERSION) > 0)) {
    fprintf(stderr, "lal-history: %s: %s\n", a->db, why);
    store_close(s);
    return NULL;
  }
  if (!migrate && version == 0) {
    fprintf(stderr, "lal-history: %s: no history here yet (nothing was ingested)\n", a->db);
    store_close(s);
    return NULL;
  }
  return s;
}

static int cmd_ingest(const args *a) {
  if (a->n_pos == 0) {
    fprintf(stderr, "lal-history ingest: no result file given\n");
    return 2;
  }
  store *s = open_db(a, 1);
  if (!s)
    return 2;
  int status = 0;
  char now[32];
  now_utc(now);
  for (int i = 0; i < a->n_pos; i++) {
    hist_doc d;
    char why[600];
    if (hist_doc_load(a->pos[i], &d, why, sizeof why) != 0) {
      fprintf(stderr, "lal-history: %s: %s (nothing stored)\n", a->pos[i], why);
      status = 2;
      continue;
    }
    int64_t run = 0;
    int duplicate = 0, rc;
    /* PostgreSQL may end one of two transactions waiting on each other's new
     * rows (a deadlock, SQLSTATE 40P01) or a serialization conflict: the
     * run was not written, so it is tried again. */
    for (int attempt = 0;; attempt++) {
      rc = ingest_doc(s, &d, a->label, now, &run, &duplicate, why, sizeof why);
      if (rc == 0 || attempt == 4 ||
          (!strstr(why, "deadlock detected") && !strstr(why, "could not serialize")))
        break;
    }
    if (rc != 0) {
      fprintf(stderr, "lal-history: %s: %s (nothing stored)\n", a->pos[i], why);
      status = 2;
    } else if (duplicate) {
      printf("%s: already stored as run %lld\n", a->pos[i], (long long)run);
    } else {
      printf("%s: stored as run %lld (machine %s, %s, %zu series)\n", a->pos[i], (long long)run,
             d.machine.fingerprint, d.machine.host, d.n_series);
    }
    hist_doc_free(&d);
  }
  store_close(s);
  return status;
}

static FILE *open_out(const char *path) {
  if (!path)
    return NULL;
  FILE *f = fopen(path, "w");
  if (!f)
    fprintf(stderr, "lal-history: cannot write %s\n", path);
  return f;
}

static int cmd_baseline(const args *a) {
  if (a->n_pos != 1) {
    fprintf(stderr, "lal-history baseline: give one result file\n");
    return 2;
  }
  hist_doc d;
  char why[600];
  if (hist_doc_load(a->pos[0], &d, why, sizeof why) != 0) {
    fprintf(stderr, "lal-history: %s: %s\n", a->pos[0], why);
    return 2;
  }
  store *s = open_db(a, 0);
  if (!s) {
    hist_doc_free(&d);
    return 2;
  }
  baseline_opts o = BASELINE_OPTS_DEFAULT;
  o.last = a->last;
  o.gate = a->gate;
  o.threshold_pct = a->threshold;
  if (a->min_effect >= 0)
    o.min_effect_pct = a->min_effect;
  o.allow_missing = a->allow_missing;
  o.name = a->pos[0];
  int status = 0;
  if ((a->html && !(o.html = open_out(a->html))) ||
      (a->markdown && !(o.markdown = open_out(a->markdown))))
    status = 2;
  if (!status)
    status = baseline_compare(s, &d, &o, stdout, stderr);
  if (o.html && fclose(o.html) != 0)
    status = 2;
  if (o.markdown && fclose(o.markdown) != 0)
    status = 2;
  store_close(s);
  hist_doc_free(&d);
  return status;
}

static int cmd_changes(const args *a) {
  static const char *const both[] = {"p50", "p99"};
  const char *one[1] = {a->pct};
  const char *const *pcts = a->pct ? one : both;
  int n_pcts = a->pct ? 1 : 2;
  if (a->pct && !hq_pct_column(a->pct)) {
    fprintf(stderr, "lal-history: --pct '%s': one of p50, p90, p99, p99_9, p99_99\n", a->pct);
    return 2;
  }
  double effect = a->min_effect >= 0 ? a->min_effect / 100 : 0.05;
  store *s = open_db(a, 0);
  if (!s)
    return 2;
  hq_machine *ms = NULL;
  size_t nm = 0;
  int status = hq_machines(s, &ms, &nm) == 0 ? 0 : 2;
  int matched = 0, total = 0;
  for (size_t i = 0; status == 0 && i < nm; i++) {
    if (a->machine && strcmp(a->machine, ms[i].fingerprint) && strcmp(a->machine, ms[i].host))
      continue;
    matched++;
    printf("machine %s (%s, %s%s, %lld runs)\n", ms[i].fingerprint, ms[i].host, ms[i].os,
           ms[i].under_wine ? " under Wine" : "", (long long)ms[i].runs);
    hq_series *series = NULL;
    size_t ns = 0;
    if (hq_machine_series(s, ms[i].id, &series, &ns) != 0) {
      status = 2;
      break;
    }
    for (size_t j = 0; status == 0 && j < ns; j++)
      for (int p = 0; p < n_pcts; p++) {
        hq_point *pts = NULL;
        size_t n = 0;
        if (hq_trend(s, ms[i].id, series[j].id, pcts[p], &pts, &n) != 0) {
          status = 2;
          break;
        }
        double *v = malloc((n + 1) * sizeof *v);
        size_t *at = malloc((n + 1) * sizeof *at), k = 0;
        change_point cps[64];
        int found = 0;
        if (v && at) {
          for (size_t r = 0; r < n; r++)
            if (pts[r].value > 0) {
              v[k] = pts[r].value;
              at[k++] = r;
            }
          found = changes_find(v, k, effect, cps, 64);
        }
        for (int c = 0; c < found; c++) {
          const hq_point *first = &pts[at[cps[c].index]];
          char before[32], after[32];
          time_format(before, sizeof before, cps[c].before, series[j].unit);
          time_format(after, sizeof after, cps[c].after, series[j].unit);
          printf("  %s / %s: %s %s -> %s (%+.1f %%) from run %lld (%s%s%s)\n", series[j].workload,
                 series[j].name, pcts[p], before, after, (cps[c].after / cps[c].before - 1) * 100,
                 (long long)first->run_id, first->start_utc, first->label[0] ? ", " : "",
                 first->label);
          total++;
        }
        free(v);
        free(at);
        free(pts);
      }
    free(series);
  }
  if (status != 0)
    fprintf(stderr, "lal-history: %s\n", store_error(s));
  else if (a->machine && !matched) {
    fprintf(stderr, "lal-history: no machine '%s' in the history\n", a->machine);
    status = 2;
  } else
    printf("%d change point%s\n", total, total == 1 ? "" : "s");
  free(ms);
  store_close(s);
  return status;
}

static int cmd_trend(const args *a) {
  if (a->n_pos != 1) {
    fprintf(stderr, "lal-history trend: give the directory to write the pages into\n");
    return 2;
  }
  store *s = open_db(a, 0);
  if (!s)
    return 2;
  char why[600];
  int rc = trend_write(s, a->pos[0], a->machine, why, sizeof why);
  if (rc != 0)
    fprintf(stderr, "lal-history: %s\n", why);
  else
    printf("trend pages written to %s/index.html\n", a->pos[0]);
  store_close(s);
  return rc ? 2 : 0;
}

static int run_row(void *ctx, const store_row *r) {
  (void)ctx;
  printf("%6lld  %6lld  %-20s  %-16s  %-10s  %-8s  %s\n", (long long)r->col[0].i,
         (long long)r->col[6].i, r->col[1].type == STORE_TEXT ? r->col[1].s : "",
         r->col[2].type == STORE_TEXT ? r->col[2].s : "",
         r->col[3].type == STORE_TEXT ? r->col[3].s : "",
         r->col[4].type == STORE_TEXT ? r->col[4].s : "",
         r->col[5].type == STORE_TEXT ? r->col[5].s : "");
  return 0;
}

static int cmd_list(const args *a, int runs) {
  store *s = open_db(a, 0);
  if (!s)
    return 2;
  int rc = 0;
  if (runs) {
    printf("%6s  %6s  %-20s  %-16s  %-10s  %-8s  %s\n", "run", "series", "start (UTC)", "machine",
           "host", "os", "label");
    store_value p[2] = {sv_text(a->machine), sv_text(a->machine)};
    rc = store_query(s,
                     a->machine
                         ? "SELECT r.id, r.start_utc, m.fingerprint, m.host, r.os, r.label,"
                           " (SELECT count(*) FROM results x WHERE x.run_id = r.id) FROM runs"
                           " r JOIN machines m ON m.id = r.machine_id WHERE m.fingerprint = ? OR"
                           " m.host = ? ORDER BY r.start_utc, r.id"
                         : "SELECT r.id, r.start_utc, m.fingerprint, m.host, r.os, r.label,"
                           " (SELECT count(*) FROM results x WHERE x.run_id = r.id) FROM runs"
                           " r JOIN machines m ON m.id = r.machine_id ORDER BY r.start_utc, r.id",
                     p, a->machine ? 2 : 0, run_row, NULL);
  } else {
    hq_machine *ms = NULL;
    size_t n = 0;
    rc = hq_machines(s, &ms, &n);
    for (size_t i = 0; rc == 0 && i < n; i++)
      printf("%s  %-20s %-8s %-4s %6lld runs  %s\n", ms[i].fingerprint, ms[i].host, ms[i].os,
             ms[i].under_wine ? "Wine" : "", (long long)ms[i].runs, ms[i].cpu_model);
    free(ms);
  }
  if (rc != 0)
    fprintf(stderr, "lal-history: %s\n", store_error(s));
  store_close(s);
  return rc ? 2 : 0;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage(stdout);
      return 0;
    }
    if (strcmp(argv[i], "--version") == 0) {
      printf("lal-history %s (schema %d)\n", LAL_HISTORY_VERSION, HISTORY_SCHEMA_VERSION);
      return 0;
    }
  }
  args a;
  if (parse(argc, argv, &a) != 0)
    return 2;
  if (!a.command) {
    usage(stderr);
    return 2;
  }
  if (strcmp(a.command, "ingest") == 0)
    return cmd_ingest(&a);
  if (strcmp(a.command, "baseline") == 0)
    return cmd_baseline(&a);
  if (strcmp(a.command, "changes") == 0)
    return cmd_changes(&a);
  if (strcmp(a.command, "trend") == 0)
    return cmd_trend(&a);
  if (strcmp(a.command, "machines") == 0)
    return cmd_list(&a, 0);
  if (strcmp(a.command, "runs") == 0)
    return cmd_list(&a, 1);
  fprintf(stderr, "lal-history: unknown command '%s'\n", a.command);
  usage(stderr);
  return 2;
}
