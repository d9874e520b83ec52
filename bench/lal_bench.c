/*
 * lal-bench: identical workloads on Linux and Windows, as latency
 * distributions, written as JSON (schema lal-bench/1, bench/SCHEMA.md).
 *   lal-bench [--list] [--workload NAME]... [--duration S] [--quick] [--json FILE]
 * The method follows rt-tests' cyclictest/oslat: absolute deadlines, warm-up,
 * no allocation or I/O inside the measured loops, histograms not averages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_ipc.h"
#include "bench_os.h"
#include "json_writer.h"
#include "lal.h"

static const workload workloads[] = {
    {"clock_read", "cost of one clock read: lal_now_ns, lal_tsc, bare rdtsc+mult/shift, OS clock",
     wl_clock_read},
    {"clock_accuracy",
     "lal_now_ns vs CLOCK_MONOTONIC_RAW/QPC over the run; backward steps across "
     "forced migrations; calibration time",
     wl_clock_accuracy},
    {"sleep",
     "1 ms wake-up error: OS absolute sleep vs lal precise, interleaved, normal and "
     "realtime priority, with CPU use",
     wl_sleep},
    {"pacer", "1 ms lal_pacer: lateness distribution and cumulative drift", wl_pacer},
    {"harness", "the cost of recording one sample in lal-bench's histogram", wl_harness},
    {"syscall", "round trip of a trivial kernel entry next to a user-space call", wl_syscall},
    {"wakeup",
     "cyclictest-style 1 ms absolute sleeps per priority profile (NORMAL, INTERACTIVE, "
     "AUDIO, REALTIME), pinned",
     wl_wakeup},
    {"jitter", "oslat-style busy loop: gaps between clock reads, interruptions per second",
     wl_jitter},
    {"ctx_switch",
     "ping-pong round trip through futex/WaitOnAddress, event, pipe: peer thread vs process, "
     "same core vs other core",
     wl_ctx_switch},
    {"process_wakeup",
     "a peer asleep on an event for 1 ms is signalled: time until it runs, peer thread vs "
     "process, same core vs other core",
     wl_process_wakeup},
    {"signal", "asynchronous delivery to a blocked thread: SIGUSR1 handler / user APC", wl_signal},
    {"core_to_core", "cache-line hand-off latency between every pair of CPUs (a matrix)",
     wl_core_to_core},
    {"sched_calls",
     "cost per call of lal_current_cpu, lal_thread_set_affinity, lal_thread_set_priority "
     "and lal_place next to the raw OS calls",
     wl_sched_calls},
    {"page_fault",
     "first write to a page: fresh mapping vs after lal_mem_prefault vs locked + prefaulted",
     wl_page_fault},
    {"tlb_walk", "random pointer chase, one access per 4 KiB page over 1 GiB: base vs large pages",
     wl_tlb_walk},
#ifdef LAL_BENCH_CGROUP
    {"cgroup_wakeup",
     "Linux: 1 ms wake-up lateness of a 2 ms-busy thread with and without a cpu.max quota",
     wl_cgroup_wakeup},
#endif
#ifdef LAL_BENCH_URING
    {"uring_pingpong",
     "Linux: 1-byte ping-pong over pipes and loopback UDP: blocking, epoll, io_uring "
     "submit-and-wait, busy-poll, SQPOLL + busy-poll",
     wl_uring_pingpong},
#endif
#ifdef LAL_BENCH_XDP
    {"xdp_pingpong",
     "Linux, root: UDP ping-pong over a veth pair between namespaces, echoed by a kernel "
     "socket vs AF_XDP (poll / busy spin)",
     wl_xdp_pingpong},
#endif
};
#define N_WORKLOADS (sizeof workloads / sizeof workloads[0])

static void usage(FILE *out) {
  fprintf(out, "usage: lal-bench [--list] [--workload NAME]... [--duration S] [--quick] "
               "[--json FILE]\n");
}

int main(int argc, char **argv) {
  /* Windows: lal-bench run again as the process peer of ctx_switch and
   * process_wakeup (bench_ipc_windows.c). */
  if (argc > 1 && !strcmp(argv[1], "--ipc-peer"))
    return ipc_peer_main(argc - 2, argv + 2);
  bench_opts opts = {10.0, 0};
  const char *json_path = NULL;
  int selected[N_WORKLOADS] = {0}, any_selected = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--list")) {
      for (size_t w = 0; w < N_WORKLOADS; w++)
        printf("%-16s %s\n", workloads[w].name, workloads[w].description);
      return 0;
    } else if (!strcmp(argv[i], "--quick")) {
      opts.quick = 1;
    } else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
      opts.duration_s = atof(argv[++i]);
      if (opts.duration_s <= 0) {
        fprintf(stderr, "lal-bench: --duration must be > 0\n");
        return 2;
      }
    } else if (!strcmp(argv[i], "--json") && i + 1 < argc) {
      json_path = argv[++i];
    } else if (!strcmp(argv[i], "--workload") && i + 1 < argc) {
      const char *name = argv[++i];
      size_t w = 0;
      while (w < N_WORKLOADS && strcmp(workloads[w].name, name))
        w++;
      if (w == N_WORKLOADS) {
        fprintf(stderr, "lal-bench: no workload '%s' (see --list)\n", name);
        return 2;
      }
      selected[w] = any_selected = 1;
    } else {
      usage(stderr);
      return 2;
    }
  }
  if (opts.quick)
    opts.duration_s = opts.duration_s < 1.0 ? opts.duration_s : 1.0;

  FILE *json_file = NULL;
  if (json_path && !(json_file = fopen(json_path, "w"))) {
    fprintf(stderr, "lal-bench: cannot write %s\n", json_path);
    return 1;
  }
  json_writer jw;
  json_init(&jw, json_file ? json_file : bench_null_sink());
  json_object_begin(&jw, NULL);
  json_string(&jw, "schema", "lal-bench/1");
  bench_fingerprint(&jw);
  json_array_begin(&jw, "results");
  int status = 0;
  for (size_t w = 0; w < N_WORKLOADS; w++) {
    if (any_selected && !selected[w])
      continue;
    printf("== %s: %s\n", workloads[w].name, workloads[w].description);
    fflush(stdout);
    if (workloads[w].run(&opts, &jw) != 0)
      status = 1;
  }
  json_array_end(&jw);
  json_object_end(&jw);
  json_finish(&jw);
  fclose(jw.out);
  return status;
}
