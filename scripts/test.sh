#!/usr/bin/env bash
# Every test, on a fresh Debian 12 machine that has only a JDK: installs what is missing, runs
# `./mvnw -B verify` (unit, integration, the official MCP conformance suite, webhook, chart,
# benchmark regression check), then builds the container images twice, checks that they are
# identical, and runs them (scripts/test-images.sh). .ci/run calls exactly this.
#
# Packages (Debian): nodejs and npm (the conformance suite; the e2e module then installs Node 22
# from the npm registry), curl, prometheus (promtool: the chart's alert rules), nginx (the
# benchmark check's reference proxy), python3, openssl and dpkg-dev tools for the images,
# redis-server and redis-tools (redis-cli) for the Redis Sentinel and Cluster tests of the agent.
# Not root: sudo is used for apt-get and for running the images (unshare, mount, chroot).
# SKIP_IMAGES=1 runs only the Maven build.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

missing=()
command -v npm >/dev/null || missing+=(nodejs npm)
command -v curl >/dev/null || missing+=(curl)
command -v promtool >/dev/null || missing+=(prometheus)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v python3 >/dev/null || missing+=(python3)
command -v openssl >/dev/null || missing+=(openssl)
command -v git >/dev/null || missing+=(git)
command -v unshare >/dev/null || missing+=(util-linux)
{ command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ]; } || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

java -version 2>&1 | head -1
echo "node $(node --version), npm $(npm --version), $(promtool --version 2>&1 | sed -n 1p)"

start=$(date +%s)
./mvnw -B verify
echo "mvnw verify: $(($(date +%s) - start)) s"

if [ "${SKIP_IMAGES:-}" != "1" ]; then
  start=$(date +%s)
  $SUDO scripts/test-images.sh
  echo "images: built twice and tested in $(($(date +%s) - start)) s"
fi
