# SPDX-License-Identifier: MIT
# Windows x86-64 in MSVC mode without a Windows SDK: clang-cl (the MSVC
# driver: _MSC_VER defined, MSVC's warnings and ABI), lld-link, llvm-lib and
# llvm-rc from Debian, with mingw-w64's headers and import libraries standing
# in for the SDK's. What had to be bridged:
#  - mingw-w64's _mingw.h, when __GNUC__ is not defined, does
#    `#define __attribute__(x)` and puts __declspec(noreturn) after
#    declarators, which breaks clang's own intrinsic headers and MSVC syntax:
#    clang-cl-mingw-prelude.h, force-included, undoes both (clang-cl accepts
#    GNU attributes).
#  - The SDK's import libraries are named kernel32.lib, ...; mingw-w64 ships
#    libkernel32.a, ... (COFF archives lld-link reads): the link lines name them.
#  - No MSVC C runtime: the DLL imports msvcrt.dll through mingw-w64's
#    libmsvcrt.a, C99 formatting comes from libmingwex.a and the TLS directory
#    (for __declspec(thread)) from libmingw32.a's tlssup.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(LAL_MINGW_ROOT /usr/x86_64-w64-mingw32)

find_program(CMAKE_C_COMPILER NAMES clang-cl clang-cl-14 clang-cl-15 clang-cl-16 REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES clang-cl clang-cl-14 clang-cl-15 clang-cl-16 REQUIRED)
find_program(CMAKE_LINKER NAMES lld-link lld-link-14 REQUIRED)
find_program(CMAKE_AR NAMES llvm-lib llvm-lib-14 REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES llvm-rc llvm-rc-14)
find_program(CMAKE_MT NAMES llvm-mt llvm-mt-14)
set(CMAKE_C_COMPILER_TARGET x86_64-pc-windows-msvc)
set(CMAKE_CXX_COMPILER_TARGET x86_64-pc-windows-msvc)

set(lal_prelude ${CMAKE_CURRENT_LIST_DIR}/clang-cl-mingw-prelude.h)
# The UCRT's C4996 deprecations, which mingw-w64's headers lack: without them
# this build would accept code a real MSVC /W4 /WX build refuses.
set(lal_ucrt ${CMAKE_CURRENT_LIST_DIR}/clang-cl-ucrt-deprecations.h)
# /GS-: the buffer-security cookie (__security_cookie) lives in MSVC's CRT,
# which this build does not have; a studio's MSVC build keeps /GS.
set(CMAKE_C_FLAGS_INIT "/imsvc ${LAL_MINGW_ROOT}/include /FI${lal_prelude} /FI${lal_ucrt} /GS-")
set(CMAKE_CXX_FLAGS_INIT "/imsvc ${LAL_MINGW_ROOT}/include /FI${lal_prelude} /FI${lal_ucrt} /GS-")
# The SDK's names (advapi32.lib, ...) as links to mingw-w64's archives, in the
# build tree, on the linker's search path: target_link_libraries(advapi32)
# then works as it does with the SDK.
set(lal_sdk_libs ${CMAKE_BINARY_DIR}/lal-mingw-sdk-libs)
file(MAKE_DIRECTORY ${lal_sdk_libs})
foreach(lib kernel32 advapi32 winmm avrt user32 ntdll psapi)
  if(NOT EXISTS ${lal_sdk_libs}/${lib}.lib)
    file(CREATE_LINK ${LAL_MINGW_ROOT}/lib/lib${lib}.a ${lal_sdk_libs}/${lib}.lib SYMBOLIC)
  endif()
endforeach()
# No msvcrt.lib / oldnames.lib from an MSVC install: mingw-w64's runtime instead.
set(lal_mingw_libs "${LAL_MINGW_ROOT}/lib/libmingw32.a ${LAL_MINGW_ROOT}/lib/libmingwex.a \
${LAL_MINGW_ROOT}/lib/libmsvcrt.a ${LAL_MINGW_ROOT}/lib/libkernel32.a \
${LAL_MINGW_ROOT}/lib/libadvapi32.a ${LAL_MINGW_ROOT}/lib/libwinmm.a ${LAL_MINGW_ROOT}/lib/libavrt.a")
# libgcc: ___chkstk_ms and friends, which mingw-w64's CRT objects call.
file(GLOB lal_libgcc /usr/lib/gcc/x86_64-w64-mingw32/*-win32/libgcc.a)
if(lal_libgcc)
  list(GET lal_libgcc 0 lal_libgcc)
  string(APPEND lal_mingw_libs " ${lal_libgcc} ${LAL_MINGW_ROOT}/lib/libmingw32.a")
endif()
set(CMAKE_C_STANDARD_LIBRARIES "${lal_mingw_libs}" CACHE STRING "" FORCE)
set(CMAKE_CXX_STANDARD_LIBRARIES "${lal_mingw_libs}" CACHE STRING "" FORCE)
# /lldmingw: lld's MinGW mode, which provides what GNU ld would for the
# mingw-w64 CRT objects (__CTOR_LIST__, __DTOR_LIST__); GNU ld's __image_base__ is
# the __ImageBase every PE linker defines.
# The MSVC CRT's symbols the compiler references, mapped onto mingw-w64's:
# __chkstk (the x64 stack probe, which leaves RSP alone) is libgcc's
# ___chkstk_ms; _fltused (a marker that floating point is used, never read)
# only has to exist. dllcrt2.o's entry point is DllMainCRTStartup.
set(lal_link_common "/lldmingw /alternatename:__image_base__=__ImageBase \
/alternatename:__chkstk=___chkstk_ms /alternatename:_fltused=__ImageBase \
/libpath:${lal_sdk_libs} /nodefaultlib")
set(CMAKE_SHARED_LINKER_FLAGS_INIT
    "${lal_link_common} ${LAL_MINGW_ROOT}/lib/dllcrt2.o /entry:DllMainCRTStartup")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${lal_link_common} ${LAL_MINGW_ROOT}/lib/crt2.o")

list(APPEND CMAKE_FIND_ROOT_PATH ${LAL_MINGW_ROOT})
include(${CMAKE_CURRENT_LIST_DIR}/prefix-roots.cmake)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The tests run under Wine, as in the mingw-w64 build.
include(${CMAKE_CURRENT_LIST_DIR}/wine-emulator.cmake)
