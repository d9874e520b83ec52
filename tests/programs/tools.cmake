# SPDX-License-Identifier: MIT
# The `lal` command's tests: it runs, its JSON is well-formed and valid, and
# `lal doctor` judges each recorded machine (tests/data/machines) as expected.
add_test(NAME tool_lal_info COMMAND lal_tool info)
add_test(NAME tool_lal_info_json COMMAND lal_tool info --json)
add_test(NAME tool_lal_doctor COMMAND lal_tool doctor)
set_tests_properties(tool_lal_doctor PROPERTIES PASS_REGULAR_EXPRESSION "[0-9]+ ok, [0-9]+ warn")
add_test(NAME tool_lal_rejects_unknown_command COMMAND lal_tool no-such-command)
set_tests_properties(tool_lal_rejects_unknown_command PROPERTIES WILL_FAIL ON)
# --root that is not a recorded tree: exit 2, not an audit of nothing.
add_test(NAME tool_lal_doctor_rejects_missing_root
         COMMAND lal_tool doctor --root ${PROJECT_BINARY_DIR}/tools/no-such-tree)
set_tests_properties(tool_lal_doctor_rejects_missing_root PROPERTIES WILL_FAIL ON)
# --memlock: a size is parsed strictly (exit 2 naming it), and states the budget check.
add_test(NAME tool_lal_doctor_rejects_bad_memlock COMMAND lal_tool doctor --memlock 64MB)
set_tests_properties(tool_lal_doctor_rejects_bad_memlock PROPERTIES WILL_FAIL ON)
add_test(NAME tool_lal_doctor_memlock COMMAND lal_tool doctor --memlock 4K)
set_tests_properties(tool_lal_doctor_memlock PROPERTIES PASS_REGULAR_EXPRESSION
                                                        "memlock_budget +need 4 KiB")
add_test(NAME tool_lal_doctor_help COMMAND lal_tool doctor --help)
set_tests_properties(tool_lal_doctor_help PROPERTIES PASS_REGULAR_EXPRESSION "--strict")
set_tests_properties(tool_lal_info PROPERTIES PASS_REGULAR_EXPRESSION "cpus: +[1-9]")
find_program(LAL_PYTHON3 python3)
if(LAL_PYTHON3)
  add_test(NAME tool_lal_info_json_parses
           COMMAND ${CMAKE_COMMAND} -DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}
                   -DLAL=$<TARGET_FILE:lal_tool> -DPYTHON=${LAL_PYTHON3}
                   -P ${CMAKE_CURRENT_LIST_DIR}/check_json.cmake)
endif()
execute_process(COMMAND ${LAL_PYTHON3} -c "import jsonschema" RESULT_VARIABLE no_jsonschema
                OUTPUT_QUIET ERROR_QUIET)
if(LAL_PYTHON3 AND NOT no_jsonschema)
  set(doctor_json_args -DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR} -DLAL=$<TARGET_FILE:lal_tool>
      -DPYTHON=${LAL_PYTHON3} -DSCHEMA=${PROJECT_SOURCE_DIR}/support/doctor/lal-doctor.schema.json)
  add_test(NAME tool_lal_doctor_json_validates
           COMMAND ${CMAKE_COMMAND} ${doctor_json_args}
                   -P ${CMAKE_CURRENT_LIST_DIR}/check_doctor_json.cmake)
  if(LAL_WINE_TESTS)
    set_tests_properties(tool_lal_doctor_json_validates PROPERTIES FIXTURES_REQUIRED wine
                                                                 ENVIRONMENT "${LAL_WINE_ENV}")
  endif()
else()
  message(WARNING "python3-jsonschema missing: `lal doctor --json` is not validated "
                  "(scripts/install-deps.sh installs it)")
endif()
if(NOT WIN32 AND LAL_PYTHON3)
  # Each recorded machine's expected `lal doctor --json`, kept beside it
  # (tests/data/machines/*/expected-doctor.json); re-record with
  #   python3 tests/programs/recorded_machines.py build/linux/tools/lal tests/data/machines --record
  add_test(NAME doctor_recorded_machines
           COMMAND ${LAL_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/recorded_machines.py
                   $<TARGET_FILE:lal_tool> ${PROJECT_SOURCE_DIR}/tests/data/machines)
endif()
if(NOT WIN32)
  # Recorded machines: the JSON validates for each, and --strict fails exactly
  # where a check fails (the container throttled by its quota, the Flatpak
  # game without an RT budget).
  set(doctor_data ${PROJECT_SOURCE_DIR}/tests/data/machines)
  foreach(machine rt-box laptop container flatpak vm-2cpu vm-haltpoll)
    if(LAL_PYTHON3 AND NOT no_jsonschema)
      add_test(NAME tool_lal_doctor_json_${machine}
               COMMAND ${CMAKE_COMMAND} ${doctor_json_args} -DROOT=${doctor_data}/${machine}
                       -P ${CMAKE_CURRENT_LIST_DIR}/check_doctor_json.cmake)
    endif()
    add_test(NAME tool_lal_doctor_strict_${machine}
             COMMAND lal_tool doctor --strict --root ${doctor_data}/${machine})
  endforeach()
  set_tests_properties(tool_lal_doctor_strict_container tool_lal_doctor_strict_laptop
                       tool_lal_doctor_strict_flatpak PROPERTIES WILL_FAIL ON)
endif()
if(LAL_WINE_TESTS)
  set_tests_properties(tool_lal_info tool_lal_info_json tool_lal_rejects_unknown_command
                       tool_lal_doctor tool_lal_doctor_rejects_missing_root tool_lal_doctor_help
                       tool_lal_doctor_rejects_bad_memlock tool_lal_doctor_memlock
                       PROPERTIES FIXTURES_REQUIRED wine ENVIRONMENT "${LAL_WINE_ENV}")
  if(LAL_PYTHON3)
    set_tests_properties(tool_lal_info_json_parses PROPERTIES FIXTURES_REQUIRED wine
                                                              ENVIRONMENT "${LAL_WINE_ENV}")
  endif()
endif()
