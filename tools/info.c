/* SPDX-License-Identifier: MIT */
/* `lal info`: what lal sees on this machine, as text or JSON (schema lal-info/1). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "info_sched.h"
#include "json_writer.h"
#include "lal.h"
#include "tool.h"

struct flag_name {
  unsigned bit;
  const char *name;
};

static const struct flag_name feature_names[] = {
    {LAL_FEATURE_HWLOC, "hwloc"}, {LAL_FEATURE_NUMA, "numa"},      {LAL_FEATURE_URING, "io_uring"},
    {LAL_FEATURE_XDP, "xdp"},     {LAL_FEATURE_CGROUP, "cgroup2"},
};

static const struct flag_name cap_names[] = {
    {LAL_CAP_RT_PRIORITY, "rt_priority"}, {LAL_CAP_MEMLOCK_ANY, "memlock_any"},
    {LAL_CAP_LARGE_PAGES, "large_pages"}, {LAL_CAP_IO_URING, "io_uring"},
    {LAL_CAP_CGROUP2, "cgroup2"},         {LAL_CAP_NET_ADMIN, "net_admin"},
    {LAL_CAP_ELEVATED, "elevated"},       {LAL_CAP_UNDER_WINE, "under_wine"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void print_flags(const char *label, unsigned bits, const struct flag_name *names, size_t n) {
  printf("%-16s", label);
  int any = 0;
  for (size_t i = 0; i < n; i++)
    if (bits & names[i].bit) {
      printf("%s%s", any ? " " : "", names[i].name);
      any = 1;
    }
  printf("%s\n", any ? "" : "(none)");
}

static void json_flags(json_writer *w, const char *key, unsigned bits,
                       const struct flag_name *names, size_t n) {
  json_array_begin(w, key);
  for (size_t i = 0; i < n; i++)
    if (bits & names[i].bit)
      json_string(w, NULL, names[i].name);
  json_array_end(w);
}

static void print_bytes(const char *label, uint64_t bytes) {
  if (bytes == UINT64_MAX)
    printf("%-16sunlimited\n", label);
  else if (bytes >= (UINT64_C(1) << 30) && bytes % (UINT64_C(1) << 30) == 0)
    printf("%-16s%" PRIu64 " GiB\n", label, bytes >> 30);
  else if (bytes >= (UINT64_C(1) << 20) && bytes % (UINT64_C(1) << 20) == 0)
    printf("%-16s%" PRIu64 " MiB\n", label, bytes >> 20);
  else
    printf("%-16s%" PRIu64 " KiB\n", label, bytes >> 10);
}

static const struct flag_name check_names[] = {
    {LAL_TSC_CHECK_INVARIANT, "invariant"},
    {LAL_TSC_CHECK_NO_HYPERVISOR, "no_hypervisor"},
    {LAL_TSC_CHECK_KERNEL_CLOCKSOURCE, "kernel_clocksource"},
    {LAL_TSC_CHECK_KERNEL_STABLE, "kernel_stable"},
    {LAL_TSC_CHECK_CPU_SYNC, "cpu_sync"},
    {LAL_TSC_CHECK_MONOTONIC, "monotonic"},
    {LAL_TSC_CHECK_FREQ_STABLE, "freq_stable"},
};

static const char *freq_method_name(int m) {
  switch (m) {
  case LAL_TSC_FREQ_CPUID:
    return "cpuid";
  case LAL_TSC_FREQ_HYPERVISOR:
    return "hypervisor";
  case LAL_TSC_FREQ_KERNEL:
    return "kernel";
  case LAL_TSC_FREQ_MEASURED:
    return "measured";
  default:
    return "none";
  }
}

static void print_clock_text(const lal_clock_info *c) {
  printf("%-16s%s (%s)\n", "clock:", c->source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os", c->reason);
  printf("%-16s%.6f MHz (%s; measured %.6f MHz), rdtscp %s\n", "tsc:", c->tsc_hz / 1e6,
         freq_method_name(c->freq_method), c->measured_tsc_hz / 1e6, c->has_rdtscp ? "yes" : "no");
  print_flags("tsc checks ok:", c->checks_passed, check_names, COUNT(check_names));
  print_flags("tsc checks bad:", c->checks_failed, check_names, COUNT(check_names));
  printf("%-16s%lld ns over %d CPUs; calibration %u us\n", "tsc skew:", (long long)c->cpu_skew_ns,
         c->cpus_checked, c->calibration_us);
  printf("%-16slal_now_ns %.1f ns, lal_tsc %.1f ns, OS monotonic %.1f ns (%s)\n",
         "read cost:", c->now_read_ps / 1000.0, c->tsc_read_ps / 1000.0, c->mono_read_ps / 1000.0,
         c->os_clocksource);
  if (strcmp(c->os_clocksource, c->os_clocksource_at_init) != 0)
    printf("%-16sthe kernel changed its clocksource: %s at start, %s now\n",
           "clocksource:", c->os_clocksource_at_init, c->os_clocksource);
}

static void json_clock(json_writer *w, const lal_clock_info *c) {
  json_object_begin(w, "clock");
  json_string(w, "source", c->source == LAL_CLOCK_SOURCE_TSC ? "tsc" : "os");
  json_string(w, "reason", c->reason);
  json_uint(w, "tsc_hz", c->tsc_hz);
  json_uint(w, "measured_tsc_hz", c->measured_tsc_hz);
  json_string(w, "freq_method", freq_method_name(c->freq_method));
  json_flags(w, "checks_passed", c->checks_passed, check_names, COUNT(check_names));
  json_flags(w, "checks_failed", c->checks_failed, check_names, COUNT(check_names));
  json_int(w, "cpu_skew_ns", c->cpu_skew_ns);
  json_int(w, "cpus_checked", c->cpus_checked);
  json_bool(w, "rdtscp", c->has_rdtscp);
  json_uint(w, "calibration_us", c->calibration_us);
  json_uint(w, "now_read_ps", c->now_read_ps);
  json_uint(w, "tsc_read_ps", c->tsc_read_ps);
  json_uint(w, "mono_read_ps", c->mono_read_ps);
  json_string(w, "os_clocksource", c->os_clocksource);
  json_string(w, "os_clocksource_at_init", c->os_clocksource_at_init);
  json_object_end(w);
}

static void print_text(const lal_caps *caps) {
  printf("lal %s\n", lal_version_string());
  printf("%-16s%s %s\n", "os:", caps->os_name, caps->os_release);
  printf("%-16s%d\n", "cpus:", caps->cpu_count);
  printf("%-16s%s\n", "cpu model:", caps->cpu_model[0] ? caps->cpu_model : "(unknown)");
  printf("%-16s%s%s%s%s\n", "virtualization:",
         caps->hypervisor[0] ? "VM, hypervisor " : "bare metal (no CPUID hypervisor bit)",
         caps->hypervisor, caps->container[0] ? "; container: " : "", caps->container);
  print_flags("built with:", caps->build_features, feature_names, COUNT(feature_names));
  print_flags("allowed here:", caps->machine_features, cap_names, COUNT(cap_names));
  print_bytes("memlock limit:", caps->memlock_limit);
  print_bytes("large page:", caps->large_page_size);
  printf("%-16s%llu reserved and free\n",
         "large pages:", (unsigned long long)caps->large_pages_free);
  lal_clock_info clock = LAL_CLOCK_INFO_INIT;
  if (lal_clock_get_info(&clock) == LAL_OK)
    print_clock_text(&clock);
  info_topology_text();
  info_profiles_text();
}

static void print_json(const lal_caps *caps) {
  json_writer w;
  json_init(&w, stdout);
  json_object_begin(&w, NULL);
  json_string(&w, "schema", "lal-info/1");
  json_string(&w, "version", lal_version_string());
  json_object_begin(&w, "os");
  json_string(&w, "name", caps->os_name);
  json_string(&w, "release", caps->os_release);
  json_object_end(&w);
  json_object_begin(&w, "caps");
  json_int(&w, "cpu_count", caps->cpu_count);
  json_flags(&w, "build_features", caps->build_features, feature_names, COUNT(feature_names));
  json_flags(&w, "machine_features", caps->machine_features, cap_names, COUNT(cap_names));
  if (caps->memlock_limit == UINT64_MAX)
    json_string(&w, "memlock_limit", "unlimited");
  else
    json_uint(&w, "memlock_limit", caps->memlock_limit);
  json_uint(&w, "large_page_size", caps->large_page_size);
  json_uint(&w, "large_pages_free", caps->large_pages_free);
  json_string(&w, "cpu_model", caps->cpu_model);
  json_string(&w, "hypervisor", caps->hypervisor);
  json_string(&w, "container", caps->container);
  json_object_end(&w);
  lal_clock_info clock = LAL_CLOCK_INFO_INIT;
  if (lal_clock_get_info(&clock) == LAL_OK)
    json_clock(&w, &clock);
  info_topology_json(&w);
  info_profiles_json(&w);
  json_object_end(&w);
  json_finish(&w);
}

int lal_tool_info(int argc, char **argv) {
  int as_json = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      as_json = 1;
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      printf("usage: lal info [--json]\n"
             "What lal sees: version, build features, OS, CPU, VM/container, privileges,\n"
             "limits, the clock lal chose and why, the topology, and what each priority\n"
             "profile obtains (tried in a scratch thread).\n"
             "  --json  the same as JSON\n"
             "exit status: 0 done; 1 lal_query_caps failed; 2 bad usage\n");
      return 0;
    } else {
      fprintf(stderr, "lal info: unknown option '%s' (use --json)\n", argv[i]);
      return 2;
    }
  }
  lal_caps caps = LAL_CAPS_INIT;
  int rc = lal_query_caps(&caps);
  if (rc != LAL_OK) {
    fprintf(stderr, "lal info: lal_query_caps: %s\n", lal_strerror(rc));
    return 1;
  }
  if (as_json)
    print_json(&caps);
  else
    print_text(&caps);
  return 0;
}
