# SPDX-License-Identifier: MIT
# Cross-compile lal, or a C/C++ program using it, for 64-bit Windows with
# Debian's mingw-w64, and run the .exe files under Wine through ctest:
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-x86_64.cmake ...
# An installed lal is found by find_package through CMAKE_PREFIX_PATH (or
# CMAKE_FIND_ROOT_PATH), with no other flag: its prefixes become search roots.
#
# Debian ships two thread models of each compiler. This uses -posix for C and
# C++ alike: the only one whose libstdc++ has std::thread, std::mutex and
# std::condition_variable (GCC 12's win32 model has none: an engine cannot
# build with it), and one model for both, since a C++ program linking lal's
# static library must not get the other model's libraries. lal.dll links
# libgcc and libwinpthread statically, so it needs no DLL beside it either
# way. LAL_MINGW_THREADS=win32 selects the other model.
#
# LAL_MINGW_STATIC_RUNTIME (ON): programs link libgcc, libstdc++ and
# libwinpthread statically (-static), so an .exe runs with nothing beside it
# but the DLLs it chose (lal.dll); DLLs built here link libgcc and libstdc++
# statically. OFF leaves them as DLLs to ship beside the program.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(LAL_MINGW_TRIPLE x86_64-w64-mingw32)
set(LAL_MINGW_THREADS posix CACHE STRING "mingw-w64 thread model: posix or win32")
option(LAL_MINGW_STATIC_RUNTIME "Link libgcc, libstdc++ and winpthread statically" ON)

find_program(CMAKE_C_COMPILER NAMES ${LAL_MINGW_TRIPLE}-gcc-${LAL_MINGW_THREADS}
                                    ${LAL_MINGW_TRIPLE}-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES ${LAL_MINGW_TRIPLE}-g++-${LAL_MINGW_THREADS}
                                      ${LAL_MINGW_TRIPLE}-g++)
find_program(CMAKE_RC_COMPILER NAMES ${LAL_MINGW_TRIPLE}-windres)

if(LAL_MINGW_STATIC_RUNTIME)
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
  set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")
  set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")
endif()

# Appended, so roots given with -DCMAKE_FIND_ROOT_PATH (an installed lal) stay.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${LAL_MINGW_TRIPLE})
include(${CMAKE_CURRENT_LIST_DIR}/prefix-roots.cmake)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

include(${CMAKE_CURRENT_LIST_DIR}/wine-emulator.cmake)
