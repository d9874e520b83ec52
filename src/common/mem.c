/* SPDX-License-Identifier: MIT */
/*
 * Memory entry points: checks, the LOCK/PREFAULT options, verification, and a
 * registry of lal's mappings. The registry is what lets lal_mem_free unmap
 * exactly what was mapped (a hugetlb or large-page mapping must be released
 * with its own length and method) and refuse pointers lal did not hand out.
 * Allocation is not a hot path: a spin lock guards a small array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "lal_atomic.h"
#include "lal_internal.h"
#include "lal_os.h"

#define MEM_KNOWN_FLAGS (LAL_MEM_FALLBACK | LAL_MEM_LOCK | LAL_MEM_PREFAULT)
#define LOCK_ALL_KNOWN                                                                             \
  (LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE | LAL_MEM_LOCK_ONFAULT | LAL_MEM_LOCK_FALLBACK)

typedef struct entry {
  lali_mem_region region;
  size_t requested;
  int degraded;
  char reason[sizeof(((lal_mem_info *)0)->reason)];
} entry;

static lali_spinlock registry_lock = LALI_SPINLOCK_INIT;
static entry *registry;
static size_t registry_used, registry_cap;

static void lock_registry(void) { lali_spin_lock(&registry_lock); }
static void unlock_registry(void) { lali_spin_unlock(&registry_lock); }

static int registry_add(const entry *e) {
  int rc = LAL_OK;
  lock_registry();
  if (registry_used == registry_cap) {
    size_t cap = registry_cap ? registry_cap * 2 : 16;
    entry *grown = realloc(registry, cap * sizeof *grown);
    if (grown) {
      registry = grown;
      registry_cap = cap;
    } else {
      rc = LAL_ENOMEM;
    }
  }
  if (rc == LAL_OK)
    registry[registry_used++] = *e;
  unlock_registry();
  return rc;
}

/* Finds p: 1 and *out = its entry, or 0. */
static int registry_find(const void *p, entry *out) {
  int found = 0;
  lock_registry();
  for (size_t i = 0; i < registry_used && !found; i++)
    if (registry[i].region.p == p) {
      *out = registry[i];
      found = 1;
    }
  unlock_registry();
  return found;
}

/* [p, p + size), with its end rounded up to a page, must fit in the address
 * space: the OS calls work on whole pages, and a range whose rounded end wraps
 * to 0 would reach them as an empty range (and "succeed"). LAL_EINVAL for
 * NULL or an empty range, LAL_ERANGE for one that wraps, else LAL_OK. */
static int check_range(const void *p, size_t size) {
  if (!p || size == 0)
    return LAL_EINVAL;
  uintptr_t page = lali_os_page_size();
  if (size > UINTPTR_MAX - (uintptr_t)p || (uintptr_t)p + size > UINTPTR_MAX - (page - 1))
    return LAL_ERANGE;
  return LAL_OK;
}

static void fill_info(const entry *e, lal_mem_info *full) {
  full->size = sizeof *full;
  full->page_kind = e->region.kind;
  full->method = e->region.method;
  full->mapped_bytes = e->region.mapped;
  full->degraded = e->degraded;
  lali_copy_string(full->reason, sizeof full->reason, e->reason);
  full->numa_node = -1;
}

int lal_mem_alloc(size_t size, const lal_mem_opts *opts, void **out, lal_mem_info *info) {
  lal_mem_opts o = LAL_MEM_OPTS_INIT;
  if (opts &&
      lali_input_struct_load(&o, sizeof o, opts, LALI_INPUT_MIN(lal_mem_opts, page_kind)) != LAL_OK)
    return LAL_EINVAL;
  opts = &o; /* from here on, only the loaded copy is read */
  if (!out || size == 0 || (opts->flags & ~MEM_KNOWN_FLAGS) || opts->page_kind < LAL_PAGE_DEFAULT ||
      opts->page_kind > LAL_PAGE_HUGE || opts->numa_node < -1 ||
      !LALI_OUT_OPTIONAL_VALID(info, lal_mem_info, reason))
    return LAL_EINVAL;
  if (opts->numa_node >= 0) {
    int rc = lali_os_numa_node_check(opts->numa_node);
    if (rc != LAL_OK)
      return rc;
  }
  /* The largest page is 1 GiB: a size that overflows when rounded to it is
   * refused up front, the same on every path. */
  if (size > SIZE_MAX - ((size_t)1 << 30))
    return LAL_ERANGE;

  lal_mem_info full;
  memset(&full, 0, sizeof full);
  entry e;
  memset(&e, 0, sizeof e);
  int rc = lali_os_mem_map(size, opts, &e.region, &full);
  if (rc != LAL_OK) {
    if (info)
      LALI_OUT_SET(info, full);
    return rc;
  }
  e.requested = size;
  e.degraded = full.degraded;
  lali_copy_string(e.reason, sizeof e.reason, full.reason);
  int prefault = (opts->flags & LAL_MEM_PREFAULT) != 0;
  if (opts->flags & LAL_MEM_LOCK) {
    rc = lali_os_mem_lock(e.region.p, e.region.mapped);
    /* A player's machine refuses locks (RLIMIT_MEMLOCK of 8 MiB, no
     * CAP_IPC_LOCK; a Windows working-set quota): with FALLBACK the memory
     * stays, unlocked but prefaulted, and says so. */
    if (rc != LAL_OK && (opts->flags & LAL_MEM_FALLBACK)) {
      char note[96];
      snprintf(note, sizeof note, "lock refused (%s, os error %d): unlocked, prefaulted",
               lal_err_name(rc), lal_last_os_error());
      lali_append_note(e.reason, sizeof e.reason, note);
      e.degraded = 1;
      prefault = 1;
      rc = LAL_OK;
    }
  }
  if (rc == LAL_OK && prefault)
    rc = lali_os_mem_prefault(e.region.p, e.region.mapped);
  if (rc == LAL_OK)
    rc = registry_add(&e);
  if (rc != LAL_OK) {
    lali_os_mem_unmap(&e.region);
    return rc;
  }
  if (info) {
    fill_info(&e, &full);
    lali_os_mem_verify(&e.region, &full);
    LALI_OUT_SET(info, full);
  }
  *out = e.region.p;
  return LAL_OK;
}

/* Removes p's entry if its size is `size`, in one locked step. */
static int registry_take(const void *p, size_t size, entry *out) {
  int taken = 0;
  lock_registry();
  for (size_t i = 0; i < registry_used; i++)
    if (registry[i].region.p == p) {
      if (registry[i].requested == size) {
        *out = registry[i];
        registry[i] = registry[--registry_used];
        taken = 1;
      }
      break;
    }
  unlock_registry();
  return taken;
}

int lal_mem_free(void *p, size_t size) {
  entry e;
  if (!p || !registry_take(p, size, &e))
    return LAL_EINVAL;
  int rc = lali_os_mem_unmap(&e.region);
  if (rc != LAL_OK) /* still mapped: keep it known */
    registry_add(&e);
  return rc;
}

int lal_mem_query(const void *p, lal_mem_info *info) {
  entry e;
  if (!p || !LALI_OUT_VALID(info, lal_mem_info, reason) || !registry_find(p, &e))
    return LAL_EINVAL;
  lal_mem_info full;
  memset(&full, 0, sizeof full);
  fill_info(&e, &full);
  int rc = lali_os_mem_verify(&e.region, &full);
  LALI_OUT_SET(info, full);
  return rc;
}

int lal_mem_lock(void *p, size_t size) {
  int rc = check_range(p, size);
  return rc == LAL_OK ? lali_os_mem_lock(p, size) : rc;
}

int lal_mem_unlock(void *p, size_t size) {
  int rc = check_range(p, size);
  return rc == LAL_OK ? lali_os_mem_unlock(p, size) : rc;
}

int lal_mem_prefault(void *p, size_t size) {
  int rc = check_range(p, size);
  return rc == LAL_OK ? lali_os_mem_prefault(p, size) : rc;
}

int lal_mem_lock_all(unsigned flags, lal_lock_result *result) {
  if ((flags & ~LOCK_ALL_KNOWN) || !(flags & (LAL_MEM_LOCK_CURRENT | LAL_MEM_LOCK_FUTURE)) ||
      !LALI_OUT_OPTIONAL_VALID(result, lal_lock_result, reason))
    return LAL_EINVAL;
  lal_lock_result full;
  memset(&full, 0, sizeof full);
  full.size = sizeof full;
  int rc = lali_os_mem_lock_all(flags, &full);
  if (result)
    LALI_OUT_SET(result, full);
  return rc;
}

int lal_mem_unlock_all(void) { return lali_os_mem_unlock_all(); }
