/* SPDX-License-Identifier: MIT */
/* A minimal streaming JSON writer (RFC 8259 strings; two-space indentation). */
#include "json_writer.h"

#include <inttypes.h>

#include "common/json_string.h"

void json_init(json_writer *w, FILE *out) {
  w->out = out;
  w->depth = 0;
  w->count[0] = 0;
}

/* Comma, newline and indentation before a member, then its key. */
static void member(json_writer *w, const char *key) {
  if (w->count[w->depth]++ > 0)
    fputc(',', w->out);
  if (w->depth > 0) {
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
      fputs("  ", w->out);
  }
  if (key) {
    lali_json_put_string(w->out, key);
    fputs(": ", w->out);
  }
}

static void open_container(json_writer *w, const char *key, char bracket) {
  member(w, key);
  fputc(bracket, w->out);
  if (w->depth + 1 < JSON_MAX_DEPTH)
    w->count[++w->depth] = 0;
}

static void close_container(json_writer *w, char bracket) {
  int had_members = w->count[w->depth] > 0;
  if (w->depth > 0)
    w->depth--;
  if (had_members) {
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
      fputs("  ", w->out);
  }
  fputc(bracket, w->out);
}

void json_object_begin(json_writer *w, const char *key) { open_container(w, key, '{'); }
void json_object_end(json_writer *w) { close_container(w, '}'); }
void json_array_begin(json_writer *w, const char *key) { open_container(w, key, '['); }
void json_array_end(json_writer *w) { close_container(w, ']'); }

void json_string(json_writer *w, const char *key, const char *value) {
  member(w, key);
  lali_json_put_string(w->out, value);
}

void json_int(json_writer *w, const char *key, long long value) {
  member(w, key);
  fprintf(w->out, "%" PRId64, (int64_t)value);
}

void json_uint(json_writer *w, const char *key, uint64_t value) {
  member(w, key);
  fprintf(w->out, "%" PRIu64, value);
}

void json_bool(json_writer *w, const char *key, int value) {
  member(w, key);
  fputs(value ? "true" : "false", w->out);
}

void json_double(json_writer *w, const char *key, double value) {
  member(w, key);
  if (value != value || value > 1.7e308 || value < -1.7e308)
    fputs("null", w->out);
  else
    fprintf(w->out, "%.6g", value);
}

void json_null(json_writer *w, const char *key) {
  member(w, key);
  fputs("null", w->out);
}

void json_finish(json_writer *w) { fputc('\n', w->out); }
