/* SPDX-License-Identifier: MIT */
#include "history_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "sha256.h"

static void copy(char *dst, size_t size, const char *src) {
  snprintf(dst, size, "%s", src ? src : "");
}

/* One env value as text: strings as they are, numbers in their shortest
 * exact form, booleans as true/false; tabs and newlines become spaces so a
 * line stays a line. */
static void value_text(const json_value *v, char *out, size_t size) {
  switch (v->type) {
  case JSON_STRING:
    copy(out, size, v->string);
    break;
  case JSON_NUMBER:
    snprintf(out, size, "%.17g", v->number);
    break;
  case JSON_BOOL:
    copy(out, size, v->number != 0 ? "true" : "false");
    break;
  case JSON_NULL:
    copy(out, size, "null");
    break;
  default:
    copy(out, size, "(structured)");
  }
  for (char *p = out; *p; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
}

static int read_env(const json_value *env, hist_doc *d) {
  size_t cap = 256, used = 0;
  d->env = malloc(cap);
  if (!d->env)
    return -1;
  d->env[0] = 0;
  for (size_t i = 0; env && env->type == JSON_OBJECT && i < env->count; i++) {
    char value[1024], line[1400];
    value_text(&env->items[i], value, sizeof value);
    int n = snprintf(line, sizeof line, "%s\t%s\n", env->keys[i], value);
    if (n < 0)
      continue;
    if (used + (size_t)n + 1 > cap) {
      while (used + (size_t)n + 1 > cap)
        cap *= 2;
      char *bigger = realloc(d->env, cap);
      if (!bigger)
        return -1;
      d->env = bigger;
    }
    memcpy(d->env + used, line, (size_t)n + 1);
    used += (size_t)n;
  }
  return 0;
}

static void read_machine(const json_value *env, const json_value *run, hist_machine *m) {
  copy(m->host, sizeof m->host, json_get_string(run, "host", ""));
  copy(m->os, sizeof m->os, json_get_string(env, "os", ""));
  copy(m->cpu_model, sizeof m->cpu_model, json_get_string(env, "cpu_model", ""));
  copy(m->hypervisor, sizeof m->hypervisor, json_get_string(env, "hypervisor", ""));
  copy(m->topology, sizeof m->topology, json_get_string(env, "topology", ""));
  m->cpu_count = (long)json_get_number(env, "cpu_count", 0);
  const json_value *wine = json_get(env, "under_wine");
  m->under_wine = wine && wine->type == JSON_BOOL && wine->number != 0;
  char key[1024], hash[65];
  snprintf(key, sizeof key, "%s\n%s\n%s\n%s\n%s\n%ld\n%d", m->host, m->os, m->cpu_model,
           m->hypervisor, m->topology, m->cpu_count, m->under_wine);
  sha256_hex(key, strlen(key), hash);
  memcpy(m->fingerprint, hash, 16);
  m->fingerprint[16] = 0;
}

static int fail(char *why, size_t size, const char *what, const char *detail) {
  snprintf(why, size, "%s%s", what, detail);
  return -1;
}

static int read_series(const json_value *obj, int version, hist_series *s, lal_hist *h, char *why,
                       size_t why_size) {
  copy(s->workload, sizeof s->workload, json_get_string(obj, RESULT_WORKLOAD, ""));
  copy(s->name, sizeof s->name, json_get_string(obj, RESULT_SERIES, ""));
  copy(s->unit, sizeof s->unit, json_get_string(obj, RESULT_UNIT, ""));
  char reason[160];
  result_series rs;
  int loaded = result_series_load(obj, version, &rs, reason, sizeof reason) == 0;
  if (loaded)
    result_series_free(&rs);
  if (!loaded || result_hist_to_lal(obj, h) != 0) {
    snprintf(why, why_size, "series \"%s\" / \"%s\": %s", s->workload, s->name,
             loaded ? "buckets that are not lal_hist's" : reason);
    return -1;
  }
  s->count = h->count;
  s->min = json_get_number(obj, "min", 0);
  s->max = json_get_number(obj, "max", 0);
  for (int p = 0; p < RESULT_NPCT; p++)
    s->pct[p] = json_get_number(obj, result_pct_names[p], -1);
  s->cpu_pct = json_get_number(obj, "cpu_pct", -1);
  if (codec_encode_hist(h, &s->buckets, &s->buckets_len) != 0)
    return fail(why, why_size, "out of memory", "");
  const json_value *rounds = json_get(obj, RESULT_ROUNDS);
  s->rounds = rounds && rounds->type == JSON_ARRAY ? rounds->count : 1;
  s->round_pcts = calloc(s->rounds ? s->rounds : 1, RESULT_NPCT * 4);
  if (!s->round_pcts)
    return fail(why, why_size, "out of memory", "");
  for (size_t r = 0; r < s->rounds; r++) {
    const json_value *ro = rounds && rounds->type == JSON_ARRAY ? &rounds->items[r] : obj;
    for (int p = 0; p < RESULT_NPCT; p++)
      codec_put_f32(s->round_pcts + (r * RESULT_NPCT + (size_t)p) * 4,
                    (float)json_get_number(ro, result_pct_names[p], -1));
  }
  return 0;
}

int hist_doc_parse(const char *text, size_t len, hist_doc *d, char *why, size_t why_size) {
  memset(d, 0, sizeof *d);
  sha256_hex(text, len, d->hash);
  if (!d->hash[0])
    return fail(why, why_size, "libcrypto refused to compute SHA-256", "");
  char err[200];
  json_value *doc = json_parse(text, err, sizeof err);
  if (!doc)
    return fail(why, why_size, "not JSON (truncated or corrupt?): ", err);
  int rc = -1;
  lal_hist *h = NULL;
  const char *schema = json_get_string(doc, "schema", NULL);
  const json_value *results = json_get(doc, "results");
  if (doc->type != JSON_OBJECT || !schema) {
    fail(why, why_size, "not a lal-bench result (no \"schema\")", "");
    goto out;
  }
  d->version = result_schema_version(schema);
  if (!d->version) {
    snprintf(why, why_size,
             "format \"%s\" is not one this lal-history reads (lal-bench/1, lal-bench/2): a "
             "newer lal-bench wrote it?",
             schema);
    goto out;
  }
  if (!results || results->type != JSON_ARRAY) {
    fail(why, why_size, "no \"results\" array", "");
    goto out;
  }
  const json_value *env = json_get(doc, "env"), *run = json_get(doc, "run");
  read_machine(env, run, &d->machine);
  copy(d->start_utc, sizeof d->start_utc, json_get_string(run, "start_utc", ""));
  copy(d->lal_version, sizeof d->lal_version,
       json_get_string(run, "lal_version", json_get_string(env, "lal_version", "")));
  copy(d->os_release, sizeof d->os_release, json_get_string(env, "os_release", ""));
  copy(d->build_type, sizeof d->build_type, json_get_string(run, "build_type", ""));
  copy(d->command_line, sizeof d->command_line, json_get_string(run, "command_line", ""));
  const json_value *complete = json_get(run, "complete");
  d->complete = !complete || (complete->type == JSON_BOOL && complete->number != 0);
  if (read_env(env, d) != 0 || !(h = malloc(sizeof *h)) ||
      !(d->series = calloc(results->count ? results->count : 1, sizeof *d->series))) {
    fail(why, why_size, "out of memory", "");
    goto out;
  }
  for (size_t i = 0; i < results->count; i++) {
    const json_value *obj = &results->items[i];
    /* clock_accuracy is one measurement, not a distribution: no buckets. */
    if (obj->type != JSON_OBJECT || !json_get(obj, RESULT_BUCKETS))
      continue;
    if (read_series(obj, d->version, &d->series[d->n_series], h, why, why_size) != 0) {
      d->n_series++; /* so hist_doc_free frees what it holds */
      goto out;
    }
    d->n_series++;
  }
  rc = 0;
out:
  free(h);
  json_free(doc);
  if (rc != 0)
    hist_doc_free(d);
  return rc;
}

int hist_doc_load(const char *path, hist_doc *d, char *why, size_t why_size) {
  memset(d, 0, sizeof *d);
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(why, why_size, "cannot open it: ", strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *text = malloc(cap);
  while (text) {
    size_t got = fread(text + len, 1, cap - len - 1, f);
    len += got;
    if (len + 1 < cap)
      break;
    char *bigger = realloc(text, cap * 2);
    if (!bigger) {
      free(text);
      text = NULL;
      break;
    }
    text = bigger;
    cap *= 2;
  }
  int read_error = ferror(f);
  fclose(f);
  if (!text)
    return fail(why, why_size, "out of memory", "");
  if (read_error) {
    free(text);
    return fail(why, why_size, "read error", "");
  }
  text[len] = 0;
  int rc = hist_doc_parse(text, len, d, why, why_size);
  free(text);
  return rc;
}

void hist_doc_free(hist_doc *d) {
  for (size_t i = 0; i < d->n_series; i++) {
    free(d->series[i].round_pcts);
    free(d->series[i].buckets);
  }
  free(d->series);
  free(d->env);
  memset(d, 0, sizeof *d);
}
