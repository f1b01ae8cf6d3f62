#!/usr/bin/env bash
# Rewrites the public API baselines (PublicAPI.Unshipped.txt) of every shipped assembly from its code, with the
# PublicApiAnalyzers' own fixes for RS0016 (added) and RS0017 (removed). Review the diff like code.
#   bash scripts/update-public-api.sh          after an intended change to a public surface
#   bash scripts/update-public-api.sh --ship   at a release: moves every Unshipped entry into PublicAPI.Shipped.txt
set -euo pipefail
cd "$(dirname "$0")/.."

projects=(src/*/*.csproj generators/*/*.csproj)

if [ "${1:-}" = "--ship" ]; then
  for project in "${projects[@]}"; do
    dir=$(dirname "$project")
    shipped="$dir/PublicAPI.Shipped.txt"; unshipped="$dir/PublicAPI.Unshipped.txt"
    # Entries marked *REMOVED* in Unshipped leave Shipped; the rest join it.
    python3 - "$shipped" "$unshipped" <<'PY'
import sys
shipped_path, unshipped_path = sys.argv[1], sys.argv[2]
def entries(path):
    with open(path) as f:
        return [l.rstrip('\n') for l in f if l.strip() and not l.startswith('#nullable')]
shipped, unshipped = entries(shipped_path), entries(unshipped_path)
removed = {l[len('*REMOVED*'):] for l in unshipped if l.startswith('*REMOVED*')}
merged = sorted({l for l in shipped if l not in removed} | {l for l in unshipped if not l.startswith('*REMOVED*')}, key=str.lower)
with open(shipped_path, 'w') as f:
    f.write('#nullable enable\n' + ''.join(l + '\n' for l in merged))
with open(unshipped_path, 'w') as f:
    f.write('#nullable enable\n')
PY
    echo "shipped: $dir"
  done
  exit 0
fi

for project in "${projects[@]}"; do
  echo "== $project"
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn -v q
done
git --no-pager diff --stat -- '*PublicAPI.*.txt'
