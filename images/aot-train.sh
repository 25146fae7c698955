#!/usr/bin/env bash
# The AOT cache's training run (JDK 25, JEP 483/514/515): runs the agent inside an image's root
# filesystem the way scripts/test-images.sh runs the image (own mount and PID namespaces, the root
# read-only, a tmpfs on /tmp, chroot as 65532:65532), so that the cache records the class path
# the image has (/app/mcp-sidecar-agent.jar, /opt/java). The agent proxies to
# images/stub_mcp_server.py with the chart's default config, images/mcp_traffic.py drives
# initialize, notifications, tools/list, tools/call, a GET SSE stream, /readyz and /metrics
# through it, and SIGTERM stops it; the JVM then writes the cache (-XX:AOTCacheOutput, one step).
#
#   images/aot-train.sh ROOTFS OUT_DIR JDK_JAVA_OPTIONS [JAVA_OPTION...]
#
# ROOTFS: the image's files (base, runtime and app layers, times as in the image). OUT_DIR gets
# agent.aot and train.log. JDK_JAVA_OPTIONS: the image's, without -XX:AOTCache (the options that
# decide whether a cache can be used, such as the GC and object headers, must be the ones the
# cache will run with). JAVA_OPTION: options before -jar (the entrypoint's heap sizes).
# Needs root (unshare, mount, chroot), python3. TRAIN_ROUNDS (default 200) sets the traffic,
# TRAIN_FEATURES (default, or all) the config (below).
set -euo pipefail
ROOTFS="$(cd "$1" && pwd)"
OUT_DIR="$(mkdir -p "$2" && cd "$2" && pwd)"
JDK_OPTS="$3"
shift 3
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/mcp-sidecar-aot.XXXXXX)"
STUB=""
AGENT=""
cleanup() {
  # SIGKILL: unshare ignores SIGTERM; its --kill-child takes the JVM with it
  if [ -n "$AGENT" ]; then kill -KILL "$AGENT" 2>/dev/null || true; fi
  if [ -n "$STUB" ]; then kill "$STUB" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

python3 "$HERE/stub_mcp_server.py" "$WORK/stub.port" &
STUB=$!
for _ in $(seq 1 50); do [ -s "$WORK/stub.port" ] && break; sleep 0.1; done
MCP_PORT="$(free_port)"
ADMIN_PORT="$(free_port)"
# The config: the chart's default agent config (charts/mcp-sidecar/values.yaml,
# agentConfig.config, what an injected agent runs) with the access log on; with
# TRAIN_FEATURES=all also tracing to the stub's OTLP endpoint, API keys, local limits and a policy
# with a CEL condition, so that the cache holds their classes too. A JVM loads every class of the
# cache at start, whether the config uses it or not (docs/benchmarks.md, "Start-up and footprint
# in the image", measures both).
cat >"$OUT_DIR/config.yaml" <<'EOF'
listen:
  host: 127.0.0.1
  port: ${MCP_SIDECAR_LISTEN_PORT:-9000}
admin:
  host: 127.0.0.1
  port: ${MCP_SIDECAR_ADMIN_PORT:-9901}
upstream:
  url: http://127.0.0.1:${MCP_SIDECAR_UPSTREAM_PORT}/mcp
logging:
  level: ${MCP_SIDECAR_LOG_LEVEL:-INFO}
  accessLog: true
telemetry:
  tracing:
EOF
if [ "${TRAIN_FEATURES:-default}" = all ]; then
  cat >>"$OUT_DIR/config.yaml" <<'EOF'
    enabled: true
    protocol: http/protobuf
    endpoint: http://127.0.0.1:${MCP_SIDECAR_UPSTREAM_PORT}
    samplingRatio: 1.0
identity:
  apiKeys:
    # images/mcp_traffic.py sends X-API-Key: mcp-sidecar-bench
    - key: sha256:ee1ff82aa31ac4f6336c99fb41f6ad5f35b2cb65891afb6f6a64a6c363904501
      tenant: training
      subject: aot-train
  anonymous:
    allowed: false
limits:
  backend: local
  requests: {limit: 1000000, interval: 1m, burst: 1000000}
  concurrency: 1000
policy:
  mode: enforce
  default: allow
  rules:
    - id: no-etc
      effect: deny
      tools: ["*"]
      when: 'has(args.path) && args.path.startsWith("/etc/")'
EOF
else
  echo '    enabled: ${MCP_SIDECAR_TRACING_ENABLED:-false}' >>"$OUT_DIR/config.yaml"
fi
rm -f "$OUT_DIR/agent.aot" "$OUT_DIR/agent.aot.config"
chmod 0777 "$OUT_DIR"
chmod 0644 "$OUT_DIR/config.yaml"

started=$(date +%s%N)
unshare --mount --pid --fork --kill-child=SIGKILL bash -c '
  set -e
  root="$1"; out="$2"; shift 2
  mount --make-rprivate /
  mount --bind "$root" "$root"
  mount --bind "$out" "$root/etc/mcp-sidecar"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
  # the devices a container runtime gives every container (the JDK seeds SecureRandom from
  # /dev/urandom; without it, it spins threads for entropy for seconds)
  mount -t tmpfs -o size=64k,mode=755 tmpfs "$root/dev"
  for d in null zero full random urandom tty; do touch "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
  mount -o remount,bind,ro "$root"
  envs=(); while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  exec env -i "${envs[@]}" "$(command -v chroot)" --userspec=65532:65532 "$root" "$@"
' train "$ROOTFS" "$OUT_DIR" \
  PATH=/opt/java/bin:/usr/bin:/bin JAVA_HOME=/opt/java LANG=C.UTF-8 "JDK_JAVA_OPTIONS=$JDK_OPTS" \
  "MCP_SIDECAR_LISTEN_PORT=$MCP_PORT" "MCP_SIDECAR_ADMIN_PORT=$ADMIN_PORT" \
  "MCP_SIDECAR_UPSTREAM_PORT=$(cat "$WORK/stub.port")" \
  -- /opt/java/bin/java -XX:AOTCacheOutput=/etc/mcp-sidecar/agent.aot \
  -Xlog:aot=info:file=/etc/mcp-sidecar/aot.log "$@" \
  -jar /app/mcp-sidecar-agent.jar --config /etc/mcp-sidecar/config.yaml >"$OUT_DIR/train.log" 2>&1 &
AGENT=$!
ready=""
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN_PORT/readyz" 2>/dev/null; then ready=1; break; fi
  if ! kill -0 "$AGENT" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "aot-train: the agent did not become ready" >&2
  tail -30 "$OUT_DIR/train.log" >&2
  exit 1
fi
python3 "$HERE/mcp_traffic.py" train "$MCP_PORT" "$ADMIN_PORT" "${TRAIN_ROUNDS:-200}" >>"$OUT_DIR/train.log"
# SIGTERM to the agent (PID 1 of the namespace): a clean exit, after which the JVM assembles the cache
java_pid="$(cat "/proc/$AGENT/task/$AGENT/children")"
kill -TERM $java_pid
wait "$AGENT" || true
AGENT=""
rm -f "$OUT_DIR/agent.aot.config" "$OUT_DIR/config.yaml"
if [ ! -s "$OUT_DIR/agent.aot" ]; then
  echo "aot-train: no AOT cache written" >&2
  tail -30 "$OUT_DIR/train.log" "$OUT_DIR/aot.log" >&2 2>/dev/null || true
  exit 1
fi
chmod 0644 "$OUT_DIR/agent.aot"
chmod 0755 "$OUT_DIR"
echo "aot-train: $(du -h "$OUT_DIR/agent.aot" | cut -f1) in $((($(date +%s%N) - started) / 1000000)) ms" >&2
