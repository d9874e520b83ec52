/* Fingerprint, result emission and printing shared by the workloads. */
#include <stdio.h>

#include "bench.h"
#include "bench_os.h"
#include "lal.h"

FILE *bench_null_sink(void) {
#ifdef _WIN32
  return fopen("NUL", "w");
#else
  return fopen("/dev/null", "w");
#endif
}

void bench_fingerprint(json_writer *jw) {
  lal_caps caps = LAL_CAPS_INIT;
  lal_clock_info clock = LAL_CLOCK_INFO_INIT;
  lal_query_caps(&caps);
  lal_clock_info_get(&clock);
  json_object_begin(jw, "env");
  json_string(jw, "lal_version", lal_version_string());
  json_string(jw, "os", caps.os_name);
  json_string(jw, "os_release", caps.os_release);
  json_int(jw, "cpu_count", caps.cpu_count);
  json_bool(jw, "under_wine", !!(caps.machine_features & LAL_CAP_UNDER_WINE));
  json_bool(jw, "rt_priority_allowed", !!(caps.machine_features & LAL_CAP_RT_PRIORITY));
  json_string(jw, "clock_source", clock.source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os");
  json_string(jw, "clock_reason", clock.reason);
  json_uint(jw, "tsc_hz", clock.tsc_hz);
  json_string(jw, "os_clocksource", clock.os_clocksource);
  json_object_end(jw);
}

void bench_emit(json_writer *jw, const char *workload_name, const char *series, const char *unit,
                const histogram *h) {
  json_object_begin(jw, NULL);
  json_string(jw, "workload", workload_name);
  json_string(jw, "series", series);
  json_string(jw, "unit", unit);
  json_uint(jw, "count", h->count);
  json_uint(jw, "min", h->count ? h->min : 0);
  json_uint(jw, "p50", hist_quantile(h, 0.50));
  json_uint(jw, "p90", hist_quantile(h, 0.90));
  json_uint(jw, "p99", hist_quantile(h, 0.99));
  json_uint(jw, "p99_9", hist_quantile(h, 0.999));
  json_uint(jw, "p99_99", hist_quantile(h, 0.9999));
  json_uint(jw, "max", h->max);
  json_array_begin(jw, "buckets"); /* [lowest value, count] of each non-empty bucket */
  for (unsigned i = 0; i < HIST_BUCKETS; i++) {
    if (!h->buckets[i])
      continue;
    json_array_begin(jw, NULL);
    json_uint(jw, NULL, hist_bucket_low(i));
    json_uint(jw, NULL, h->buckets[i]);
    json_array_end(jw);
  }
  json_array_end(jw);
  json_object_end(jw);
}

void bench_print(const char *series, const char *unit, const histogram *h) {
  printf("  %-30s n=%-7llu p50 %7llu  p90 %7llu  p99 %7llu  p99.9 %8llu  max %9llu %s\n", series,
         (unsigned long long)h->count, (unsigned long long)hist_quantile(h, 0.5),
         (unsigned long long)hist_quantile(h, 0.9), (unsigned long long)hist_quantile(h, 0.99),
         (unsigned long long)hist_quantile(h, 0.999), (unsigned long long)h->max, unit);
}
