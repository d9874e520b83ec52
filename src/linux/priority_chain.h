/* SPDX-License-Identifier: MIT */
/*
 * The Linux priority request as a chain of sched_setattr(2) attempts: the
 * first is what was asked, the rest the documented degradations given the
 * thread's RLIMIT_RTPRIO / RLIMIT_NICE. Split out so tests can check the
 * chain for limits this machine cannot set (root here lacks
 * CAP_SYS_RESOURCE, so hard rlimits cannot be raised).
 */
#ifndef LAL_SRC_LINUX_PRIORITY_CHAIN_H
#define LAL_SRC_LINUX_PRIORITY_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "lal.h"

/* The kernel's struct sched_attr (SCHED_ATTR_SIZE_VER1, 56 bytes); glibc
 * before 2.41 has neither it nor a sched_setattr wrapper. */
struct sched_attr_v1 {
  uint32_t size;
  uint32_t policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime;
  uint64_t deadline;
  uint64_t period;
  uint32_t util_min;
  uint32_t util_max;
};

/* include/uapi/linux/sched.h */
enum { K_OTHER = 0, K_FIFO = 1, K_RR = 2, K_BATCH = 3, K_IDLE = 5, K_DEADLINE = 6 };
#define K_RESET_ON_FORK 0x01ull

/* How a step is applied: sched_setattr(2) itself; the fallback slice hint
 * (sched_setattr at the thread's own nice, the slice read back); or by asking
 * a broker over D-Bus. An explicit SCHED_OTHER/BATCH step with sched_runtime
 * set is a syscall whose slice is read back too. */
enum { LALI_STEP_SYSCALL = 0, LALI_STEP_RTKIT = 1, LALI_STEP_PORTAL = 2, LALI_STEP_SLICE = 3 };

/* The EEVDF slice lal asks for (Linux 6.12+ clamps it to 0.1-100 ms): a
 * shorter slice than the default ~3 ms gives the woken thread an earlier
 * virtual deadline, so it preempts sooner. */
#define LALI_SLICE_NS 1000000ull

#define LALI_SCHED_CHAIN_MAX 10
typedef struct lali_sched_chain {
  struct sched_attr_v1 steps[LALI_SCHED_CHAIN_MAX];
  int how[LALI_SCHED_CHAIN_MAX]; /* LALI_STEP_* */
  int n;
} lali_sched_chain;

/* Fills *c for req (validated). cur_flags: the thread's sched_flags now;
 * rl_rtprio / rl_nice: soft limits, -1 = unlimited; flatpak: 1 inside a
 * Flatpak sandbox (the portal comes before rtkit). LAL_ENOTSUP for
 * LAL_POLICY_WINDOWS. */
int lali_linux_priority_chain(const lal_priority_req *req, uint64_t cur_flags, int64_t rl_rtprio,
                              int64_t rl_nice, int flatpak, lali_sched_chain *c);

/* "SCHED_FIFO 80", "SCHED_OTHER nice -10", ... as used in result reasons. */
void lali_linux_sched_describe(const struct sched_attr_v1 *a, char *buf, size_t size);
/* Step i of c: "rtkit SCHED_RR 60", "SCHED_OTHER slice 1000 us", or as above. */
void lali_linux_step_describe(const lali_sched_chain *c, int i, char *buf, size_t size);

#endif
