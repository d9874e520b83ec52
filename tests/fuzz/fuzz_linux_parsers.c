/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the Linux /proc, /sys and cgroupfs parsers (the text a
 * recorded or forged tree can feed lal and `lal doctor --root`). The first
 * byte picks the parser, the rest is the file's text. Properties on every
 * input: no crash or sanitizer report, outputs terminated within their
 * buffers, and a cgroup path accepted from /proc/self/cgroup never climbs
 * out of its hierarchy.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/cgroup_internal.h"
#include "fuzz_text.h"
#include "common/lal_internal.h"
#include "linux/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_terminate(const char *buf, size_t size) {
  if (!memchr(buf, '\0', size))
    abort();
}

/* An independent check of what lali_cgroup_path_valid promises: absolute,
 * and no component empty, "." or "..". */
static int components_stay_inside(const char *path) {
  if (path[0] != '/')
    return 0;
  if (path[1] == '\0')
    return 1;
  char copy[4096];
  snprintf(copy, sizeof copy, "%s", path + 1);
  if (strlen(path + 1) >= sizeof copy || copy[strlen(copy) - 1] == '/')
    return strlen(path + 1) >= sizeof copy; /* too long to check here: trust */
  for (char *c = copy, *next; c; c = next) {
    next = strchr(c, '/');
    if (next)
      *next++ = '\0';
    if (!*c || !strcmp(c, ".") || !strcmp(c, ".."))
      return 0;
  }
  return 1;
}

/* Streams text through a FILE the way the smaps / maps readers get it. */
static FILE *as_file(const char *text, size_t len) {
  return fmemopen((void *)text, len ? len : 1, "r");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  unsigned which = data[0];
  size_t len = size - 1;
  char *text = fuzz_text(data + 1, len);
  if (!text)
    return 0;
  char out[512];
  memset(out, 0x5c, sizeof out);
  int hybrid = -1;
  switch (which % 15) {
  case 0:
    if (lali_cgroup_find_mount(text, out, sizeof out, &hybrid) == LAL_OK) {
      must_terminate(out, sizeof out);
      if (hybrid != 0 && hybrid != 1)
        abort();
    }
    break;
  case 1:
    if (lali_cgroup_self_path(text, out, sizeof out) == LAL_OK) {
      must_terminate(out, sizeof out);
      if (!lali_cgroup_path_valid(out) || strstr(out, "/../") || strstr(out, "/./"))
        abort();
    }
    break;
  case 2: {
    lal_psi psi;
    memset(&psi, 0, sizeof psi);
    lali_cgroup_parse_psi(text, &psi);
    break;
  }
  case 3: {
    lal_cgroup_cpu_stat st;
    memset(&st, 0, sizeof st);
    lali_cgroup_parse_cpu_stat(text, &st);
    break;
  }
  case 4: {
    int p = lali_cgroup_parse_partition(text, out, 64);
    must_terminate(out, 64);
    if (p < -1)
      abort();
    break;
  }
  case 5:
    (void)lali_linux_meminfo_value(text, "MemTotal");
    (void)lali_linux_meminfo_value(text, "Hugepagesize");
    break;
  case 6: {
    FILE *f = as_file(text, len);
    if (f) {
      lali_smaps_sum sum;
      lali_linux_smaps_sum(f, 0x1000, 0x7fffffff000, &sum);
      fclose(f);
      if (sum.all_locked && sum.vmas == 0)
        abort();
    }
    break;
  }
  case 7:
    (void)lali_linux_status_cap_eff(text);
    break;
  case 8:
    if (lali_linux_bracketed_choice(text, out, 16) == 0)
      must_terminate(out, 16);
    break;
  case 9: {
    FILE *f = as_file(text, len);
    if (f) {
      int rc = lali_linux_maps_writable(f, 0x400000, 0x800000);
      fclose(f);
      if (rc != LAL_OK && rc != LAL_EINVAL && rc != LAL_ENOMEM)
        abort();
    }
    break;
  }
  case 10:
    (void)lali_linux_mountinfo_has_fstype(text, "cgroup2");
    (void)lali_cgroup_controller_bits(text);
    break;
  case 12:
    if (lali_cgroup1_find_mount(text, "cpu", out, sizeof out) == LAL_OK)
      must_terminate(out, sizeof out);
    break;
  case 13:
    if (lali_cgroup1_self_path(text, "cpu", out, sizeof out) == LAL_OK) {
      must_terminate(out, sizeof out);
      if (!lali_cgroup_path_valid(out) || !components_stay_inside(out))
        abort();
    }
    break;
  case 14:
    if (lali_linux_limit_soft(text, "Max locked memory") < -2)
      abort();
    break;
  default:
    if (lali_cgroup_path_valid(text) && !components_stay_inside(text))
      abort();
    (void)lali_cgroup_name_valid(text);
    break;
  }
  free(text);
  return 0;
}
