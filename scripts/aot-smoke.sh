#!/usr/bin/env bash
# NativeAOT smoke test, run by scripts/test.sh after the tests: publishes tests/CachedMethods.AotSmoke (a small
# consumer with a [Cached] method, a [CacheSerializable] type, CachedMethods.Hybrid and CachedMethods.HealthChecks:
# every package that declares IsAotCompatible, which is checked first) with NativeAOT, then runs the binary twice over
# one disk folder. The first run must compute, the second must be served from disk with the exact same values.
# Trimming and AOT warnings are errors in this repository (TreatWarningsAsErrors), so a publish that succeeds
# has none; the log is also checked for any IL warning. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# The claim stays only where it is checked: every src project that declares IsAotCompatible is published here.
for project in src/*/*.csproj; do
  grep -q '<IsAotCompatible>true</IsAotCompatible>' "$project" || continue
  if ! grep -qF "../../$project" tests/CachedMethods.AotSmoke/CachedMethods.AotSmoke.csproj; then
    echo "aot-smoke: $project declares IsAotCompatible, but tests/CachedMethods.AotSmoke does not reference it"
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ILC links with clang; Debian names it clang-14 when only the versioned package is installed.
compiler=()
if ! command -v clang >/dev/null 2>&1 && command -v clang-14 >/dev/null 2>&1; then
  compiler=(-p:CppCompilerAndLinker=clang-14)
fi

echo "== NativeAOT publish of tests/CachedMethods.AotSmoke"
# -p:Aot=true, not -p:PublishAot=true, which would reach the netstandard2.0 generator (NETSDK1207).
if ! dotnet publish tests/CachedMethods.AotSmoke/CachedMethods.AotSmoke.csproj -c Release -r linux-x64 -p:Aot=true \
    "${compiler[@]}" -o "$work/bin" >"$work/publish.log" 2>&1; then
  grep -E "error|warning" "$work/publish.log" | head -20
  echo "aot-smoke: publish failed"
  exit 1
fi
if grep -qE "warning IL[0-9]+" "$work/publish.log"; then
  grep -E "warning IL[0-9]+" "$work/publish.log" | head -20
  echo "aot-smoke: the publish has trimming or AOT warnings"
  exit 1
fi

binary="$work/bin/CachedMethods.AotSmoke"
first=$(env -u REDIS_URL -u S3_CACHE_BUCKET "$binary" "$work/cache")
second=$(env -u REDIS_URL -u S3_CACHE_BUCKET "$binary" "$work/cache")
echo "aot-smoke: first run: $first; second run: $second"
[ "$first" = "computed" ] && [ "$second" = "disk" ]
