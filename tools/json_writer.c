/* SPDX-License-Identifier: MIT */
/* A minimal streaming JSON writer (RFC 8259 strings; two-space indentation). */
#include "json_writer.h"

#include <inttypes.h>

void json_init(json_writer *w, FILE *out) {
  w->out = out;
  w->depth = 0;
  w->count[0] = 0;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0 if the bytes are not one. */
static int utf8_length(const unsigned char *p) {
  unsigned char c = p[0];
  int n;
  unsigned min;
  unsigned cp;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, min = 0x80, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, min = 0x800, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, min = 0x10000, cp = c & 0x07;
  else
    return 0;
  for (int i = 1; i < n; i++) {
    if ((p[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
      return 0;
    cp = cp << 6 | (p[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

/* A JSON string is UTF-8 (RFC 8259 section 8.1): text read from /proc, /sys
 * or a recorded tree may hold any byte, and each byte that is not part of a
 * well-formed sequence becomes U+FFFD, so the output always parses. */
static void write_escaped(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    int n = utf8_length(p);
    if (n == 0) {
      fputs("\\ufffd", out);
      p++;
    } else if (n > 1) {
      fwrite(p, 1, (size_t)n, out);
      p += n;
    } else {
      if (*p == '"' || *p == '\\')
        fprintf(out, "\\%c", *p);
      else if (*p == '\n')
        fputs("\\n", out);
      else if (*p < 0x20)
        fprintf(out, "\\u%04x", *p);
      else
        fputc(*p, out);
      p++;
    }
  }
  fputc('"', out);
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
    write_escaped(w->out, key);
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
  write_escaped(w->out, value);
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
