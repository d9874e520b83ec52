/* SPDX-License-Identifier: MIT */
/*
 * Linux PM QoS: the CPU latency request of /dev/cpu_dma_latency
 * (Documentation/power/pm_qos_interface.rst): a process opens the file and
 * writes its limit as a binary s32 (an ASCII hex string also works); the
 * kernel keeps the lowest of all open requests and drops one when its file is
 * closed, also when the process dies.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "lal_internal.h"
#include "lal_os.h"

int lali_os_pm_qos_open(uint32_t latency_us, intptr_t *token, char *reason, size_t size) {
  int fd = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    int rc = lali_fail_os();
    if (errno == ENOENT)
      rc = LAL_ENOTSUP; /* a kernel without CONFIG_CPU_IDLE's PM QoS device */
    snprintf(reason, size, "/dev/cpu_dma_latency: %s (errno %d%s)", lal_err_name(rc),
             lal_last_os_error(), rc == LAL_EPERM ? "; the device is root's, mode 0600" : "");
    return rc;
  }
  int32_t value = (int32_t)latency_us;
  if (write(fd, &value, sizeof value) != (ssize_t)sizeof value) {
    int rc = lali_fail_os();
    close(fd);
    snprintf(reason, size, "/dev/cpu_dma_latency: write: %s (errno %d)", lal_err_name(rc),
             lal_last_os_error());
    return rc;
  }
  *token = fd;
  snprintf(reason, size, "/dev/cpu_dma_latency = %u us, held", latency_us);
  return LAL_OK;
}

void lali_os_pm_qos_close(intptr_t token) { close((int)token); }
