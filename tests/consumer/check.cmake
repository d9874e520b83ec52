# SPDX-License-Identifier: MIT
# ctest script: install the lal build tree into a scratch prefix, then build and
# run tests/consumer against it with find_package and with pkg-config.
# Variables: SOURCE_DIR LAL_BUILD_DIR WORK_DIR GENERATOR TOOLCHAIN EMULATOR C_COMPILER
#            CONFIG (the configuration ctest runs, $<CONFIG>: a multi-config build tree
#            installs Release without --config, which a Debug build never built)
#            MSVC_STYLE (clang-cl/cl: no hand-driven gcc-style pkg-config link)
#            TARGET_WINDOWS (the consumer is a Windows program, native or under Wine)
set(prefix ${WORK_DIR}/install)
file(REMOVE_RECURSE ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGV}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

if(NOT CONFIG)
  set(CONFIG Release)
endif()
run(${CMAKE_COMMAND} --install ${LAL_BUILD_DIR} --prefix ${prefix} --config ${CONFIG})

set(common_args -G ${GENERATOR} -DCMAKE_BUILD_TYPE=${CONFIG})
if(TOOLCHAIN)
  list(APPEND common_args -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN})
else()
  list(APPEND common_args -DCMAKE_C_COMPILER=${C_COMPILER})
  if(CXX_COMPILER)
    list(APPEND common_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
  endif()
endif()

# With find_package and CMAKE_PREFIX_PATH alone, as a user does: lal's
# cross toolchains make the prefix a find root themselves.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/cmake ${common_args}
    -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake --config ${CONFIG})

# An unknown component is an error naming it, not a silent success.
file(WRITE ${WORK_DIR}/bad-component/CMakeLists.txt
     "cmake_minimum_required(VERSION 3.20)\nproject(x LANGUAGES NONE)\n"
     "find_package(lal 0.2 REQUIRED CONFIG COMPONENTS shared bogus)\n")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/bad-component -B ${WORK_DIR}/bad-component/b
                        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_ROOT_PATH=${prefix}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0 OR NOT out MATCHES "unknown lal component 'bogus'")
  message(FATAL_ERROR "find_package(lal COMPONENTS bogus) did not fail as it should:\n${out}")
endif()

# The library directory GNUInstallDirs chose (lib, lib64, lib/<multiarch>).
file(GLOB_RECURSE pc_files ${prefix}/*/lal.pc)
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
get_filename_component(lib_dir ${pc_dir} DIRECTORY)

# With pkg-config, where there is one (a Windows runner may have none: the
# CMake consumers above are then what is checked, and this says so).
find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG_EXECUTABLE)
  message(STATUS "pkg-config not found: the pkg-config consumers are not built here")
else()
  # With pkg-config: our prefix first; on Linux also the system's own .pc
  # directories, where lal.pc's Requires.private (hwloc, liburing...) live.
  set(pc_libdir ${pc_dir})
  if(NOT TARGET_WINDOWS)
    execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} --variable pc_path pkg-config
                    OUTPUT_VARIABLE system_pc OUTPUT_STRIP_TRAILING_WHITESPACE)
    string(APPEND pc_libdir ":${system_pc}")
  endif()
  set(ENV{PKG_CONFIG_LIBDIR} ${pc_libdir})
  unset(ENV{PKG_CONFIG_PATH})
  # (pkg_check_modules resolves -L/-l with find_library, re-rooted like the above.)
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/pkgconfig ${common_args} -DUSE_PKGCONFIG=ON
      -DCMAKE_FIND_ROOT_PATH=${prefix})
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/pkgconfig --config ${CONFIG})
endif()

# Static through pkg-config, as a Makefile would: the compiler driven by hand
# with `pkg-config --cflags --libs lal-static` (the archive by path,
# -DLAL_STATIC, the OS libraries), and with --static for their own
# dependencies. Windows programs link -static (no libgcc DLL under Wine).
set(pc_modes plain static)
if(MSVC_STYLE OR NOT PKG_CONFIG_EXECUTABLE)
  set(pc_modes "") # pkg-config's -l flags are gcc-style; MSVC users link the CMake targets
endif()
foreach(mode IN LISTS pc_modes)
  set(pc_args --cflags --libs lal-static)
  if(mode STREQUAL "static")
    list(PREPEND pc_args --static)
  endif()
  execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} ${pc_args} OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT flags MATCHES "LAL_STATIC")
    message(FATAL_ERROR "pkg-config ${pc_args}: ${rc} '${flags}'")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(extra "")
  if(TARGET_WINDOWS)
    set(extra -static)
  endif()
  file(MAKE_DIRECTORY ${WORK_DIR}/pc-static)
  run(${C_COMPILER} ${SOURCE_DIR}/main.c ${flags} ${extra} -o
      ${WORK_DIR}/pc-static/consumer_${mode})
endforeach()

if(TARGET_WINDOWS AND EMULATOR)
  # Under Wine the shared consumers find liblal.dll through WINEPATH, which
  # takes Windows paths; Wine maps the Unix root to drive Z:.
  string(REPLACE "/" "\\" win_bin "Z:${prefix}/bin")
  set(ENV{WINEPATH} "${win_bin}")
  set(exe_suffix .exe)
elseif(TARGET_WINDOWS)
  # Native Windows: the DLL search path includes PATH.
  set(ENV{PATH} "${prefix}/bin;$ENV{PATH}")
  set(exe_suffix .exe)
else()
  set(ENV{LD_LIBRARY_PATH} ${lib_dir})
  set(exe_suffix "")
endif()
set(exes cmake/consumer cmake/consumer_static cmake/consumer_cxx)
if(PKG_CONFIG_EXECUTABLE)
  list(APPEND exes pkgconfig/consumer pkgconfig/consumer_cxx)
endif()
foreach(exe consumer_uring consumer_uring_static)
  if(EXISTS ${WORK_DIR}/cmake/${exe}${exe_suffix})
    list(APPEND exes cmake/${exe})
  endif()
endforeach()
# The std::thread consumer: always on a GNU toolchain; with clang-cl only
# where it found a C++ standard library.
foreach(dir cmake pkgconfig)
  if(EXISTS ${WORK_DIR}/${dir}/consumer_threads${exe_suffix} OR NOT MSVC_STYLE)
    if(dir STREQUAL "cmake" OR PKG_CONFIG_EXECUTABLE)
      list(APPEND exes ${dir}/consumer_threads)
    endif()
  endif()
endforeach()
foreach(mode IN LISTS pc_modes)
  list(APPEND exes pc-static/consumer_${mode})
endforeach()
foreach(exe IN LISTS exes)
  # Multi-config generators (Visual Studio) put it under <config>/.
  get_filename_component(dir ${exe} DIRECTORY)
  get_filename_component(name ${exe} NAME)
  set(path ${WORK_DIR}/${exe}${exe_suffix})
  if(NOT EXISTS ${path})
    set(path ${WORK_DIR}/${dir}/${CONFIG}/${name}${exe_suffix})
  endif()
  run(${EMULATOR} ${path})
endforeach()
