# ctest script: lal-bench writes JSON that lal-compare reads back; a result
# compared with itself passes the gate with no significant change anywhere.
# Variables: EMULATOR BENCH COMPARE DIR
set(json ${DIR}/round-trip.json)
execute_process(COMMAND ${EMULATOR} ${BENCH} --quick --workload clock_read --workload sleep
                        --duration 0.2 --json ${json}
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal-bench exited ${rc}")
endif()
execute_process(COMMAND ${EMULATOR} ${COMPARE} ${json} ${json} OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "-> pass" OR out MATCHES "worse" OR out MATCHES "better"
   OR NOT out MATCHES "clock_read")
  message(FATAL_ERROR "lal-compare of a result with itself (exit ${rc}):\n${out}")
endif()
