/* SPDX-License-Identifier: MIT */
/*
 * `lal info`: the topology as lal_topology_load sees it, and what each
 * priority profile obtains. Profiles are tried in a scratch thread created for
 * each (lal_thread_create with the profile and LAL_THREAD_FALLBACK), so the
 * command's own thread is never changed and a SCHED_FIFO trial ends with it.
 */
#include <stdio.h>
#include <string.h>

#include "info_sched.h"
#include "lal.h"
#include "priority_text.h"

static const char *const domain_names[] = {"core", "package", "numa", "l2", "l3", "kind"};

static void cpulist(const lal_cpuset *set, char *buf, size_t size) {
  if (lal_cpuset_format(set, buf, size) != LAL_OK || buf[0] == '\0')
    snprintf(buf, size, "-");
}

static int idle(void *arg) {
  (void)arg;
  return 0;
}

/* Applies profile in a scratch thread; *res receives what it got. */
static int try_profile(int profile, lal_priority_result *res) {
  lal_priority_req req = LAL_PRIORITY_REQ_INIT;
  req.profile = profile;
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  attr.flags = LAL_THREAD_FALLBACK;
  attr.priority = &req;
  lal_thread *t;
  int rc = lal_thread_create(&t, &attr, idle, NULL);
  if (rc != LAL_OK)
    return rc;
  lal_thread_result r = LAL_THREAD_RESULT_INIT;
  lal_thread_get_result(t, &r);
  lal_thread_join(t, NULL);
  *res = r.priority;
  return r.priority_status;
}

void info_topology_text(void) {
  lal_topology *t;
  int rc = lal_topology_load(&t);
  if (rc != LAL_OK) {
    printf("%-16s%s\n", "topology:", lal_strerror(rc));
    return;
  }
  lal_topology_info i = LAL_TOPOLOGY_INFO_INIT;
  lal_topology_get_info(t, &i);
  printf("%-16s%d packages, %d cores, %d PUs (SMT %d), %d NUMA nodes, %d L3, %d L2, %d kinds, "
         "%d groups [%s]\n",
         "topology:", i.packages, i.cores, i.pus, i.smt_max, i.numa_nodes, i.l3_domains,
         i.l2_domains, i.kinds, i.groups, i.source);
  char a[256], b[256], c[256], d[256];
  cpulist(&i.allowed, a, sizeof a);
  cpulist(&i.affinity, b, sizeof b);
  cpulist(&i.isolated, c, sizeof c);
  cpulist(&i.nohz_full, d, sizeof d);
  printf("%-16sallowed %s, affinity %s, isolated %s, nohz_full %s\n", "cpus:", a, b, c, d);
  for (int k = 0; k < i.kinds; k++) {
    lal_topo_kind kind = LAL_TOPO_KIND_INIT;
    lal_topology_kind(t, k, &kind);
    cpulist(&kind.cpus, a, sizeof a);
    printf("%-16s%s: rank %d, efficiency class %d, max %d MHz, CPUs %s\n", "cpu kind:", kind.name,
           kind.perf_rank, kind.efficiency_class, kind.max_mhz, a);
  }
  if (i.amd_x3d_mode[0])
    printf("%-16s%s\n", "amd_x3d_mode:", i.amd_x3d_mode);
  if (i.game_mode >= 0 || lal_cpuset_count(&i.reserved) || lal_cpuset_count(&i.exclusive)) {
    cpulist(&i.reserved, a, sizeof a);
    cpulist(&i.exclusive, b, sizeof b);
    printf("%-16sreserved by others %s, exclusive to us %s, game mode %s (%d exclusive CPUs)\n",
           "cpu sets:", a, b,
           i.game_mode < 0 ? "unknown"
           : i.game_mode   ? "on"
                           : "off",
           i.game_mode_exclusive_cpus);
  }
  int counts[] = {0, i.packages, i.numa_nodes, i.l2_domains, i.l3_domains};
  for (int dom = LAL_TOPO_PACKAGE; dom <= LAL_TOPO_L3; dom++)
    for (int n = 0; n < counts[dom]; n++) {
      lal_cpuset set;
      if (lal_topology_domain_cpus(t, (lal_topo_domain)dom, n, &set) != LAL_OK)
        continue;
      cpulist(&set, a, sizeof a);
      printf("  %-8s %-3d CPUs %s\n", domain_names[dom], n, a);
    }
  lal_topology_free(t);
}

void info_topology_json(json_writer *w) {
  lal_topology *t;
  int rc = lal_topology_load(&t);
  json_object_begin(w, "topology");
  if (rc != LAL_OK) {
    json_string(w, "error", lal_err_name(rc));
    json_object_end(w);
    return;
  }
  lal_topology_info i = LAL_TOPOLOGY_INFO_INIT;
  lal_topology_get_info(t, &i);
  char buf[LAL_CPUSET_FORMAT_MAX];
  json_string(w, "source", i.source);
  json_int(w, "packages", i.packages);
  json_int(w, "cores", i.cores);
  json_int(w, "pus", i.pus);
  json_int(w, "smt_max", i.smt_max);
  json_int(w, "numa_nodes", i.numa_nodes);
  json_int(w, "l2_domains", i.l2_domains);
  json_int(w, "l3_domains", i.l3_domains);
  json_int(w, "groups", i.groups);
  json_string(w, "amd_x3d_mode", i.amd_x3d_mode);
  json_int(w, "game_mode", i.game_mode);
  json_int(w, "game_mode_exclusive_cpus", i.game_mode_exclusive_cpus);
  const lal_cpuset *sets[] = {&i.all,       &i.allowed,  &i.affinity, &i.isolated,
                              &i.nohz_full, &i.reserved, &i.exclusive};
  const char *names[] = {"all",       "allowed",  "affinity", "isolated",
                         "nohz_full", "reserved", "exclusive"};
  for (int s = 0; s < 7; s++) {
    lal_cpuset_format(sets[s], buf, sizeof buf);
    json_string(w, names[s], buf);
  }
  json_array_begin(w, "kinds");
  for (int k = 0; k < i.kinds; k++) {
    lal_topo_kind kind = LAL_TOPO_KIND_INIT;
    lal_topology_kind(t, k, &kind);
    json_object_begin(w, NULL);
    json_string(w, "name", kind.name);
    json_int(w, "perf_rank", kind.perf_rank);
    json_int(w, "efficiency_class", kind.efficiency_class);
    json_int(w, "max_mhz", kind.max_mhz);
    lal_cpuset_format(&kind.cpus, buf, sizeof buf);
    json_string(w, "cpus", buf);
    json_object_end(w);
  }
  json_array_end(w);
  json_array_begin(w, "cpus");
  for (int n = 0; n < i.pus; n++) {
    lal_topo_pu pu = LAL_TOPO_PU_INIT;
    lal_topology_pu(t, n, &pu);
    json_object_begin(w, NULL);
    json_int(w, "cpu", pu.cpu);
    json_int(w, "core", pu.core);
    json_int(w, "package", pu.package);
    json_int(w, "numa_node", pu.numa_node);
    json_int(w, "l2", pu.l2);
    json_int(w, "l3", pu.l3);
    json_int(w, "kind", pu.kind);
    json_int(w, "smt_index", pu.smt_index);
    json_bool(w, "allowed", (pu.flags & LAL_TOPO_PU_ALLOWED) != 0);
    json_object_end(w);
  }
  json_array_end(w);
  json_object_end(w);
  lal_topology_free(t);
}

void info_profiles_text(void) {
  printf("profiles (tried in a scratch thread, fallback allowed):\n");
  for (int p = LAL_PRIORITY_BACKGROUND; p <= LAL_PRIORITY_REALTIME; p++) {
    lal_priority_result r = LAL_PRIORITY_RESULT_INIT;
    char got[96];
    int rc = try_profile(p, &r);
    priority_text(&r, got, sizeof got);
    printf("  %-12s %s via %s%s%s  [%s]\n", lal_priority_profile_name(p),
           rc == LAL_OK ? got : lal_err_name(rc), lal_priority_via_name(r.obtained_via),
           r.flags & LAL_PRIORITY_DEGRADED ? " (degraded)" : "",
           r.flags & LAL_PRIORITY_NO_THROTTLING ? ", EcoQoS off" : "", r.reason);
  }
}

void info_profiles_json(json_writer *w) {
  json_array_begin(w, "profiles");
  for (int p = LAL_PRIORITY_BACKGROUND; p <= LAL_PRIORITY_REALTIME; p++) {
    lal_priority_result r = LAL_PRIORITY_RESULT_INIT;
    int rc = try_profile(p, &r);
    char got[96];
    priority_text(&r, got, sizeof got);
    json_object_begin(w, NULL);
    json_string(w, "profile", lal_priority_profile_name(p));
    json_string(w, "status", lal_err_name(rc));
    json_string(w, "obtained", got);
    json_string(w, "policy", lal_policy_name(r.policy));
    json_int(w, "rt_priority", r.rt_priority);
    json_int(w, "nice", r.nice);
    json_int(w, "win_priority_class", r.win_priority_class);
    json_int(w, "win_thread_priority", r.win_thread_priority);
    json_string(w, "mmcss_task", r.mmcss_task);
    json_bool(w, "degraded", (r.flags & LAL_PRIORITY_DEGRADED) != 0);
    json_string(w, "via", lal_priority_via_name(r.obtained_via));
    json_uint(w, "slice_ns", r.slice_ns);
    json_string(w, "reason", r.reason);
    json_object_end(w);
  }
  json_array_end(w);
}
