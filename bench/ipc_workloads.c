/* SPDX-License-Identifier: MIT */
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
  sh->ended = 1;
}

#define WARMUP 50

/* The two ways a series is measured. */
typedef struct ipc_mode {
  const char *workload, *unit;
  uint64_t gap_ns; /* 0: back-to-back round trips; else one-way times, the peer asleep this long */
  int quick_rounds, rounds_per_s, min_rounds;
} ipc_mode;

static const ipc_mode ping_pong = {"ctx_switch", "ns round trip (two wake-ups)", 0, 500, 1000, 100};
static const ipc_mode wake_after_sleep = {
    "process_wakeup", "ns signal -> peer running", 1000000, 100, 50, 20};

/* The responder: a process (bench_ipc_<os>.c) or a thread of this one. */
typedef struct ipc_peer {
  ipc_pair *pair;
  int cross_process, rounds;
  lal_thread *thread;
} ipc_peer;

static int responder_thread(void *arg) {
  ipc_peer *peer = arg;
  ipc_respond(peer->pair, peer->rounds);
  return 0;
}

static int peer_start(ipc_peer *peer, int cpu) {
  ipc_shared_of(peer->pair)->done = 0;
  if (peer->cross_process)
    return ipc_start_process(peer->pair, cpu, peer->rounds);
  return bench_thread_on(&peer->thread, cpu, responder_thread, peer) == LAL_OK ? 0 : -1;
}

/* A thread says it ended; a process that died cannot, so ask the OS too. */
static int peer_alive(ipc_peer *peer) {
  return !ipc_shared_of(peer->pair)->ended && ipc_process_alive(peer->pair);
}

/* Ends the peer and frees the pair; 0 if the peer completed every round. */
static int peer_finish(ipc_peer *peer) {
  if (peer->thread)
    lal_thread_join(peer->thread, NULL);
  int complete = ipc_shared_of(peer->pair)->done == peer->rounds;
  ipc_destroy(peer->pair);
  return complete ? 0 : -1;
}

/* A watchdog beside each series: if the peer ends before its rounds are done
 * (a process that could not map the shared block, a crash), the initiator
 * would wait on channel 1 forever. It looks every 50 ms and, after 1 s
 * without a round, asks whether the peer still lives; if not it signals
 * channel 1 itself so the initiator wakes and sees `broken`. Its 20 wake-ups
 * a second touch at most 20 of the 10^4-10^5 rounds a second measures (below
 * p99.9); a longer period would make every series wait longer for its end. */
typedef struct ipc_watch {
  ipc_peer *peer;
  volatile int stop, broken;
} ipc_watch;

static int watch_loop(void *arg) {
  ipc_watch *w = arg;
  ipc_shared *sh = ipc_shared_of(w->peer->pair);
  int32_t last = sh->done;
  uint64_t quiet_since = lal_now_ns();
  while (!w->stop) {
    lal_sleep_ns(50000000, 0);
    if (sh->done != last) {
      last = sh->done;
      quiet_since = lal_now_ns();
    } else if (lal_now_ns() - quiet_since > 1000000000u && !peer_alive(w->peer)) {
      w->broken = 1;
      while (!w->stop) { /* until the initiator has seen it */
        ipc_signal(w->peer->pair, 1);
        lal_sleep_ns(50000000, 0);
      }
    }
  }
  return 0;
}

/* One series into h: round trips (mode gap 0) or one-way times after a gap.
 * The initiator is the calling thread (pinned by the caller).
 * -1: this OS lacks the mechanism (reason says why); -2: the run broke. */
static int ipc_measure(const ipc_mode *m, ipc_kind kind, int cross_process, int peer_cpu,
                       int rounds, histogram *h, char *reason, size_t reason_len) {
  ipc_peer peer = {ipc_create(kind, cross_process, reason, reason_len), cross_process,
                   rounds + WARMUP, NULL};
  if (!peer.pair)
    return -1;
  const char *who = cross_process ? "process" : "thread";
  ipc_shared *sh = ipc_shared_of(peer.pair);
  sh->stamp = m->gap_ns != 0;
  if (peer_start(&peer, peer_cpu) != 0) {
    snprintf(reason, reason_len, "cannot start the peer %s", who);
    ipc_destroy(peer.pair);
    return -2;
  }
  ipc_watch watch = {&peer, 0, 0};
  lal_thread *watcher = NULL;
  lal_thread_create(&watcher, NULL, watch_loop, &watch);
  uint64_t next = lal_now_ns();
  for (int i = 0; i < peer.rounds && !watch.broken; i++) {
    if (m->gap_ns) { /* the peer sleeps a full gap, even after a late round */
      uint64_t now = lal_now_ns();
      next = next + m->gap_ns > now ? next + m->gap_ns : now + m->gap_ns;
      lal_sleep_until(next, 0);
    }
    /* The round trip is timed by this thread alone (lal_now_ns); a one-way
     * time compares with the peer's stamp, so both use the OS clock. */
    uint64_t t0 = lal_now_ns(), sent = m->gap_ns ? bench_os_clock_ns() : 0;
    ipc_signal(peer.pair, 0);
    ipc_wait(peer.pair, 1);
    uint64_t t1 = lal_now_ns();
    if (i < WARMUP || watch.broken)
      continue;
    if (m->gap_ns)
      hist_record(h, sh->wake_ns > sent ? sh->wake_ns - sent : 0);
    else
      hist_record(h, t1 - t0);
  }
  watch.stop = 1;
  if (watcher)
    lal_thread_join(watcher, NULL);
  if (peer_finish(&peer) != 0 || watch.broken) {
    snprintf(reason, reason_len, "the peer %s ended before its rounds were done", who);
    return -2;
  }
  return 0;
}

/* One series of mode m; its name says the mechanism, the peer and the
 * placement. 1 if it broke. */
static int ipc_series(const bench_opts *opts, json_writer *jw, const ipc_mode *m, ipc_kind kind,
                      int cross_process, int self_cpu, int peer_cpu, const char *placement) {
  histogram *h = malloc(sizeof *h);
  if (!h)
    return 1;
  hist_init(h);
  char series[96], reason[160] = "";
  if (m->gap_ns)
    snprintf(series, sizeof series, "peer %s, %s", cross_process ? "process" : "thread", placement);
  else
    snprintf(series, sizeof series, "%s, %s, %s", ipc_kind_name(kind),
             cross_process ? "processes" : "threads", placement);
  int rounds =
      opts->quick ? m->quick_rounds : m->min_rounds + (int)(opts->duration_s * m->rounds_per_s);
  int st = ipc_measure(m, kind, cross_process, peer_cpu, rounds, h, reason, sizeof reason);
  if (st == 0) {
    bench_print(series, "ns", h);
    bench_param params[] = {BENCH_TEXT("mechanism", ipc_kind_os_name(kind)),
                            BENCH_NUM("cpu", self_cpu), BENCH_NUM("peer_cpu", peer_cpu),
                            BENCH_NUM("rounds", rounds), BENCH_NUM("gap_ns", m->gap_ns)};
    bench_emit_series(jw, m->workload, series, m->unit, NULL, params, m->gap_ns ? 5 : 4, h);
  } else {
    /* An OS without the mechanism (WaitOnAddress across processes) is a
     * fact to report, not a failure; a run that broke is. */
    printf("  %-36s %s: %s\n", series, st == -1 ? "skipped" : "failed", reason);
  }
  free(h);
  return st == -2;
}

/* Every peer (thread, process) and placement (same core, other core) of one
 * kind, the calling thread pinned to the home CPU; restores its affinity. */
static int for_each_placement(const bench_opts *opts, json_writer *jw, const ipc_mode *m,
                              ipc_kind kind) {
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
      failed |= ipc_series(opts, jw, m, kind, cross_process, a, other ? b : a,
                           other ? "other core" : "same core");
    }
  lal_thread_set_affinity(&saved);
  return failed;
}

int wl_ctx_switch(const bench_opts *opts, json_writer *jw) {
  int failed = 0;
  printf("  (address wait = %s, event = %s, pipe = %s)\n", ipc_kind_os_name(IPC_FUTEX),
         ipc_kind_os_name(IPC_EVENT), ipc_kind_os_name(IPC_PIPE));
  for (int kind = IPC_FUTEX; kind <= IPC_PIPE; kind++)
    failed |= for_each_placement(opts, jw, &ping_pong, (ipc_kind)kind);
  return failed;
}

int wl_process_wakeup(const bench_opts *opts, json_writer *jw) {
  printf("  (%s; the peer sleeps 1 ms between wake-ups)\n", ipc_kind_os_name(IPC_EVENT));
  return for_each_placement(opts, jw, &wake_after_sleep, IPC_EVENT);
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
