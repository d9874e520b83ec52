/* Small string helpers shared by the common and OS code. */
#include <string.h>

#include "lal_internal.h"

void lal__copy_string(char *dst, size_t size, const char *src) {
  if (size == 0)
    return;
  size_t n = strlen(src);
  if (n >= size)
    n = size - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}
