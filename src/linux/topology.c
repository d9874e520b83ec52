/* SPDX-License-Identifier: MIT */
/*
 * lal_topology_load on Linux: hwloc when it is there (it knows more: CPUID
 * core types, quirks of odd firmware), else /sys, which every kernel since
 * 2.6 has and which needs no library. info.source says which ("hwloc",
 * "sysfs").
 */
#include <stdio.h>
#include <string.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"
#include "topology_internal.h"
#include "topology_linux.h"

int lali_linux_parse_mhz(const char *text) {
  long v = 0;
  for (const char *c = text; *c && *c != '\n'; c++) {
    if (*c < '0' || *c > '9' || v > 1000000)
      return 0;
    v = v * 10 + (*c - '0');
  }
  return (int)v;
}

/* The amd_x3d_vcache platform driver (Linux 6.13+, ACPI device AMDI0101)
 * exposes amd_x3d_mode, "frequency" or "cache" (Documentation/ABI/testing/
 * sysfs-driver-amd-x3d-vcache). Anything else, or no driver, leaves "". */
static void read_x3d_mode(const char *sysroot, char *out, size_t size) {
  char text[32];
  out[0] = '\0';
  if (lali_linux_read_text(sysroot,
                           "/sys/bus/platform/drivers/amd_x3d_vcache/AMDI0101:00/amd_x3d_mode",
                           text, sizeof text) <= 0)
    return;
  text[strcspn(text, "\n")] = '\0';
  if (strcmp(text, "frequency") == 0 || strcmp(text, "cache") == 0)
    lali_copy_string(out, size, text);
}

/* /sys/devices/system/cpu/<name> as a set; empty when absent (old kernels,
 * or no isolcpus=/nohz_full= on the command line). */
static void read_cpu_list(const char *sysroot, const char *name, lal_cpuset *out) {
  char path[96];
  snprintf(path, sizeof path, "/sys/devices/system/cpu/%s", name);
  if (lali_linux_read_cpulist(sysroot, path, out) != LAL_OK)
    lal_cpuset_zero(out);
}

int lali_linux_topology_finish(lal_topology *t, const char *sysroot, const lal_cpuset *allowed,
                               const lal_cpuset *affinity, const char *source) {
  lal_cpuset isolated, nohz;
  read_cpu_list(sysroot, "isolated", &isolated);
  read_cpu_list(sysroot, "nohz_full", &nohz);
  lali_topology_sets sets = {allowed, affinity ? affinity : allowed, &isolated, &nohz, 1};
  int rc = lali_topology_finish(t, &sets, source);
  if (rc == LAL_OK)
    read_x3d_mode(sysroot, t->info.amd_x3d_mode, sizeof t->info.amd_x3d_mode);
  return rc;
}

int lali_os_topology_load(lal_topology **out) {
  lal_cpuset affinity;
  int rc = lali_os_process_affinity_get(&affinity);
  if (rc != LAL_OK)
    return rc;
  rc = lali_linux_topology_hwloc(NULL, "", &affinity, "hwloc", out);
  if (rc == LAL_ENOTSUP)
    rc = lali_linux_topology_sysfs("", &affinity, "sysfs", out);
  return rc;
}
