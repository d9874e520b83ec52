#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest fixture for the Windows cross build: a fresh Wine prefix per test run,
# and one persistent wineserver so each test .exe starts in ~0.2 s, not ~2 s.
#   wine-prefix.sh setup|cleanup <prefix>
set -euo pipefail
action=$1 prefix=$2
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
# `wineserver -k` only asks the server to stop; it writes the registry into
# the prefix on its way out. Removing the prefix before it has gone races
# with that write (rm fails, or a half prefix is left behind): -w waits.
stop_server() {
  "$wineserver" -k </dev/null >/dev/null 2>&1 || true
  "$wineserver" -w </dev/null >/dev/null 2>&1 || true
}
case $action in
setup)
  stop_server
  rm -rf "$prefix"
  mkdir -p "$prefix"
  # Every Wine process started here gets /dev/null for its streams, and the
  # server is made persistent *before* wineboot so that the services wineboot
  # starts (services.exe, winedevice.exe) stay up for the whole run. Otherwise
  # the first test would start them, they would inherit ctest's output pipe,
  # and ctest would wait for that pipe to close until its timeout.
  "$wineserver" -p </dev/null >/dev/null 2>&1
  # wineboot can lose a race with the new server on a busy machine: check
  # that it finished (it stamps .update-timestamp last; the registry files
  # are written only when the server stops) and try once more if not.
  for attempt in 1 2; do
    wineboot -i </dev/null >/dev/null 2>&1 || true
    [[ -s $prefix/.update-timestamp && -d $prefix/drive_c/windows/system32 ]] && break
    echo "wineboot did not finish the prefix $prefix (attempt $attempt)" >&2
    sleep 2
  done
  [[ -s $prefix/.update-timestamp ]] || { echo "wine prefix setup failed: $prefix" >&2; exit 1; }
  echo "wine prefix ready: $prefix ($(wine --version))"
  ;;
cleanup)
  stop_server
  ;;
*)
  echo "usage: $0 setup|cleanup <prefix>" >&2
  exit 2
  ;;
esac
