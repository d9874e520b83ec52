#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest fixture: a system D-Bus, polkitd and rtkit-daemon, as a desktop has
# them, and, as the user `nobody`, a session bus with xdg-desktop-portal on it
# (the Realtime portal, which forwards to rtkit), for the unprivileged realtime
# tests (test_rtkit). Root only; each daemon this script starts is recorded in
# STATE and stopped by `stop`, and the polkit rule it writes is removed. A
# system bus that already runs is used and left alone.
#   rtkit-services.sh start|stop STATE_DIR
# The session bus address is written to STATE/portal.address (absent when
# xdg-desktop-portal is not installed or did not come up).
# Facts relied on (shared/PLATFORM-NOTES.md, checked by hand): there is no
# login session here, so polkit needs a rule granting the RealtimeKit1
# actions; rtkit-daemon sets RLIMIT_FSIZE to 0 for itself and dies of
# SIGXFSZ on its first write to a regular file, so its stdio is /dev/null.
set -uo pipefail
action=$1 state=$2
rule=/etc/polkit-1/rules.d/49-lal-test-rtkit.rules
polkitd=/usr/lib/polkit-1/polkitd
rtkitd=/usr/libexec/rtkit-daemon
portald=/usr/libexec/xdg-desktop-portal
mkdir -p "$state"

has_name() {
  dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q "boolean true"
}
wait_name() {
  for _ in $(seq 1 100); do
    has_name "$1" && return 0
    sleep 0.05
  done
  return 1
}
stop_pid() { # file
  [[ -f $1 ]] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$1"
}

case $action in
start)
  if [[ $(id -u) != 0 ]]; then
    echo "rtkit-services: not root: nothing started (the tests skip)"
    exit 0
  fi
  for bin in dbus-daemon dbus-send "$polkitd" "$rtkitd"; do
    command -v "$bin" >/dev/null || [[ -x $bin ]] || {
      echo "rtkit-services: $bin not installed (packages dbus, polkitd, rtkit): nothing started"
      exit 0
    }
  done
  if ! has_name org.freedesktop.DBus; then
    # The standard system bus configuration without bus activation: a daemon
    # stopped by a test stays stopped (activation would restart rtkit on the
    # next call), and the services are exactly the ones started here.
    mkdir -p /run/dbus
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
    # (Its relative <includedir>system.d</includedir>, the services' own bus
    # policies, is made absolute: it is relative to the config file.)
    sed -e '/<standard_system_servicedirs\/>/d' -e '/<servicedir>/d' \
      -e 's|<includedir>system.d</includedir>|<includedir>/usr/share/dbus-1/system.d</includedir>|' \
      /usr/share/dbus-1/system.conf >"$state/system.conf"
    dbus-daemon --config-file="$state/system.conf" --fork --print-pid >"$state/dbus.pid" \
      </dev/null 2>/dev/null
    for _ in $(seq 1 100); do has_name org.freedesktop.DBus && break; sleep 0.05; done
  fi
  mkdir -p "$(dirname "$rule")"
  cat >"$rule" <<'RULE'
// Written by lal's tests (tests/linux/rtkit-services.sh) and removed after them.
polkit.addRule(function(action, subject) {
  if (action.id.indexOf("org.freedesktop.RealtimeKit1.") == 0)
    return polkit.Result.YES;
});
RULE
  if ! has_name org.freedesktop.PolicyKit1; then
    "$polkitd" --no-debug </dev/null >/dev/null 2>&1 &
    echo $! >"$state/polkitd.pid"
    wait_name org.freedesktop.PolicyKit1 || echo "rtkit-services: polkitd did not come up"
  fi
  bash "$0" start-rtkit "$state"
  bash "$0" start-portal "$state"
  ;;
start-portal)
  # A desktop session's bus and portal, as nobody (the user the tests drop
  # to): a private session bus in a 0700 runtime directory under /tmp (the
  # build tree may not be searchable by nobody), then xdg-desktop-portal on
  # it. Without a backend it still provides Realtime (realtime.c needs only
  # rtkit on the system bus); the "No skeleton to export" warning is about
  # the backend portals.
  [[ -x $portald ]] || { echo "rtkit-services: $portald not installed: no portal"; exit 0; }
  run=$(mktemp -d /tmp/lal-portal-XXXXXX)
  echo "$run" >"$state/portal.dir"
  chown 65534:65534 "$run"
  chmod 700 "$run"
  as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env)
  # No bus activation: the portal would start xdg-permission-store and
  # xdg-document-portal (a FUSE mount) on demand; only what is started here runs.
  sed -e '/<standard_session_servicedirs/d' -e '/<servicedir>/d' \
    /usr/share/dbus-1/session.conf >"$run/session.conf"
  chown 65534:65534 "$run/session.conf"
  "${as_nobody[@]}" dbus-daemon --config-file="$run/session.conf" --fork --print-pid \
    --address="unix:path=$run/bus" >"$state/session-bus.pid" </dev/null 2>/dev/null
  address="unix:path=$run/bus"
  "${as_nobody[@]}" env XDG_RUNTIME_DIR="$run" DBUS_SESSION_BUS_ADDRESS="$address" \
    "$portald" </dev/null >/dev/null 2>&1 &
  echo $! >"$state/portal.pid"
  for _ in $(seq 1 100); do
    if "${as_nobody[@]}" env DBUS_SESSION_BUS_ADDRESS="$address" dbus-send --session \
      --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.portal.Desktop 2>/dev/null |
      grep -q "boolean true"; then
      echo "$address" >"$state/portal.address"
      echo "rtkit-services: session bus and xdg-desktop-portal up as nobody"
      exit 0
    fi
    sleep 0.05
  done
  echo "rtkit-services: xdg-desktop-portal did not come up"
  ;;
stop-portal)
  rm -f "$state/portal.address"
  stop_pid "$state/portal.pid"
  stop_pid "$state/session-bus.pid"
  [[ -f $state/portal.dir ]] && rm -rf "$(cat "$state/portal.dir")" && rm -f "$state/portal.dir"
  ;;
start-rtkit)
  if ! has_name org.freedesktop.RealtimeKit1; then
    "$rtkitd" </dev/null >/dev/null 2>&1 &
    echo $! >"$state/rtkit.pid"
    wait_name org.freedesktop.RealtimeKit1 || echo "rtkit-services: rtkit-daemon did not come up"
  fi
  has_name org.freedesktop.RealtimeKit1 && echo "rtkit-services: system bus, polkitd, rtkit up"
  ;;
stop-rtkit)
  stop_pid "$state/rtkit.pid"
  ;;
stop)
  bash "$0" stop-portal "$state"
  stop_pid "$state/rtkit.pid"
  stop_pid "$state/polkitd.pid"
  if [[ -f $state/dbus.pid ]]; then
    stop_pid "$state/dbus.pid"
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
  fi
  rm -f "$rule"
  echo "rtkit-services: stopped what was started"
  ;;
*)
  echo "usage: $0 start|stop|start-rtkit|stop-rtkit|start-portal|stop-portal STATE_DIR" >&2
  exit 2
  ;;
esac
