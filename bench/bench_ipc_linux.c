/* SPDX-License-Identifier: MIT */
/* Linux side of bench_ipc.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "bench_ipc.h"
#include "bench_os.h"
#include "lal.h"

struct ipc_pair {
  ipc_kind kind;
  int cross_process;
  ipc_shared *sh;     /* MAP_SHARED: survives fork as shared memory */
  int rfd[2], wfd[2]; /* per channel; eventfd: the same descriptor */
  pid_t child;
};

const char *ipc_kind_os_name(ipc_kind kind) {
  return kind == IPC_FUTEX ? "futex" : kind == IPC_EVENT ? "eventfd" : "pipe";
}

ipc_pair *ipc_create(ipc_kind kind, int cross_process, char *reason, size_t reason_len) {
  ipc_pair *p = calloc(1, sizeof *p);
  if (!p) {
    snprintf(reason, reason_len, "out of memory");
    return NULL;
  }
  p->kind = kind;
  p->cross_process = cross_process;
  p->rfd[0] = p->rfd[1] = p->wfd[0] = p->wfd[1] = -1;
  p->sh = mmap(NULL, sizeof *p->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p->sh == MAP_FAILED) {
    snprintf(reason, reason_len, "mmap: errno %d", errno);
    free(p);
    return NULL;
  }
  for (int c = 0; c < 2; c++) {
    int ok = 1;
    if (kind == IPC_EVENT) {
      ok = (p->rfd[c] = p->wfd[c] = eventfd(0, EFD_CLOEXEC)) >= 0;
    } else if (kind == IPC_PIPE) {
      int fds[2];
      ok = pipe2(fds, O_CLOEXEC) == 0;
      if (ok)
        p->rfd[c] = fds[0], p->wfd[c] = fds[1];
    }
    if (!ok) {
      snprintf(reason, reason_len, "%s: errno %d", ipc_kind_os_name(kind), errno);
      ipc_destroy(p);
      return NULL;
    }
  }
  return p;
}

ipc_shared *ipc_shared_of(ipc_pair *p) { return p->sh; }

/* futex(2): between processes the word must be shared memory and the
 * operation not FUTEX_PRIVATE_FLAG (the private variant keys the futex on
 * the address space, which is cheaper within a process). */
static long futex(ipc_pair *p, volatile uint32_t *word, int op, uint32_t val) {
  if (!p->cross_process)
    op |= FUTEX_PRIVATE_FLAG;
  return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

void ipc_signal(ipc_pair *p, int c) {
  if (p->kind == IPC_FUTEX) {
    __atomic_store_n(&p->sh->word[c], 1, __ATOMIC_RELEASE);
    futex(p, &p->sh->word[c], FUTEX_WAKE, 1);
  } else if (p->kind == IPC_EVENT) {
    uint64_t one = 1;
    while (write(p->wfd[c], &one, sizeof one) < 0 && errno == EINTR) {
    }
  } else {
    char b = 1;
    while (write(p->wfd[c], &b, 1) < 0 && errno == EINTR) {
    }
  }
}

void ipc_wait(ipc_pair *p, int c) {
  if (p->kind == IPC_FUTEX) {
    /* Consume the flag; sleep only while it is 0 (FUTEX_WAIT returns at once
     * with EAGAIN if the waker set it in between). */
    while (!__atomic_exchange_n(&p->sh->word[c], 0, __ATOMIC_ACQUIRE))
      futex(p, &p->sh->word[c], FUTEX_WAIT, 0);
  } else if (p->kind == IPC_EVENT) {
    uint64_t v;
    while (read(p->rfd[c], &v, sizeof v) < 0 && errno == EINTR) {
    }
  } else {
    char b;
    while (read(p->rfd[c], &b, 1) < 0 && errno == EINTR) {
    }
  }
}

int ipc_process_alive(ipc_pair *p) {
  if (p->child <= 0)
    return 1;
  /* WNOWAIT: look at the child's state without reaping it (waitid(2)). */
  siginfo_t info;
  info.si_pid = 0;
  return waitid(P_PID, (id_t)p->child, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

int ipc_start_process(ipc_pair *p, int cpu, int rounds) {
  /* lal-bench is single-threaded here, so fork(2) copies no lock held by
   * another thread; the child only pins itself and runs the loop. */
  p->child = fork();
  if (p->child < 0)
    return -1;
  if (p->child == 0) {
    bench_os_pin(cpu);
    ipc_respond(p, rounds);
    _exit(0);
  }
  return 0;
}

void ipc_destroy(ipc_pair *p) {
  if (p->child > 0) {
    int st;
    while (waitpid(p->child, &st, 0) < 0 && errno == EINTR) {
    }
  }
  for (int c = 0; c < 2; c++) {
    if (p->rfd[c] >= 0)
      close(p->rfd[c]);
    if (p->wfd[c] >= 0 && p->wfd[c] != p->rfd[c])
      close(p->wfd[c]);
  }
  munmap(p->sh, sizeof *p->sh);
  free(p);
}

int ipc_peer_main(int argc, char **argv) {
  (void)argc, (void)argv;
  fprintf(stderr, "lal-bench: --ipc-peer is the Windows process responder\n");
  return 2;
}

/* Alerts: a thread-directed SIGUSR1 (pthread_kill(3)) to a thread waiting in
 * sigsuspend(2), which unblocks the signal and sleeps atomically, so a signal
 * sent just before the wait is not lost. The handler runs on the target's
 * stack before sigsuspend returns: the latency is send -> handler. */
struct ipc_alert {
  lal_thread *thread;
  pthread_t target;
  volatile int ready, stop;
  int cpu;
  struct sigaction old;
};

static volatile uint64_t *alert_stamp; /* the handler has no argument */

static void alert_handler(int sig) {
  (void)sig;
  *alert_stamp = lal_now_ns(); /* TSC and the clock's seqlock: async-signal-safe */
}

static int alert_thread(void *arg) {
  ipc_alert *a = arg;
  sigset_t block, wait_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, &wait_mask);
  sigdelset(&wait_mask, SIGUSR1);
  a->target = pthread_self();
  __atomic_store_n(&a->ready, 1, __ATOMIC_RELEASE);
  while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE))
    sigsuspend(&wait_mask);
  return 0;
}

ipc_alert *ipc_alert_start(int cpu, volatile uint64_t *stamp) {
  ipc_alert *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  alert_stamp = stamp;
  struct sigaction sa = {0};
  sa.sa_handler = alert_handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, &a->old);
  if (bench_thread_on(&a->thread, cpu, alert_thread, a) != LAL_OK) {
    sigaction(SIGUSR1, &a->old, NULL);
    free(a);
    return NULL;
  }
  while (!__atomic_load_n(&a->ready, __ATOMIC_ACQUIRE))
    sched_yield();
  return a;
}

int ipc_alert_send(ipc_alert *a) { return pthread_kill(a->target, SIGUSR1) == 0 ? 0 : -1; }

void ipc_alert_stop(ipc_alert *a) {
  __atomic_store_n(&a->stop, 1, __ATOMIC_RELEASE);
  pthread_kill(a->target, SIGUSR1);
  lal_thread_join(a->thread, NULL);
  sigaction(SIGUSR1, &a->old, NULL);
  free(a);
}

const char *ipc_alert_name(void) { return "SIGUSR1 via pthread_kill, handler in sigsuspend"; }
