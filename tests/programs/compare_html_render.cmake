# SPDX-License-Identifier: MIT
# ctest script: lal-compare --html writes a self-contained report that headless
# Chromium renders with the plots there: per compared series a CDF plot with
# two CDF polylines and a percentile plot with two percentile polylines and
# the p50/p90/p99/p99.9 markers of each side; the tables; the summary.
# Variables: EMULATOR BENCH COMPARE CHROMIUM DIR
set(json ${DIR}/render.json)
set(html ${DIR}/render.html)
execute_process(COMMAND ${EMULATOR} ${BENCH} --quick --workload clock_read --workload core_to_core
                        --duration 0.2 --json ${json}
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal-bench exited ${rc}")
endif()
execute_process(COMMAND ${EMULATOR} ${COMPARE} ${json} ${json} --html ${html} OUTPUT_QUIET
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal-compare --html exited ${rc}")
endif()
file(READ ${html} page)
if(page MATCHES "<script" OR page MATCHES "src=\"http" OR page MATCHES "href=\"http")
  message(FATAL_ERROR "the report is not self-contained")
endif()
# --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
execute_process(COMMAND ${CHROMIUM} --headless --disable-gpu --no-sandbox
                        --user-data-dir=${DIR}/chromium-profile --dump-dom file://${html}
                OUTPUT_VARIABLE dom ERROR_QUIET RESULT_VARIABLE rc TIMEOUT 120)
string(REGEX MATCHALL "<svg" svgs "${dom}")
string(REGEX MATCHALL "<polyline class=\"cdf\"" lines "${dom}")
string(REGEX MATCHALL "<polyline class=\"pctl\"" pctls "${dom}")
string(REGEX MATCHALL "<circle class=\"pct\"" dots "${dom}")
list(LENGTH svgs nsvg)
list(LENGTH lines nlines)
list(LENGTH pctls npctls)
list(LENGTH dots ndots)
# clock_read has 4 series: 8 plots, 8 CDFs, 8 percentile lines, 32 markers.
if(NOT rc EQUAL 0 OR NOT nsvg EQUAL 8 OR NOT nlines EQUAL 8 OR NOT npctls EQUAL 8
   OR NOT ndots EQUAL 32 OR NOT dom MATCHES "<table" OR NOT dom MATCHES "Gate: pass"
   OR NOT dom MATCHES "class=\"summary-table\"" OR NOT dom MATCHES "href=\"#series-3\"")
  message(FATAL_ERROR "Chromium (exit ${rc}) rendered ${nsvg} plots, ${nlines} CDFs, "
                      "${npctls} percentile lines, ${ndots} markers; expected 8, 8, 8, 32 "
                      "and the summary")
endif()
# core_to_core (measured where there are two CPUs) is a heatmap, not plots.
file(READ ${json} result)
if(result MATCHES "\"workload\": \"core_to_core\",[\r\n\t ]*\"series\""
   AND NOT dom MATCHES "class=\"heat\"")
  message(FATAL_ERROR "core_to_core was measured but the rendered report has no heatmap")
endif()
message(STATUS "rendered: ${nsvg} plots, ${nlines} CDFs, ${npctls} percentile lines, "
               "${ndots} percentile markers")
