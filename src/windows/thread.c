/* SPDX-License-Identifier: MIT */
/* Windows threads, the one-shot event, names and stack bounds. */
#include <limits.h>
#include <process.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "compat.h"
#include "lal_internal.h"
#include "lal_os.h"

struct lali_os_thread {
  HANDLE handle;
  DWORD id;
  void (*entry)(void *);
  void *arg;
};

static unsigned __stdcall trampoline(void *p) {
  lali_os_thread *t = p;
  t->entry(t->arg);
  return 0;
}

int lali_os_thread_start(lali_os_thread **out, size_t stack_size, void (*entry)(void *),
                         void *arg) {
  lali_os_thread *t = calloc(1, sizeof *t);
  if (!t)
    return LAL_ENOMEM;
  t->entry = entry;
  t->arg = arg;
  /* _beginthreadex, not CreateThread, so the C runtime sets up its per-thread
   * state. STACK_SIZE_PARAM_IS_A_RESERVATION: stack_size is the reserve (the
   * thread's real limit), not the initial commit ("Thread Stack Size"). */
  if (stack_size > UINT_MAX) { /* _beginthreadex takes an unsigned: never truncate */
    free(t);
    return LAL_ERANGE;
  }
  unsigned id;
  uintptr_t h = _beginthreadex(NULL, (unsigned)stack_size, trampoline, t,
                               stack_size ? STACK_SIZE_PARAM_IS_A_RESERVATION : 0, &id);
  if (h == 0) {
    int rc = lali_fail_os();
    free(t);
    return rc;
  }
  t->handle = (HANDLE)h;
  t->id = id;
  *out = t;
  return LAL_OK;
}

int lali_os_thread_join(lali_os_thread *t) {
  int rc = WaitForSingleObject(t->handle, INFINITE) == WAIT_OBJECT_0 ? LAL_OK : lali_fail_os();
  CloseHandle(t->handle);
  free(t);
  return rc;
}

int lali_os_thread_is_self(const lali_os_thread *t) { return t->id == GetCurrentThreadId(); }

struct lali_os_event {
  HANDLE handle;
};

int lali_os_event_create(lali_os_event **out) {
  lali_os_event *e = calloc(1, sizeof *e);
  if (!e)
    return LAL_ENOMEM;
  e->handle = CreateEventW(NULL, TRUE, FALSE, NULL); /* manual reset, not signalled */
  if (!e->handle) {
    int rc = lali_fail_os();
    free(e);
    return rc;
  }
  *out = e;
  return LAL_OK;
}

void lali_os_event_signal(lali_os_event *e) { SetEvent(e->handle); }
void lali_os_event_wait(lali_os_event *e) { WaitForSingleObject(e->handle, INFINITE); }

void lali_os_event_destroy(lali_os_event *e) {
  CloseHandle(e->handle);
  free(e);
}

/* SetThreadDescription / GetThreadDescription: kernel32 exports them from
 * Windows 10 1703; on 1607 (LTSB 2016, Server 2016) only KernelBase.dll does. */
static void (*thread_description_proc(const char *name))(void) {
  void (*f)(void) = lali_win_proc(L"kernel32.dll", name);
  return f ? f : lali_win_proc(L"KernelBase.dll", name);
}

int lali_os_thread_set_name(const char *name) {
  lal_set_thread_description_fn set =
      (lal_set_thread_description_fn)thread_description_proc("SetThreadDescription");
  if (!set)
    return LAL_ENOTSUP; /* before Windows 10 1607 */
  WCHAR wide[256];
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, wide, 256) == 0)
    return lali_fail_os();
  HRESULT hr = set(GetCurrentThread(), wide);
  return SUCCEEDED(hr) ? LAL_OK : lali_fail_native((int)HRESULT_CODE(hr));
}

int lali_os_thread_get_name(char *buf, size_t size) {
  lal_get_thread_description_fn get =
      (lal_get_thread_description_fn)thread_description_proc("GetThreadDescription");
  if (!get)
    return LAL_ENOTSUP;
  PWSTR wide = NULL;
  HRESULT hr = get(GetCurrentThread(), &wide);
  if (FAILED(hr))
    return lali_fail_native((int)HRESULT_CODE(hr));
  char utf8[1024];
  int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, utf8, sizeof utf8, NULL, NULL);
  LocalFree(wide);
  if (n == 0)
    return lali_fail_os();
  if ((size_t)n > size)
    return LAL_ERANGE;
  memcpy(buf, utf8, (size_t)n);
  return LAL_OK;
}

/* The calling thread's NT_TIB (the head of its TEB). On x86-64 gs:[0x30] is
 * NT_TIB.Self; read by hand because GCC 12 at -O3 flags mingw's
 * __readgsqword (inside NtCurrentTeb) as an out-of-bounds access of a
 * constant address (-Warray-bounds, GCC PR 105523). */
static NT_TIB *current_tib(void) {
#if defined(__GNUC__) && defined(__x86_64__)
  NT_TIB *self;
  __asm__("movq %%gs:0x30, %0" : "=r"(self));
  return self;
#else
  return (NT_TIB *)NtCurrentTeb();
#endif
}

int lali_os_stack_bounds(uintptr_t *low, uintptr_t *high) {
  /* The whole reservation starts at the AllocationBase of any stack page
   * (VirtualQuery); the TEB's NT_TIB.StackBase is its top. Windows 7 has no
   * GetCurrentThreadStackLimits. */
  MEMORY_BASIC_INFORMATION mbi;
  volatile char here = 0;
  if (VirtualQuery((const void *)&here, &mbi, sizeof mbi) == 0)
    return lali_fail_os();
  NT_TIB *tib = current_tib();
  *low = (uintptr_t)mbi.AllocationBase;
  *high = (uintptr_t)tib->StackBase;
  return LAL_OK;
}
