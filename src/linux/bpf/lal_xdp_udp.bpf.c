/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * The XDP program lal ships (lal/xdp.h): counts every packet per CPU, and
 * redirects IPv4/UDP packets for one destination port to the AF_XDP socket
 * bound to the receiving queue (BPF_MAP_TYPE_XSKMAP), passing the rest to the
 * kernel stack. With no socket on that queue, bpf_redirect_map's fallback
 * action (XDP_PASS) applies.
 * Built with: clang -O2 -g -target bpf (see src/CMakeLists.txt).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* counters[]: indexes shared with src/linux/xdp.c */
#define LAL_XDP_PACKETS 0
#define LAL_XDP_MATCHED 1
#define LAL_XDP_REDIRECTED 2
#define LAL_XDP_PASSED 3

struct {
  __uint(type, BPF_MAP_TYPE_XSKMAP);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, __u32);
} lal_xsks SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u64);
} lal_counters SEC(".maps");

/* [0]: the UDP destination port to redirect, host order; 0 = none. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32);
} lal_config SEC(".maps");

static __always_inline void count(__u32 which) {
  __u64 *v = bpf_map_lookup_elem(&lal_counters, &which);
  if (v)
    (*v)++;
}

SEC("xdp")
int lal_xdp_udp(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
  count(LAL_XDP_PACKETS);
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
    goto pass;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP || ip->ihl < 5)
    goto pass;
  struct udphdr *udp = (void *)ip + ip->ihl * 4;
  if ((void *)(udp + 1) > end)
    goto pass;
  __u32 key = 0;
  __u32 *port = bpf_map_lookup_elem(&lal_config, &key);
  if (!port || !*port || bpf_ntohs(udp->dest) != *port)
    goto pass;
  count(LAL_XDP_MATCHED);
  int action = bpf_redirect_map(&lal_xsks, ctx->rx_queue_index, XDP_PASS);
  count(action == XDP_REDIRECT ? LAL_XDP_REDIRECTED : LAL_XDP_PASSED);
  return action;
pass:
  count(LAL_XDP_PASSED);
  return XDP_PASS;
}

char _license[] SEC("license") = "Dual MIT/GPL"; /* GPL-compatible for the kernel, MIT for lal */
