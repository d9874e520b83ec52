# SPDX-License-Identifier: MIT
# ctest script: `lal info --json` must print one valid JSON object with the
# fields tools and dashboards rely on. Variables: EMULATOR LAL PYTHON
execute_process(COMMAND ${EMULATOR} ${LAL} info --json OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal info --json exited ${rc}")
endif()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/lal-info.json "${out}")
execute_process(
  COMMAND ${PYTHON} -c "import json,sys; d=json.load(open(sys.argv[1])); \
assert d['schema']=='lal-info/1', d; assert d['caps']['cpu_count']>=1; \
assert isinstance(d['caps']['machine_features'], list); \
assert d['topology']['pus']==d['caps']['cpu_count'], d['topology']; \
assert [p['profile'] for p in d['profiles']]==['BACKGROUND','NORMAL','INTERACTIVE','AUDIO','REALTIME']; \
assert all(p['status']=='LAL_OK' for p in d['profiles']), d['profiles']; print('ok', d['version'], d['os']['name'])"
          ${CMAKE_CURRENT_BINARY_DIR}/lal-info.json
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal info --json is not the expected JSON:\n${out}")
endif()
