#!/usr/bin/env bash
# The sample under NativeAOT, run by scripts/test.sh after aot-smoke.sh and counted as one test (issue 10: the
# sample "publishes with a documented command, with 0 trimming and AOT warnings. The binary's first run computes
# and its second run is served from disk").
# - Runs the publish command of samples/OcrPipeline/README.md, checked to be that exact line, so the two cannot
#   drift. Warnings are errors in this repository, so a publish that succeeds has none; the log is also searched
#   for any IL2xxx/IL3xxx warning.
# - Runs the binary twice over one fresh disk folder with the smallest job that still proves it (one document,
#   the built-in engine, so the binary's own OCR code runs and no tesseract is needed) and reads the sample's
#   plain output: pass 1 of the first run computed, pass 1 of the second was served from disk.
# Wall time, measured 2026-12-02 on the 2-core machine shared with CI runs and other builds: 3 min 17 s at load
# average 6 to 9 with the libraries already built, as `dotnet test` leaves them in CI (196 s publish, almost all
# ILC compiling the whole app: Spectre.Console, System.CommandLine, OpenTelemetry, the Redis and S3 clients;
# 1 s for the two runs); 7 min 25 s at load 12 from a fresh worktree (restore and every build included). The
# libraries are RID-agnostic, so the build that `dotnet test` did is reused, not repeated.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

publish="dotnet publish samples/OcrPipeline -c Release -r linux-x64 -p:Aot=true -o out/ocr"
if ! grep -qxF "$publish" samples/OcrPipeline/README.md; then
  echo "sample-aot: samples/OcrPipeline/README.md no longer documents: $publish (change both together)"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work" out/ocr; rmdir out 2>/dev/null || true' EXIT
rm -rf out/ocr

# ILC links with clang; with only Debian's clang-14 the README says to add this property.
compiler=()
if ! command -v clang >/dev/null 2>&1 && command -v clang-14 >/dev/null 2>&1; then
  compiler=(-p:CppCompilerAndLinker=clang-14)
fi

echo "== $publish${compiler[*]:+ ${compiler[*]}}"
if ! $publish "${compiler[@]}" >"$work/publish.log" 2>&1; then
  grep -E "error|warning" "$work/publish.log" | head -20
  echo "sample-aot: publish failed"
  exit 1
fi
if grep -qE "warning IL[23][0-9]{3}" "$work/publish.log"; then
  grep -E "warning IL[23][0-9]{3}" "$work/publish.log" | head -20
  echo "sample-aot: the publish has trimming or AOT warnings"
  exit 1
fi
echo "sample-aot: published in $((SECONDS - start)) s"

run() {
  env -u REDIS_URL -u S3_CACHE_BUCKET -u DISK_CACHE_PATH \
    out/ocr/OcrPipeline --cache-dir "$work/cache" --plain --documents 1 --engine builtin >"$work/$1.log" 2>&1
}
expect() { # file, line pattern (extended regex)
  if ! grep -qE "$2" "$work/$1.log"; then
    cat "$work/$1.log"
    echo "sample-aot: the $1 run did not print a line matching: $2"
    exit 1
  fi
}
run first || { cat "$work/first.log"; echo "sample-aot: the first run failed"; exit 1; }
run second || { cat "$work/second.log"; echo "sample-aot: the second run failed"; exit 1; }
expect first '^pass 1: 1 documents in .+; 1 computed, none served from the cache$'
expect second '^pass 1: 1 documents in .+; 1 of 1 served from the cache \(disk\): results of an earlier run$'
if grep -qiE "dynamic code|could not be serialized|cannot be serialized" "$work/first.log" "$work/second.log"; then
  grep -iE "dynamic code|could not be serialized|cannot be serialized" "$work/first.log" "$work/second.log"
  echo "sample-aot: a value was not serialized"
  exit 1
fi
grep -hE '^pass 1:' "$work/first.log" "$work/second.log"
echo "sample-aot: first run computed, second run served from disk ($((SECONDS - start)) s in all)"
