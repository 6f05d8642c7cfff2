#!/usr/bin/env bash
# The reverse-proxy test runs Debian's nginx in front of pareto start; install it when this machine does not have it yet.
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi
echo "nginx is missing: installing Debian's nginx package"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
/usr/sbin/nginx -v
