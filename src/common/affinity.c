/* SPDX-License-Identifier: MIT */
/* Affinity entry points: argument checks, then the OS (lal_os.h). */
#include "lal_internal.h"
#include "lal_os.h"

static int valid_set(const lal_cpuset *set) { return set && lal_cpuset_count(set) > 0; }

int lal_thread_set_affinity(const lal_cpuset *set) {
  if (!valid_set(set))
    return LAL_EINVAL;
  return lali_os_thread_affinity_set(set);
}

int lal_thread_get_affinity(lal_cpuset *out) {
  if (!out)
    return LAL_EINVAL;
  lal_cpuset got;
  int rc = lali_os_thread_affinity_get(&got);
  if (rc == LAL_OK)
    *out = got;
  return rc;
}

int lal_process_set_affinity(const lal_cpuset *set) {
  if (!valid_set(set))
    return LAL_EINVAL;
  return lali_os_process_affinity_set(set);
}

int lal_process_get_affinity(lal_cpuset *out) {
  if (!out)
    return LAL_EINVAL;
  lal_cpuset got;
  int rc = lali_os_process_affinity_get(&got);
  if (rc == LAL_OK)
    *out = got;
  return rc;
}

int lal_current_cpu(void) { return lali_os_current_cpu(); }

/* CPU sets: NULL clears the selection, an empty set is no selection. */
static int set_cpu_sets(int process, const lal_cpuset *set) {
  if (set && lal_cpuset_count(set) == 0)
    return LAL_EINVAL;
  return lali_os_cpu_sets_set(process, set);
}

static int get_cpu_sets(int process, lal_cpuset *out) {
  if (!out)
    return LAL_EINVAL;
  lal_cpuset got;
  int rc = lali_os_cpu_sets_get(process, &got);
  if (rc == LAL_OK)
    *out = got;
  return rc;
}

int lal_thread_set_cpu_sets(const lal_cpuset *set) { return set_cpu_sets(0, set); }
int lal_thread_get_cpu_sets(lal_cpuset *out) { return get_cpu_sets(0, out); }
int lal_process_set_default_cpu_sets(const lal_cpuset *set) { return set_cpu_sets(1, set); }
int lal_process_get_default_cpu_sets(lal_cpuset *out) { return get_cpu_sets(1, out); }
