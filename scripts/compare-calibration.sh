#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Calibrates lal-compare on this machine: N pairs of lal-bench runs of the
# same binary, compared as a CI job would, while a background load switches
# on and off on a timer (so the rounds of one run see different loads).
#   - A/A: the real workloads (clock_read, sleep, wakeup, ctx_switch) are the
#     same build on both sides: every "better"/"worse" is a false verdict and
#     every gate failure a false alarm.
#   - Power: the synthetic workload runs with --synthetic-slowdown 0 in A and
#     25 or 10 in B (alternating pairs): each is a regression of known size,
#     which must be called "worse" (+25 % at p99, +10 % at p50).
# Two ways of making the pair, as a team would:
#   LAL_CALIBRATION_MODE=runs (default): two separate lal-bench runs, compared
#     afterwards (a CI job against a stored baseline);
#   LAL_CALIBRATION_MODE=experiment: one `lal-bench --experiment` whose B
#     rounds (A B B A) have --b-synthetic-slowdown: A and B then share every
#     drift of the machine.
# LAL_CALIBRATION_LOAD=none runs without the changing load.
# Prints one line per pair and the table the README quotes.
#   bash scripts/compare-calibration.sh [PAIRS] [DURATION_S] [ROUNDS]
# (defaults 20, 5 and lal-bench's default rounds); ROUNDS=1 measures the
# one-round comparison for contrast. Needs a release build (scripts/run.sh
# makes one). Takes about PAIRS x 2 x 5 x DURATION_S seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-20} duration=${2:-5} rounds=${3:-}
mode=${LAL_CALIBRATION_MODE:-runs} load=${LAL_CALIBRATION_LOAD:-toggle}
[[ $mode == runs || $mode == experiment ]] || { echo "LAL_CALIBRATION_MODE: runs or experiment" >&2; exit 2; }
build=${LAL_BUILD_DIR:-build/release}
bench=$build/bench/lal-bench compare=$build/compare/lal-compare
[[ -x $bench && -x $compare ]] || {
  echo "no $bench / $compare: build first (cmake --preset release && cmake --build --preset release)" >&2
  exit 2
}
out=${LAL_CALIBRATION_DIR:-build/calibration}
mkdir -p "$out"
rounds_arg=()
[[ -n $rounds ]] && rounds_arg=(--rounds "$rounds")
workloads=(--workload clock_read --workload sleep --workload wakeup --workload ctx_switch
  --workload synthetic)

# The changing load: one busy process, on for 2 s, off for 2 s (a phase that
# drifts against the rounds), on whichever CPU the scheduler gives it.
toggler() {
  while :; do
    timeout 2 bash -c 'while :; do :; done' || true
    sleep 2
  done
}
toggle_pid=
if [[ $load == toggle ]]; then
  toggler &
  toggle_pid=$!
  trap 'kill $toggle_pid 2>/dev/null; pkill -P $toggle_pid 2>/dev/null || true' EXIT
fi

aa_series=0 aa_called=0 aa_gate=0 p99_n=0 p99_caught=0 p50_n=0 p50_caught=0
for ((i = 1; i <= pairs; i++)); do
  slow=$((i % 2 ? 25 : 10))
  if [[ $mode == runs ]]; then
    "$bench" "${workloads[@]}" --duration "$duration" "${rounds_arg[@]}" --synthetic-slowdown 0 \
      --json "$out/a$i.json" >/dev/null 2>&1
    "$bench" "${workloads[@]}" --duration "$duration" "${rounds_arg[@]}" \
      --synthetic-slowdown "$slow" --json "$out/b$i.json" >/dev/null 2>&1
    "$compare" "$out/a$i.json" "$out/b$i.json" --gate p99 >"$out/cmp$i.txt" 2>&1 || true
  else # the comparison is the experiment's own output
    "$bench" --experiment "${workloads[@]}" --duration "$duration" "${rounds_arg[@]}" \
      --b-synthetic-slowdown "$slow" --json "$out/e$i" >"$out/cmp$i.txt" 2>&1 || true
  fi
  # Series lines: "<workload> <series...> <pct> <A> <B> <ratio> [lo, hi] floor detect verdict".
  read -r series called gate < <(awk '
    $1 != "synthetic" && $0 ~ / p(50|90|99|99_9) / && $0 ~ /(no significant change|better|worse|inconclusive)/ {
      n++; if ($0 ~ /(better|worse)/) c++; if ($0 ~ /GATE/) g++ }
    END { print n + 0, c + 0, g + 0 }' "$out/cmp$i.txt")
  aa_series=$((aa_series + series)) aa_called=$((aa_called + called))
  ((gate > 0)) && aa_gate=$((aa_gate + 1))
  verdict_at() { # percentile
    awk -v p="$1" '$1 == "synthetic" && $0 ~ (" " p " ") {
      if ($0 ~ /worse/) print "worse"; else if ($0 ~ /inconclusive/) print "inconclusive";
      else if ($0 ~ /better/) print "better"; else print "same"; exit }' "$out/cmp$i.txt"
  }
  if ((slow == 25)); then
    v=$(verdict_at p99)
    p99_n=$((p99_n + 1))
    [[ $v == worse ]] && p99_caught=$((p99_caught + 1))
  else
    v=$(verdict_at p50)
    p50_n=$((p50_n + 1))
    [[ $v == worse ]] && p50_caught=$((p50_caught + 1))
  fi
  printf 'pair %2d: A/A %2d of %3d series-percentiles called better/worse, gate %s; synthetic +%d%%: %s\n' \
    "$i" "$called" "$series" "$([[ $gate -gt 0 ]] && echo FAILED || echo passed)" "$slow" "$v"
done
echo
echo "| pairs made as | load | rounds | pairs | A/A gate failures (p99) | A/A series-percentiles called better/worse | +25 % p99 caught | +10 % p50 caught |"
echo "|---|---|---|---|---|---|---|---|"
printf '| %s | %s | %s | %d | %d of %d | %d of %d (%.1f %%) | %d of %d | %d of %d |\n' \
  "$([[ $mode == runs ]] && echo "two runs" || echo "one --experiment")" "$load" "${rounds:-default}" \
  "$pairs" "$aa_gate" "$pairs" "$aa_called" "$aa_series" \
  "$(awk -v c=$aa_called -v n=$aa_series 'BEGIN { print n ? 100 * c / n : 0 }')" \
  "$p99_caught" "$p99_n" "$p50_caught" "$p50_n"
