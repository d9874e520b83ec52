# SPDX-License-Identifier: MIT
# Shared by the cross toolchains: their find modes are ONLY (nothing from the
# Linux host), which would re-root CMAKE_PREFIX_PATH under the target's
# sysroot. Its prefixes (cache or environment) are made find roots too, so
# find_package(lal) works with -DCMAKE_PREFIX_PATH=<an installed lal> alone.
set(lal_prefixes ${CMAKE_PREFIX_PATH})
if(DEFINED ENV{CMAKE_PREFIX_PATH})
  string(REPLACE ":" ";" lal_env_prefixes "$ENV{CMAKE_PREFIX_PATH}")
  list(APPEND lal_prefixes ${lal_env_prefixes})
endif()
list(APPEND CMAKE_FIND_ROOT_PATH ${lal_prefixes})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
