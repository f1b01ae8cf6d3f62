#!/usr/bin/env bash
# Every benchmark row once, with no timing read (BenchmarkDotNet's dry job, in process): each group's setup
# checks that what it would time is what it claims (a warmed hit is a hit, a Redis hit comes from Redis, the
# generator's output compiles), so a group that can no longer measure fails here, not in the next full run.
# scripts/test.sh counts it as one test.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
if dotnet run -c Release --project benchmarks/CachedMethods.Benchmarks -- --filter '*' --job dry --inProcess >"$log" 2>&1; then
  echo "bench-dry: every row ran ($(grep -c '^// Benchmark: ' "$log") rows)"
  rm -f "$log"
else
  grep -E 'Exception|Failed:|error' "$log" | head -n 20
  echo "bench-dry: a benchmark row failed; full log in $log"
  exit 1
fi
