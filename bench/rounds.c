/* SPDX-License-Identifier: MIT */
/*
 * The rounds of rounds.h. Each run of a workload writes its series into a
 * temporary file of its own (the workloads are unchanged: they write to a
 * json_writer), which is read back with the result format's reader; once
 * every round has run, each series is written once: its pooled distribution
 * (the rounds' histograms merged), what it obtained and where it ran, and
 * its rounds, each with its own distribution.
 */
#include "rounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_os.h"
#include "json_reader.h"
#include "result_format.h"

/* xorshift64*: the interleaving needs no more, and is the same on both OSes. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * UINT64_C(2685821657736338717);
}

/* One run of one workload in one round: its results, parsed. */
typedef struct run_output {
  json_value *doc; /* {"results": [...]}; NULL if the workload did not run */
  int position;    /* its place in the round's order, from 1 */
} run_output;

static int measures_once(const workload *w) { return strcmp(w->name, "clock_accuracy") == 0; }

/* Runs w once, its output into a temporary file, and parses it back. */
static int run_one(const workload *w, const bench_opts *opts, run_output *out, int *failed) {
  FILE *f = bench_os_temp_file();
  if (!f) {
    fprintf(stderr, "lal-bench: no temporary file for %s's results\n", w->name);
    return -1;
  }
  json_writer jw;
  json_init(&jw, f);
  json_object_begin(&jw, NULL);
  json_array_begin(&jw, "results");
  /* Each workload starts from the harness's state, whatever the previous
   * one did to the thread's affinity or scheduling. */
  lal_thread_state state;
  int saved = lal_thread_state_save(&state) == LAL_OK;
  uint64_t t0 = lal_now_ns();
  if (w->run(opts, &jw) != 0) {
    printf("  %s: FAILED\n", w->name);
    *failed = 1;
  }
  printf("  (%.1f s)\n", (double)(lal_now_ns() - t0) / 1e9);
  fflush(stdout);
  if (saved)
    lal_thread_state_restore(&state);
  json_array_end(&jw);
  json_object_end(&jw);
  json_finish(&jw);
  long size = ftell(f);
  char *text = size > 0 ? malloc((size_t)size + 1) : NULL;
  int rc = -1;
  if (text && fseek(f, 0, SEEK_SET) == 0 && fread(text, 1, (size_t)size, f) == (size_t)size) {
    text[size] = '\0';
    char err[160];
    out->doc = json_parse(text, err, sizeof err);
    if (!out->doc)
      fprintf(stderr, "lal-bench: %s wrote malformed JSON: %s\n", w->name, err);
    rc = out->doc ? 0 : -1;
  }
  free(text);
  fclose(f);
  return rc;
}

/* ---- merging a series' rounds */

static const json_value *results_of(const run_output *o) {
  const json_value *r = o->doc ? json_get(o->doc, "results") : NULL;
  return r && r->type == JSON_ARRAY && r->width == 0 ? r : NULL;
}

static const json_value *find_in(const run_output *o, const char *series) {
  const json_value *r = results_of(o);
  for (size_t i = 0; r && i < r->count; i++)
    if (strcmp(json_get_string(&r->items[i], RESULT_SERIES, ""), series) == 0)
      return &r->items[i];
  return NULL;
}

/* A JSON value copied as it was read (numbers whole where they are whole). */
static void copy_value(json_writer *jw, const char *key, const json_value *v) {
  switch (v->type) {
  case JSON_NULL:
    json_null(jw, key);
    break;
  case JSON_BOOL:
    json_bool(jw, key, v->number != 0);
    break;
  case JSON_NUMBER:
    if (v->number == (double)(long long)v->number)
      json_int(jw, key, (long long)v->number);
    else
      json_double(jw, key, v->number);
    break;
  case JSON_STRING:
    json_string(jw, key, v->string);
    break;
  case JSON_OBJECT:
    json_object_begin(jw, key);
    for (size_t i = 0; i < v->count; i++)
      copy_value(jw, v->keys[i], &v->items[i]);
    json_object_end(jw);
    break;
  case JSON_ARRAY:
    json_array_begin(jw, key);
    if (v->width == 0) {
      for (size_t i = 0; i < v->count; i++)
        copy_value(jw, NULL, &v->items[i]);
    } else {
      for (size_t i = 0; i < v->count; i++) {
        if (v->width > 1)
          json_array_begin(jw, NULL);
        for (unsigned j = 0; j < v->width; j++) {
          double x = v->numbers[i * v->width + j];
          if (x == (double)(long long)x)
            json_int(jw, NULL, (long long)x);
          else
            json_double(jw, NULL, x);
        }
        if (v->width > 1)
          json_array_end(jw);
      }
    }
    json_array_end(jw);
    break;
  }
}

/* "ran_on" summed over the rounds: migrations, wake-ups per CPU and per CPU
 * kind (the kinds come in the topology's order, the same every round). */
static void merge_ran_on(json_writer *jw, const json_value *const *parts, int n) {
  const json_value *first = NULL;
  for (int r = 0; r < n && !first; r++)
    first = parts[r] ? json_get(parts[r], "ran_on") : NULL;
  if (!first)
    return;
  static double waits[LAL_CPUSET_MAX];
  memset(waits, 0, sizeof waits);
  double migrations = 0;
  for (int r = 0; r < n; r++) {
    const json_value *on = parts[r] ? json_get(parts[r], "ran_on") : NULL;
    migrations += json_get_number(on, "migrations", 0);
    const json_value *cpus = json_get(on, "cpus");
    for (size_t i = 0; cpus && cpus->type == JSON_ARRAY && i < cpus->count; i++) {
      double cpu = json_number_at(cpus, i, 0, -1);
      if (cpu >= 0 && cpu < LAL_CPUSET_MAX)
        waits[(int)cpu] += json_number_at(cpus, i, 1, 0);
    }
  }
  json_object_begin(jw, "ran_on");
  json_uint(jw, "migrations", (uint64_t)migrations);
  json_array_begin(jw, "cpus");
  for (int cpu = 0; cpu < LAL_CPUSET_MAX; cpu++)
    if (waits[cpu] > 0) {
      json_array_begin(jw, NULL);
      json_int(jw, NULL, cpu);
      json_uint(jw, NULL, (uint64_t)waits[cpu]);
      json_array_end(jw);
    }
  json_array_end(jw);
  const json_value *kinds = json_get(first, "kinds");
  if (kinds && kinds->type == JSON_ARRAY && kinds->width == 0) {
    json_array_begin(jw, "kinds");
    for (size_t k = 0; k < kinds->count; k++) {
      const char *name = json_get_string(&kinds->items[k], "name", "");
      double sum = 0;
      for (int r = 0; r < n; r++) {
        const json_value *rk = parts[r] ? json_get(json_get(parts[r], "ran_on"), "kinds") : NULL;
        for (size_t j = 0; rk && rk->type == JSON_ARRAY && rk->width == 0 && j < rk->count; j++)
          if (strcmp(json_get_string(&rk->items[j], "name", ""), name) == 0)
            sum += json_get_number(&rk->items[j], "waits", 0);
      }
      json_object_begin(jw, NULL);
      json_string(jw, "name", name);
      json_int(jw, "perf_rank", (long long)json_get_number(&kinds->items[k], "perf_rank", 0));
      json_uint(jw, "waits", (uint64_t)sum);
      json_object_end(jw);
    }
    json_array_end(jw);
  }
  json_object_end(jw);
}

/* One series: pooled, then each round (parts[r] NULL where the round lacks it). */
static int write_series(json_writer *jw, const json_value *const *parts, const run_output *runs,
                        int n) {
  const json_value *first = NULL;
  for (int r = 0; r < n && !first; r++)
    first = parts[r];
  static lal_hist pooled, one;
  lal_hist_reset(&pooled);
  double cpu_sum = 0;
  int cpu_n = 0;
  for (int r = 0; r < n; r++) {
    if (!parts[r])
      continue;
    if (result_hist_to_lal(parts[r], &one) != 0 || lal_hist_merge(&pooled, &one) != LAL_OK)
      return -1;
    double c = json_get_number(parts[r], "cpu_pct", -1);
    if (c >= 0)
      cpu_sum += c, cpu_n++;
  }
  json_object_begin(jw, NULL);
  static const char *const copied[] = {RESULT_WORKLOAD, RESULT_SERIES, RESULT_UNIT, "obtained",
                                       "params"};
  for (size_t k = 0; k < sizeof copied / sizeof copied[0]; k++) {
    const json_value *v = json_get(first, copied[k]);
    if (v)
      copy_value(jw, copied[k], v);
  }
  merge_ran_on(jw, parts, n);
  if (cpu_n)
    json_double(jw, "cpu_pct", cpu_sum / cpu_n);
  result_write_distribution(jw, &pooled);
  json_array_begin(jw, RESULT_ROUNDS);
  for (int r = 0; r < n; r++) {
    if (!parts[r])
      continue;
    result_hist_to_lal(parts[r], &one);
    json_object_begin(jw, NULL);
    json_int(jw, RESULT_ROUND, r + 1);
    json_int(jw, RESULT_POSITION, runs[r].position);
    const json_value *obtained = json_get(parts[r], "obtained");
    if (obtained)
      copy_value(jw, "obtained", obtained);
    const json_value *cpu = json_get(parts[r], "cpu_pct");
    if (cpu)
      copy_value(jw, "cpu_pct", cpu);
    result_write_distribution(jw, &one);
    json_object_end(jw);
  }
  json_array_end(jw);
  json_object_end(jw);
  return 0;
}

/* Every series of workload w (runs[r]: its output in round r), in the order
 * they first appear; results without a series (clock_accuracy) as written. */
static int write_workload(json_writer *jw, const run_output *runs, int n) {
  const json_value **parts = calloc((size_t)n, sizeof *parts);
  if (!parts)
    return -1;
  int rc = 0;
  for (int r = 0; r < n && rc == 0; r++) {
    const json_value *res = results_of(&runs[r]);
    for (size_t i = 0; res && i < res->count && rc == 0; i++) {
      const json_value *item = &res->items[i];
      const char *series = json_get_string(item, RESULT_SERIES, NULL);
      if (!series) {
        if (r == 0 || !results_of(&runs[0]))
          copy_value(jw, NULL, item);
        continue;
      }
      int seen = 0; /* written with an earlier round */
      for (int e = 0; e < r && !seen; e++)
        seen = find_in(&runs[e], series) != NULL;
      if (seen)
        continue;
      for (int k = 0; k < n; k++)
        parts[k] = find_in(&runs[k], series);
      rc = write_series(jw, parts, runs, n);
    }
  }
  free(parts);
  return rc;
}

struct rounds_collector {
  const workload *workloads;
  size_t count;
  int rounds;
  run_output *runs; /* count x rounds: runs[w * rounds + r] */
};

rounds_collector *rounds_collector_new(const workload *workloads, size_t count, int rounds) {
  rounds_collector *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->workloads = workloads, c->count = count, c->rounds = rounds;
  size_t n = count * (size_t)rounds;
  c->runs = calloc(n > 0 ? n : 1, sizeof *c->runs);
  if (!c->runs) {
    free(c);
    return NULL;
  }
  return c;
}

void rounds_collector_free(rounds_collector *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->count * (size_t)c->rounds; i++)
    json_free(c->runs[i].doc);
  free(c->runs);
  free(c);
}

int rounds_collector_run(rounds_collector *c, int round, const char *label, const bench_opts *opts,
                         uint64_t *seed, volatile sig_atomic_t *stop, int *failed) {
  size_t m = c->count;
  size_t *order = calloc(m ? m : 1, sizeof *order);
  if (!order)
    return 2;
  for (size_t i = 0; i < m; i++)
    order[i] = i;
  for (size_t i = m; i > 1; i--) { /* Fisher-Yates */
    size_t j = (size_t)(next_random(seed) % i), t = order[i - 1];
    order[i - 1] = order[j], order[j] = t;
  }
  int position = 0, status = 0;
  for (size_t i = 0; i < m && status == 0; i++) {
    if (*stop) {
      status = 1;
      break;
    }
    const workload *w = &c->workloads[order[i]];
    if (round > 0 && measures_once(w))
      continue;
    printf("== %s (%sround %d of %d): %s\n", w->name, label, round + 1, c->rounds, w->description);
    fflush(stdout);
    run_output *o = &c->runs[order[i] * (size_t)c->rounds + (size_t)round];
    o->position = ++position;
    /* What measures once gets the whole duration, not a round's share. */
    bench_opts whole = *opts;
    whole.duration_s *= c->rounds;
    if (run_one(w, measures_once(w) ? &whole : opts, o, failed) != 0)
      status = 2;
  }
  free(order);
  return status == 2 ? 2 : (*stop ? 1 : 0);
}

int rounds_collector_write(const rounds_collector *c, json_writer *out) {
  for (size_t w = 0; w < c->count; w++)
    if (write_workload(out, &c->runs[w * (size_t)c->rounds], c->rounds) != 0) {
      fprintf(stderr, "lal-bench: %s's rounds could not be merged\n", c->workloads[w].name);
      return 2;
    }
  return 0;
}

int bench_run_rounds(const rounds_plan *plan, const bench_opts *opts, json_writer *out,
                     int *rounds_done) {
  rounds_collector *c = rounds_collector_new(plan->workloads, plan->count, plan->rounds);
  if (!c)
    return 2;
  uint64_t s = plan->seed ? plan->seed : 1;
  int failed = 0, status = 0;
  *rounds_done = 0;
  for (int r = 0; r < plan->rounds && !*plan->stop && status == 0; r++) {
    int rc = rounds_collector_run(c, r, "", opts, &s, plan->stop, &failed);
    if (rc == 2)
      status = 2;
    else if (rc == 0)
      ++*rounds_done;
  }
  if (status == 0)
    status = rounds_collector_write(c, out);
  rounds_collector_free(c);
  return status ? status : failed;
}
