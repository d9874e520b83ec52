/* SPDX-License-Identifier: MIT */
/* Links against an installed lal and uses it: exit 0 only if it works. */
#include <stdio.h>
#include <string.h>

#include <lal.h>

int main(void) {
  if (lal_version() != LAL_VERSION) {
    fprintf(stderr, "header %x, library %x\n", LAL_VERSION, lal_version());
    return 1;
  }
  lal_cpuset set;
  char text[LAL_CPUSET_FORMAT_MAX];
  if (lal_cpuset_parse(&set, "0-3,8") != LAL_OK ||
      lal_cpuset_format(&set, text, sizeof text) != LAL_OK || strcmp(text, "0-3,8") != 0)
    return 2;
  if (lal_cpuset_parse(&set, "3-1") != LAL_EINVAL)
    return 3;
  lal_caps caps = LAL_CAPS_INIT;
  if (lal_query_caps(&caps) != LAL_OK || caps.cpu_count < 1)
    return 4;
  printf("consumer: lal %s on %s %s, %d CPUs\n", lal_version_string(), caps.os_name,
         caps.os_release, caps.cpu_count);
  return 0;
}
