/* SPDX-License-Identifier: MIT */
/* The `lal` command: entry point and subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "lal.h"
#include "tool.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: lal <command> [options]\n"
          "commands:\n"
          "  info [--json]   what lal sees: version, build features, OS, CPUs, privileges, limits\n"
          "  doctor [--json] [--strict] [--root DIR]\n"
          "                  audit the machine for low latency; --strict exits 1 on a failure;\n"
          "                  --root: a /proc + /sys tree recorded by capture.sh (Linux)\n"
          "  version         print the library version\n"
          "  help            this text\n");
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
    usage(stdout);
    return argc < 2 ? 2 : 0;
  }
  if (strcmp(argv[1], "info") == 0)
    return lal_tool_info(argc - 2, argv + 2);
  if (strcmp(argv[1], "doctor") == 0)
    return lal_tool_doctor(argc - 2, argv + 2);
  if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
    printf("lal %s\n", lal_version_string());
    return 0;
  }
  fprintf(stderr, "lal: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
