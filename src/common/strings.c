/* SPDX-License-Identifier: MIT */
/* Small string helpers shared by the common and OS code. */
#include <string.h>

#include "lal_internal.h"

void lali_copy_sized_result(void *dst, size_t dst_size, const void *src, size_t src_size) {
  memcpy(dst, src, dst_size < src_size ? dst_size : src_size);
  if (dst_size > src_size)
    memset((char *)dst + src_size, 0, dst_size - src_size);
  memcpy(dst, &dst_size, sizeof dst_size);
}

void lali_copy_string(char *dst, size_t size, const char *src) {
  if (size == 0)
    return;
  size_t n = strlen(src);
  if (n >= size)
    n = size - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

void lali_append_note(char *dst, size_t size, const char *text) {
  size_t used = strlen(dst);
  if (used && used + 2 < size) {
    memcpy(dst + used, "; ", 3);
    used += 2;
  }
  if (used < size)
    lali_copy_string(dst + used, size - used, text);
}
