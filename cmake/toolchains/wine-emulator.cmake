# SPDX-License-Identifier: MIT
# Included by the Windows toolchain files: the tests run under Wine 8's 64-bit
# loader (`wine64` itself is not on PATH on Debian 12), through wine-run.sh. The prefix and the
# environment are set per test in cmake/LalTesting.cmake.
find_program(LAL_WINE64 NAMES wine64 PATHS /usr/lib/wine NO_DEFAULT_PATH)
if(NOT LAL_WINE64)
  find_program(LAL_WINE64 NAMES wine64 wine)
endif()
if(LAL_WINE64)
  # Through wine-run.sh, which tells a Wine start failure (a silent exit) apart
  # from a failing program and starts the program again then.
  set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh)
endif()
