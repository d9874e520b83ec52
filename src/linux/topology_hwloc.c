/* SPDX-License-Identifier: MIT */
/*
 * Linux topology through hwloc (hwloc_topology_load(3)): PUs with their core,
 * package, NUMA node, L2 and L3, and hwloc's CPU kinds (hybrid P/E cores,
 * ranked by efficiency from sysfs cpu_capacity / the CPU's own hybrid leaf).
 * The topology includes disallowed PUs (HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED)
 * so that the cgroup cpuset shows up as the `allowed` set instead of hiding
 * the rest of the machine.
 */
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"
#include "topology_internal.h"
#include "topology_linux.h"

static void cpuset_from_hwloc(lal_cpuset *out, hwloc_const_bitmap_t bitmap) {
  lal_cpuset_zero(out);
  for (int cpu = hwloc_bitmap_first(bitmap); cpu >= 0 && cpu < LAL_CPUSET_MAX;
       cpu = hwloc_bitmap_next(bitmap, cpu))
    lal_cpuset_set(out, cpu);
}

static int ancestor_index(hwloc_topology_t h, hwloc_obj_t pu, hwloc_obj_type_t type,
                          uint64_t *bytes) {
  hwloc_obj_t o = hwloc_get_ancestor_obj_by_type(h, type, pu);
  if (!o)
    return -1;
  if (bytes && o->attr)
    *bytes = o->attr->cache.size;
  return (int)o->logical_index;
}

/* "5250" -> 5250; 0 for anything that is not a plausible clock in MHz. */
static int parse_mhz(const char *text) {
  long v = 0;
  for (const char *c = text; *c; c++) {
    if (*c < '0' || *c > '9' || v > 1000000)
      return 0;
    v = v * 10 + (*c - '0');
  }
  return (int)v;
}

/* hwloc numbers kinds from least to most performant when it can rank them
 * (efficiency >= 0); the kind's CoreType info names it ("IntelCore"). */
static int add_kinds(hwloc_topology_t h, lal_topology *t, int *map, int nmap) {
  int nk = hwloc_cpukinds_get_nr(h, 0);
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  if (!set)
    return LAL_ENOMEM;
  for (int k = 0; k < nk && k < nmap; k++) {
    int efficiency = -1;
    unsigned ninfo = 0;
    struct hwloc_info_s *infos = NULL;
    char name[32];
    if (nk == 1)
      snprintf(name, sizeof name, "default");
    else
      snprintf(name, sizeof name, "kind %d", k);
    int max_mhz = 0, core_type = 0;
    if (hwloc_cpukinds_get_info(h, (unsigned)k, set, &efficiency, &ninfo, &infos, 0) == 0)
      for (unsigned i = 0; i < ninfo; i++) {
        if (strcmp(infos[i].name, "CoreType") == 0) {
          lal__copy_string(name, sizeof name, infos[i].value);
          core_type = 1;
        }
        /* From cpufreq cpuinfo_max_freq; a malformed value is "unknown". */
        if (strcmp(infos[i].name, "FrequencyMaxMHz") == 0)
          max_mhz = parse_mhz(infos[i].value);
      }
    map[k] = lal__topology_add_kind(t, efficiency, name);
    if (map[k] < 0) {
      hwloc_bitmap_free(set);
      return LAL_EIO;
    }
    /* Without a CoreType, hwloc's class for kinds with clocks is its own
     * frequency ranking (cpukinds.c heuristics): an X3D part's two CCDs. */
    lal__topology_kind_set_clock(t, map[k], max_mhz, !core_type && max_mhz > 0);
  }
  hwloc_bitmap_free(set);
  return nk;
}

/* The amd_x3d_vcache platform driver (Linux 6.13+, ACPI device AMDI0101)
 * exposes amd_x3d_mode, "frequency" or "cache" (Documentation/ABI/testing/
 * sysfs-driver-amd-x3d-vcache). Anything else, or no driver, leaves "". */
static void read_x3d_mode(const char *sysroot, char *out, size_t size) {
  char text[32];
  out[0] = '\0';
  if (lal__linux_read_text(sysroot,
                           "/sys/bus/platform/drivers/amd_x3d_vcache/AMDI0101:00/amd_x3d_mode",
                           text, sizeof text) <= 0)
    return;
  text[strcspn(text, "\n")] = '\0';
  if (strcmp(text, "frequency") == 0 || strcmp(text, "cache") == 0)
    lal__copy_string(out, size, text);
}

/* /sys/devices/system/cpu/<name> as a set; empty when absent (old kernels,
 * or no isolcpus=/nohz_full= on the command line). */
static void read_cpu_list(const char *sysroot, const char *name, lal_cpuset *out) {
  char path[96], text[LAL_CPUSET_FORMAT_MAX];
  snprintf(path, sizeof path, "/sys/devices/system/cpu/%s", name);
  lal_cpuset_zero(out);
  if (lal__linux_read_text(sysroot, path, text, sizeof text) > 0 &&
      lal_cpuset_parse(out, text) != LAL_OK)
    lal_cpuset_zero(out);
}

static int build(hwloc_topology_t h, const char *sysroot, const lal_cpuset *affinity,
                 const char *source, lal_topology **out) {
  int npu = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PU);
  if (npu > LAL_CPUSET_MAX)
    return LAL_ERANGE; /* more CPUs than a lal_cpuset can name */
  lal_topology *t = lal__topology_alloc(npu);
  if (!t)
    return LAL_ENOMEM;
  int kind_map[LAL__TOPO_KINDS_MAX];
  int nk = add_kinds(h, t, kind_map, LAL__TOPO_KINDS_MAX);
  int rc = nk < 0 ? nk : LAL_OK;
  for (int i = 0; i < npu && rc == LAL_OK; i++) {
    hwloc_obj_t o = hwloc_get_obj_by_type(h, HWLOC_OBJ_PU, (unsigned)i);
    if (o->os_index >= LAL_CPUSET_MAX) {
      rc = LAL_ERANGE; /* a CPU number a lal_cpuset cannot hold */
      break;
    }
    lal_topo_pu pu = {.size = sizeof pu, .cpu = (int)o->os_index};
    pu.core = ancestor_index(h, o, HWLOC_OBJ_CORE, NULL);
    pu.package = ancestor_index(h, o, HWLOC_OBJ_PACKAGE, NULL);
    pu.l2 = ancestor_index(h, o, HWLOC_OBJ_L2CACHE, &pu.l2_bytes);
    pu.l3 = ancestor_index(h, o, HWLOC_OBJ_L3CACHE, &pu.l3_bytes);
    /* The NUMA node whose memory is local to this PU (hwloc 2: a memory child
     * of an ancestor); its os_index is the kernel's node number. */
    pu.numa_node = o->nodeset ? hwloc_bitmap_first(o->nodeset) : -1;
    int kind = nk > 0 ? hwloc_cpukinds_get_by_cpuset(h, o->cpuset, 0) : -1;
    pu.kind = kind >= 0 && kind < nk && kind < LAL__TOPO_KINDS_MAX ? kind_map[kind] : 0;
    if (nk > 0 && kind < 0)
      rc = LAL_EIO; /* a PU outside every kind: hwloc's answer is inconsistent */
    else
      rc = lal__topology_add_pu(t, &pu);
  }
  lal_cpuset allowed, isolated, nohz;
  cpuset_from_hwloc(&allowed, hwloc_topology_get_allowed_cpuset(h));
  read_cpu_list(sysroot, "isolated", &isolated);
  read_cpu_list(sysroot, "nohz_full", &nohz);
  lal__topology_sets sets = {&allowed, affinity ? affinity : &allowed, &isolated, &nohz, 1};
  if (rc == LAL_OK)
    rc = lal__topology_finish(t, &sets, source);
  if (rc == LAL_OK)
    read_x3d_mode(sysroot, t->info.amd_x3d_mode, sizeof t->info.amd_x3d_mode);
  if (rc != LAL_OK) {
    lal_topology_free(t);
    return rc;
  }
  *out = t;
  return LAL_OK;
}

/* xml_path NULL: this machine. */
static int load(const char *xml_path, const char *sysroot, lal_topology **out) {
  hwloc_topology_t h;
  if (hwloc_topology_init(&h) != 0)
    return lal__fail_os();
  int rc = LAL_OK;
  if (hwloc_topology_set_flags(h, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) != 0 ||
      (xml_path && hwloc_topology_set_xml(h, xml_path) != 0) ||
      /* Only CPUs and caches matter here: skip PCI and OS devices. */
      hwloc_topology_set_io_types_filter(h, HWLOC_TYPE_FILTER_KEEP_NONE) != 0 ||
      hwloc_topology_load(h) != 0) {
    /* hwloc sets errno, but EINVAL from it means its input (sysfs, or an
     * XML named by HWLOC_XMLFILE or xml_path) was malformed: a malformed
     * answer, LAL_EIO, as lal.h says; only ENOMEM keeps its meaning. */
    rc = lal__fail_os() == LAL_ENOMEM ? LAL_ENOMEM : LAL_EIO;
  }
  lal_cpuset affinity;
  if (rc == LAL_OK && !xml_path)
    rc = lal__os_process_affinity_get(&affinity);
  if (rc == LAL_OK)
    rc = build(h, sysroot, xml_path ? NULL : &affinity, xml_path ? "hwloc-xml" : "hwloc", out);
  hwloc_topology_destroy(h);
  return rc;
}

int lal__linux_topology_from_xml(const char *xml_path, const char *sysroot, lal_topology **out) {
  if (!xml_path || !sysroot || !out)
    return LAL_EINVAL;
  return load(xml_path, sysroot, out);
}

int lal__os_topology_load(lal_topology **out) { return load(NULL, "", out); }
