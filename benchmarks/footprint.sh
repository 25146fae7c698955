#!/usr/bin/env bash
# The agent's footprint at rest: resident memory, threads and loaded classes some seconds after
# start, with the launch options of scripts/agent-java-opts. The upstream need not exist.
#
#   benchmarks/footprint.sh [JAR] [CONFIG] [SECONDS] [RUNS]
#
# Prints one line per run: rss_kib threads classes. Needs jcmd (the JDK's).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-agent/target/mcp-sidecar-agent.jar}
CONFIG=${2:-benchmarks/configs/minimal.yaml}
SECONDS_AFTER_START=${3:-20}
RUNS=${4:-3}
export MCP_PORT=${MCP_PORT:-19000} ADMIN_PORT=${ADMIN_PORT:-19901}
export UPSTREAM_URL=${UPSTREAM_URL:-http://127.0.0.1:19999/mcp} OTLP_URL=${OTLP_URL:-http://127.0.0.1:4318}
read -r -a OPTS <<<"$(grep -v '^#' scripts/agent-java-opts | tr '\n' ' ')"
echo "rss_kib threads classes"
for _ in $(seq "$RUNS"); do
  java "${OPTS[@]}" -jar "$JAR" --config "$CONFIG" >/dev/null 2>&1 &
  pid=$!
  sleep "$SECONDS_AFTER_START"
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  threads=$(ls "/proc/$pid/task" | wc -l)
  classes=$(jcmd "$pid" VM.metaspace | sed -n 's/.*Total Usage.* \([0-9][0-9]*\) classes.*/\1/p' | head -1)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$rss $threads $classes"
done
