// SPDX-License-Identifier: MIT
// Compiled as C++11, 14, 17 and 20 (g++, clang++, clang-cl) and as C11 with
// -Wpedantic (tests/headers/check.sh): every public header, every *_INIT
// macro spelt as in C, a few calls. Warnings are errors.
#include "lal.h"
#if LAL_HEADERS_LINUX_MODULES
#  include "lal/cgroup.h"
#  include "lal/uring.h"
#  include "lal/xdp.h"
#endif

int lal_header_check(void);
int lal_header_check(void) {
  lal_caps caps = LAL_CAPS_INIT;
  lal_init_opts init = LAL_INIT_OPTS_INIT;
  lal_clock_info clock = LAL_CLOCK_INFO_INIT;
  lal_pacer_stats pacer = LAL_PACER_STATS_INIT;
  lal_topo_pu pu = LAL_TOPO_PU_INIT;
  lal_topo_kind kind = LAL_TOPO_KIND_INIT;
  lal_topology_info topo = LAL_TOPOLOGY_INFO_INIT;
  lal_place_req place = LAL_PLACE_REQ_INIT;
  lal_place_result placed = LAL_PLACE_RESULT_INIT;
  lal_priority_req prio = LAL_PRIORITY_REQ_INIT;
  lal_priority_result prio_res = LAL_PRIORITY_RESULT_INIT;
  lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
  lal_thread_result thread = LAL_THREAD_RESULT_INIT;
  lal_lock_result lock = LAL_LOCK_RESULT_INIT;
  lal_mem_opts mem = LAL_MEM_OPTS_INIT;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  int bad = 0;
  bad |= caps.size != sizeof caps || init.size != sizeof init || clock.size != sizeof clock;
  bad |= pacer.size != sizeof pacer || pu.size != sizeof pu || kind.size != sizeof kind;
  bad |= topo.size != sizeof topo || place.size != sizeof place || placed.size != sizeof placed;
  bad |= prio.size != sizeof prio || prio.profile != LAL_PRIORITY_NORMAL || prio.nice != 0;
  bad |= prio_res.size != sizeof prio_res || attr.size != sizeof attr || attr.name;
  bad |= thread.size != sizeof thread || lock.size != sizeof lock || info.size != sizeof info;
  bad |= mem.size != sizeof mem || mem.numa_node != -1 || mem.flags != 0;
#if LAL_HEADERS_LINUX_MODULES
  lal_cgroup_info cg = LAL_CGROUP_INFO_INIT;
  lal_cgroup_cpu_stat cpu_stat = LAL_CGROUP_CPU_STAT_INIT;
  lal_psi psi = LAL_PSI_INIT;
  lal_uring_opts uring = LAL_URING_OPTS_INIT;
  lal_uring_result uring_res = LAL_URING_RESULT_INIT;
  lal_xdp_result xdp = LAL_XDP_RESULT_INIT;
  lal_xdp_counters counters = LAL_XDP_COUNTERS_INIT;
  lal_xsk_opts xsk = LAL_XSK_OPTS_INIT;
  lal_xsk_result xsk_res = LAL_XSK_RESULT_INIT;
  bad |= cg.size != sizeof cg || cpu_stat.size != sizeof cpu_stat || psi.size != sizeof psi;
  bad |= uring.size != sizeof uring || uring.entries != 64 || uring.sqpoll_cpu != -1;
  bad |= uring_res.size != sizeof uring_res || xdp.size != sizeof xdp;
  bad |= counters.size != sizeof counters || xsk.frames != 4096 || xsk.frame_size != 2048;
  bad |= xsk_res.size != sizeof xsk_res;
#endif
  lal_cpuset set;
  lal_cpuset_zero(&set);
  bad |= lal_cpuset_parse(&set, "0") != LAL_OK;
  bad |= lal_now_ns() == 0 || lal_tsc() == 0;
  bad |= !lal_strerror(LAL_EINVAL);
  return bad;
}
