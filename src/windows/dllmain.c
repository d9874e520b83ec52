/* SPDX-License-Identifier: MIT */
/*
 * lal.dll's entry point, built into the DLL only (a static library must not
 * bring a DllMain into the program it is linked into). It exists for one
 * thing: an FLS callback registered by the DLL must not outlive it. A thread
 * that slept through lal keeps its timer in fiber-local storage whose
 * callback closes the timer when the thread exits (sleep.c); after
 * FreeLibrary that callback would be a call into unmapped code. FlsFree calls
 * the callback for every fiber that holds a value and frees the index
 * ("FlsFree"). At process exit (reserved != NULL) nothing is freed: the
 * process is going away and "DllMain entry point" advises against cleanup
 * then, since other threads are already gone.
 */
#include <windows.h>

#include "unload.h"

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void)instance;
  if (reason == DLL_PROCESS_DETACH && reserved == NULL)
    lali_win_sleep_unload();
  return TRUE;
}
