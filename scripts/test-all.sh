#!/usr/bin/env bash
# Runs every test runner (unit, integration, browser, benchmark smoke) and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-results
rm -rf "$results" && mkdir -p "$results"

step() { echo; echo "== $*"; }

step "Chromium for browser tests" && bash scripts/ensure-chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
step "nginx for the reverse-proxy test" && bash scripts/ensure-nginx.sh || { echo "0 passed, 1 failed"; exit 1; }
step "Build @paretojs/core" && npm run build || { echo "0 passed, 1 failed"; exit 1; }
step "Typecheck" && npm run typecheck || { echo "0 passed, 1 failed"; exit 1; }

step "Lint (ESLint) and formatting (Prettier)"
count() { if "$@" >&2; then echo '{"passed":1,"failed":0}'; else echo '{"passed":0,"failed":1}'; fi; }
count npm run lint > "$results/lint.count.json"
count npm run format:check > "$results/format.count.json"

step "Unit tests (packages/core)"
npx vitest run --root packages/core --reporter=default --reporter=json --outputFile.json="$PWD/$results/unit.json"
step "Integration and browser tests (e2e)"
npx vitest run --root e2e --reporter=default --reporter=json --outputFile.json="$PWD/$results/e2e.json"
if [ -f bench/run.mjs ]; then
  step "Benchmark smoke run (completes, every response 2xx; no timing thresholds)"
  if node bench/run.mjs --short; then echo '{"passed":1,"failed":0}' > "$results/bench.count.json"; else echo '{"passed":0,"failed":1}' > "$results/bench.count.json"; fi
fi

node scripts/summarize.mjs "$results" unit.json e2e.json
