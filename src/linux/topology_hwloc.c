/* SPDX-License-Identifier: MIT */
/*
 * Linux topology through hwloc (hwloc_topology_load(3)): PUs with their core,
 * package, NUMA node, L2 and L3, and hwloc's CPU kinds (hybrid P/E cores,
 * ranked by efficiency from sysfs cpu_capacity / the CPU's own hybrid leaf).
 * The topology includes disallowed PUs (HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED)
 * so that the cgroup cpuset shows up as the `allowed` set instead of hiding
 * the rest of the machine. Every hwloc call goes through lali_hwloc()'s table
 * (hwloc_api.h), which may have been loaded at run time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwloc_api.h"
#include "lal_internal.h"
#include "lal_os.h"
#include "topology_internal.h"
#include "topology_linux.h"

static void cpuset_from_hwloc(const lali_hwloc_api *api, lal_cpuset *out,
                              hwloc_const_bitmap_t bitmap) {
  lal_cpuset_zero(out);
  for (int cpu = api->bitmap_first(bitmap); cpu >= 0 && cpu < LAL_CPUSET_MAX;
       cpu = api->bitmap_next(bitmap, cpu))
    lal_cpuset_set(out, cpu);
}

/* hwloc_get_ancestor_obj_by_type without hwloc.h's inline helper. */
static int ancestor_index(hwloc_obj_t pu, hwloc_obj_type_t type, uint64_t *bytes) {
  hwloc_obj_t o = pu->parent;
  while (o && o->type != type)
    o = o->parent;
  if (!o)
    return -1;
  if (bytes && o->attr)
    *bytes = o->attr->cache.size;
  return (int)o->logical_index;
}

/* hwloc numbers kinds from least to most performant when it can rank them
 * (efficiency >= 0); the kind's CoreType info names it ("IntelCore"). */
static int add_kinds(const lali_hwloc_api *api, hwloc_topology_t h, lal_topology *t, int *map,
                     int nmap) {
  if (!api->cpukinds_get_nr)
    return 0; /* hwloc older than 2.4: one kind */
  int nk = api->cpukinds_get_nr(h, 0);
  hwloc_bitmap_t set = api->bitmap_alloc();
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
    if (api->cpukinds_get_info(h, (unsigned)k, set, &efficiency, &ninfo, &infos, 0) == 0)
      for (unsigned i = 0; i < ninfo; i++) {
        if (strcmp(infos[i].name, "CoreType") == 0) {
          lali_copy_string(name, sizeof name, infos[i].value);
          core_type = 1;
        }
        /* From cpufreq cpuinfo_max_freq; a malformed value is "unknown". */
        if (strcmp(infos[i].name, "FrequencyMaxMHz") == 0)
          max_mhz = lali_linux_parse_mhz(infos[i].value);
      }
    map[k] = lali_topology_add_kind(t, efficiency, name);
    if (map[k] < 0) {
      api->bitmap_free(set);
      return LAL_EIO;
    }
    /* Without a CoreType, hwloc's class for kinds with clocks is its own
     * frequency ranking (cpukinds.c heuristics): an X3D part's two CCDs. */
    lali_topology_kind_set_clock(t, map[k], max_mhz, !core_type && max_mhz > 0);
  }
  api->bitmap_free(set);
  return nk;
}

static int build(const lali_hwloc_api *api, hwloc_topology_t h, const char *sysroot,
                 const lal_cpuset *affinity, const char *source, lal_topology **out) {
  int pu_depth = api->get_type_depth(h, HWLOC_OBJ_PU);
  int npu = pu_depth < 0 ? 0 : (int)api->get_nbobjs_by_depth(h, pu_depth);
  if (npu > LAL_CPUSET_MAX)
    return LAL_ERANGE; /* more CPUs than a lal_cpuset can name */
  lal_topology *t = lali_topology_alloc(npu);
  if (!t)
    return LAL_ENOMEM;
  int kind_map[LALI_TOPO_KINDS_MAX];
  int nk = add_kinds(api, h, t, kind_map, LALI_TOPO_KINDS_MAX);
  int rc = nk < 0 ? nk : LAL_OK, unknown_kind = -1;
  for (int i = 0; i < npu && rc == LAL_OK; i++) {
    hwloc_obj_t o = api->get_obj_by_depth(h, pu_depth, (unsigned)i);
    if (!o || o->os_index >= LAL_CPUSET_MAX) {
      rc = LAL_ERANGE; /* a CPU number a lal_cpuset cannot hold */
      break;
    }
    lal_topo_pu pu = {.size = sizeof pu, .cpu = (int)o->os_index};
    pu.core = ancestor_index(o, HWLOC_OBJ_CORE, NULL);
    pu.package = ancestor_index(o, HWLOC_OBJ_PACKAGE, NULL);
    pu.l2 = ancestor_index(o, HWLOC_OBJ_L2CACHE, &pu.l2_bytes);
    pu.l3 = ancestor_index(o, HWLOC_OBJ_L3CACHE, &pu.l3_bytes);
    /* The NUMA node whose memory is local to this PU (hwloc 2: a memory child
     * of an ancestor); its os_index is the kernel's node number. */
    pu.numa_node = o->nodeset ? api->bitmap_first(o->nodeset) : -1;
    int kind = nk > 0 ? api->cpukinds_get_by_cpuset(h, o->cpuset, 0) : -1;
    pu.kind = kind >= 0 && kind < nk && kind < LALI_TOPO_KINDS_MAX ? kind_map[kind] : 0;
    if (nk > 0 && kind < 0) {
      /* A PU in no kind: hwloc builds kinds from the CPUs that have cpufreq
       * data and documents that others may belong to none (a real board's
       * kernel can leave one CPU without it). It gets a kind of its own. */
      if (unknown_kind < 0) {
        unknown_kind = lali_topology_add_kind(t, -1, "unknown");
        lali_topology_kind_set_unknown(t, unknown_kind);
      }
      /* (Past LALI_TOPO_KINDS_MAX kinds it joins the first, as a ninth
       * hwloc kind does.) */
      pu.kind = unknown_kind >= 0 ? unknown_kind : 0;
    }
    if (rc == LAL_OK)
      rc = lali_topology_add_pu(t, &pu);
  }
  lal_cpuset allowed;
  cpuset_from_hwloc(api, &allowed, api->topology_get_allowed_cpuset(h));
  if (rc == LAL_OK)
    rc = lali_linux_topology_finish(t, sysroot, &allowed, affinity, source);
  if (rc != LAL_OK) {
    lal_topology_free(t);
    return rc;
  }
  *out = t;
  return LAL_OK;
}

int lali_linux_topology_hwloc(const char *xml_path, const char *sysroot, const lal_cpuset *affinity,
                              const char *source, lal_topology **out) {
  const lali_hwloc_api *api = lali_hwloc();
  if (!api)
    return LAL_ENOTSUP;
  hwloc_topology_t h;
  if (api->topology_init(&h) != 0)
    return lali_fail_os();
  int rc = LAL_OK;
  if (api->topology_set_flags(h, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) != 0 ||
      (xml_path && api->topology_set_xml(h, xml_path) != 0) ||
      /* Only CPUs and caches matter here: skip PCI and OS devices. */
      api->topology_set_io_types_filter(h, HWLOC_TYPE_FILTER_KEEP_NONE) != 0 ||
      api->topology_load(h) != 0) {
    /* hwloc sets errno, but EINVAL from it means its input (sysfs, or an
     * XML named by HWLOC_XMLFILE or xml_path) was malformed: a malformed
     * answer, LAL_EIO, as lal.h says; only ENOMEM keeps its meaning. */
    rc = lali_fail_os() == LAL_ENOMEM ? LAL_ENOMEM : LAL_EIO;
  }
  /* This machine's load, but hwloc read another (HWLOC_XMLFILE,
   * HWLOC_SYNTHETIC, HWLOC_FSROOT: hwloc(7)): this process's affinity and
   * this host's isolcpus say nothing of it. The recording's allowed set
   * stands for both, as for lali_linux_topology_from_xml; isolated and
   * nohz_full come from HWLOC_FSROOT's tree when there is one, else none. */
  if (rc == LAL_OK && !xml_path && !api->topology_is_thissystem(h)) {
    const char *fsroot = getenv("HWLOC_FSROOT");
    affinity = NULL;
    sysroot = fsroot && fsroot[0] ? fsroot : "/nonexistent-lal-recording";
    if (strcmp(source, "hwloc") == 0)
      source = "hwloc-recording";
  }
  if (rc == LAL_OK)
    rc = build(api, h, sysroot, affinity, source, out);
  api->topology_destroy(h);
  return rc;
}

int lali_linux_topology_from_xml(const char *xml_path, const char *sysroot, lal_topology **out) {
  if (!xml_path || !sysroot || !out)
    return LAL_EINVAL;
  return lali_linux_topology_hwloc(xml_path, sysroot, NULL, "hwloc-xml", out);
}
