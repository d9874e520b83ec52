/* SPDX-License-Identifier: MIT */
/* Writing a JSON string: shared by lal_hist_write_json (hist_json.c) and the
 * programs' streaming writer (support/format/json_writer.c), which link the library. */
#ifndef LAL_SRC_COMMON_JSON_STRING_H
#define LAL_SRC_COMMON_JSON_STRING_H

#include <stdio.h>

/* Writes s as a quoted JSON string: '"', '\\' and control characters
 * escaped, and each byte that is not part of well-formed UTF-8 (RFC 3629: no
 * overlong forms, surrogates or code points above U+10FFFF) as U+FFFD, so the
 * output always parses. */
void lali_json_put_string(FILE *out, const char *s);

#endif
