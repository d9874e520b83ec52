/* SPDX-License-Identifier: MIT */
/* A minimal streaming JSON writer for the tools' --json output. */
#ifndef LAL_SUPPORT_FORMAT_JSON_WRITER_H
#define LAL_SUPPORT_FORMAT_JSON_WRITER_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

typedef struct json_writer {
  FILE *out;
  int depth;
  int count[JSON_MAX_DEPTH]; /* members written at each level, for commas */
} json_writer;

/* `key` is the member name inside an object, NULL inside an array or at top level. */
void json_init(json_writer *w, FILE *out);
void json_object_begin(json_writer *w, const char *key);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w, const char *key);
void json_array_end(json_writer *w);
void json_string(json_writer *w, const char *key, const char *value);
void json_int(json_writer *w, const char *key, long long value);
void json_uint(json_writer *w, const char *key, uint64_t value);
void json_bool(json_writer *w, const char *key, int value);
/* A finite number with up to 6 significant digits; a NaN or infinity (not
 * JSON) is written as null. */
void json_double(json_writer *w, const char *key, double value);
void json_null(json_writer *w, const char *key);
/* Ends the document with a newline. */
void json_finish(json_writer *w);

#endif
