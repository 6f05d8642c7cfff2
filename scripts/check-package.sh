#!/usr/bin/env bash
# The published package as users receive it: publint (strict) and are-the-types-wrong (ESM-only) on the packed tarball.
set -euo pipefail
cd "$(dirname "$0")/../packages/core"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# dist is built by the test command's build step; packing again would rebuild it under the other suites.
npm pack --ignore-scripts --silent --pack-destination "$dir" >/dev/null
tarball="$(ls "$dir"/*.tgz)"
npx --no-install publint --strict "$tarball"
npx --no-install attw "$tarball" --profile esm-only
