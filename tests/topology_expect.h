/* SPDX-License-Identifier: MIT */
/* Placement expectations shared by the recorded-topology tests of both OSes. */
#ifndef LAL_TESTS_TOPOLOGY_EXPECT_H
#define LAL_TESTS_TOPOLOGY_EXPECT_H

#include <stdlib.h>
#include <string.h>

#include "lal_test.h"

/* out[0..threads) as "3,5,7": each must hold exactly one CPU. */
static inline void placement_text(const lal_cpuset *out, int threads, char *got, size_t size) {
  got[0] = '\0';
  for (int i = 0; i < threads; i++) {
    assert_int_equal(lal_cpuset_count(&out[i]), 1);
    snprintf(got + strlen(got), size - strlen(got), "%s%d", i ? "," : "",
             lal_cpuset_first(&out[i]));
  }
}

/* Places `threads` threads with `flags`, excluding the cpulist `exclude` ("" =
 * none). `expected` is the cpulist of out[0], out[1], ... joined in order by
 * commas (each out[i] must be one CPU), or NULL when LAL_ERANGE is expected,
 * in which case `reason_has` must appear in the reason. */
static inline void expect_place(const lal_topology *topo, int threads, unsigned flags,
                                const char *exclude, const char *expected, const char *reason_has) {
  lal_cpuset ex, *out = calloc((size_t)threads, sizeof *out);
  assert_non_null(out);
  assert_status(LAL_OK, lal_cpuset_parse(&ex, exclude));
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = threads;
  req.flags = flags;
  req.exclude = &ex;
  lal_place_result res = LAL_PLACE_RESULT_INIT;
  int rc = lal_place(topo, &req, out, &res);
  if (!expected) {
    if (rc != LAL_ERANGE)
      fail_msg("%d threads, flags %#x: expected LAL_ERANGE, got %s", threads, flags,
               lal_err_name(rc));
    if (reason_has && !strstr(res.reason, reason_has))
      fail_msg("reason \"%s\" lacks \"%s\"", res.reason, reason_has);
    for (int i = 0; i < threads; i++) /* untouched on failure */
      assert_int_equal(lal_cpuset_count(&out[i]), 0);
    free(out);
    return;
  }
  if (rc != LAL_OK)
    fail_msg("%d threads, flags %#x: %s (%s)", threads, flags, lal_err_name(rc), res.reason);
  char got[4096];
  placement_text(out, threads, got, sizeof got);
  if (strcmp(got, expected) != 0)
    fail_msg("%d threads, flags %#x, exclude \"%s\": got %s, expected %s", threads, flags, exclude,
             got, expected);
  assert_string_equal(res.reason, "");
  free(out);
}

/* A LAL_PLACE_BEST_EFFORT request: `expected` as for expect_place, and the
 * result's relaxed and applied flags. */
static inline void expect_relaxed(const lal_topology *topo, int threads, unsigned flags,
                                  const char *expected, unsigned relaxed, unsigned applied) {
  lal_cpuset *out = calloc((size_t)threads, sizeof *out);
  assert_non_null(out);
  lal_place_req req = LAL_PLACE_REQ_INIT;
  req.threads = threads;
  req.flags = flags | LAL_PLACE_BEST_EFFORT;
  lal_place_result res = LAL_PLACE_RESULT_INIT;
  int rc = lal_place(topo, &req, out, &res);
  if (rc != LAL_OK)
    fail_msg("%d threads, flags %#x: %s (%s)", threads, flags, lal_err_name(rc), res.reason);
  char got[4096];
  placement_text(out, threads, got, sizeof got);
  if (strcmp(got, expected) != 0)
    fail_msg("%d threads, flags %#x best effort: got %s, expected %s", threads, flags, got,
             expected);
  if (res.relaxed != relaxed || res.applied != applied)
    fail_msg("%d threads, flags %#x: relaxed %#x applied %#x, expected %#x and %#x", threads, flags,
             res.relaxed, res.applied, relaxed, applied);
  /* Something was relaxed exactly when the reason says what failed first. */
  assert_int_equal(relaxed != 0, res.reason[0] != '\0');
  free(out);
}

/* The CPUs of one domain as a cpulist. */
static inline void expect_domain(const lal_topology *topo, lal_topo_domain d, int index,
                                 const char *cpulist) {
  lal_cpuset set;
  char text[LAL_CPUSET_FORMAT_MAX];
  assert_status(LAL_OK, lal_topology_domain_cpus(topo, d, index, &set));
  assert_status(LAL_OK, lal_cpuset_format(&set, text, sizeof text));
  assert_string_equal(text, cpulist);
}

static inline void expect_set(const lal_cpuset *set, const char *cpulist) {
  char text[LAL_CPUSET_FORMAT_MAX];
  assert_status(LAL_OK, lal_cpuset_format(set, text, sizeof text));
  assert_string_equal(text, cpulist);
}

#endif
