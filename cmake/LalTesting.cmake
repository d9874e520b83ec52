# SPDX-License-Identifier: MIT
# Test infrastructure shared by tests/ and tools/: under a Windows cross build,
# every test runs through Wine with a fresh prefix made by a ctest fixture.
if(NOT CMocka_FOUND)
  message(FATAL_ERROR "LAL_BUILD_TESTS=ON needs CMocka: run scripts/install-deps.sh, "
                      "or configure with -DLAL_BUILD_TESTS=OFF")
endif()

set(LAL_WINE_TESTS OFF)
if(WIN32 AND CMAKE_CROSSCOMPILING)
  if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    message(FATAL_ERROR "Windows cross build without Wine: install wine64 (scripts/install-deps.sh)")
  endif()
  set(LAL_WINE_TESTS ON)
  # A fresh, private prefix per ctest run, made by a fixture; no display, and no
  # Mono/Gecko install prompts (mscoree/mshtml disabled).
  set(LAL_WINEPREFIX ${CMAKE_BINARY_DIR}/wineprefix)
  set(LAL_WINE_ENV WINEPREFIX=${LAL_WINEPREFIX} WINEDEBUG=-all "WINEDLLOVERRIDES=mscoree,mshtml="
                   DISPLAY=)
  add_test(NAME wine_prefix_setup
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/wine-prefix.sh setup ${LAL_WINEPREFIX})
  add_test(NAME wine_prefix_cleanup
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/wine-prefix.sh cleanup ${LAL_WINEPREFIX})
  set_tests_properties(wine_prefix_setup PROPERTIES FIXTURES_SETUP wine ENVIRONMENT "${LAL_WINE_ENV}")
  set_tests_properties(wine_prefix_cleanup PROPERTIES FIXTURES_CLEANUP wine
                                                      ENVIRONMENT "${LAL_WINE_ENV}")
endif()

