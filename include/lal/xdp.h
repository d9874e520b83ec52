/* SPDX-License-Identifier: MIT */
/*
 * lal/xdp.h — kernel-bypass UDP with XDP and AF_XDP (Linux only; built when
 * libxdp and libbpf are found: lal_caps.build_features & LAL_FEATURE_XDP).
 *
 * lal ships one XDP program (compiled with clang -target bpf into the
 * library): it counts packets per CPU, redirects IPv4/UDP packets for one
 * destination port to the AF_XDP socket bound to the receiving queue, and
 * passes everything else to the kernel. lal_xdp_attach loads it on an
 * interface; lal_xsk_open binds an AF_XDP socket (libxdp's xsk API) with its
 * UMEM to one queue, zero-copy where the driver has it, else copy mode.
 * Every libxdp/libbpf failure maps to a lal status; bad input is refused
 * before any kernel call; nothing stays attached or allocated after a failure.
 * Needs CAP_NET_ADMIN (and CAP_BPF/CAP_SYS_ADMIN to load): LAL_EPERM otherwise.
 */
#ifndef LAL_XDP_H
#define LAL_XDP_H

#include "lal.h"

#if !defined(__linux__)
#  error "lal/xdp.h is Linux-only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lal_xdp lal_xdp;
typedef struct lal_xsk lal_xsk;

/* Attach modes */
#define LAL_XDP_MODE_NATIVE 1 /* in the driver (XDP_FLAGS_DRV_MODE) */
#define LAL_XDP_MODE_SKB 2    /* generic, after the skb is built: works everywhere, slower */

typedef struct lal_xdp_result {
  size_t size;
  int mode;          /* the mode attached in */
  int legacy_attach; /* 1 if libxdp attached the program alone (no multi-program dispatcher) */
  uint32_t prog_id;
  char reason[192];
} lal_xdp_result;
#define LAL_XDP_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_xdp_result)

/*
 * lal_xdp_attach: loads lal's program, sets its UDP port (1..65535) and
 * attaches it to ifname in `mode`. LAL_EINVAL: NULL, an empty or too long
 * name, port 0, unknown mode; LAL_ENOENT: no such interface; LAL_ENOTSUP: the
 * driver has no native XDP (use LAL_XDP_MODE_SKB) or the kernel no XDP;
 * LAL_EBUSY: a program is already attached; LAL_EPERM: not permitted.
 * result (may be NULL) says how it attached and why a step failed.
 * lal_xdp_detach: detaches, unloads and frees (NULL: no-op); LAL_OK or the
 * kernel's status (the handle is freed in every case).
 */
LAL_API int lal_xdp_attach(const char *ifname, int mode, unsigned udp_port, lal_xdp **out,
                           lal_xdp_result *result);
LAL_API int lal_xdp_detach(lal_xdp *xdp);

/* Changes the redirected UDP port (1..65535) of an attached program.
 * LAL_EINVAL: NULL xdp, port 0 or above 65535; LAL_EPERM / LAL_EIO as the
 * kernel answers the map update (bpf(2)), with lal_last_os_error set. */
LAL_API int lal_xdp_set_port(lal_xdp *xdp, unsigned udp_port);

typedef struct lal_xdp_counters {
  size_t size;
  uint64_t packets;    /* every packet the program saw */
  uint64_t matched;    /* IPv4/UDP to the port */
  uint64_t redirected; /* handed to an AF_XDP socket */
  uint64_t passed;     /* given to the kernel stack */
} lal_xdp_counters;
#define LAL_XDP_COUNTERS_INIT LAL_IMPL_SIZED_INIT(lal_xdp_counters)
/* The sums over CPUs of the program's per-CPU counters. LAL_EINVAL: NULL
 * xdp or counters, a bad size; LAL_ENOMEM; LAL_EIO: the possible-CPU count
 * could not be read, or a map lookup failed (lal_last_os_error set). */
LAL_API int lal_xdp_get_counters(lal_xdp *xdp, lal_xdp_counters *counters);

/* lal_xsk_opts.flags */
#define LAL_XSK_COPY (1u << 0)        /* force copy mode */
#define LAL_XSK_ZEROCOPY (1u << 1)    /* require zero-copy (LAL_ENOTSUP where missing) */
#define LAL_XSK_BUSY_POLL (1u << 2)   /* SO_PREFER_BUSY_POLL + SO_BUSY_POLL (5.11+) */
#define LAL_XSK_LARGE_PAGES (1u << 3) /* UMEM on lal_mem_alloc(LAL_PAGE_LARGE, fallback) */

typedef struct lal_xsk_opts {
  size_t size;
  unsigned queue;      /* the interface queue to bind */
  unsigned frames;     /* UMEM frames, a power of 2, 64..65536 */
  unsigned frame_size; /* 2048 or 4096 */
  unsigned flags;      /* LAL_XSK_* */
} lal_xsk_opts;
#ifdef __cplusplus
extern "C++" inline lal_xsk_opts lal_impl_xsk_opts_init() {
  lal_xsk_opts v = lal_impl_sized_init<lal_xsk_opts>();
  v.frames = 4096;
  v.frame_size = 2048;
  return v;
}
#  define LAL_XSK_OPTS_INIT lal_impl_xsk_opts_init()
#else
#  define LAL_XSK_OPTS_INIT                                                                        \
    { .size = sizeof(lal_xsk_opts), .frames = 4096, .frame_size = 2048 }
#endif

typedef struct lal_xsk_result {
  size_t size;
  int zerocopy;             /* 1 zero-copy, 0 copy mode */
  int busy_poll;            /* 1 if the busy-poll socket options were taken */
  uint64_t umem_page_bytes; /* page size backing the UMEM (verified) */
  char reason[192];
} lal_xsk_result;
#define LAL_XSK_RESULT_INIT LAL_IMPL_SIZED_INIT(lal_xsk_result)

/*
 * lal_xsk_open: an AF_XDP socket on xdp's interface and opts->queue, entered
 * in the program's socket map so the port's packets reach it. LAL_EINVAL: bad
 * opts (frames not a power of 2, frame_size not 2048/4096, COPY with
 * ZEROCOPY); LAL_EBUSY: a socket already holds that queue; LAL_ENOTSUP:
 * ZEROCOPY asked but the driver has none.
 * lal_xsk_close: unbinds, frees the UMEM (NULL: no-op).
 */
LAL_API int lal_xsk_open(lal_xdp *xdp, const lal_xsk_opts *opts, lal_xsk **out,
                         lal_xsk_result *result);
LAL_API void lal_xsk_close(lal_xsk *xsk);

/*
 * lal_xsk_recv: copies the next received frame (the whole Ethernet frame)
 * into buf and sets *len; waits up to timeout_ns (0: do not wait; busy polls
 * the ring, then poll(2)s). LAL_EINVAL: NULL xsk, buf or len, cap 0;
 * LAL_EAGAIN: nothing in time; LAL_ERANGE: the frame is larger than cap (it
 * is dropped); LAL_EIO and others as poll(2) fails (lal_last_os_error).
 * lal_xsk_send: transmits one complete Ethernet frame (len <= frame_size) and
 * kicks the kernel. LAL_EINVAL: NULL xsk or frame, len 0 or above the frame
 * size; LAL_EAGAIN: no free frame / TX slot right now; LAL_EIO and others as
 * the kick (sendto(2)) fails (lal_last_os_error).
 */
LAL_API int lal_xsk_recv(lal_xsk *xsk, void *buf, size_t cap, size_t *len, uint64_t timeout_ns);
LAL_API int lal_xsk_send(lal_xsk *xsk, const void *frame, size_t len);

/* 0.1 spelling (see lal.h), until 1.0. */
LAL_API int lal_xdp_counters_get(lal_xdp *xdp, lal_xdp_counters *counters);

#ifdef __cplusplus
}
#endif

#endif /* LAL_XDP_H */
