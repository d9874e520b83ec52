/* SPDX-License-Identifier: MIT */
/* `lal doctor [--json] [--strict]`: prints the findings (schema lal-doctor/1,
 * support/doctor/lal-doctor.schema.json); --strict exits 1 when any check
 * fails. The checks themselves are support/doctor's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doctor.h"
#include "json_writer.h"
#include "lal.h"
#include "tool.h"

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 if root is a directory with proc/ or sys/ in it. */
static int tree_root_ok(const char *root) {
  char sub[4096];
  if (!is_dir(root))
    return 0;
  snprintf(sub, sizeof sub, "%s/proc", root);
  if (is_dir(sub))
    return 1;
  snprintf(sub, sizeof sub, "%s/sys", root);
  return is_dir(sub);
}

int lal_tool_doctor(int argc, char **argv) {
  int as_json = 0, strict = 0;
  const char *root = "";
  uint64_t memlock_need = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      as_json = 1;
    } else if (strcmp(argv[i], "--strict") == 0) {
      strict = 1;
    } else if (strcmp(argv[i], "--memlock") == 0 && i + 1 < argc) {
      if (!doctor_parse_size(argv[++i], &memlock_need)) {
        fprintf(stderr, "lal doctor: --memlock '%s': not a size (e.g. 65536, 64M, 1GiB)\n",
                argv[i]);
        return 2;
      }
    } else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) {
      root = argv[++i]; /* audit a tree recorded by tests/data/machines/capture.sh (Linux) */
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      printf("usage: lal doctor [--json] [--strict] [--memlock SIZE] [--root DIR]\n"
             "Audits this machine against a low-latency checklist, one line per finding\n"
             "with why it matters and the fix.\n"
             "  --json      the findings as JSON (schema lal-doctor/1)\n"
             "  --strict    exit 1 when any check fails (for CI gates)\n"
             "  --memlock SIZE  the bytes your app will lock (64M, 1GiB): adds the\n"
             "              memlock_budget check against this OS's locking limit\n"
             "  --root DIR  audit a /proc + /sys tree recorded by capture.sh (Linux)\n"
             "exit status: 0 done; 1 a failure with --strict; 2 bad usage or --root not a tree\n");
      return 0;
    } else {
      fprintf(
          stderr,
          "lal doctor: unknown option '%s' (use --json, --strict, --memlock SIZE, --root DIR)\n",
          argv[i]);
      return 2;
    }
  }
  /* A root that is not a recorded tree would audit nothing and look like a
   * bare-metal machine with every check unknown: refuse it. */
  if (root[0] && !tree_root_ok(root)) {
    fprintf(stderr, "lal doctor: --root %s: not a directory holding proc/ or sys/\n", root);
    return 2;
  }
  static finding f[DOCTOR_MAX_FINDINGS];
  doctor_opts opts = {root, memlock_need};
  int n = doctor_run_opts(&opts, f, DOCTOR_MAX_FINDINGS);
  int count[4] = {0, 0, 0, 0};
  for (int i = 0; i < n; i++)
    count[f[i].status]++;
  if (as_json) {
    json_writer w;
    json_init(&w, stdout);
    json_object_begin(&w, NULL);
    json_string(&w, "schema", "lal-doctor/1");
    json_string(&w, "version", lal_version_string());
    json_array_begin(&w, "findings");
    for (int i = 0; i < n; i++) {
      json_object_begin(&w, NULL);
      json_string(&w, "check", f[i].check);
      json_string(&w, "status", doctor_status_name(f[i].status));
      json_string(&w, "value", f[i].value);
      json_string(&w, "why", f[i].why);
      json_string(&w, "remediation", f[i].fix);
      json_object_end(&w);
    }
    json_array_end(&w);
    json_object_begin(&w, "summary");
    for (int s = 0; s < 4; s++)
      json_int(&w, doctor_status_name((doctor_status)s), count[s]);
    json_object_end(&w);
    json_object_end(&w);
    json_finish(&w);
  } else {
    for (int i = 0; i < n; i++) {
      printf("[%-4s] %-20s %s\n", doctor_status_name(f[i].status), f[i].check, f[i].value);
      if (f[i].status == DOCTOR_WARN || f[i].status == DOCTOR_FAIL) {
        printf("       why: %s\n", f[i].why);
        if (f[i].fix[0])
          printf("       fix: %s\n", f[i].fix);
      }
    }
    printf("%d ok, %d warn, %d fail, %d n/a\n", count[0], count[1], count[2], count[3]);
  }
  return strict && count[DOCTOR_FAIL] > 0 ? 1 : 0;
}
