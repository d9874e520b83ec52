/* SPDX-License-Identifier: MIT */
/*
 * lal/xdp.h on libxdp + libbpf. The program comes from the object file the
 * build compiled with clang -target bpf and embedded in the library
 * (xdp_prog_embed.c), loaded with bpf_object__open_mem; libxdp attaches it
 * through its multi-program dispatcher where the kernel allows that, and
 * alone otherwise (no bpffs, no freplace: both are accepted and reported).
 * AF_XDP: libxdp's xsk API (xsk.h), UMEM split into a receive half (fill
 * ring) and a transmit half (a free list refilled from the completion ring).
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include "lal/xdp.h"
#include "lal_internal.h"

#ifndef SO_PREFER_BUSY_POLL
#  define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#  define SO_BUSY_POLL_BUDGET 70
#endif

extern const unsigned char lali_xdp_prog_obj[];
extern const size_t lali_xdp_prog_obj_len;

struct lal_xdp {
  struct xdp_program *prog;
  struct bpf_object *obj; /* ours: xdp_program__from_bpf_obj does not take it over */
  int ifindex;
  char ifname[IF_NAMESIZE];
  enum xdp_attach_mode mode;
  int config_fd, counters_fd, xsks_fd;
};

struct lal_xsk {
  lal_xdp *xdp;
  struct xsk_umem *umem;
  struct xsk_socket *sock;
  struct xsk_ring_prod fill, tx;
  struct xsk_ring_cons comp, rx;
  void *area;
  size_t area_size;
  unsigned frames, frame_size;
  uint64_t *free_tx; /* transmit-half frame addresses not in flight */
  unsigned nfree;
};

/* libbpf and libxdp print warnings to stderr by default; a library must not
 * print. While lal calls them, their messages go to this thread's buffer
 * instead, and the last one ends up in the result's reason. */
static LALI_THREAD_LOCAL char last_message[160];

__attribute__((format(printf, 2, 0))) static int capture(enum libbpf_print_level level,
                                                         const char *fmt, va_list ap) {
  if (level != LIBBPF_DEBUG) {
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    last_message[strcspn(last_message, "\n")] = '\0';
  }
  return 0;
}
__attribute__((format(printf, 2, 0))) static int capture_xdp(enum libxdp_print_level level,
                                                             const char *fmt, va_list ap) {
  return capture(level == LIBXDP_WARN ? LIBBPF_WARN : LIBBPF_DEBUG, fmt, ap);
}

typedef struct quiet {
  libbpf_print_fn_t bpf;
  libxdp_print_fn_t xdp;
} quiet;
static quiet quiet_begin(void) {
  last_message[0] = '\0';
  quiet q = {libbpf_set_print(capture), libxdp_set_print(capture_xdp)};
  return q;
}
static void quiet_end(quiet q) {
  libbpf_set_print(q.bpf);
  libxdp_set_print(q.xdp);
}

/* Appends src to dst[size], truncating. */
static void cat(char *dst, size_t size, const char *src) {
  size_t used = strlen(dst);
  if (used + 1 < size)
    lali_copy_string(dst + used, size - used, src);
}

/* reason = "what: <libxdp's text for err>[ - <the library's last message>]" */
static void why(char *reason, size_t size, const char *what, int err) {
  char buf[128];
  if (libxdp_strerror(err, buf, sizeof buf) < 0)
    lali_copy_string(buf, sizeof buf, strerror(err < 0 ? -err : err));
  reason[0] = '\0';
  cat(reason, size, what);
  cat(reason, size, ": ");
  cat(reason, size, buf);
  if (last_message[0]) {
    cat(reason, size, " - ");
    cat(reason, size, last_message);
  }
}

/* libxdp/libbpf return -errno; a few mean something specific here. */
static int status_of(int err) {
  err = err < 0 ? -err : err;
  switch (err) {
  case EOPNOTSUPP:
    return LAL_ENOTSUP;
  case EEXIST:
  case EBUSY:
    return LAL_EBUSY;
  case ENODEV:
    return LAL_ENOENT;
  default:
    return lali_fail_native(err);
  }
}

static int fd_of(struct bpf_object *obj, const char *name) {
  return bpf_object__find_map_fd_by_name(obj, name);
}

int lal_xdp_set_port(lal_xdp *x, unsigned port) {
  if (!x || port == 0 || port > 65535)
    return LAL_EINVAL;
  __u32 key = 0, value = port;
  return bpf_map_update_elem(x->config_fd, &key, &value, BPF_ANY) == 0 ? LAL_OK : lali_fail_os();
}

static int attach(const char *ifname, int mode, unsigned udp_port, lal_xdp **out,
                  lal_xdp_result *result) {
  if (!ifname || !out || !ifname[0] || strlen(ifname) >= IF_NAMESIZE || udp_port == 0 ||
      udp_port > 65535 || (mode != LAL_XDP_MODE_NATIVE && mode != LAL_XDP_MODE_SKB) ||
      !LALI_OUT_OPTIONAL_VALID(result, lal_xdp_result, reason))
    return LAL_EINVAL;
  lal_xdp_result r;
  memset(&r, 0, sizeof r);
  r.size = sizeof r;
  int rc = LAL_OK;
  lal_xdp *x = calloc(1, sizeof *x);
  if (!x)
    return LAL_ENOMEM;
  x->ifindex = (int)if_nametoindex(ifname);
  lali_copy_string(x->ifname, sizeof x->ifname, ifname);
  x->mode = mode == LAL_XDP_MODE_NATIVE ? XDP_MODE_NATIVE : XDP_MODE_SKB;
  if (!x->ifindex) {
    snprintf(r.reason, sizeof r.reason, "no interface \"%s\" in this network namespace", ifname);
    rc = LAL_ENOENT;
    goto fail;
  }
  DECLARE_LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = "lal_xdp_udp");
  struct bpf_object *obj =
      bpf_object__open_mem(lali_xdp_prog_obj, lali_xdp_prog_obj_len, &open_opts);
  long err = libbpf_get_error(obj);
  if (err) {
    why(r.reason, sizeof r.reason, "opening the BPF object", (int)err);
    rc = status_of((int)err);
    goto fail;
  }
  x->obj = obj;
  x->prog = xdp_program__from_bpf_obj(obj, "xdp");
  err = libxdp_get_error(x->prog);
  if (err) {
    x->prog = NULL;
    why(r.reason, sizeof r.reason, "xdp_program__from_bpf_obj", (int)err);
    rc = status_of((int)err);
    goto fail;
  }
  err = xdp_program__attach(x->prog, x->ifindex, x->mode, 0);
  if (err) {
    why(r.reason, sizeof r.reason,
        mode == LAL_XDP_MODE_NATIVE ? "native attach" : "generic (skb) attach", (int)err);
    rc = status_of((int)err);
    goto fail;
  }
  obj = xdp_program__bpf_obj(x->prog);
  x->config_fd = fd_of(obj, "lal_config");
  x->counters_fd = fd_of(obj, "lal_counters");
  x->xsks_fd = fd_of(obj, "lal_xsks");
  if (x->config_fd < 0 || x->counters_fd < 0 || x->xsks_fd < 0) {
    snprintf(r.reason, sizeof r.reason, "the program's maps are missing");
    xdp_program__detach(x->prog, x->ifindex, x->mode, 0);
    rc = LAL_EIO;
    goto fail;
  }
  if ((rc = lal_xdp_set_port(x, udp_port)) != LAL_OK) {
    xdp_program__detach(x->prog, x->ifindex, x->mode, 0);
    goto fail;
  }
  struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(x->ifindex);
  if (!libxdp_get_error(mp) && mp) {
    r.legacy_attach = xdp_multiprog__is_legacy(mp);
    xdp_multiprog__close(mp);
  }
  r.mode = mode;
  r.prog_id = xdp_program__id(x->prog);
  if (r.legacy_attach)
    snprintf(r.reason, sizeof r.reason,
             "attached alone: libxdp's dispatcher is unavailable here (no bpffs or freplace)");
  if (result)
    LALI_OUT_SET(result, r);
  *out = x;
  return LAL_OK;
fail:
  if (x->prog)
    xdp_program__close(x->prog);
  if (x->obj)
    bpf_object__close(x->obj);
  free(x);
  if (result)
    LALI_OUT_SET(result, r);
  return rc;
}

int lal_xdp_attach(const char *ifname, int mode, unsigned udp_port, lal_xdp **out,
                   lal_xdp_result *result) {
  quiet q = quiet_begin();
  int rc = attach(ifname, mode, udp_port, out, result);
  quiet_end(q);
  return rc;
}

int lal_xdp_detach(lal_xdp *x) {
  if (!x)
    return LAL_OK;
  quiet q = quiet_begin();
  int err = xdp_program__detach(x->prog, x->ifindex, x->mode, 0);
  xdp_program__close(x->prog);
  bpf_object__close(x->obj);
  quiet_end(q);
  free(x);
  return err ? status_of(err) : LAL_OK;
}

int lal_xdp_get_counters(lal_xdp *x, lal_xdp_counters *c) {
  if (!x || !LALI_OUT_VALID(c, lal_xdp_counters, passed))
    return LAL_EINVAL;
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0)
    return LAL_EIO;
  __u64 *values = calloc((size_t)ncpu, sizeof *values);
  if (!values)
    return LAL_ENOMEM;
  uint64_t sums[4] = {0, 0, 0, 0};
  for (__u32 k = 0; k < 4; k++) {
    if (bpf_map_lookup_elem(x->counters_fd, &k, values) != 0) {
      free(values);
      return lali_fail_os();
    }
    for (int cpu = 0; cpu < ncpu; cpu++)
      sums[k] += values[cpu];
  }
  free(values);
  lal_xdp_counters full = {sizeof full, sums[0], sums[1], sums[2], sums[3]};
  LALI_OUT_SET(c, full);
  return LAL_OK;
}

/* ---- AF_XDP */

#define XSK_KNOWN (LAL_XSK_COPY | LAL_XSK_ZEROCOPY | LAL_XSK_BUSY_POLL | LAL_XSK_LARGE_PAGES)

void lal_xsk_close(lal_xsk *s) {
  if (!s)
    return;
  if (s->sock) /* closing the socket also drops it from the program's XSKMAP */
    xsk_socket__delete(s->sock);
  if (s->umem)
    xsk_umem__delete(s->umem);
  if (s->area)
    lal_mem_free(s->area, s->area_size);
  free(s->free_tx);
  free(s);
}

static int xsk_open(lal_xdp *x, const lal_xsk_opts *opts, lal_xsk **out, lal_xsk_result *result);

int lal_xsk_open(lal_xdp *x, const lal_xsk_opts *opts, lal_xsk **out, lal_xsk_result *result) {
  quiet q = quiet_begin();
  int rc = xsk_open(x, opts, out, result);
  quiet_end(q);
  return rc;
}

static int xsk_open(lal_xdp *x, const lal_xsk_opts *opts, lal_xsk **out, lal_xsk_result *result) {
  lal_xsk_opts loaded = LAL_XSK_OPTS_INIT;
  if (opts && lali_input_struct_load(&loaded, sizeof loaded, opts,
                                     LALI_INPUT_MIN(lal_xsk_opts, queue)) != LAL_OK)
    return LAL_EINVAL;
  const lal_xsk_opts *o = &loaded; /* only the loaded copy is read */
  if (!x || !out || (o->flags & ~XSK_KNOWN) ||
      ((o->flags & LAL_XSK_COPY) && (o->flags & LAL_XSK_ZEROCOPY)) || o->frames < 64 ||
      o->frames > 65536 || (o->frames & (o->frames - 1)) ||
      (o->frame_size != 2048 && o->frame_size != 4096) || o->queue >= 64 ||
      !LALI_OUT_OPTIONAL_VALID(result, lal_xsk_result, reason))
    return LAL_EINVAL;
  lal_xsk_result r;
  memset(&r, 0, sizeof r);
  r.size = sizeof r;
  int rc = LAL_ENOMEM;
  lal_xsk *s = calloc(1, sizeof *s);
  if (!s)
    return LAL_ENOMEM;
  s->xdp = x;
  s->frames = o->frames;
  s->frame_size = o->frame_size;
  s->area_size = (size_t)o->frames * o->frame_size;
  s->free_tx = calloc(o->frames / 2, sizeof *s->free_tx);
  lal_mem_opts mo = LAL_MEM_OPTS_INIT;
  mo.page_kind = o->flags & LAL_XSK_LARGE_PAGES ? LAL_PAGE_LARGE : LAL_PAGE_DEFAULT;
  mo.flags = LAL_MEM_FALLBACK | LAL_MEM_PREFAULT;
  lal_mem_info mi = LAL_MEM_INFO_INIT;
  if (!s->free_tx || (rc = lal_mem_alloc(s->area_size, &mo, &s->area, &mi)) != LAL_OK)
    goto fail;
  r.umem_page_bytes = mi.page_bytes;
  struct xsk_umem_config ucfg = {.fill_size = o->frames / 2,
                                 .comp_size = o->frames / 2,
                                 .frame_size = o->frame_size,
                                 .frame_headroom = 0,
                                 .flags = 0};
  int err = xsk_umem__create(&s->umem, s->area, s->area_size, &s->fill, &s->comp, &ucfg);
  if (err) {
    why(r.reason, sizeof r.reason, "xsk_umem__create", err);
    rc = status_of(err);
    s->umem = NULL;
    goto fail;
  }
  struct xsk_socket_config scfg = {
      .rx_size = o->frames / 2,
      .tx_size = o->frames / 2,
      .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD, /* lal's program is attached */
      .xdp_flags = x->mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE,
      .bind_flags = (__u16)(o->flags & LAL_XSK_COPY       ? XDP_COPY
                            : o->flags & LAL_XSK_ZEROCOPY ? XDP_ZEROCOPY
                                                          : 0) /* 0: zero-copy, else copy */
  };
  /* A socket closed just before on the same queue releases it from a kernel
   * work item (xsk's deferred pool release), so a quick reopen can see EBUSY
   * for a few milliseconds: retry for up to 100 ms before calling it busy. */
  for (int attempt = 0; attempt < 20; attempt++) {
    err = xsk_socket__create(&s->sock, x->ifname, o->queue, s->umem, &s->rx, &s->tx, &scfg);
    if (err != -EBUSY)
      break;
    lal_sleep_ns(5000000, 0);
  }
  if (err) {
    why(r.reason, sizeof r.reason, "xsk_socket__create", err);
    rc = status_of(err);
    s->sock = NULL;
    goto fail;
  }
  err = xsk_socket__update_xskmap(s->sock, x->xsks_fd);
  if (err) {
    why(r.reason, sizeof r.reason, "adding the socket to the program's map", err);
    rc = status_of(err);
    goto fail;
  }
  struct xdp_options xo;
  socklen_t len = sizeof xo;
  int fd = xsk_socket__fd(s->sock);
  if (getsockopt(fd, SOL_XDP, XDP_OPTIONS, &xo, &len) == 0)
    r.zerocopy = (xo.flags & XDP_OPTIONS_ZEROCOPY) != 0;
  if (o->flags & LAL_XSK_BUSY_POLL) {
    int one = 1, usecs = 20, budget = 16;
    r.busy_poll = setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof one) == 0 &&
                  setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof usecs) == 0 &&
                  setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof budget) == 0;
    if (!r.busy_poll)
      snprintf(r.reason, sizeof r.reason, "busy-poll socket options refused: %s", strerror(errno));
  }
  /* The first half of the UMEM receives: all of it goes to the fill ring. */
  __u32 idx;
  unsigned half = o->frames / 2;
  if (xsk_ring_prod__reserve(&s->fill, half, &idx) != half) {
    rc = LAL_EIO;
    goto fail;
  }
  for (unsigned i = 0; i < half; i++)
    *xsk_ring_prod__fill_addr(&s->fill, idx + i) = (uint64_t)i * o->frame_size;
  xsk_ring_prod__submit(&s->fill, half);
  for (unsigned i = 0; i < half; i++)
    s->free_tx[i] = (uint64_t)(half + i) * o->frame_size;
  s->nfree = half;
  if (result)
    LALI_OUT_SET(result, r);
  *out = s;
  return LAL_OK;
fail:
  lal_xsk_close(s);
  if (result)
    LALI_OUT_SET(result, r);
  return rc;
}

int lal_xsk_recv(lal_xsk *s, void *buf, size_t cap, size_t *len, uint64_t timeout_ns) {
  if (!s || !buf || !len || cap == 0)
    return LAL_EINVAL;
  uint64_t start = lal_mono_ns();
  int fd = xsk_socket__fd(s->sock);
  for (;;) {
    __u32 idx;
    if (xsk_ring_cons__peek(&s->rx, 1, &idx) == 1) {
      const struct xdp_desc *d = xsk_ring_cons__rx_desc(&s->rx, idx);
      uint64_t addr = d->addr;
      uint32_t n = d->len;
      int rc = n <= cap ? LAL_OK : LAL_ERANGE;
      if (rc == LAL_OK) {
        memcpy(buf, xsk_umem__get_data(s->area, addr), n);
        *len = n;
      }
      xsk_ring_cons__release(&s->rx, 1);
      __u32 fidx; /* the frame goes back to the fill ring at once */
      if (xsk_ring_prod__reserve(&s->fill, 1, &fidx) == 1) {
        *xsk_ring_prod__fill_addr(&s->fill, fidx) = xsk_umem__extract_addr(addr);
        xsk_ring_prod__submit(&s->fill, 1);
      }
      return rc;
    }
    uint64_t waited = lal_mono_ns() - start;
    if (waited >= timeout_ns)
      return LAL_EAGAIN;
    /* Copy mode and need_wakeup: the kernel only fills rx when asked. */
    if (xsk_ring_prod__needs_wakeup(&s->fill))
      recvfrom(fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    uint64_t left_ms = (timeout_ns - waited + 999999) / 1000000;
    poll(&p, 1, left_ms > 1000 ? 1000 : (int)left_ms);
  }
}

int lal_xsk_send(lal_xsk *s, const void *frame, size_t len) {
  if (!s || !frame || len == 0 || len > s->frame_size)
    return LAL_EINVAL;
  __u32 idx;
  unsigned done = xsk_ring_cons__peek(&s->comp, s->frames / 2, &idx);
  for (unsigned i = 0; i < done; i++)
    s->free_tx[s->nfree++] = *xsk_ring_cons__comp_addr(&s->comp, idx + i);
  if (done)
    xsk_ring_cons__release(&s->comp, done);
  if (s->nfree == 0 || xsk_ring_prod__reserve(&s->tx, 1, &idx) != 1)
    return LAL_EAGAIN;
  uint64_t addr = s->free_tx[--s->nfree];
  memcpy(xsk_umem__get_data(s->area, addr), frame, len);
  struct xdp_desc *d = xsk_ring_prod__tx_desc(&s->tx, idx);
  d->addr = addr;
  d->len = (uint32_t)len;
  d->options = 0;
  xsk_ring_prod__submit(&s->tx, 1);
  /* Copy mode transmits only on a syscall: kick it. */
  if (sendto(xsk_socket__fd(s->sock), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN &&
      errno != EBUSY && errno != ENOBUFS)
    return lali_fail_os();
  return LAL_OK;
}

/* 0.1 spelling (lal/xdp.h), until 1.0. */
int lal_xdp_counters_get(lal_xdp *xdp, lal_xdp_counters *counters) {
  return lal_xdp_get_counters(xdp, counters);
}
