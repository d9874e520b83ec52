# SPDX-License-Identifier: MIT
# ctest script: the whole suite in quick mode, its JSON validated against
# bench/lal-bench.schema.json, and what a schema cannot say checked too: each
# series' count is the sum of its buckets, the buckets ascend, and
# min <= p50 <= p90 <= p99 <= p99.9 <= p99.99 <= max.
# Variables: EMULATOR BENCH PYTHON SCHEMA DIR
set(json ${DIR}/quick-suite.json)
execute_process(COMMAND ${EMULATOR} ${BENCH} --quick --duration 0.3 --json ${json}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal-bench --quick exited ${rc}")
endif()
execute_process(
  COMMAND ${PYTHON} -c "import json,sys,jsonschema
d=json.load(open(sys.argv[1])); jsonschema.validate(d, json.load(open(sys.argv[2])))
n=0
for r in d['results']:
    if 'series' not in r: continue
    b=r['buckets']; n+=1
    assert sum(c for _,c in b)==r['count'], (r['workload'], r['series'], 'count')
    assert all(b[i][0]<b[i+1][0] for i in range(len(b)-1)), (r['workload'], r['series'], 'order')
    q=[r[k] for k in ('min','p50','p90','p99','p99_9','p99_99','max')]
    assert r['count']==0 or q==sorted(q), (r['workload'], r['series'], q)
    assert r['count']==0 or b[0][0]<=r['min'], (r['workload'], r['series'], 'min')
workloads=sorted({r['workload'] for r in d['results']})
print('valid:', n, 'series from', len(workloads), 'workloads:', ' '.join(workloads))"
          ${json} ${SCHEMA}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lal-bench's JSON does not validate (${json})")
endif()
