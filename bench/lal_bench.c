/* SPDX-License-Identifier: MIT */
/*
 * lal-bench: identical workloads on Linux and Windows, as latency
 * distributions, written as JSON (schema lal-bench/2, bench/SCHEMA.md).
 *   lal-bench [--list] [--workload NAME]... [--duration S] [--rounds K] [--seed N]
 *             [--quick] [--json FILE] [--cpu N] [--cpus LIST] [--priority PROFILE] [--lock]
 * The method follows rt-tests' cyclictest/oslat: absolute deadlines, warm-up,
 * no allocation or I/O inside the measured loops, histograms not averages.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_ipc.h"
#include "bench_os.h"
#include "json_writer.h"
#include "lal.h"
#include "priority_text.h"
#include "result_format.h"
#include "experiment.h"
#include "rounds.h"

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
    {"sleep_cost",
     "precise sleep's cost against its accuracy: OS sleep, lal plain, fixed spin margins "
     "10-500 us (1 ms), the adaptive margin and a peer (SDL3's SDL_DelayPrecise steps), "
     "interleaved, at 1, 2, 4, 8 and 16 ms, quiet and under a changing load; lateness, share "
     "> 10 us late and CPU % per mode; then 2,000 precise 1 ms sleeps in a row",
     wl_sleep_cost},
    {"pacer", "1 ms lal_pacer: lateness distribution and cumulative drift", wl_pacer},
    {"harness", "the cost of recording one sample in lal-bench's histogram", wl_harness},
    {"syscall", "round trip of a trivial kernel entry next to a user-space call", wl_syscall},
    {"wakeup",
     "cyclictest-style 1 ms absolute sleeps per priority profile (NORMAL, INTERACTIVE, "
     "AUDIO, REALTIME), pinned",
     wl_wakeup},
    {"wakeup_contended",
     "1 ms absolute sleeps sharing the CPU with a CPU-bound thread: NORMAL, NORMAL + EEVDF "
     "slice 0.1 ms, AUDIO (FIFO, rtkit or the slice hint, as obtained)",
     wl_wakeup_contended},
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
    {"synthetic",
     "a regression of known size for calibrating lal-compare: 1 ms sleep lateness x (1 + "
     "--synthetic-slowdown %); runs only when named",
     wl_synthetic},
#ifdef LAL_HAVE_CGROUP
    {"cgroup_wakeup",
     "Linux: 1 ms wake-up lateness of a 2 ms-busy thread with and without a cpu.max quota",
     wl_cgroup_wakeup},
#endif
#ifdef LAL_HAVE_URING
    {"uring_pingpong",
     "Linux: 1-byte ping-pong over pipes and loopback UDP: blocking, epoll, io_uring "
     "submit-and-wait, busy-poll, SQPOLL + busy-poll",
     wl_uring_pingpong},
#endif
#ifdef LAL_HAVE_XDP
    {"xdp_pingpong",
     "Linux, root: UDP ping-pong over a veth pair between namespaces, echoed by a kernel "
     "socket vs AF_XDP (poll / busy spin)",
     wl_xdp_pingpong},
#endif
};
#define N_WORKLOADS (sizeof workloads / sizeof workloads[0])

/* The CPUs the CPU-comparing workloads use (ctx_switch's other core,
 * core_to_core's pairs): those the process may use, read before --cpu narrows
 * the thread, limited to --cpus LIST when given; and the home CPU, where the
 * measuring thread runs (--cpu, else the first of them). 0, or 2 on bad input. */
static int choose_cpus(bench_opts *opts, const bench_harness *h, const char *cpus_arg) {
  if (lal_process_get_affinity(&opts->allowed) != LAL_OK &&
      lal_thread_get_affinity(&opts->allowed) != LAL_OK)
    lal_cpuset_set(&opts->allowed, 0);
  if (cpus_arg) {
    lal_cpuset chosen;
    if (lal_cpuset_parse(&chosen, cpus_arg) != LAL_OK) {
      fprintf(stderr, "lal-bench: --cpus takes a CPU list such as 0-3,8, not '%s'\n", cpus_arg);
      return 2;
    }
    lal_cpuset_and(&opts->allowed, &opts->allowed, &chosen);
    if (lal_cpuset_count(&opts->allowed) == 0) {
      fprintf(stderr, "lal-bench: --cpus %s: this process may run on none of them\n", cpus_arg);
      return 2;
    }
  }
  if (h->cpu >= 0 && lal_cpuset_isset(&opts->allowed, h->cpu) != 1) {
    fprintf(stderr, "lal-bench: --cpu %d: %s\n", h->cpu,
            cpus_arg ? "not in --cpus, or this process may not run there"
                     : "this process may not run there");
    return 2;
  }
  opts->home_cpu = h->cpu >= 0 ? h->cpu : lal_cpuset_first(&opts->allowed);
  return 0;
}

/* SIGINT / SIGTERM: the workload running finishes (a round is a fifth of a
 * workload's time, so that is a second or two), no other starts, the
 * results so far are written (marked incomplete) and lal-bench exits 130. A
 * second signal stops at once: the handler removes the unfinished
 * FILE.tmp itself (remove() is what the C library offers for it) and ends
 * the process, so no temporary file is ever left behind. */
static volatile sig_atomic_t stop_signal;
static char tmp_to_remove[4096];
static void on_stop(int sig) {
  if (stop_signal) {
    if (tmp_to_remove[0])
      remove(tmp_to_remove);
    if (experiment_journal_hint[0]) {
      static const char msg[] = "lal-bench: stopped inside an experiment: B may still be applied; "
                                "revert it with: lal-bench --recover ";
      bench_os_signal_safe_write(msg, sizeof msg - 1);
      bench_os_signal_safe_write(experiment_journal_hint, strlen(experiment_journal_hint));
      bench_os_signal_safe_write("\n", 1);
    }
    _Exit(130);
  }
  stop_signal = sig;
  static const char msg[] = "\nlal-bench: stopping after the running workload, then writing "
                            "what completed (Ctrl-C again to stop now, writing nothing)\n";
  bench_os_signal_safe_write(msg, sizeof msg - 1);
  signal(sig, on_stop); /* Windows resets the handler before calling it */
}

static void load_object(json_writer *jw, const char *key, double loadavg, double psi) {
  json_object_begin(jw, key);
  if (loadavg >= 0)
    json_double(jw, "loadavg_1min", loadavg);
  else
    json_null(jw, "loadavg_1min");
  if (psi >= 0)
    json_double(jw, "psi_cpu_some_avg10", psi);
  else
    json_null(jw, "psi_cpu_some_avg10");
  json_object_end(jw);
}

#ifndef LAL_BENCH_BUILD_TYPE
#  define LAL_BENCH_BUILD_TYPE "unknown"
#endif
#if defined(__clang__)
#  define BENCH_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#  define BENCH_COMPILER "gcc " __VERSION__
#elif defined(_MSC_VER)
#  define BENCH_STR2(x) #  x
#  define BENCH_STR(x) BENCH_STR2(x)
#  define BENCH_COMPILER "msvc " BENCH_STR(_MSC_FULL_VER)
#else
#  define BENCH_COMPILER "unknown"
#endif

/* What every document's "run" object says, gathered once. */
typedef struct doc_ctx {
  const bench_harness *harness;
  const bench_opts *opts;
  int argc;
  char **argv;
  char started[32], host[256];
  double load_before, psi_before;
  unsigned long long seed;
  int rounds_done;
} doc_ctx;

/* The run itself: when, what, where, with which build, under what load.
 * lal-compare warns when two runs differ in build type or load. side and
 * change: an experiment's side ("A"/"B") and B's change, else NULL. */
static void emit_run(json_writer *jw, const doc_ctx *d, const char *side, const char *change) {
  char ended[32], line[2048] = "";
  bench_os_utc_now(ended, sizeof ended);
  for (int i = 0; i < d->argc; i++) {
    size_t used = strlen(line);
    snprintf(line + used, sizeof line - used, "%s%s", i ? " " : "", d->argv[i]);
  }
  double load_after, psi_after;
  bench_os_load(&load_after, &psi_after);
  json_object_begin(jw, "run");
  json_string(jw, "start_utc", d->started);
  json_string(jw, "end_utc", ended);
  json_string(jw, "command_line", line);
  json_string(jw, "host", d->host);
  json_string(jw, "lal_version", lal_version_string());
  json_string(jw, "build_type", LAL_BENCH_BUILD_TYPE);
  json_string(jw, "compiler", BENCH_COMPILER);
  json_int(jw, "rounds", d->opts->rounds);
  json_int(jw, "rounds_completed", d->rounds_done);
  char seed_text[32];
  snprintf(seed_text, sizeof seed_text, "%llu", d->seed);
  json_string(jw, "rounds_seed", seed_text); /* text: JSON numbers lose 64-bit integers */
  if (side) {
    json_object_begin(jw, "experiment");
    json_string(jw, "side", side);
    json_string(jw, "b_change", change);
    json_string(jw, "order", "A B B A");
    json_object_end(jw);
  }
  load_object(jw, "load_before", d->load_before, d->psi_before);
  load_object(jw, "load_after", load_after, psi_after);
  json_bool(jw, "complete", !stop_signal);
  if (stop_signal)
    json_string(jw, "interrupted_by", stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
  json_object_end(jw);
}

/* An experiment side's document: written to PATH.tmp, renamed when whole. */
static int write_side(void *ctx, const char *path, const rounds_collector *c, const char *side,
                      const char *change, int rounds_done) {
  doc_ctx *d = ctx;
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) {
    fprintf(stderr, "lal-bench: cannot write %s\n", tmp);
    return -1;
  }
  json_writer jw;
  json_init(&jw, f);
  json_object_begin(&jw, NULL);
  json_string(&jw, "schema", RESULT_SCHEMA);
  bench_fingerprint(&jw, d->harness, d->opts);
  json_array_begin(&jw, "results");
  int rc = rounds_collector_write(c, &jw);
  json_array_end(&jw);
  d->rounds_done = rounds_done;
  emit_run(&jw, d, side, change);
  json_object_end(&jw);
  json_finish(&jw);
  int failed = rc != 0 || fflush(f) != 0 || ferror(f);
  failed |= fclose(f) != 0;
  if (failed || bench_os_replace_file(tmp, path) != 0) {
    fprintf(stderr, "lal-bench: writing %s failed\n", path);
    remove(tmp);
    return -1;
  }
  printf("experiment: side %s written to %s\n", side, path);
  return 0;
}

static void usage(FILE *out) {
  fprintf(
      out,
      "usage: lal-bench [--list] [--workload NAME]... [--duration S] [--rounds K] [--seed N] "
      "[--quick] [--json FILE]\n"
      "                 [--cpu N] [--cpus LIST] [--priority background|normal|interactive|audio|"
      "realtime] [--lock]\n"
      "  --duration S  seconds per timed workload, over all its rounds (default 10; --quick:\n"
      "                at most 1)\n"
      "  --rounds K    run every workload K times, each round in a random order, keeping\n"
      "                each round (default 5, --quick 2; 1..100): lal-compare measures the\n"
      "                run-to-run noise from them. 1 round cannot show that noise\n"
      "  --seed N      the rounds' order (default: from the clock; recorded in the run)\n"
      "  --experiment  before/after in one run: rounds of A (as is) and B (changed) alternate\n"
      "                A B B A ...; writes PREFIX.a.json and PREFIX.b.json (--json PREFIX,\n"
      "                default lal-experiment) and prints the comparison. B's change:\n"
      "    --b-priority P, --b-cpu N, --b-lock, --b-pm-qos US   for the measuring thread\n"
      "    --b-timer-slack NS   the measuring thread's timer slack (Linux: restored after)\n"
      "    --b-synthetic-slowdown PCT   the synthetic workload's known change (calibration)\n"
      "    --apply CMD ARGS... --  --revert CMD ARGS... --   run as given (no shell) before\n"
      "                and after every B round; the machine is reverted on every exit path\n"
      "    --journal F   where what is applied is recorded (default: $XDG_RUNTIME_DIR)\n"
      "  --recover F   after a crash: run the journal's revert command, remove the journal\n"
      "  --synthetic-slowdown PCT  the synthetic workload (run only when named) records\n"
      "                each lateness x (1 + PCT/100): a regression of known size\n"
      "  --cpu N       pin the measuring thread to CPU N\n"
      "  --cpus LIST   CPUs the cross-core workloads may use (default: all allowed)\n"
      "  --priority P  give it profile P (with fallback; what it got is recorded)\n"
      "  --lock        lock current and future memory (with fallback; recorded)\n"
      "  --pm-qos US   hold a CPU idle-state limit of US microseconds for the run (Linux\n"
      "                /dev/cpu_dma_latency, as cyclictest does; recorded)\n"
      "  --json FILE   write the results as JSON (lal-bench/2) to FILE, replaced only once\n"
      "                complete; '-' writes them to standard output (progress to stderr)\n"
      "Ctrl-C (SIGINT/SIGTERM) stops after the running workload, writes what completed\n"
      "(marked incomplete) and exits 130; a second Ctrl-C stops at once and writes nothing.\n");
}

int main(int argc, char **argv) {
  /* Windows: lal-bench run again as the process peer of ctx_switch and
   * process_wakeup (bench_ipc_windows.c). */
  if (argc > 1 && !strcmp(argv[1], "--ipc-peer"))
    return ipc_peer_main(argc - 2, argv + 2);
  bench_opts opts;
  memset(&opts, 0, sizeof opts);
  opts.duration_s = 10.0;
  int rounds = 0; /* 0: the default for the mode */
  static char *apply_argv[256], *revert_argv[256];
  experiment_opts xo = {NULL, NULL, NULL, 0, -1, 0, -1, -1, -1, NULL, NULL};
  int experiment = 0, b_given = 0;
  const char *recover = NULL;
  unsigned long long seed = 0;
  bench_harness harness = {-1, 0, 0, -1, NULL, "", "", "", ""};
  const char *json_path = NULL, *cpus_arg = NULL;
  int selected[N_WORKLOADS] = {0}, any_selected = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--list")) {
      for (size_t w = 0; w < N_WORKLOADS; w++)
        printf("%-16s %s\n", workloads[w].name, workloads[w].description);
      return 0;
    } else if (!strcmp(argv[i], "--quick")) {
      opts.quick = 1;
    } else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
      char *end;
      opts.duration_s = strtod(argv[++i], &end);
      if (*end || end == argv[i] || !(opts.duration_s > 0 && opts.duration_s <= 3600)) {
        fprintf(stderr, "lal-bench: --duration takes seconds in (0, 3600], not '%s'\n", argv[i]);
        return 2;
      }
    } else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
      char *end;
      long k = strtol(argv[++i], &end, 10);
      if (*end || end == argv[i] || k < 1 || k > BENCH_ROUNDS_MAX) {
        fprintf(stderr, "lal-bench: --rounds takes a count in 1..%d, not '%s'\n", BENCH_ROUNDS_MAX,
                argv[i]);
        return 2;
      }
      rounds = (int)k;
    } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
      char *end;
      seed = strtoull(argv[++i], &end, 10);
      if (*end || end == argv[i] || argv[i][0] == '-' || seed == 0) {
        fprintf(stderr, "lal-bench: --seed takes a positive number, not '%s'\n", argv[i]);
        return 2;
      }
    } else if (!strcmp(argv[i], "--experiment")) {
      experiment = 1;
    } else if (!strcmp(argv[i], "--apply") || !strcmp(argv[i], "--revert")) {
      /* The command's argument vector, up to "--": run as given, no shell. */
      const char *opt = argv[i];
      char **dst = opt[2] == 'a' ? apply_argv : revert_argv;
      int n = 0;
      for (i++; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (n >= 255 || strchr(argv[i], '\n')) {
          fprintf(stderr, "lal-bench: %s: at most 255 arguments, none with a newline\n", opt);
          return 2;
        }
        dst[n++] = argv[i];
      }
      if (i >= argc) {
        fprintf(stderr, "lal-bench: %s: end the command with --\n", opt);
        return 2;
      }
      if (n == 0) {
        fprintf(stderr, "lal-bench: %s: no command given\n", opt);
        return 2;
      }
      dst[n] = NULL;
      if (dst == apply_argv)
        xo.apply = apply_argv;
      else
        xo.revert = revert_argv;
    } else if (!strcmp(argv[i], "--journal") && i + 1 < argc) {
      xo.journal = argv[++i];
    } else if (!strcmp(argv[i], "--recover") && i + 1 < argc) {
      recover = argv[++i];
    } else if (!strcmp(argv[i], "--b-priority") && i + 1 < argc) {
      if ((xo.b_priority = priority_profile_parse(argv[++i])) < 0) {
        fprintf(stderr, "lal-bench: --b-priority: no profile '%s'\n", argv[i]);
        return 2;
      }
      b_given = 1;
    } else if (!strcmp(argv[i], "--b-cpu") && i + 1 < argc) {
      char *end;
      long cpu = strtol(argv[++i], &end, 10);
      if (*end || end == argv[i] || cpu < 0 || cpu >= LAL_CPUSET_MAX) {
        fprintf(stderr, "lal-bench: --b-cpu takes a CPU number, not '%s'\n", argv[i]);
        return 2;
      }
      xo.b_cpu = (int)cpu, b_given = 1;
    } else if (!strcmp(argv[i], "--b-lock")) {
      xo.b_lock = 1, b_given = 1;
    } else if (!strcmp(argv[i], "--b-pm-qos") && i + 1 < argc) {
      char *end;
      long long us = strtoll(argv[++i], &end, 10);
      if (*end || end == argv[i] || us < 0 || us > (long long)LAL_PM_QOS_LATENCY_MAX_US) {
        fprintf(stderr, "lal-bench: --b-pm-qos takes a latency in us, 0..%u, not '%s'\n",
                LAL_PM_QOS_LATENCY_MAX_US, argv[i]);
        return 2;
      }
      xo.b_pm_qos = us, b_given = 1;
    } else if (!strcmp(argv[i], "--b-timer-slack") && i + 1 < argc) {
      char *end;
      xo.b_timer_slack = strtoll(argv[++i], &end, 10);
      if (*end || end == argv[i] || xo.b_timer_slack < 0 || xo.b_timer_slack > 2147483647LL) {
        fprintf(stderr, "lal-bench: --b-timer-slack takes ns in 0..2147483647, not '%s'\n",
                argv[i]);
        return 2;
      }
      b_given = 1;
    } else if (!strcmp(argv[i], "--b-synthetic-slowdown") && i + 1 < argc) {
      char *end;
      xo.b_synthetic = strtod(argv[++i], &end);
      if (*end || end == argv[i] || !(xo.b_synthetic >= 0 && xo.b_synthetic <= 1000)) {
        fprintf(stderr,
                "lal-bench: --b-synthetic-slowdown takes a percentage in 0..1000, not "
                "'%s'\n",
                argv[i]);
        return 2;
      }
      b_given = 1;
    } else if (!strcmp(argv[i], "--synthetic-slowdown") && i + 1 < argc) {
      char *end;
      opts.synthetic_slowdown_pct = strtod(argv[++i], &end);
      if (*end || end == argv[i] ||
          !(opts.synthetic_slowdown_pct >= 0 && opts.synthetic_slowdown_pct <= 1000)) {
        fprintf(stderr, "lal-bench: --synthetic-slowdown takes a percentage in 0..1000, not '%s'\n",
                argv[i]);
        return 2;
      }
    } else if (!strcmp(argv[i], "--cpu") && i + 1 < argc) {
      char *end;
      long cpu = strtol(argv[++i], &end, 10);
      if (*end || end == argv[i] || cpu < 0 || cpu >= LAL_CPUSET_MAX) {
        fprintf(stderr, "lal-bench: --cpu takes a CPU number, not '%s'\n", argv[i]);
        return 2;
      }
      harness.cpu = (int)cpu;
    } else if (!strcmp(argv[i], "--cpus") && i + 1 < argc) {
      cpus_arg = argv[++i];
    } else if (!strcmp(argv[i], "--priority") && i + 1 < argc) {
      if ((harness.priority = priority_profile_parse(argv[++i])) < 0) {
        fprintf(stderr,
                "lal-bench: no priority profile '%s' (background, normal, interactive, "
                "audio, realtime)\n",
                argv[i]);
        return 2;
      }
    } else if (!strcmp(argv[i], "--lock")) {
      harness.lock = 1;
    } else if (!strcmp(argv[i], "--pm-qos") && i + 1 < argc) {
      char *end;
      long long us = strtoll(argv[++i], &end, 10);
      if (*end || end == argv[i] || us < 0 || us > (long long)LAL_PM_QOS_LATENCY_MAX_US) {
        fprintf(stderr, "lal-bench: --pm-qos takes a latency in us, 0..%u, not '%s'\n",
                LAL_PM_QOS_LATENCY_MAX_US, argv[i]);
        return 2;
      }
      harness.pm_qos = us;
    } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--version")) {
      printf("lal-bench %s (writes %s)\n", lal_version_string(), RESULT_SCHEMA);
      return 0;
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
      fprintf(stderr, "lal-bench: %s '%s'\n",
              argv[i][0] == '-' ? "unknown option, or one missing its value:" : "unexpected",
              argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (recover) {
    if (experiment || xo.apply || xo.revert || b_given) {
      fprintf(stderr, "lal-bench: --recover takes only the journal\n");
      return 2;
    }
    return experiment_recover(recover);
  }
  if (!experiment && (xo.apply || xo.revert || xo.journal || b_given)) {
    fprintf(stderr, "lal-bench: --apply, --revert, --journal and --b-* belong to --experiment\n");
    return 2;
  }
  char json_a[4096], json_b[4096];
  if (experiment) {
    if (!xo.apply != !xo.revert) {
      fprintf(stderr,
              "lal-bench: --experiment: %s without %s: a change lal cannot undo is never "
              "made\n",
              xo.apply ? "--apply" : "--revert", xo.apply ? "--revert" : "--apply");
      return 2;
    }
    if (!xo.apply && !b_given) {
      fprintf(stderr, "lal-bench: --experiment: nothing differs between A and B (give --apply "
                      "and --revert, or --b-priority/--b-cpu/--b-lock/--b-pm-qos)\n");
      return 2;
    }
    if (xo.b_lock && harness.lock) {
      fprintf(stderr, "lal-bench: --b-lock with --lock: both sides would be locked\n");
      return 2;
    }
    if (json_path && strcmp(json_path, "-") == 0) {
      fprintf(stderr, "lal-bench: --experiment writes two files: --json takes a prefix\n");
      return 2;
    }
    const char *prefix = json_path ? json_path : "lal-experiment";
    snprintf(json_a, sizeof json_a, "%s.a.json", prefix);
    snprintf(json_b, sizeof json_b, "%s.b.json", prefix);
    xo.json_a = json_a, xo.json_b = json_b;
    json_path = NULL; /* the sides write their own */
  }
  if (opts.quick)
    opts.duration_s = opts.duration_s < 1.0 ? opts.duration_s : 1.0;
  opts.rounds = rounds ? rounds : opts.quick ? BENCH_ROUNDS_QUICK : BENCH_ROUNDS_DEFAULT;
  if (!seed)
    seed = (unsigned long long)lal_mono_ns() ^ 0x9E3779B97F4A7C15ull;

  /* `--json -`: standard output is the JSON's before anything is printed. */
  FILE *json_file = NULL;
  int to_stdout = json_path && strcmp(json_path, "-") == 0;
  if (to_stdout && !(json_file = bench_os_take_stdout())) {
    fprintf(stderr, "lal-bench: cannot hand standard output to the JSON\n");
    return 1;
  }
  if (opts.quick)
    printf("lal-bench --quick: a smoke run (%d rounds of short workloads). Its tails (p99 and "
           "beyond) rest on few samples and most will read inconclusive; use a full run to "
           "judge a change.\n",
           opts.rounds);
  if (choose_cpus(&opts, &harness, cpus_arg) != 0)
    return 2;
  if (bench_harness_apply(&harness) != 0)
    return 2;
  /* The JSON goes to FILE.tmp and replaces FILE only once written in full:
   * an interrupted or failed run never leaves a truncated result under the
   * name a CI job reads. */
  char json_tmp[4096] = "";
  if (json_path && !to_stdout) {
    snprintf(json_tmp, sizeof json_tmp, "%s.tmp", json_path);
    snprintf(tmp_to_remove, sizeof tmp_to_remove, "%s", json_tmp);
    if (!(json_file = fopen(json_tmp, "w"))) {
      fprintf(stderr, "lal-bench: cannot write %s\n", json_tmp);
      return 1;
    }
  }
  doc_ctx doc = {&harness, &opts, argc, argv, "", "", 0, 0, seed, 0};
  bench_os_utc_now(doc.started, sizeof doc.started);
  bench_os_host_name(doc.host, sizeof doc.host);
  bench_os_load(&doc.load_before, &doc.psi_before);
  signal(SIGINT, on_stop);
  signal(SIGTERM, on_stop);
  bench_stop_flag = &stop_signal;
  workload chosen[N_WORKLOADS];
  size_t n_chosen = 0;
  for (size_t w = 0; w < N_WORKLOADS; w++)
    if ((!any_selected && strcmp(workloads[w].name, "synthetic") != 0) || selected[w])
      chosen[n_chosen++] = workloads[w];
  /* Each round gets its share of the time: the run takes as long as one
   * round of the whole duration would. */
  bench_opts per_round = opts;
  per_round.duration_s = opts.duration_s / opts.rounds;
  rounds_plan plan = {chosen, n_chosen, opts.rounds, seed, &stop_signal};
  if (experiment) {
    int rc = experiment_run(&xo, &plan, &per_round, write_side, &doc);
    bench_harness_release(&harness);
    if (rc == 130)
      fprintf(stderr, "lal-bench: stopped by %s: B reverted; the sides hold what completed\n",
              stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
    return rc;
  }
  json_writer jw;
  json_init(&jw, json_file ? json_file : bench_null_sink());
  json_object_begin(&jw, NULL);
  json_string(&jw, "schema", RESULT_SCHEMA);
  bench_fingerprint(&jw, &harness, &opts);
  json_array_begin(&jw, "results");
  int rounds_done = 0;
  int status = bench_run_rounds(&plan, &per_round, &jw, &rounds_done);
  json_array_end(&jw);
  doc.rounds_done = rounds_done;
  emit_run(&jw, &doc, NULL, NULL);
  json_object_end(&jw);
  json_finish(&jw);
  bench_harness_release(&harness);
  int write_failed = fflush(jw.out) != 0 || ferror(jw.out);
  write_failed |= fclose(jw.out) != 0;
  if (json_tmp[0]) {
    if (write_failed || bench_os_replace_file(json_tmp, json_path) != 0) {
      fprintf(stderr, "lal-bench: writing %s failed; nothing replaced\n", json_path);
      remove(json_tmp);
      return 1;
    }
  }
  if (stop_signal) {
    fprintf(stderr, "lal-bench: stopped by %s: %s holds the workloads that completed\n",
            stop_signal == SIGINT ? "SIGINT" : "SIGTERM", json_path ? json_path : "(no --json)");
    return 130;
  }
  return status;
}
