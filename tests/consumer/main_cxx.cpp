// SPDX-License-Identifier: MIT
// A C++ program using an installed lal: every *_INIT macro as in C, a few
// calls; exit 0 only if all of it works.
#include <stdio.h> /* not <cstdio>: the clang-cl build here has no MSVC STL */

#include "../headers/every_init.cpp"

int main() {
  int bad = lal_header_check();
  lal_caps caps = LAL_CAPS_INIT;
  if (lal_query_caps(&caps) != LAL_OK)
    bad = 1;
  printf("consumer_cxx: lal %s from C++%ld, %s\n", lal_version_string(),
              static_cast<long>(__cplusplus), bad ? "FAILED" : "ok");
  return bad;
}
