/* SPDX-License-Identifier: MIT */
/* What lal.dll's DllMain (dllmain.c) undoes when the DLL is unloaded. */
#ifndef LAL_SRC_WINDOWS_UNLOAD_H
#define LAL_SRC_WINDOWS_UNLOAD_H

/* Frees sleep.c's fiber-local timer slot: its callback closes every thread's
 * timer now, and no callback into the unmapped DLL is left behind. */
void lali_win_sleep_unload(void);

#endif
