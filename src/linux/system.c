/* SPDX-License-Identifier: MIT */
/* Linux system facts: CPU count and the machine half of lal_query_caps. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "procfs.h"
#include "topology_linux.h"

int lali_os_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_CONF);
  return n < 1 ? lali_fail_os() : (int)n;
}

/* io_uring_setup(2) with a NULL params pointer: a kernel that has io_uring and
 * allows it here faults on copying the params (EFAULT) before creating
 * anything; ENOSYS means not built in or filtered by seccomp, EPERM means
 * kernel.io_uring_disabled (6.6+) forbids it for this process. */
static int io_uring_allowed(void) {
#ifdef __NR_io_uring_setup
  long r = syscall(__NR_io_uring_setup, 1, NULL);
  return r < 0 && errno == EFAULT;
#else
  return 0;
#endif
}

static unsigned privilege_caps(void) {
  char text[4096];
  unsigned caps = 0;
  uint64_t eff = 0;
  if (lali_linux_read_text(lali_linux_root(), "/proc/self/status", text, sizeof text) > 0)
    eff = lali_linux_status_cap_eff(text);
  if (geteuid() == 0)
    caps |= LAL_CAP_ELEVATED;

  struct rlimit rtprio;
  if ((eff >> LALI_CAP_SYS_NICE & 1) ||
      (getrlimit(RLIMIT_RTPRIO, &rtprio) == 0 && rtprio.rlim_cur > 0))
    caps |= LAL_CAP_RT_PRIORITY;
  if (eff >> LALI_CAP_IPC_LOCK & 1)
    caps |= LAL_CAP_MEMLOCK_ANY;
  if (eff >> LALI_CAP_NET_ADMIN & 1)
    caps |= LAL_CAP_NET_ADMIN;
  return caps;
}

static unsigned memory_caps(lal_caps *caps) {
  char text[8192];
  int large_pages = 0;
  if (lali_linux_read_text(lali_linux_root(), "/proc/meminfo", text, sizeof text) > 0) {
    caps->large_page_size = lali_linux_meminfo_value(text, "Hugepagesize");
    caps->large_pages_free = lali_linux_meminfo_value(text, "HugePages_Free");
    large_pages = caps->large_pages_free > 0;
  }
  /* THP "madvise" or "always" also gives 2 MiB pages (lal_mem_alloc falls back to it). */
  const char *thp = "/sys/kernel/mm/transparent_hugepage/enabled";
  char mode[32];
  if (lali_linux_read_text(lali_linux_root(), thp, text, sizeof text) > 0 &&
      lali_linux_bracketed_choice(text, mode, sizeof mode) == 0 && strcmp(mode, "never") != 0)
    large_pages = 1;

  struct rlimit memlock;
  if (getrlimit(RLIMIT_MEMLOCK, &memlock) == 0)
    caps->memlock_limit = memlock.rlim_cur == RLIM_INFINITY ? UINT64_MAX : memlock.rlim_cur;
  return large_pages && caps->large_page_size ? LAL_CAP_LARGE_PAGES : 0;
}

static unsigned cgroup2_caps(void) {
  /* mountinfo runs to hundreds of KiB in containers: too big for a stack. */
  enum { MOUNTINFO_MAX = 1 << 20 };
  char *text = malloc(MOUNTINFO_MAX);
  unsigned caps = 0;
  if (text &&
      lali_linux_read_text(lali_linux_root(), "/proc/self/mountinfo", text, MOUNTINFO_MAX) > 0 &&
      lali_linux_mountinfo_has_fstype(text, "cgroup2"))
    caps = LAL_CAP_CGROUP2;
  free(text);
  return caps;
}

/* Container runtimes leave marks: Docker /.dockerenv, Podman
 * /run/.containerenv, and the cgroup path names the runtime's slice. */
void lali_linux_container_from(const char *root, char *out, size_t size) {
  char path[512], text[4096];
  out[0] = '\0';
  snprintf(path, sizeof path, "%s/.dockerenv", root);
  if (access(path, F_OK) == 0) {
    lali_copy_string(out, size, "docker");
    return;
  }
  snprintf(path, sizeof path, "%s/run/.containerenv", root);
  if (access(path, F_OK) == 0) {
    lali_copy_string(out, size, "podman");
    return;
  }
  if (lali_linux_read_text(root, "/proc/self/cgroup", text, sizeof text) <= 0)
    return;
  if (strstr(text, "kubepods"))
    lali_copy_string(out, size, "kubernetes");
  else if (strstr(text, "docker"))
    lali_copy_string(out, size, "docker");
  else if (strstr(text, "lxc"))
    lali_copy_string(out, size, "lxc");
}

void lali_os_query_caps(lal_caps *caps) {
  caps->os = LAL_OS_LINUX;
  int cpus = lali_os_cpu_count();
  caps->cpu_count = cpus > 0 ? cpus : 0;

  struct utsname uts;
  if (uname(&uts) == 0) {
    lali_copy_string(caps->os_name, sizeof caps->os_name, uts.sysname);
    lali_copy_string(caps->os_release, sizeof caps->os_release, uts.release);
  }
  caps->machine_features = privilege_caps() | memory_caps(caps) | cgroup2_caps();
  if (!lali_linux_hwloc_present()) /* a run-time-loading build on a machine without hwloc */
    caps->build_features &= ~LAL_FEATURE_HWLOC;
  lali_linux_container_from(lali_linux_root(), caps->container, sizeof caps->container);
  if (io_uring_allowed())
    caps->machine_features |= LAL_CAP_IO_URING;
}
