#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian packages, as a user gets them: build liblal1, liblal-dev,
# lal-tools and the module packages (liblal-uring1/-dev, liblal-xdp1/-dev)
# (preset `deb`, CPack), check that liblal1 depends on the C library alone,
# that every package and lal itself say the same version, that a build
# configured for another prefix still packages under /usr,
# install them with apt on this machine,
# build the consumer project against /usr through find_package and through
# pkg-config (shared and static), run it and the tools, read a man page, and
# purge the packages again. Needs root for apt; without it, says so and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/deb
cmake --preset deb
cmake --build --preset deb
rm -rf "$build/packages"
(cd "$build" && cpack -B packages)
debs=("$build"/packages/*.deb)
# One version everywhere: lal.h's, which CMake read into the project's, in
# every package.
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[[ -n $version ]] || { echo "deb: no project version in $build/CMakeCache.txt"; exit 1; }
soversion=$(sed -n 's/^set(LAL_SOVERSION \([0-9]*\))$/\1/p' CMakeLists.txt)
for d in "${debs[@]}"; do
  echo "deb: $(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version): $(dpkg-deb -f "$d" Depends)"
  [[ $(dpkg-deb -f "$d" Version) == "$version" ]] ||
    { echo "deb: $d is not version $version (lal.h)"; exit 1; }
done
runtime=("$build"/packages/liblal"$soversion"_*.deb)
[[ -f ${runtime[0]} ]] || { echo "deb: no liblal$soversion package (SOVERSION $soversion)"; exit 1; }
listing=$(dpkg-deb -c "${runtime[0]}")
grep -q "liblal.so.$soversion -> liblal.so.$version" <<<"$listing" ||
  { echo "deb: liblal$soversion lacks the SONAME link liblal.so.$soversion"; exit 1; }
# A game ships liblal.so.1: it must need nothing beyond the C runtime.
runtime_deps=$(dpkg-deb -f "${runtime[0]}" Depends | tr ',' '\n' | sed 's/^ *//')
if grep -v '^libc6' <<<"$runtime_deps" | grep -q .; then
  echo "deb: liblal$soversion depends on more than the C library: $runtime_deps"
  exit 1
fi
# A build configured for another prefix still packages under /usr (the
# library alone: enough to see where CPack puts files).
elsewhere=build/deb-elsewhere
cmake --preset deb -B "$elsewhere" -DCMAKE_INSTALL_PREFIX=/opt/lal-elsewhere -DLAL_BUILD_TOOLS=OFF \
  -DLAL_BUILD_BENCH=OFF >/dev/null
cmake --build "$elsewhere" --target lal >/dev/null
(cd "$elsewhere" && cpack -B packages -D CPACK_COMPONENTS_ALL=runtime >/dev/null)
outside=$(dpkg-deb -c "$elsewhere"/packages/liblal"$soversion"_*.deb | awk '{print $6}' |
  grep -v '^\./usr/\|^\./$' || true)
[[ -z $outside ]] || { echo "deb: a build for /opt/lal-elsewhere packaged outside /usr: $outside"; exit 1; }
echo "deb: a build configured for /opt/lal-elsewhere packages under /usr"
if [[ $(id -u) != 0 ]]; then
  echo "deb: SKIPPED installing: apt needs root (the packages were built: ${debs[*]})"
  exit 0
fi
packages=()
for d in "${debs[@]}"; do packages+=("$(dpkg-deb -f "$d" Package)"); done
cleanup() { apt-get purge -y -q "${packages[@]}" >/dev/null 2>&1 || true; }
trap cleanup EXIT
apt-get install -y -q --no-install-recommends "${debs[@]/#/./}" >/dev/null
work=$build/consumer-usr
rm -rf "$work"
cmake -S tests/consumer -B "$work/cmake" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake" >/dev/null
cmake -S tests/consumer -B "$work/pkgconfig" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSE_PKGCONFIG=ON \
  >/dev/null
cmake --build "$work/pkgconfig" >/dev/null
for exe in cmake/consumer cmake/consumer_static cmake/consumer_cxx cmake/consumer_threads \
  cmake/consumer_uring cmake/consumer_uring_static pkgconfig/consumer \
  pkgconfig/consumer_cxx; do
  "$work/$exe" >/dev/null || { echo "deb: $exe failed against /usr"; exit 1; }
done
cc tests/consumer/main.c $(pkg-config --cflags --libs lal-static) -o "$work/consumer_pc_static"
"$work/consumer_pc_static" >/dev/null
deps=$(ldd "$work/consumer_pc_static")
grep -q liblal <<<"$deps" && { echo "deb: lal-static.pc linked the .so"; exit 1; }
# Statically linked, the program needs the C runtime alone (hwloc at run time
# only when present).
extra=$(grep -vE 'linux-vdso|libc\.so|ld-linux|libm\.so' <<<"$deps" || true)
[[ -z $extra ]] || { echo "deb: a static lal program needs more than the C runtime: $extra"; exit 1; }
[[ $(lal version) == *"$version"* ]] || { echo "deb: lal version says $(lal version), not $version"; exit 1; }
lal doctor >/dev/null
lal-compare --version
# lal-history links SQLite, libpq and libcrypto: the package depends on them
# (dpkg-shlibdeps), so it runs from a plain install.
lal-history --version
man -w lal-bench >/dev/null 2>&1 || [[ -f /usr/share/man/man1/lal-bench.1 ]]
# The API's section-3 pages come with liblal-dev.
[[ -f /usr/share/man/man3/lal_pacer_init.3 && -f /usr/share/man/man3/lal_now_ns.3 ]] ||
  { echo "deb: liblal-dev lacks the section-3 man pages"; exit 1; }
cleanup
trap - EXIT
if dpkg -s "liblal$soversion" >/dev/null 2>&1; then
  echo "deb: purge left liblal$soversion installed"
  exit 1
fi
echo "deb: installed, consumers built against /usr (find_package, pkg-config, static) and ran, purged"
