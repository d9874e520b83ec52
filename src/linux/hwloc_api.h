/* SPDX-License-Identifier: MIT */
/*
 * The part of hwloc's ABI lal uses, as a table of functions. How the table is
 * filled is a build choice (LAL_HWLOC in CMakeLists.txt): from libhwloc.so.15
 * loaded at run time (the default, so liblal.so needs no hwloc to start and a
 * game does not ship it), or from hwloc linked in (shared or static).
 * Only out-of-line hwloc functions are in it: hwloc.h's inline helpers
 * (hwloc_get_obj_by_type, hwloc_get_ancestor_obj_by_type, ...) would call
 * the library directly and so must not be used through this table.
 */
#ifndef LAL_SRC_LINUX_HWLOC_API_H
#define LAL_SRC_LINUX_HWLOC_API_H

#include <hwloc.h>

typedef struct lali_hwloc_api {
  int (*topology_init)(hwloc_topology_t *);
  void (*topology_destroy)(hwloc_topology_t);
  int (*topology_set_flags)(hwloc_topology_t, unsigned long);
  int (*topology_set_xml)(hwloc_topology_t, const char *);
  int (*topology_set_io_types_filter)(hwloc_topology_t, enum hwloc_type_filter_e);
  int (*topology_load)(hwloc_topology_t);
  hwloc_const_cpuset_t (*topology_get_allowed_cpuset)(hwloc_topology_t);
  int (*topology_is_thissystem)(hwloc_topology_t);
  int (*get_type_depth)(hwloc_topology_t, hwloc_obj_type_t);
  unsigned (*get_nbobjs_by_depth)(hwloc_topology_t, int);
  hwloc_obj_t (*get_obj_by_depth)(hwloc_topology_t, int, unsigned);
  hwloc_bitmap_t (*bitmap_alloc)(void);
  void (*bitmap_free)(hwloc_bitmap_t);
  int (*bitmap_first)(hwloc_const_bitmap_t);
  int (*bitmap_next)(hwloc_const_bitmap_t, int);
  /* hwloc 2.4+; NULL with an older libhwloc.so.15 (then one kind). */
  int (*cpukinds_get_nr)(hwloc_topology_t, unsigned long);
  int (*cpukinds_get_info)(hwloc_topology_t, unsigned, hwloc_bitmap_t, int *, unsigned *,
                           struct hwloc_info_s **, unsigned long);
  int (*cpukinds_get_by_cpuset)(hwloc_topology_t, hwloc_const_bitmap_t, unsigned long);
} lali_hwloc_api;

/* The table, or NULL when hwloc is not there: a run-time-loading build on a
 * machine without libhwloc.so.15, or a libhwloc of another major ABI. The
 * first call loads it; later calls cost an atomic load. Thread-safe. */
const lali_hwloc_api *lali_hwloc(void);

#endif
