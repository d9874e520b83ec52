/* SPDX-License-Identifier: MIT */
/* Shared pieces of lal-bench's workloads. */
#ifndef LAL_BENCH_BENCH_H
#define LAL_BENCH_BENCH_H

#include <signal.h>

#include "histogram.h"
#include "json_writer.h"
#include "lal.h"

typedef struct bench_opts {
  double duration_s;  /* per timed workload and round (--duration / --rounds) */
  int rounds;         /* how many times each workload runs (rounds.h) */
  int quick;          /* CI smoke: short runs */
  lal_cpuset allowed; /* the CPUs the process could use at start (before --cpu) */
  int home_cpu;       /* --cpu, else the first allowed CPU: where measuring threads run */
  double synthetic_slowdown_pct; /* --synthetic-slowdown: the synthetic workload's regression */
} bench_opts;

/* A fixed time budget's share of one round, in seconds: total / rounds, at
 * least min (a budget per mode or per page-size setup). */
double bench_share_s(const bench_opts *opts, double total_s, double min_s);
/* 1 once SIGINT/SIGTERM asked the run to stop: the long timed loops end
 * early (what they measured so far is kept), so a stop takes a moment, not
 * the rest of the round. lal_bench.c points it at its flag. */
extern volatile sig_atomic_t *bench_stop_flag;
static inline int bench_stopping(void) { return bench_stop_flag && *bench_stop_flag; }
/* A fixed-size workload's share of one round: n / rounds, at least min, so a
 * run's total work does not grow with --rounds. */
int bench_share(const bench_opts *opts, int n, int min);
/* The home CPU and another allowed one (-1 if there is none). */
void bench_two_cpus(const bench_opts *opts, int *home, int *other);
/* Starts fn(arg) in a thread pinned to cpu; LAL_OK or lal_thread_create's status. */
int bench_thread_on(lal_thread **t, int cpu, lal_thread_fn fn, void *arg);

typedef struct workload {
  const char *name;
  const char *description;
  int (*run)(const bench_opts *opts, json_writer *jw);
} workload;

int wl_clock_read(const bench_opts *opts, json_writer *jw);
int wl_clock_accuracy(const bench_opts *opts, json_writer *jw);
int wl_sleep(const bench_opts *opts, json_writer *jw);
int wl_sleep_cost(const bench_opts *opts, json_writer *jw);
int wl_pacer(const bench_opts *opts, json_writer *jw);
int wl_sched_calls(const bench_opts *opts, json_writer *jw);
int wl_page_fault(const bench_opts *opts, json_writer *jw);
int wl_syscall(const bench_opts *opts, json_writer *jw);
int wl_wakeup(const bench_opts *opts, json_writer *jw);
int wl_jitter(const bench_opts *opts, json_writer *jw);
int wl_wakeup_contended(const bench_opts *opts, json_writer *jw);
int wl_harness(const bench_opts *opts, json_writer *jw);
int wl_tlb_walk(const bench_opts *opts, json_writer *jw);
int wl_ctx_switch(const bench_opts *opts, json_writer *jw);
int wl_process_wakeup(const bench_opts *opts, json_writer *jw);
int wl_signal(const bench_opts *opts, json_writer *jw);
int wl_core_to_core(const bench_opts *opts, json_writer *jw);
int wl_synthetic(const bench_opts *opts, json_writer *jw);
#ifdef LAL_HAVE_CGROUP
int wl_cgroup_wakeup(const bench_opts *opts, json_writer *jw);
#endif
#ifdef LAL_HAVE_URING
int wl_uring_pingpong(const bench_opts *opts, json_writer *jw);
#endif
#ifdef LAL_HAVE_XDP
int wl_xdp_pingpong(const bench_opts *opts, json_writer *jw);
#endif

/* The measuring thread's setup (--cpu, --priority, --lock) and what it obtained. */
typedef struct bench_harness {
  int cpu;          /* -1: leave the affinity */
  int priority;     /* LAL_PRIORITY_* profile, 0: leave it */
  int lock;         /* lock current and future memory */
  long long pm_qos; /* --pm-qos US: hold this CPU latency limit for the run; -1: none */
  lal_pm_qos *qos;  /* the held request (released by bench_harness_release) */
  char cpu_got[32], priority_got[448], lock_got[288], pm_qos_got[224];
} bench_harness;
/* Applies it to the calling thread and prints it; 2 when --cpu is refused
 * (bad input), else 0 (priority and lock degrade and say so). */
int bench_harness_apply(bench_harness *h);
void bench_harness_json(json_writer *jw, const bench_harness *h);
/* Releases what the harness holds for the run (the PM QoS request). */
void bench_harness_release(bench_harness *h);

/* The environment fingerprint object ("env"): the machine, the OS, the clock,
 * the topology, the run's options, the harness, and every `lal doctor` finding that is a setting
 * (not a load reading), as "tuning_<check>": "<status>: <value>". */
void bench_fingerprint(json_writer *jw, const bench_harness *h, const bench_opts *opts);
/* One result: {"workload", "series", "params"..., histogram summary, buckets}. */
void bench_emit(json_writer *jw, const char *workload_name, const char *series, const char *unit,
                const histogram *h);
/* A parameter of a series: a number, or text when text is not NULL. */
typedef struct bench_param {
  const char *key;
  const char *text;
  long long number;
} bench_param;
#define BENCH_NUM(k, v)                                                                            \
  { (k), NULL, (long long)(v) }
#define BENCH_TEXT(k, v)                                                                           \
  { (k), (v), 0 }
/* The same with the series' parameters ("params": CPUs, interval, rounds,
 * mechanism) and "obtained": what its thread actually got (the priority a
 * profile obtained), which may differ between OSes and machines (NULL: none). */
void bench_emit_series(json_writer *jw, const char *workload_name, const char *series,
                       const char *unit, const char *obtained, const bench_param *params,
                       int nparams, const histogram *h);
/* What a series may carry beyond its distribution. */
struct bench_where;
/* cyclictest's loop on the calling thread: absolute sleeps every period_ns;
 * past the first 10 (warm-up) each lateness goes to h and its CPU to where;
 * a thread that fell behind starts again from now, as cyclictest does. */
void bench_periodic_wakeups(int iterations, uint64_t period_ns, histogram *h,
                            struct bench_where *where);
typedef struct bench_extra {
  const struct bench_where *where; /* "ran_on": where the thread woke (where.h); NULL: none */
  double cpu_pct; /* "cpu_pct": CPU time / wall time of the measured calls; < 0: none */
} bench_extra;
/* bench_emit_series with extras (NULL: none). */
void bench_emit_series_ex(json_writer *jw, const char *workload_name, const char *series,
                          const char *unit, const char *obtained, const bench_param *params,
                          int nparams, const histogram *h, const bench_extra *extra);
/* A FILE that discards what is written (JSON when no --json is given). */
#include <stdio.h>
FILE *bench_null_sink(void);
/* One line: series p50 p90 p99 p99.9 max (ns). */
void bench_print(const char *series, const char *unit, const histogram *h);

#endif
