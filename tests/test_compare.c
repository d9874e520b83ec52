/* SPDX-License-Identifier: MIT */
/*
 * lal-compare's logic on synthetic lal-bench/1 documents: equal, better and
 * worse distributions give the right verdict and exit status, the gate
 * respects its threshold and percentile, fingerprint differences warn, and
 * malformed, truncated or other-schema input is refused with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "json_reader.h"
#include "lal_test.h"

/* A document with one series whose n samples are spread over 100 buckets
 * from base to base * 1.99 (plus a slow tail at 10 x base). */
static char *doc(const char *schema, const char *os, double base, int n) {
  size_t cap = 1 << 16, used = 0;
  char *s = malloc(cap);
  used +=
      (size_t)snprintf(s + used, cap - used,
                       "{\"schema\": \"%s\", \"env\": {\"os\": \"%s\", \"cpu_count\": 2},\n"
                       " \"results\": [{\"workload\": \"w\", \"series\": \"s\", \"unit\": \"ns\", "
                       "\"count\": %d, \"buckets\": [",
                       schema, os, n);
  int body = n - n / 100; /* 1 % in the tail */
  for (int i = 0; i < 100; i++) {
    int c = body / 100 + (i < body % 100);
    used += (size_t)snprintf(s + used, cap - used, "[%.0f, %d], ", base * (1 + i / 100.0), c);
  }
  used += (size_t)snprintf(s + used, cap - used, "[%.0f, %d]]", base * 10, n / 100);
  /* the summary quantiles as lal-bench writes them */
  used += (size_t)snprintf(s + used, cap - used,
                           ", \"p50\": %.0f, \"p90\": %.0f, \"p99\": %.0f, \"p99_9\": %.0f}]}",
                           base * 1.495, base * 1.89, base * 10, base * 10);
  return s;
}

static int run(const char *a, const char *b, const char *gate, double threshold, char *out,
               size_t size) {
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.gate = gate;
  o.threshold_pct = threshold;
  o.resamples = 500;
  FILE *f = tmpfile(), *e = tmpfile();
  int rc = compare_texts(a, b, &o, f, e);
  rewind(f);
  rewind(e);
  size_t n = fread(out, 1, size - 1, f);
  n += fread(out + n, 1, size - 1 - n, e);
  out[n] = '\0';
  fclose(f);
  fclose(e);
  return rc;
}

static void equal_runs_show_no_change(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 100000),
       *b = doc("lal-bench/1", "Linux", 1000, 100000);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "p50"));
  assert_null(strstr(out, "worse"));
  assert_null(strstr(out, "better"));
  assert_null(strstr(out, "warning"));
  assert_non_null(strstr(out, "-> pass"));
  free(a), free(b);
}

static void a_slower_b_fails_the_gate(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 100000),
       *b = doc("lal-bench/1", "Linux", 1500, 100000);
  char out[8192];
  assert_int_equal(run(a, b, "p50", 10, out, sizeof out), 1);
  assert_non_null(strstr(out, "worse"));
  assert_non_null(strstr(out, "GATE"));
  assert_non_null(strstr(out, "-> FAIL"));
  /* The same 50 % regression under a 60 % threshold is reported, not gated. */
  assert_int_equal(run(a, b, "p50", 60, out, sizeof out), 0);
  assert_non_null(strstr(out, "worse"));
  /* Faster is better and never fails. */
  assert_int_equal(run(b, a, "p50", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "better"));
  free(a), free(b);
}

/* The summary model: a Markdown table for a CI job summary and the HTML
 * report's summary table, worst first, each row linking to its section. */
static void summary_is_rendered_as_markdown_and_html(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 100000),
       *b = doc("lal-bench/1", "Linux", 1500, 100000);
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.gate = "p50";
  o.resamples = 500;
  o.a_name = "base|line.json"; /* a '|' must not break the Markdown table */
  FILE *out = tmpfile(), *err = tmpfile(), *md = tmpfile(), *html = tmpfile();
  o.markdown = md;
  o.html = html;
  assert_int_equal(compare_texts(a, b, &o, out, err), 1);
  char text[16384];
  rewind(md);
  text[fread(text, 1, sizeof text - 1, md)] = '\0';
  assert_non_null(strstr(text, "### lal-compare: B against base\\|line.json"));
  assert_non_null(strstr(text, "-> FAIL**"));
  assert_non_null(strstr(text,
                         "| workload | series | A p50 | B p50 | B/A | 95% interval | noise floor | "
                         "detectable | rounds (count: lowest-highest) | verdict |"));
  assert_non_null(strstr(text, "| w | s | "));
  assert_non_null(strstr(text, "| **GATE** worse |"));
  rewind(html);
  text[fread(text, 1, sizeof text - 1, html)] = '\0';
  assert_non_null(strstr(text, "<section class=\"summary-table\">"));
  assert_non_null(strstr(text, "<a href=\"#series-0\">s</a>"));
  assert_non_null(strstr(text, "id=\"series-0\""));
  assert_non_null(strstr(text, "GATE: worse"));
  fclose(out), fclose(err), fclose(md), fclose(html);
  free(a), free(b);
}

/* core_to_core pairs are cells of three heatmaps, not a section each. */
static void core_to_core_becomes_heatmaps(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 40000, 100000),
       *b = doc("lal-bench/1", "Linux", 60000, 100000);
  for (char **d = &a; d; d = d == &a ? &b : NULL) {
    char *at = strstr(*d, "\"workload\": \"w\", \"series\": \"s\", \"unit\": \"ns\"");
    assert_non_null(at);
    size_t head = (size_t)(at - *d);
    const char *with = "\"workload\": \"core_to_core\", \"series\": \"cpu 0 <-> cpu 3\", "
                       "\"unit\": \"ps per one-way transfer\"";
    const char *tail = at + strlen("\"workload\": \"w\", \"series\": \"s\", \"unit\": \"ns\"");
    char *s = malloc(strlen(*d) + strlen(with) + 1);
    memcpy(s, *d, head);
    strcpy(s + head, with);
    strcat(s, tail);
    free(*d);
    *d = s;
  }
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.gate = "p50";
  o.resamples = 200;
  FILE *out = tmpfile(), *err = tmpfile(), *html = tmpfile();
  o.html = html;
  assert_int_equal(compare_texts(a, b, &o, out, err), 1);
  char text[32768];
  rewind(html);
  text[fread(text, 1, sizeof text - 1, html)] = '\0';
  assert_non_null(strstr(text, "id=\"core-to-core\""));
  assert_non_null(strstr(text, "<caption>B/A</caption>"));
  assert_non_null(strstr(text, ">89.7 ns</td>")); /* B's p50, 89700 ps */
  assert_non_null(strstr(text, ">1.50</td>"));
  assert_null(strstr(text, "id=\"series-0\""));
  assert_non_null(strstr(text, "href=\"#core-to-core\""));
  fclose(out), fclose(err), fclose(html);
  free(a), free(b);
}

static void small_samples_are_not_significant(void **state) {
  (void)state;
  /* 50 samples each, 3 % apart: inside the interval, no verdict. */
  char *a = doc("lal-bench/1", "Linux", 1000, 50), *b = doc("lal-bench/1", "Linux", 1030, 50);
  char out[8192];
  assert_int_equal(run(a, b, "p50", 1, out, sizeof out), 0);
  assert_null(strstr(out, "worse"));
  free(a), free(b);
}

/* p99 of 100 samples is the single worst one: not something to gate on. The
 * series is "inconclusive" at p99 and, with nothing else to gate, lal-compare
 * says so with exit 2 instead of passing (or failing) on one sample. */
static void too_few_samples_are_inconclusive(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 100), *b = doc("lal-bench/1", "Linux", 3000, 100);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "inconclusive (n=100 < 1000 for p99)"));
  assert_non_null(strstr(out, "1 inconclusive at p99"));
  assert_non_null(strstr(out, "-> nothing to gate"));
  assert_null(strstr(out, "GATE"));
  /* p90 needs 100 samples: gated, and the 3x regression fails. */
  assert_int_equal(run(a, b, "p90", 10, out, sizeof out), 1);
  assert_true(compare_min_samples(0.5) == 20 && compare_min_samples(0.999) == 10000);
  free(a), free(b);
}

/* Replaces the first occurrence of `from` in d (which it frees) by `to`. */
static char *replaced(char *d, const char *from, const char *to) {
  char *at = strstr(d, from);
  assert_non_null(at);
  char *r = malloc(strlen(d) + strlen(to) + 1);
  memcpy(r, d, (size_t)(at - d));
  strcpy(r + (at - d), to);
  strcat(r, at + strlen(from));
  free(d);
  return r;
}

/* A run object as lal-bench writes it. */
static char *with_run(char *d, const char *build, double load, double psi, int complete) {
  char run[512];
  snprintf(run, sizeof run,
           "\"run\": {\"build_type\": \"%s\", \"load_before\": {\"loadavg_1min\": %.2f, "
           "\"psi_cpu_some_avg10\": %.1f}, \"load_after\": {\"loadavg_1min\": null, "
           "\"psi_cpu_some_avg10\": null}, \"complete\": %s%s}, \"env\"",
           build, load, psi, complete ? "true" : "false",
           complete ? "" : ", \"interrupted_by\": \"SIGINT\"");
  return replaced(d, "\"env\"", run);
}

/* Two runs of the same build under different load, or of different builds,
 * or one stopped early: each is a warning (they move every series). */
static void run_differences_warn(void **state) {
  (void)state;
  char *a = with_run(doc("lal-bench/1", "Linux", 1000, 10000), "Release", 0.1, 0.0, 1);
  char *same = with_run(doc("lal-bench/1", "Linux", 1000, 10000), "Release", 0.3, 1.0, 1);
  char *busy = with_run(doc("lal-bench/1", "Linux", 1000, 10000), "Release", 2.5, 35.0, 1);
  char *debug = with_run(doc("lal-bench/1", "Linux", 1000, 10000), "Debug", 0.1, 0.0, 0);
  char out[8192];
  assert_int_equal(run(a, same, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "warning"));
  assert_int_equal(run(a, busy, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "warning: load differs: A load average 0.10, PSI cpu 0.0%; B load "
                              "average 2.50, PSI cpu 35.0%"));
  assert_int_equal(run(a, debug, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "warning: build types differ: A Release, B Debug"));
  assert_non_null(strstr(out, "warning: B is incomplete (stopped by SIGINT)"));
  free(a), free(same), free(busy), free(debug);
}

/* Nothing in common is not a pass; a series lost from B fails the gate
 * unless --allow-missing, and the summary names it. */
static void missing_series_fail_the_gate(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 10000);
  char *other =
      replaced(doc("lal-bench/1", "Linux", 1000, 10000), "\"series\": \"s\"", "\"series\": \"t\"");
  char out[8192];
  assert_int_equal(run(a, other, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "0 series compared"));
  assert_non_null(strstr(out, "no series in common"));
  /* A has s and u, B only s: u is missing. */
  char *second = strstr(a, "{\"workload\"");
  char *object = strdup(second);
  object[strlen(object) - 2] = '\0'; /* the result object, without the closing "]}" */
  object = replaced(object, "\"series\": \"s\"", "\"series\": \"u\"");
  char *both = malloc(strlen(a) + strlen(object) + 8);
  sprintf(both, "%.*s, %s]}", (int)(strlen(a) - 2), a, object);
  free(object);
  assert_int_equal(run(both, a, "p99", 10, out, sizeof out), 1);
  assert_non_null(strstr(out, "only in A (missing from B)"));
  assert_non_null(strstr(out, "1 missing from B: w u"));
  assert_non_null(strstr(out, "-> FAIL"));
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.resamples = 500;
  o.allow_missing = 1;
  FILE *f = tmpfile();
  assert_int_equal(compare_texts(both, a, &o, f, f), 0);
  fclose(f);
  /* New in B is reported, not a failure. */
  assert_int_equal(run(a, both, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "only in B (new)"));
  free(a), free(other), free(both);
}

/* Every printed row "ratio [lo, hi]" has lo <= ratio <= hi, for equal,
 * shifted, small and large samples (7 of 444 rows once printed 7.616 [7.614,
 * 7.614]). */
static void intervals_contain_their_estimate(void **state) {
  (void)state;
  const double bases[] = {1000, 1003, 1500, 7616};
  const int ns[] = {100, 1000, 100000};
  int rows = 0;
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 3; j++) {
      char *a = doc("lal-bench/1", "Linux", 1000, ns[j]),
           *b = doc("lal-bench/1", "Linux", bases[i], ns[j]);
      static char out[16384];
      run(a, b, "p50", 10, out, sizeof out);
      for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        double ratio, lo, hi;
        char *bracket = strchr(line, '[');
        if (!bracket || bracket - line < 8 || sscanf(bracket, "[%lf, %lf]", &lo, &hi) != 2)
          continue;
        ratio = strtod(bracket - 8, NULL);
        if (!(lo <= ratio && ratio <= hi))
          fail_msg("interval excludes its estimate: %s", line);
        rows++;
      }
      free(a), free(b);
    }
  assert_int_equal(rows, 4 * 3 * 4);
}

static void fingerprint_differences_warn(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 10000),
       *b = doc("lal-bench/1", "Windows", 1000, 10000);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "warning: fingerprint os differs: A Linux, B Windows"));
  free(a), free(b);
}

/* d with text inserted right after the first `marker` (d is freed). */
static char *insert_after(char *d, const char *marker, const char *text) {
  const char *at = strstr(d, marker) + strlen(marker);
  size_t head = (size_t)(at - d), size = strlen(d) + strlen(text) + 1;
  char *s = malloc(size);
  snprintf(s, size, "%.*s%s%s", (int)head, d, text, at);
  free(d);
  return s;
}

/* doc() with `extra` fields added to its env object. */
static char *with_env(char *d, const char *extra) {
  char text[512];
  snprintf(text, sizeof text, ", %s", extra);
  return insert_after(d, "\"cpu_count\": 2", text);
}

static void fingerprint_compares_settings_not_readings(void **state) {
  (void)state;
  const char *base = "\"tsc_hz\": 2000000000, \"under_wine\": false, "
                     "\"clock_reason\": \"stable to 0.1 ppm\", \"tuning_smt\": \"ok: off\"";
  /* Recalibrated TSC (50 ppm), another ppm in the reason: the same machine. */
  const char *same = "\"tsc_hz\": 2000100000, \"under_wine\": false, "
                     "\"clock_reason\": \"stable to 0.4 ppm\", \"tuning_smt\": \"ok: off\"";
  /* A different TSC rate, Wine, SMT turned on, a field only on one side. */
  const char *other = "\"tsc_hz\": 2400000000, \"under_wine\": true, "
                      "\"clock_reason\": \"stable to 0.1 ppm\", \"tuning_smt\": \"warn: on\", "
                      "\"harness_cpu\": \"1\"";
  char *a = with_env(doc("lal-bench/1", "Linux", 1000, 10000), base);
  char *b = with_env(doc("lal-bench/1", "Linux", 1000, 10000), same);
  char *c = with_env(doc("lal-bench/1", "Linux", 1000, 10000), other);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "warning"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "fingerprint tsc_hz differs: A 2000000000, B 2400000000"));
  assert_non_null(strstr(out, "fingerprint under_wine differs: A false, B true"));
  assert_non_null(strstr(out, "fingerprint tuning_smt differs: A ok: off, B warn: on"));
  assert_non_null(strstr(out, "fingerprint harness_cpu differs: A (absent), B 1"));
  assert_null(strstr(out, "clock_reason"));
  /* Doctor checks only one OS has are folded into one note, not a warning each;
   * a check both sides ran still warns when it differs. */
  char *linux_doc = with_env(doc("lal-bench/1", "Linux", 1000, 10000),
                             "\"tuning_cstates\": \"ok: C1\", \"tuning_smt\": \"ok: off\", "
                             "\"tuning_thp_enabled\": \"ok: madvise\"");
  char *windows_doc = with_env(doc("lal-bench/1", "Linux", 1000, 10000),
                               "\"tuning_power_plan\": \"warn: balanced\", "
                               "\"tuning_smt\": \"warn: on\"");
  assert_int_equal(run(linux_doc, windows_doc, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "note: 3 lal doctor checks exist on one side only (another OS): "
                              "A: cstates, thp_enabled; B: power_plan"));
  assert_null(strstr(out, "warning: fingerprint tuning_cstates"));
  assert_non_null(strstr(out, "warning: fingerprint tuning_smt differs: A ok: off, B warn: on"));
  free(a), free(b), free(c), free(linux_doc), free(windows_doc);
}

/* doc() whose series says what it obtained (a priority profile's result). */
static char *with_obtained(char *d, const char *obtained) {
  char text[128];
  snprintf(text, sizeof text, "\"obtained\": \"%s\", ", obtained);
  return insert_after(d, "\"unit\": \"ns\", ", text);
}

static void different_obtained_priorities_warn(void **state) {
  (void)state;
  char *a = with_obtained(doc("lal-bench/1", "Linux", 1000, 10000), "SCHED_FIFO 80");
  char *b = with_obtained(doc("lal-bench/1", "Linux", 1000, 10000), "SCHED_FIFO 80");
  char *c = with_obtained(doc("lal-bench/1", "Linux", 1000, 10000), "SCHED_OTHER nice -11");
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "obtained differs"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0);
  assert_non_null(
      strstr(out, "warning: w s obtained differs: A SCHED_FIFO 80, B SCHED_OTHER nice -11"));
  free(a), free(b), free(c);
}

/* A "ran_on" object: wake-ups on CPU 0 (a P-core) and CPU 16 (an E-core). */
static char *with_ran_on(char *d, int on_p, int on_e, int migrations) {
  char text[512];
  snprintf(text, sizeof text,
           "\"ran_on\": {\"migrations\": %d, \"cpus\": [[0, %d], [16, %d]], \"kinds\": "
           "[{\"name\": \"IntelCore\", \"perf_rank\": 0, \"waits\": %d}, {\"name\": "
           "\"IntelAtom\", \"perf_rank\": 1, \"waits\": %d}]}, ",
           migrations, on_p, on_e, on_p, on_e);
  return insert_after(d, "\"unit\": \"ns\", ", text);
}

/* d with its series' "workload": ..., "series": ... replaced by `with`, in
 * whichever spelling it has ("w"/"s" or an earlier rename); frees d. */
static char *renamed(char *d, const char *with) {
  char *at = strstr(d, "\"workload\": ");
  assert_non_null(at);
  char *end = strstr(at, "\"series\": \"");
  assert_non_null(end);
  end = strchr(end + strlen("\"series\": \""), '"') + 1;
  size_t head = (size_t)(at - d);
  char *t = malloc(strlen(d) + strlen(with) + 1);
  assert_non_null(t);
  memcpy(t, d, head);
  strcpy(t + head, with);
  strcat(t, end);
  free(d);
  return t;
}
static void where_threads_woke_is_shown_and_kinds_warn(void **state) {
  (void)state;
  char *a = with_ran_on(doc("lal-bench/1", "Linux", 1000, 10000), 1000, 0, 0);
  char *b = with_ran_on(doc("lal-bench/1", "Linux", 1000, 10000), 600, 400, 12);
  char *c = with_ran_on(doc("lal-bench/1", "Linux", 1000, 10000), 950, 50, 3);
  char *plain = doc("lal-bench/1", "Linux", 1000, 10000);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "where: w s: A CPU 0 100%, CPU 16 0%; IntelCore 100%; 0 "
                              "migrations | B CPU 0 60%, CPU 16 40%; IntelCore 60%, IntelAtom "
                              "40%; 12 migrations"));
  assert_non_null(strstr(out, "warning: w s woke on other CPU kinds: A 100% on the fastest kind, "
                              "B 60%"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0); /* 5 points: no warning */
  assert_null(strstr(out, "other CPU kinds"));
  assert_int_equal(run(plain, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "where: w s: A (not recorded) | B CPU 0 60%"));
  assert_int_equal(run(plain, plain, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "where:"));
  assert_null(strstr(out, "cpu:"));
  /* sleep_cost's CPU share is shown beside the distribution. */
  char *cheap = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), "\"unit\": \"ns\", ",
                             "\"cpu_pct\": 3.25, ");
  char *dear = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), "\"unit\": \"ns\", ",
                            "\"cpu_pct\": 10.5, ");
  assert_int_equal(run(cheap, dear, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "cpu: w s: A 3.2% | B 10.5% of the calls' wall time"));
  /* ... and, for sleep_cost, as CPU against lateness in the HTML report, a
   * chart per request length and load. */
  cheap = renamed(cheap, "\"workload\": \"sleep_cost\", \"series\": \"lal precise, 4 ms\"");
  dear = renamed(dear, "\"workload\": \"sleep_cost\", \"series\": \"lal precise, 4 ms\"");
  compare_opts o = COMPARE_OPTS_DEFAULT;
  o.resamples = 200;
  FILE *f = tmpfile(), *e = tmpfile(), *html = tmpfile();
  o.html = html;
  compare_texts(cheap, dear, &o, f, e);
  static char text[65536];
  rewind(html);
  text[fread(text, 1, sizeof text - 1, html)] = '\0';
  assert_non_null(strstr(text, "sleep_cost: CPU against lateness, 4 ms</h3>"));
  assert_non_null(strstr(text, "lal precise (A): CPU 3.2 %"));
  assert_non_null(strstr(text, "lal precise (B): CPU 10.5 %"));
  assert_null(strstr(text, "CPU against lateness, 1 ms"));
  fclose(f), fclose(e), fclose(html);
  /* The sustained block (", in a row") is no mode's turn: no chart. */
  const char *row = "\"workload\": \"sleep_cost\", \"series\": \"lal precise, 1 ms, in a row\"";
  char *row_a = renamed(strdup(cheap), row), *row_b = renamed(strdup(dear), row);
  f = tmpfile(), e = tmpfile(), html = tmpfile();
  o.html = html;
  compare_texts(row_a, row_b, &o, f, e);
  rewind(html);
  text[fread(text, 1, sizeof text - 1, html)] = '\0';
  assert_null(strstr(text, "CPU against lateness"));
  fclose(f), fclose(e), fclose(html);
  free(row_a), free(row_b);
  free(a), free(b), free(c), free(plain), free(cheap), free(dear);
}

static void different_parameters_warn(void **state) {
  (void)state;
  const char *unit = "\"unit\": \"ns\", ";
  char *a = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), unit,
                         "\"params\": {\"cpu\": 1, \"rounds\": 100}, ");
  char *b = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), unit,
                         "\"params\": {\"cpu\": 1, \"rounds\": 100}, ");
  char *c = insert_after(doc("lal-bench/1", "Linux", 1000, 10000), unit,
                         "\"params\": {\"cpu\": 0, \"mechanism\": \"futex\"}, ");
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_null(strstr(out, "parameters differ"));
  assert_int_equal(run(a, c, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "warning: w s parameters differ: cpu A 1, B 0; rounds A 100, B "
                              "(absent); mechanism A (absent), B futex"));
  free(a), free(b), free(c);
}

/* doc() with a clock_accuracy result (single numbers) before its series. */
static char *with_accuracy(char *d, int drift_ppb, int backward) {
  char text[200];
  snprintf(text, sizeof text,
           "{\"workload\": \"clock_accuracy\", \"duration_ns\": 1000000000, "
           "\"drift_ppb\": %d, \"migrations\": 100, \"backward_steps\": %d, "
           "\"calibration_us\": 20000}, ",
           drift_ppb, backward);
  return insert_after(d, "\"results\": [", text);
}

static void single_measurements_are_shown_side_by_side(void **state) {
  (void)state;
  char *a = with_accuracy(doc("lal-bench/1", "Linux", 1000, 10000), 15, 0);
  char *b = with_accuracy(doc("lal-bench/1", "Linux", 1000, 10000), -717, 3);
  char out[8192];
  assert_int_equal(run(a, b, "p99", 10, out, sizeof out), 0);
  assert_non_null(strstr(out, "drift_ppb A 15, B -717; backward_steps A 0, B 3"));
  free(a), free(b);
}

static void bad_input_is_refused(void **state) {
  (void)state;
  char *a = doc("lal-bench/1", "Linux", 1000, 1000),
       *other = doc("lal-bench/9", "Linux", 1000, 1000);
  char out[8192];
  assert_int_equal(run(a, other, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "this lal-compare reads lal-bench/1 and lal-bench/2"));
  char *cut = strdup(a);
  cut[strlen(cut) / 2] = '\0'; /* truncated */
  assert_int_equal(run(cut, a, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "A is not valid JSON"));
  assert_int_equal(run(a, "{\"schema\": \"lal-bench/1\"}", "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "no \"results\" array"));
  assert_int_equal(run(a, "[1, 2,]", "p99", 10, out, sizeof out), 2);
  /* results that are numbers, and buckets that are not pairs: refused, no crash */
  assert_int_equal(
      run(a, "{\"schema\": \"lal-bench/1\", \"results\": [1, 2]}", "p99", 10, out, sizeof out), 2);
  char *odd = replaced(strdup(a), "\"buckets\": [[", "\"buckets\": [[1, 2, 3], [");
  assert_int_equal(run(a, odd, "p99", 10, out, sizeof out), 2);
  /* A corrupted histogram is unusable input, named, on either side: it
   * must not pass a gate as "not compared". */
  assert_non_null(strstr(out, "unusable input: B: \"w\" \"s\": its histogram: malformed buckets"));
  assert_int_equal(run(odd, a, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "unusable input: A:"));
  free(odd);
  /* The same series twice: refused, named. */
  char *twice = replaced(strdup(a), "\"results\": [{\"workload\": \"w\", \"series\": \"s\"",
                         "\"results\": [{\"workload\": \"w\", \"series\": \"s\", \"buckets\": "
                         "[[1, 1]]}, {\"workload\": \"w\", \"series\": \"s\"");
  assert_int_equal(run(a, twice, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "has the series \"w\" \"s\" twice"));
  free(twice);
  /* Rounds in a lal-bench/1 document: mixed formats, refused. */
  char *mixed = replaced(strdup(a), "\"unit\": \"ns\",", "\"unit\": \"ns\", \"rounds\": [],");
  assert_int_equal(run(a, mixed, "p99", 10, out, sizeof out), 2);
  assert_non_null(strstr(out, "mixed formats"));
  free(mixed);
  assert_int_equal(run(a, a, "p42", 10, out, sizeof out), 2);
  free(a), free(other), free(cut);
}

static void json_reader_handles_the_grammar(void **state) {
  (void)state;
  char err[160];
  json_value *v = json_parse(
      " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ", err, sizeof err);
  assert_non_null(v);
  const json_value *arr = json_get(v, "a");
  assert_int_equal(arr->count, 6);
  assert_true(arr->items[1].number == -2500);
  assert_string_equal(arr->items[5].string, "x\xc3\xa9\n");
  json_free(v);
  /* Numeric arrays are stored as doubles: flat, and as a matrix of rows. */
  v = json_parse("{\"flat\": [1, 2.5, -3], \"rows\": [[10, 1], [20, 2], [30, 3]], "
                 "\"ragged\": [[1], [2, 3]], \"empty\": [], \"deep\": [[[1, 2]]]}",
                 err, sizeof err);
  assert_non_null(v);
  const json_value *flat = json_get(v, "flat"), *rows = json_get(v, "rows");
  assert_int_equal(flat->count, 3);
  assert_true(json_number_at(flat, 1, 0, 0) == 2.5 && json_number_at(flat, 2, 0, 0) == -3);
  assert_int_equal(rows->count, 3);
  assert_int_equal(json_row_width(rows, 2), 2);
  assert_true(json_number_at(rows, 2, 0, 0) == 30 && json_number_at(rows, 2, 1, 0) == 3);
  assert_true(json_number_at(rows, 3, 0, -1) == -1); /* out of range: the fallback */
  const json_value *ragged = json_get(v, "ragged");
  assert_int_equal(json_row_width(ragged, 0), 1);
  assert_int_equal(json_row_width(ragged, 1), 2);
  assert_true(json_number_at(ragged, 1, 1, 0) == 3);
  assert_int_equal(json_get(v, "empty")->count, 0);
  const json_value *nested = json_get(v, "deep");
  assert_int_equal(nested->count, 1);
  assert_int_equal(nested->items[0].width, 2);
  assert_true(json_number_at(&nested->items[0], 0, 1, 0) == 2);
  json_free(v);
  const char *bad[] = {"",    "{",          "{\"a\" 1}", "[1 2]", "\"unterminated",
                       "tru", "{\"a\":1}x", "\"\\q\"",   "01x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    assert_null(json_parse(bad[i], err, sizeof err));
    assert_non_null(strstr(err, "line 1"));
  }
  char deep[200];
  memset(deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  assert_null(json_parse(deep, err, sizeof err));
  assert_non_null(strstr(err, "nested too deeply"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(equal_runs_show_no_change),
      cmocka_unit_test(a_slower_b_fails_the_gate),
      cmocka_unit_test(summary_is_rendered_as_markdown_and_html),
      cmocka_unit_test(core_to_core_becomes_heatmaps),
      cmocka_unit_test(small_samples_are_not_significant),
      cmocka_unit_test(too_few_samples_are_inconclusive),
      cmocka_unit_test(missing_series_fail_the_gate),
      cmocka_unit_test(intervals_contain_their_estimate),
      cmocka_unit_test(run_differences_warn),
      cmocka_unit_test(fingerprint_differences_warn),
      cmocka_unit_test(fingerprint_compares_settings_not_readings),
      cmocka_unit_test(different_obtained_priorities_warn),
      cmocka_unit_test(where_threads_woke_is_shown_and_kinds_warn),
      cmocka_unit_test(different_parameters_warn),
      cmocka_unit_test(single_measurements_are_shown_side_by_side),
      cmocka_unit_test(bad_input_is_refused),
      cmocka_unit_test(json_reader_handles_the_grammar),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
