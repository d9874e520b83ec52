/* SPDX-License-Identifier: MIT */
/* JSON strings (RFC 8259), for the library's lal_hist_write_json and for the
 * tools' JSON writer: one escaper, so both always write valid UTF-8. Standard
 * C I/O only: this is portable code. */
#include "json_string.h"

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
void lali_json_put_string(FILE *out, const char *s) {
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
