/* SPDX-License-Identifier: MIT */
/*
 * lal-compare A.json B.json [--threshold PCT] [--gate p50|p90|p99|p99.9]
 *                            [--resamples N] [--seed N] [--min-effect PCT]
 *                            [--allow-missing] [--html FILE] [--markdown FILE]
 * Side-by-side table of two lal-bench results (B relative to A), a verdict
 * with a bootstrap confidence interval per series and percentile, a warning
 * per fingerprint difference, and exit status 1 when the gate percentile
 * regressed beyond the threshold: the CI gate.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"

/* The whole file, NUL-terminated; NULL with a message naming path. */
static char *slurp(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "lal-compare: cannot read %s: %s\n", path, strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    fprintf(stderr, "lal-compare: %s is not a regular file (a lal-bench JSON result)\n", path);
    return NULL;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "lal-compare: cannot read %s: %s\n", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n + 1 < cap)
      break;
    char *grown = realloc(buf, cap *= 2);
    if (!grown)
      free(buf);
    buf = grown;
  }
  int failed = ferror(f);
  fclose(f);
  if (!buf || failed) {
    fprintf(stderr, "lal-compare: cannot read %s%s\n", path, buf ? "" : ": out of memory");
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  return buf;
}

static const char usage_text[] =
    "usage: lal-compare A.json B.json [options]\n"
    "Compares two lal-bench results, B against A: per series and percentile the\n"
    "ratio B/A with a 95% bootstrap interval and a verdict, a warning per\n"
    "fingerprint difference, and a gate for CI.\n"
    "  --gate P          percentile the gate looks at: p50, p90, p99 (default), p99.9\n"
    "  --threshold PCT   a regression larger than PCT % at the gate fails (default 10)\n"
    "  --min-effect PCT  smaller changes are 'no significant change' (default 2)\n"
    "  --resamples N     bootstrap resamples, 100..1000000 (default 2000)\n"
    "  --seed N          bootstrap seed, 0..4294967295 (default 12345)\n"
    "  --allow-missing   a series of A absent from B does not fail the gate\n"
    "  --html FILE       also write a self-contained HTML report\n"
    "  --markdown FILE   also write the summary and gate as a Markdown table (a CI job\n"
    "                    summary: --markdown \"$GITHUB_STEP_SUMMARY\")\n"
    "  -h, --help        this text;  --version  lal-compare's version\n"
    "exit status: 0 pass; 1 a regression beyond the threshold at the gate, or a\n"
    "series missing from B; 2 unusable input or nothing to gate (no series in\n"
    "common, or too few samples for the gate percentile).\n";

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int
usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "lal-compare: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(lal-compare --help for the options)\n");
  va_end(ap);
  return 2;
}

/* A whole, finite number in [lo, hi], or -1 (strtod would take "abc" as 0
 * and "nan" as a threshold no regression exceeds). */
static int parse_number(const char *text, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

/* A report goes to FILE.tmp and is renamed over FILE only once complete: a
 * failed comparison leaves no (empty or partial) report behind. */
static char html_tmp[4096], markdown_tmp[4096];

static FILE *open_report(const char *path, char *tmp, size_t tmp_size) {
  snprintf(tmp, tmp_size, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f)
    fprintf(stderr, "lal-compare: cannot write %s: %s\n", tmp, strerror(errno));
  return f;
}

/* Closes f and renames tmp over path, or removes tmp when the comparison was
 * unusable (rc 2) or writing failed. Returns rc, or 2 if the report failed. */
static int finish_report(FILE *f, const char *tmp, const char *path, int rc) {
  int write_failed = fclose(f) != 0;
  if (write_failed && rc != 2)
    fprintf(stderr, "lal-compare: writing %s failed\n", tmp);
  if (write_failed || rc == 2)
    remove(tmp);
  /* C rename() replaces an existing file on POSIX but fails on Windows'
   * C runtime: there the old report is removed first (not atomic). */
  else if (rename(tmp, path) != 0 && (remove(path) != 0 || rename(tmp, path) != 0)) {
    fprintf(stderr, "lal-compare: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
    remove(tmp);
    write_failed = 1;
  }
  return write_failed ? 2 : rc;
}

int main(int argc, char **argv) {
  compare_opts opts = COMPARE_OPTS_DEFAULT;
  const char *files[2] = {NULL, NULL};
  const char *html_path = NULL, *markdown_path = NULL;
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    const char *flag = argv[i];
    double v;
    if (strcmp(flag, "-h") == 0 || strcmp(flag, "--help") == 0) {
      fputs(usage_text, stdout);
      return 0;
    }
    if (strcmp(flag, "--version") == 0) {
      printf("lal-compare %s (reads lal-bench/1 and lal-bench/2)\n", LAL_COMPARE_VERSION);
      return 0;
    }
    if (strcmp(flag, "--allow-missing") == 0) {
      opts.allow_missing = 1;
      continue;
    }
    int takes_value = strcmp(flag, "--threshold") == 0 || strcmp(flag, "--gate") == 0 ||
                      strcmp(flag, "--resamples") == 0 || strcmp(flag, "--seed") == 0 ||
                      strcmp(flag, "--min-effect") == 0 || strcmp(flag, "--html") == 0 ||
                      strcmp(flag, "--markdown") == 0;
    if (takes_value && i + 1 >= argc)
      return usage_error("%s needs a value", flag);
    const char *value = takes_value ? argv[++i] : NULL;
    if (strcmp(flag, "--threshold") == 0) {
      if (parse_number(value, 0, 1e6, &opts.threshold_pct) != 0)
        return usage_error("--threshold: '%s' is not a percentage in 0..1000000", value);
    } else if (strcmp(flag, "--min-effect") == 0) {
      if (parse_number(value, 0, 1000, &opts.min_effect_pct) != 0)
        return usage_error("--min-effect: '%s' is not a percentage in 0..1000", value);
    } else if (strcmp(flag, "--resamples") == 0) {
      if (parse_number(value, 100, 1000000, &v) != 0 || v != floor(v))
        return usage_error("--resamples: '%s' is not a whole number in 100..1000000", value);
      opts.resamples = (unsigned)v;
    } else if (strcmp(flag, "--seed") == 0) {
      if (parse_number(value, 0, 4294967295.0, &v) != 0 || v != floor(v))
        return usage_error("--seed: '%s' is not a whole number in 0..4294967295", value);
      opts.seed = (unsigned)v;
    } else if (strcmp(flag, "--gate") == 0) {
      opts.gate = value;
    } else if (strcmp(flag, "--html") == 0) {
      html_path = value;
    } else if (strcmp(flag, "--markdown") == 0) {
      markdown_path = value;
    } else if (flag[0] == '-' && flag[1] != '\0') {
      return usage_error("unknown option '%s'", flag);
    } else if (nfiles < 2) {
      files[nfiles++] = flag;
    } else {
      return usage_error("one result too many: '%s' (give A and B)", flag);
    }
  }
  if (nfiles != 2)
    return usage_error("two results are needed: lal-compare A.json B.json");
  char *a = slurp(files[0]), *b = a ? slurp(files[1]) : NULL;
  if (!a || !b) {
    free(a), free(b);
    return 2;
  }
  opts.a_name = files[0];
  opts.b_name = files[1];
  if ((html_path && !(opts.html = open_report(html_path, html_tmp, sizeof html_tmp))) ||
      (markdown_path &&
       !(opts.markdown = open_report(markdown_path, markdown_tmp, sizeof markdown_tmp)))) {
    if (opts.html)
      fclose(opts.html), remove(html_tmp);
    free(a), free(b);
    return 2;
  }
  int rc = compare_texts(a, b, &opts, stdout, stderr);
  if (opts.html)
    rc = finish_report(opts.html, html_tmp, html_path, rc);
  if (opts.markdown)
    rc = finish_report(opts.markdown, markdown_tmp, markdown_path, rc);
  free(a), free(b);
  return rc;
}
