/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the JSON reader lal-compare uses on result files, and
 * for the tools' JSON writer: any bytes either parse or are refused with a
 * message (never a crash, a leak or a read past the text); and any bytes
 * written as a string by the writer come out as a document the reader
 * accepts (the writer always emits valid JSON, whatever /proc held).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "json_reader.h"
#include "json_writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char err[256];
  err[0] = '\0';
  json_value *v = json_parse(text, err, sizeof err);
  if (v)
    json_free(v);
  else if (!err[0] || !memchr(err, '\0', sizeof err))
    abort(); /* a refusal always says why */

  char *out = NULL;
  size_t out_len = 0;
  FILE *f = open_memstream(&out, &out_len);
  if (!f) {
    free(text);
    return 0;
  }
  json_writer w;
  json_init(&w, f);
  json_object_begin(&w, NULL);
  json_string(&w, text, text);
  json_object_end(&w);
  json_finish(&w);
  fclose(f);
  json_value *back = json_parse(out, err, sizeof err);
  if (!back) {
    fprintf(stderr, "writer output refused: %s\n%s\n", err, out);
    abort();
  }
  json_free(back);
  free(out);
  free(text);
  return 0;
}
