/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lal_cpuset_parse / lal_cpuset_format. Properties checked
 * on every input:
 *   - rejected input leaves the output byte-for-byte untouched;
 *   - accepted input formats without error and parses back to the same set;
 *   - the canonical text is a fixed point (format(parse(format(s))) == format(s)).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "lal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;

  lal_cpuset set, before;
  memset(&set, 0x5C, sizeof set);
  before = set;
  int rc = lal_cpuset_parse(&set, text);
  if (rc != LAL_OK) {
    if (rc != LAL_EINVAL || memcmp(&set, &before, sizeof set) != 0)
      abort();
    free(text);
    return 0;
  }

  static char formatted[LAL_CPUSET_FORMAT_MAX], again[LAL_CPUSET_FORMAT_MAX];
  lal_cpuset back;
  if (lal_cpuset_format(&set, formatted, sizeof formatted) != LAL_OK ||
      lal_cpuset_parse(&back, formatted) != LAL_OK || lal_cpuset_equal(&set, &back) != 1 ||
      lal_cpuset_format(&back, again, sizeof again) != LAL_OK || strcmp(formatted, again) != 0)
    abort();
  free(text);
  return 0;
}
