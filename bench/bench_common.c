/* SPDX-License-Identifier: MIT */
/* Fingerprint, result emission and printing shared by the workloads. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_os.h"
#include "doctor.h"
#include "lal.h"
#include "result_format.h"
#include "time_units.h"
#include "where.h"

void bench_two_cpus(const bench_opts *opts, int *home, int *other) {
  *home = opts->home_cpu;
  *other = lal_cpuset_first(&opts->allowed);
  while (*other >= 0 && *other == *home)
    *other = lal_cpuset_next(&opts->allowed, *other);
}

int bench_thread_on(lal_thread **t, int cpu, lal_thread_fn fn, void *arg) {
  lal_cpuset pin;
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, cpu);
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.affinity = &pin;
  return lal_thread_create(t, &attr, fn, arg);
}

FILE *bench_null_sink(void) {
#ifdef _WIN32
  return fopen("NUL", "w");
#else
  return fopen("/dev/null", "w");
#endif
}

/* "1 package, 8 cores, 16 PUs (SMT 2), 1 NUMA node, 1 L3, 2 CPU kinds". */
static void topology_summary(char *buf, size_t size) {
  lal_topology *topo = NULL;
  lal_topology_info ti = LAL_TOPOLOGY_INFO_INIT;
  if (lal_topology_load(&topo) != LAL_OK || lal_topology_get_info(topo, &ti) != LAL_OK) {
    snprintf(buf, size, "unavailable");
  } else {
    char isolated[64] = "";
    if (lal_cpuset_count(&ti.isolated) > 0) {
      char list[48];
      lal_cpuset_format(&ti.isolated, list, sizeof list);
      snprintf(isolated, sizeof isolated, ", isolated %s", list);
    }
    snprintf(buf, size,
             "%d package%s, %d cores, %d PUs (SMT %d), %d NUMA node%s, %d L3, %d CPU kind%s%s",
             ti.packages, ti.packages == 1 ? "" : "s", ti.cores, ti.pus, ti.smt_max, ti.numa_nodes,
             ti.numa_nodes == 1 ? "" : "s", ti.l3_domains, ti.kinds, ti.kinds == 1 ? "" : "s",
             isolated);
  }
  lal_topology_free(topo);
}

/* Doctor findings that are readings of load, not settings: they differ from
 * run to run on the same machine and would make every comparison warn. */
static int is_load_reading(const char *check) {
  return strncmp(check, "psi_", 4) == 0 || strcmp(check, "cgroup_throttling") == 0;
}

void bench_fingerprint(json_writer *jw, const bench_harness *h, const bench_opts *opts) {
  lal_caps caps = LAL_CAPS_INIT;
  lal_clock_info clock = LAL_CLOCK_INFO_INIT;
  lal_query_caps(&caps);
  lal_clock_get_info(&clock);
  json_object_begin(jw, "env");
  json_string(jw, "lal_version", lal_version_string());
  json_string(jw, "os", caps.os_name);
  json_string(jw, "os_release", caps.os_release);
  char build[160];
  bench_os_kernel_build(build, sizeof build);
  json_string(jw, "os_build", build);
  json_string(jw, "cpu_model", caps.cpu_model);
  json_string(jw, "hypervisor", caps.hypervisor);
  json_string(jw, "container", caps.container);
  json_int(jw, "cpu_count", caps.cpu_count);
  char topo[192];
  topology_summary(topo, sizeof topo);
  json_string(jw, "topology", topo);
  json_bool(jw, "under_wine", !!(caps.machine_features & LAL_CAP_UNDER_WINE));
  json_bool(jw, "rt_priority_allowed", !!(caps.machine_features & LAL_CAP_RT_PRIORITY));
  json_string(jw, "clock_source", clock.source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os");
  json_string(jw, "clock_reason", clock.reason);
  json_uint(jw, "tsc_hz", clock.tsc_hz);
  json_string(jw, "os_clocksource", clock.os_clocksource);
  char duration[32];
  snprintf(duration, sizeof duration, "%g", opts->duration_s);
  json_string(jw, "run_duration_s", duration);
  json_bool(jw, "run_quick", opts->quick);
  json_int(jw, "run_rounds", opts->rounds);
  char cpus[LAL_CPUSET_FORMAT_MAX];
  if (lal_cpuset_format(&opts->allowed, cpus, sizeof cpus) != LAL_OK)
    cpus[0] = '\0';
  json_string(jw, "run_cpus", cpus);
  bench_harness_json(jw, h);
  finding findings[DOCTOR_MAX_FINDINGS];
  int n = doctor_run("", findings, DOCTOR_MAX_FINDINGS);
  for (int i = 0; i < n; i++) {
    if (is_load_reading(findings[i].check))
      continue;
    char key[64], value[200];
    snprintf(key, sizeof key, "tuning_%s", findings[i].check);
    snprintf(value, sizeof value, "%s: %s", doctor_status_name(findings[i].status),
             findings[i].value);
    json_string(jw, key, value);
  }
  json_object_end(jw);
}

volatile sig_atomic_t *bench_stop_flag;

double bench_share_s(const bench_opts *opts, double total_s, double min_s) {
  double share = opts->rounds > 1 ? total_s / opts->rounds : total_s;
  return share > min_s ? share : (total_s < min_s ? total_s : min_s);
}

int bench_share(const bench_opts *opts, int n, int min) {
  int share = opts->rounds > 1 ? n / opts->rounds : n;
  return share > min ? share : (n < min ? n : min);
}

void bench_emit(json_writer *jw, const char *workload_name, const char *series, const char *unit,
                const histogram *h) {
  bench_emit_series(jw, workload_name, series, unit, NULL, NULL, 0, h);
}

void bench_emit_series(json_writer *jw, const char *workload_name, const char *series,
                       const char *unit, const char *obtained, const bench_param *params,
                       int nparams, const histogram *h) {
  bench_emit_series_ex(jw, workload_name, series, unit, obtained, params, nparams, h, NULL);
}

void bench_emit_series_ex(json_writer *jw, const char *workload_name, const char *series,
                          const char *unit, const char *obtained, const bench_param *params,
                          int nparams, const histogram *h, const bench_extra *extra) {
  json_object_begin(jw, NULL);
  json_string(jw, "workload", workload_name);
  json_string(jw, "series", series);
  json_string(jw, "unit", unit);
  if (obtained)
    json_string(jw, "obtained", obtained);
  if (nparams > 0) {
    json_object_begin(jw, "params");
    for (int i = 0; i < nparams; i++)
      if (params[i].text)
        json_string(jw, params[i].key, params[i].text);
      else
        json_int(jw, params[i].key, params[i].number);
    json_object_end(jw);
  }
  if (extra && extra->where)
    where_emit(jw, extra->where);
  if (extra && extra->cpu_pct >= 0)
    json_double(jw, "cpu_pct", extra->cpu_pct);
  result_write_distribution(jw, h);
  json_object_end(jw);
}

void bench_periodic_wakeups(int iterations, uint64_t period_ns, histogram *h, bench_where *where) {
  uint64_t next = lal_now_ns() + period_ns;
  for (int i = 0; i < iterations && !bench_stopping(); i++) {
    lal_sleep_until(next, 0);
    uint64_t late = lal_now_ns() - next;
    if (i >= 10) {
      hist_record(h, late);
      where_record(where);
    }
    next += period_ns;
    uint64_t now = lal_now_ns();
    if (next < now)
      next = now + period_ns;
  }
}

void bench_print(const char *series, const char *unit, const histogram *h) {
  /* Each value in its own scaled time unit: 9.38 ns, 74.5 us, 3.47 ms. */
  char v[5][24];
  const double q[4] = {0.5, 0.9, 0.99, 0.999};
  for (int i = 0; i < 4; i++)
    time_format(v[i], sizeof v[i], (double)hist_quantile(h, q[i]), unit);
  time_format(v[4], sizeof v[4], (double)h->max, unit);
  printf("  %-36s n=%-7llu p50 %9s  p90 %9s  p99 %9s  p99.9 %9s  max %9s\n", series,
         (unsigned long long)h->count, v[0], v[1], v[2], v[3], v[4]);
}
