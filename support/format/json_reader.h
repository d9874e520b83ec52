/* SPDX-License-Identifier: MIT */
/* A small JSON reader for lal-compare: parses a whole document into a tree
 * (RFC 8259: objects, arrays, strings with escapes, numbers, true/false/null),
 * reporting the line and column of the first error. Numeric arrays are
 * stored as doubles (see width), the rest as values; one arena per document. */
#ifndef LAL_SUPPORT_FORMAT_JSON_READER_H
#define LAL_SUPPORT_FORMAT_JSON_READER_H

#include <stddef.h>

typedef enum json_type {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
} json_type;

typedef struct json_value {
  json_type type;
  unsigned width; /* JSON_ARRAY of numbers: 1 = numbers[count]; k >= 2 = count rows of k
                     numbers, numbers[row * k + column] ([[lo, n], ...] has width 2);
                     0 = any other array: items[count] */
  size_t count;   /* JSON_ARRAY (elements, or rows) / JSON_OBJECT (members) */
  double number;  /* JSON_NUMBER; JSON_BOOL: 0 or 1 */
  char *string;   /* JSON_STRING */
  char **keys;    /* JSON_OBJECT: keys[i] names items[i] */
  struct json_value *items;
  double *numbers; /* numeric arrays, see width */
} json_value;

/* Parses text; returns the root or NULL with a message in err (line:col ...). */
json_value *json_parse(const char *text, char *err, size_t err_size);
void json_free(json_value *v);

/* Element [i] of a flat numeric array (j = 0), or [i][j] of a matrix or of
 * an array of numeric arrays; fallback where there is no such number. */
double json_number_at(const json_value *array, size_t i, size_t j, double fallback);
/* How many numbers element i of array is an array of (0 if not a numeric array). */
size_t json_row_width(const json_value *array, size_t i);

/* obj[key] or NULL (objects only). */
const json_value *json_get(const json_value *obj, const char *key);
/* The string / number of obj[key], or a default. */
const char *json_get_string(const json_value *obj, const char *key, const char *fallback);
double json_get_number(const json_value *obj, const char *key, double fallback);

#endif
