# SPDX-License-Identifier: MIT
# Cross builds for Windows: Debian has no Windows build of CMocka, so build one
# from Debian's source package with this build's toolchain (mingw-w64 gcc, or
# clang-cl in MSVC mode), once, into this build tree
# (scripts/build-cmocka-mingw.sh says how; nothing is vendored).
set(LAL_CMOCKA_MINGW_PREFIX ${CMAKE_BINARY_DIR}/_deps/cmocka-mingw CACHE PATH
    "Where the Windows CMocka is built and installed")
if(NOT EXISTS ${LAL_CMOCKA_MINGW_PREFIX}/lib/libcmocka-static.a
   AND NOT EXISTS ${LAL_CMOCKA_MINGW_PREFIX}/lib/cmocka-static.lib)
  message(STATUS "Building CMocka for Windows from Debian's source package (once)")
  execute_process(
    COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/build-cmocka-mingw.sh
            ${CMAKE_BINARY_DIR}/_deps/cmocka-work ${LAL_CMOCKA_MINGW_PREFIX}
            ${CMAKE_TOOLCHAIN_FILE}
    RESULT_VARIABLE lal_cmocka_rc)
  if(NOT lal_cmocka_rc EQUAL 0)
    message(FATAL_ERROR "Could not build CMocka for Windows (see above); "
                        "or configure with -DLAL_BUILD_TESTS=OFF")
  endif()
endif()
# The toolchain's ONLY find modes re-root every search path: add the prefix as a root.
list(APPEND CMAKE_FIND_ROOT_PATH ${LAL_CMOCKA_MINGW_PREFIX})
set(CMocka_ROOT ${LAL_CMOCKA_MINGW_PREFIX})
set(LAL_CMOCKA_STATIC ON)
