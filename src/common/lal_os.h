/*
 * lal_os.h — the internal contract each operating system implements, once, in
 * src/linux/ and once in src/windows/. Common code calls only these; it never
 * includes an OS header and never asks which OS it runs on.
 *
 * Conventions: arguments were validated by the common entry point, so these
 * functions assume valid input. Functions returning int return LAL_OK or a
 * negative lal_status; a failed OS call is reported through lal__fail_os().
 */
#ifndef LAL_OS_H
#define LAL_OS_H

#include "lal.h"

/* ---- errors (error.c) */

/* The calling thread's current native error: errno, or GetLastError(). */
int lal__os_native_error(void);

/* The one translator from a native error code to a portable lal_status.
 * Native 0 maps to LAL_EIO: a failure without a cause is still a failure. */
int lal__os_status_from_native(int native);

/* ---- system facts (system.c) */

/* Logical CPUs the OS knows: Linux sysconf(_SC_NPROCESSORS_CONF); Windows
 * GetActiveProcessorCount(ALL_PROCESSOR_GROUPS). >= 1, or a negative status. */
int lal__os_cpu_count(void);

/* Fills the OS-specific fields of *caps (machine_features, cpu_count,
 * memlock_limit, large_page_size, os_name, os_release). caps is a full,
 * zeroed, lal_caps. A failing probe leaves its field 0. */
void lal__os_query_caps(lal_caps *caps);

#endif /* LAL_OS_H */
