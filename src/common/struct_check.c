/* SPDX-License-Identifier: MIT */
/*
 * The one rule for size-prefixed structs (libbpf's OPTS_VALID model): every
 * public option, request and result struct starts with `size_t size`, set by
 * its *_INIT macro, so the struct can grow without breaking old callers.
 */
#include <string.h>

#include "lal_internal.h"

static size_t size_of(const void *s) {
  size_t size;
  memcpy(&size, s, sizeof size);
  return size;
}

int lali_input_struct_ok(const void *s, size_t min, size_t known) {
  size_t size = size_of(s);
  if (size < min || size > LALI_STRUCT_SIZE_MAX)
    return 0;
  /* A newer caller's fields this library does not know: honoured only when
   * zero (their default), since lal cannot do what they ask. */
  for (size_t i = known; i < size; i++)
    if (((const unsigned char *)s)[i])
      return 0;
  return 1;
}

int lali_input_struct_load(void *full, size_t full_size, const void *src, size_t min) {
  if (!lali_input_struct_ok(src, min, full_size))
    return LAL_EINVAL;
  /* An older caller's smaller struct: its fields over the defaults already
   * in *full (libbpf's OPTS_GET with a default, for every field at once). */
  size_t size = size_of(src);
  memcpy(full, src, size < full_size ? size : full_size);
  memcpy(full, &full_size, sizeof full_size);
  return LAL_OK;
}

int lali_output_struct_ok(const void *s, size_t min) {
  size_t size = size_of(s);
  return size >= min && size <= LALI_STRUCT_SIZE_MAX;
}
