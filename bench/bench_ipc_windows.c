/* SPDX-License-Identifier: MIT */
/* Windows side of bench_ipc.h. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_ipc.h"
#include "bench_os.h"
#include "lal.h"

struct ipc_pair {
  ipc_kind kind;
  int cross_process;
  HANDLE map; /* pagefile-backed section: the shared block, inheritable */
  ipc_shared *sh;
  HANDLE rd[2], wr[2]; /* per channel; an event is both */
  HANDLE process;
};

/* WaitOnAddress is Windows 8+ (kernelbase.dll, API set synch-l1-2-0):
 * resolved at run time so lal-bench still starts where it is missing. */
typedef BOOL(WINAPI *wait_on_address_fn)(volatile VOID *, PVOID, SIZE_T, DWORD);
typedef VOID(WINAPI *wake_by_address_fn)(PVOID);
static wait_on_address_fn wait_on_address;
static wake_by_address_fn wake_by_address;

static int resolve_wait_on_address(void) {
  HMODULE kb = GetModuleHandleW(L"kernelbase.dll");
  if (kb && !wait_on_address) {
    wait_on_address = (wait_on_address_fn)(void (*)(void))GetProcAddress(kb, "WaitOnAddress");
    wake_by_address = (wake_by_address_fn)(void (*)(void))GetProcAddress(kb, "WakeByAddressSingle");
  }
  return wait_on_address && wake_by_address;
}

const char *ipc_kind_os_name(ipc_kind kind) {
  return kind == IPC_FUTEX ? "WaitOnAddress" : kind == IPC_EVENT ? "event" : "pipe";
}

static ipc_pair *pair_new(ipc_kind kind, int cross_process) {
  ipc_pair *p = calloc(1, sizeof *p);
  if (p) {
    p->kind = kind;
    p->cross_process = cross_process;
  }
  return p;
}

static void pair_free(ipc_pair *p) {
  if (p->sh)
    UnmapViewOfFile((void *)p->sh);
  if (p->map)
    CloseHandle(p->map);
  for (int c = 0; c < 2; c++) {
    if (p->rd[c])
      CloseHandle(p->rd[c]);
    if (p->wr[c] && p->wr[c] != p->rd[c])
      CloseHandle(p->wr[c]);
  }
  free(p);
}

ipc_pair *ipc_create(ipc_kind kind, int cross_process, char *reason, size_t reason_len) {
  if (kind == IPC_FUTEX && cross_process) {
    snprintf(reason, reason_len, "WaitOnAddress works within one process only");
    return NULL;
  }
  if (kind == IPC_FUTEX && !resolve_wait_on_address()) {
    snprintf(reason, reason_len, "WaitOnAddress is not exported here (Windows 8 or later)");
    return NULL;
  }
  ipc_pair *p = pair_new(kind, cross_process);
  if (!p) {
    snprintf(reason, reason_len, "out of memory");
    return NULL;
  }
  /* Inheritable handles: the process responder is started with
   * bInheritHandles = TRUE and told their values on its command line. */
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  p->map =
      CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, sizeof(ipc_shared), NULL);
  p->sh = p->map ? MapViewOfFile(p->map, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(ipc_shared)) : NULL;
  int ok = p->sh != NULL;
  for (int c = 0; ok && c < 2; c++) {
    if (kind == IPC_EVENT)
      ok = (p->rd[c] = p->wr[c] = CreateEventW(&sa, FALSE, FALSE, NULL)) != NULL;
    else if (kind == IPC_PIPE)
      ok = CreatePipe(&p->rd[c], &p->wr[c], &sa, 0);
  }
  if (!ok) {
    snprintf(reason, reason_len, "%s: error %lu", ipc_kind_os_name(kind), GetLastError());
    pair_free(p);
    return NULL;
  }
  return p;
}

ipc_shared *ipc_shared_of(ipc_pair *p) { return p->sh; }

void ipc_signal(ipc_pair *p, int c) {
  if (p->kind == IPC_FUTEX) {
    InterlockedExchange((volatile LONG *)&p->sh->word[c], 1);
    wake_by_address((PVOID)&p->sh->word[c]);
  } else if (p->kind == IPC_EVENT) {
    SetEvent(p->wr[c]);
  } else {
    char b = 1;
    DWORD n;
    WriteFile(p->wr[c], &b, 1, &n, NULL);
  }
}

void ipc_wait(ipc_pair *p, int c) {
  if (p->kind == IPC_FUTEX) {
    /* WaitOnAddress returns when the value differs from `zero` (or spuriously):
     * consume the flag, sleep only while it is 0. */
    ULONG zero = 0;
    while (!InterlockedExchange((volatile LONG *)&p->sh->word[c], 0))
      wait_on_address(&p->sh->word[c], &zero, sizeof zero, INFINITE);
  } else if (p->kind == IPC_EVENT) {
    WaitForSingleObject(p->rd[c], INFINITE);
  } else {
    char b;
    DWORD n;
    ReadFile(p->rd[c], &b, 1, &n, NULL);
  }
}

int ipc_process_alive(ipc_pair *p) {
  return !p->process || WaitForSingleObject(p->process, 0) == WAIT_TIMEOUT;
}

/* Windows has no fork: the process responder is lal-bench itself, run with
 * --ipc-peer KIND CPU ROUNDS MAP R0 W0 R1 W1 (inherited handle values). */
int ipc_start_process(ipc_pair *p, int cpu, int rounds) {
  wchar_t exe[MAX_PATH];
  DWORD len = GetModuleFileNameW(NULL, exe, MAX_PATH);
  if (len == 0 || len >= MAX_PATH)
    return -1;
  wchar_t cmd[MAX_PATH + 256];
  _snwprintf(cmd, sizeof cmd / sizeof cmd[0],
             L"\"%ls\" --ipc-peer %d %d %d %llu %llu %llu %llu %llu", exe, (int)p->kind, cpu,
             rounds, (unsigned long long)(uintptr_t)p->map, (unsigned long long)(uintptr_t)p->rd[0],
             (unsigned long long)(uintptr_t)p->wr[0], (unsigned long long)(uintptr_t)p->rd[1],
             (unsigned long long)(uintptr_t)p->wr[1]);
  cmd[sizeof cmd / sizeof cmd[0] - 1] = 0;
  STARTUPINFOW si = {0};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi;
  /* Wine's CreateProcess fails now and then on a loaded machine (its
   * wineserver busy starting another process): try three times, 200 ms
   * apart, before calling the series broken. A failure on Windows itself
   * (no memory, a policy) fails the same way three times. */
  wchar_t line[sizeof cmd / sizeof cmd[0]];
  int started = 0;
  for (int attempt = 0; attempt < 3 && !started; attempt++) {
    if (attempt)
      Sleep(200);
    memcpy(line, cmd, sizeof cmd); /* CreateProcessW may write to its command line */
    started = CreateProcessW(exe, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi) != 0;
  }
  if (!started)
    return -1;
  CloseHandle(pi.hThread);
  p->process = pi.hProcess;
  return 0;
}

void ipc_destroy(ipc_pair *p) {
  if (p->process) {
    WaitForSingleObject(p->process, INFINITE);
    CloseHandle(p->process);
  }
  pair_free(p);
}

int ipc_peer_main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "lal-bench: --ipc-peer takes 8 arguments (started by lal-bench itself)\n");
    return 2;
  }
  ipc_pair *p = pair_new((ipc_kind)atoi(argv[0]), 1);
  if (!p)
    return 1;
  int cpu = atoi(argv[1]), rounds = atoi(argv[2]);
  HANDLE h[5];
  for (int i = 0; i < 5; i++)
    h[i] = (HANDLE)(uintptr_t)_strtoui64(argv[3 + i], NULL, 10);
  p->map = h[0];
  p->rd[0] = h[1], p->wr[0] = h[2], p->rd[1] = h[3], p->wr[1] = h[4];
  p->sh = MapViewOfFile(p->map, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(ipc_shared));
  if (!p->sh) {
    pair_free(p);
    return 1;
  }
  bench_os_pin(cpu);
  ipc_respond(p, rounds);
  pair_free(p);
  return 0;
}

/* Alerts: a user APC (QueueUserAPC) runs only when its thread waits
 * alertably; the target sleeps in SleepEx(INFINITE, TRUE), which returns
 * WAIT_IO_COMPLETION after the APC ran: the latency is queue -> APC. */
struct ipc_alert {
  lal_thread *thread;
  HANDLE target;
  volatile LONG ready, stop;
  volatile uint64_t *stamp;
};

static void CALLBACK alert_apc(ULONG_PTR arg) {
  ipc_alert *a = (ipc_alert *)arg;
  *a->stamp = lal_now_ns();
}

static int alert_thread(void *arg) {
  ipc_alert *a = arg;
  HANDLE self;
  DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &self, 0, FALSE,
                  DUPLICATE_SAME_ACCESS);
  a->target = self;
  InterlockedExchange(&a->ready, 1);
  while (!InterlockedCompareExchange(&a->stop, 0, 0))
    SleepEx(INFINITE, TRUE);
  return 0;
}

ipc_alert *ipc_alert_start(int cpu, volatile uint64_t *stamp) {
  ipc_alert *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->stamp = stamp;
  if (bench_thread_on(&a->thread, cpu, alert_thread, a) != LAL_OK) {
    free(a);
    return NULL;
  }
  while (!InterlockedCompareExchange(&a->ready, 0, 0))
    SwitchToThread();
  return a;
}

int ipc_alert_send(ipc_alert *a) {
  return QueueUserAPC(alert_apc, a->target, (ULONG_PTR)a) ? 0 : -1;
}

void ipc_alert_stop(ipc_alert *a) {
  InterlockedExchange(&a->stop, 1);
  QueueUserAPC(alert_apc, a->target, (ULONG_PTR)a);
  lal_thread_join(a->thread, NULL);
  CloseHandle(a->target);
  free(a);
}

const char *ipc_alert_name(void) { return "user APC via QueueUserAPC, thread in SleepEx"; }
