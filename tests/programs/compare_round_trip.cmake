# SPDX-License-Identifier: MIT
# ctest script: lal-bench writes JSON that lal-compare reads back.
#  1. a result compared with itself passes the gate, no significant change, no warning;
#  2. its fingerprint holds the machine, the topology, the harness and doctor settings;
#  3. a second run with the harness pinned and prioritised is compared with the first:
#     the same series line up, and the harness difference is warned about.
# Variables: EMULATOR BENCH COMPARE DIR
set(a ${DIR}/round-trip-a.json)
set(b ${DIR}/round-trip-b.json)
execute_process(COMMAND ${EMULATOR} ${BENCH} --quick --workload clock_read --workload sleep
                        --workload ctx_switch --duration 0.2 --json ${a}
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal-bench exited ${rc}")
endif()
execute_process(COMMAND ${EMULATOR} ${COMPARE} ${a} ${a} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "-> pass" OR out MATCHES "worse" OR out MATCHES "better"
   OR out MATCHES "warning" OR NOT out MATCHES "clock_read" OR NOT out MATCHES "ctx_switch")
  message(FATAL_ERROR "lal-compare of a result with itself (exit ${rc}):\n${out}")
endif()

file(READ ${a} doc)
string(JSON os GET "${doc}" env os)
if(os STREQUAL "Windows")
  set(tuning tuning_timer_resolution) # a doctor check of each OS
else()
  set(tuning tuning_clocksource)
endif()
foreach(key os_build cpu_model topology run_cpus harness_cpu harness_priority harness_memory_lock
            ${tuning})
  string(JSON value ERROR_VARIABLE err GET "${doc}" env ${key})
  if(err)
    message(FATAL_ERROR "env.${key} missing from lal-bench's fingerprint: ${err}")
  endif()
endforeach()
string(JSON topology GET "${doc}" env topology)
if(NOT topology MATCHES "^[0-9]+ packages?, [0-9]+ cores, [0-9]+ PUs")
  message(FATAL_ERROR "env.topology is not a topology summary: ${topology}")
endif()

execute_process(COMMAND ${EMULATOR} ${BENCH} --quick --workload clock_read --workload sleep
                        --workload ctx_switch --duration 0.2 --cpu 0 --priority normal
                        --json ${b}
                OUTPUT_VARIABLE run_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT run_out MATCHES "harness: cpu 0; priority NORMAL: ")
  message(FATAL_ERROR "lal-bench --cpu 0 --priority normal (exit ${rc}):\n${run_out}")
endif()
execute_process(COMMAND ${EMULATOR} ${COMPARE} ${a} ${b} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
# Exit 0 or 1 (a noisy run may regress); 2 would mean unusable input.
if(rc GREATER 1 OR NOT out MATCHES "fingerprint harness_cpu differs: A not pinned, B 0"
   OR NOT out MATCHES "fingerprint harness_priority differs: A not requested, B NORMAL"
   OR out MATCHES "only in")
  message(FATAL_ERROR "lal-compare of an unpinned and a pinned run (exit ${rc}):\n${out}")
endif()
