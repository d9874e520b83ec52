/* SPDX-License-Identifier: MIT */
/*
 * Realtime scheduling for unprivileged threads through the desktop's brokers:
 * rtkit (org.freedesktop.RealtimeKit1 on the system bus) and, inside Flatpak
 * or where rtkit is unreachable, the xdg Realtime portal
 * (org.freedesktop.portal.Realtime on the session bus, which forwards to
 * rtkit). Both take the same calls: MakeThreadRealtimeWithPID(t pid, t tid,
 * u priority) and read-only properties MaxRealtimePriority (i), MinNiceLevel
 * (i), RTTimeUSecMax (x). SDL3's SDL_threadprio.c / SDL_dbus.c and
 * PipeWire's module-rt do the same.
 *
 * libdbus-1 is loaded at run time (dlopen), so one lal binary runs where it
 * is absent (then this step says so and the chain moves on). lal uses a
 * private connection, closed after the call, so it never touches the
 * application's own D-Bus connection.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lal_atomic.h"
#include "lal_internal.h"
#include "rtkit.h"

/* ---- the part of libdbus-1's ABI lal uses (dbus/dbus-*.h, stable since 1.0) */

typedef struct lal_dbus_error {
  const char *name;
  const char *message;
  unsigned int dummy1 : 1, dummy2 : 1, dummy3 : 1, dummy4 : 1, dummy5 : 1;
  void *padding1;
} lal_dbus_error;

/* DBusMessageIter is a public struct of 14 words in libdbus 1.x; 32 pointers'
 * worth of aligned space holds any version. */
typedef struct lal_dbus_iter {
  void *space[32];
} lal_dbus_iter;

typedef struct lal_dbus_connection lal_dbus_connection;
typedef struct lal_dbus_message lal_dbus_message;

enum { BUS_SESSION = 0, BUS_SYSTEM = 1 };
#define TYPE_INVALID 0
#define TYPE_INT32 ((int)'i')
#define TYPE_UINT32 ((int)'u')
#define TYPE_INT64 ((int)'x')
#define TYPE_UINT64 ((int)'t')
#define TYPE_STRING ((int)'s')
#define TYPE_VARIANT ((int)'v')
#define CALL_TIMEOUT_MS 2000

static struct dbus_api {
  void (*error_init)(lal_dbus_error *);
  void (*error_free)(lal_dbus_error *);
  lal_dbus_connection *(*bus_get_private)(int, lal_dbus_error *);
  lal_dbus_connection *(*connection_open_private)(const char *, lal_dbus_error *);
  unsigned (*bus_register)(lal_dbus_connection *, lal_dbus_error *);
  void (*set_exit_on_disconnect)(lal_dbus_connection *, unsigned);
  void (*connection_close)(lal_dbus_connection *);
  void (*connection_unref)(lal_dbus_connection *);
  lal_dbus_message *(*message_new_method_call)(const char *, const char *, const char *,
                                               const char *);
  unsigned (*message_append_args)(lal_dbus_message *, int, ...);
  lal_dbus_message *(*send_with_reply_and_block)(lal_dbus_connection *, lal_dbus_message *, int,
                                                 lal_dbus_error *);
  void (*message_unref)(lal_dbus_message *);
  unsigned (*iter_init)(lal_dbus_message *, lal_dbus_iter *);
  int (*iter_get_arg_type)(lal_dbus_iter *);
  void (*iter_recurse)(lal_dbus_iter *, lal_dbus_iter *);
  void (*iter_get_basic)(lal_dbus_iter *, void *);
} api;

static volatile int api_state; /* 0 not tried, 1 loaded, -1 absent */

static int load_api(void) {
  int state = lali_load_acquire(&api_state);
  if (state)
    return state > 0;
  /* The SONAME libdbus-1 has had since 1.0. RTLD_LOCAL: its symbols stay out
   * of the application's namespace. The handle is kept for the process. */
  void *h = dlopen("libdbus-1.so.3", RTLD_NOW | RTLD_LOCAL);
  struct dbus_api a;
  int ok = h != NULL;
#define RESOLVE(field, name)                                                                       \
  do {                                                                                             \
    void *sym = ok ? dlsym(h, name) : NULL;                                                        \
    ok = ok && sym;                                                                                \
    memcpy(&a.field, &sym, sizeof sym);                                                            \
  } while (0)
  RESOLVE(error_init, "dbus_error_init");
  RESOLVE(error_free, "dbus_error_free");
  RESOLVE(bus_get_private, "dbus_bus_get_private");
  RESOLVE(connection_open_private, "dbus_connection_open_private");
  RESOLVE(bus_register, "dbus_bus_register");
  RESOLVE(set_exit_on_disconnect, "dbus_connection_set_exit_on_disconnect");
  RESOLVE(connection_close, "dbus_connection_close");
  RESOLVE(connection_unref, "dbus_connection_unref");
  RESOLVE(message_new_method_call, "dbus_message_new_method_call");
  RESOLVE(message_append_args, "dbus_message_append_args");
  RESOLVE(send_with_reply_and_block, "dbus_connection_send_with_reply_and_block");
  RESOLVE(message_unref, "dbus_message_unref");
  RESOLVE(iter_init, "dbus_message_iter_init");
  RESOLVE(iter_get_arg_type, "dbus_message_iter_get_arg_type");
  RESOLVE(iter_recurse, "dbus_message_iter_recurse");
  RESOLVE(iter_get_basic, "dbus_message_iter_get_basic");
#undef RESOLVE
  if (ok)
    api = a; /* published by the release store below */
  else if (h)
    dlclose(h);
  lali_store_release(&api_state, ok ? 1 : -1);
  return ok;
}

/* ---- one broker: where it lives on which bus */

typedef struct broker {
  int bus;
  const char *name, *path, *iface;
  const char *label; /* "rtkit", "portal" */
} broker;

static const broker rtkit_broker = {BUS_SYSTEM, "org.freedesktop.RealtimeKit1",
                                    "/org/freedesktop/RealtimeKit1", "org.freedesktop.RealtimeKit1",
                                    "rtkit"};
static const broker portal_broker = {BUS_SESSION, "org.freedesktop.portal.Desktop",
                                     "/org/freedesktop/portal/desktop",
                                     "org.freedesktop.portal.Realtime", "portal"};

/* A private connection to the bus. The session bus by its address variable,
 * else at $XDG_RUNTIME_DIR/bus (systemd's user bus) by explicit address: the
 * process environment is never touched. */
static lal_dbus_connection *open_bus(int bus, lal_dbus_error *err) {
  if (bus == BUS_SYSTEM || getenv("DBUS_SESSION_BUS_ADDRESS"))
    return api.bus_get_private(bus, err);
  char address[600];
  snprintf(address, sizeof address, "unix:path=%s/bus", getenv("XDG_RUNTIME_DIR"));
  lal_dbus_connection *c = api.connection_open_private(address, err);
  if (c && !api.bus_register(c, err)) {
    api.connection_close(c);
    api.connection_unref(c);
    c = NULL;
  }
  return c;
}

/* A short reading of a D-Bus error for a result's reason (256 bytes shared
 * by every step): the well-known names in words, the rest by their message. */
static void describe_error(const lal_dbus_error *err, char *buf, size_t size) {
  const char *name = err->name ? err->name : "";
  if (strstr(name, "ServiceUnknown") || strstr(name, "NameHasNoOwner"))
    snprintf(buf, size, "not on the bus");
  else if (strstr(name, "NoReply") || strstr(name, "Timeout"))
    snprintf(buf, size, "no reply");
  else
    snprintf(buf, size, "%.80s", err->message ? err->message : name);
}

/* D-Bus error names -> statuses: a refusal is LAL_EPERM, an absent service
 * LAL_ENOTSUP, a timeout LAL_EAGAIN. */
static int status_of_error(const char *name) {
  if (!name)
    return LAL_EIO;
  if (strstr(name, "AccessDenied") || strstr(name, "NotAuthorized") || strstr(name, "Failed"))
    return LAL_EPERM;
  if (strstr(name, "ServiceUnknown") || strstr(name, "NameHasNoOwner") ||
      strstr(name, "UnknownMethod") || strstr(name, "UnknownInterface") ||
      strstr(name, "UnknownObject") || strstr(name, "NotSupported") || strstr(name, "NoServer") ||
      strstr(name, "FileNotFound"))
    return LAL_ENOTSUP;
  if (strstr(name, "NoReply") || strstr(name, "Timeout"))
    return LAL_EAGAIN;
  return LAL_EIO;
}

/* A Properties.Get of an integer property; LAL_OK and *out, or a status. */
static int get_int_property(lal_dbus_connection *c, const broker *b, const char *prop,
                            long long *out, char *reason, size_t size) {
  lal_dbus_message *m =
      api.message_new_method_call(b->name, b->path, "org.freedesktop.DBus.Properties", "Get");
  if (!m)
    return LAL_ENOMEM;
  const char *iface = b->iface;
  api.message_append_args(m, TYPE_STRING, &iface, TYPE_STRING, &prop, TYPE_INVALID);
  lal_dbus_error err;
  api.error_init(&err);
  lal_dbus_message *reply = api.send_with_reply_and_block(c, m, CALL_TIMEOUT_MS, &err);
  api.message_unref(m);
  if (!reply) {
    int rc = status_of_error(err.name);
    describe_error(&err, reason, size);
    api.error_free(&err);
    return rc;
  }
  int rc = LAL_EIO;
  lal_dbus_iter it, v;
  if (api.iter_init(reply, &it) && api.iter_get_arg_type(&it) == TYPE_VARIANT) {
    api.iter_recurse(&it, &v);
    int t = api.iter_get_arg_type(&v);
    if (t == TYPE_INT32 || t == TYPE_UINT32) {
      int32_t x = 0;
      api.iter_get_basic(&v, &x);
      *out = t == TYPE_INT32 ? x : (long long)(uint32_t)x;
      rc = LAL_OK;
    } else if (t == TYPE_INT64 || t == TYPE_UINT64) {
      int64_t x = 0;
      api.iter_get_basic(&v, &x);
      *out = x;
      rc = LAL_OK;
    }
  }
  api.message_unref(reply);
  if (rc != LAL_OK)
    snprintf(reason, size, "%s: property %s has an unexpected type", b->label, prop);
  return rc;
}

/* RLIMIT_RTTIME no higher than the broker's RTTimeUSecMax, soft and hard:
 * rtkit refuses a thread that could run realtime without bound, and the
 * kernel then sends SIGXCPU at the soft limit of CPU time without blocking
 * and SIGKILL at the hard one (getrlimit(2)). Lowering is always allowed;
 * raising the hard limit back is not (without CAP_SYS_RESOURCE), which is why
 * it is lowered only once a broker that can grant has answered. *lowered: 1
 * if it changed. */
static int limit_rttime(long long max_us, int *lowered, char *reason, size_t size) {
  struct rlimit rl;
  *lowered = 0;
  if (getrlimit(RLIMIT_RTTIME, &rl) != 0)
    return lali_fail_os();
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= (rlim_t)max_us)
    return LAL_OK;
  rl.rlim_cur = rl.rlim_max = (rlim_t)max_us;
  if (setrlimit(RLIMIT_RTTIME, &rl) != 0) {
    int rc = lali_fail_os();
    snprintf(reason, size, "setrlimit(RLIMIT_RTTIME, %lld us): errno %d", max_us,
             lal_last_os_error());
    return rc;
  }
  *lowered = 1;
  return LAL_OK;
}

/* libdbus, the broker's bus and a private connection to it; LAL_ENOTSUP with
 * g->reason when any is missing. */
static int broker_connect(const broker *b, lali_broker_grant *g, lal_dbus_connection **out) {
  memset(g, 0, sizeof *g);
  g->rttime_us = -1;
  if (!load_api()) {
    snprintf(g->reason, sizeof g->reason, "%s: libdbus-1.so.3 not found", b->label);
    return LAL_ENOTSUP;
  }
  /* Without DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus, libdbus would
   * "autolaunch" a session bus (dbus-launch): a library must not start
   * daemons, so no address means no portal. */
  if (b->bus == BUS_SESSION && !getenv("DBUS_SESSION_BUS_ADDRESS")) {
    const char *run = getenv("XDG_RUNTIME_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/bus", run ? run : "");
    if (!run || access(path, F_OK) != 0) {
      snprintf(g->reason, sizeof g->reason, "%s: no session bus", b->label);
      return LAL_ENOTSUP;
    }
  }
  lal_dbus_error err;
  api.error_init(&err);
  lal_dbus_connection *c = open_bus(b->bus, &err);
  api.error_free(&err);
  if (!c) {
    snprintf(g->reason, sizeof g->reason, "%s: no %s bus", b->label,
             b->bus == BUS_SYSTEM ? "system" : "session");
    return LAL_ENOTSUP;
  }
  api.set_exit_on_disconnect(c, 0);
  *out = c;
  return LAL_OK;
}

static void broker_close(lal_dbus_connection *c) {
  api.connection_close(c);
  api.connection_unref(c);
}

/* Make<method>WithPID(t pid, t tid, <type> value) on the calling thread. */
static int thread_method(lal_dbus_connection *c, const broker *b, const char *method, int type,
                         const void *value, char *detail, size_t size) {
  lal_dbus_message *m = api.message_new_method_call(b->name, b->path, b->iface, method);
  if (!m)
    return LAL_ENOMEM;
  uint64_t pid = (uint64_t)getpid(), tid = (uint64_t)syscall(SYS_gettid);
  api.message_append_args(m, TYPE_UINT64, &pid, TYPE_UINT64, &tid, type, value, TYPE_INVALID);
  lal_dbus_error err;
  api.error_init(&err);
  lal_dbus_message *reply = api.send_with_reply_and_block(c, m, CALL_TIMEOUT_MS, &err);
  api.message_unref(m);
  if (reply) {
    api.message_unref(reply);
    return LAL_OK;
  }
  int rc = status_of_error(err.name);
  describe_error(&err, detail, size);
  api.error_free(&err);
  return rc;
}

/* The calling thread's nice value (getpriority(2) on its tid). */
static int32_t own_nice(void) {
  errno = 0;
  int n = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
  return errno ? 0 : n;
}

int lali_linux_broker_realtime(int which, uint32_t want, lali_broker_grant *g) {
  const broker *b = which == LALI_BROKER_PORTAL ? &portal_broker : &rtkit_broker;
  lal_dbus_connection *c = NULL;
  int rc = broker_connect(b, g, &c);
  if (rc != LAL_OK)
    return rc;
  long long max_prio = 0, min_nice = 0, rttime = 0;
  char detail[160] = "";
  rc = get_int_property(c, b, "MaxRealtimePriority", &max_prio, detail, sizeof detail);
  if (rc == LAL_OK)
    rc = get_int_property(c, b, "RTTimeUSecMax", &rttime, detail, sizeof detail);
  if (rc == LAL_OK)
    get_int_property(c, b, "MinNiceLevel", &min_nice, detail, sizeof detail);
  if (rc == LAL_OK && max_prio < 1) {
    rc = LAL_EPERM;
    snprintf(detail, sizeof detail, "MaxRealtimePriority %lld", max_prio);
  }
  /* The portal answers its properties itself, with rtkit stopped behind it
   * too. Before lowering a limit that cannot be raised again, ask it for
   * what the thread already has (its own nice): only rtkit can say yes. */
  if (rc == LAL_OK && which == LALI_BROKER_PORTAL) {
    int32_t nice = own_nice();
    rc = thread_method(c, b, "MakeThreadHighPriorityWithPID", TYPE_INT32, &nice, detail,
                       sizeof detail);
  }
  uint32_t prio = want;
  int lowered = 0;
  if (rc == LAL_OK) {
    g->max_priority = (int)max_prio;
    g->min_nice = (int)min_nice;
    g->rttime_us = rttime;
    if ((long long)prio > max_prio) {
      prio = (uint32_t)max_prio;
      g->clamped = 1;
    }
    rc = limit_rttime(rttime, &lowered, detail, sizeof detail);
    g->rttime_lowered = lowered;
  }
  if (rc == LAL_OK)
    rc =
        thread_method(c, b, "MakeThreadRealtimeWithPID", TYPE_UINT32, &prio, detail, sizeof detail);
  broker_close(c);
  g->priority = rc == LAL_OK ? (int)prio : 0;
  char lim[96] = "";
  if (lowered)
    snprintf(lim, sizeof lim, "; RLIMIT_RTTIME lowered to %lld us, soft and hard", rttime);
  if (rc == LAL_OK && g->clamped)
    snprintf(g->reason, sizeof g->reason,
             "%.8s: SCHED_RR %u (asked %u; %.8s allows at most %lld)%.60s", b->label, prio, want,
             b->label, max_prio, lim);
  else if (rc == LAL_OK)
    snprintf(g->reason, sizeof g->reason, "%.8s: SCHED_RR %u%.60s", b->label, prio, lim);
  else
    snprintf(g->reason, sizeof g->reason, "%.8s: %.16s (%.90s)%.60s", b->label, lal_err_name(rc),
             detail, lim);
  return rc;
}

int lali_linux_broker_nice(int which, int want, lali_broker_grant *g) {
  const broker *b = which == LALI_BROKER_PORTAL ? &portal_broker : &rtkit_broker;
  lal_dbus_connection *c = NULL;
  int rc = broker_connect(b, g, &c);
  if (rc != LAL_OK)
    return rc;
  long long min_nice = 0;
  char detail[160] = "";
  rc = get_int_property(c, b, "MinNiceLevel", &min_nice, detail, sizeof detail);
  int32_t nice = want;
  if (rc == LAL_OK) {
    g->min_nice = (int)min_nice;
    if (nice < min_nice) { /* rtkit refuses below its MinNiceLevel (default -15) */
      nice = (int32_t)min_nice;
      g->clamped = 1;
    }
    rc = thread_method(c, b, "MakeThreadHighPriorityWithPID", TYPE_INT32, &nice, detail,
                       sizeof detail);
  }
  broker_close(c);
  g->nice = rc == LAL_OK ? nice : 0;
  if (rc == LAL_OK && g->clamped)
    snprintf(g->reason, sizeof g->reason, "%s: nice %d (asked %d; %s allows at most %lld)",
             b->label, nice, want, b->label, min_nice);
  else if (rc == LAL_OK)
    snprintf(g->reason, sizeof g->reason, "%s: nice %d", b->label, nice);
  else
    snprintf(g->reason, sizeof g->reason, "%s: %s (%s)", b->label, lal_err_name(rc), detail);
  return rc;
}

int lali_linux_in_flatpak(const char *root) {
  char path[512];
  snprintf(path, sizeof path, "%s/.flatpak-info", root);
  return access(path, F_OK) == 0;
}
