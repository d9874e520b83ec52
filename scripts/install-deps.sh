#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian/Ubuntu packages lal's build and tests need; does nothing
# when they are all present. Uses sudo when not root.
#   scripts/install-deps.sh            everything: build, tests, fuzzing, Windows cross + Wine
#   scripts/install-deps.sh --build    only what building the library and tools needs
#   scripts/install-deps.sh --main     the main job (scripts/run.sh): --build, plus the
#                                      mingw-w64 cross compiler and Wine for its Windows run
set -euo pipefail

# libhwloc-dev: hwloc's headers (liblal loads libhwloc.so.15 at run time when
# present; without it topology comes from /sys). liburing-dev, libxdp-dev,
# libbpf-dev: the io_uring and XDP modules (liblal-uring, liblal-xdp).
build_pkgs=(cmake ninja-build gcc g++ pkg-config python3
            libhwloc-dev liburing-dev libxdp-dev libbpf-dev
            # lal-history's stores (SQLite by default, PostgreSQL's client) and
            # the content hash (libcrypto)
            libsqlite3-dev libpq-dev libssl-dev)
# Windows: mingw-w64 cross compilers (C with win32 threads, so lal.dll needs no
# winpthread DLL; C++ with posix threads, the model whose libstdc++ has
# std::thread) and Wine to run the tests and the main job's Windows run.
windows_pkgs=(gcc-mingw-w64-x86-64-win32 g++-mingw-w64-x86-64-win32
              g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
              mingw-w64-x86-64-dev
              wine64 wine)
test_pkgs=(libcmocka-dev clang clang-format
           # dpkg-dev unpacks CMocka's Debian source package for the mingw build.
           dpkg-dev
           # validates `lal doctor --json` against support/doctor/lal-doctor.schema.json
           python3-jsonschema
           # renders lal-compare's HTML report headless in a test
           chromium
           # the memcheck pass over the Linux tests (scripts/valgrind-tests.sh)
           valgrind
           # `pkg-config --static --libs lal-static` names hwloc's -ludev: the
           # static consumer test links it
           libudev-dev
           # the MSVC-style Windows build: clang-cl, lld-link, llvm-lib, llvm-rc
           clang-tools lld llvm
           # lints the man pages (groff -ww -z)
           groff-base
           # checks the exported ABI against abi/ (abidw, abidiff)
           abigail-tools
           # realtime without root against the real brokers (test_rtkit's fixture):
           # a system bus, polkitd, rtkit-daemon, and xdg-desktop-portal on a
           # session bus; libdbus-1 is what lal loads at run time
           dbus-daemon dbus-bin polkitd rtkit xdg-desktop-portal libdbus-1-3
           # lal-history's suite: a real PostgreSQL server (started by the test,
           # unprivileged, on a socket in a temp dir), psql and sqlite3 for its checks
           postgresql postgresql-client sqlite3)

pkgs=("${build_pkgs[@]}")
case ${1:-} in
--build) ;;
--main) pkgs+=("${windows_pkgs[@]}") ;;
"") pkgs+=("${windows_pkgs[@]}" "${test_pkgs[@]}") ;;
*)
  echo "usage: $0 [--build|--main]" >&2
  exit 2
  ;;
esac

missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || echo "$p"
  done
}

# clang's libFuzzer and sanitizer runtimes live in a versioned package on
# Debian 12+ (libclang-rt-N-dev); add it once clang's version is known.
clang_rt() {
  local v
  v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n1)
  [[ -n $v ]] && apt-cache show "libclang-rt-$v-dev" >/dev/null 2>&1 && echo "libclang-rt-$v-dev"
  return 0
}

run_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

install() {
  echo "install-deps: installing: $*"
  export DEBIAN_FRONTEND=noninteractive
  # --no-install-recommends: Wine's recommends pull ~2 GB of desktop packages.
  run_root apt-get install -y -q --no-install-recommends "$@" ||
    { run_root apt-get update -q && run_root apt-get install -y -q --no-install-recommends "$@"; }
}

todo=$(missing "${pkgs[@]}")
if [[ -n $todo ]]; then
  # shellcheck disable=SC2086
  install $todo
fi
if [[ -z ${1:-} ]]; then
  rt=$(clang_rt)
  if [[ -n $rt && -n $(missing "$rt") ]]; then
    install "$rt"
  fi
fi
echo "install-deps: all present"
