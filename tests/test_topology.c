/* SPDX-License-Identifier: MIT */
/* The live topology of the machine running the tests, on both OSes, checked
 * against independent sources (lal_query_caps's CPU count, the thread's own
 * affinity), and every accessor's bad input. */
#include <string.h>

#include "lal_test.h"

/* Every build has a topology: Linux reads /sys when hwloc is not there. */
static lal_topology *load_or_fail(void) {
  lal_topology *t = NULL;
  int rc = lal_topology_load(&t);
  if (rc != LAL_OK)
    fail_msg("lal_topology_load: %s (os error %d)", lal_err_name(rc), lal_last_os_error());
  return t;
}

#define LOAD_OR_SKIP(t) lal_topology *t = load_or_fail()

static void live_topology_matches_the_machine(void **state) {
  (void)state;
  LOAD_OR_SKIP(t);
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  lal_caps caps = LAL_CAPS_INIT;
  assert_status(LAL_OK, lal_query_caps(&caps));
  assert_int_equal(info.pus, caps.cpu_count);
  assert_int_equal(lal_cpuset_count(&info.all), info.pus);
  assert_true(info.cores >= 1 && info.cores <= info.pus);
  assert_true(info.packages >= 1 && info.packages <= info.cores);
  assert_true(info.kinds >= 1);
  assert_true(info.smt_max >= 1);
  assert_true(info.groups >= 1);
  /* The source is the one lal_query_caps says this process can use. */
  if (caps.os == LAL_OS_LINUX)
    assert_string_equal(info.source, (caps.build_features & LAL_FEATURE_HWLOC) ? "hwloc" : "sysfs");
  /* The calling thread runs inside the process affinity, which is allowed. */
  lal_cpuset mine, tmp;
  assert_status(LAL_OK, lal_thread_get_affinity(&mine));
  lal_cpuset_andnot(&tmp, &mine, &info.affinity);
  assert_int_equal(lal_cpuset_count(&tmp), 0);
  lal_cpuset_andnot(&tmp, &info.affinity, &info.allowed);
  assert_int_equal(lal_cpuset_count(&tmp), 0);

  int pus_in_kinds = 0;
  for (int k = 0; k < info.kinds; k++) {
    lal_topo_kind kind = LAL_TOPO_KIND_INIT;
    assert_status(LAL_OK, lal_topology_kind(t, k, &kind));
    assert_true(kind.perf_rank >= 0 && kind.perf_rank < info.kinds);
    assert_int_equal(lal_cpuset_count(&kind.cpus), kind.pus);
    pus_in_kinds += kind.pus;
  }
  assert_int_equal(pus_in_kinds, info.pus);

  int last = -1;
  for (int i = 0; i < info.pus; i++) {
    lal_topo_pu pu = LAL_TOPO_PU_INIT, again = LAL_TOPO_PU_INIT;
    assert_status(LAL_OK, lal_topology_pu(t, i, &pu));
    assert_true(pu.cpu > last); /* increasing CPU order */
    last = pu.cpu;
    assert_true(lal_cpuset_isset(&info.all, pu.cpu));
    assert_true(pu.core >= 0 && pu.core < info.cores);
    assert_true(pu.package >= 0 && pu.package < info.packages);
    assert_true(pu.smt_index >= 0 && pu.smt_index < info.smt_max);
    assert_status(LAL_OK, lal_topology_pu_of_cpu(t, pu.cpu, &again));
    assert_memory_equal(&pu, &again, sizeof pu);
    lal_cpuset core;
    assert_status(LAL_OK, lal_topology_domain_cpus(t, LAL_TOPO_CORE, pu.core, &core));
    assert_true(lal_cpuset_isset(&core, pu.cpu));
    assert_int_equal(!!(pu.flags & LAL_TOPO_PU_ALLOWED), lal_cpuset_isset(&info.allowed, pu.cpu));
  }
  lal_topology_free(t);
}

static void place_on_this_machine(void **state) {
  (void)state;
  LOAD_OR_SKIP(t);
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));
  lal_cpuset out[2];
  memset(out, 0, sizeof out);
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = 1;
  req.flags = LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST;
  lal_place_result res = LAL_PLACE_RESULT_INIT;
  assert_status(LAL_OK, lal_place(t, &req, out, &res));
  assert_int_equal(lal_cpuset_count(&out[0]), 1);
  assert_true(lal_cpuset_isset(&info.affinity, lal_cpuset_first(&out[0])));
  assert_int_equal(res.cores_used, 1);
  /* The placement is usable as is. */
  lal_cpuset saved;
  assert_status(LAL_OK, lal_thread_get_affinity(&saved));
  assert_status(LAL_OK, lal_thread_set_affinity(&out[0]));
  assert_status(LAL_OK, lal_thread_set_affinity(&saved));

  /* More threads than CPUs: LAL_ERANGE, a reason, out untouched. */
  lal_cpuset *many = calloc((size_t)info.pus + 1, sizeof *many);
  assert_non_null(many);
  req.threads = info.pus + 1;
  req.flags = 0;
  assert_status(LAL_ERANGE, lal_place(t, &req, many, &res));
  assert_true(strlen(res.reason) > 0);
  for (int i = 0; i <= info.pus; i++)
    assert_int_equal(lal_cpuset_count(&many[i]), 0);
  free(many);
  lal_topology_free(t);
}

static void bad_input_is_rejected(void **state) {
  (void)state;
  assert_status(LAL_EINVAL, lal_topology_load(NULL));
  lal_topology_free(NULL); /* a no-op */
  LOAD_OR_SKIP(t);
  lal_topology_info info = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_EINVAL, lal_topology_get_info(NULL, &info));
  assert_status(LAL_EINVAL, lal_topology_get_info(t, NULL));
  info.size = 8;
  assert_status(LAL_EINVAL, lal_topology_get_info(t, &info));
  info.size = sizeof info;
  assert_status(LAL_OK, lal_topology_get_info(t, &info));

  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  assert_status(LAL_ERANGE, lal_topology_pu(t, -1, &pu));
  assert_status(LAL_ERANGE, lal_topology_pu(t, info.pus, &pu));
  assert_status(LAL_EINVAL, lal_topology_pu(t, 0, NULL));
  pu.size = 0;
  assert_status(LAL_EINVAL, lal_topology_pu(t, 0, &pu));
  pu.size = sizeof pu;
  assert_status(LAL_ERANGE, lal_topology_pu_of_cpu(t, -1, &pu));
  assert_status(LAL_ERANGE, lal_topology_pu_of_cpu(t, LAL_CPUSET_MAX, &pu));
  assert_status(LAL_ENOENT, lal_topology_pu_of_cpu(t, LAL_CPUSET_MAX - 1, &pu));
  /* Output struct checked before any lookup: a bad one is LAL_EINVAL
   * whatever the cpu (it was LAL_ENOENT / LAL_ERANGE). */
  pu.size = 0;
  assert_status(LAL_EINVAL, lal_topology_pu_of_cpu(t, LAL_CPUSET_MAX - 1, &pu));
  assert_status(LAL_EINVAL, lal_topology_pu_of_cpu(t, -1, &pu));
  pu.size = sizeof pu;
  lal_topo_kind kind = LAL_TOPO_KIND_INIT;
  assert_status(LAL_ERANGE, lal_topology_kind(t, info.kinds, &kind));
  assert_status(LAL_EINVAL, lal_topology_kind(NULL, 0, &kind));
  lal_cpuset set;
  assert_status(LAL_EINVAL, lal_topology_domain_cpus(t, (lal_topo_domain)99, 0, &set));
  assert_status(LAL_ERANGE, lal_topology_domain_cpus(t, LAL_TOPO_CORE, info.cores, &set));
  assert_status(LAL_ERANGE, lal_topology_domain_cpus(t, LAL_TOPO_PACKAGE, -1, &set));
  assert_status(LAL_EINVAL, lal_topology_domain_cpus(t, LAL_TOPO_CORE, 0, NULL));

  lal_cpuset out[1];
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = 1;
  assert_status(LAL_EINVAL, lal_place(NULL, &req, out, NULL));
  assert_status(LAL_EINVAL, lal_place(t, NULL, out, NULL));
  assert_status(LAL_EINVAL, lal_place(t, &req, NULL, NULL));
  req.threads = 0;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, NULL));
  req.threads = 1;
  req.flags = 1u << 30;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, NULL));
  req.flags = LAL_PLACE_SAME_L3 | LAL_PLACE_SAME_NUMA;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, NULL));
  req.flags = 0;
  req.size = 4;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, NULL));
  /* A newer caller's larger request: a zero tail is accepted, a non-zero
   * one (a field this library cannot honour) is LAL_EINVAL, as lal_init. */
  struct {
    lal_place_req req;
    unsigned char tail[16];
  } bigger;
  memset(&bigger, 0, sizeof bigger);
  bigger.req.size = sizeof bigger;
  bigger.req.threads = 1;
  lal_cpuset keep[1];
  lal_cpuset_zero(&keep[0]);
  assert_status(LAL_OK, lal_place(t, &bigger.req, keep, NULL));
  bigger.tail[15] = 1;
  lal_cpuset_zero(&out[0]);
  assert_status(LAL_EINVAL, lal_place(t, &bigger.req, out, NULL));
  assert_int_equal(lal_cpuset_count(&out[0]), 0);
  req.size = sizeof req;
  lal_place_result res = LAL_PLACE_RESULT_INIT;
  res.size = 3;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, &res));
  /* Everything excluded: a range error, not a crash. */
  lal_cpuset all;
  lal_cpuset_fill(&all, LAL_CPUSET_MAX);
  req.exclude = &all;
  res.size = sizeof res;
  assert_status(LAL_ERANGE, lal_place(t, &req, out, &res));
  assert_non_null(strstr(res.reason, "no candidate CPU"));
  /* ... which no relaxation can fix: still a range error, out untouched. */
  req.flags = LAL_PLACE_BEST_EFFORT | LAL_PLACE_ONE_PER_CORE | LAL_PLACE_SAME_L3;
  lal_cpuset_zero(&out[0]);
  assert_status(LAL_ERANGE, lal_place(t, &req, out, &res));
  assert_int_equal(lal_cpuset_count(&out[0]), 0);
  assert_int_equal(res.relaxed, 0);
  /* An empty `within` is no request; a result-only flag is no request flag. */
  lal_cpuset none;
  lal_cpuset_zero(&none);
  req.exclude = NULL;
  req.within = &none;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, &res));
  req.within = NULL;
  req.flags = LAL_PLACE_SHARED_PUS;
  assert_status(LAL_EINVAL, lal_place(t, &req, out, &res));
  assert_int_equal(lal_cpuset_count(&out[0]), 0);
  /* No CPU allocated to this process (always so on Linux): EXCLUSIVE says so,
   * even best effort (relaxing never widens the candidates). */
  lal_topology_info ti = LAL_TOPOLOGY_INFO_INIT;
  assert_status(LAL_OK, lal_topology_get_info(t, &ti));
  if (lal_cpuset_count(&ti.exclusive) == 0) {
    req.flags = LAL_PLACE_EXCLUSIVE | LAL_PLACE_BEST_EFFORT;
    assert_status(LAL_ERANGE, lal_place(t, &req, out, &res));
    assert_non_null(strstr(res.reason, "no exclusive CPU"));
    assert_int_equal(lal_cpuset_count(&out[0]), 0);
  }
#ifndef _WIN32
  assert_int_equal(ti.game_mode, -1);
  assert_int_equal(lal_cpuset_count(&ti.reserved), 0);
#endif
  lal_topology_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(live_topology_matches_the_machine),
      cmocka_unit_test(place_on_this_machine),
      cmocka_unit_test(bad_input_is_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
