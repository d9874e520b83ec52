#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lal-compare on a large result: writes a valid lal-bench/1 document of about
# 50 MB (1,494 series of 2,000 [bound, count] buckets), then compares it with
# itself and prints the wall time and the peak memory (GNU time's maximum
# resident set), with 100 resamples (reading dominates) and the default 2,000,
# and once more writing the HTML report.
#   bash scripts/bench-compare-size.sh [LAL_COMPARE]   (default build/release/compare/lal-compare)
set -euo pipefail
compare=${1:-build/release/compare/lal-compare}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$out/big.json" <<'PY'
import json, random, sys
random.seed(1)
results, size, i = [], 0, 0
while size <= 50_000_000:
    b = [[int(1000 * 1.008 ** k), random.randint(0, 5000)] for k in range(2000)]
    results.append({"workload": "w%d" % (i % 40), "series": "s%d" % i, "unit": "ns",
                    "count": sum(c for _, c in b), "buckets": b, "p50": 1500, "p90": 1900,
                    "p99": 2500, "p99_9": 3000, "p99_99": 3100, "max": 4000})
    size += len(json.dumps(b))
    i += 1
json.dump({"schema": "lal-bench/1", "env": {"os": "Linux", "cpu_count": 2}, "results": results},
          open(sys.argv[1], "w"))
PY
echo "document: $(($(stat -c %s "$out/big.json") / 1000000)) MB"
for resamples in 100 2000; do
  /usr/bin/time -f "%e %M" -o "$out/time" "$compare" "$out/big.json" "$out/big.json" \
    --resamples "$resamples" >/dev/null
  read -r secs kib <"$out/time"
  echo "lal-compare A A (both ~50 MB), $resamples resamples: $secs s, peak $((kib / 1024)) MiB"
done
# With the HTML report the model also keeps every series' CDF for its plots.
/usr/bin/time -f "%e %M" -o "$out/time" "$compare" "$out/big.json" "$out/big.json" \
  --resamples 100 --html "$out/report.html" >/dev/null
read -r secs kib <"$out/time"
echo "lal-compare A A --html, 100 resamples: $secs s, peak $((kib / 1024)) MiB"
