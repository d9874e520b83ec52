/* SPDX-License-Identifier: MIT */
/*
 * A recursive-descent JSON parser (RFC 8259) with depth and error reporting,
 * built for lal-bench results: tens of megabytes of histogram buckets, arrays
 * of [bound, count] pairs. Two things keep it fast and small:
 *   - one arena per document: every value, string and array is carved out of
 *     large chunks at its exact size (no per-node malloc, no realloc
 *     doubling), and json_free releases the chunks;
 *   - numeric arrays are stored as doubles, not as one json_value per number:
 *     [1, 2, 3] is a flat array (width 1), and an array of equally long
 *     numeric arrays ([[lo, n], [lo, n], ...]) one matrix (width 2). While a
 *     numeric array's parent is still open, its numbers wait on a scratch
 *     stack, so a matrix is built with one copy.
 * Measured on a 50 MB result (1,494 series of 2,000 buckets): see the README.
 */
#include "json_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define CHUNK_BYTES ((size_t)1 << 20)

/* ---- the arena */

typedef struct chunk {
  struct chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
} chunk;

typedef struct document {
  json_value root; /* first: json_free gets the document from it */
  chunk *chunks;
} document;

static void *arena_alloc(document *d, size_t bytes) {
  bytes = (bytes + 15) & ~(size_t)15;
  chunk *c = d->chunks;
  if (!c || c->size - c->used < bytes) {
    size_t size = bytes > CHUNK_BYTES ? bytes : CHUNK_BYTES;
    chunk *n = malloc(sizeof *n + size);
    if (!n)
      return NULL;
    n->used = 0;
    n->size = size;
    /* A chunk made for one large block goes behind the current one, which
     * keeps its free space for the small blocks that follow. */
    if (c && size == bytes) {
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      d->chunks = n;
    }
    c = n;
  }
  void *p = c->data + c->used;
  c->used += bytes;
  return p;
}

/* ---- the parser and its scratch stacks */

typedef struct parser {
  const char *text, *p;
  char *err;
  size_t err_size;
  int failed;
  document *doc;
  json_value *vals; /* children of the open containers, in order */
  size_t nvals, capvals;
  size_t *pending; /* per child: offset of its numbers in `nums`, or SIZE_MAX */
  size_t cappending;
  char **keys; /* keys of the open objects' children */
  size_t nkeys, capkeys;
  double *nums; /* numbers of numeric arrays whose parent is still open */
  size_t nnums, capnums;
  char *sbuf; /* a string being unescaped */
  size_t capsbuf;
} parser;

#define NOT_PENDING SIZE_MAX

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

/* Grows *buf (elements of `elem` bytes) to hold `need`; 0 or -1. */
static int grow(void **buf, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap : 64;
  while (n < need)
    n *= 2;
  void *g = realloc(*buf, n * elem);
  if (!g)
    return -1;
  *buf = g;
  *cap = n;
  return 0;
}

static void skip_ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
    ps->p++;
}

static int value(parser *ps, json_value *out, size_t *pending, int depth);

/* A string, unescaped into the arena; NULL on error. */
static char *string(parser *ps) {
  if (*ps->p != '"')
    return fail(ps, "expected a string"), NULL;
  ps->p++;
  size_t n = 0;
  for (;;) {
    if (grow((void **)&ps->sbuf, &ps->capsbuf, n + 8, 1) != 0)
      return fail(ps, "out of memory"), NULL;
    char *s = ps->sbuf;
    unsigned char c = (unsigned char)*ps->p;
    if (c == '"')
      break;
    if (c == '\0' || c < 0x20)
      return fail(ps, c ? "control character in a string" : "unterminated string"), NULL;
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
        if (d < 0)
          return fail(ps, "bad \\u escape"), NULL;
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
      return fail(ps, "bad escape"), NULL;
    }
  }
  ps->p++;
  char *out = arena_alloc(ps->doc, n + 1);
  if (!out)
    return fail(ps, "out of memory"), NULL;
  memcpy(out, ps->sbuf, n);
  out[n] = '\0';
  return out;
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

/* Gives a pending numeric array (numbers at `off` in the scratch stack) its
 * own copy in the arena. */
static int materialize(parser *ps, json_value *v, size_t off) {
  size_t n = v->count;
  v->numbers = arena_alloc(ps->doc, n ? n * sizeof(double) : 1);
  if (!v->numbers)
    return fail(ps, "out of memory"), -1;
  memcpy(v->numbers, ps->nums + off, n * sizeof(double));
  return 0;
}

/* Closes the container whose children are vals[start..nvals): builds *out,
 * sets *pending when it is itself a numeric array left on the scratch stack. */
static int close_container(parser *ps, json_value *out, size_t *pending, size_t start, int object) {
  size_t n = ps->nvals - start;
  json_value *kids = ps->vals + start;
  size_t *kid_pending = ps->pending + start;
  out->count = n;
  if (!object && n > 0) {
    int all_numbers = 1, all_rows = 1;
    for (size_t i = 0; i < n && (all_numbers || all_rows); i++) {
      all_numbers &= kids[i].type == JSON_NUMBER;
      all_rows &=
          kid_pending[i] != NOT_PENDING && kids[i].count == kids[0].count && kids[0].count > 0;
    }
    if (all_numbers) { /* [1, 2, 3]: pending on the scratch stack, parent decides */
      if (grow((void **)&ps->nums, &ps->capnums, ps->nnums + n, sizeof(double)) != 0)
        return fail(ps, "out of memory"), -1;
      *pending = ps->nnums;
      for (size_t i = 0; i < n; i++)
        ps->nums[ps->nnums++] = kids[i].number;
      out->width = 1;
      ps->nvals = start;
      return 0;
    }
    if (all_rows) { /* [[a, b], [c, d], ...]: contiguous on the scratch stack */
      size_t k = kids[0].count, off = kid_pending[0];
      out->width = (uint32_t)k;
      out->numbers = arena_alloc(ps->doc, n * k * sizeof(double));
      if (!out->numbers)
        return fail(ps, "out of memory"), -1;
      memcpy(out->numbers, ps->nums + off, n * k * sizeof(double));
      ps->nnums = off;
      ps->nvals = start;
      return 0;
    }
  }
  /* Mixed: every child gets its own place; pending numeric children first
   * copy their numbers out of the scratch stack. */
  size_t lowest = ps->nnums;
  for (size_t i = 0; i < n; i++)
    if (kid_pending[i] != NOT_PENDING) {
      if (materialize(ps, &kids[i], kid_pending[i]) != 0)
        return -1;
      if (kid_pending[i] < lowest)
        lowest = kid_pending[i];
    }
  ps->nnums = lowest;
  if (n) {
    out->items = arena_alloc(ps->doc, n * sizeof *out->items);
    if (!out->items)
      return fail(ps, "out of memory"), -1;
    memcpy(out->items, kids, n * sizeof *kids);
  }
  if (object && n) {
    out->keys = arena_alloc(ps->doc, n * sizeof *out->keys);
    if (!out->keys)
      return fail(ps, "out of memory"), -1;
    memcpy(out->keys, ps->keys + ps->nkeys - n, n * sizeof *out->keys);
    ps->nkeys -= n;
  }
  ps->nvals = start;
  return 0;
}

static int container(parser *ps, json_value *out, size_t *pending, int depth, int object) {
  ps->p++;
  out->type = object ? JSON_OBJECT : JSON_ARRAY;
  size_t start = ps->nvals;
  skip_ws(ps);
  if (*ps->p == (object ? '}' : ']')) {
    ps->p++;
    return 0;
  }
  for (;;) {
    skip_ws(ps);
    if (object) {
      char *key = string(ps);
      if (!key)
        return -1;
      if (grow((void **)&ps->keys, &ps->capkeys, ps->nkeys + 1, sizeof *ps->keys) != 0)
        return fail(ps, "out of memory"), -1;
      ps->keys[ps->nkeys++] = key;
      skip_ws(ps);
      if (*ps->p != ':')
        return fail(ps, "expected ':'"), -1;
      ps->p++;
    }
    json_value item;
    memset(&item, 0, sizeof item);
    size_t item_pending = NOT_PENDING;
    if (value(ps, &item, &item_pending, depth + 1) != 0)
      return -1;
    if (grow((void **)&ps->vals, &ps->capvals, ps->nvals + 1, sizeof *ps->vals) != 0 ||
        grow((void **)&ps->pending, &ps->cappending, ps->nvals + 1, sizeof *ps->pending) != 0)
      return fail(ps, "out of memory"), -1;
    ps->vals[ps->nvals] = item;
    ps->pending[ps->nvals] = item_pending;
    ps->nvals++;
    skip_ws(ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == (object ? '}' : ']')) {
      ps->p++;
      return close_container(ps, out, pending, start, object);
    }
    return fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'"), -1;
  }
}

static int value(parser *ps, json_value *out, size_t *pending, int depth) {
  if (depth > MAX_DEPTH)
    return fail(ps, "nested too deeply"), -1;
  skip_ws(ps);
  switch (*ps->p) {
  case '{':
    return container(ps, out, pending, depth, 1);
  case '[':
    return container(ps, out, pending, depth, 0);
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

void json_free(json_value *v) {
  if (!v)
    return;
  document *d = (document *)v;
  for (chunk *c = d->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(d);
}

json_value *json_parse(const char *text, char *err, size_t err_size) {
  document *d = calloc(1, sizeof *d);
  if (!d) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  parser ps;
  memset(&ps, 0, sizeof ps);
  ps.text = ps.p = text;
  ps.err = err;
  ps.err_size = err_size;
  ps.doc = d;
  size_t pending = NOT_PENDING;
  if (value(&ps, &d->root, &pending, 0) == 0) {
    skip_ws(&ps);
    if (*ps.p)
      fail(&ps, "text after the document");
    else if (pending != NOT_PENDING)
      materialize(&ps, &d->root, pending);
  }
  free(ps.vals);
  free(ps.pending);
  free(ps.keys);
  free(ps.nums);
  free(ps.sbuf);
  if (ps.failed) {
    json_free(&d->root);
    return NULL;
  }
  return &d->root;
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

double json_number_at(const json_value *a, size_t i, size_t j, double fallback) {
  if (!a || a->type != JSON_ARRAY || i >= a->count)
    return fallback;
  if (a->width == 1)
    return j == 0 ? a->numbers[i] : fallback;
  if (a->width > 1)
    return j < a->width ? a->numbers[i * a->width + j] : fallback;
  const json_value *e = &a->items[i]; /* a mixed array */
  if (e->type == JSON_NUMBER)
    return j == 0 ? e->number : fallback;
  if (e->type == JSON_ARRAY && e->width == 1 && j < e->count)
    return e->numbers[j];
  return fallback;
}

size_t json_row_width(const json_value *a, size_t i) {
  if (!a || a->type != JSON_ARRAY || i >= a->count)
    return 0;
  if (a->width > 1)
    return a->width;
  if (a->width == 1)
    return 0; /* its elements are numbers, not rows */
  const json_value *e = &a->items[i];
  return e->type == JSON_ARRAY && e->width == 1 ? e->count : 0;
}
