# SPDX-License-Identifier: MIT
# lal-compare's tests: its command line, a lal-bench round trip, the HTML
# report rendered by headless Chromium.
add_test(NAME compare_command_line
         COMMAND ${CMAKE_COMMAND} -DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}
                 -DCOMPARE=$<TARGET_FILE:lal_compare> -DDIR=${PROJECT_BINARY_DIR}/compare
                 -P ${CMAKE_CURRENT_LIST_DIR}/compare_cli.cmake)
add_test(NAME bench_compare_round_trip
         COMMAND ${CMAKE_COMMAND} -DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}
                 -DBENCH=$<TARGET_FILE:lal_bench> -DCOMPARE=$<TARGET_FILE:lal_compare>
                 -DDIR=${PROJECT_BINARY_DIR}/compare
                 -P ${CMAKE_CURRENT_LIST_DIR}/compare_round_trip.cmake)
# The HTML report, rendered by headless Chromium (Debian's chromium package,
# installed by scripts/install-deps.sh; without it this test is not defined).
find_program(LAL_CHROMIUM NAMES chromium chromium-browser google-chrome)
if(LAL_CHROMIUM)
  add_test(NAME compare_html_renders
           COMMAND ${CMAKE_COMMAND} -DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}
                   -DBENCH=$<TARGET_FILE:lal_bench> -DCOMPARE=$<TARGET_FILE:lal_compare>
                   -DCHROMIUM=${LAL_CHROMIUM} -DDIR=${PROJECT_BINARY_DIR}/compare
                   -P ${CMAKE_CURRENT_LIST_DIR}/compare_html_render.cmake)
  set_tests_properties(compare_html_renders PROPERTIES TIMEOUT 300)
  if(LAL_WINE_TESTS)
    set_tests_properties(compare_html_renders PROPERTIES FIXTURES_REQUIRED wine
                                                         ENVIRONMENT "${LAL_WINE_ENV}")
  endif()
else()
  message(WARNING "chromium not found: the lal-compare HTML render test is not defined "
                  "(scripts/install-deps.sh installs it)")
endif()
add_test(NAME compare_rejects_missing_files COMMAND lal_compare no-such-a.json no-such-b.json)
set_tests_properties(compare_rejects_missing_files PROPERTIES WILL_FAIL ON)
if(LAL_WINE_TESTS)
  set_tests_properties(bench_compare_round_trip compare_rejects_missing_files
                       PROPERTIES FIXTURES_REQUIRED wine ENVIRONMENT "${LAL_WINE_ENV}")
endif()
