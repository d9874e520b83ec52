/* SPDX-License-Identifier: MIT */
/*
 * lal.dll unloaded while a thread that slept through it lives on: the
 * thread's timer sits in fiber-local storage whose callback runs when the
 * thread exits. Had the DLL left its FLS callback registered, that exit would
 * call into unmapped code (an access violation that ends the process);
 * DllMain frees the index on unload, closing every thread's timer first.
 */
#include <windows.h>

#include "lal_test.h"

typedef int (*sleep_fn)(uint64_t ns, unsigned flags);

static HANDLE slept, go;

static DWORD WINAPI worker(LPVOID arg) {
  int rc = ((sleep_fn)arg)(1000000u, 0); /* creates this thread's cached timer */
  SetEvent(slept);
  WaitForSingleObject(go, INFINITE);
  return rc == LAL_OK ? 0 : 1;
}

/* The DLL's path as Windows takes it: a Unix path (the cross build under
 * Wine) is on drive Z:. */
static void dll_path(char *out, size_t size) {
  snprintf(out, size, "%s%s", LAL_DLL_PATH[0] == '/' ? "Z:" : "", LAL_DLL_PATH);
  for (char *p = out; *p; p++)
    if (*p == '/')
      *p = '\\';
}

static void a_thread_outlives_the_unloaded_dll(void **state) {
  (void)state;
  char path[MAX_PATH * 2];
  dll_path(path, sizeof path);
  HMODULE dll = LoadLibraryA(path);
  if (!dll)
    fail_msg("LoadLibrary(%s) failed: error %lu", path, (unsigned long)GetLastError());
  sleep_fn sleep_ns = (sleep_fn)(void (*)(void))GetProcAddress(dll, "lal_sleep_ns");
  assert_non_null(sleep_ns);
  slept = CreateEventW(NULL, TRUE, FALSE, NULL);
  go = CreateEventW(NULL, TRUE, FALSE, NULL);
  assert_true(slept && go);
  HANDLE thread = CreateThread(NULL, 0, worker, (LPVOID)sleep_ns, 0, NULL);
  assert_non_null(thread);
  assert_int_equal(WaitForSingleObject(slept, 30000), WAIT_OBJECT_0);

  assert_true(FreeLibrary(dll));
  HMODULE still = NULL;
  assert_false(GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, path, &still));

  SetEvent(go); /* the worker exits now, with lal.dll gone */
  assert_int_equal(WaitForSingleObject(thread, 30000), WAIT_OBJECT_0);
  DWORD code = 99;
  assert_true(GetExitCodeThread(thread, &code));
  assert_int_equal(code, 0);
  CloseHandle(thread);
  CloseHandle(slept);
  CloseHandle(go);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_thread_outlives_the_unloaded_dll),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
