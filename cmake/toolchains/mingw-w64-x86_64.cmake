# SPDX-License-Identifier: MIT
# Cross-compile lal for 64-bit Windows with Debian's mingw-w64 (win32 thread model)
# and run the resulting .exe files under Wine through ctest.
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-x86_64.cmake ...
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(LAL_MINGW_TRIPLE x86_64-w64-mingw32)

# Debian ships -posix and -win32 variants; the win32 one needs no winpthread DLL.
find_program(CMAKE_C_COMPILER NAMES ${LAL_MINGW_TRIPLE}-gcc-win32 ${LAL_MINGW_TRIPLE}-gcc REQUIRED)
# C++ only for consumers (the C++ consumer test); lal itself is C.
find_program(CMAKE_CXX_COMPILER NAMES ${LAL_MINGW_TRIPLE}-g++-win32 ${LAL_MINGW_TRIPLE}-g++)
find_program(CMAKE_RC_COMPILER NAMES ${LAL_MINGW_TRIPLE}-windres)

# Appended, so roots given with -DCMAKE_FIND_ROOT_PATH (an installed lal) stay.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${LAL_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

include(${CMAKE_CURRENT_LIST_DIR}/wine-emulator.cmake)
