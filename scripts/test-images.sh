#!/usr/bin/env bash
# Builds the images twice and checks that the digests are equal (reproducible build; for the
# agent, every layer but its AOT cache's and the config but that layer's diff_id), then runs
# each image the way a restricted Kubernetes pod does, without a container runtime: its layers
# unpacked into a root filesystem, mounted read-only, with /proc and a tmpfs /tmp, the image's
# entrypoint, command and environment run as UID/GID 65532 in a chroot, in its own mount and PID
# namespaces. Then:
#   agent     --version; the entrypoint, and the injected command with the webhook's
#             JAVA_TOOL_OPTIONS, load the agent from the AOT cache; /readyz; an MCP initialize and
#             tools/call proxied to a stub MCP server, then notifications, tools/list, a GET SSE
#             stream; mcp_sidecar_build_info on /metrics
#   injector  --version; /healthz over TLS; a /mutate AdmissionReview answered with a JSON Patch;
#             mcp_injector_build_info on /metrics
# Needs root (unshare, mount, chroot), python3, curl and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/images
AGAIN=target/images-again
WORK="$(mktemp -d /tmp/mcp-sidecar-images.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)" "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
passed=0
failed=0
CHECK_OK=0
check() { # description, then a command that must succeed; CHECK_OK=1 when it did
  local what="$1"
  shift
  if "$@"; then
    echo "ok: $what"
    passed=$((passed + 1))
    CHECK_OK=1
  else
    echo "FAILED: $what" >&2
    failed=$((failed + 1))
    CHECK_OK=0
  fi
}
if [ "$(id -u)" != "0" ]; then
  echo "test-images.sh needs root (unshare, mount, chroot); run it with sudo" >&2
  exit 1
fi

# --- reproducible build ------------------------------------------------------------------------
start=$(date +%s)
if [ "${TEST_IMAGES_REUSE:-}" = "1" ] && [ -f "$OUT/mcp-sidecar-agent.tar" ]; then
  echo "reusing $OUT (TEST_IMAGES_REUSE=1): no reproducibility check"
else
IMAGES_OUT="$OUT" scripts/build-images.sh || exit 1
built=$(date +%s)
IMAGES_OUT="$AGAIN" scripts/build-images.sh || exit 1
again=$(date +%s)
echo "image build: $((built - start)) s, again: $((again - built)) s"
# The agent's AOT cache (its own last layer, "aot") comes from a training run and is not
# byte-for-byte the same from build to build (docs/release.md, "Reproducible"): for the agent,
# every other layer and the whole config but that layer's diff_id must be the same, and the
# archive bytes too when the two caches happen to be equal. The injector: same digest, same bytes.
same_but_aot() { # image: 0 when at most the last layer, "aot", differs; says what differs
  python3 - "$OUT" "$AGAIN" "$1" <<'EOF'
import json, sys, tarfile
def load(out, image):
    with tarfile.open(f"{out}/{image}.tar") as tar:
        read = lambda d: json.load(tar.extractfile("blobs/sha256/" + d.split(":", 1)[1]))
        manifest = read(json.load(tar.extractfile("index.json"))["manifests"][0]["digest"])
        return manifest, read(manifest["config"]["digest"])
(m1, c1), (m2, c2) = load(sys.argv[1], sys.argv[3]), load(sys.argv[2], sys.argv[3])
names = [h["comment"] for h in c1["history"]]
if names[-1:] != ["aot"] or len(m1["layers"]) != len(m2["layers"]):
    print(f"no AOT cache layer (layers: {', '.join(names)}): the image was built without JDK 25")
    sys.exit(2)
ok = True
for name, l1, l2 in zip(names[:-1], m1["layers"][:-1], m2["layers"][:-1]):
    if l1 != l2:
        print(f"layer {name} differs: {l1['digest']} / {l2['digest']}")
        ok = False
aot1, aot2 = c1["rootfs"]["diff_ids"].pop(), c2["rootfs"]["diff_ids"].pop()
if c1 != c2:
    print("the image configs differ beyond the aot layer's diff_id")
    ok = False
print("AOT cache layer: " + ("the same in both builds" if aot1 == aot2 else f"differs ({aot1[:19]}… / {aot2[:19]}…)"))
sys.exit(0 if ok else 1)
EOF
}
for image in mcp-sidecar-agent mcp-sidecar-injector; do
  first="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$OUT/$image.tar.json")"
  second="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$AGAIN/$image.tar.json")"
  echo "$image: $first / $second"
  aot_layer=0
  if [ "$image" = mcp-sidecar-agent ]; then
    same_but_aot "$image" >"$WORK/same-but-aot.txt" && aot_layer=1 || { [ $? = 2 ] || aot_layer=1; }
    cat "$WORK/same-but-aot.txt"
  fi
  if [ "$aot_layer" = 1 ]; then
    check "$image: two builds give the same layers and config, the AOT cache's layer aside" \
      eval 'same_but_aot "$image" >/dev/null'
    if [ "$first" = "$second" ]; then
      check "$image: the same AOT cache, so the same archive bytes" cmp -s "$OUT/$image.tar" "$AGAIN/$image.tar"
    fi
  else
    check "$image: two builds give the same image digest" [ "$first" = "$second" ]
    check "$image: two builds give the same archive bytes" cmp -s "$OUT/$image.tar" "$AGAIN/$image.tar"
  fi
done
rm -rf "$AGAIN"
fi
check "SHA256SUMS verifies" bash -c "cd $OUT && sha256sum --quiet -c SHA256SUMS"

# --- unpack ------------------------------------------------------------------------------------
unpack() { # image archive, rootfs; writes rootfs.entrypoint, rootfs.env (NUL-separated)
  local archive="$1" rootfs="$2" blobs="$WORK/blobs-$(basename "$2")"
  mkdir -p "$rootfs" "$blobs"
  tar -xf "$archive" -C "$blobs"
  python3 - "$blobs" "$rootfs" <<'EOF'
import json, sys, subprocess
blobs, rootfs = sys.argv[1], sys.argv[2]
blob = lambda d: f"{blobs}/blobs/sha256/{d.split(':', 1)[1]}"
index = json.load(open(f"{blobs}/index.json"))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    subprocess.run(["tar", "-xzf", blob(layer["digest"]), "-C", rootfs, "--numeric-owner"], check=True)
config = json.load(open(blob(manifest["config"]["digest"])))["config"]
with open(rootfs + ".entrypoint", "w") as f:
    f.write("\0".join(config["Entrypoint"] + (config.get("Cmd") or [])) + "\0")
with open(rootfs + ".env", "w") as f:
    f.write("\0".join(config["Env"]) + "\0")
assert config["User"] == "65532:65532", config["User"]
EOF
  rm -rf "$blobs"
}

# Runs the image's entrypoint (or the arguments after the rootfs, data dir, mount point and log
# file, if any, in place of its command) as 65532:65532 on a read-only root; extra environment in
# EXTRA_ENV (NUL-separated file); ENTRY_LEN entrypoint words are kept when arguments are given.
# Sets RUN_PID to the pid of the namespace's parent.
run_image() {
  local rootfs="$1" data="$2" target="$3" logfile="$4"
  shift 4
  local -a argv env
  mapfile -d '' -t argv <"$rootfs.entrypoint"
  if [ "$#" -gt 0 ]; then argv=("${argv[@]:0:${ENTRY_LEN:-${#argv[@]}}}" "$@"); fi
  mapfile -d '' -t env <"$rootfs.env"
  if [ -n "${EXTRA_ENV:-}" ]; then mapfile -d '' -t -O "${#env[@]}" env <"$EXTRA_ENV"; fi
  unshare --mount --pid --fork --kill-child=SIGTERM bash -c '
    set -e
    root="$1"; data="$2"; target="$3"; shift 3
    mount --make-rprivate /
    mount --bind "$root" "$root"
    mount --bind "$data" "$root$target"
    mount -o remount,bind,ro "$root$target"
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
    # the devices a container runtime gives every container (the JDK seeds SecureRandom from
    # /dev/urandom; without it, it spins threads for entropy for seconds)
    mount -t tmpfs -o size=64k,mode=755 tmpfs "$root/dev"
    for d in null zero full random urandom tty; do touch "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
    mount -o remount,bind,ro "$root"
    if touch "$root/.written" 2>/dev/null; then echo "the root filesystem is writable" >&2; exit 1; fi
    envs=(); while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
    exec env -i "${envs[@]}" chroot --userspec=65532:65532 "$root" "$@"
  ' run "$rootfs" "$data" "$target" "${env[@]}" -- "${argv[@]}" >"$logfile" 2>&1 &
  RUN_PID=$!
}

stop_image() { # the pid run_image gave: SIGTERM to the entrypoint (PID 1 of its namespace)
  local child
  child="$(cat "/proc/$1/task/$1/children" 2>/dev/null || ps -o pid= --ppid "$1" || true)"
  if [ -n "$child" ]; then kill -TERM $child 2>/dev/null || true; fi
  wait "$1" 2>/dev/null || true
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # url, then curl options; up to 90 s
  local url="$1"
  shift
  for _ in $(seq 1 450); do
    if curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}
version="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)"

# --- agent -------------------------------------------------------------------------------------
AGENT_ROOT="$WORK/agent-rootfs"
unpack "$OUT/mcp-sidecar-agent.tar" "$AGENT_ROOT"
python3 images/stub_mcp_server.py "$WORK/stub.port" &
PIDS+=($!)
for _ in $(seq 1 50); do [ -s "$WORK/stub.port" ] && break; sleep 0.1; done
STUB_PORT="$(cat "$WORK/stub.port")"
MCP_PORT="$(free_port)"
ADMIN_PORT="$(free_port)"
mkdir -p "$WORK/agent-config"
cat >"$WORK/agent-config/config.yaml" <<EOF
listen:
  host: 127.0.0.1
  port: $MCP_PORT
admin:
  host: 127.0.0.1
  port: $ADMIN_PORT
upstream:
  url: http://127.0.0.1:$STUB_PORT/mcp
EOF
chmod -R a+rX "$WORK"

# the entrypoint's java options, then --version in place of --config FILE
words=$(($(tr -cd '\0' <"$AGENT_ROOT.entrypoint" | wc -c) - 2))
ENTRY_LEN=$words run_image "$AGENT_ROOT" "$WORK/agent-config" /etc/mcp-sidecar "$WORK/agent-version.log" --version
wait "$RUN_PID" || true
cat "$WORK/agent-version.log"
check "agent image: --version prints the version" grep -q "mcp-sidecar-agent $version" "$WORK/agent-version.log"
# The entrypoint uses the AOT cache: the agent's own classes come from it ("source: shared
# objects file"; the runtime's default CDS archive holds JDK classes only). The JVM starts without
# a cache it cannot use (AOTMode=auto), so this is what shows that the image's cache works.
aot_used() { # log of a run with -Xlog:class+load
  grep -q 'io.mcpsidecar.agent.Main source: shared objects file' "$1"
}
printf '%s\0' "JAVA_TOOL_OPTIONS=-Xlog:class+load=info,aot=info:stdout" >"$WORK/aot-log.env"
EXTRA_ENV="$WORK/aot-log.env" ENTRY_LEN=$words run_image "$AGENT_ROOT" "$WORK/agent-config" /etc/mcp-sidecar \
  "$WORK/agent-aot.log" --version
wait "$RUN_PID" || true
check "agent image: the entrypoint loads the agent's classes from the AOT cache" aot_used "$WORK/agent-aot.log"
if [ "$CHECK_OK" = 0 ]; then
  grep -i 'aot\|cds\|agent.Main' "$WORK/agent-aot.log" | head -20 >&2
  if ! grep -qz 'AOTCache=' "$AGENT_ROOT.env"; then
    echo "the image has no AOT cache: scripts/build-images.sh needs a JDK 25 or newer (IMAGE_JDK)" >&2
  fi
fi
# the command the injector writes into pods, `java` found on the image's PATH, with the
# JAVA_TOOL_OPTIONS it sets (from the webhook's golden): it runs, and uses the cache too
injected_opts="$(python3 -c '
import json, sys
def find(node):
    if isinstance(node, dict):
        if node.get("name") == "JAVA_TOOL_OPTIONS" and "value" in node:
            return node["value"]
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = find(child)
            if found:
                return found
print(find(json.load(open(sys.argv[1]))))' injector-webhook/src/test/resources/golden/deployment-pod.expected.json)"
printf '%s\0' "JAVA_TOOL_OPTIONS=$injected_opts -Xlog:class+load=info,aot=info:stdout" >"$WORK/injected.env"
EXTRA_ENV="$WORK/injected.env" ENTRY_LEN=0 run_image "$AGENT_ROOT" "$WORK/agent-config" /etc/mcp-sidecar \
  "$WORK/agent-injected.log" java -jar /app/mcp-sidecar-agent.jar --version
wait "$RUN_PID" || true
check "agent image: the injected command (java -jar /app/mcp-sidecar-agent.jar) runs" \
  grep -q "mcp-sidecar-agent $version" "$WORK/agent-injected.log"
check "agent image: the injected command with the webhook's JAVA_TOOL_OPTIONS uses the AOT cache" \
  aot_used "$WORK/agent-injected.log"
if [ "$CHECK_OK" = 0 ]; then grep -i 'aot\|cds\|agent.Main' "$WORK/agent-injected.log" | head -20 >&2; fi

started=$(date +%s%N)
run_image "$AGENT_ROOT" "$WORK/agent-config" /etc/mcp-sidecar "$WORK/agent.log"
pid=$RUN_PID
PIDS+=("$pid")
check "agent image: /readyz answers 200" wait_for "http://127.0.0.1:$ADMIN_PORT/readyz"
if [ "$CHECK_OK" = 1 ]; then
  echo "agent image ready after $((($(date +%s%N) - started) / 1000000)) ms"
  headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'
    -H 'MCP-Protocol-Version: 2025-06-18')
  curl -sS "${headers[@]}" "http://127.0.0.1:$MCP_PORT/mcp" -o "$WORK/init.json" -d \
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test-images","version":"1"}}}' || true
  check "agent image: initialize proxied to the MCP server" grep -q '"serverInfo"' "$WORK/init.json"
  curl -sS "${headers[@]}" "http://127.0.0.1:$MCP_PORT/mcp" -o "$WORK/call.json" -d \
    '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ping","arguments":{}}}' || true
  check "agent image: tools/call proxied to the MCP server" grep -q '"pong"' "$WORK/call.json"
  check "agent image: notifications, tools/list, a GET SSE stream, /readyz and /metrics (images/mcp_traffic.py)" \
    python3 images/mcp_traffic.py train "$MCP_PORT" "$ADMIN_PORT" 3
  curl -sS "http://127.0.0.1:$ADMIN_PORT/metrics" -o "$WORK/agent-metrics.txt" || true
  check "agent image: mcp_sidecar_build_info on /metrics" \
    grep -q "^mcp_sidecar_build_info{.*version=\"$version\".*} 1" "$WORK/agent-metrics.txt"
  check "agent image: the tools/call is counted on /metrics" \
    grep -q '^mcp_server_operation_duration_seconds_count{.*mcp_method_name="tools/call".*outcome="ok"' \
    "$WORK/agent-metrics.txt"
fi
stop_image "$pid"
if [ "$failed" -gt 0 ]; then cat "$WORK/agent.log" "$WORK/init.json" "$WORK/call.json" 2>/dev/null | tail -40 >&2; fi

# --- injector ----------------------------------------------------------------------------------
INJECTOR_ROOT="$WORK/injector-rootfs"
unpack "$OUT/mcp-sidecar-injector.tar" "$INJECTOR_ROOT"
mkdir -p "$WORK/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/tls/tls.key" \
  -out "$WORK/tls/tls.crt" 2>/dev/null
chmod -R a+rX "$WORK/tls"
WEBHOOK_PORT="$(free_port)"
printf '%s\0' "WEBHOOK_PORT=$WEBHOOK_PORT" "POD_NAMESPACE=mcp-sidecar-system" \
  "WEBHOOK_TLS_CERT=/etc/mcp-sidecar-injector/tls/tls.crt" \
  "WEBHOOK_TLS_KEY=/etc/mcp-sidecar-injector/tls/tls.key" >"$WORK/injector.env"

run_image "$INJECTOR_ROOT" "$WORK/tls" /etc/mcp-sidecar-injector/tls "$WORK/injector-version.log" --version
wait "$RUN_PID" || true
cat "$WORK/injector-version.log"
check "injector image: --version prints the version" grep -q "mcp-sidecar-injector $version" "$WORK/injector-version.log"

started=$(date +%s%N)
EXTRA_ENV="$WORK/injector.env" run_image "$INJECTOR_ROOT" "$WORK/tls" /etc/mcp-sidecar-injector/tls "$WORK/injector.log"
pid=$RUN_PID
PIDS+=("$pid")
TLS=(--cacert "$WORK/tls/tls.crt")
check "injector image: /healthz answers 200 over TLS" wait_for "https://localhost:$WEBHOOK_PORT/healthz" "${TLS[@]}"
if [ "$CHECK_OK" = 1 ]; then
  echo "injector image healthy after $((($(date +%s%N) - started) / 1000000)) ms"
  python3 - injector-webhook/src/test/resources/golden/deployment-pod.input.json >"$WORK/review.json" <<'EOF'
import json, sys
case = json.load(open(sys.argv[1]))
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
    "uid": "image-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
    "resource": {"group": "", "version": "v1", "resource": "pods"},
    "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
    "namespace": case["namespace"], "operation": "CREATE",
    "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
    "object": case["pod"], "oldObject": None, "dryRun": False}}))
EOF
  curl -sS "${TLS[@]}" -H 'Content-Type: application/json' --data-binary "@$WORK/review.json" \
    "https://localhost:$WEBHOOK_PORT/mutate" -o "$WORK/mutate.json" || true
  check "injector image: /mutate answers with a JSON Patch" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["response"]
sys.exit(0 if r["uid"] == "image-1" and r["allowed"] and r["patchType"] == "JSONPatch" else 1)' "$WORK/mutate.json"
  curl -sS "${TLS[@]}" "https://localhost:$WEBHOOK_PORT/metrics" -o "$WORK/injector-metrics.txt" || true
  check "injector image: mcp_injector_build_info on /metrics" \
    grep -q "^mcp_injector_build_info{.*version=\"$version\".*} 1" "$WORK/injector-metrics.txt"
fi
stop_image "$pid"
if [ "$failed" -gt 0 ]; then tail -40 "$WORK/injector.log" >&2 || true; fi

python3 - "$OUT" <<'EOF'
import json, sys
for image in ("mcp-sidecar-agent", "mcp-sidecar-injector"):
    i = json.load(open(f"{sys.argv[1]}/{image}.tar.json"))
    print(f"{i['name']}:{i['tag']} {i['digest']} compressed {i['size_compressed'] / 2**20:.1f} MiB, "
          f"uncompressed {i['size_uncompressed'] / 2**20:.1f} MiB")
EOF
echo "images: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
