/* SPDX-License-Identifier: MIT */
/* The version of the library actually linked (the header may be newer). */
#include "lal.h"

#define LAL__STR2(x) #x
#define LAL__STR(x) LAL__STR2(x)

unsigned lal_version(void) { return LAL_VERSION; }

const char *lal_version_string(void) {
  static const char version[] =
      LAL__STR(LAL_VERSION_MAJOR) "." LAL__STR(LAL_VERSION_MINOR) "." LAL__STR(LAL_VERSION_PATCH);
  return version;
}
