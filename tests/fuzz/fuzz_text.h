/* SPDX-License-Identifier: MIT */
/* The fuzz targets' input as text: the parsers take a NUL-terminated string,
 * libFuzzer gives bytes. */
#ifndef LAL_TESTS_FUZZ_FUZZ_TEXT_H
#define LAL_TESTS_FUZZ_FUZZ_TEXT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of data[0..size) with a NUL after it; NULL out of memory. */
static inline char *fuzz_text(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text) {
    memcpy(text, data, size);
    text[size] = '\0';
  }
  return text;
}

#endif
