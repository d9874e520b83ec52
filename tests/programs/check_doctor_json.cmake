# SPDX-License-Identifier: MIT
# ctest script: `lal doctor --json [--root DIR]` must validate against
# support/doctor/lal-doctor.schema.json, and its summary must count its findings.
# Variables: EMULATOR LAL PYTHON SCHEMA [ROOT]
set(args doctor --json)
if(ROOT)
  list(APPEND args --root ${ROOT})
endif()
execute_process(COMMAND ${EMULATOR} ${LAL} ${args} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal doctor --json exited ${rc}")
endif()
string(MD5 tag "${ROOT}")
set(file ${CMAKE_CURRENT_BINARY_DIR}/lal-doctor-${tag}.json)
file(WRITE ${file} "${out}")
execute_process(
  COMMAND ${PYTHON} -c "import json,sys,jsonschema; d=json.load(open(sys.argv[1])); \
jsonschema.validate(d, json.load(open(sys.argv[2]))); \
c={k:0 for k in ('ok','warn','fail','n/a')}; [c.__setitem__(f['status'], c[f['status']]+1) for f in d['findings']]; \
assert c==d['summary'], (c, d['summary']); \
assert all(f['remediation'] for f in d['findings'] if f['status'] in ('warn','fail')); \
print('valid:', len(d['findings']), 'findings', d['summary'])"
          ${file} ${SCHEMA}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal doctor --json does not validate:\n${out}")
endif()
