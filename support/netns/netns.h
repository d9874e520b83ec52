/* SPDX-License-Identifier: MIT */
/*
 * Network-namespace helpers shared by the XDP bench and tests (Linux, root):
 * run an iproute2 command line, and move the calling thread into a named
 * namespace (`ip netns add` mounts it at /run/netns/NAME; setns(2) with
 * CLONE_NEWNET switches only the calling thread).
 */
#ifndef LAL_SUPPORT_NETNS_NETNS_H
#define LAL_SUPPORT_NETNS_NETNS_H

#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* system() of a printf-formatted command; its exit status. */
__attribute__((format(printf, 1, 2))) static inline int netns_sh(const char *fmt, ...) {
  char cmd[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  return system(cmd);
}

/* Moves the calling thread into namespace `name`: 0, or -1. */
static inline int netns_enter(const char *name) {
  char path[96];
  snprintf(path, sizeof path, "/run/netns/%s", name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  int rc = fd >= 0 ? setns(fd, CLONE_NEWNET) : -1;
  if (fd >= 0)
    close(fd);
  return rc;
}

/* Namespaces a and b joined by a veth pair: a's end "<tag>a" is 10.20<net>.0.1
 * with MAC 02:00:00:00:<net>a:01, b's end "<tag>b" is .2 / <net>b; one queue
 * each (an AF_XDP socket binds one queue), and static neighbours (AF_XDP
 * would see ARP frames otherwise). net is 0..9, tag two letters. 0 on success;
 * on failure both namespaces are removed again. */
static inline int netns_veth_pair(const char *a, const char *b, const char *tag, int net) {
  int rc = netns_sh("ip netns add %s && ip netns add %s", a, b);
  rc |= netns_sh("ip link add %sa numtxqueues 1 numrxqueues 1 address 02:00:00:00:%da:01 netns %s "
                 "type veth peer name %sb numtxqueues 1 numrxqueues 1 address "
                 "02:00:00:00:%db:01 netns %s",
                 tag, net, a, tag, net, b);
  rc |= netns_sh("ip -n %s addr add 10.20%d.0.1/24 dev %sa && ip -n %s addr add 10.20%d.0.2/24 "
                 "dev %sb && ip -n %s link set %sa up && ip -n %s link set %sb up",
                 a, net, tag, b, net, tag, a, tag, b, tag);
  rc |= netns_sh("ip -n %s neigh add 10.20%d.0.2 lladdr 02:00:00:00:%db:01 dev %sa nud permanent "
                 "&& ip -n %s neigh add 10.20%d.0.1 lladdr 02:00:00:00:%da:01 dev %sb nud "
                 "permanent",
                 a, net, net, tag, b, net, net, tag);
  if (rc != 0)
    netns_sh("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; true", a, b);
  return rc == 0 ? 0 : -1;
}

#endif
