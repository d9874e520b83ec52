/* SPDX-License-Identifier: MIT */
/*
 * Memory workloads, the same code on both OSes:
 *   page_fault  the cost of touching a page the first time (a fresh mapping),
 *               after lal_mem_prefault, and in a locked + prefaulted mapping;
 *   tlb_walk    a random pointer chase, one access per 4 KiB page, over a
 *               region far larger than the TLB reach (1 GiB; 64 MiB in
 *               --quick), with base pages vs large pages (LAL_PAGE_LARGE with
 *               fallback: hugetlb if reserved, else THP on Linux).
 * Setup (allocation, prefault, building the chain) is never timed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "lal.h"

#define PAGE 4096u
#define MIB ((size_t)1 << 20)

static histogram *new_hist(void) {
  histogram *h = malloc(sizeof *h);
  if (h)
    hist_init(h);
  return h;
}

/* Touches every page once, recording each write's time. */
static void touch_pages(char *p, size_t size, histogram *h) {
  for (size_t off = 0; off < size; off += PAGE) {
    uint64_t t0 = lal_now_ns();
    ((volatile char *)p)[off] = 1;
    hist_record(h, lal_now_ns() - t0);
  }
}

static const char *const fault_names[3] = {"fresh mapping", "after lal_mem_prefault",
                                           "locked + prefaulted"};

int wl_page_fault(const bench_opts *opts, json_writer *jw) {
  size_t size = (opts->quick ? 16 : 64) * MIB;
  histogram *h[3];
  for (int s = 0; s < 3; s++)
    if (!(h[s] = new_hist()))
      return 1;
  uint64_t prefault_ns = 0;
  int rounds = bench_share(opts, opts->quick ? 1 : 3, 1);
  for (int r = 0; r < rounds; r++)
    for (int s = 0; s < 3; s++) {
      lal_mem_opts o = LAL_MEM_OPTS_INIT;
      o.flags = s == 2 ? LAL_MEM_LOCK | LAL_MEM_PREFAULT : 0;
      void *p;
      int rc = lal_mem_alloc(size, &o, &p, NULL);
      if (rc != LAL_OK) {
        printf("  %s: lal_mem_alloc: %s\n", fault_names[s], lal_err_name(rc));
        continue;
      }
      if (s == 1) {
        uint64_t t0 = lal_now_ns();
        lal_mem_prefault(p, size);
        prefault_ns += lal_now_ns() - t0;
      }
      touch_pages(p, size, h[s]);
      lal_mem_free(p, size);
    }
  for (int s = 0; s < 3; s++) {
    bench_print(fault_names[s], "ns", h[s]);
    bench_emit(jw, "page_fault", fault_names[s], "ns/first write to a page", h[s]);
  }
  double fresh = (double)hist_quantile(h[0], 0.5);
  printf("  p50 first touch: fresh %.0f ns; prefaulted / fresh = %.3f, locked / fresh = %.3f; "
         "lal_mem_prefault itself %.0f ns/page\n",
         fresh, (double)hist_quantile(h[1], 0.5) / fresh, (double)hist_quantile(h[2], 0.5) / fresh,
         (double)prefault_ns / rounds / (double)(size / PAGE));
  for (int s = 0; s < 3; s++)
    free(h[s]);
  return 0;
}

/* xorshift64*: a fast, reproducible shuffle. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * UINT64_C(2685821657736338717);
}

/* Links one cache line of every page into a single random cycle. */
static int build_chain(char *p, size_t pages) {
  uint32_t *order = malloc(pages * sizeof *order);
  if (!order)
    return -1;
  for (size_t i = 0; i < pages; i++)
    order[i] = (uint32_t)i;
  uint64_t seed = 0x9E3779B97F4A7C15u;
  for (size_t i = pages - 1; i > 0; i--) {
    size_t j = (size_t)(next_random(&seed) % (i + 1));
    uint32_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (size_t i = 0; i < pages; i++) {
    size_t from = order[i], to = order[(i + 1) % pages];
    /* a varying line within the page, so the cache sets spread */
    *(char **)(p + from * PAGE + (from % 64) * 64) = p + to * PAGE + (to % 64) * 64;
  }
  free(order);
  return 0;
}

#define CHASE_BATCH 256

static uint64_t chase(char *start, size_t steps, histogram *h) {
  char *cur = start;
  for (size_t done = 0; done < steps; done += CHASE_BATCH) {
    uint64_t t0 = lal_now_ns();
    for (int i = 0; i < CHASE_BATCH; i++)
      cur = *(char **)cur;
    hist_record(h, (lal_now_ns() - t0) * 1000 / CHASE_BATCH); /* ps per access */
  }
  return (uint64_t)(uintptr_t)cur;
}

int wl_tlb_walk(const bench_opts *opts, json_writer *jw) {
  /* 1 GiB over the run (256 MiB a round at least): past the base-page TLB's
   * reach (a few MiB) and within the large-page one either way. */
  size_t size = (size_t)bench_share(opts, opts->quick ? 64 : 1024, opts->quick ? 64 : 256) * MIB,
         pages = size / PAGE;
  size_t steps = (size_t)bench_share(opts, opts->quick ? 1 << 20 : 8 << 20, 1 << 18);
  const char *names[2] = {"base pages", "large pages"};
  histogram *h[2] = {new_hist(), new_hist()};
  if (!h[0] || !h[1])
    return 1;
  volatile uint64_t sink = 0;
  lal_mem_info info[2] = {LAL_MEM_INFO_INIT, LAL_MEM_INFO_INIT};
  for (int s = 0; s < 2; s++) {
    lal_mem_opts o = LAL_MEM_OPTS_INIT;
    o.page_kind = s ? LAL_PAGE_LARGE : LAL_PAGE_DEFAULT;
    o.flags = LAL_MEM_PREFAULT | LAL_MEM_FALLBACK;
    void *p;
    int rc = lal_mem_alloc(size, &o, &p, &info[s]);
    if (rc != LAL_OK || build_chain(p, pages) != 0) {
      printf("  %s: cannot allocate %zu MiB: %s\n", names[s], size / MIB, lal_err_name(rc));
      if (rc == LAL_OK)
        lal_mem_free(p, size);
      continue;
    }
    lal_mem_query(p, &info[s]);
    sink += chase(p, steps / 8, h[s]); /* warm-up: caches and TLB in steady state */
    hist_init(h[s]);
    sink += chase(p, steps, h[s]);
    lal_mem_free(p, size);
  }
  (void)sink;
  for (int s = 0; s < 2; s++) {
    char series[96];
    snprintf(series, sizeof series, "%s (%llu MiB of %zu in pages > 4 KiB)", names[s],
             (unsigned long long)(info[s].huge_bytes >> 20), size / MIB);
    bench_print(series, "ps", h[s]);
    bench_emit(jw, "tlb_walk", names[s], "ps/access", h[s]);
  }
  if (hist_quantile(h[0], 0.5) > 0)
    printf("  p50 access: large / base = %.3f over %zu MiB (large: %s)\n",
           (double)hist_quantile(h[1], 0.5) / (double)hist_quantile(h[0], 0.5), size / MIB,
           info[1].method == LAL_MEM_METHOD_HUGETLB ? "hugetlb"
           : info[1].method == LAL_MEM_METHOD_THP   ? "THP"
           : info[1].method == LAL_MEM_METHOD_LARGE ? "MEM_LARGE_PAGES"
                                                    : "fell back to base pages");
  free(h[0]);
  free(h[1]);
  return 0;
}
