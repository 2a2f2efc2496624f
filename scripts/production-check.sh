#!/usr/bin/env bash
# The production path, as an operator takes it: a fresh clone, a clean install,
# the build, the development dependencies pruned, then `npm start` from the
# build on embedded defaults; it must become ready and answer GraphQL.
set -euo pipefail
source_tree="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
cleanup() {
  [[ -n "${started:-}" ]] && kill "$started" 2>/dev/null && wait "$started" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
git clone --quiet "$source_tree" "$work/clone"
cd "$work/clone"
npm ci --no-audit --no-fund --loglevel=error
npm run build
npm prune --omit=dev --no-audit --no-fund --loglevel=error
if [[ -d node_modules/tsx || -d node_modules/typescript ]]; then
  echo "production check: development dependencies are still installed after npm prune" >&2
  exit 1
fi
PORT=0 SUBGRAPH_POPULATION_PORT=0 SUBGRAPH_CIVIL_SERVICE_PORT=0 SUBGRAPH_AGRICULTURE_PORT=0 SUBGRAPH_HEALTH_PORT=0 \
  SUBGRAPH_INDICATORS_PORT=0 DATA_DIR="$work/data" npm start >"$work/start.log" 2>&1 &
started=$!
for _ in $(seq 1 600); do
  grep -q '^Ready:' "$work/start.log" && break
  kill -0 "$started" 2>/dev/null || { cat "$work/start.log" >&2; echo "production check: npm start exited before it was ready" >&2; exit 1; }
  sleep 0.5
done
url="$(awk '$1 == "gateway" { print $2 }' "$work/start.log")"
[[ -n "$url" ]] || { cat "$work/start.log" >&2; echo "production check: npm start never printed the gateway's address" >&2; exit 1; }
npm exec --no -- node --input-type=module -e '
  const url = process.argv[1];
  const ready = await fetch(new URL("/readyz", url));
  if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}`);
  const answer = await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ areaStats(level: NATION, period: \"2025\") { unitCode eIdAdoption { value } } }" }) })).json();
  if (answer.errors || typeof answer.data?.areaStats?.[0]?.eIdAdoption?.value !== "number") throw new Error(JSON.stringify(answer));
  console.log(`production check: the built gateway answered from ${url} after npm prune --omit=dev`);
' "$url"
