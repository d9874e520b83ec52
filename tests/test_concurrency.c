/* SPDX-License-Identifier: MIT */
/*
 * Many threads at once, as an engine's job system calls lal: the lazy clock
 * initialisation raced by 8 threads, recalibration while others read the
 * clock and its info, and topology, placement, affinity, priority and
 * memory calls from every thread. Each thread checks what it got (the clock
 * never steps back, every call succeeds or says why); the linux-tsan preset
 * runs this under ThreadSanitizer, which reports any unordered access.
 */
#include <string.h>

#include "lal_test.h"

#define THREADS 8

typedef struct shared {
  volatile int go;
  volatile int stop;
  int failures;
  char what[THREADS][160];
} shared;

typedef struct worker {
  shared *s;
  int index;
} worker;

static int acquire_load(volatile int *p) { return LAL_TEST_LOAD_ACQUIRE(p); }
static void release_store(volatile int *p, int v) { LAL_TEST_STORE_RELEASE(p, v); }

#define CHECK(w, cond)                                                                             \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      snprintf((w)->s->what[(w)->index], sizeof(w)->s->what[0], "line %d: %s", __LINE__, #cond);   \
      return 1;                                                                                    \
    }                                                                                              \
  } while (0)

/* Every worker first reads the clock at the same moment: the first use
 * initialises it (a 20 ms calibration) while the others wait for it. */
static int clock_reader(void *arg) {
  worker *w = arg;
  while (!acquire_load(&w->s->go))
    ;
  uint64_t last = lal_now_ns();
  CHECK(w, last > 0);
  lal_clock_info info = LAL_CLOCK_INFO_INIT;
  while (!acquire_load(&w->s->stop)) {
    uint64_t now = lal_now_ns();
    CHECK(w, now >= last);
    last = now;
    CHECK(w, lal_clock_get_info(&info) == LAL_OK);
    CHECK(w, info.source == LAL_CLOCK_SOURCE_TSC || info.source == LAL_CLOCK_SOURCE_OS);
    CHECK(w, info.source != LAL_CLOCK_SOURCE_TSC || info.tsc_hz > 0);
  }
  return 0;
}

/* Recalibrates for as long as the readers run: at most once a second does it
 * publish new parameters, the other calls say LAL_EAGAIN. */
static int recalibrator(void *arg) {
  worker *w = arg;
  while (!acquire_load(&w->s->go))
    ;
  while (!acquire_load(&w->s->stop)) {
    int rc = lal_clock_recalibrate();
    CHECK(w, rc == LAL_OK || rc == LAL_EAGAIN || rc == LAL_ENOTSUP || rc == LAL_ERANGE);
    lal_sleep_ns(1000000, 0);
  }
  return 0;
}

/* Topology, placement, affinity, priority and memory, over and over. */
static int api_user(void *arg) {
  worker *w = arg;
  while (!acquire_load(&w->s->go))
    ;
  for (int round = 0; !acquire_load(&w->s->stop) || round < 3; round++) {
    lal_topology *t = NULL;
    int rc = lal_topology_load(&t);
    CHECK(w, rc == LAL_OK || rc == LAL_ENOTSUP);
    if (t) {
      lal_cpuset out[1];
      lal_place_req req = LAL_PLACE_REQ_INIT;
      req.threads = 1;
      CHECK(w, lal_place(t, &req, out, NULL) == LAL_OK);
      CHECK(w, lal_cpuset_count(&out[0]) > 0);
      lal_topology_free(t);
    }
    lal_cpuset mine;
    CHECK(w, lal_thread_get_affinity(&mine) == LAL_OK);
    CHECK(w, lal_thread_set_affinity(&mine) == LAL_OK);
    lal_priority_req p = LAL_PRIORITY_REQ_INIT;
    p.profile = LAL_PRIORITY_NORMAL;
    p.flags = LAL_PRIORITY_FALLBACK;
    CHECK(w, lal_thread_set_priority(&p, NULL) == LAL_OK);
    void *mem = NULL;
    lal_mem_info info = LAL_MEM_INFO_INIT;
    CHECK(w, lal_mem_alloc(65536, NULL, &mem, &info) == LAL_OK);
    CHECK(w, lal_mem_prefault(mem, 65536) == LAL_OK);
    CHECK(w, lal_mem_query(mem, &info) == LAL_OK);
    CHECK(w, lal_mem_free(mem, 65536) == LAL_OK);
    CHECK(w, lal_current_cpu() >= 0 || lal_current_cpu() == LAL_ENOTSUP);
  }
  return 0;
}

static void many_threads_share_the_library(void **state) {
  (void)state;
  shared s;
  memset(&s, 0, sizeof s);
  worker w[THREADS];
  lal_thread *t[THREADS];
  for (int i = 0; i < THREADS; i++) {
    w[i].s = &s;
    w[i].index = i;
    lal_thread_fn fn = i < 4 ? clock_reader : i == 4 ? recalibrator : api_user;
    assert_status(LAL_OK, lal_thread_create(&t[i], NULL, fn, &w[i]));
  }
  release_store(&s.go, 1);
  /* Long enough for one recalibration to publish (it waits a second after
   * the calibration at initialisation). Not a timing assertion. */
  uint64_t end = lal_mono_ns() + 1500000000u;
  while (lal_mono_ns() < end)
    lal_sleep_ns(10000000, 0);
  release_store(&s.stop, 1);
  int failed = 0;
  for (int i = 0; i < THREADS; i++) {
    int ret = -1;
    assert_status(LAL_OK, lal_thread_join(t[i], &ret));
    if (ret != 0) {
      printf("thread %d: %s\n", i, s.what[i]);
      failed++;
    }
  }
  assert_int_equal(failed, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(many_threads_share_the_library),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
