/* SPDX-License-Identifier: MIT */
/*
 * lal-compare A.json B.json [--threshold PCT] [--gate p50|p90|p99|p99_9]
 *                            [--resamples N] [--seed N] [--min-effect PCT] [--html FILE]
 * Side-by-side table of two lal-bench results (B relative to A), a verdict
 * with a bootstrap confidence interval per series and percentile, a warning
 * per fingerprint difference, and exit status 1 when the gate percentile
 * regressed beyond the threshold: the CI gate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n + 1 < cap)
      break;
    char *grown = realloc(buf, cap *= 2);
    if (!grown) {
      free(buf);
      buf = NULL;
    }
    buf = grown;
  }
  fclose(f);
  if (buf)
    buf[n] = '\0';
  return buf;
}

static int usage(void) {
  fprintf(stderr, "usage: lal-compare A.json B.json [--threshold PCT] [--gate p50|p90|p99|p99_9] "
                  "[--resamples N] [--seed N] [--min-effect PCT] [--html FILE]\n");
  return 2;
}

int main(int argc, char **argv) {
  compare_opts opts = COMPARE_OPTS_DEFAULT;
  const char *files[2] = {NULL, NULL};
  const char *html_path = NULL;
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc)
      opts.threshold_pct = atof(argv[++i]);
    else if (strcmp(argv[i], "--gate") == 0 && i + 1 < argc)
      opts.gate = argv[++i];
    else if (strcmp(argv[i], "--resamples") == 0 && i + 1 < argc)
      opts.resamples = (unsigned)atoi(argv[++i]);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
      opts.seed = (unsigned)atoi(argv[++i]);
    else if (strcmp(argv[i], "--min-effect") == 0 && i + 1 < argc)
      opts.min_effect_pct = atof(argv[++i]);
    else if (strcmp(argv[i], "--html") == 0 && i + 1 < argc)
      html_path = argv[++i];
    else if (argv[i][0] != '-' && nfiles < 2)
      files[nfiles++] = argv[i];
    else
      return usage();
  }
  if (nfiles != 2 || opts.resamples < 100 || opts.threshold_pct < 0)
    return usage();
  char *a = slurp(files[0]), *b = slurp(files[1]);
  if (!a || !b) {
    fprintf(stderr, "lal-compare: cannot read %s\n", !a ? files[0] : files[1]);
    free(a), free(b);
    return 2;
  }
  opts.a_name = files[0];
  opts.b_name = files[1];
  if (html_path && !(opts.html = fopen(html_path, "w"))) {
    fprintf(stderr, "lal-compare: cannot write %s\n", html_path);
    free(a), free(b);
    return 2;
  }
  int rc = compare_texts(a, b, &opts, stdout, stderr);
  if (opts.html && fclose(opts.html) != 0 && rc != 2) {
    fprintf(stderr, "lal-compare: writing %s failed\n", html_path);
    rc = 2;
  }
  free(a), free(b);
  return rc;
}
