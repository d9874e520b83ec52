/* SPDX-License-Identifier: MIT */
/* The version of the library actually linked (the header may be newer). */
#include "lal.h"

#define LALI_STR2(x) #x
#define LALI_STR(x) LALI_STR2(x)

unsigned lal_version(void) { return LAL_VERSION; }

const char *lal_version_string(void) {
  static const char version[] =
      LALI_STR(LAL_VERSION_MAJOR) "." LALI_STR(LAL_VERSION_MINOR) "." LALI_STR(LAL_VERSION_PATCH);
  return version;
}
