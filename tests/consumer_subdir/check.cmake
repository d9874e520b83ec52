# SPDX-License-Identifier: MIT
# ctest script: configure, build and run tests/consumer_subdir, through
# add_subdirectory and through FetchContent, at an engine's warning levels
# (-Wall -Wextra, -Wpedantic for C++, as errors), then check that lal
# registered none of its tests and imposed no option on the parent.
# Variables: LAL_SOURCE_DIR WORK_DIR GENERATOR C_COMPILER CXX_COMPILER
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGV}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()
set(cxx_arg "")
if(CXX_COMPILER)
  set(cxx_arg -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
foreach(route subdirectory fetchcontent)
  set(dir ${WORK_DIR}/${route})
  file(REMOVE_RECURSE ${dir})
  set(fetch OFF)
  if(route STREQUAL "fetchcontent")
    set(fetch ON)
  endif()
  run(${CMAKE_COMMAND} -S ${LAL_SOURCE_DIR}/tests/consumer_subdir -B ${dir} -G ${GENERATOR}
      -DCMAKE_C_COMPILER=${C_COMPILER} ${cxx_arg}
      "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror"
      "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror"
      -DLAL_SOURCE_DIR=${LAL_SOURCE_DIR} -DLAL_VIA_FETCHCONTENT=${fetch})
  run(${CMAKE_COMMAND} --build ${dir})
  run(${dir}/consumer)
  run(${dir}/consumer_shared)
  run(${dir}/consumer_threads)
  run(${dir}/engine 24)
  run(${CMAKE_CTEST_COMMAND} --test-dir ${dir} -N)
  if(NOT last_output MATCHES "Total Tests: 1\n")
    message(FATAL_ERROR "lal registered tests in its parent's ctest:\n${last_output}")
  endif()
  file(STRINGS ${dir}/CMakeCache.txt cache REGEX "^LAL_(BUILD_TESTS|BUILD_TOOLS|BUILD_BENCH|BUILD_EXAMPLES|WERROR|INSTALL):")
  foreach(entry IN LISTS cache)
    if(NOT entry MATCHES "=OFF$")
      message(FATAL_ERROR "as a subproject lal defaulted ${entry} (expected OFF)")
    endif()
  endforeach()
  list(LENGTH cache n)
  if(NOT n EQUAL 6)
    message(FATAL_ERROR "expected 6 LAL_ options in the parent's cache, found: ${cache}")
  endif()
  message(STATUS "${route} consumer: C and C++17 (std::thread, the engine) built warning-free "
                 "and ran, 1 test (its own), lal's options OFF")
endforeach()
