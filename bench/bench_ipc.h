/* SPDX-License-Identifier: MIT */
/*
 * The ways one thread or process wakes another, one file per OS
 * (bench_ipc_linux.c, bench_ipc_windows.c), for the ctx_switch,
 * process_wakeup and signal workloads. The measuring code is common
 * (ipc_workloads.c); only the mechanisms differ:
 *
 *   kind         Linux                        Windows
 *   IPC_FUTEX    futex(2) WAIT/WAKE           WaitOnAddress/WakeByAddressSingle
 *                                             (within one process only)
 *   IPC_EVENT    eventfd(2)                   auto-reset event (SetEvent)
 *   IPC_PIPE     pipe(2), 1 byte              anonymous pipe, 1 byte
 *   alert        pthread_kill(SIGUSR1) to a   QueueUserAPC to a thread in
 *                thread in sigsuspend         SleepEx(INFINITE, TRUE)
 *
 * A pair has two one-way channels: 0 from the initiator (the measuring
 * thread) to the responder, 1 back. The responder is a thread of this
 * process or a process of its own (Linux: fork; Windows: lal-bench run again
 * with --ipc-peer and inherited handles, since Windows has no fork).
 */
#ifndef LAL_BENCH_BENCH_IPC_H
#define LAL_BENCH_BENCH_IPC_H

#include <stddef.h>
#include <stdint.h>

typedef enum ipc_kind { IPC_FUTEX, IPC_EVENT, IPC_PIPE } ipc_kind;

/* Memory both sides see (a shared mapping when the responder is a process). */
typedef struct ipc_shared {
  volatile uint64_t wake_ns; /* the responder's bench_os_clock_ns() when it woke */
  volatile int32_t stamp;    /* set before the start: the responder stamps wake_ns */
  volatile uint32_t word[2]; /* futex / WaitOnAddress word of each channel */
  volatile int32_t done;     /* rounds the responder completed */
  volatile int32_t ended;    /* the responder's loop returned */
} ipc_shared;

typedef struct ipc_pair ipc_pair;

/* The name of a kind in series names, the same on every OS ("address wait",
 * "event", "pipe"), and its mechanism on this OS ("futex" / "WaitOnAddress"). */
const char *ipc_kind_name(ipc_kind kind);
const char *ipc_kind_os_name(ipc_kind kind);

/* A pair of `kind` usable across processes when cross_process. NULL when this
 * OS cannot do it, with the reason written to reason. */
ipc_pair *ipc_create(ipc_kind kind, int cross_process, char *reason, size_t reason_len);
ipc_shared *ipc_shared_of(ipc_pair *p);

void ipc_signal(ipc_pair *p, int channel);
void ipc_wait(ipc_pair *p, int channel);

/* The responder as a process of its own (for a cross_process pair), pinned to
 * `cpu`, running ipc_respond for `rounds` rounds. 0 on success. A thread
 * responder is common code (ipc_workloads.c). */
int ipc_start_process(ipc_pair *p, int cpu, int rounds);

/* 0 once the responder process has exited (or died); 1 while it runs, or if
 * there is none. Does not reap it: ipc_destroy does. */
int ipc_process_alive(ipc_pair *p);

/* Waits for the responder process, if any, to end, and frees the pair. */
void ipc_destroy(ipc_pair *p);

/* The responder's loop (common): `rounds` times, wait on channel 0, stamp
 * wake_ns (if asked), signal channel 1; then set `ended`. */
void ipc_respond(ipc_pair *p, int rounds);

/* Windows: the entry point of `lal-bench --ipc-peer ...` (the process
 * responder). Linux never calls it (fork runs ipc_respond directly). */
int ipc_peer_main(int argc, char **argv);

/* A thread pinned to a CPU, blocked where the OS delivers asynchronous
 * notifications (a signal handler / a user APC); each delivery stores
 * lal_now_ns() in *stamp. */
typedef struct ipc_alert ipc_alert;
ipc_alert *ipc_alert_start(int cpu, volatile uint64_t *stamp);
/* Delivers one notification; 0 if the OS accepted it. */
int ipc_alert_send(ipc_alert *a);
void ipc_alert_stop(ipc_alert *a);
/* "SIGUSR1 (pthread_kill -> handler in sigsuspend)" / "user APC (...)". */
const char *ipc_alert_name(void);

#endif
