#!/usr/bin/env bash
# Checks that the agent's state in Redis survives a backup and restore: a tenant's day quota,
# partly used before the backup, is where the backup left it after Redis is lost and restored
# from the backup, and the agent (which reconnects by itself) enforces it from there.
#
#   scripts/redis-backup-restore-check.sh
#
# Needs redis-server and redis-cli (Debian package redis-server), curl, and the agent and demo
# server jars (built on the first run: ./mvnw -B -q -DskipTests -pl agent,examples/demo-server -am
# package). Everything runs on loopback in a temporary directory; the processes it starts are
# stopped on exit. Prints PASS and exits 0, or FAIL with the step that failed and exits 1.
# Documented with its output in docs/operations/backup-restore.md.
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_PORT="${REDIS_PORT:-6395}"
SERVER_PORT="${SERVER_PORT:-8395}"
MCP_PORT="${MCP_PORT:-9395}"
ADMIN_PORT="${ADMIN_PORT:-9396}"
QUOTA=10          # calls per day for the tenant
BEFORE=6          # calls made before the backup
AFTER=2           # calls made after the backup, lost with Redis

for tool in redis-server redis-cli curl java; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (apt-get install -y redis-server curl)"; exit 1; }
done
if [ ! -f agent/target/mcp-sidecar-agent.jar ] || [ ! -f examples/demo-server/target/mcp-demo-server.jar ]; then
  echo "building the agent and the demo server..."
  ./mvnw -B -q -DskipTests -pl agent,examples/demo-server -am package
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; echo "--- agent log (last 20 lines)"; tail -20 "$WORK/agent.log" || true; exit 1; }

start_redis() { # $1: data directory (a dump.rdb there is loaded)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$1" --dbfilename dump.rdb \
    --save "" --appendonly no --daemonize no > "$1/redis.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "redis-server did not start on $REDIS_PORT"
}

cat > "$WORK/agent.yaml" <<YAML
listen: {host: 127.0.0.1, port: $MCP_PORT}
admin: {host: 127.0.0.1, port: $ADMIN_PORT}
upstream: {url: "http://127.0.0.1:$SERVER_PORT/mcp"}
limits:
  backend: redis
  failMode: closed
  redis: {url: "redis://127.0.0.1:$REDIS_PORT", keyPrefix: "mcp-sidecar:"}
  quotas: {day: $QUOTA}
YAML

mkdir -p "$WORK/redis-a" "$WORK/redis-b"
start_redis "$WORK/redis-a"
java -jar examples/demo-server/target/mcp-demo-server.jar --port "$SERVER_PORT" > "$WORK/server.log" 2>&1 &
PIDS+=($!)
java $(sed 's/#.*//' scripts/agent-java-opts | xargs) -jar agent/target/mcp-sidecar-agent.jar \
  --config "$WORK/agent.yaml" > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do curl -fsS "localhost:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "localhost:$ADMIN_PORT/readyz" >/dev/null || fail "the agent did not become ready"

HDR=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'
     -H 'MCP-Protocol-Version: 2025-11-25')
SESSION="$(curl -s -D - -o /dev/null "${HDR[@]}" "localhost:$MCP_PORT/mcp" -d \
  '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"restore-check","version":"1"}}}' \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')"
[ -n "$SESSION" ] || fail "no Mcp-Session-Id from initialize"
HDR+=(-H "Mcp-Session-Id: $SESSION")
curl -s -o /dev/null "${HDR[@]}" "localhost:$MCP_PORT/mcp" -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'

ID=0
call() { # prints "ok" or the JSON-RPC error's data.type
  ID=$((ID + 1))
  local body
  body="$(curl -s "${HDR[@]}" "localhost:$MCP_PORT/mcp" -d \
    "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}}")"
  if grep -q '"result"' <<<"$body"; then echo ok; else grep -o '"type":"[a-z_]*"' <<<"$body" | head -1 | cut -d'"' -f4; fi
}
remaining() {
  curl -s "localhost:$ADMIN_PORT/metrics" | awk '/^mcp_sidecar_quota_remaining\{.*scope="quota_day"/ {print $2; exit}'
}
calls() { # $1: how many; all must pass
  for _ in $(seq 1 "$1"); do r="$(call)"; [ "$r" = ok ] || fail "call $ID refused: $r"; done
}

calls "$BEFORE"
echo "1. $BEFORE calls made; quota left: $(remaining); keys in Redis:"
redis-cli -p "$REDIS_PORT" --scan --pattern 'mcp-sidecar:*' | sed 's/^/     /'

redis-cli -p "$REDIS_PORT" --rdb "$WORK/backup.rdb" >/dev/null 2>&1 || fail "redis-cli --rdb"
echo "2. backup taken: redis-cli --rdb backup.rdb ($(stat -c %s "$WORK/backup.rdb") bytes)"

calls "$AFTER"
echo "3. $AFTER more calls after the backup; quota left: $(remaining)"

redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
sleep 0.5
echo "4. Redis lost (shut down without saving)"

cp "$WORK/backup.rdb" "$WORK/redis-b/dump.rdb"
start_redis "$WORK/redis-b"
KEYS="$(redis-cli -p "$REDIS_PORT" --scan --pattern 'mcp-sidecar:*' | wc -l)"
TTL="$(redis-cli -p "$REDIS_PORT" pttl "$(redis-cli -p "$REDIS_PORT" --scan --pattern 'mcp-sidecar:*:quota_day:*' | head -1)")"
echo "5. a new Redis started from the backup: $KEYS key(s), day quota key expires in ${TTL} ms"
[ "$KEYS" -ge 1 ] || fail "no keys after the restore"
[ "$TTL" -gt 0 ] || fail "the restored quota key has no expiry ($TTL)"

# the agent reconnects on its own; calls refused meanwhile (failMode closed) are retried
for _ in $(seq 1 50); do
  r="$(call)"
  [ "$r" = ok ] && break
  [ "$r" = limiter_unavailable ] || fail "unexpected refusal while reconnecting: $r"
  sleep 0.2
done
[ "$r" = ok ] || fail "the agent did not get back to Redis"
LEFT=$((QUOTA - BEFORE - 1))
echo "6. the agent reconnected; first call passed; quota left: $(remaining) (expected $LEFT: the backup's $((QUOTA - BEFORE)) less this call)"
[ "$(remaining)" = "$LEFT" ] || [ "$(remaining)" = "$LEFT.0" ] || fail "quota left is $(remaining), expected $LEFT"

calls "$LEFT"
r="$(call)"
echo "7. $LEFT more calls passed; the next one: $r"
[ "$r" = quota_exhausted ] || fail "expected quota_exhausted after the restored quota ran out, got $r"

echo "PASS: the day quota was restored as of the backup ($AFTER calls made after it were given back)"
