#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest script (Linux): lal-bench's output files. Ctrl-C (SIGINT) and SIGTERM
# end the run after the running workload, with exit 130 and a valid JSON of
# what completed, marked incomplete; no .tmp is left; `--json -` writes the
# JSON alone to standard output (progress to stderr); a complete run records
# its metadata. Usage: check_run_output.sh LAL_BENCH DIR
set -euo pipefail
bench=$1 dir=$2
out=$dir/run-output.json
valid() { # file, expected "complete"
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["run"]
want = sys.argv[2] == "true"
assert run["complete"] is want, run
assert d["schema"] == "lal-bench/2" and isinstance(d["results"], list)
assert isinstance(run["rounds"], int) and 0 <= run["rounds_completed"] <= run["rounds"]
for k in ("start_utc", "end_utc", "command_line", "host", "lal_version", "build_type", "compiler"):
    assert isinstance(run[k], str), k
assert "lal-bench" in run["command_line"]
if not want:
    assert run["interrupted_by"] in ("SIGINT", "SIGTERM"), run
PY
}
for sig in INT TERM; do
  rm -f "$out" "$out.tmp"
  "$bench" --workload clock_read --workload jitter --workload sleep --duration 3 --json "$out" \
    >/dev/null 2>&1 &
  pid=$!
  sleep 1.5
  kill -$sig $pid
  rc=0
  wait $pid || rc=$?
  [[ $rc == 130 ]] || { echo "SIG$sig: exit $rc, expected 130"; exit 1; }
  [[ -f $out && ! -e $out.tmp ]] || { echo "SIG$sig: $out missing or $out.tmp left"; exit 1; }
  valid "$out" false || { echo "SIG$sig: $out is not a valid incomplete result"; exit 1; }
  echo "SIG$sig: exit 130, $(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["results"]))' "$out") series kept, marked incomplete"
done
# A second signal stops at once: exit 130, nothing written, no .tmp left.
rm -f "$out" "$out.tmp"
# (jitter's busy loop runs its round out: the second signal lands inside it)
"$bench" --workload jitter --duration 20 --json "$out" >/dev/null 2>"$dir/twice.txt" &
pid=$!
sleep 1.5
kill -INT $pid
sleep 0.3
kill -INT $pid
rc=0
wait $pid || rc=$?
[[ $rc == 130 ]] || { echo "second SIGINT: exit $rc, expected 130"; exit 1; }
[[ ! -e $out && ! -e $out.tmp ]] || { echo "second SIGINT: $out or $out.tmp left behind"; exit 1; }
grep -q "stopping after the running workload" "$dir/twice.txt" ||
  { echo "first SIGINT: no word that it is finishing"; exit 1; }
echo "second SIGINT: exit 130 at once, no file left behind"
# Bad --rounds: refused before anything runs.
for bad in 0 -1 101 x 2.5; do
  rc=0
  "$bench" --rounds "$bad" --workload clock_read >/dev/null 2>&1 || rc=$?
  [[ $rc == 2 ]] || { echo "--rounds $bad: exit $rc, expected 2"; exit 1; }
done
echo "--rounds 0, -1, 101, x, 2.5: refused (exit 2)"
"$bench" --quick --workload clock_read --duration 0.2 --json - >"$dir/stdout.json" 2>"$dir/stderr.txt"
valid "$dir/stdout.json" true || { echo "--json -: stdout is not the JSON alone"; exit 1; }
grep -q "== clock_read" "$dir/stderr.txt" || { echo "--json -: progress not on stderr"; exit 1; }
[[ ! -e ./- ]] || { echo "--json - created a file named '-'"; exit 1; }
echo "--json -: JSON on stdout, progress on stderr"
