# SPDX-License-Identifier: MIT
# The examples run and say what they did.
if(TARGET engine)
  add_test(NAME example_engine COMMAND engine 120)
  set_tests_properties(example_engine PROPERTIES PASS_REGULAR_EXPRESSION
                                                 "engine: 120 frames at 240 Hz, 960 jobs")
  if(LAL_WINE_TESTS)
    set_tests_properties(example_engine PROPERTIES FIXTURES_REQUIRED wine
                                                   ENVIRONMENT "${LAL_WINE_ENV}")
  endif()
endif()
add_test(NAME example_audio_thread COMMAND audio_thread 300)
set_tests_properties(example_audio_thread PROPERTIES PASS_REGULAR_EXPRESSION
                                                     "300 periods of 1 ms: [0-9]+ missed")
add_test(NAME example_frame_loop COMMAND frame_loop 30 2)
set_tests_properties(example_frame_loop PROPERTIES PASS_REGULAR_EXPRESSION
                                                   "30 frames at 60 Hz")
if(LAL_WINE_TESTS)
  set_tests_properties(example_audio_thread example_frame_loop
                       PROPERTIES FIXTURES_REQUIRED wine ENVIRONMENT "${LAL_WINE_ENV}")
endif()
if(NOT WIN32 AND LAL_BUILD_BENCH)
  add_test(NAME example_ci_gate
           COMMAND bash ${PROJECT_SOURCE_DIR}/examples/ci_gate.sh ${PROJECT_BINARY_DIR} 0.3)
  # A run compared with the next on a shared machine may pass or regress:
  # what is checked is that the script reaches a verdict (exit 0 or 1).
  set_tests_properties(example_ci_gate PROPERTIES PASS_REGULAR_EXPRESSION
                                                  "ci_gate: (pass|FAIL)")
endif()
