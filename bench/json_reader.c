/* SPDX-License-Identifier: MIT */
/* A recursive-descent JSON parser (RFC 8259) with depth and error reporting. */
#include "json_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct parser {
  const char *text, *p;
  char *err;
  size_t err_size;
  int failed;
} parser;

static void fail(parser *ps, const char *what) {
  if (ps->failed)
    return;
  ps->failed = 1;
  int line = 1, col = 1;
  for (const char *q = ps->text; q < ps->p; q++)
    if (*q == '\n')
      line++, col = 1;
    else
      col++;
  snprintf(ps->err, ps->err_size, "line %d, column %d: %s", line, col, what);
}

static void skip_ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
    ps->p++;
}

static int value(parser *ps, json_value *out, int depth);

static char *string(parser *ps) {
  if (*ps->p != '"')
    return fail(ps, "expected a string"), NULL;
  ps->p++;
  size_t cap = 16, n = 0;
  char *s = malloc(cap);
  while (s && *ps->p != '"') {
    unsigned char c = (unsigned char)*ps->p;
    if (c == '\0' || c < 0x20) {
      fail(ps, c ? "control character in a string" : "unterminated string");
      free(s);
      return NULL;
    }
    if (n + 8 > cap) {
      char *g = realloc(s, cap *= 2);
      if (!g)
        break;
      s = g;
    }
    if (c != '\\') {
      s[n++] = (char)c, ps->p++;
      continue;
    }
    ps->p++;
    char e = *ps->p++;
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *hit = e ? strchr(from, e) : NULL;
    if (hit) {
      s[n++] = to[hit - from];
    } else if (e == 'u') {
      unsigned cp = 0;
      for (int i = 0; i < 4; i++) {
        char h = *ps->p++;
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0) {
          fail(ps, "bad \\u escape");
          free(s);
          return NULL;
        }
        cp = cp << 4 | (unsigned)d;
      }
      if (cp < 0x80) { /* UTF-8 out; surrogate pairs are kept as two code points */
        s[n++] = (char)cp;
      } else if (cp < 0x800) {
        s[n++] = (char)(0xC0 | cp >> 6), s[n++] = (char)(0x80 | (cp & 0x3F));
      } else {
        s[n++] = (char)(0xE0 | cp >> 12), s[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
        s[n++] = (char)(0x80 | (cp & 0x3F));
      }
    } else {
      fail(ps, "bad escape");
      free(s);
      return NULL;
    }
  }
  if (!s)
    return fail(ps, "out of memory"), NULL;
  ps->p++;
  s[n] = '\0';
  return s;
}

static int number(parser *ps, json_value *out) {
  const char *start = ps->p;
  if (*ps->p == '-')
    ps->p++;
  if (*ps->p < '0' || *ps->p > '9')
    return fail(ps, "expected a value"), -1;
  while ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '.' || *ps->p == 'e' || *ps->p == 'E' ||
         *ps->p == '+' || *ps->p == '-')
    ps->p++;
  char *end;
  out->type = JSON_NUMBER;
  out->number = strtod(start, &end);
  if (end != ps->p)
    return fail(ps, "malformed number"), -1;
  return 0;
}

static int container(parser *ps, json_value *out, int depth, int object) {
  ps->p++;
  out->type = object ? JSON_OBJECT : JSON_ARRAY;
  size_t cap = 0;
  skip_ws(ps);
  if (*ps->p == (object ? '}' : ']')) {
    ps->p++;
    return 0;
  }
  for (;;) {
    if (out->count == cap) {
      cap = cap ? cap * 2 : 8;
      json_value *items = realloc(out->items, cap * sizeof *items);
      char **keys = object ? realloc(out->keys, cap * sizeof *keys) : NULL;
      if (items)
        out->items = items;
      if (keys)
        out->keys = keys;
      if (!items || (object && !keys))
        return fail(ps, "out of memory"), -1;
    }
    json_value *item = &out->items[out->count];
    memset(item, 0, sizeof *item);
    skip_ws(ps);
    if (object) {
      out->keys[out->count] = string(ps);
      if (!out->keys[out->count])
        return -1;
      skip_ws(ps);
      if (*ps->p != ':') {
        out->count++, item->type = JSON_NULL;
        return fail(ps, "expected ':'"), -1;
      }
      ps->p++;
    }
    out->count++;
    if (value(ps, item, depth + 1) != 0)
      return -1;
    skip_ws(ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == (object ? '}' : ']')) {
      ps->p++;
      return 0;
    }
    return fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'"), -1;
  }
}

static int value(parser *ps, json_value *out, int depth) {
  if (depth > MAX_DEPTH)
    return fail(ps, "nested too deeply"), -1;
  skip_ws(ps);
  switch (*ps->p) {
  case '{':
    return container(ps, out, depth, 1);
  case '[':
    return container(ps, out, depth, 0);
  case '"':
    out->type = JSON_STRING;
    out->string = string(ps);
    return out->string ? 0 : -1;
  case 't':
  case 'f':
  case 'n': {
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++)
      if (strncmp(ps->p, words[i], strlen(words[i])) == 0) {
        ps->p += strlen(words[i]);
        out->type = i == 2 ? JSON_NULL : JSON_BOOL;
        out->number = i == 0;
        return 0;
      }
    return fail(ps, "expected a value"), -1;
  }
  case '\0':
    return fail(ps, "unexpected end of input"), -1;
  default:
    return number(ps, out);
  }
}

static void free_children(json_value *v) {
  for (size_t i = 0; i < v->count; i++) {
    if (v->keys)
      free(v->keys[i]);
    free_children(&v->items[i]);
  }
  free(v->keys);
  free(v->items);
  free(v->string);
}

void json_free(json_value *v) {
  if (!v)
    return;
  free_children(v);
  free(v);
}

json_value *json_parse(const char *text, char *err, size_t err_size) {
  parser ps = {text, text, err, err_size, 0};
  json_value *root = calloc(1, sizeof *root);
  if (!root) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  if (value(&ps, root, 0) == 0) {
    skip_ws(&ps);
    if (*ps.p)
      fail(&ps, "text after the document");
  }
  if (ps.failed) {
    json_free(root);
    return NULL;
  }
  return root;
}

const json_value *json_get(const json_value *obj, const char *key) {
  if (!obj || obj->type != JSON_OBJECT)
    return NULL;
  for (size_t i = 0; i < obj->count; i++)
    if (strcmp(obj->keys[i], key) == 0)
      return &obj->items[i];
  return NULL;
}

const char *json_get_string(const json_value *obj, const char *key, const char *fallback) {
  const json_value *v = json_get(obj, key);
  return v && v->type == JSON_STRING ? v->string : fallback;
}

double json_get_number(const json_value *obj, const char *key, double fallback) {
  const json_value *v = json_get(obj, key);
  return v && v->type == JSON_NUMBER ? v->number : fallback;
}
