#!/usr/bin/env bash
# Builds the agent and the demo MCP server, starts both, and prints where to point an MCP client.
# Ctrl-C (or SIGTERM) stops both; the agent drains calls in flight first.
set -euo pipefail
cd "$(dirname "$0")/.."

# curl waits for readiness below; a fresh Debian machine may lack it
if ! command -v curl >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  echo "installing curl..."
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null
fi

DEMO_SERVER_PORT="${DEMO_SERVER_PORT:-8080}"
export DEMO_SERVER_PORT

echo "building (first run downloads dependencies)..."
./mvnw -B -q -DskipTests -pl agent,examples/demo-server -am package

java -jar examples/demo-server/target/mcp-demo-server.jar --port "$DEMO_SERVER_PORT" &
SERVER_PID=$!
# Recommended JVM options (measured in docs/benchmarks.md) unless AGENT_JAVA_OPTS is set.
AGENT_JAVA_OPTS="${AGENT_JAVA_OPTS-$(sed 's/#.*//' scripts/agent-java-opts | xargs)}"
java ${AGENT_JAVA_OPTS} -jar agent/target/mcp-sidecar-agent.jar --config examples/demo-agent.yaml &
AGENT_PID=$!

stop() {
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq 1 100); do
  if curl -fsS http://127.0.0.1:9901/readyz >/dev/null 2>&1; then
    cat <<MSG

  MCP Sidecar is ready.
  Point an MCP client (Streamable HTTP) at:   http://localhost:9000/mcp
    e.g. npx @modelcontextprotocol/inspector   and connect to that URL
  Admin:  http://127.0.0.1:9901/readyz   /metrics   /config
  Demo tools: echo, add, slow, fail, progress, sample, elicit
  Ctrl-C stops both.

MSG
    wait "$AGENT_PID"
    exit 0
  fi
  sleep 0.2
done
echo "the agent did not become ready; see the log above" >&2
exit 1
