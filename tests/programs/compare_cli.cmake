# SPDX-License-Identifier: MIT
# ctest script: lal-compare's command line. Every number is parsed strictly
# (whole string, finite, in range) and a bad one exits 2 naming its flag;
# unreadable inputs are named; a failed comparison leaves no HTML report;
# --gate takes p99.9 as well as p99_9; --help and --version exit 0.
# Variables: COMPARE EMULATOR DIR
cmake_policy(VERSION 3.20)
set(a ${DIR}/cli-a.json)
set(b ${DIR}/cli-b.json)
set(other ${DIR}/cli-other.json)
set(html ${DIR}/cli-report.html)
# One series of 20,000 samples over 100 buckets: every percentile is gated.
set(buckets "")
foreach(i RANGE 0 99)
  math(EXPR lo "1000 + ${i} * 10")
  string(APPEND buckets "[${lo}, 200]")
  if(i LESS 99)
    string(APPEND buckets ", ")
  endif()
endforeach()
foreach(pair "a;s" "b;s" "other;t")
  list(GET pair 0 name)
  list(GET pair 1 series)
  file(WRITE ${DIR}/cli-${name}.json
       "{\"schema\": \"lal-bench/1\", \"env\": {\"os\": \"x\"}, \"results\": [{\"workload\": \"w\", "
       "\"series\": \"${series}\", \"unit\": \"ns\", \"count\": 20000, \"buckets\": [${buckets}], "
       "\"p50\": 1495, \"p90\": 1895, \"p99\": 1985, \"p99_9\": 1990}]}")
endforeach()

# expect(<exit> <regex of stdout+stderr> args...)
function(expect code regex)
  execute_process(COMMAND ${EMULATOR} ${COMPARE} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  string(REPLACE ";" " " args "${ARGN}")
  if(NOT rc EQUAL code OR NOT "${out}${err}" MATCHES "${regex}")
    message(FATAL_ERROR "lal-compare ${args}: exit ${rc} (expected ${code}), output:\n${out}${err}"
                        "\n(expected to match: ${regex})")
  endif()
endfunction()

expect(0 "-> pass" ${a} ${b})
expect(0 "-> pass" ${a} ${b} --gate p99.9)
expect(0 "-> pass" ${a} ${b} --gate p99_9 --threshold 5 --min-effect 1 --seed 7 --resamples 200)
foreach(bad "--threshold;abc" "--threshold;nan" "--threshold;-1" "--threshold;10x" "--threshold;inf"
            "--min-effect;abc" "--seed;xyz" "--seed;1.5" "--seed;-3" "--resamples;50"
            "--resamples;1e9" "--resamples;")
  list(GET bad 0 flag)
  expect(2 "${flag}" ${a} ${b} ${bad})
endforeach()
expect(2 "unknown option '--bogus'" ${a} ${b} --bogus)
expect(2 "--gate needs a value" ${a} ${b} --gate)
expect(2 "unknown gate percentile" ${a} ${b} --gate p42)
expect(2 "two results are needed" ${a})
expect(2 "is not a regular file" ${a} ${DIR})
expect(2 "cannot read .*no-such-file" ${a} ${DIR}/no-such-file.json)
expect(2 "cli-other.json have no series in common" ${a} ${other})
file(READ ${a} one)
string(REPLACE "\"series\": \"s\"" "\"series\": \"s2\"" renamed "${one}")
string(JSON second GET "${renamed}" results 0)
string(JSON two SET "${one}" results 1 "${second}")
file(WRITE ${DIR}/cli-two.json "${two}")
expect(1 "1 missing from B: w s2; gate: p99 .*-> FAIL" ${DIR}/cli-two.json ${b})
expect(0 "missing from B \\(allowed\\)" ${DIR}/cli-two.json ${b} --allow-missing)
file(REMOVE ${html})
expect(2 "no series in common" ${a} ${other} --html ${html})
if(EXISTS ${html} OR EXISTS ${html}.tmp)
  message(FATAL_ERROR "a failed comparison left ${html} behind")
endif()
expect(0 "-> pass" ${a} ${b} --html ${html})
if(NOT EXISTS ${html} OR EXISTS ${html}.tmp)
  message(FATAL_ERROR "the report ${html} was not written (or its .tmp stayed)")
endif()
expect(0 "-> pass" ${a} ${b} --html ${html}) # replacing an existing report (Windows: rename fails)
# --markdown: written on success, nothing left behind on exit 2.
set(md ${DIR}/cli-summary.md)
file(REMOVE ${md})
expect(2 "no series in common" ${a} ${other} --markdown ${md})
if(EXISTS ${md} OR EXISTS ${md}.tmp)
  message(FATAL_ERROR "a failed comparison left ${md} behind")
endif()
expect(0 "-> pass" ${a} ${b} --markdown ${md} --html ${html})
file(READ ${md} summary)
if(NOT summary MATCHES "\\| workload \\| series \\|" OR EXISTS ${md}.tmp)
  message(FATAL_ERROR "--markdown wrote no summary table: ${summary}")
endif()
expect(0 "usage: lal-compare A.json B.json" --help)
expect(0 "lal-compare [0-9]+\\.[0-9]+\\.[0-9]+" --version)
message(STATUS "lal-compare command line: every check passed")
