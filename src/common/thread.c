/* SPDX-License-Identifier: MIT */
/*
 * lal_thread: a thread that applies its name, affinity, priority and stack
 * prefault before the user's function runs, and tells its creator what it got.
 * The creator blocks on a one-shot event until the new thread has applied
 * everything, so lal_thread_create returns with the result known (and, when
 * a required attribute failed, with fn never having run).
 */
#include <stdlib.h>
#include <string.h>

#include "lal_internal.h"
#include "lal_os.h"
#include "priority_internal.h"

#define THREAD_KNOWN_FLAGS LAL_THREAD_FALLBACK
#define THREAD_NAME_MAX 256

struct lal_thread {
  lali_os_thread *os;
  lali_os_event *ready;
  lal_thread_fn fn;
  void *arg;
  const lal_thread_attr *attr; /* &attr_copy, or NULL: valid until `ready` */
  lal_thread_attr attr_copy;   /* the caller's attributes, loaded at full size */
  lal_priority_req prio_copy;  /* and its priority request, likewise */
  int status;                  /* the first failure when not FALLBACK */
  int ret;
  lal_thread_result result;
};

/* Runs on the new thread: apply, report, then run fn unless a required step failed. */
static void entry(void *p) {
  lal_thread *t = p;
  const lal_thread_attr *a = t->attr;
  lal_thread_result *r = &t->result;
  int fallback = a && (a->flags & LAL_THREAD_FALLBACK);
  r->priority.size = sizeof r->priority;

  if (a && a->name)
    r->name_status = lal_thread_set_name(a->name);
  if (a && a->affinity)
    r->affinity_status = lal_thread_set_affinity(a->affinity);
  if (a && a->priority) {
    lal_priority_req req = *a->priority; /* prio_copy: full size, validated */
    if (fallback)
      req.flags |= LAL_PRIORITY_FALLBACK;
    r->priority_status = lal_thread_set_priority(&req, &r->priority);
  } else {
    lal_thread_get_priority(&r->priority);
  }
  if (a && a->stack_prefault)
    r->prefault_status = lal_stack_prefault(a->stack_prefault);
  lal_thread_get_affinity(&r->affinity);
  uintptr_t low, high;
  if (lali_os_stack_bounds(&low, &high) == LAL_OK)
    r->stack_size = (size_t)(high - low);

  int statuses[] = {r->name_status, r->affinity_status, r->priority_status, r->prefault_status};
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0] && t->status == LAL_OK; i++)
    t->status = statuses[i];
  int run = t->status == LAL_OK || fallback;
  if (fallback)
    t->status = LAL_OK;
  lali_os_event_signal(t->ready); /* after this, t belongs to the creator unless run */
  if (run)
    t->ret = t->fn(t->arg);
}

static int valid_attr(const lal_thread_attr *a) {
  if (a->flags & ~THREAD_KNOWN_FLAGS)
    return 0;
  if (a->name && !lali_thread_name_valid(a->name))
    return 0;
  if (a->affinity && lal_cpuset_count(a->affinity) <= 0)
    return 0;
  return 1;
}

/* Loads the caller's attributes and priority request at full size (defaults
 * for what an older caller's structs lack), so nothing past them is read;
 * 1 if valid. */
static int load_attr(const lal_thread_attr *in, lal_thread_attr *a, lal_priority_req *prio) {
  lal_thread_attr defaults = LAL_THREAD_ATTR_INIT;
  *a = defaults;
  if (lali_input_struct_load(a, sizeof *a, in, LALI_INPUT_MIN(lal_thread_attr, flags)) != LAL_OK)
    return 0;
  if (a->priority && lali_priority_load(prio, a->priority) != LAL_OK)
    return 0;
  return valid_attr(a);
}

int lal_thread_create(lal_thread **out, const lal_thread_attr *attr, lal_thread_fn fn, void *arg) {
  lal_thread_attr a;
  lal_priority_req prio;
  if (!out || !fn || (attr && !load_attr(attr, &a, &prio)))
    return LAL_EINVAL;
  lal_thread *t = calloc(1, sizeof *t);
  if (!t)
    return LAL_ENOMEM;
  t->fn = fn;
  t->arg = arg;
  if (attr) {
    t->attr_copy = a;
    t->prio_copy = prio;
    if (a.priority)
      t->attr_copy.priority = &t->prio_copy;
    t->attr = &t->attr_copy;
  }
  t->result.size = sizeof t->result;
  int rc = lali_os_event_create(&t->ready);
  if (rc == LAL_OK) {
    rc = lali_os_thread_start(&t->os, t->attr ? t->attr->stack_size : 0, entry, t);
    if (rc != LAL_OK)
      lali_os_event_destroy(t->ready);
  }
  if (rc != LAL_OK) {
    free(t);
    return rc;
  }
  lali_os_event_wait(t->ready);
  t->attr = NULL;
  if (t->status != LAL_OK) {
    rc = t->status;
    lali_os_thread_join(t->os); /* fn did not run: the thread is ending */
    lali_os_event_destroy(t->ready);
    free(t);
    return rc;
  }
  *out = t;
  return LAL_OK;
}

int lal_thread_get_result(const lal_thread *thread, lal_thread_result *result) {
  if (!thread || !LALI_OUT_VALID(result, lal_thread_result, stack_size))
    return LAL_EINVAL;
  LALI_OUT_SET(result, thread->result);
  return LAL_OK;
}

int lal_thread_join(lal_thread *thread, int *ret) {
  if (!thread || lali_os_thread_is_self(thread->os))
    return LAL_EINVAL;
  int rc = lali_os_thread_join(thread->os);
  if (rc == LAL_OK && ret)
    *ret = thread->ret;
  lali_os_event_destroy(thread->ready);
  free(thread);
  return rc;
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF), 1..THREAD_NAME_MAX-1 bytes. */
int lali_thread_name_valid(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= THREAD_NAME_MAX)
    return 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p, len, cp;
    if (c < 0x80) {
      p++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return 0;
    }
    for (unsigned i = 1; i < len; i++) {
      if ((p[i] & 0xC0) != 0x80)
        return 0;
      cp = cp << 6 | (p[i] & 0x3F);
    }
    static const unsigned min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    p += len;
  }
  return 1;
}

int lal_thread_set_name(const char *name) {
  if (!name || !lali_thread_name_valid(name))
    return LAL_EINVAL;
  return lali_os_thread_set_name(name);
}

int lal_thread_get_name(char *buf, size_t size) {
  if (!buf || size == 0)
    return LAL_EINVAL;
  return lali_os_thread_get_name(buf, size);
}
