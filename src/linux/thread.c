/* SPDX-License-Identifier: MIT */
/* Linux threads (pthreads), the one-shot event, names and stack bounds. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lal_internal.h"
#include "lal_os.h"

struct lali_os_thread {
  pthread_t handle;
  void (*entry)(void *);
  void *arg;
};

static void *trampoline(void *p) {
  lali_os_thread *t = p;
  t->entry(t->arg);
  return NULL;
}

int lali_os_thread_start(lali_os_thread **out, size_t stack_size, void (*entry)(void *),
                         void *arg) {
  lali_os_thread *t = calloc(1, sizeof *t);
  if (!t)
    return LAL_ENOMEM;
  t->entry = entry;
  t->arg = arg;
  pthread_attr_t attr;
  int rc = pthread_attr_init(&attr);
  if (rc == 0 && stack_size > 0) {
    /* pthread_attr_setstacksize(3): at least PTHREAD_STACK_MIN; glibc rounds
     * to pages itself. */
    size_t min = (size_t)PTHREAD_STACK_MIN;
    rc = pthread_attr_setstacksize(&attr, stack_size < min ? min : stack_size);
  }
  if (rc == 0)
    rc = pthread_create(&t->handle, &attr, trampoline, t);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    free(t);
    return lali_fail_native(rc); /* pthread functions return the errno value */
  }
  *out = t;
  return LAL_OK;
}

int lali_os_thread_join(lali_os_thread *t) {
  int rc = pthread_join(t->handle, NULL);
  free(t);
  return rc == 0 ? LAL_OK : lali_fail_native(rc);
}

int lali_os_thread_is_self(const lali_os_thread *t) {
  return pthread_equal(t->handle, pthread_self());
}

struct lali_os_event {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int signalled;
};

int lali_os_event_create(lali_os_event **out) {
  lali_os_event *e = calloc(1, sizeof *e);
  if (!e)
    return LAL_ENOMEM;
  pthread_mutex_init(&e->lock, NULL);
  pthread_cond_init(&e->cond, NULL);
  *out = e;
  return LAL_OK;
}

void lali_os_event_signal(lali_os_event *e) {
  pthread_mutex_lock(&e->lock);
  e->signalled = 1;
  pthread_cond_signal(&e->cond);
  pthread_mutex_unlock(&e->lock);
}

void lali_os_event_wait(lali_os_event *e) {
  pthread_mutex_lock(&e->lock);
  while (!e->signalled)
    pthread_cond_wait(&e->cond, &e->lock);
  pthread_mutex_unlock(&e->lock);
}

void lali_os_event_destroy(lali_os_event *e) {
  pthread_cond_destroy(&e->cond);
  pthread_mutex_destroy(&e->lock);
  free(e);
}

/* The kernel keeps TASK_COMM_LEN = 16 bytes with the NUL
 * (pthread_setname_np(3) fails with ERANGE beyond): cut at 15 bytes, backing
 * off to the start of a UTF-8 character so the name stays valid. */
int lali_os_thread_set_name(const char *name) {
  char comm[16];
  size_t n = strlen(name);
  if (n > 15) {
    n = 15;
    while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
      n--;
  }
  memcpy(comm, name, n);
  comm[n] = '\0';
  int rc = pthread_setname_np(pthread_self(), comm);
  return rc == 0 ? LAL_OK : lali_fail_native(rc);
}

int lali_os_thread_get_name(char *buf, size_t size) {
  char comm[16];
  int rc = pthread_getname_np(pthread_self(), comm, sizeof comm);
  if (rc != 0)
    return lali_fail_native(rc);
  if (strlen(comm) >= size)
    return LAL_ERANGE;
  memcpy(buf, comm, strlen(comm) + 1);
  return LAL_OK;
}

int lali_os_stack_bounds(uintptr_t *low, uintptr_t *high) {
  pthread_attr_t attr;
  void *addr;
  size_t size;
  /* pthread_getattr_np(3): for the main thread glibc derives the stack from
   * RLIMIT_STACK and /proc/self/maps, for others from the thread's mapping. */
  int rc = pthread_getattr_np(pthread_self(), &attr);
  if (rc != 0)
    return lali_fail_native(rc);
  rc = pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0)
    return lali_fail_native(rc);
  *low = (uintptr_t)addr;
  *high = (uintptr_t)addr + size;
  return LAL_OK;
}
