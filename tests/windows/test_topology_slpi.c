/* SPDX-License-Identifier: MIT */
/*
 * Windows topology parsing and lal_place on machines we do not have:
 * GetLogicalProcessorInformationEx(RelationAll) buffers built record by record
 * the way Windows lays them out (a variable-size record each, GROUP_AFFINITY
 * masks per processor group), for a 128-CPU server with two processor groups,
 * a hybrid 8P+16E desktop, a 2-socket SMT server, a 2-CPU VM, X3D, Strix
 * Point and Meteor Lake parts, and CPU sets held by other processes.
 */
#include <windows.h>

#include "windows/compat.h"
#include "windows/cpusets.h"
#include "topology_expect.h"
#include "common/topology_internal.h"
#include "windows/topology_windows.h"

typedef struct slpi {
  _Alignas(8) unsigned char data[1 << 16];
  size_t len;
} slpi;
static slpi buf;

static void *record(LOGICAL_PROCESSOR_RELATIONSHIP type, size_t payload) {
  size_t head = offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Processor);
  size_t size = (head + payload + 7) & ~(size_t)7;
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = (void *)(buf.data + buf.len);
  assert_true(buf.len + size <= sizeof buf.data);
  memset(r, 0, size);
  r->Relationship = type;
  r->Size = (DWORD)size;
  buf.len += size;
  return r;
}

static GROUP_AFFINITY mask_of(int first_cpu, int count) {
  GROUP_AFFINITY g;
  memset(&g, 0, sizeof g);
  g.Group = (WORD)(first_cpu / 64);
  for (int i = 0; i < count; i++)
    g.Mask |= (KAFFINITY)1 << ((first_cpu % 64) + i);
  return g;
}

static void add_groups(int groups, int active_per_group) {
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r =
      record(RelationGroup, offsetof(GROUP_RELATIONSHIP, GroupInfo) +
                                (size_t)groups * sizeof(PROCESSOR_GROUP_INFO));
  r->Group.MaximumGroupCount = r->Group.ActiveGroupCount = (WORD)groups;
  for (int g = 0; g < groups; g++) {
    r->Group.GroupInfo[g].MaximumProcessorCount = (BYTE)active_per_group;
    r->Group.GroupInfo[g].ActiveProcessorCount = (BYTE)active_per_group;
    r->Group.GroupInfo[g].ActiveProcessorMask = mask_of(0, active_per_group).Mask;
  }
}

/* A core (RelationProcessorCore) or package record over one group mask. */
static void add_processor(LOGICAL_PROCESSOR_RELATIONSHIP type, int first, int count, int smt,
                          int efficiency_class) {
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r =
      record(type, offsetof(PROCESSOR_RELATIONSHIP, GroupMask) + sizeof(GROUP_AFFINITY));
  r->Processor.Flags = smt ? LTP_PC_SMT : 0;
  r->Processor.Reserved[0] = (BYTE)efficiency_class; /* EfficiencyClass */
  r->Processor.GroupCount = 1;
  r->Processor.GroupMask[0] = mask_of(first, count);
}

static void add_numa(int node, int first, int count) {
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r =
      record(RelationNumaNode, sizeof(NUMA_NODE_RELATIONSHIP));
  r->NumaNode.NodeNumber = (DWORD)node;
  r->NumaNode.GroupMask = mask_of(first, count);
}

/* A RelationNumaNodeEx record (Windows Server 2022 / 11) for a node over
 * `groups` whole groups: GroupCount (in the old Reserved bytes 18-19) masks. */
static void add_numa_ex(int node, int groups) {
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r =
      record(LAL_RELATION_NUMA_NODE_EX,
             sizeof(NUMA_NODE_RELATIONSHIP) + (size_t)(groups - 1) * sizeof(GROUP_AFFINITY));
  r->NumaNode.NodeNumber = (DWORD)node;
  r->NumaNode.Reserved[18] = (BYTE)groups;
  GROUP_AFFINITY *masks = &r->NumaNode.GroupMask;
  for (int g = 0; g < groups; g++)
    masks[g] = mask_of(g * 64, 64);
}

static void add_cache(int level, DWORD bytes, int first, int count) {
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = record(RelationCache, sizeof(CACHE_RELATIONSHIP));
  r->Cache.Level = (BYTE)level;
  r->Cache.CacheSize = bytes;
  r->Cache.Type = CacheUnified;
  r->Cache.LineSize = 64;
  r->Cache.GroupMask = mask_of(first, count);
}

static lal_topology *parse(void) {
  lal_topology *t = NULL;
  assert_status(LAL_OK,
                lali_win_topology_from_slpi(buf.data, buf.len, NULL, NULL, "windows-buffer", &t));
  return t;
}

/* 2 packages x 32 cores x 2 SMT = 128 CPUs: one processor group per package
 * (Windows fills groups of up to 64 by NUMA node), siblings adjacent. */
static void server_128_cpus_in_two_groups(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(2, 64);
  for (int p = 0; p < 2; p++) {
    for (int c = 0; c < 32; c++) {
      add_processor(RelationProcessorCore, p * 64 + 2 * c, 2, 1, 0);
      add_cache(2, 1 << 20, p * 64 + 2 * c, 2);
    }
    add_processor(RelationProcessorPackage, p * 64, 64, 0, 0);
    add_cache(3, 32u << 20, p * 64, 64);
    add_numa(p, p * 64, 64);
  }
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 128);
  assert_int_equal(info.cores, 64);
  assert_int_equal(info.packages, 2);
  assert_int_equal(info.numa_nodes, 2);
  assert_int_equal(info.l3_domains, 2);
  assert_int_equal(info.l2_domains, 64);
  assert_int_equal(info.groups, 2);
  assert_int_equal(info.smt_max, 2);
  expect_set(&info.all, "0-127");
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 65, &pu)); /* group 1, processor 1 */
  assert_int_equal(pu.core, 32);
  assert_int_equal(pu.smt_index, 1);
  assert_int_equal(pu.package, 1);
  assert_int_equal(pu.numa_node, 1);
  assert_true(pu.l3_bytes == 32u << 20);
  expect_domain(t, LAL_TOPO_NUMA, 1, "64-127");

  expect_place(t, 4, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "0", "2,4,6,8", NULL);
  expect_place(t, 40, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "", NULL,
               "no single NUMA node holds 40 threads (cores): the largest offers 32");
  expect_place(t, 40, LAL_PLACE_ONE_PER_CORE, "",
               "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,"
               "56,58,60,62,64,66,68,70,72,74,76,78",
               NULL);
  expect_place(t, 3, LAL_PLACE_SAME_PACKAGE, "0-63", "64,66,68", NULL);
  /* Best effort: no node nor package holds 40 cores, so the threads spread. */
  expect_relaxed(t, 40, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA,
                 "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,"
                 "56,58,60,62,64,66,68,70,72,74,76,78",
                 LAL_PLACE_SAME_NUMA, LAL_PLACE_ONE_PER_CORE);
  lal_topology_free(t);
}

/* Cores of `n` SMT pairs from `first`, each with its L2, all of `efficiency`. */
static void add_smt_cores(int first, int n, int efficiency, DWORD l2) {
  for (int c = 0; c < n; c++) {
    add_processor(RelationProcessorCore, first + 2 * c, 2, 1, efficiency);
    add_cache(2, l2, first + 2 * c, 2);
  }
}

/* 7950X3D as Windows reports it: SMT siblings adjacent, every core
 * EfficiencyClass 0 (Windows does not rank the CCDs), the L3 sizes differ. */
static void x3d_dual_ccd_prefers_the_vcache_die(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 32);
  add_smt_cores(0, 16, 0, 1u << 20);
  add_cache(3, 96u << 20, 0, 16);
  add_cache(3, 32u << 20, 16, 16);
  add_processor(RelationProcessorPackage, 0, 32, 0, 0);
  add_numa(0, 0, 32);
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.l3_domains, 2);
  assert_int_equal(info.kinds, 1);
  expect_place(t, 2, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE | LAL_PLACE_SAME_L3, "", "0,2",
               NULL);
  expect_place(t, 2, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE, "0-15", "16,18", NULL);
  expect_relaxed(t, 9, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE | LAL_PLACE_SAME_L3,
                 "0,2,4,6,8,10,12,14,16", LAL_PLACE_SAME_L3,
                 LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE | LAL_PLACE_SAME_NUMA);
  lal_topology_free(t);
}

/* 7800X3D: one CCD, 8 cores with SMT under one 96 MiB L3. */
static void x3d_single_ccd_is_one_domain(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 16);
  add_smt_cores(0, 8, 0, 1u << 20);
  add_cache(3, 96u << 20, 0, 16);
  add_processor(RelationProcessorPackage, 0, 16, 0, 0);
  add_numa(0, 0, 16);
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.l3_domains, 1);
  assert_int_equal(info.kinds, 1);
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 15, &pu));
  assert_true(pu.l3_bytes == 96u << 20);
  expect_place(t, 2, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE, "", "0,2", NULL);
  expect_place(t, 8, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_L3, "0", NULL,
               "the candidates offer 7");
  /* Nine threads one per core in one L3: the documented order gives up the
   * common domain first, then a core each. */
  expect_relaxed(t, 9, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_L3, "0,2,4,6,8,10,12,14,1",
                 LAL_PLACE_SAME_L3 | LAL_PLACE_ONE_PER_CORE, 0);
  lal_topology_free(t);
}

/* Strix Point: Windows gives Zen 5 EfficiencyClass 1, Zen 5c 0; each CCX has
 * its own L3 (16 and 8 MiB). Core type first: Zen 5 for cache and speed. */
static void strix_point_core_type_before_cache(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 24);
  add_smt_cores(0, 4, 1, 1u << 20);
  add_smt_cores(8, 8, 0, 1u << 20);
  add_cache(3, 16u << 20, 0, 8);
  add_cache(3, 8u << 20, 8, 16);
  add_processor(RelationProcessorPackage, 0, 24, 0, 0);
  add_numa(0, 0, 24);
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.kinds, 2);
  expect_place(t, 4, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE, "", "0,2,4,6", NULL);
  expect_place(t, 6, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE, "", "0,2,4,6,8,10", NULL);
  expect_place(t, 5, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE | LAL_PLACE_SAME_L3, "",
               "8,10,12,14,16", NULL);
  lal_topology_free(t);
}

/* Meteor Lake: three efficiency classes; the low-power E-cores have no L3. */
static void meteor_lake_three_classes(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 22);
  add_smt_cores(0, 6, 2, 2u << 20);
  for (int e = 12; e < 22; e++)
    add_processor(RelationProcessorCore, e, 1, 0, e < 20 ? 1 : 0);
  add_cache(2, 2u << 20, 12, 4);
  add_cache(2, 2u << 20, 16, 4);
  add_cache(2, 2u << 20, 20, 2);
  add_cache(3, 24u << 20, 0, 20);
  add_processor(RelationProcessorPackage, 0, 22, 0, 0);
  add_numa(0, 0, 22);
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.kinds, 3);
  expect_place(t, 8, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST, "", "0,2,4,6,8,10,12,13",
               NULL);
  expect_place(t, 8, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE, "", "0,2,4,6,8,10,12,13",
               NULL);
  expect_place(t, 2, LAL_PLACE_PREFER_CACHE, "0-19", "20,21", NULL);
  expect_relaxed(t, 15, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_SAME_L3,
                 "0,2,4,6,8,10,12,13,14,15,16,17,18,19,20", LAL_PLACE_SAME_L3,
                 LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST | LAL_PLACE_SAME_NUMA);
  lal_topology_free(t);
}

/* One NUMA node over two processor groups, as Windows 11 reports it: the
 * plain record names only the primary group (for old callers), the Ex record
 * both. Every PU is on node 0 (group 1's had no node before Ex was read). */
static void numa_node_spanning_groups_from_ex_records(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(2, 64);
  for (int c = 0; c < 64; c++)
    add_processor(RelationProcessorCore, 2 * c, 2, 1, 0);
  add_processor(RelationProcessorPackage, 0, 64, 0, 0);
  add_processor(RelationProcessorPackage, 64, 64, 0, 0);
  add_numa(0, 0, 64); /* primary group only */
  add_numa_ex(0, 2);
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 128);
  assert_int_equal(info.numa_nodes, 1);
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 100, &pu));
  assert_int_equal(pu.numa_node, 0);
  expect_domain(t, LAL_TOPO_NUMA, 0, "0-127");
  lal_topology_free(t);
}

static void hybrid_desktop_ranks_efficiency_classes(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 32);
  for (int c = 0; c < 8; c++) {
    add_processor(RelationProcessorCore, 2 * c, 2, 1, 1);
    add_cache(2, 2u << 20, 2 * c, 2);
  }
  for (int e = 16; e < 32; e++)
    add_processor(RelationProcessorCore, e, 1, 0, 0);
  for (int cl = 0; cl < 4; cl++)
    add_cache(2, 4u << 20, 16 + 4 * cl, 4);
  add_processor(RelationProcessorPackage, 0, 32, 0, 0);
  add_cache(3, 36u << 20, 0, 32);
  add_numa(0, 0, 32);
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.cores, 24);
  assert_int_equal(info.kinds, 2);
  assert_int_equal(info.l2_domains, 12);
  lal_topo_pu p = LAL_TOPO_PU_INIT, e = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 3, &p));
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 20, &e));
  lal_topo_kind pk = LAL_TOPO_KIND_INIT, ek = LAL_TOPO_KIND_INIT;
  assert_status(LAL_OK, lal_topology_kind(t, p.kind, &pk));
  assert_status(LAL_OK, lal_topology_kind(t, e.kind, &ek));
  assert_int_equal(pk.perf_rank, 0);
  assert_int_equal(pk.efficiency_class, 1);
  assert_int_equal(ek.perf_rank, 1);
  assert_string_equal(pk.name, "EfficiencyClass 1");
  expect_set(&ek.cpus, "16-31");

  expect_place(t, 8, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST, "", "0,2,4,6,8,10,12,14",
               NULL);
  expect_place(t, 10, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST, "0-1",
               "2,4,6,8,10,12,14,16,17,18", NULL);
  expect_place(t, 9, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_FAST_ONLY, "", NULL,
               "9 threads need 9 fastest-kind cores; the candidates offer 8");
  lal_topology_free(t);
}

static void two_socket_server_in_one_group(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 32);
  for (int p = 0; p < 2; p++) {
    for (int c = 0; c < 8; c++)
      add_processor(RelationProcessorCore, p * 16 + 2 * c, 2, 1, 0);
    add_processor(RelationProcessorPackage, p * 16, 16, 0, 0);
    add_cache(3, 16u << 20, p * 16, 16);
    add_numa(p, p * 16, 16);
  }
  lal_topology *t = parse();
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 32);
  assert_int_equal(info.numa_nodes, 2);
  assert_int_equal(info.l2_domains, 0); /* no L2 records: unknown, not invented */
  expect_place(t, 4, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "0", "2,4,6,8", NULL);
  expect_place(t, 10, LAL_PLACE_SAME_NUMA, "", "0,2,4,6,8,10,12,14,1,3", NULL);
  expect_place(t, 9, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_L3, "", NULL, "largest offers 8");
  lal_topology_free(t);
}

static void two_cpu_vm(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 2);
  for (int c = 0; c < 2; c++) {
    add_processor(RelationProcessorCore, c, 1, 0, 0);
    add_cache(3, 32u << 20, c, 1);
  }
  add_processor(RelationProcessorPackage, 0, 2, 0, 0);
  add_numa(0, 0, 2);
  lal_topology *t = parse();
  expect_place(t, 1, LAL_PLACE_ONE_PER_CORE, "0", "1", NULL);
  expect_place(t, 2, LAL_PLACE_ONE_PER_CORE, "0", NULL, "2 threads need 2 cores");
  expect_place(t, 2, LAL_PLACE_SAME_L3, "", NULL, "no single L3 domain holds 2 threads");
  expect_place(t, 2, LAL_PLACE_SAME_NUMA, "", "0,1", NULL);
  lal_topology_free(t);
}

static void malformed_buffers_are_rejected(void **state) {
  (void)state;
  lal_topology *t = NULL;
  buf.len = 0;
  assert_status(LAL_EIO, lali_win_topology_from_slpi(buf.data, 0, NULL, NULL, "x", &t));
  add_groups(1, 2);
  add_processor(RelationProcessorCore, 0, 1, 0, 0);
  size_t good = buf.len;
  /* Truncated inside the last record. */
  assert_status(LAL_EIO, lali_win_topology_from_slpi(buf.data, good - 4, NULL, NULL, "x", &t));
  /* A record of size 0 would loop forever. */
  SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = record(RelationCache, sizeof(CACHE_RELATIONSHIP));
  r->Size = 0;
  assert_status(LAL_EIO, lali_win_topology_from_slpi(buf.data, buf.len, NULL, NULL, "x", &t));
  /* A core on a processor its group does not have. */
  buf.len = good;
  add_processor(RelationProcessorCore, 5, 1, 0, 0);
  assert_status(LAL_EIO, lali_win_topology_from_slpi(buf.data, buf.len, NULL, NULL, "x", &t));
  /* The same CPU in two cores. */
  buf.len = good;
  add_processor(RelationProcessorCore, 0, 1, 0, 0);
  assert_status(LAL_EIO, lali_win_topology_from_slpi(buf.data, buf.len, NULL, NULL, "x", &t));
  assert_null(t);
  assert_status(LAL_EINVAL, lali_win_topology_from_slpi(NULL, 8, NULL, NULL, "x", &t));
}

/* CPU sets another process holds leave `allowed`; those Game Mode gave this
 * process are `exclusive`, and LAL_PLACE_EXCLUSIVE places on them only. */
static void cpu_sets_reserved_and_exclusive(void **state) {
  (void)state;
  buf.len = 0;
  add_groups(1, 8);
  add_smt_cores(0, 4, 0, 1u << 20);
  add_cache(3, 32u << 20, 0, 8);
  add_processor(RelationProcessorPackage, 0, 8, 0, 0);
  add_numa(0, 0, 8);
  lal_topology *t = parse();
  lal_cpu_set_info records[8];
  memset(records, 0, sizeof records);
  for (int i = 0; i < 8; i++) {
    records[i].Size = sizeof records[i];
    records[i].Id = 256 + (DWORD)i;
    records[i].LogicalProcessorIndex = (BYTE)i;
    records[i].CoreIndex = (BYTE)(i / 2);
  }
  records[6].AllFlags = records[7].AllFlags = LAL_CPU_SET_ALLOCATED; /* another process */
  records[2].AllFlags = records[3].AllFlags =
      LAL_CPU_SET_ALLOCATED | LAL_CPU_SET_ALLOCATED_TO_TARGET; /* ours, Game Mode */
  lali_win_cpu_sets sets = {records, 8};
  lal_cpuset reserved, exclusive;
  lali_win_cpu_sets_classify(&sets, &reserved, &exclusive);
  expect_set(&reserved, "6-7");
  expect_set(&exclusive, "2-3");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.game_mode, -1);
  expect_place(t, 1, LAL_PLACE_EXCLUSIVE, "", NULL, "no exclusive CPU");
  lali_topology_set_reservations(t, &reserved, &exclusive);
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  expect_set(&info.allowed, "0-5");
  expect_set(&info.reserved, "6-7");
  expect_set(&info.exclusive, "2-3");
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 7, &pu));
  assert_true((pu.flags & LAL_TOPO_PU_RESERVED) && !(pu.flags & LAL_TOPO_PU_ALLOWED));
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 3, &pu));
  assert_true((pu.flags & LAL_TOPO_PU_EXCLUSIVE) && (pu.flags & LAL_TOPO_PU_ALLOWED));

  expect_place(t, 4, LAL_PLACE_ONE_PER_CORE, "", NULL, "the candidates offer 3");
  expect_place(t, 2, LAL_PLACE_EXCLUSIVE, "", "2,3", NULL);
  expect_place(t, 1, LAL_PLACE_EXCLUSIVE | LAL_PLACE_ONE_PER_CORE, "", "2", NULL);
  expect_place(t, 2, LAL_PLACE_EXCLUSIVE | LAL_PLACE_ONE_PER_CORE, "", NULL,
               "2 threads need 2 cores; the candidates offer 1");
  expect_relaxed(t, 2, LAL_PLACE_EXCLUSIVE | LAL_PLACE_ONE_PER_CORE, "2,3", LAL_PLACE_ONE_PER_CORE,
                 LAL_PLACE_EXCLUSIVE);
  lal_topology_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(server_128_cpus_in_two_groups),
      cmocka_unit_test(numa_node_spanning_groups_from_ex_records),
      cmocka_unit_test(hybrid_desktop_ranks_efficiency_classes),
      cmocka_unit_test(two_socket_server_in_one_group),
      cmocka_unit_test(two_cpu_vm),
      cmocka_unit_test(x3d_dual_ccd_prefers_the_vcache_die),
      cmocka_unit_test(x3d_single_ccd_is_one_domain),
      cmocka_unit_test(strix_point_core_type_before_cache),
      cmocka_unit_test(meteor_lake_three_classes),
      cmocka_unit_test(cpu_sets_reserved_and_exclusive),
      cmocka_unit_test(malformed_buffers_are_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
