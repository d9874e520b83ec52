#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lal-history's suite, run the same against SQLite and PostgreSQL:
#   bash history_suite.sh LAL_HISTORY LAL_HISTORY_BENCH sqlite|postgres WORKDIR [CHROMIUM]
# postgres: starts a real PostgreSQL (Debian's postgresql package: initdb and
# pg_ctl on a temporary directory, Unix socket only, as an unprivileged user:
# `nobody` when run as root, since initdb refuses root) and stops it at the
# end. Without the server's binaries it skips (exit 77) and says why.
set -uo pipefail
hist=$1 bench=$2 backend=$3 work=$4 chromium=${5:-}
rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"
failures=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }
as_user=()
[[ $(id -u) == 0 ]] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
if [[ $backend == postgres ]]; then
  source "$(dirname "$0")/pg_fixture.sh"
  trap pg_stop EXIT
  pg_start
  case $? in
  0) ;;
  1) exit 77 ;;
  *) exit 1 ;;
  esac
  db=$PG_CONNINFO
  sql() { pg_sql "$1"; }
else
  db=$work/history.sqlite
  sql() { sqlite3 "$db" "$1"; }
fi
H() { "$hist" --db "$db" "$@"; }
runs_count() { H runs 2>/dev/null | tail -n +2 | wc -l; }

# Results: deterministic synthetic lal-bench/2 documents (seeded), 6 series.
doc() { # name seed scale host os start
  "$bench" doc --out "$work/$1.json" --seed "$2" --scale "$3" --host "$4" --os "$5" \
    --start "$6" --series 6 --rounds 5
}
for i in 1 2 3 4 5 6 7 8; do doc "a$i" "$i" 1.0 ci-linux Linux "2026-11-0${i}T10:00:00Z"; done
doc new-same 100 1.0 ci-linux Linux 2026-11-20T10:00:00Z
doc new-worse 101 1.3 ci-linux Linux 2026-11-21T10:00:00Z

# --- ingest, and the same result twice is one run
if H ingest "$work"/a{1,2,3,4,5,6}.json >"$work/ingest.out" 2>&1 && [[ $(runs_count) == 6 ]]; then
  ok "six results stored as six runs"
else
  bad "ingest of six results: $(cat "$work/ingest.out")"
fi
out=$(H ingest "$work/a1.json" 2>&1)
if [[ $? == 0 && $out == *"already stored as run"* && $(runs_count) == 6 ]]; then
  ok "the same result ingested twice is one run"
else
  bad "duplicate ingest: $out"
fi
if H runs | tail -n +2 | awk '$2 != 6 { exit 1 }'; then ok "every run has its 6 series"; else bad "a run lacks series"; fi

# --- labels never reach SQL text
label="'); DROP TABLE runs;--"
if H ingest --label "$label" "$work/a7.json" >/dev/null 2>&1 && H runs | grep -qF "$label" &&
  [[ $(runs_count) == 7 ]]; then
  ok "a label of SQL is stored as text"
else
  bad "SQL label"
fi

# --- bad input: exit 2, a clear message, nothing written
head -c 5000 "$work/a8.json" >"$work/truncated.json"
printf '\x00\xffnot json at all' >"$work/corrupt.json"
sed 's#lal-bench/2#lal-bench/9#' "$work/a8.json" >"$work/future.json"
for case in truncated:"not JSON" corrupt:"not JSON" future:"lal-bench/9"; do
  f=${case%%:*} want=${case#*:}
  out=$(H ingest "$work/$f.json" 2>&1)
  rc=$?
  if [[ $rc == 2 && $out == *"$want"* && $out == *"nothing stored"* && $(runs_count) == 7 ]]; then
    ok "$f result: exit 2, \"$want\", nothing stored"
  else
    bad "$f result: exit $rc: $out"
  fi
done
out=$(H ingest "$work/no-such.json" 2>&1)
[[ $? == 2 && $out == *"cannot open"* ]] && ok "missing file: exit 2" || bad "missing file: $out"

# --- a schema newer than the tool: exit 2, nothing written
sql "INSERT INTO lal_history_schema (version) VALUES (99)"
out=$(H ingest "$work/a8.json" 2>&1)
rc=$?
sql "DELETE FROM lal_history_schema WHERE version = 99"
if [[ $rc == 2 && $out == *"newer than this lal-history"* && $(runs_count) == 7 ]]; then
  ok "a newer schema: exit 2, nothing written"
else
  bad "newer schema: exit $rc: $out"
fi
H ingest "$work/a8.json" >/dev/null 2>&1

# --- baseline: the same build passes, a 30 % slower one fails the gate
out=$(H baseline "$work/new-same.json" --markdown "$work/same.md" --html "$work/same.html" 2>&1)
rc=$?
if [[ $rc == 0 && $out == *"Gate (p99"*"pass"* && $out == *"last 8 runs"* && -s $work/same.md && -s $work/same.html ]]; then
  ok "baseline of an identical build: pass"
else
  bad "baseline same: exit $rc: $out"
fi
out=$(H baseline "$work/new-worse.json" 2>&1)
rc=$?
if [[ $rc == 1 && $out == *"worse"*"FAIL"* && $out == *"Gate (p99"*"FAIL"* ]]; then
  ok "baseline of a 30 % slower build: exit 1"
else
  bad "baseline worse: exit $rc: $out"
fi
out=$(H baseline "$work/new-worse.json" --threshold 50 2>&1)
[[ $? == 0 ]] && ok "baseline: --threshold 50 lets +30 % pass" || bad "baseline threshold: $out"
doc other 5 1.0 elsewhere Linux 2026-11-01T10:00:00Z
out=$(H baseline "$work/other.json" 2>&1)
[[ $? == 2 && $out == *"no history for machine"* ]] && ok "baseline without history: exit 2" ||
  bad "baseline without history: $out"

# --- change points: 20 runs, then 20 runs 30 % slower, on a Windows machine
for i in $(seq 1 40); do
  scale=1.0
  ((i > 20)) && scale=1.3
  doc "w$i" $((200 + i)) $scale ci-windows Windows "2026-10-01T00:$(printf %02d "$i"):00Z"
done
H ingest --label nightly "$work"/w{1..40}.json >/dev/null 2>&1
first_slow=$(H runs --machine ci-windows | tail -n +2 | sed -n 21p | awk '{print $1}')
out=$(H changes --machine ci-windows --pct p99 2>&1)
n=$(grep -c "p99 .* -> .* from run $first_slow " <<<"$out")
if [[ $n == 6 && $out == *"6 change points"* ]]; then
  ok "change points: each series' p99 shift found at its first run ($first_slow)"
else
  bad "change points: $out"
fi
out=$(H changes --machine ci-linux 2>&1)
[[ $out == *"0 change points"* ]] && ok "no change point in a steady history" || bad "steady: $out"

# --- trend pages
mkdir -p "$work/trend"
if H trend "$work/trend" >/dev/null 2>&1 && [[ -s $work/trend/index.html ]]; then
  fp=$(H machines | awk '$2 == "ci-windows" {print $1}')
  page=$work/trend/machine-$fp.html
  if [[ -s $page ]] && grep -q 'class="change p99"' "$page" && ! grep -qE '<script|src="http' "$page"; then
    ok "trend pages written, change points marked, self-contained"
  else
    bad "trend page $page"
  fi
  if [[ -n $chromium ]]; then
    dom=$("$chromium" --headless --disable-gpu --no-sandbox --user-data-dir="$work/chromium" \
      --dump-dom "file://$page" 2>/dev/null)
    plots=$(grep -o '<svg class="trend-plot"' <<<"$dom" | wc -l)
    lines=$(grep -o '<polyline class="trend p99"' <<<"$dom" | wc -l)
    marks=$(grep -o '<line class="change p99"' <<<"$dom" | wc -l)
    if [[ $plots == 6 && $lines == 6 && $marks == 6 ]]; then
      ok "Chromium renders 6 plots, 6 p99 lines, 6 change marks"
    else
      bad "Chromium rendered $plots plots, $lines p99 lines, $marks marks (expected 6 each)"
    fi
    sid=$(grep -o 'series-[0-9]*\.html' "$work/trend/index.html" | head -1)
    dom=$("$chromium" --headless --disable-gpu --no-sandbox --user-data-dir="$work/chromium" \
      --dump-dom "file://$work/trend/$sid" 2>/dev/null)
    if grep -q '<h2>Linux</h2>' <<<"$dom" && grep -q '<h2>Windows</h2>' <<<"$dom"; then
      ok "a series across machines: Linux and Windows side by side"
    else
      bad "series page $sid has not both OS columns"
    fi
  fi
else
  bad "trend"
fi

# --- 8 concurrent ingesters: nothing lost, nothing duplicated
for i in $(seq 1 10); do doc "c$i" $((300 + i)) 1.0 ci-conc Linux "2026-09-01T00:$(printf %02d "$i"):00Z"; done
for p in 1 2 3 4 5 6 7 8; do
  doc "own$p-1" $((400 + p)) 1.0 ci-conc Linux "2026-09-02T0$p:01:00Z"
  doc "own$p-2" $((500 + p)) 1.0 ci-conc Linux "2026-09-02T0$p:02:00Z"
done
before=$(runs_count)
pids=()
for p in 1 2 3 4 5 6 7 8; do
  H ingest "$work"/c{1..10}.json "$work/own$p-1.json" "$work/own$p-2.json" >"$work/conc$p.out" 2>&1 &
  pids+=($!)
done
conc_rc=0
for pid in "${pids[@]}"; do wait "$pid" || conc_rc=1; done
after=$(runs_count)
if [[ $conc_rc == 0 && $((after - before)) == 26 ]] &&
  H runs --machine ci-conc | tail -n +2 | awk '$2 != 6 { exit 1 }'; then
  ok "8 concurrent ingesters: 26 distinct runs stored once each, whole"
else
  bad "concurrent ingest: exit $conc_rc, $((after - before)) new runs (expected 26): $(cat "$work"/conc*.out | grep -v stored | head -5)"
fi

# --- an ingest killed with kill -9 leaves no partial run
for i in $(seq 1 40); do doc "k$i" $((600 + i)) 1.0 ci-kill Linux "2026-08-01T00:$(printf %02d "$i"):00Z" & done
wait
H ingest "$work"/k{1..40}.json >/dev/null 2>&1 &
victim=$!
sleep 0.3
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
partial=$(H runs --machine ci-kill 2>/dev/null | tail -n +2 | awk '$2 != 6' | wc -l)
H ingest "$work"/k{1..40}.json >/dev/null 2>&1
total=$(H runs --machine ci-kill | tail -n +2 | wc -l)
if [[ $partial == 0 && $total == 40 ]]; then
  ok "kill -9 during ingest: no partial run; ingesting again completes it (40 runs)"
else
  bad "kill -9: $partial partial runs, $total runs after re-ingest"
fi

# --- a database that cannot be used: exit 2 with its message
if [[ $backend == postgres ]]; then
  out=$("$hist" --db "host=$work/nowhere port=5432 user=lal dbname=postgres" ingest "$work/a1.json" 2>&1)
  [[ $? == 2 && $out == *"PostgreSQL:"*"nowhere"* ]] && ok "unreachable server: exit 2: ${out:0:120}" ||
    bad "unreachable: $out"
  out=$("$hist" --db "$db options='-c default_transaction_read_only=on'" ingest "$work/new-same.json" 2>&1)
  [[ $? == 2 && $out == *"read-only transaction"* ]] && ok "read-only database: exit 2: ${out:0:140}" ||
    bad "read-only: $out"
  echo "note: a full PostgreSQL disk is not simulated here (the server's own data directory)"
else
  out=$("$hist" --db "$work/no/such/dir/h.sqlite" ingest "$work/a1.json" 2>&1)
  [[ $? == 2 && $out == *"unable to open"* ]] && ok "unopenable database: exit 2: $out" || bad "unopenable: $out"
  cp "$db" "$work/ro.sqlite" && chmod 444 "$work/ro.sqlite"
  if [[ ${#as_user[@]} -gt 0 ]]; then
    out=$("${as_user[@]}" "$hist" --db "$work/ro.sqlite" ingest "$work/new-same.json" 2>&1)
  else
    out=$("$hist" --db "$work/ro.sqlite" ingest "$work/new-same.json" 2>&1)
  fi
  rc=$?
  [[ $rc == 2 && $out == *"readonly"* ]] && ok "read-only database: exit 2: ${out:0:140}" || bad "read-only: exit $rc: $out"
  # A full disk: the file may not grow past 64 KiB (SIGXFSZ ignored, so the
  # write fails with EFBIG, which SQLite reports as a full disk).
  rm -f "$work/full.sqlite"
  out=$(trap '' XFSZ; ulimit -f 128; "$hist" --db "$work/full.sqlite" ingest "$work"/k{1..10}.json 2>&1)
  rc=$?
  if [[ $rc == 2 && ($out == *"full"* || $out == *"disk I/O error"*) ]]; then
    stored=$("$hist" --db "$work/full.sqlite" runs | tail -n +2 | awk '$2 != 6' | wc -l)
    [[ $stored == 0 ]] && ok "full disk: exit 2 (${out##*: }), no partial run" || bad "full disk left $stored partial runs"
  else
    bad "full disk: exit $rc: $out"
  fi
fi

echo "$failures failure(s) ($backend)"
exit $((failures > 0))
