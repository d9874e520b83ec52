/* SPDX-License-Identifier: MIT */
/* Topology and lal_place on machines we do not have, through both Linux
 * sources: hwloc on the XML recordings in tests/data/topology (see its README
 * for how each was made), and lal's own /sys reader on their /sys twins
 * (make_sysfs_twins.py, written into the build tree). Every expectation runs
 * against both; then the two are compared field by field, and hwloc's own
 * Linux backend reads each twin too, so a twin is known to say what its XML
 * says. */
#include <unistd.h>

#include "fake_tree.h"
#include "topology_expect.h"
#include "common/topology_internal.h"
#include "linux/topology_linux.h"

#define TOPO_DIR LAL_TEST_DATA_DIR "/topology/"

enum { FROM_XML, FROM_SYSFS };
static int source = FROM_XML;

/* The twin directory of "x3d-2ccd.xml"; "server-rt" for the tuned server. */
static void twin_of(const char *xml, char *out, size_t size) {
  snprintf(out, size, "%s/%.*s", LAL_TWIN_DIR, (int)(strlen(xml) - 4), xml);
}

/* xml: a file name in TOPO_DIR. sysroot: where isolated / nohz_full / the X3D
 * mode are read for the XML; the twin holds its own. */
static lal_topology *load(const char *xml, const char *sysroot) {
  lal_topology *t = NULL;
  char path[512];
  int rc;
  if (source == FROM_SYSFS) {
    twin_of(xml, path, sizeof path);
    if (strcmp(sysroot, TOPO_DIR "server-rt-root") == 0)
      snprintf(path, sizeof path, "%s/server-rt", LAL_TWIN_DIR);
    rc = lali_linux_topology_sysfs(path, NULL, "sysfs", &t);
  } else {
    snprintf(path, sizeof path, "%s%s", TOPO_DIR, xml);
    rc = lali_linux_topology_from_xml(path, sysroot, &t);
    if (rc == LAL_ENOTSUP)
      return NULL;
  }
  if (rc != LAL_OK)
    fail_msg("cannot load %s: %s", path, lal_err_name(rc));
  return t;
}

#define LOAD_OR_SKIP(var, xml, root)                                                               \
  lal_topology *var = load(xml, root);                                                             \
  if (!var)                                                                                        \
  LAL_SKIP("this build has no hwloc (LAL_HWLOC=off or libhwloc-dev missing) or this machine "      \
           "no libhwloc.so.15")

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
  assert_string_equal(info.source, source == FROM_SYSFS ? "sysfs" : "hwloc-xml");
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
  char root[512];
  if (source == FROM_SYSFS)
    twin_of("x3d-2ccd.xml", root, sizeof root); /* the twin holds the driver's file */
  else
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
  if (source == FROM_SYSFS) {
    char path[700];
    snprintf(path, sizeof path, "%s%s", root, mode_file);
    assert_int_equal(unlink(path), 0);
  } else {
    assert_int_equal(fake_tree_remove(root), 0);
  }
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
  int rc = lali_linux_topology_from_xml(TOPO_DIR "README.md", "", &t);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this build has no hwloc");
  assert_status(LAL_EIO, rc);
  assert_null(t);
  assert_status(LAL_EINVAL, lali_linux_topology_from_xml(NULL, "", &t));
}

/* hwloc also takes the machine from its environment (HWLOC_XMLFILE,
 * HWLOC_SYNTHETIC: hwloc(7)): a garbage file is a malformed answer, LAL_EIO,
 * and a machine with more PUs than a lal_cpuset holds is LAL_ERANGE (it was
 * LAL_ENOMEM). */
static void environment_machines_get_their_statuses(void **state) {
  (void)state;
  lal_topology *t = NULL;
  if (!lali_linux_hwloc_present())
    LAL_SKIP("no hwloc here: lal_topology_load reads /sys, which no hwloc variable changes");
  setenv("HWLOC_XMLFILE", TOPO_DIR "README.md", 1);
  int rc = lal_topology_load(&t);
  unsetenv("HWLOC_XMLFILE");
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
  /* Not this machine: its affinity and isolcpus are the recording's, not ours. */
  assert_string_equal(info.source, "hwloc-recording");
  expect_set(&info.affinity, "0-15");
  expect_set(&info.isolated, "");
  lal_topology_free(t);
}

/* ---- the /sys reader against hwloc on the same machines */

static const char *const machines[] = {
    "vm-2cpu.xml",      "server-2s-16c-smt.xml", "server-container-cpuset.xml",
    "hybrid-8p16e.xml", "x3d-2ccd.xml",          "x3d-1ccd.xml",
    "strix-point.xml",  "meteor-lake.xml",       "threadripper-128.xml"};

/* a and b describe one machine: the same counts, sets, and per PU the same
 * domains (dense indexes, both numbered in CPU order), cache sizes and kind
 * ranking. Kind names only when both have one from the core type (hwloc
 * reading a twin has no CPUID to name them). */
enum { SAME_CACHES = 1, SAME_ALLOWED = 2, SAME_ALL = 3 };
static void expect_same_machine_but(const lal_topology *a, const lal_topology *b, const char *what,
                                    int parts) {
  int caches = parts & SAME_CACHES;
  lal_topology_info ia = LAL_TOPOLOGY_INFO_INIT, ib = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(a, &ia));
  assert_status(LAL_OK, lal_topology_get_info(b, &ib));
#define SAME(field)                                                                                \
  if (ia.field != ib.field)                                                                        \
  fail_msg("%s: %s %d vs %d", what, #field, ia.field, ib.field)
  SAME(pus);
  SAME(cores);
  SAME(packages);
  SAME(numa_nodes);
  if (caches) {
    SAME(l2_domains);
    SAME(l3_domains);
  }
  SAME(kinds);
  SAME(smt_max);
#undef SAME
  assert_true(lal_cpuset_equal(&ia.all, &ib.all));
  if ((parts & SAME_ALLOWED) && !lal_cpuset_equal(&ia.allowed, &ib.allowed))
    fail_msg("%s: the allowed sets differ", what);
  for (int i = 0; i < ia.pus; i++) {
    lal_topo_pu pa = LAL_TOPO_PU_INIT, pb = LAL_TOPO_PU_INIT;
    assert_status(LAL_OK, lal_topology_pu(a, i, &pa));
    assert_status(LAL_OK, lal_topology_pu(b, i, &pb));
    if (pa.cpu != pb.cpu || pa.core != pb.core || pa.package != pb.package ||
        pa.numa_node != pb.numa_node || pa.smt_index != pb.smt_index ||
        (caches && (pa.l2 != pb.l2 || pa.l3 != pb.l3 || pa.l2_bytes != pb.l2_bytes ||
                    pa.l3_bytes != pb.l3_bytes)))
      fail_msg("%s: CPU %d differs: core %d/%d package %d/%d node %d/%d l2 %d/%d (%llu/%llu) "
               "l3 %d/%d (%llu/%llu)",
               what, pa.cpu, pa.core, pb.core, pa.package, pb.package, pa.numa_node, pb.numa_node,
               pa.l2, pb.l2, (unsigned long long)pa.l2_bytes, (unsigned long long)pb.l2_bytes,
               pa.l3, pb.l3, (unsigned long long)pa.l3_bytes, (unsigned long long)pb.l3_bytes);
    lal_topo_kind ka = LAL_TOPO_KIND_INIT, kb = LAL_TOPO_KIND_INIT;
    assert_status(LAL_OK, lal_topology_kind(a, pa.kind, &ka));
    assert_status(LAL_OK, lal_topology_kind(b, pb.kind, &kb));
    if (ka.perf_rank != kb.perf_rank || ka.max_mhz != kb.max_mhz || ka.pus != kb.pus)
      fail_msg("%s: CPU %d's kind: rank %d/%d, %d/%d MHz, %d/%d PUs", what, pa.cpu, ka.perf_rank,
               kb.perf_rank, ka.max_mhz, kb.max_mhz, ka.pus, kb.pus);
    if (strncmp(ka.name, "Intel", 5) == 0 && strncmp(kb.name, "Intel", 5) == 0)
      assert_string_equal(ka.name, kb.name);
  }
  /* And the placement that follows from it. */
  unsigned flags[] = {LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST,
                      LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_CACHE, LAL_PLACE_SAME_L3,
                      LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_NUMA};
  /* (Placement depends on `allowed` too.) */
  for (size_t f = caches ? 0 : 3; (parts & SAME_ALLOWED) && f < sizeof flags / sizeof flags[0]; f++)
    for (int n = 1; n <= ia.pus; n *= 2) {
      lal_cpuset oa[128], ob[128];
      lal_place_req req = LAL_PLACE_REQ_INIT;
      req.threads = n > 128 ? 128 : n;
      req.flags = flags[f] | LAL_PLACE_BEST_EFFORT;
      assert_status(LAL_OK, lal_place(a, &req, oa, NULL));
      assert_status(LAL_OK, lal_place(b, &req, ob, NULL));
      for (int k = 0; k < req.threads; k++)
        if (!lal_cpuset_equal(&oa[k], &ob[k]))
          fail_msg("%s: %d threads, flags %#x: thread %d placed differently", what, req.threads,
                   req.flags, k);
    }
}

static void expect_same_machine(const lal_topology *a, const lal_topology *b, const char *what) {
  expect_same_machine_but(a, b, what, SAME_ALL);
}

static void sysfs_twins_agree_with_hwloc_xml(void **state) {
  (void)state;
  int compared = 0;
  for (size_t m = 0; m < sizeof machines / sizeof machines[0]; m++) {
    lal_topology *x = NULL, *s = NULL;
    char twin[512], path[512];
    twin_of(machines[m], twin, sizeof twin);
    snprintf(path, sizeof path, "%s%s", TOPO_DIR, machines[m]);
    assert_status(LAL_OK, lali_linux_topology_sysfs(twin, NULL, "sysfs", &s));
    int rc = lali_linux_topology_from_xml(path, twin, &x);
    if (rc == LAL_ENOTSUP) {
      lal_topology_free(s);
      LAL_SKIP("this build has no hwloc to compare with (the expectations ran on /sys alone)");
    }
    assert_status(LAL_OK, rc);
    expect_same_machine(s, x, machines[m]);
    compared++;
    lal_topology_free(x);
    lal_topology_free(s);
  }
  assert_int_equal(compared, (int)(sizeof machines / sizeof machines[0]));
}

/* hwloc's own Linux backend reading the tree at `root` (HWLOC_FSROOT,
 * hwloc(7); its x86 backend off: not this machine's CPUID). */
static int hwloc_at_fsroot(const char *root, lal_topology **out) {
  setenv("HWLOC_FSROOT", root, 1);
  setenv("HWLOC_COMPONENTS", "linux,no_os", 1);
  int rc = lali_linux_topology_hwloc(NULL, root, NULL, "hwloc", out);
  unsetenv("HWLOC_FSROOT");
  unsetenv("HWLOC_COMPONENTS");
  return rc;
}

/* hwloc's Linux backend on each twin: the twin is the machine its XML
 * records, as hwloc itself reads /sys. */
static void hwloc_reads_the_twins_as_their_xml(void **state) {
  (void)state;
  for (size_t m = 0; m < sizeof machines / sizeof machines[0]; m++) {
    lal_topology *h = NULL, *s = NULL;
    char twin[512];
    twin_of(machines[m], twin, sizeof twin);
    int rc = hwloc_at_fsroot(twin, &h);
    if (rc == LAL_ENOTSUP)
      LAL_SKIP("this build has no hwloc, or this machine no libhwloc.so.15");
    assert_status(LAL_OK, rc);
    assert_status(LAL_OK, lali_linux_topology_sysfs(twin, NULL, "sysfs", &s));
    /* Not `allowed`: hwloc reads a cgroup cpuset only on the live system
     * (its allowed-resources hook), so under HWLOC_FSROOT it allows all;
     * the XML comparison above checks the container's cpuset. */
    expect_same_machine_but(s, h, machines[m], SAME_CACHES);
    lal_topology_free(h);
    lal_topology_free(s);
  }
}

/* One CPU without cpufreq data (a real board's kernel does this): hwloc puts
 * it in no kind; lal gives it the kind "unknown", ranked last, from either
 * source, and placement keeps working. */
static void a_cpu_without_cpufreq_gets_an_unknown_kind(void **state) {
  (void)state;
  char twin[512];
  snprintf(twin, sizeof twin, "%s/x3d-2ccd-cpu31-no-cpufreq", LAL_TWIN_DIR);
  lal_topology *s = NULL, *h = NULL;
  assert_status(LAL_OK, lali_linux_topology_sysfs(twin, NULL, "sysfs", &s));
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(s, &info));
  assert_int_equal(info.kinds, 3);
  lal_topo_kind k = LAL_TOPO_KIND_INIT;
  kind_of(s, 31, &k);
  assert_string_equal(k.name, "unknown");
  assert_int_equal(k.perf_rank, 2);
  assert_int_equal(k.pus, 1);
  kind_of(s, 8, &k);
  assert_int_equal(k.perf_rank, 0); /* the known kinds keep their order */
  expect_place(s, 2, ONE | FAST, "", "8,9", NULL);
  expect_place(s, 16, ONE | FAST, "", "8,9,10,11,12,13,14,15,0,1,2,3,4,5,6,7", NULL);
  int rc = hwloc_at_fsroot(twin, &h);
  if (rc != LAL_ENOTSUP) {
    assert_status(LAL_OK, rc); /* it was LAL_EIO */
    expect_same_machine_but(s, h, "x3d without cpufreq on CPU 31", SAME_CACHES);
    lal_topology_free(h);
  }
  lal_topology_free(s);
}

/* This machine, live: /sys and hwloc say the same. */
static void sysfs_matches_hwloc_on_this_machine(void **state) {
  (void)state;
  lal_topology *h = NULL, *s = NULL;
  int rc = lali_linux_topology_hwloc(NULL, "", NULL, "hwloc", &h);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this build has no hwloc, or this machine no libhwloc.so.15");
  assert_status(LAL_OK, rc);
  assert_status(LAL_OK, lali_linux_topology_sysfs("", NULL, "sysfs", &s));
  /* Some hypervisors' guests have no cache directory in /sys (this CI VM:
   * KVM, no cpuN/cache); hwloc then takes the caches from CPUID, /sys has
   * none to give. Everything else must still agree. */
  struct stat st;
  int caches = stat("/sys/devices/system/cpu/cpu0/cache/index0", &st) == 0;
  if (!caches)
    print_message("this machine's /sys has no cache directory: caches not compared\n");
  expect_same_machine_but(s, h, "this machine", SAME_ALLOWED | (caches ? SAME_CACHES : 0));
  lal_topology_free(h);
  lal_topology_free(s);
}

static void malformed_sysfs_is_an_error(void **state) {
  (void)state;
  char root[64];
  lal_topology *t = NULL;
  fake_tree_make(root, sizeof root);
  assert_status(LAL_EIO, lali_linux_topology_sysfs(root, NULL, "sysfs", &t)); /* no /sys */
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/online", "zero-3\n");
  assert_status(LAL_EIO, lali_linux_topology_sysfs(root, NULL, "sysfs", &t));
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/online", "\n");
  assert_status(LAL_EIO, lali_linux_topology_sysfs(root, NULL, "sysfs", &t));
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/online", "0-4095\n");
  assert_status(LAL_ERANGE, lali_linux_topology_sysfs(root, NULL, "sysfs", &t));
  assert_null(t);
  /* CPUs and nothing else (a stripped container /sys): one core each, one
   * node, one kind, no caches. */
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/online", "0-3\n");
  assert_status(LAL_OK, lali_linux_topology_sysfs(root, NULL, "sysfs", &t));
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  assert_int_equal(info.pus, 4);
  assert_int_equal(info.cores, 4);
  assert_int_equal(info.numa_nodes, 1);
  assert_int_equal(info.l3_domains, 0);
  assert_int_equal(info.kinds, 1);
  expect_set(&info.allowed, "0-3");
  lal_topology_free(t);
  t = NULL;
  /* A malformed cache size or package id reads as unknown, not as a number. */
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/cpu0/topology/physical_package_id", "x\n");
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/cpu0/cache/index0/level", "3\n");
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/cpu0/cache/index0/type", "Unified\n");
  FAKE_TREE_PUT(root, "/sys/devices/system/cpu/cpu0/cache/index0/size", "lots\n");
  assert_status(LAL_OK, lali_linux_topology_sysfs(root, NULL, "sysfs", &t));
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_OK, lal_topology_pu_of_cpu(t, 0, &pu));
  assert_int_equal(pu.package, -1);
  assert_true(pu.l3_bytes == 0);
  lal_topology_free(t);
  assert_status(LAL_EINVAL, lali_linux_topology_sysfs(NULL, NULL, "sysfs", &t));
  assert_status(LAL_EINVAL, lali_linux_topology_sysfs(root, NULL, "sysfs", NULL));
  assert_int_equal(fake_tree_remove(root), 0);
}

/* Which clocks make kinds (hwloc's rules): a base clock shared by all with
 * maxima within 10 % (Turbo Boost Max 3.0's favoured cores) is one kind;
 * maxima alone (no base clock: acpi-cpufreq) make two, ranked by clock; an
 * Intel PMU type beats any clock. */
static void clocks_that_make_kinds(void **state) {
  (void)state;
  static const struct {
    const char *base, *max, *pmu_core;
    int kinds, rank_of_cpu3;
  } cases[] = {
      {"3000000", "5400000", NULL, 1, 0}, /* cpus 2-3 at 5800000: +7.4 % */
      {NULL, "5400000", NULL, 2, 0},      /* no base: 5.8 GHz is another kind */
      {"3000000", "4000000", NULL, 2, 0}, /* +45 %: not an adjustment */
      {NULL, "5400000", "2-3", 2, 0},     /* PMU types, clocks aside */
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char root[64], path[128];
    fake_tree_make(root, sizeof root);
    FAKE_TREE_PUT(root, "/sys/devices/system/cpu/online", "0-3\n");
    for (int cpu = 0; cpu < 4; cpu++) {
      const char *max = cpu >= 2 ? "5800000" : cases[c].max;
      snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cpufreq/cpuinfo_max_freq", cpu);
      fake_tree_put(root, path, max, strlen(max));
      if (cases[c].base) {
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cpufreq/base_frequency", cpu);
        fake_tree_put(root, path, cases[c].base, strlen(cases[c].base));
      }
    }
    if (cases[c].pmu_core) {
      FAKE_TREE_PUT(root, "/sys/devices/cpu_core/cpus", "2-3\n");
      FAKE_TREE_PUT(root, "/sys/devices/cpu_atom/cpus", "0-1\n");
    }
    lal_topology *t = NULL;
    assert_status(LAL_OK, lali_linux_topology_sysfs(root, NULL, "sysfs", &t));
    lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
    assert_status(LAL_OK, lal_topology_get_info(t, &info));
    if (info.kinds != cases[c].kinds)
      fail_msg("case %zu: %d kinds, expected %d", c, info.kinds, cases[c].kinds);
    lal_topo_kind k = LAL_TOPO_KIND_INIT;
    kind_of(t, 3, &k);
    assert_int_equal(k.perf_rank, cases[c].rank_of_cpu3);
    if (cases[c].pmu_core)
      assert_string_equal(k.name, "IntelCore");
    lal_topology_free(t);
    assert_int_equal(fake_tree_remove(root), 0);
  }
}

static int from_sysfs(void **state) {
  (void)state;
  source = FROM_SYSFS;
  return 0;
}

int main(void) {
  /* The expectations, first through hwloc on the XML, then through /sys. */
#define EXPECTATIONS(setup)                                                                        \
  cmocka_unit_test_setup(two_socket_server, setup),                                                \
      cmocka_unit_test_setup(tuned_server_reports_isolated_and_nohz_full, setup),                  \
      cmocka_unit_test_setup(container_cpuset_limits_candidates, setup),                           \
      cmocka_unit_test_setup(hybrid_desktop_prefers_p_cores, setup),                               \
      cmocka_unit_test_setup(two_cpu_vm, setup),                                                   \
      cmocka_unit_test_setup(x3d_dual_ccd_cache_versus_clock, setup),                              \
      cmocka_unit_test_setup(x3d_mode_is_reported, setup),                                         \
      cmocka_unit_test_setup(x3d_single_ccd, setup),                                               \
      cmocka_unit_test_setup(strix_point_zen5_before_zen5c, setup),                                \
      cmocka_unit_test_setup(meteor_lake_three_kinds, setup),                                      \
      cmocka_unit_test_setup(threadripper_eight_ccds, setup)
  const struct CMUnitTest tests[] = {
      EXPECTATIONS(NULL),
      cmocka_unit_test(bad_xml_is_an_error),
      cmocka_unit_test(environment_machines_get_their_statuses),
      EXPECTATIONS(from_sysfs),
      cmocka_unit_test(sysfs_twins_agree_with_hwloc_xml),
      cmocka_unit_test(hwloc_reads_the_twins_as_their_xml),
      cmocka_unit_test(sysfs_matches_hwloc_on_this_machine),
      cmocka_unit_test(malformed_sysfs_is_an_error),
      cmocka_unit_test(clocks_that_make_kinds),
      cmocka_unit_test(a_cpu_without_cpufreq_gets_an_unknown_kind),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
