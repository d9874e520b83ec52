/* SPDX-License-Identifier: MIT */
/*
 * The size-prefixed input structs as callers built against other versions of
 * lal pass them: an older caller's struct, one field short, gets that field's
 * default (whatever garbage lies past its size is never read); a newer
 * caller's larger struct is accepted when the fields lal does not know are
 * zero, and refused with LAL_EINVAL, nothing changed, when they are not.
 */
#include <string.h>

#include "lal_test.h"

#define TAIL 16

/* A newer caller's struct: ours, then fields this lal does not know. */
#define NEWER(type)                                                                                \
  struct {                                                                                         \
    type known;                                                                                    \
    unsigned char tail[TAIL];                                                                      \
  }

static void init_opts_of_every_size(void **state) {
  (void)state;
  lal_init_opts o = LAL_INIT_OPTS_INIT;
  o.size = sizeof(size_t); /* no field at all: below the minimum */
  assert_status(LAL_EINVAL, lal_init(&o));
  NEWER(lal_init_opts) newer;
  memset(&newer, 0, sizeof newer);
  newer.known.size = sizeof newer;
  assert_status(LAL_OK, lal_init(&newer.known));
  newer.tail[TAIL - 1] = 1;
  assert_status(LAL_EINVAL, lal_init(&newer.known));
}

static void mem_opts_of_every_size(void **state) {
  (void)state;
  /* Older: no numa_node; the garbage there must read as the default (-1). */
  lal_mem_opts older = LAL_MEM_OPTS_INIT;
  older.size = offsetof(lal_mem_opts, numa_node);
  older.numa_node = -7;
  void *p = NULL;
  lal_mem_info info = LAL_MEM_INFO_INIT;
  assert_status(LAL_OK, lal_mem_alloc(4096, &older, &p, &info));
  assert_status(LAL_OK, lal_mem_free(p, 4096));
  NEWER(lal_mem_opts) newer;
  memset(&newer, 0, sizeof newer);
  lal_mem_opts defaults = LAL_MEM_OPTS_INIT;
  newer.known = defaults;
  newer.known.size = sizeof newer;
  assert_status(LAL_OK, lal_mem_alloc(4096, &newer.known, &p, NULL));
  assert_status(LAL_OK, lal_mem_free(p, 4096));
  newer.tail[3] = 0x80;
  p = (void *)0x1;
  assert_status(LAL_EINVAL, lal_mem_alloc(4096, &newer.known, &p, NULL));
  assert_true(p == (void *)0x1); /* nothing mapped, nothing written */
}

static void place_req_of_every_size(void **state) {
  (void)state;
  lal_topology *t = NULL;
  int rc = lal_topology_load(&t);
  if (rc == LAL_ENOTSUP)
    LAL_SKIP("this build has no topology source (no hwloc)");
  assert_status(LAL_OK, rc);
  /* Older: no exclude; a wild pointer there must not be followed. */
  lal_place_req older = LAL_PLACE_REQ_INIT;
  older.size = offsetof(lal_place_req, exclude);
  older.threads = 1;
  older.exclude = (const lal_cpuset *)(uintptr_t)0x10;
  lal_cpuset out[1];
  assert_status(LAL_OK, lal_place(t, &older, out, NULL));
  assert_int_equal(lal_cpuset_count(&out[0]), 1);
  NEWER(lal_place_req) newer;
  memset(&newer, 0, sizeof newer);
  newer.known.size = sizeof newer;
  newer.known.threads = 1;
  assert_status(LAL_OK, lal_place(t, &newer.known, out, NULL));
  newer.tail[0] = 1;
  lal_cpuset_zero(&out[0]);
  assert_status(LAL_EINVAL, lal_place(t, &newer.known, out, NULL));
  assert_int_equal(lal_cpuset_count(&out[0]), 0);
  lal_topology_free(t);
}

static void priority_req_of_every_size(void **state) {
  (void)state;
  lal_thread_state saved;
  assert_status(LAL_OK, lal_thread_state_save(&saved));
  /* Older: no mmcss_task; an unterminated one there must not be read. */
  lal_priority_req older = LAL_PRIORITY_REQ_INIT;
  older.size = offsetof(lal_priority_req, mmcss_task);
  older.profile = LAL_PRIORITY_NORMAL;
  memset(older.mmcss_task, 'x', sizeof older.mmcss_task);
  lal_priority_result res = LAL_PRIORITY_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_set_priority(&older, &res));
  NEWER(lal_priority_req) newer;
  memset(&newer, 0, sizeof newer);
  newer.known.size = sizeof newer;
  newer.known.profile = LAL_PRIORITY_NORMAL;
  assert_status(LAL_OK, lal_thread_set_priority(&newer.known, &res));
  newer.known.profile = LAL_PRIORITY_BACKGROUND; /* would change something */
  newer.tail[TAIL / 2] = 2;
  lal_priority_result before = LAL_PRIORITY_RESULT_INIT, after = LAL_PRIORITY_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_get_priority(&before));
  assert_status(LAL_EINVAL, lal_thread_set_priority(&newer.known, &res));
  assert_status(LAL_OK, lal_thread_get_priority(&after));
  assert_int_equal(before.policy, after.policy);
  assert_int_equal(before.nice, after.nice);
  assert_int_equal(before.win_thread_priority, after.win_thread_priority);
  lal_thread_state_restore(&saved);
}

static int ran;
static int mark_ran(void *arg) {
  (void)arg;
  ran = 1;
  return 0;
}

static void thread_attr_of_every_size(void **state) {
  (void)state;
  /* Older: no stack_prefault; SIZE_MAX there (an impossible prefault) must
   * read as 0. And its priority request is itself an older one. */
  lal_priority_req prio = LAL_PRIORITY_REQ_INIT;
  prio.size = offsetof(lal_priority_req, mmcss_task);
  memset(prio.mmcss_task, 'y', sizeof prio.mmcss_task);
  lal_thread_attr older = LAL_THREAD_ATTR_INIT;
  older.size = offsetof(lal_thread_attr, stack_prefault);
  older.stack_prefault = SIZE_MAX;
  older.priority = &prio;
  lal_thread *t = NULL;
  ran = 0;
  assert_status(LAL_OK, lal_thread_create(&t, &older, mark_ran, NULL));
  lal_thread_result r = LAL_THREAD_RESULT_INIT;
  assert_status(LAL_OK, lal_thread_get_result(t, &r));
  assert_status(LAL_OK, r.prefault_status);
  assert_status(LAL_OK, r.priority_status);
  assert_status(LAL_OK, lal_thread_join(t, NULL));
  assert_int_equal(ran, 1);
  NEWER(lal_thread_attr) newer;
  memset(&newer, 0, sizeof newer);
  newer.known.size = sizeof newer;
  ran = 0;
  assert_status(LAL_OK, lal_thread_create(&t, &newer.known, mark_ran, NULL));
  assert_status(LAL_OK, lal_thread_join(t, NULL));
  assert_int_equal(ran, 1);
  newer.tail[TAIL - 1] = 9;
  ran = 0;
  t = NULL;
  assert_status(LAL_EINVAL, lal_thread_create(&t, &newer.known, mark_ran, NULL));
  assert_null(t);
  assert_int_equal(ran, 0); /* no thread was started */
}

/* The 0.1 spellings of renamed functions and flags still work, the same. */
static void names_of_0_1_still_work(void **state) {
  (void)state;
  lal_clock_info a = LAL_CLOCK_INFO_INIT, b = LAL_CLOCK_INFO_INIT;
  assert_status(LAL_OK, lal_clock_info_get(&a));
  assert_status(LAL_OK, lal_clock_get_info(&b));
  assert_int_equal(a.source, b.source);
  assert_status(LAL_EINVAL, lal_clock_info_get(NULL));
  lal_pacer p;
  assert_status(LAL_OK, lal_pacer_init(&p, 1000000u, 0));
  lal_pacer_stats st = LAL_PACER_STATS_INIT;
  assert_status(LAL_OK, lal_pacer_stats_get(&p, &st));
  assert_status(LAL_EINVAL, lal_pacer_stats_get(NULL, &st));
  assert_int_equal(LAL_MEMLOCK_CURRENT, LAL_MEM_LOCK_CURRENT);
  assert_int_equal(LAL_MEMLOCK_FUTURE | LAL_MEMLOCK_ONFAULT | LAL_MEMLOCK_FALLBACK,
                   LAL_MEM_LOCK_FUTURE | LAL_MEM_LOCK_ONFAULT | LAL_MEM_LOCK_FALLBACK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(init_opts_of_every_size),   cmocka_unit_test(mem_opts_of_every_size),
      cmocka_unit_test(place_req_of_every_size),   cmocka_unit_test(priority_req_of_every_size),
      cmocka_unit_test(thread_attr_of_every_size), cmocka_unit_test(names_of_0_1_still_work),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
