#!/usr/bin/env bash
# The README's test command: installs what the tests need, runs every test project,
# and ends with one line "N passed, N failed" counted from the TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages the tests run for real: redis-server (the Redis tier), tesseract-ocr (the sample's real OCR
# path) and chromium (opens the sample's HTML report headless).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The NativeAOT steps (aot-smoke.sh, sample-aot.sh) link with clang and zlib.
command -v clang >/dev/null 2>&1 || command -v clang-14 >/dev/null 2>&1 || missing+=(clang)
[ -e /usr/lib/x86_64-linux-gnu/libz.so ] || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The package starts a system service on 6379; the tests start their own servers on free ports.
if command -v systemctl >/dev/null 2>&1; then as_root systemctl stop redis-server >/dev/null 2>&1 || true; fi

if [ ! -f tests/node_modules/s3rver/package.json ]; then
  echo "== installing the S3 test server (npm, pinned in tests/package.json)"
  npm ci --prefix tests --no-audit --no-fund --loglevel=error
fi

command -v redis-server >/dev/null 2>&1 || echo "warning: redis-server is still missing; the Redis tests will fail"
command -v tesseract >/dev/null 2>&1 || echo "warning: tesseract is still missing; the tesseract sample test will fail"
command -v chromium >/dev/null 2>&1 || echo "warning: chromium is still missing; the report browser test will fail"
[ -f tests/node_modules/s3rver/package.json ] || echo "warning: s3rver is still missing; the S3 tests will fail"

results="$root/TestResults"
rm -rf "$results"
echo "== dotnet test"
dotnet test CachedMethods.sln -c Release --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status (a build error or a crashed test host)"
fi

# The packages as a user gets them: pack, then build and run the README's Program.cs from outside the repo.
mkdir -p "$results"
bash scripts/consumer-test.sh | tee "$results/consumer.log"
consumer_status=${PIPESTATUS[0]}
counts=$(grep -E '^consumer: [0-9]+ passed, [0-9]+ failed$' "$results/consumer.log" | tail -n 1)
p=$(sed -n 's/^consumer: \([0-9]*\) passed.*/\1/p' <<<"$counts")
f=$(sed -n 's/.* \([0-9]*\) failed$/\1/p' <<<"$counts")
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
[ "$consumer_status" -eq 0 ] || status=1

# NativeAOT: publish a small consumer and run it twice over one disk folder; counted as one test.
if bash scripts/aot-smoke.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "aot-smoke failed"
fi

# The benchmarks: every row once, untimed, so a group that no longer measures what it claims fails; one test.
if bash scripts/bench-dry.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "bench-dry failed"
fi

# NativeAOT: the sample, with its README's publish command, run twice over one disk folder; one test.
if bash scripts/sample-aot.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "sample-aot failed"
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
