/* SPDX-License-Identifier: MIT */
/* Topology and lal_place on machines we do not have: hwloc XML recordings in
 * tests/data/topology (see its README for how each was made). */
#include "fake_tree.h"
#include "topology_expect.h"
#include "topology_linux.h"

#define TOPO_DIR LAL_TEST_DATA_DIR "/topology/"

static lal_topology *load(const char *xml, const char *sysroot) {
  lal_topology *t = NULL;
  int rc = lal__linux_topology_from_xml(xml, sysroot, &t);
  if (rc == LAL_ENOTSUP)
    return NULL;
  if (rc != LAL_OK)
    fail_msg("cannot load %s: %s", xml, lal_err_name(rc));
  return t;
}

#define LOAD_OR_SKIP(var, xml, root)                                                               \
  lal_topology *var = load(TOPO_DIR xml, root);                                                    \
  if (!var)                                                                                        \
  LAL_SKIP("this build has no hwloc (LAL_WITH_HWLOC=OFF or libhwloc-dev missing)")

static void two_socket_server(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "server-2s-16c-smt.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 32);
  assert_int_equal(info.cores, 16);
  assert_int_equal(info.packages, 2);
  assert_int_equal(info.numa_nodes, 2);
  assert_int_equal(info.l3_domains, 2);
  assert_int_equal(info.l2_domains, 16);
  assert_int_equal(info.kinds, 1);
  assert_int_equal(info.smt_max, 2);
  assert_string_equal(info.source, "hwloc-xml");
  expect_set(&info.allowed, "0-31");
  expect_set(&info.isolated, "");
  expect_domain(t, LAL_TOPO_NUMA, 0, "0-7,16-23");
  expect_domain(t, LAL_TOPO_NUMA, 1, "8-15,24-31");
  expect_domain(t, LAL_TOPO_CORE, 0, "0,16");
  expect_domain(t, LAL_TOPO_PACKAGE, 1, "8-15,24-31");
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 17, &pu));
  assert_int_equal(pu.core, 1);
  assert_int_equal(pu.smt_index, 1);
  assert_int_equal(pu.numa_node, 0);
  assert_true(pu.l3_bytes == 16u << 20);

  expect_place(t, 4, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "0", "1,2,3,4", NULL);
  expect_place(t, 8, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "0", "8,9,10,11,12,13,14,15",
               NULL); /* node 0 has 7 whole cores left: node 1 takes it */
  expect_place(t, 9, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "", NULL,
               "no single NUMA node holds 9 threads (cores): the largest offers 8");
  expect_place(t, 10, LAL_PLACE_SAME_NUMA, "", "0,1,2,3,4,5,6,7,16,17", NULL);
  expect_place(t, 4, LAL_PLACE_SAME_L3, "0-7", "8,9,10,11", NULL);
  expect_place(t, 16, LAL_PLACE_ONE_PER_CORE, "", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", NULL);
  expect_place(t, 17, LAL_PLACE_ONE_PER_CORE, "", NULL, "17 threads need 17 cores");
  expect_place(t, 2, 0, "0-15", "16,17", NULL);
  lal_topology_free(t);
}

static void tuned_server_reports_isolated_and_nohz_full(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "server-2s-16c-smt.xml", TOPO_DIR "server-rt-root");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  expect_set(&info.isolated, "8-15,24-31");
  expect_set(&info.nohz_full, "8-15,24-31");
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 9, &pu));
  assert_true(pu.flags & LAL_TOPO_PU_ISOLATED);
  assert_true(pu.flags & LAL_TOPO_PU_NOHZ_FULL);
  /* Placing on the isolated CPUs is the caller's choice: `within` them. */
  lal_cpuset out[3];
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = 3;
  req.flags = LAL_PLACE_ONE_PER_CORE;
  req.within = &info.isolated;
  assert_status(LAL_OK, lal_place(t, &req, out, NULL));
  expect_set(&out[0], "8");
  expect_set(&out[2], "10");
  lal_topology_free(t);
}

static void container_cpuset_limits_candidates(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "server-container-cpuset.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 32); /* the whole machine is still described */
  expect_set(&info.allowed, "4-11,24-27");
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 0, &pu));
  assert_false(pu.flags & LAL_TOPO_PU_ALLOWED);
  /* Cores 4-7 are on node 0, cores 8-11 (with siblings 24-27) on node 1. */
  expect_place(t, 4, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "", "4,5,6,7", NULL);
  expect_place(t, 5, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA, "", NULL, "largest offers 4");
  expect_place(t, 6, LAL_PLACE_SAME_NUMA, "", "8,9,10,11,24,25", NULL);
  expect_place(t, 13, 0, "", NULL, "13 threads need 13 CPUs; the candidates offer 12");
  lal_topology_free(t);
}

static void hybrid_desktop_prefers_p_cores(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "hybrid-8p16e.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 32);
  assert_int_equal(info.cores, 24);
  assert_int_equal(info.kinds, 2);
  assert_int_equal(info.l2_domains, 12);
  assert_int_equal(info.l3_domains, 1);
  lal_topo_pu p = LAL_TOPO_PU_INIT, e = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 3, &p));
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 20, &e));
  lal_topo_kind pk = LAL_TOPO_KIND_INIT, ek = LAL_TOPO_KIND_INIT;
  assert_status(LAL_OK, lal_topology_kind(t, p.kind, &pk));
  assert_status(LAL_OK, lal_topology_kind(t, e.kind, &ek));
  assert_int_equal(pk.perf_rank, 0);
  assert_int_equal(ek.perf_rank, 1);
  assert_string_equal(pk.name, "IntelCore");
  assert_string_equal(ek.name, "IntelAtom");
  assert_int_equal(pk.pus, 16);
  expect_set(&ek.cpus, "16-31");
  expect_domain(t, LAL_TOPO_L2, 8, "16-19"); /* an E-core cluster shares its L2 */

  expect_place(t, 8, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST, "", "0,2,4,6,8,10,12,14",
               NULL);
  expect_place(t, 10, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST, "0-1",
               "2,4,6,8,10,12,14,16,17,18", NULL);
  expect_place(t, 9, LAL_PLACE_ONE_PER_CORE | LAL_PLACE_FAST_ONLY, "", NULL,
               "9 threads need 9 fastest-kind cores; the candidates offer 8");
  expect_place(t, 17, LAL_PLACE_FAST_ONLY, "", NULL, "offer 16");
  expect_place(t, 4, 0, "", "0,2,4,6", NULL);
  /* Excluding the P-cores leaves the E-cores, fast or not. */
  expect_place(t, 2, LAL_PLACE_PREFER_FAST, "0-15", "16,17", NULL);
  lal_topology_free(t);
}

static void two_cpu_vm(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "vm-2cpu.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 2);
  assert_int_equal(info.cores, 2);
  assert_int_equal(info.smt_max, 1);
  assert_int_equal(info.l3_domains, 2); /* each vCPU has its own L3 in hwloc */
  assert_int_equal(info.numa_nodes, 1);
  expect_place(t, 1, LAL_PLACE_ONE_PER_CORE, "0", "1", NULL);
  expect_place(t, 2, LAL_PLACE_ONE_PER_CORE, "0", NULL, "2 threads need 2 cores");
  expect_place(t, 2, LAL_PLACE_SAME_L3, "", NULL, "no single L3 domain holds 2 threads");
  expect_place(t, 2, LAL_PLACE_SAME_NUMA, "", "0,1", NULL);
  /* Three threads one per core on two cores: give up the core, then share. */
  expect_relaxed(t, 3, LAL_PLACE_ONE_PER_CORE, "0,1,0",
                 LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SHARED_PUS, 0);
  expect_relaxed(t, 2, LAL_PLACE_SAME_L3, "0,1", LAL_PLACE_SAME_L3, LAL_PLACE_SAME_NUMA);
  expect_relaxed(t, 2, LAL_PLACE_SAME_NUMA, "0,1", 0, LAL_PLACE_SAME_NUMA); /* met as asked */
  lal_topology_free(t);
}

#define ONE LAL_PLACE_ONE_PER_CORE
#define CACHE LAL_PLACE_PREFER_CACHE
#define FAST LAL_PLACE_PREFER_FAST

static void kind_of(const lal_topology *t, int cpu, lal_topo_kind *k) {
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, cpu, &pu));
  assert_status(LAL_OK, lal_topology_kind(t, pu.kind, k));
}

static uint64_t l3_of(const lal_topology *t, int cpu) {
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, cpu, &pu));
  return pu.l3_bytes;
}

/* 7950X3D: the V-Cache CCD (0-7,16-23, 96 MiB) clocks lower than the other
 * (8-15,24-31, 32 MiB); hwloc ranks the two kinds by clock alone. */
static void x3d_dual_ccd_cache_versus_clock(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "x3d-2ccd.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.l3_domains, 2);
  assert_int_equal(info.kinds, 2);
  lal_topo_kind vcache = LAL_TOPO_KIND_INIT, fast = LAL_TOPO_KIND_INIT;
  kind_of(t, 0, &vcache);
  kind_of(t, 8, &fast);
  assert_int_equal(fast.perf_rank, 0);
  assert_int_equal(fast.max_mhz, 5759);
  assert_int_equal(vcache.perf_rank, 1);
  assert_int_equal(vcache.max_mhz, 5250);
  assert_true(l3_of(t, 16) == 96u << 20);
  assert_true(l3_of(t, 24) == 32u << 20);

  expect_place(t, 2, ONE | CACHE | LAL_PLACE_SAME_L3, "", "0,1", NULL);
  expect_place(t, 2, ONE | FAST | LAL_PLACE_SAME_L3, "", "8,9", NULL);
  expect_place(t, 2, ONE | CACHE | FAST, "", "0,1", NULL); /* the cache wins */
  expect_place(t, 10, ONE | CACHE, "", "0,1,2,3,4,5,6,7,8,9", NULL);
  expect_place(t, 10, ONE | FAST, "", "8,9,10,11,12,13,14,15,0,1", NULL);
  expect_place(t, 2, ONE | CACHE, "0-7", "8,9", NULL); /* V-Cache cores all taken */
  expect_place(t, 9, ONE | CACHE | LAL_PLACE_SAME_L3, "", NULL,
               "no single L3 domain holds 9 threads (cores): the largest offers 8");
  expect_relaxed(t, 9, ONE | CACHE | LAL_PLACE_SAME_L3, "0,1,2,3,4,5,6,7,8", LAL_PLACE_SAME_L3,
                 ONE | CACHE | LAL_PLACE_SAME_NUMA);
  expect_relaxed(t, 17, ONE, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", ONE, 0);
  expect_relaxed(t, 34, 0,
                 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,"
                 "29,30,31,0,1",
                 LAL_PLACE_SHARED_PUS, 0);
  lal_topology_free(t);
}

/* The amd_x3d_vcache driver's setting, read under a sysfs root written here
 * (its device name has a ':', which a Windows checkout of the repo refuses). */
static void x3d_mode_is_reported(void **state) {
  (void)state;
  char root[64];
  fake_tree_make(root, sizeof root);
  const char *mode_file = "/sys/bus/platform/drivers/amd_x3d_vcache/AMDI0101:00/amd_x3d_mode";
  const char *modes[] = {"cache\n", "frequency\n", "bogus\n"}, *want[] = {"cache", "frequency", ""};
  for (int m = 0; m < 3; m++) {
    fake_tree_put(root, mode_file, modes[m], strlen(modes[m]));
    LOAD_OR_SKIP(t, "x3d-2ccd.xml", root);
    lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
    assert_status(LAL_OK, lal_topology_get_info(t, &info));
    assert_string_equal(info.amd_x3d_mode, want[m]);
    lal_topology_free(t);
  }
  assert_int_equal(fake_tree_remove(root), 0);
}

static void x3d_single_ccd(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "x3d-1ccd.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.kinds, 1);
  assert_int_equal(info.l3_domains, 1);
  assert_true(l3_of(t, 0) == 96u << 20);
  expect_place(t, 2, ONE | CACHE, "", "0,1", NULL);
  expect_place(t, 8, ONE | CACHE | LAL_PLACE_SAME_L3, "0", NULL, "the candidates offer 7");
  expect_place(t, 9, CACHE | LAL_PLACE_SAME_L3, "", "0,1,2,3,4,5,6,7,8", NULL);
  lal_topology_free(t);
}

/* Strix Point: Zen 5 (16 MiB L3) and Zen 5c (8 MiB): the larger L3 is no
 * V-Cache, and placement prefers Zen 5 for speed and for cache alike. */
static void strix_point_zen5_before_zen5c(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "strix-point.xml", "");
  lal_topo_kind zen5 = LAL_TOPO_KIND_INIT, zen5c = LAL_TOPO_KIND_INIT;
  kind_of(t, 12, &zen5);
  kind_of(t, 4, &zen5c);
  assert_int_equal(zen5.perf_rank, 0);
  assert_int_equal(zen5c.perf_rank, 1);
  assert_true(l3_of(t, 0) == 16u << 20);
  assert_true(l3_of(t, 11) == 8u << 20);
  expect_place(t, 4, ONE | CACHE, "", "0,1,2,3", NULL);
  expect_place(t, 6, ONE | FAST, "", "0,1,2,3,4,5", NULL);
  expect_place(t, 6, ONE | CACHE, "", "0,1,2,3,4,5", NULL);
  expect_place(t, 3, ONE | CACHE | LAL_PLACE_SAME_L3, "", "0,1,2", NULL);
  expect_place(t, 5, ONE | CACHE | LAL_PLACE_SAME_L3, "", "4,5,6,7,8", NULL); /* only CCX 1 fits */
  expect_place(t, 5, ONE | LAL_PLACE_FAST_ONLY, "", NULL, "the candidates offer 4");
  expect_relaxed(t, 5, ONE | LAL_PLACE_FAST_ONLY, "0,1,2,3,12", ONE, LAL_PLACE_FAST_ONLY);
  lal_topology_free(t);
}

/* Meteor Lake: P-cores, E-cores under the L3, low-power E-cores with none. */
static void meteor_lake_three_kinds(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "meteor-lake.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.kinds, 3);
  assert_int_equal(info.cores, 16);
  assert_int_equal(info.l3_domains, 1);
  lal_topo_kind p = LAL_TOPO_KIND_INIT, e = LAL_TOPO_KIND_INIT, lp = LAL_TOPO_KIND_INIT;
  kind_of(t, 0, &p);
  kind_of(t, 12, &e);
  kind_of(t, 20, &lp);
  assert_int_equal(p.perf_rank, 0);
  assert_int_equal(e.perf_rank, 1);
  assert_int_equal(lp.perf_rank, 2);
  assert_string_equal(p.name, "IntelCore");
  assert_true(l3_of(t, 21) == 0);
  expect_place(t, 8, ONE | FAST, "", "0,2,4,6,8,10,12,13", NULL);
  expect_place(t, 8, ONE | CACHE, "", "0,2,4,6,8,10,12,13", NULL);
  expect_place(t, 2, ONE | CACHE, "0-19", "20,21", NULL);
  expect_place(t, 14, ONE | FAST | LAL_PLACE_SAME_L3, "", "0,2,4,6,8,10,12,13,14,15,16,17,18,19",
               NULL);
  /* The LP E-cores share no L3 with anyone: 15 one per core relaxes to the node. */
  expect_place(t, 15, ONE | LAL_PLACE_SAME_L3, "", NULL, "the largest offers 14");
  expect_relaxed(t, 15, ONE | FAST | LAL_PLACE_SAME_L3, "0,2,4,6,8,10,12,13,14,15,16,17,18,19,20",
                 LAL_PLACE_SAME_L3, ONE | FAST | LAL_PLACE_SAME_NUMA);
  expect_relaxed(t, 7, ONE | LAL_PLACE_FAST_ONLY, "0,2,4,6,8,10,1", ONE, LAL_PLACE_FAST_ONLY);
  lal_topology_free(t);
}

static void threadripper_eight_ccds(void **state) {
  (void)state;
  LOAD_OR_SKIP(t, "threadripper-128.xml", "");
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 128);
  assert_int_equal(info.l3_domains, 8);
  expect_domain(t, LAL_TOPO_L3, 7, "56-63,120-127");
  expect_place(t, 8, ONE | LAL_PLACE_SAME_L3, "0", "8,9,10,11,12,13,14,15", NULL);
  expect_place(t, 65, ONE, "", NULL, "65 threads need 65 cores; the candidates offer 64");
  expect_relaxed(t, 9, ONE | LAL_PLACE_SAME_L3, "0,1,2,3,4,5,6,7,8", LAL_PLACE_SAME_L3,
                 ONE | LAL_PLACE_SAME_NUMA);
  lal_topology_free(t);
}

static void bad_xml_is_an_error(void **state) {
  (void)state;
  lal_topology *t = NULL;
  int rc = lal__linux_topology_from_xml(TOPO_DIR "README.md", "", &t);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this build has no hwloc");
  assert_status(LAL_EIO, rc);
  assert_null(t);
  assert_status(LAL_EINVAL, lal__linux_topology_from_xml(NULL, "", &t));
}

/* hwloc also takes the machine from its environment (HWLOC_XMLFILE,
 * HWLOC_SYNTHETIC: hwloc(7)): a garbage file is a malformed answer, LAL_EIO,
 * and a machine with more PUs than a lal_cpuset holds is LAL_ERANGE (it was
 * LAL_ENOMEM). */
static void environment_machines_get_their_statuses(void **state) {
  (void)state;
  lal_topology *t = NULL;
  setenv("HWLOC_XMLFILE", TOPO_DIR "README.md", 1);
  int rc = lal_topology_load(&t);
  unsetenv("HWLOC_XMLFILE");
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this build has no hwloc");
  assert_status(LAL_EIO, rc);
  assert_null(t);
  setenv("HWLOC_SYNTHETIC", "pack:2 core:800 pu:2", 1); /* 3,200 PUs */
  rc = lal_topology_load(&t);
  unsetenv("HWLOC_SYNTHETIC");
  assert_status(LAL_ERANGE, rc);
  assert_null(t);
  setenv("HWLOC_SYNTHETIC", "pack:2 core:4 pu:2", 1); /* and a small one loads */
  rc = lal_topology_load(&t);
  unsetenv("HWLOC_SYNTHETIC");
  assert_status(LAL_OK, rc);
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 16);
  lal_topology_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(two_socket_server),
      cmocka_unit_test(tuned_server_reports_isolated_and_nohz_full),
      cmocka_unit_test(container_cpuset_limits_candidates),
      cmocka_unit_test(hybrid_desktop_prefers_p_cores),
      cmocka_unit_test(two_cpu_vm),
      cmocka_unit_test(x3d_dual_ccd_cache_versus_clock),
      cmocka_unit_test(x3d_mode_is_reported),
      cmocka_unit_test(x3d_single_ccd),
      cmocka_unit_test(strix_point_zen5_before_zen5c),
      cmocka_unit_test(meteor_lake_three_kinds),
      cmocka_unit_test(threadripper_eight_ccds),
      cmocka_unit_test(bad_xml_is_an_error),
      cmocka_unit_test(environment_machines_get_their_statuses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
