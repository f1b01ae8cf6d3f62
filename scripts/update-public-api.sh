#!/usr/bin/env bash
# Rewrites the public API baselines (PublicAPI.Unshipped.txt) of every shipped assembly from its code: builds,
# adds each symbol reported as RS0016 (public but not declared) and drops each reported as RS0017 (declared but
# gone). Review the diff like code.
#   bash scripts/update-public-api.sh          after an intended change to a public surface
#   bash scripts/update-public-api.sh --ship   at a release: moves every Unshipped entry into PublicAPI.Shipped.txt
set -euo pipefail
cd "$(dirname "$0")/.."

dirs=(src/*/ generators/*/)

if [ "${1:-}" = "--ship" ]; then
  for dir in "${dirs[@]}"; do
    [ -f "$dir/PublicAPI.Unshipped.txt" ] || continue
    python3 - "$dir/PublicAPI.Shipped.txt" "$dir/PublicAPI.Unshipped.txt" <<'PY'
import sys
shipped_path, unshipped_path = sys.argv[1], sys.argv[2]
def entries(path):
    with open(path) as f:
        return [l.rstrip('\n') for l in f if l.strip() and not l.startswith('#nullable')]
shipped, unshipped = entries(shipped_path), entries(unshipped_path)
removed = {l[len('*REMOVED*'):] for l in unshipped if l.startswith('*REMOVED*')}
merged = {l for l in shipped if l not in removed} | {l for l in unshipped if not l.startswith('*REMOVED*')}
with open(shipped_path, 'w') as f:
    f.write('#nullable enable\n' + ''.join(l + '\n' for l in sorted(merged, key=str.lower)))
with open(unshipped_path, 'w') as f:
    f.write('#nullable enable\n')
PY
    echo "shipped: $dir"
  done
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# A project that fails on RS0016 stops the projects that depend on it, so build until nothing is left to record.
for pass in 1 2 3 4; do
  : >"$log"
  for project in src/*/*.csproj; do
    dotnet build "$project" -c Release -nologo -clp:NoSummary >>"$log" 2>&1 || true
  done
  changed=$(python3 - "$log" <<'PY'
import re, sys, os
pattern = re.compile(r"^(?P<file>/[^(]+)\(\d+,\d+\): (?:error|warning) (?P<id>RS0016|RS0017): Symbol '(?P<symbol>.+?)' is ")
edits = {}
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    m = pattern.match(line)
    if not m:
        continue
    # The baseline files sit in the project folder: the nearest folder above the file with a PublicAPI.Unshipped.txt.
    folder = os.path.dirname(m['file'])
    while folder != '/' and not os.path.exists(os.path.join(folder, 'PublicAPI.Unshipped.txt')):
        folder = os.path.dirname(folder)
    if folder == '/':
        continue
    edits.setdefault(folder, (set(), set()))[0 if m['id'] == 'RS0016' else 1].add(m['symbol'])
for folder, (added, removed) in edits.items():
    path = os.path.join(folder, 'PublicAPI.Unshipped.txt')
    lines = [l.rstrip('\n') for l in open(path) if l.strip() and not l.startswith('#nullable')]
    shipped = {l.rstrip('\n') for l in open(os.path.join(folder, 'PublicAPI.Shipped.txt'))}
    kept = [l for l in lines if l not in removed]
    # A symbol removed from the shipped baseline is recorded as *REMOVED* rather than silently dropped.
    kept += ['*REMOVED*' + s for s in removed if s in shipped]
    kept = sorted(set(kept) | added, key=str.lower)
    with open(path, 'w') as f:
        f.write('#nullable enable\n' + ''.join(l + '\n' for l in kept))
    print(f"{path}: +{len(added)} -{len(removed)}")
PY
)
  [ -z "$changed" ] && break
  echo "$changed"
done
if grep -qE " error " "$log"; then
  echo "The build still fails for other reasons:"; grep -E " error " "$log" | sort -u | head -20; exit 1
fi
git --no-pager diff --stat -- '*PublicAPI.*.txt'
