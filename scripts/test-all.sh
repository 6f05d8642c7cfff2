#!/usr/bin/env bash
# Runs every test runner (unit, integration, browser, benchmark smoke) and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-results
rm -rf "$results" && mkdir -p "$results"

step() { echo; echo "== $*"; }

step "Chromium for browser tests" && bash scripts/ensure-chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
step "nginx for the reverse-proxy test" && bash scripts/ensure-nginx.sh || { echo "0 passed, 1 failed"; exit 1; }
# Without it the Node 24 runs write no reports, and the summary counts each missing report as a failure.
step "Node 24 LTS for the second run" && node24=$(bash scripts/ensure-node24.sh) || node24=
# Without them the runtime tests (e2e/test/runtimes.test.ts) fail under CI and are skipped elsewhere.
step "Bun, Deno and wrangler for the runtime tests" && bash scripts/ensure-runtimes.sh > /dev/null || true
step "Build @paretojs/core" && npm run build || { echo "0 passed, 1 failed"; exit 1; }
step "Typecheck" && npm run typecheck || { echo "0 passed, 1 failed"; exit 1; }

# vitest under Node 24; its workers and the servers the tests spawn (process.execPath, `node`) run on 24 too.
on_node24() {
  [ -n "$node24" ] || { echo "Node 24 is missing: see the ensure-node24 step above." >&2; return 1; }
  PATH="$node24:$PATH" "$node24/node" node_modules/vitest/vitest.mjs run "$@"
}

# The Node 24 unit run opens no fixed ports and shares no files with lint and formatting, so it runs beside them.
step "Unit tests on Node 24 (packages/core; its output follows the formatting check)"
on_node24 --root packages/core --reporter=default --reporter=json --outputFile.json="$PWD/$results/unit-node24.json" \
  > "$results/unit-node24.log" 2>&1 &
unit24=$!

step "Lint (ESLint) and formatting (Prettier)"
count() { if "$@" >&2; then echo '{"passed":1,"failed":0}'; else echo '{"passed":0,"failed":1}'; fi; }
count npm run lint > "$results/lint.count.json"
count npm run format:check > "$results/format.count.json"
count bash scripts/check-package.sh > "$results/package.count.json"

wait "$unit24"
step "Unit tests on Node 24" && cat "$results/unit-node24.log"
step "Unit tests (packages/core, Node $(node --version))"
npx vitest run --root packages/core --reporter=default --reporter=json --outputFile.json="$PWD/$results/unit.json"
step "Integration and browser tests (e2e)"
npx vitest run --root e2e --reporter=default --reporter=json --outputFile.json="$PWD/$results/e2e.json"
# After the e2e run, not beside it: the wire tests time chunk arrivals and rebuild the fixture app that run uses.
step "Wire tests on Node 24 (e2e/test/wire.test.ts)"
on_node24 --root e2e test/wire.test.ts --reporter=default --reporter=json \
  --outputFile.json="$PWD/$results/wire-node24.json"
if [ -f bench/run.mjs ]; then
  step "Benchmark smoke run (completes, every response 2xx; no timing thresholds)"
  if node bench/run.mjs --short; then echo '{"passed":1,"failed":0}' > "$results/bench.count.json"; else echo '{"passed":0,"failed":1}' > "$results/bench.count.json"; fi
fi

node scripts/summarize.mjs "$results" unit.json e2e.json unit-node24.json wire-node24.json
