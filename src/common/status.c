/* SPDX-License-Identifier: MIT */
/* Portable status names and the per-thread record of the last OS error. */
#include "lal_internal.h"
#include "lal_os.h"

static LALI_THREAD_LOCAL int last_os_error;

struct status_text {
  const char *name;
  const char *text;
};

/* Indexed by -status; the enum is append-only, so is this table. */
static const struct status_text status_texts[] = {
    {"LAL_OK", "success"},
    {"LAL_EINVAL", "invalid argument"},
    {"LAL_EPERM", "operation not permitted (privilege or limit)"},
    {"LAL_ENOTSUP", "not supported by this OS, kernel, build or machine"},
    {"LAL_ENOMEM", "out of memory or memory quota"},
    {"LAL_ERANGE", "result out of range or request cannot be met"},
    {"LAL_EBUSY", "resource busy"},
    {"LAL_EAGAIN", "temporarily unavailable or timed out"},
    {"LAL_ENOENT", "no such object"},
    {"LAL_EIO", "operating system failure"},
};

static const struct status_text *status_lookup(int status) {
  /* Compared on the negative side: -INT_MIN overflows int, and long too where
   * long is 32 bits (every Windows compiler). */
  int count = (int)(sizeof status_texts / sizeof status_texts[0]);
  if (status > 0 || status <= -count)
    return NULL;
  return &status_texts[-status];
}

const char *lal_strerror(int status) {
  const struct status_text *t = status_lookup(status);
  return t ? t->text : "unknown lal status";
}

const char *lal_err_name(int status) {
  const struct status_text *t = status_lookup(status);
  return t ? t->name : "LAL_UNKNOWN";
}

int lal_last_os_error(void) { return last_os_error; }

int lali_fail_native(int native) {
  last_os_error = native;
  return lali_os_status_from_native(native);
}

int lali_fail_os(void) { return lali_fail_native(lali_os_native_error()); }
