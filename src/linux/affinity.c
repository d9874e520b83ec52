/* Linux thread affinity (sched_setaffinity(2)) in lal_cpuset numbering. */
#include <sched.h>
#include <string.h>

#include "lal_internal.h"
#include "lal_os.h"

/* cpu_set_t holds 1024 CPUs; lal_cpuset holds LAL_CPUSET_MAX, so use the
 * dynamically sized CPU_*_S macros (CPU_ALLOC(3)) on a buffer of that size. */
#define SET_BYTES CPU_ALLOC_SIZE(LAL_CPUSET_MAX)

int lal__os_thread_affinity_get(lal_cpuset *out) {
  unsigned long buf[LAL_CPUSET_MAX / (8 * sizeof(unsigned long))];
  cpu_set_t *set = (cpu_set_t *)buf;
  CPU_ZERO_S(SET_BYTES, set);
  if (sched_getaffinity(0, SET_BYTES, set) != 0)
    return lal__fail_os();
  lal_cpuset_zero(out);
  for (int cpu = 0; cpu < LAL_CPUSET_MAX; cpu++)
    if (CPU_ISSET_S(cpu, SET_BYTES, set))
      lal_cpuset_set(out, cpu);
  return LAL_OK;
}

int lal__os_thread_affinity_set(const lal_cpuset *in) {
  unsigned long buf[LAL_CPUSET_MAX / (8 * sizeof(unsigned long))];
  cpu_set_t *set = (cpu_set_t *)buf;
  CPU_ZERO_S(SET_BYTES, set);
  for (int cpu = lal_cpuset_first(in); cpu >= 0; cpu = lal_cpuset_next(in, cpu))
    CPU_SET_S(cpu, SET_BYTES, set);
  if (sched_setaffinity(0, SET_BYTES, set) != 0)
    return lal__fail_os();
  return LAL_OK;
}
