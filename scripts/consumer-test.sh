#!/usr/bin/env bash
# The packages as a user gets them: packs every shipped package to a local folder, then builds and runs a console
# app that references them by name only, from a folder outside this repository (so none of its Directory.Build.*
# files or central package versions apply). The app's Program.cs is the one in the README's install section,
# verbatim. It runs twice: the second run must be served from disk.
# Restores go to a private packages folder, so this version of the packages never enters the global NuGet folder and
# a stale copy there cannot stand in for the fresh one. Ends with "consumer: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props | head -n 1)
work=$(mktemp -d "${TMPDIR:-/tmp}/cachedmethods-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
global=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
export NUGET_PACKAGES="$work/nuget-packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0; failed=0
check() { # check NAME COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); echo "  ok   $1"; else failed=$((failed + 1)); echo "  FAIL $1"; fi
}
finish() { echo "consumer: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

echo "== consumer test: CachedMethods $version from packages (work folder $work)"
for id in cachedmethods cachedmethods.redis cachedmethods.s3 cachedmethods.hybrid cachedmethods.healthchecks; do
  if [ -d "$global/$id/$version" ]; then
    # Only a hand-run restore can have put it there; it would shadow the fresh package through the fallback folder.
    echo "  removing a stale $id $version from the global packages folder"
    rm -rf "${global:?}/$id/$version"
  fi
done

packs() {
  local ok=0
  for project in src/*/*.csproj; do
    dotnet pack "$project" -c Release -o "$work/packages" -nologo -v q >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; ok=1; }
  done
  [ "$ok" -eq 0 ] && [ -f "$work/packages/CachedMethods.$version.nupkg" ]
}
check "dotnet pack puts every package in a local folder" packs || finish

analyzers_packed() {
  # The listing is read whole first: under pipefail, `unzip -l | grep -q` fails whenever grep exits before unzip has
  # written its last line (unzip dies of SIGPIPE), so the check's result would depend on timing.
  local listing
  listing=$(unzip -l "$work/packages/CachedMethods.$version.nupkg") || return 1
  grep -q "analyzers/dotnet/cs/CachedMethods.Generators.dll" <<<"$listing" &&
    grep -q "analyzers/dotnet/cs/CachedMethods.Generators.CodeFixes.dll" <<<"$listing"
}
check "CachedMethods.nupkg holds the generator and code fixes under analyzers/dotnet/cs" analyzers_packed

symbols_packed() { for p in "$work"/packages/*.nupkg; do [ -f "${p%.nupkg}.snupkg" ] || return 1; done; }
check "every package has a symbols package" symbols_packed

app="$work/app"
mkdir -p "$app"
# Stop MSBuild's upward search here, and pin nothing centrally: the app is on its own like a user's.
printf '<Project />\n' >"$app/Directory.Build.props"
printf '<Project />\n' >"$app/Directory.Build.targets"
printf '<Project>\n  <PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>\n</Project>\n' >"$app/Directory.Packages.props"
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local-packages" value="$work/packages" />
  </packageSources>
  <!-- Dependencies already on this machine are reused in place; CachedMethods itself must come from local-packages. -->
  <fallbackPackageFolders>
    <add key="machine" value="$global" />
  </fallbackPackageFolders>
</configuration>
XML
cat >"$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="CachedMethods" Version="$version" />
  </ItemGroup>
</Project>
XML
# The README's Program.cs, verbatim: the csharp block after the "<!-- consumer: Program.cs -->" marker.
awk '/<!-- consumer: Program.cs -->/{found=1; next} found && /^```csharp/{inblock=1; next} inblock && /^```/{exit} inblock{print}' README.md >"$app/Program.cs"
check "the README's install section has a Program.cs" test -s "$app/Program.cs" || finish

builds() { (cd "$app" && dotnet build -c Release -nologo -v q >"$work/build.log" 2>&1) || { tail -30 "$work/build.log"; return 1; }; }
check "the README's Program.cs builds against the packages by name" builds || finish

fresh_package_used() {
  local restored="$NUGET_PACKAGES/cachedmethods/$version"
  [ -f "$restored/cachedmethods.$version.nupkg.sha512" ] || { echo "    CachedMethods $version was not restored from the fresh package"; return 1; }
  local expected; expected=$(openssl dgst -sha512 -binary "$work/packages/CachedMethods.$version.nupkg" | base64 -w0)
  [ "$(cat "$restored/cachedmethods.$version.nupkg.sha512")" = "$expected" ]
}
check "the build used the package just packed (private packages folder, hash matches)" fresh_package_used

generated_version() { grep -rqs "GeneratedCode(\"CachedMethods.Generators\", \"$version\")" "$app/obj"; }
check "generated code names the generator's package version ($version)" generated_version

run() { (cd "$app" && DISK_CACHE_PATH="$work/cache" REDIS_URL= REDIS_HOST= S3_CACHE_BUCKET= dotnet bin/Release/net10.0/Consumer.dll) >"$work/run$1.log" 2>&1; }
disk_hits() { awk '$1 == "disk" { print $2 }' "$work/run$1.log"; }
first_run() { run 1 && [ "$(disk_hits 1)" = "0" ] || { cat "$work/run1.log"; return 1; }; }
second_run() { run 2 && [ "$(disk_hits 2)" = "2" ] || { cat "$work/run2.log"; return 1; }; }
check "first run computes both calls ([Cached] interface and partial class)" first_run
check "second run, a new process, serves both calls from disk" second_run
# What the calls returned: every line above the stats table, which starts with its "method" or "tier" header.
results() { awk '/^(method|tier) /{exit} {print}' "$work/run$1.log"; }
same_results() { [ -s "$work/run1.log" ] && [ -n "$(results 1)" ] && diff <(results 1) <(results 2); }
check "both runs print the same results" same_results

stays_out() { for id in cachedmethods cachedmethods.redis cachedmethods.s3 cachedmethods.hybrid cachedmethods.healthchecks; do [ ! -d "$global/$id/$version" ] || return 1; done; }
check "no package of this version entered the global packages folder" stays_out

finish
