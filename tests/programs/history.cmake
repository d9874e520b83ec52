# SPDX-License-Identifier: MIT
# lal-history's tests: one suite (history_suite.sh) run against SQLite and
# against a real PostgreSQL the suite starts and stops itself (skipped, with
# the reason, where the server is not installed); the change-point method's
# false alarms and power (test_history_changes).
if(NOT DEFINED LAL_CHROMIUM)
  find_program(LAL_CHROMIUM NAMES chromium chromium-browser google-chrome)
endif()
set(history_chromium "")
if(LAL_CHROMIUM)
  set(history_chromium ${LAL_CHROMIUM})
endif()
foreach(backend sqlite postgres)
  add_test(NAME history_suite_${backend}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/history_suite.sh $<TARGET_FILE:lal_history>
                   $<TARGET_FILE:lal_history_bench> ${backend}
                   ${PROJECT_BINARY_DIR}/history-test-${backend} ${history_chromium})
  set_tests_properties(history_suite_${backend} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
lal_add_test(test_history_changes test_history_changes.c)
target_link_libraries(test_history_changes PRIVATE lal_history_core)
