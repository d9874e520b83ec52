/* SPDX-License-Identifier: MIT */
/* lal_query_caps: what this build compiled in, plus what each OS probes. */
#include <string.h>

#include "cpu_features.h"
#include "lal_internal.h"
#include "lal_os.h"

/* Set by CMake from the modules it actually built. */
static unsigned build_features(void) {
  unsigned f = 0;
#ifdef LAL_HAVE_HWLOC
  f |= LAL_FEATURE_HWLOC;
#endif
#ifdef LAL_HAVE_NUMA
  f |= LAL_FEATURE_NUMA;
#endif
#ifdef LAL_HAVE_URING
  f |= LAL_FEATURE_URING;
#endif
#ifdef LAL_HAVE_XDP
  f |= LAL_FEATURE_XDP;
#endif
#ifdef LAL_HAVE_CGROUP
  f |= LAL_FEATURE_CGROUP;
#endif
  return f;
}

int lal_query_caps(lal_caps *caps) {
  if (!LALI_OUT_VALID(caps, lal_caps, os_release))
    return LAL_EINVAL;

  /* Probe into a full local copy, then hand back only as many bytes as the
   * caller's struct has; a newer caller's unknown tail reads as zero. */
  lal_caps full;
  memset(&full, 0, sizeof full);
  full.build_features = build_features();
  lali_cpu_model(full.cpu_model, sizeof full.cpu_model);
  lali_cpu_tsc cpu;
  lali_cpu_tsc_get(&cpu);
  if (cpu.hypervisor)
    lali_copy_string(full.hypervisor, sizeof full.hypervisor,
                     cpu.hypervisor_name[0] ? cpu.hypervisor_name : "unknown");
  lali_os_query_caps(&full);

  LALI_OUT_SET(caps, full);
  return LAL_OK;
}
