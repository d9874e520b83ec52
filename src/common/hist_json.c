/* SPDX-License-Identifier: MIT */
/*
 * lal_hist_write_json: histograms as a lal-bench/1 document (bench/SCHEMA.md)
 * that lal-compare reads. The fields are the ones lal-bench writes for a
 * series; the fingerprint is what the library itself knows of the machine.
 * Standard C I/O only: this is portable code.
 */
#include <stdio.h>
#include <string.h>

#include "json_string.h"
#include "lal_internal.h"

static void put_series(FILE *f, const lal_hist_series *s) {
  const lal_hist *h = s->hist;
  fputs("    {\"workload\": ", f);
  lali_json_put_string(f, s->workload);
  fputs(", \"series\": ", f);
  lali_json_put_string(f, s->series);
  fputs(", \"unit\": ", f);
  lali_json_put_string(f, s->unit);
  fprintf(f, ", \"count\": %llu, \"min\": %llu, \"max\": %llu, \"mean\": %.1f",
          (unsigned long long)h->count, (unsigned long long)(h->count ? h->min : 0),
          (unsigned long long)h->max, h->count ? h->sum / (double)h->count : 0.0);
  static const char *const names[] = {"p50", "p90", "p99", "p99_9", "p99_99"};
  static const double pct[] = {50, 90, 99, 99.9, 99.99};
  for (int i = 0; i < 5; i++)
    fprintf(f, ", \"%s\": %llu", names[i], (unsigned long long)lal_hist_value_at(h, pct[i]));
  fputs(", \"buckets\": [", f); /* [lowest value, count] of each non-empty bucket */
  int first = 1;
  for (unsigned i = 0; i < LAL_HIST_BUCKETS; i++)
    if (h->buckets[i]) {
      fprintf(f, "%s[%llu, %u]", first ? "" : ", ", (unsigned long long)lal_hist_bucket_low(i),
              h->buckets[i]);
      first = 0;
    }
  fputs("]}", f);
}

static void put_env(FILE *f) {
  lal_caps caps = LAL_CAPS_INIT;
  lal_query_caps(&caps);
  lal_clock_info clock = LAL_CLOCK_INFO_INIT;
  lal_clock_get_info(&clock);
  fputs("  \"env\": {\"lal_version\": ", f);
  lali_json_put_string(f, lal_version_string());
  fputs(", \"os\": ", f);
  lali_json_put_string(f, caps.os_name);
  fputs(", \"os_release\": ", f);
  lali_json_put_string(f, caps.os_release);
  fprintf(f, ", \"cpu_count\": %d, \"clock_source\": \"%s\", \"tsc_hz\": %llu,", caps.cpu_count,
          clock.source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os", (unsigned long long)clock.tsc_hz);
  fputs(" \"recorded_by\": \"lal_hist_write_json\"},\n", f);
}

/* The Microsoft compiler's C runtime deprecates fopen (C4996, an error under
 * /W4 /WX) in favour of fopen_s; other compilers may lack fopen_s. */
static FILE *open_for_writing(const char *path) {
#if defined(_MSC_VER)
  FILE *f = NULL;
  return fopen_s(&f, path, "w") == 0 ? f : NULL;
#else
  return fopen(path, "w");
#endif
}

int lal_hist_write_json(const char *path, const lal_hist_series *series, size_t count) {
  if (!path || !series || count == 0)
    return LAL_EINVAL;
  for (size_t i = 0; i < count; i++)
    if (!series[i].workload || !series[i].series || !series[i].unit || !series[i].hist)
      return LAL_EINVAL;
  char tmp[4096];
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
    return LAL_EINVAL;
  FILE *f = open_for_writing(tmp);
  if (!f)
    return LAL_EIO;
  fputs("{\n  \"schema\": \"lal-bench/1\",\n", f);
  put_env(f);
  fputs("  \"results\": [\n", f);
  for (size_t i = 0; i < count; i++) {
    put_series(f, &series[i]);
    fputs(i + 1 < count ? ",\n" : "\n", f);
  }
  fputs("  ]\n}\n", f);
  int failed = ferror(f);
  failed |= fclose(f) != 0;
  /* rename() replaces on POSIX; the Windows C runtime refuses an existing
   * target, so it is removed first there (not atomic on Windows). */
  if (!failed && rename(tmp, path) != 0 && (remove(path) != 0 || rename(tmp, path) != 0))
    failed = 1;
  if (failed) {
    remove(tmp);
    return LAL_EIO;
  }
  return LAL_OK;
}
