/*
 * Wake-up workloads between threads and processes, the same code on both
 * OSes (the mechanisms are in bench_ipc_<os>.c):
 *   ctx_switch      ping-pong through futex/WaitOnAddress, event, pipe; the
 *                   peer a thread or a process, on the same core or another;
 *                   one round trip = two wake-ups and (same core) two switches
 *   process_wakeup  a peer asleep on an event for 1 ms is woken: time from
 *                   signalling to the peer running, peer thread vs process
 *   signal          SIGUSR1 / user APC to a blocked thread: send -> handler
 * Round trips are timed with lal_now_ns by the initiator. A one-way time
 * compares a stamp taken in the peer with one taken here, so both use the OS
 * monotonic clock (bench_os_clock_ns), which every process shares: lal_now_ns
 * is calibrated per process (a Windows peer is a new process), and two
 * calibrations a minute apart can disagree by microseconds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_ipc.h"
#include "bench_os.h"
#include "lal.h"

const char *ipc_kind_name(ipc_kind kind) {
  return kind == IPC_FUTEX ? "address wait" : kind == IPC_EVENT ? "event" : "pipe";
}

void ipc_respond(ipc_pair *p, int rounds) {
  ipc_shared *sh = ipc_shared_of(p);
  for (int i = 0; i < rounds; i++) {
    ipc_wait(p, 0);
    if (sh->stamp) /* only for one-way times: the read is in a round trip's path */
      sh->wake_ns = bench_os_clock_ns();
    sh->done = i + 1;
    ipc_signal(p, 1);
  }
}

#define WARMUP 50

typedef struct ipc_run {
  ipc_kind kind;
  int cross_process, peer_cpu, rounds;
  uint64_t gap_ns; /* > 0: sleep this long before each round (peer asleep) */
  histogram *round_trip, *one_way;
} ipc_run;

/* A watchdog beside each series: if the peer ends before its rounds are done
 * (a process that could not map the shared block, a crash), the initiator
 * would wait on channel 1 forever. It looks every 50 ms and, after 1 s
 * without a round, asks whether the peer still lives; if not it signals
 * channel 1 itself so the initiator wakes and sees `broken`. Its 20 wake-ups
 * a second touch at most 20 of the 10^4-10^5 rounds a second measures (below
 * p99.9); a longer period would make every series wait longer for its end. */
typedef struct ipc_watch {
  ipc_pair *pair;
  volatile int stop, broken;
} ipc_watch;

static int watch_loop(void *arg) {
  ipc_watch *w = arg;
  ipc_shared *sh = ipc_shared_of(w->pair);
  int32_t last = sh->done;
  uint64_t quiet_since = lal_now_ns();
  while (!w->stop) {
    lal_sleep_ns(50000000, 0);
    if (sh->done != last) {
      last = sh->done;
      quiet_since = lal_now_ns();
    } else if (lal_now_ns() - quiet_since > 1000000000u && !ipc_peer_alive(w->pair)) {
      w->broken = 1;
      while (!w->stop) { /* until the initiator has seen it */
        ipc_signal(w->pair, 1);
        lal_sleep_ns(50000000, 0);
      }
    }
  }
  return 0;
}

/* One series: the initiator is the calling thread (pinned by the caller).
 * -1: this OS lacks the mechanism (reason says why); -2: the run broke. */
static int ipc_measure(const ipc_run *r, char *reason, size_t reason_len) {
  ipc_pair *p = ipc_create(r->kind, r->cross_process, reason, reason_len);
  if (!p)
    return -1;
  ipc_shared *sh = ipc_shared_of(p);
  sh->stamp = r->one_way != NULL;
  if (ipc_start(p, r->peer_cpu, r->rounds + WARMUP) != 0) {
    snprintf(reason, reason_len, "cannot start the peer %s",
             r->cross_process ? "process" : "thread");
    ipc_finish(p);
    return -2;
  }
  ipc_watch watch = {p, 0, 0};
  lal_thread *watcher = NULL;
  lal_thread_create(&watcher, NULL, watch_loop, &watch);
  uint64_t next = lal_now_ns();
  for (int i = 0; i < r->rounds + WARMUP && !watch.broken; i++) {
    if (r->gap_ns) { /* the peer sleeps a full gap, even after a late round */
      uint64_t now = lal_now_ns();
      next = next + r->gap_ns > now ? next + r->gap_ns : now + r->gap_ns;
      lal_sleep_until(next, 0);
    }
    /* The round trip is timed by this thread alone (lal_now_ns); a one-way
     * time compares with the peer's stamp, so both use the OS clock. */
    uint64_t t0 = lal_now_ns(), sent = r->one_way ? bench_os_clock_ns() : 0;
    ipc_signal(p, 0);
    ipc_wait(p, 1);
    uint64_t t1 = lal_now_ns();
    if (i < WARMUP || watch.broken)
      continue;
    if (r->round_trip)
      hist_record(r->round_trip, t1 - t0);
    if (r->one_way)
      hist_record(r->one_way, sh->wake_ns > sent ? sh->wake_ns - sent : 0);
  }
  watch.stop = 1;
  if (watcher)
    lal_thread_join(watcher, NULL);
  int broken = watch.broken;
  if (ipc_finish(p) != 0 || broken) {
    snprintf(reason, reason_len, "the peer %s ended before its rounds were done",
             r->cross_process ? "process" : "thread");
    return -2;
  }
  return 0;
}

typedef int (*series_fn)(const bench_opts *opts, json_writer *jw, int kind, int cross_process,
                         int self_cpu, int peer_cpu, const char *placement);

/* Runs fn for every peer (thread, process) and placement (same core, other
 * core) with the calling thread pinned to the home CPU; restores its affinity. */
static int for_each_placement(const bench_opts *opts, json_writer *jw, int kind, series_fn fn) {
  int a, b, failed = 0;
  bench_two_cpus(opts, &a, &b);
  lal_cpuset saved, pin;
  lal_thread_get_affinity(&saved);
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, a);
  lal_thread_set_affinity(&pin);
  for (int cross_process = 0; cross_process < 2; cross_process++)
    for (int other = 0; other < 2; other++) {
      if (other && b < 0) {
        printf("  %s, other core: skipped: one CPU to use (the process affinity, or --cpus)\n",
               cross_process ? "process" : "thread");
        continue;
      }
      failed |=
          fn(opts, jw, kind, cross_process, a, other ? b : a, other ? "other core" : "same core");
    }
  lal_thread_set_affinity(&saved);
  return failed;
}

static int ctx_series(const bench_opts *opts, json_writer *jw, int kind, int cross_process,
                      int self_cpu, int peer_cpu, const char *placement) {
  histogram *h = malloc(sizeof *h);
  if (!h)
    return 1;
  hist_init(h);
  char series[96], reason[160] = "";
  snprintf(series, sizeof series, "%s, %s, %s", ipc_kind_name((ipc_kind)kind),
           cross_process ? "processes" : "threads", placement);
  ipc_run r = {(ipc_kind)kind, cross_process, peer_cpu, 0, 0, h, NULL};
  r.rounds = opts->quick ? 500 : 100 + (int)(opts->duration_s * 1000);
  int st = ipc_measure(&r, reason, sizeof reason);
  if (st == 0) {
    bench_print(series, "ns", h);
    bench_param params[] = {BENCH_TEXT("mechanism", ipc_kind_os_name((ipc_kind)kind)),
                            BENCH_NUM("cpu", self_cpu), BENCH_NUM("peer_cpu", peer_cpu),
                            BENCH_NUM("rounds", r.rounds)};
    bench_emit_series(jw, "ctx_switch", series, "ns round trip (two wake-ups)", NULL, params, 4, h);
  } else {
    /* An OS without the mechanism (WaitOnAddress across processes) is a
     * fact to report, not a failure; a run that broke is. */
    printf("  %-36s %s: %s\n", series, st == -1 ? "skipped" : "failed", reason);
  }
  free(h);
  return st == -2;
}

int wl_ctx_switch(const bench_opts *opts, json_writer *jw) {
  int failed = 0;
  printf("  (address wait = %s, event = %s, pipe = %s)\n", ipc_kind_os_name(IPC_FUTEX),
         ipc_kind_os_name(IPC_EVENT), ipc_kind_os_name(IPC_PIPE));
  for (int kind = IPC_FUTEX; kind <= IPC_PIPE; kind++)
    failed |= for_each_placement(opts, jw, kind, ctx_series);
  return failed;
}

static int wakeup_series(const bench_opts *opts, json_writer *jw, int kind, int cross_process,
                         int self_cpu, int peer_cpu, const char *placement) {
  histogram *h = malloc(sizeof *h);
  if (!h)
    return 1;
  hist_init(h);
  char series[96], reason[160] = "";
  snprintf(series, sizeof series, "peer %s, %s", cross_process ? "process" : "thread", placement);
  ipc_run r = {(ipc_kind)kind, cross_process, peer_cpu, 0, 1000000, NULL, h};
  r.rounds = opts->quick ? 100 : 20 + (int)(opts->duration_s * 50);
  int failed = 0;
  if (ipc_measure(&r, reason, sizeof reason) == 0) {
    bench_print(series, "ns", h);
    bench_param params[] = {BENCH_TEXT("mechanism", ipc_kind_os_name((ipc_kind)kind)),
                            BENCH_NUM("cpu", self_cpu), BENCH_NUM("peer_cpu", peer_cpu),
                            BENCH_NUM("gap_ns", r.gap_ns), BENCH_NUM("rounds", r.rounds)};
    bench_emit_series(jw, "process_wakeup", series, "ns signal -> peer running", NULL, params, 5,
                      h);
  } else {
    printf("  %-36s failed: %s\n", series, reason);
    failed = 1;
  }
  free(h);
  return failed;
}

int wl_process_wakeup(const bench_opts *opts, json_writer *jw) {
  printf("  (%s; the peer sleeps 1 ms between wake-ups)\n", ipc_kind_os_name(IPC_EVENT));
  return for_each_placement(opts, jw, IPC_EVENT, wakeup_series);
}

static int signal_series(const bench_opts *opts, json_writer *jw, int self_cpu, int target_cpu,
                         const char *placement) {
  static volatile uint64_t stamp;
  histogram *h = malloc(sizeof *h);
  ipc_alert *a = h ? ipc_alert_start(target_cpu, &stamp) : NULL;
  if (!a) {
    printf("  %s: cannot start the target thread\n", placement);
    free(h);
    return 1;
  }
  hist_init(h);
  int rounds = opts->quick ? 200 : 20 + (int)(opts->duration_s * 200), failed = 0;
  /* On the same core the target needs this CPU to run the handler: wait by
   * sleeping, since a yield does not make room for it if this thread has a
   * realtime priority (--priority) and the target has not. */
  int same_core = self_cpu == target_cpu;
  for (int i = 0; i < rounds + WARMUP && !failed; i++) {
    lal_sleep_ns(100000, 0); /* the target is back asleep */
    stamp = 0;
    uint64_t t0 = lal_now_ns();
    if (ipc_alert_send(a) != 0) {
      failed = 1;
      break;
    }
    while (!stamp) {
      if (lal_now_ns() - t0 > 1000000000u) {
        printf("  %s: no delivery within 1 s\n", placement);
        failed = 1;
        break;
      }
      if (same_core)
        lal_sleep_ns(10000, 0);
      else
        bench_os_yield();
    }
    if (i >= WARMUP && !failed)
      hist_record(h, stamp - t0);
  }
  ipc_alert_stop(a);
  if (!failed) {
    char series[64];
    snprintf(series, sizeof series, "blocked target, %s", placement);
    bench_print(series, "ns", h);
    bench_param params[] = {BENCH_TEXT("mechanism", ipc_alert_name()), BENCH_NUM("cpu", self_cpu),
                            BENCH_NUM("target_cpu", target_cpu), BENCH_NUM("rounds", rounds)};
    bench_emit_series(jw, "signal", series, "ns send -> handler running", NULL, params, 4, h);
  }
  free(h);
  return failed;
}

int wl_signal(const bench_opts *opts, json_writer *jw) {
  int a, b;
  bench_two_cpus(opts, &a, &b);
  printf("  (%s)\n", ipc_alert_name());
  lal_cpuset saved, pin;
  lal_thread_get_affinity(&saved);
  lal_cpuset_zero(&pin);
  lal_cpuset_set(&pin, a);
  lal_thread_set_affinity(&pin);
  int failed = signal_series(opts, jw, a, a, "same core");
  if (b >= 0)
    failed |= signal_series(opts, jw, a, b, "other core");
  lal_thread_set_affinity(&saved);
  return failed;
}
