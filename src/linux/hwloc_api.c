/* SPDX-License-Identifier: MIT */
/*
 * Fills lali_hwloc_api (hwloc_api.h). With LAL_HWLOC_DLOPEN, libhwloc.so.15
 * is opened at first use, as SDL3 opens its optional libraries and as lal
 * opens libdbus-1 (rtkit.c): a machine without hwloc still gets a topology,
 * from /sys (topology_sysfs.c). SONAME 15 is hwloc 2.x's ABI; the run-time
 * library must also say major version 2 through hwloc_get_api_version(3),
 * since lal reads struct hwloc_obj fields directly.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "hwloc_api.h"
#include "topology_linux.h"

#ifdef LAL_HWLOC_DLOPEN

static lali_hwloc_api table;
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int load(void) {
  /* RTLD_LOCAL: hwloc's symbols stay out of the application's namespace (a
   * game that links its own hwloc keeps it). The handle is kept for the
   * process: topologies live as long as the caller wants them. */
  void *h = dlopen("libhwloc.so.15", RTLD_NOW | RTLD_LOCAL);
  if (!h)
    return 0;
  lali_hwloc_api a;
  int ok = 1;
#  define RESOLVE(field, name, required)                                                           \
    do {                                                                                           \
      void *sym = dlsym(h, name);                                                                  \
      ok = ok && (sym || !(required));                                                             \
      memcpy(&a.field, &sym, sizeof sym);                                                          \
    } while (0)
  unsigned (*api_version)(void) = NULL;
  void *v = dlsym(h, "hwloc_get_api_version");
  memcpy(&api_version, &v, sizeof v);
  ok = api_version && (api_version() >> 16) == (HWLOC_API_VERSION >> 16);
  RESOLVE(topology_init, "hwloc_topology_init", 1);
  RESOLVE(topology_destroy, "hwloc_topology_destroy", 1);
  RESOLVE(topology_set_flags, "hwloc_topology_set_flags", 1);
  RESOLVE(topology_set_xml, "hwloc_topology_set_xml", 1);
  RESOLVE(topology_set_io_types_filter, "hwloc_topology_set_io_types_filter", 1);
  RESOLVE(topology_load, "hwloc_topology_load", 1);
  RESOLVE(topology_get_allowed_cpuset, "hwloc_topology_get_allowed_cpuset", 1);
  RESOLVE(topology_is_thissystem, "hwloc_topology_is_thissystem", 1);
  RESOLVE(get_type_depth, "hwloc_get_type_depth", 1);
  RESOLVE(get_nbobjs_by_depth, "hwloc_get_nbobjs_by_depth", 1);
  RESOLVE(get_obj_by_depth, "hwloc_get_obj_by_depth", 1);
  RESOLVE(bitmap_alloc, "hwloc_bitmap_alloc", 1);
  RESOLVE(bitmap_free, "hwloc_bitmap_free", 1);
  RESOLVE(bitmap_first, "hwloc_bitmap_first", 1);
  RESOLVE(bitmap_next, "hwloc_bitmap_next", 1);
  RESOLVE(cpukinds_get_nr, "hwloc_cpukinds_get_nr", 0);
  RESOLVE(cpukinds_get_info, "hwloc_cpukinds_get_info", 0);
  RESOLVE(cpukinds_get_by_cpuset, "hwloc_cpukinds_get_by_cpuset", 0);
#  undef RESOLVE
  if (!a.cpukinds_get_nr || !a.cpukinds_get_info || !a.cpukinds_get_by_cpuset)
    a.cpukinds_get_nr = NULL; /* all three or none */
  if (!ok) {
    dlclose(h);
    return 0;
  }
  table = a;
  return 1;
}

static void load_once(void) { loaded = load(); }

const lali_hwloc_api *lali_hwloc(void) {
  /* pthread_once(3) publishes table and loaded to every later caller. */
  pthread_once(&once, load_once);
  return loaded ? &table : NULL;
}

#else /* hwloc linked in */

static const lali_hwloc_api table = {
    hwloc_topology_init,
    hwloc_topology_destroy,
    hwloc_topology_set_flags,
    hwloc_topology_set_xml,
    hwloc_topology_set_io_types_filter,
    hwloc_topology_load,
    hwloc_topology_get_allowed_cpuset,
    hwloc_topology_is_thissystem,
    hwloc_get_type_depth,
    hwloc_get_nbobjs_by_depth,
    hwloc_get_obj_by_depth,
    hwloc_bitmap_alloc,
    hwloc_bitmap_free,
    hwloc_bitmap_first,
    hwloc_bitmap_next,
    hwloc_cpukinds_get_nr,
    hwloc_cpukinds_get_info,
    hwloc_cpukinds_get_by_cpuset,
};

const lali_hwloc_api *lali_hwloc(void) { return &table; }

#endif

int lali_linux_hwloc_present(void) { return lali_hwloc() != NULL; }
