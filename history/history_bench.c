/* SPDX-License-Identifier: MIT */
/*
 * lal-history-bench: the history's targets, measured.
 *
 *   lal-history-bench changes [--histories K]
 *       change points on synthetic histories: false alarms per 1,000 runs
 *       of pure noise, and the share of known shifts (+10 %, +25 %) found
 *       within 3 runs of where they are, by noise level (log-normal run-to-
 *       run noise with the standard deviations measured on this machine)
 *   lal-history-bench store --db TARGET [--runs N] [--series S] [--rounds R]
 *       ingest N synthetic lal-bench/2 runs of S series (each a histogram of
 *       some hundred buckets, R rounds) through the same code as `lal-history
 *       ingest`, then time one series' trend over all runs and a baseline
 *       comparison against the last 30; prints the bytes stored per run
 *   lal-history-bench doc --out FILE [--seed N] [--scale X] [--host H] [--os OS]
 *       one such result, for the tests: same seed, same file
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "baseline.h"
#include "changes.h"
#include "history_doc.h"
#include "history_query.h"
#include "ingest.h"
#include "json_writer.h"
#include "result_format.h"
#include "schema.h"
#include "store.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64* and Box-Muller: reproducible noise. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static double uniform(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (double)((rng_state * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
}
static double normal(void) {
  double u = uniform(), v = uniform();
  return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* Did changes_find place a change within `tolerance` runs of `truth`? And
 * how many others did it report? */
static void run_changes(int histories) {
  /* Run-to-run noise of one series' percentile, as the standard deviation of
   * its log, measured over repeated lal-bench runs on this 2-vCPU VM
   * (scripts/compare-calibration.sh, 16 runs): clock_read p99 0.06-0.08
   * quiet; p50 of the sleep/wake-up series 0.05-0.2; p99 of sleep, wake-up
   * and ctx_switch with a load switching on and off 0.3-1.8 (median 0.6). */
  const double sigmas[] = {0.03, 0.07, 0.15, 0.3, 0.6};
  const double shifts[] = {0.10, 0.25};
  const size_t n = 200, at = 100, noise_runs = 1000;
  double x[1000];
  change_point cps[64];
  printf("change points: binary segmentation, Mann-Whitney z >= %.1f, >= %d runs a side, "
         "median shift >= 5 %%\n",
         CHANGES_Z, CHANGES_MIN_SEGMENT);
  /* False alarms: rank statistics make them independent of the noise's
   * scale and shape; measured on Gaussian and on heavy-tailed (Cauchy-like)
   * log noise. */
  for (int heavy = 0; heavy < 2; heavy++) {
    long alarms = 0;
    for (int h = 0; h < histories; h++) {
      for (size_t i = 0; i < noise_runs; i++) {
        double e = heavy ? normal() / (fabs(normal()) + 0.05) * 0.05 : normal() * 0.1;
        x[i] = 1000 * exp(e);
      }
      int found = changes_find(x, noise_runs, 0.05, cps, 64);
      alarms += found > 0 ? found : 0;
    }
    printf("  pure noise (%s): %ld false alarms in %ld runs = %.3f per 1,000 runs\n",
           heavy ? "heavy-tailed" : "log-normal", alarms, (long)histories * (long)noise_runs,
           1000.0 * (double)alarms / ((double)histories * (double)noise_runs));
  }
  printf("  found within 3 runs of a shift at run %zu of %zu (and other alarms per history):\n",
         at + 1, n);
  printf("  %8s", "sigma");
  for (size_t s = 0; s < sizeof shifts / sizeof *shifts; s++)
    printf("   +%2.0f %% found  extra", shifts[s] * 100);
  printf("\n");
  for (size_t g = 0; g < sizeof sigmas / sizeof *sigmas; g++) {
    printf("  %8.2f", sigmas[g]);
    for (size_t s = 0; s < sizeof shifts / sizeof *shifts; s++) {
      int hit = 0;
      long extra = 0;
      for (int h = 0; h < histories; h++) {
        for (size_t i = 0; i < n; i++)
          x[i] = 1000 * exp(normal() * sigmas[g]) * (i >= at ? 1 + shifts[s] : 1);
        int found = changes_find(x, n, 0.05, cps, 64), near = 0;
        for (int c = 0; c < found; c++) {
          if (!near && (size_t)labs((long)cps[c].index - (long)at) <= 3)
            near = 1;
          else
            extra++;
        }
        hit += near;
      }
      printf("   %8.1f %%  %5.2f", 100.0 * hit / histories, (double)extra / histories);
    }
    printf("\n");
  }
}

typedef struct doc_spec {
  int series, rounds, variant;
  double scale; /* every value times this: a regression of known size */
  const char *host, *os, *start;
} doc_spec;

/* A synthetic lal-bench/2 document: spec->series series of spec->rounds
 * rounds, each round 400 log-normal samples (sigma 0.1: some hundred
 * buckets a series, as lal-bench's median series has) drawn from the seed. */
static void write_doc(FILE *f, const doc_spec *spec) {
  int series = spec->series, rounds = spec->rounds, variant = spec->variant;
  json_writer jw;
  json_init(&jw, f);
  json_object_begin(&jw, NULL);
  json_string(&jw, "schema", RESULT_SCHEMA);
  json_object_begin(&jw, "env");
  json_string(&jw, "lal_version", "0.2.0");
  json_string(&jw, "os", spec->os);
  json_string(&jw, "os_release", "6.1.0-bench");
  json_string(&jw, "cpu_model", "bench CPU");
  json_int(&jw, "cpu_count", 2);
  json_string(&jw, "topology", "1 package, 2 cores");
  json_bool(&jw, "under_wine", strcmp(spec->os, "Windows") == 0);
  json_object_end(&jw);
  json_array_begin(&jw, "results");
  lal_hist *pooled = malloc(sizeof *pooled), *round = malloc(sizeof *round);
  for (int s = 0; s < series; s++) {
    json_object_begin(&jw, NULL);
    char name[64];
    snprintf(name, sizeof name, "series %d", s);
    json_string(&jw, RESULT_WORKLOAD, s % 2 ? "wakeup" : "sleep");
    json_string(&jw, RESULT_SERIES, name);
    json_string(&jw, RESULT_UNIT, "ns late");
    lal_hist_reset(pooled);
    lal_hist *each = calloc((size_t)rounds, sizeof *each);
    double level = 20000.0 * (1 + s % 7) * spec->scale;
    for (int r = 0; r < rounds; r++) {
      lal_hist_reset(&each[r]);
      for (int k = 0; k < 400; k++) {
        uint64_t v = (uint64_t)(level * exp(0.1 * normal()));
        lal_hist_record(&each[r], v);
        lal_hist_record(pooled, v);
      }
    }
    result_write_distribution(&jw, pooled);
    json_array_begin(&jw, RESULT_ROUNDS);
    for (int r = 0; r < rounds; r++) {
      json_object_begin(&jw, NULL);
      json_int(&jw, RESULT_ROUND, r + 1);
      json_int(&jw, RESULT_POSITION, r + 1);
      result_write_distribution(&jw, &each[r]);
      json_object_end(&jw);
    }
    json_array_end(&jw);
    free(each);
    json_object_end(&jw);
  }
  free(pooled);
  free(round);
  json_array_end(&jw);
  json_object_begin(&jw, "run");
  json_string(&jw, "start_utc", spec->start);
  json_string(&jw, "host", spec->host);
  json_string(&jw, "command_line", "lal-history-bench");
  json_object_end(&jw);
  json_object_end(&jw);
  json_finish(&jw);
  (void)variant;
}

static void make_doc(int series, int rounds, int variant, char **text, size_t *len) {
  FILE *f = open_memstream(text, len);
  doc_spec spec = {series,
                   rounds,
                   variant,
                   1.0 + 0.01 * variant,
                   "bench-host",
                   "Linux",
                   "2026-01-01T00:00:00.000000Z"};
  write_doc(f, &spec);
  fclose(f);
}

static int quiet_row(void *ctx, const store_row *r) {
  (void)ctx;
  (void)r;
  return 0;
}

static int run_store(const char *target, int runs, int series, int rounds) {
  char why[600];
  store *s = store_open(target, why, sizeof why);
  if (!s || schema_migrate(s, why, sizeof why) != 0) {
    fprintf(stderr, "lal-history-bench: %s\n", why);
    return 2;
  }
  enum { VARIANTS = 8 };
  char *docs[VARIANTS];
  size_t lens[VARIANTS], stamps[VARIANTS], total_bytes = 0;
  for (int v = 0; v < VARIANTS; v++) {
    make_doc(series, rounds, v, &docs[v], &lens[v]);
    stamps[v] = (size_t)(strstr(docs[v], "2026-01-01T00:00:00") - docs[v]);
  }
  printf("store %s: %d runs of %d series, %d rounds, documents of %zu KiB\n",
         store_kind_of(s) == STORE_SQLITE ? "SQLite" : "PostgreSQL", runs, series, rounds,
         lens[0] / 1024);
  double t0 = now_s(), parse_s = 0;
  for (int i = 0; i < runs; i++) {
    char *doc = docs[i % VARIANTS];
    char *stamp = doc + stamps[i % VARIANTS];
    /* A distinct start time per run (and so a distinct content hash). */
    char when[32];
    snprintf(when, sizeof when, "2026-%02d-%02dT%02d:%02d:%02d", 1 + (i / 86400) % 12,
             1 + (i / 3600) % 28, (i / 60) % 60 % 24, (i / 60) % 60, i % 60);
    char *tail = stamp + 19; /* .uuuuuuZ: the run number, 6 digits */
    char micro[8];
    snprintf(micro, sizeof micro, "%06d", i % 1000000);
    memcpy(stamp, when, 19);
    memcpy(tail + 1, micro, 6);
    double p0 = now_s();
    hist_doc d;
    if (hist_doc_parse(doc, lens[i % VARIANTS], &d, why, sizeof why) != 0) {
      fprintf(stderr, "lal-history-bench: %s\n", why);
      return 2;
    }
    parse_s += now_s() - p0;
    int64_t id;
    int dup;
    if (ingest_doc(s, &d, "bench", "2026-12-07T00:00:00Z", &id, &dup, why, sizeof why) != 0 ||
        dup) {
      fprintf(stderr, "lal-history-bench: run %d: %s\n", i, dup ? "duplicate" : why);
      return 2;
    }
    hist_doc_free(&d);
    total_bytes += lens[i % VARIANTS];
  }
  double ingest = now_s() - t0;
  printf("  ingest: %.1f s for %d runs (%.2f ms a run; reading the JSON %.1f s of it, %.0f MB/s)\n",
         ingest, runs, 1000 * ingest / runs, parse_s, (double)total_bytes / 1e6 / parse_s);
  int64_t bytes = 0;
  if (store_kind_of(s) == STORE_SQLITE) {
    store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, 0);
    store_query_int(s, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                    NULL, 0, &bytes);
  } else {
    store_query_int(s,
                    "SELECT pg_total_relation_size('runs') + pg_total_relation_size('results')"
                    " + pg_total_relation_size('series') + pg_total_relation_size('machines')",
                    NULL, 0, &bytes);
  }
  int64_t stored = 0;
  store_query_int(s, "SELECT count(*) FROM runs", NULL, 0, &stored);
  printf("  stored: %lld runs, %.1f KiB a run (database %.1f MiB)\n", (long long)stored,
         (double)bytes / 1024.0 / (double)(stored ? stored : 1), (double)bytes / 1048576.0);
  hq_machine m;
  if (hq_find_machine(s, "bench-host", &m) != 1) {
    fprintf(stderr, "lal-history-bench: the machine is not there\n");
    return 2;
  }
  int64_t series_id = 0;
  store_query_int(s, "SELECT id FROM series ORDER BY id LIMIT 1", NULL, 0, &series_id);
  double best = 1e9;
  size_t points = 0;
  for (int k = 0; k < 5; k++) {
    double q0 = now_s();
    hq_point *pts = NULL;
    if (hq_trend(s, m.id, series_id, "p99", &pts, &points) != 0) {
      fprintf(stderr, "lal-history-bench: %s\n", store_error(s));
      return 2;
    }
    free(pts);
    best = fmin(best, now_s() - q0);
  }
  printf("  trend of one series' p99 over %zu runs: %.1f ms (best of 5)\n", points, best * 1000);
  hist_doc d;
  docs[0][stamps[0] + 3] = '7'; /* 2027: a new run, not one stored */
  hist_doc_parse(docs[0], lens[0], &d, why, sizeof why);
  FILE *null = fopen("/dev/null", "w");
  best = 1e9;
  for (int k = 0; k < 5; k++) {
    double q0 = now_s();
    baseline_opts o = BASELINE_OPTS_DEFAULT;
    baseline_compare(s, &d, &o, null, stderr);
    best = fmin(best, now_s() - q0);
  }
  fclose(null);
  printf("  baseline against the last 30 runs: %.1f ms (best of 5)\n", best * 1000);
  hist_doc_free(&d);
  store_query(s, "SELECT 1", NULL, 0, quiet_row, NULL);
  for (int v = 0; v < VARIANTS; v++)
    free(docs[v]);
  store_close(s);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: lal-history-bench changes [--histories K] | store --db TARGET "
                    "[--runs N] [--series S] [--rounds R] | doc --out FILE [--seed N] [--scale X] "
                    "[--host H] [--os OS] [--start ISO] [--series S] [--rounds R]\n");
    return 2;
  }
  const char *db = NULL, *out = NULL;
  doc_spec spec = {80, 5, 0, 1.0, "test-host", "Linux", "2026-01-01T00:00:00Z"};
  int histories = 1000, runs = 10000, series = 80, rounds = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--db") == 0)
      db = argv[i + 1];
    else if (strcmp(argv[i], "--histories") == 0)
      histories = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--runs") == 0)
      runs = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--series") == 0)
      series = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--rounds") == 0)
      rounds = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--out") == 0)
      out = argv[i + 1];
    else if (strcmp(argv[i], "--scale") == 0)
      spec.scale = atof(argv[i + 1]);
    else if (strcmp(argv[i], "--seed") == 0)
      rng_state ^= (uint64_t)strtoull(argv[i + 1], NULL, 10) * 0x2545f4914f6cdd1du;
    else if (strcmp(argv[i], "--host") == 0)
      spec.host = argv[i + 1];
    else if (strcmp(argv[i], "--os") == 0)
      spec.os = argv[i + 1];
    else if (strcmp(argv[i], "--start") == 0)
      spec.start = argv[i + 1];
  }
  spec.series = series;
  spec.rounds = rounds;
  if (histories < 1 || runs < 1 || series < 1 || rounds < 1) {
    fprintf(stderr, "lal-history-bench: counts must be >= 1\n");
    return 2;
  }
  if (strcmp(argv[1], "changes") == 0) {
    run_changes(histories);
    return 0;
  }
  if (strcmp(argv[1], "doc") == 0 && out) {
    /* One synthetic result for the tests (a seed, a host, an OS, a scale). */
    FILE *f = fopen(out, "w");
    if (!f || spec.scale <= 0) {
      fprintf(stderr, "lal-history-bench: cannot write %s\n", out);
      return 2;
    }
    write_doc(f, &spec);
    return fclose(f) == 0 ? 0 : 2;
  }
  if (strcmp(argv[1], "store") == 0 && db)
    return run_store(db, runs, series, rounds);
  fprintf(stderr, "lal-history-bench: unknown command, or store without --db\n");
  return 2;
}
