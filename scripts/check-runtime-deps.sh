#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a game ships must run on a player's machine: liblal.so (and a program
# linked with liblal.a) may need the C runtime and nothing else at run time.
#   check-runtime-deps.sh FILE [ALLOWED-EXTRA-REGEX]
# FILE: an ELF shared library or program; its NEEDED entries (readelf -d) may
# be libc, libm, libpthread, libdl, librt and the dynamic loader, plus what
# the second argument allows (a C++ program's own libstdc++ and libgcc_s).
set -euo pipefail
file=${1:?usage: check-runtime-deps.sh FILE [ALLOWED-EXTRA-REGEX]}
extra=${2:-}
allowed='^(libc|libm|libpthread|libdl|librt)\.so\.[0-9]+$|^ld-linux[-a-z0-9_.]*\.so\.[0-9]+$'
needed=$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
bad=""
for lib in $needed; do
  if [[ $lib =~ $allowed ]] || { [[ -n $extra ]] && [[ $lib =~ $extra ]]; }; then
    continue
  fi
  bad+=" $lib"
done
if [[ -n $bad ]]; then
  echo "runtime-deps: $(basename "$file") needs more than the C runtime:$bad"
  exit 1
fi
echo "runtime-deps: $(basename "$file") needs only:" $needed
