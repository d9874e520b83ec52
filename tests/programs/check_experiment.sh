#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest script (Linux): lal-bench --experiment never leaves the machine
# changed. The "machine" is a file under a scratch directory: --apply writes
# "changed" into it, --revert writes "original" back. Every exit path must
# leave it "original" and say so: success (both sides and the comparison),
# a failing apply (exit 3), a failing revert (exit 4, journal kept, then
# --recover), SIGINT inside a B round (exit 130), kill -9 inside a B round
# then --recover, two experiments on one journal, a journal that is a
# symbolic link or another user's, bad options.
#   check_experiment.sh LAL_BENCH DIR
set -uo pipefail
bench=$1 dir=$2/experiment
rm -rf "$dir"
mkdir -p "$dir"
state=$dir/machine journal=$dir/journal
fail() {
  echo "FAILED: $*"
  exit 1
}
reset() {
  echo original >"$state"
  rm -f "$journal" "$dir"/*.json "$dir"/*.tmp
}
is_original() { [[ $(cat "$state") == original ]]; }
apply=(--apply sh -c "echo changed > '$state'" --)
revert=(--revert sh -c "echo original > '$state'" --)
# Short runs: the synthetic workload and clock_read, two rounds a side.
base=(--experiment --quick --rounds 2 --workload clock_read --workload synthetic
  --journal "$journal" --json "$dir/x")

# 1. Success: both sides, the comparison, the machine as it was, no journal.
reset
out=$("$bench" "${base[@]}" "${apply[@]}" "${revert[@]}" 2>&1)
rc=$?
[[ $rc == 0 || $rc == 1 ]] || fail "success path: exit $rc: $out"
is_original || fail "success path left the machine changed"
[[ -f $dir/x.a.json && -f $dir/x.b.json && ! -e $journal ]] || fail "success path: files"
grep -q "=== experiment: B (apply: sh -c" <<<"$out" || fail "no comparison printed"
[[ $(grep -c "experiment: apply:" <<<"$out") == 2 && $(grep -c "experiment: revert:" <<<"$out") == 2 ]] ||
  fail "expected two B rounds, each applied and reverted"
python3 - "$dir/x.b.json" <<'PY' || fail "side B's document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "lal-bench/2" and d["run"]["experiment"]["side"] == "B"
s = [r for r in d["results"] if r["workload"] == "synthetic"][0]
assert len(s["rounds"]) == 2
PY
echo "success: both sides written and compared, the machine reverted, no journal left"

# 2. The apply command fails after changing the machine: reverted, exit 3.
reset
out=$("$bench" "${base[@]}" --apply sh -c "echo changed > '$state'; exit 3" -- "${revert[@]}" 2>&1)
rc=$?
[[ $rc == 3 ]] || fail "failing apply: exit $rc, expected 3: $out"
is_original || fail "failing apply left the machine changed"
[[ ! -e $journal ]] || fail "failing apply left the journal"
grep -q "apply command failed" <<<"$out" || fail "failing apply: not said"
echo "failing apply: exit 3, reverted, said so"

# 3. The revert command fails: exit 4, loud, the journal kept for --recover.
reset
out=$("$bench" "${base[@]}" "${apply[@]}" --revert sh -c "exit 5" -- 2>&1)
rc=$?
[[ $rc == 4 ]] || fail "failing revert: exit $rc, expected 4: $out"
[[ -f $journal ]] || fail "failing revert: the journal was not kept"
grep -q "revert command failed: the machine may still be changed" <<<"$out" ||
  fail "failing revert: not said"
grep -q "^state applied$" "$journal" || fail "failing revert: the journal does not say applied"
# The journal's own revert command still fails: --recover says so, keeps it.
rc=0
"$bench" --recover "$journal" >/dev/null 2>&1 || rc=$?
[[ $rc == 4 && -f $journal ]] || fail "--recover with a failing revert: exit $rc"
rm -f "$journal"
echo "failing revert: exit 4, loud, journal kept; --recover of it exits 4 too"

# 4. SIGINT inside a B round: the round stops, B is reverted, exit 130.
reset
"$bench" --experiment --rounds 2 --duration 3 --workload synthetic --journal "$journal" \
  --json "$dir/x" --apply sh -c "echo changed > '$state'" -- "${revert[@]}" >"$dir/int.txt" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q changed "$state" && break; sleep 0.1; done
grep -q changed "$state" || fail "SIGINT: B was never applied"
kill -INT $pid
rc=0
wait $pid || rc=$?
[[ $rc == 130 ]] || fail "SIGINT: exit $rc, expected 130"
is_original || fail "SIGINT left the machine changed"
[[ ! -e $journal ]] || fail "SIGINT left the journal"
grep -q "B reverted" "$dir/int.txt" || fail "SIGINT: not said"
echo "SIGINT in a B round: exit 130, reverted"

# 5. kill -9 inside a B round: the machine stays changed, the journal says
#    so, and --recover reverts it.
reset
"$bench" --experiment --rounds 2 --duration 3 --workload synthetic --journal "$journal" \
  --json "$dir/x" --apply sh -c "echo changed > '$state'" -- "${revert[@]}" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q changed "$state" && break; sleep 0.1; done
kill -9 $pid
wait $pid 2>/dev/null
grep -q changed "$state" || fail "kill -9: the machine was not changed (test did not reach B)"
grep -q "^state applied$" "$journal" || fail "kill -9: the journal does not say applied"
out=$("$bench" --recover "$journal" 2>&1) || fail "--recover: exit $?: $out"
is_original || fail "--recover did not revert"
[[ ! -e $journal ]] || fail "--recover left the journal"
grep -q "reverted; journal removed" <<<"$out" || fail "--recover: not said"
echo "kill -9 in a B round: --recover reverted and removed the journal"

# 6. Two experiments on one journal: the second refuses before changing anything.
reset
"$bench" --experiment --rounds 2 --duration 3 --workload synthetic --journal "$journal" \
  --json "$dir/x" "${apply[@]}" "${revert[@]}" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -f $journal ]] && break; sleep 0.1; done
rc=0
out=$("$bench" "${base[@]}" --json "$dir/y" --apply sh -c "echo second > '$state'" -- \
  "${revert[@]}" 2>&1) || rc=$?
[[ $rc == 2 ]] || fail "second experiment on one journal: exit $rc, expected 2"
grep -q "another experiment is running on it" <<<"$out" || fail "second experiment: not said"
rc=0
"$bench" --recover "$journal" >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "--recover of a live experiment's journal: exit $rc, expected 2"
kill -INT $pid
wait $pid 2>/dev/null
is_original || fail "two experiments: the machine was left changed"
echo "two experiments on one journal: the second refused (exit 2), --recover refused while live"

# 7. A journal that is a symbolic link, or another user's: refused.
reset
ln -s "$dir/elsewhere" "$journal"
rc=0
"$bench" "${base[@]}" "${apply[@]}" "${revert[@]}" >/dev/null 2>&1 || rc=$?
[[ $rc == 2 && ! -e $dir/elsewhere ]] || fail "journal as a symlink: exit $rc, or followed"
rc=0
"$bench" --recover "$journal" >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "--recover of a symlink: exit $rc"
rm -f "$journal"
if [[ $(id -u) == 0 ]]; then
  printf 'lal-experiment-journal 1\npid 1\nstate applied\nargs 2\ntouch\n%s\n' "$dir/pwned" >"$journal"
  chmod 600 "$journal"
  chown 65534 "$journal"
  rc=0
  out=$("$bench" --recover "$journal" 2>&1) || rc=$?
  [[ $rc == 2 && ! -e $dir/pwned ]] || fail "another user's journal: exit $rc, or its command ran"
  grep -q "written by another user" <<<"$out" || fail "another user's journal: not said"
  rm -f "$journal"
  echo "journal as a symlink or another user's: refused, nothing run"
else
  echo "journal as a symlink: refused (another user's: needs root to make one)"
fi

# 8. A built-in change: --b-timer-slack on the measuring (main) thread, seen
#    from outside in /proc/PID/timerslack_ns: B's value in B rounds, the old
#    one back in the A rounds after them (A B B A: the run ends on A).
reset
"$bench" --experiment --rounds 2 --duration 2 --workload synthetic --b-timer-slack 123456 \
  --json "$dir/slack" >/dev/null 2>&1 &
pid=$!
seen=()
while kill -0 $pid 2>/dev/null; do
  v=$(cat /proc/$pid/timerslack_ns 2>/dev/null) && seen+=("$v")
  sleep 0.05
done
wait $pid || true
before=${seen[0]:-}
[[ " ${seen[*]} " == *" 123456 "* ]] || fail "--b-timer-slack: B's slack never seen (${seen[*]})"
last=${seen[-1]:-}
[[ -n $before && $last == "$before" ]] || fail "--b-timer-slack: not restored ($before, then $last)"
echo "--b-timer-slack: 123456 ns in B's rounds, $before ns again after them"

# 9. Bad options: exit 2, nothing applied.
reset
for args in "--apply --" "--apply sh -c true" "--revert sh -c true --" "--b-cpu x" \
  "--b-priority nope"; do
  rc=0
  # shellcheck disable=SC2086
  "$bench" "${base[@]}" $args >/dev/null 2>&1 || rc=$?
  [[ $rc == 2 ]] || fail "bad option '$args': exit $rc, expected 2"
done
rc=0
"$bench" "${base[@]}" >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "an experiment without a change: exit $rc"
rc=0
"$bench" --apply true -- --revert true -- --workload clock_read >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "--apply without --experiment: exit $rc"
is_original || fail "bad options changed the machine"
[[ ! -e $journal ]] || fail "bad options left a journal"
# A command that does not exist: the apply fails (exit 3), reverted.
rc=0
"$bench" "${base[@]}" --apply "$dir/no-such-command" -- "${revert[@]}" >/dev/null 2>&1 || rc=$?
[[ $rc == 3 ]] || fail "a missing apply command: exit $rc, expected 3"
echo "bad options and a missing command: refused, nothing changed"
