/* SPDX-License-Identifier: MIT */
/* Text inside the programs' HTML reports (lal-compare's, lal-history's). */
#ifndef LAL_SUPPORT_FORMAT_HTML_TEXT_H
#define LAL_SUPPORT_FORMAT_HTML_TEXT_H

#include <stdio.h>

/* Writes s with <, >, & and " escaped: safe as element text and inside a
 * double-quoted attribute. */
void html_escape(FILE *f, const char *s);

#endif
