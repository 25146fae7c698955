#!/usr/bin/env bash
# Start-up and footprint of the agent in its image (docs/benchmarks.md, "Start-up and footprint in
# the image"). Unpacks target/images/mcp-sidecar-agent.tar and runs the agent from it the way
# scripts/test-images.sh does (own mount and PID namespaces, read-only root, chroot as
# 65532:65532), pinned to CPU 1 with taskset; the stub MCP server (images/stub_mcp_server.py),
# the load client (images/mcp_traffic.py) and this script on CPU 0. Per start:
#   ready_ms     spawn to the first 200 of /readyz, polled every 2 ms
#   cpu_ms       the JVM's user+system CPU when ready (10 ms ticks)
#   other_cpu1   the share of CPU 1 other processes used meanwhile (the machine is shared)
#   rss_ready    VmRSS when ready (MiB)
#   rss_rest, threads, classes   REST_SECONDS after spawn, no traffic (classes: jcmd VM.metaspace)
#   rss_load, hwm_load           VmRSS and VmHWM right after LOAD_SECONDS of tools/call at RATE/s
#
#   benchmarks/image-startup.sh [VARIANT...]
#
# Variants: nocache, cache (the image as shipped), nocache-coh, cache-coh (-XX:+UseCompactObjectHeaders;
# its own cache, trained here the way the image build trains the shipped one), jdk17 (the host's
# java, the jar, scripts/agent-java-opts; not in the image), cache-default and cache-all (caches
# trained here with images/aot-train.sh's TRAIN_FEATURES=default or all). Default: the first five.
# Environment: RUNS (5), FULL_RUNS (runs that also rest and take load; default RUNS), REST_SECONDS
# (20), LOAD_SECONDS (30), RATE (1000), CONFIGS ("minimal all-features", from benchmarks/configs),
# IMAGE (target/images/mcp-sidecar-agent.tar), JCMD (Temurin 25's), AGENT_JAVA_TOOL_OPTIONS (extra
# JVM options, e.g. -Xlog:class+load:stdout; each start's output is kept in OUT). Writes target/image-startup/
# results.tsv (one line per start) and prints medians. Needs root, python3, taskset, setpriv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT_DIR="$PWD"
IMAGE="${IMAGE:-target/images/mcp-sidecar-agent.tar}"
OUT="${OUT:-target/image-startup}"
VARIANTS=("$@")
[ "${#VARIANTS[@]}" -gt 0 ] || VARIANTS=(nocache cache nocache-coh cache-coh jdk17)
export RUNS="${RUNS:-5}" FULL_RUNS="${FULL_RUNS:-${RUNS:-5}}" REST_SECONDS="${REST_SECONDS:-20}"
export LOAD_SECONDS="${LOAD_SECONDS:-30}" RATE="${RATE:-1000}"
export JCMD="${JCMD:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd}"
CONFIGS="${CONFIGS:-minimal all-features}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/mcp-sidecar-image-startup.XXXXXX)"
STUB=""
cleanup() {
  if [ -n "$STUB" ]; then kill "$STUB" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# this script, the stub and the load client on CPU 0; the agent goes to CPU 1
taskset -pc 0 $$ >/dev/null

ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS" "$WORK/blobs"
tar -xf "$IMAGE" -C "$WORK/blobs"
python3 - "$WORK/blobs" "$ROOTFS" <<'EOF'
import json, sys, subprocess
blobs, rootfs = sys.argv[1], sys.argv[2]
blob = lambda d: f"{blobs}/blobs/sha256/{d.split(':', 1)[1]}"
index = json.load(open(f"{blobs}/index.json"))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    subprocess.run(["tar", "-xzf", blob(layer["digest"]), "-C", rootfs, "--numeric-owner"], check=True)
config = json.load(open(blob(manifest["config"]["digest"])))["config"]
json.dump(config, open(rootfs + ".config.json", "w"))
EOF
rm -rf "$WORK/blobs"
IMAGE_JDK_OPTS="$(python3 -c 'import json,sys; print(next(e.split("=",1)[1] for e in json.load(open(sys.argv[1]))["Env"] if e.startswith("JDK_JAVA_OPTIONS=")))' "$ROOTFS.config.json")"
NO_CACHE_OPTS="$(echo "$IMAGE_JDK_OPTS" | sed 's/-XX:AOTCache=[^ ]* *//')"
HEAP_OPTS="$(python3 -c 'import json,sys; print(" ".join(o for o in json.load(open(sys.argv[1]))["Entrypoint"] if o.startswith("-X")))' "$ROOTFS.config.json")"
echo "image: $IMAGE; JDK_JAVA_OPTIONS: $IMAGE_JDK_OPTS; heap: $HEAP_OPTS"

for v in "${VARIANTS[@]}"; do
  if [ "$v" = cache-coh ]; then
    echo "training a cache with -XX:+UseCompactObjectHeaders"
    # shellcheck disable=SC2086
    images/aot-train.sh "$ROOTFS" "$WORK/coh" "$NO_CACHE_OPTS -XX:+UseCompactObjectHeaders" $HEAP_OPTS
    cp "$WORK/coh/agent.aot" "$ROOTFS/app/agent-coh.aot"
  fi
  if [ "$v" = cache-default ] || [ "$v" = cache-all ]; then
    echo "training a cache with TRAIN_FEATURES=${v#cache-}"
    # shellcheck disable=SC2086
    TRAIN_FEATURES="${v#cache-}" images/aot-train.sh "$ROOTFS" "$WORK/$v" "$NO_CACHE_OPTS" $HEAP_OPTS
    cp "$WORK/$v/agent.aot" "$ROOTFS/app/agent-$v.aot"
  fi
done

python3 images/stub_mcp_server.py "$WORK/stub.port" &
STUB=$!
for _ in $(seq 1 50); do [ -s "$WORK/stub.port" ] && break; sleep 0.1; done
export STUB_PORT="$(cat "$WORK/stub.port")"
mkdir -p "$WORK/config"
chmod -R a+rX "$WORK"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$ROOTFS" "$WORK" "$OUT" "$NO_CACHE_OPTS" "$HEAP_OPTS" "$CONFIGS" "${VARIANTS[@]}" <<'EOF'
import http.client, json, os, re, shutil, signal, socket, statistics, subprocess, sys, time
rootfs, work, out, no_cache, heap, configs = sys.argv[1:7]
variants = sys.argv[7:]
runs, full_runs = int(os.environ["RUNS"]), int(os.environ["FULL_RUNS"])
rest, load_s, rate = float(os.environ["REST_SECONDS"]), float(os.environ["LOAD_SECONDS"]), os.environ["RATE"]
image_env = json.load(open(rootfs + ".config.json"))["Env"]
host_opts = [o for line in open("scripts/agent-java-opts") for o in line.split("#")[0].split()]
tick = os.sysconf("SC_CLK_TCK")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def command(variant, env):
    jdk = {"nocache": no_cache, "cache": no_cache + " -XX:AOTCache=/app/mcp-sidecar-agent.aot",
           "nocache-coh": no_cache + " -XX:+UseCompactObjectHeaders",
           "cache-coh": no_cache + " -XX:+UseCompactObjectHeaders -XX:AOTCache=/app/agent-coh.aot",
           "cache-default": no_cache + " -XX:AOTCache=/app/agent-cache-default.aot",
           "cache-all": no_cache + " -XX:AOTCache=/app/agent-cache-all.aot"}
    if variant == "jdk17":
        return ["taskset", "-c", "1", "setpriv", "--reuid=65532", "--regid=65532", "--clear-groups",
                "env", "-i", "PATH=/usr/bin:/bin", *[f"{k}={v}" for k, v in env.items()],
                "java", *host_opts, "-jar", "target/images/mcp-sidecar-agent.jar", "--config", f"{work}/config/config.yaml"]
    envs = [e for e in image_env if not e.startswith("JDK_JAVA_OPTIONS=")]
    envs += ["JDK_JAVA_OPTIONS=" + jdk[variant]] + [f"{k}={v}" for k, v in env.items()]
    script = r'''set -e
root="$1"; data="$2"; shift 2
mount --make-rprivate /
mount --bind "$root" "$root"
mount --bind "$data" "$root/etc/mcp-sidecar"
mount -o remount,bind,ro "$root/etc/mcp-sidecar"
mount -t proc proc "$root/proc"
mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
# the devices a container runtime gives every container (the JDK seeds SecureRandom from
# /dev/urandom; without it, it spins threads for entropy for seconds)
mount -t tmpfs -o size=64k,mode=755 tmpfs "$root/dev"
for d in null zero full random urandom tty; do touch "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
mount -o remount,bind,ro "$root"
envs=(); while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
exec env -i "${envs[@]}" "$(command -v chroot)" --userspec=65532:65532 "$root" "$@"'''
    return ["taskset", "-c", "1", "unshare", "--mount", "--pid", "--fork", "--kill-child=SIGKILL",
            "bash", "-c", script, "run", rootfs, f"{work}/config", *envs, "--",
            "/opt/java/bin/java", *heap.split(), "-jar", "/app/mcp-sidecar-agent.jar",
            "--config", "/etc/mcp-sidecar/config.yaml"]

def java_pid(top):
    pid = top
    for _ in range(6):  # taskset/setpriv/env exec in place; unshare --fork has a child
        try:
            if open(f"/proc/{pid}/comm").read().strip() == "java":
                return pid
            kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
        except OSError:  # it has exited (a JVM that did not start)
            return None
        if not kids:
            return None
        pid = int(kids[0])
    return None

def status(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])

def cpu_ms(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 // tick

def cpu1_busy():  # jiffies CPU 1 spent busy (not idle or iowait), every process
    for line in open("/proc/stat"):
        if line.startswith("cpu1 "):
            f = [int(x) for x in line.split()[1:]]
            return sum(f) - f[3] - f[4]

def ready(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/readyz")
        return c.getresponse().status == 200
    except OSError:
        return False

def classes(pid):
    try:
        r = subprocess.run([os.environ["JCMD"], str(pid), "VM.metaspace"], capture_output=True, text=True, timeout=20)
        m = re.search(r"Total Usage.*?(\d+) classes", r.stdout, re.S)
        return int(m.group(1)) if m else None
    except (subprocess.SubprocessError, OSError):
        return None

rows = []
results = open(f"{out}/results.tsv", "a")
for config in configs.split():
    for variant in variants:
        for run in range(runs):
            mcp, admin = free_port(), free_port()
            env = {"MCP_PORT": mcp, "ADMIN_PORT": admin, "UPSTREAM_URL": f"http://127.0.0.1:{os.environ['STUB_PORT']}/mcp",
                   "OTLP_URL": f"http://127.0.0.1:{os.environ['STUB_PORT']}"}
            if os.environ.get("AGENT_JAVA_TOOL_OPTIONS"):  # e.g. -Xlog:class+load:stdout to see where the time goes
                env["JAVA_TOOL_OPTIONS"] = os.environ["AGENT_JAVA_TOOL_OPTIONS"]
            shutil.copy(f"benchmarks/configs/{config}.yaml", f"{work}/config/config.yaml")
            os.chmod(f"{work}/config/config.yaml", 0o644)
            log = open(f"{out}/{config}-{variant}-{run}.log", "w")
            t0, busy0 = time.monotonic(), cpu1_busy()
            p = subprocess.Popen(command(variant, env), stdout=log, stderr=subprocess.STDOUT)
            pid = None
            row = {"config": config, "variant": variant, "run": run}
            while time.monotonic() - t0 < 60:
                if ready(admin):
                    row["ready_ms"] = round((time.monotonic() - t0) * 1000)
                    break
                if p.poll() is not None:
                    break
                time.sleep(0.002)
            pid = java_pid(p.pid)
            if "ready_ms" in row and pid:
                row["cpu_ms"] = cpu_ms(pid)
                # the share of CPU 1 that other processes took while the agent started
                elapsed_ticks = (time.monotonic() - t0) * tick
                row["other_cpu1"] = round(max(0, (cpu1_busy() - busy0) - row["cpu_ms"] * tick / 1000) / elapsed_ticks, 2)
                row["rss_ready"] = round(status(pid, "VmRSS") / 1024, 1)
                if run < full_runs:
                    time.sleep(max(0, rest - (time.monotonic() - t0)))
                    row["rss_rest"] = round(status(pid, "VmRSS") / 1024, 1)
                    row["threads"] = len(os.listdir(f"/proc/{pid}/task"))
                    row["classes"] = classes(pid)
                    if load_s > 0:
                        r = subprocess.run(["python3", "images/mcp_traffic.py", "load", str(mcp), rate, str(load_s)],
                                           capture_output=True, text=True)
                        sent, errors, achieved = (r.stdout.split() + ["?"] * 3)[:3]
                        row.update(rss_load=round(status(pid, "VmRSS") / 1024, 1),
                                   hwm_load=round(status(pid, "VmHWM") / 1024, 1), load_rps=achieved, load_errors=errors)
            if pid:
                os.kill(pid, signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill(); p.wait()
            log.close()
            print(json.dumps(row), flush=True)
            results.write(json.dumps(row) + "\n"); results.flush()
            rows.append(row)

def med(vals):
    vals = [v for v in vals if isinstance(v, (int, float))]
    return statistics.median(vals) if vals else None

keys = ["ready_ms", "cpu_ms", "other_cpu1", "rss_ready", "rss_rest", "threads", "classes", "rss_load", "hwm_load"]
print("\n| config | variant | " + " | ".join(keys) + " | ready_ms runs |")
print("|---|---|" + "---:|" * len(keys) + "---|")
for config in configs.split():
    for variant in variants:
        rs = [r for r in rows if r["config"] == config and r["variant"] == variant]
        cells = [med([r.get(k) for r in rs]) for k in keys]
        print(f"| {config} | {variant} | " + " | ".join("–" if c is None else f"{c:g}" for c in cells)
              + " | " + ", ".join(str(r.get("ready_ms", "–")) for r in rs) + " |")
EOF
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
