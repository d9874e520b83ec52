/* SPDX-License-Identifier: MIT */
/*
 * A game frame loop as an engine would set one up with lal:
 *   - the render thread at the INTERACTIVE profile, paced at 60 Hz
 *     (16.6 ms) on absolute deadlines with precise sleep, so frames neither
 *     drift nor wake a timer tick late;
 *   - a worker pool placed one thread per physical core (lal_place), away
 *     from the render thread's core, each worker taking its share of every
 *     frame's jobs.
 * It prints the frame lateness and how long the workers took per frame.
 * Usage: frame_loop [frames] [workers]   (default 120 frames, up to 3 workers)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lal.h>

#define FRAME_NS 16666667u
#define JOBS_PER_FRAME 64
#define MAX_WORKERS 64

/* The frame counter the render thread publishes and the jobs done, shared
 * with the workers through C11-style atomics (GCC/clang builtins). */
typedef struct frame_state {
  volatile unsigned long frame; /* workers run frame n's jobs once it is n */
  volatile unsigned long done;  /* jobs finished, all frames */
  volatile int quit;
  int workers;
  double sink[MAX_WORKERS];
} frame_state;

#if defined(_MSC_VER) && !defined(__clang__)
#  include <intrin.h>
#  define LOAD(p) (*(p))
#  define STORE(p, v) (*(p) = (v))
#  define ADD(p, v) _InterlockedExchangeAdd((volatile long *)(p), (long)(v))
#else
#  define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#  define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#  define ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#endif

typedef struct worker {
  frame_state *s;
  int index;
} worker;

/* A job: some arithmetic standing for animation, physics or culling. */
static double job(unsigned long frame, int j) {
  double x = (double)(frame * JOBS_PER_FRAME + (unsigned long)j);
  for (int i = 0; i < 2000; i++)
    x = x * 0.999 + 1.0;
  return x;
}

static int worker_main(void *arg) {
  worker *w = arg;
  frame_state *s = w->s;
  unsigned long seen = 0;
  while (!LOAD(&s->quit)) {
    unsigned long f = LOAD(&s->frame);
    if (f == seen) {
      lal_sleep_ns(100000, 0); /* idle until the next frame: 0.1 ms */
      continue;
    }
    seen = f;
    for (int j = w->index; j < JOBS_PER_FRAME; j += s->workers)
      s->sink[w->index] += job(f, j);
    ADD(&s->done, (unsigned long)((JOBS_PER_FRAME - w->index + s->workers - 1) / s->workers));
  }
  return 0;
}

int main(int argc, char **argv) {
  unsigned long frames = argc > 1 ? strtoul(argv[1], NULL, 10) : 120;
  int want = argc > 2 ? atoi(argv[2]) : 3;
  if (frames == 0 || frames > 1000000 || want < 1 || want > MAX_WORKERS) {
    fprintf(stderr, "usage: frame_loop [frames 1..1000000] [workers 1..%d]\n", MAX_WORKERS);
    return 2;
  }
  /* The render thread (this one) keeps the CPU it runs on; the workers go
   * one per core elsewhere, as many as the machine has room for. */
  int render_cpu = lal_current_cpu();
  lal_cpuset avoid, placed[MAX_WORKERS];
  lal_cpuset_zero(&avoid);
  if (render_cpu >= 0)
    lal_cpuset_set(&avoid, render_cpu);
  lal_topology *topo = NULL;
  int workers = want, pinned = 0;
  if (lal_topology_load(&topo) == LAL_OK) {
    for (; workers >= 1 && !pinned; workers--) {
      lal_place_req req = LAL_PLACE_REQ_INIT;
      req.threads = workers;
      req.flags = LAL_PLACE_ONE_PER_CORE | LAL_PLACE_PREFER_FAST;
      req.exclude = &avoid;
      pinned = lal_place(topo, &req, placed, NULL) == LAL_OK;
      if (pinned)
        break;
    }
    lal_topology_free(topo);
  }
  if (!pinned)
    workers = want < 2 ? want : 2; /* a small machine: unpinned workers */
  if (workers < 1)
    workers = 1;

  frame_state s;
  memset(&s, 0, sizeof s);
  s.workers = workers;
  worker w[MAX_WORKERS];
  lal_thread *t[MAX_WORKERS];
  for (int i = 0; i < workers; i++) {
    w[i].s = &s;
    w[i].index = i;
    lal_thread_attr attr = LAL_THREAD_ATTR_INIT;
    attr.name = "worker";
    attr.affinity = pinned ? &placed[i] : NULL;
    attr.flags = LAL_THREAD_FALLBACK;
    int rc = lal_thread_create(&t[i], &attr, worker_main, &w[i]);
    if (rc != LAL_OK) {
      fprintf(stderr, "worker %d: %s\n", i, lal_strerror(rc));
      return 1;
    }
  }

  lal_priority_req prio = LAL_PRIORITY_REQ_INIT;
  prio.profile = LAL_PRIORITY_INTERACTIVE;
  prio.flags = LAL_PRIORITY_FALLBACK;
  lal_priority_result got = LAL_PRIORITY_RESULT_INIT;
  lal_thread_set_priority(&prio, &got);
  printf("render thread: CPU %d, %s; %d worker%s %s\n", render_cpu,
         got.reason[0] ? got.reason : "INTERACTIVE", workers, workers == 1 ? "" : "s",
         pinned ? "one per core" : "unpinned (no room for one per core)");

  lal_pacer pacer;
  if (lal_pacer_init(&pacer, FRAME_NS, LAL_PACER_PRECISE) != LAL_OK)
    return 1;
  uint64_t work_ns_max = 0, work_ns_sum = 0;
  for (unsigned long f = 1; f <= frames; f++) {
    lal_pacer_wait(&pacer, NULL);
    uint64_t t0 = lal_now_ns();
    STORE(&s.frame, f); /* kick the frame's jobs */
    while (LOAD(&s.done) < f * JOBS_PER_FRAME)
      ; /* the render thread waits for its jobs (an engine would record commands) */
    uint64_t took = lal_now_ns() - t0;
    work_ns_sum += took;
    if (took > work_ns_max)
      work_ns_max = took;
  }
  STORE(&s.quit, 1);
  for (int i = 0; i < workers; i++)
    lal_thread_join(t[i], NULL);
  lal_pacer_stats st = LAL_PACER_STATS_INIT;
  lal_pacer_get_stats(&pacer, &st);
  printf("%lu frames at 60 Hz: %llu missed; frame start lateness mean %llu ns, p99 <= %llu ns; "
         "jobs per frame %.2f ms mean, %.2f ms max\n",
         frames, (unsigned long long)st.missed, (unsigned long long)st.late_mean_ns,
         (unsigned long long)st.late_p99_ns, (double)work_ns_sum / (double)frames / 1e6,
         (double)work_ns_max / 1e6);
  return LOAD(&s.done) == frames * JOBS_PER_FRAME ? 0 : 1;
}
