/* SPDX-License-Identifier: MIT */
/*
 * Windows has no per-process CPU idle-state request: processor idle states
 * are a power-plan setting (powercfg, "Processor idle disable"), which
 * `lal doctor` reports. lal says so instead of pretending.
 */
#include <stdio.h>

#include "lal_internal.h"
#include "lal_os.h"

int lali_os_pm_qos_open(uint32_t latency_us, intptr_t *token, char *reason, size_t size) {
  (void)latency_us, (void)token;
  snprintf(reason, size,
           "Windows has no idle-state request: the power plan decides (lal doctor: power_plan)");
  return LAL_ENOTSUP;
}

void lali_os_pm_qos_close(intptr_t token) { (void)token; }
