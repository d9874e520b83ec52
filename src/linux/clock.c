/* SPDX-License-Identifier: MIT */
/* Linux clocks (clock_gettime(2) through the vDSO) and the kernel's view of the TSC. */
#include <string.h>
#include <time.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"

static uint64_t read_clock(clockid_t id) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0)
    return 0; /* cannot happen for these ids (clock_gettime(2)) */
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t lali_os_mono_ns(void) { return read_clock(CLOCK_MONOTONIC); }
uint64_t lali_os_mono_raw_ns(void) { return read_clock(CLOCK_MONOTONIC_RAW); }
uint64_t lali_os_boot_ns(void) { return read_clock(CLOCK_BOOTTIME); }

/* The value of the last "tsc=" option of the kernel command line (the last
 * one wins, as in the kernel's own parsing); 0 if there is none. */
static int cmdline_last_tsc_option(const char *cmdline, char *value, size_t size) {
  const char *found = NULL;
  for (const char *p = cmdline; (p = strstr(p, "tsc=")) != NULL; p += 4)
    if (p == cmdline || p[-1] == ' ')
      found = p + 4;
  if (!found)
    return 0;
  size_t n = strcspn(found, " \n");
  if (n >= size)
    n = size - 1;
  memcpy(value, found, n);
  value[n] = '\0';
  return 1;
}

void lali_linux_clock_facts_from(const char *root, lali_os_clock_facts *f) {
  char text[4096], option[32];
  memset(f, 0, sizeof *f);
  f->kernel_clocksource_tsc = -1;
  f->kernel_tsc_unstable = -1;
  if (lali_linux_read_text(root, "/sys/devices/system/clocksource/clocksource0/current_clocksource",
                           text, sizeof text) > 0) {
    text[strcspn(text, "\n")] = '\0';
    lali_copy_string(f->clocksource, sizeof f->clocksource, text);
    f->kernel_clocksource_tsc = strcmp(text, "tsc") == 0;
  }
  /* The kernel says "Marking TSC unstable" only in its log; the command line
   * option that forces it is readable (Documentation/admin-guide/kernel-parameters). */
  if (lali_linux_read_text(root, "/proc/cmdline", text, sizeof text) > 0)
    f->kernel_tsc_unstable =
        cmdline_last_tsc_option(text, option, sizeof option) && strcmp(option, "unstable") == 0;
  /* Exposed by some kernels (and by out-of-tree patches) as tsc_freq_khz. */
  if (lali_linux_read_text(root, "/sys/devices/system/cpu/cpu0/tsc_freq_khz", text, sizeof text) >
      0) {
    unsigned long long khz = 0;
    for (const char *p = text; *p >= '0' && *p <= '9'; p++)
      khz = khz * 10 + (unsigned)(*p - '0');
    f->kernel_tsc_hz = khz * 1000u;
  }
}

void lali_os_clock_facts_get(lali_os_clock_facts *f) {
  lali_linux_clock_facts_from(lali_linux_root(), f);
}
