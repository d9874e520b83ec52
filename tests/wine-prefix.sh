#!/usr/bin/env bash
# ctest fixture for the Windows cross build: a fresh Wine prefix per test run,
# and one persistent wineserver so each test .exe starts in ~0.2 s, not ~2 s.
#   wine-prefix.sh setup|cleanup <prefix>
set -euo pipefail
action=$1 prefix=$2
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
case $action in
setup)
  "$wineserver" -k 2>/dev/null || true
  rm -rf "$prefix"
  mkdir -p "$prefix"
  wineboot -i >/dev/null 2>&1
  "$wineserver" -w # wait until wineboot's processes have finished
  "$wineserver" -p
  echo "wine prefix ready: $prefix ($(wine --version))"
  ;;
cleanup)
  "$wineserver" -k 2>/dev/null || true
  ;;
*)
  echo "usage: $0 setup|cleanup <prefix>" >&2
  exit 2
  ;;
esac
