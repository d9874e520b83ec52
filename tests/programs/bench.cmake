# SPDX-License-Identifier: MIT
# The benchmark runs end to end (quick mode); speed is judged from its output,
# never asserted. The pacer workload fails only if its deadline grid drifts.
# With python3-jsonschema the run's JSON is validated against the schema;
# without it the suite still runs end to end.
find_program(LAL_BENCH_PYTHON3 python3)
if(LAL_BENCH_PYTHON3)
  execute_process(COMMAND ${LAL_BENCH_PYTHON3} -c "import jsonschema"
                  RESULT_VARIABLE no_jsonschema OUTPUT_QUIET ERROR_QUIET)
endif()
if(LAL_BENCH_PYTHON3 AND NOT no_jsonschema)
  add_test(NAME bench_quick_smoke
           COMMAND ${CMAKE_COMMAND} -DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}
                   -DBENCH=$<TARGET_FILE:lal_bench> -DPYTHON=${LAL_BENCH_PYTHON3}
                   -DSCHEMA=${PROJECT_SOURCE_DIR}/bench/lal-bench.schema.json
                   -DDIR=${PROJECT_BINARY_DIR}/bench
                   -P ${CMAKE_CURRENT_LIST_DIR}/check_bench_json.cmake)
  set_tests_properties(bench_quick_smoke PROPERTIES PASS_REGULAR_EXPRESSION "valid: [1-9]")
else()
  message(WARNING "python3-jsonschema missing: lal-bench's JSON is not validated "
                  "(scripts/install-deps.sh installs it)")
  add_test(NAME bench_quick_smoke COMMAND lal_bench --quick --duration 0.3)
endif()
add_test(NAME bench_lists_workloads COMMAND lal_bench --list)
if(NOT WIN32 AND LAL_BENCH_PYTHON3)
  add_test(NAME bench_run_output
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_run_output.sh $<TARGET_FILE:lal_bench>
                   ${PROJECT_BINARY_DIR}/bench)
  set_tests_properties(bench_run_output PROPERTIES WORKING_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
  # --experiment: every exit path leaves the machine (a file) as it was.
  add_test(NAME bench_experiment
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_experiment.sh $<TARGET_FILE:lal_bench>
                   ${PROJECT_BINARY_DIR}/bench)
  set_tests_properties(bench_experiment PROPERTIES TIMEOUT 600)
endif()
set_tests_properties(bench_lists_workloads PROPERTIES PASS_REGULAR_EXPRESSION "clock_read")
add_test(NAME bench_rejects_unknown_workload COMMAND lal_bench --workload nope)
set_tests_properties(bench_rejects_unknown_workload PROPERTIES WILL_FAIL ON)
# Harness options: bad values are refused before anything runs (exit 2).
add_test(NAME bench_rejects_bad_cpu COMMAND lal_bench --cpu 4096 --workload harness)
add_test(NAME bench_rejects_unusable_cpu COMMAND lal_bench --cpu 2047 --workload harness)
add_test(NAME bench_rejects_bad_priority COMMAND lal_bench --priority urgent --workload harness)
add_test(NAME bench_rejects_bad_cpus COMMAND lal_bench --cpus 3-1 --workload harness)
add_test(NAME bench_rejects_bad_duration COMMAND lal_bench --duration nan --workload harness)
add_test(NAME bench_rejects_bad_pm_qos COMMAND lal_bench --pm-qos -5 --workload harness)
add_test(NAME bench_rejects_unusable_cpus COMMAND lal_bench --cpus 2000-2047 --workload harness)
set_tests_properties(bench_rejects_bad_cpu bench_rejects_unusable_cpu bench_rejects_bad_priority
                     bench_rejects_bad_cpus bench_rejects_unusable_cpus bench_rejects_bad_duration
                     bench_rejects_bad_pm_qos PROPERTIES WILL_FAIL ON)
# --lock is applied with fallback and says what it got (locked here as root;
# "degraded" with the reason under a small RLIMIT_MEMLOCK).
add_test(NAME bench_harness_lock COMMAND lal_bench --lock --workload harness --quick)
set_tests_properties(bench_harness_lock PROPERTIES PASS_REGULAR_EXPRESSION
                                                   "memory (current|nothing|LAL_)")
if(LAL_WINE_TESTS)
  set_tests_properties(bench_quick_smoke bench_lists_workloads bench_rejects_unknown_workload
                       bench_rejects_bad_cpu bench_rejects_unusable_cpu bench_rejects_bad_priority
                       bench_rejects_bad_cpus bench_rejects_unusable_cpus bench_rejects_bad_duration
                       bench_rejects_bad_pm_qos bench_harness_lock
                       PROPERTIES FIXTURES_REQUIRED wine ENVIRONMENT "${LAL_WINE_ENV}")
endif()
