#!/usr/bin/env bash
# Builds the agent and injector container images as reproducible OCI archives, with no container
# daemon and no registry (docs/release.md, "Images"):
#
#   target/images/mcp-sidecar-agent.tar      ghcr.io/mcp-sidecar/agent:<project version>
#   target/images/mcp-sidecar-injector.tar   ghcr.io/mcp-sidecar/injector:<project version>
#
# plus, per image, <image>.tar.json (digest, sizes, layers) and <image>.cdx.json (CycloneDX SBOM:
# the jar's components, the Java runtime, the Debian packages), and for the whole build
# provenance.json (in-toto statement, SLSA v1 predicate) and SHA256SUMS.
#
# Layers, the way distroless images are made:
#   base     Debian 12 packages fetched with apt-get download and unpacked with dpkg-deb -x (no
#            package scripts run): libc6, libgcc-s1, gcc-12-base, ca-certificates (bundle written
#            here), tzdata, netbase, base-files; /etc/passwd and /etc/group with nonroot (65532)
#   runtime  a Java runtime cut with jlink from the JDK in IMAGE_JDK (modules in images/java-modules),
#            with its default CDS archive, at /opt/java
#   app      the shaded jar at /app
#   aot      (agent, JDK 25+) the AOT cache /app/mcp-sidecar-agent.aot, from a training run of the
#            agent in the image's own files (images/aot-train.sh); not byte-for-byte reproducible,
#            so it is the last layer and the others are (docs/release.md, "Reproducible")
#
# Same inputs (jars, .debs, JDK, SOURCE_DATE_EPOCH) give the same digests: times are fixed to the
# commit time of HEAD, owners are root (65532 for /home/nonroot), entries are sorted and gzip
# carries no timestamp. scripts/test-images.sh builds twice and compares.
#
# Environment: IMAGES_OUT (default target/images), IMAGE_JDK (default Temurin 25),
# SOURCE_DATE_EPOCH (default: commit time of HEAD), DEB_CACHE (where .debs are kept),
# IMAGE_AOT_CACHE=0 (no AOT cache layer). Needs root for the training run (unshare, chroot).
# Needs: a JDK with jlink (17 or newer), python3, dpkg-deb and apt-get (Debian or Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

OUT="${IMAGES_OUT:-target/images}"
JDK="${IMAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DEB_CACHE="${DEB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcp-sidecar/debs}"
SOURCE_URI="https://github.com/mcp-sidecar/mcp-sidecar"
DEBS=(libc6 libgcc-s1 gcc-12-base ca-certificates tzdata netbase base-files)
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

VERSION="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)"
REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
AGENT_JAR=agent/target/mcp-sidecar-agent.jar
INJECTOR_JAR=injector-webhook/target/mcp-sidecar-injector.jar

log() { echo "[build-images] $*" >&2; }

if [ ! -x "$JDK/bin/jlink" ]; then
  # no Temurin 25: the JDK that builds the project (17 or newer) cuts the runtime
  JDK="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
  log "IMAGE_JDK not found; using $JDK"
fi
[ -x "$JDK/bin/jlink" ] || { log "no jlink in $JDK (set IMAGE_JDK)"; exit 1; }
JDK_FEATURE="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")"
COMPRESS="zip-6"
if [ "${JDK_FEATURE:-17}" -lt 21 ]; then COMPRESS="2"; fi
if [ ! -f "$AGENT_JAR" ] || [ ! -f "$INJECTOR_JAR" ]; then
  log "building the jars"
  ./mvnw -B -q -DskipTests package -pl agent,injector-webhook -am
fi

mkdir -p "$OUT" "$DEB_CACHE"
OUT="$(cd "$OUT" && pwd)"
WORK="$OUT/work"
rm -rf "$WORK"
mkdir -p "$WORK"

# --- Debian packages -----------------------------------------------------------------------
(
  cd "$DEB_CACHE"
  rm -f ./*.deb
  if ! apt-get download "${DEBS[@]}" >/dev/null 2>"$WORK/apt.log"; then
    SUDO=""
    if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
    log "apt-get download failed; updating the package lists once"
    $SUDO apt-get update -qq
    apt-get download "${DEBS[@]}" >/dev/null
  fi
)

BASE="$WORK/base"
mkdir -p "$BASE/var/lib/dpkg/status.d"
: >"$WORK/debs.txt"
for deb in $(ls "$DEB_CACHE"/*.deb | LC_ALL=C sort); do
  dpkg-deb -x "$deb" "$BASE"
  pkg="$(dpkg-deb -f "$deb" Package)"
  # what scanners read to list the packages of a distroless-style image
  dpkg-deb -f "$deb" >"$BASE/var/lib/dpkg/status.d/$pkg"
  source="$(dpkg-deb -f "$deb" Source | cut -d' ' -f1)"
  printf '%s %s %s %s\n' "$pkg" "$(dpkg-deb -f "$deb" Version)" "$(dpkg-deb -f "$deb" Architecture)" \
    "${source:-$pkg}" >>"$WORK/debs.txt"
done
(
  cd "$BASE"
  # keep the copyright files, drop what a JVM never reads; no shell scripts (there is no shell)
  find usr/share/doc -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  rm -rf usr/share/man usr/share/info usr/share/lintian usr/share/locale usr/share/gcc \
    usr/lib/x86_64-linux-gnu/gconv usr/sbin/update-ca-certificates etc/update-motd.d \
    etc/ca-certificates etc/profile.d etc/skel etc/default
  mkdir -p etc/ssl/certs
  find usr/share/ca-certificates -name '*.crt' | LC_ALL=C sort | xargs cat >etc/ssl/certs/ca-certificates.crt
  cat >etc/passwd <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >etc/group <<'EOF'
root:x:0:
nobody:x:65534:
nonroot:x:65532:
EOF
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n' \
    >etc/nsswitch.conf
  mkdir -p tmp home/nonroot proc sys dev
  chmod 1777 tmp
  chmod 0700 home/nonroot
  # mount points: the agent's config (ConfigMap) and the injector's TLS files and catalog
  mkdir -p etc/mcp-sidecar etc/mcp-sidecar-injector/tls etc/mcp-sidecar-injector/catalog
  find . -type d -exec chmod u+rwx,go+rx {} + -o -type f -exec chmod go+r {} +
  chmod 1777 tmp
  chmod 0700 home/nonroot
)

# --- Java runtime ----------------------------------------------------------------------------
RUNTIME="$WORK/runtime"
MODULES="$(sed 's/#.*//' images/java-modules | xargs | tr ' ' ',')"
mkdir -p "$RUNTIME/opt" "$RUNTIME/usr/bin"
log "jlink: $MODULES"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress="$COMPRESS" --generate-cds-archive --output "$RUNTIME/opt/java" >/dev/null
# the archive for heaps over 32 GiB (no compressed oops) is never used by these processes
rm -f "$RUNTIME/opt/java/lib/server/classes_nocoops.jsa"
ln -s /opt/java/bin/java "$RUNTIME/usr/bin/java"
RUNTIME_VERSION="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$RUNTIME/opt/java/release")"
RUNTIME_VENDOR="$(sed -n 's/^IMPLEMENTOR="\(.*\)"/\1/p' "$RUNTIME/opt/java/release")"
printf '{"jdk":"%s","vendor":"%s","version":"%s","modules":["%s"]}\n' "$(basename "$JDK")" \
  "$RUNTIME_VENDOR" "$RUNTIME_VERSION" "${MODULES//,/\",\"}" >"$WORK/runtime.json"

# --- images ------------------------------------------------------------------------------------
json_array() { local out="" a; for a in "$@"; do out+="${out:+,}\"$a\""; done; echo "[$out]"; }

# The agent's recommended JVM options (scripts/agent-java-opts): heap sizes go on the entrypoint,
# the rest in JDK_JAVA_OPTIONS so that `java -jar` with another command (the injected container)
# gets them too.
mapfile -t AGENT_OPTS < <(sed 's/#.*//' scripts/agent-java-opts | xargs -n1)
AGENT_HEAP=()
AGENT_JDK_OPTS=()
for o in "${AGENT_OPTS[@]}"; do
  case "$o" in -Xms* | -Xmx*) AGENT_HEAP+=("$o") ;; *) AGENT_JDK_OPTS+=("$o") ;; esac
done

stage_app() { # short-name jar: the app layer's directory
  local app="$WORK/$1-app"
  mkdir -p "$app/app"
  cp "$2" "$app/app/$(basename "$2")"
  chmod 0644 "$app/app/$(basename "$2")"
}

image() { # name short-name jar title description entrypoint-json cmd-json jdk-opts ports-json [extra-layers-json]
  local name="$1" short="$2" jar="$3" title="$4" description="$5" entrypoint="$6" cmd="$7" opts="$8" ports="$9"
  local extra="${10:-}"
  local app="$WORK/$short-app"
  [ -d "$app" ] || stage_app "$short" "$jar"
  cat >"$WORK/$short.spec.json" <<EOF
{
  "name": "$name",
  "tag": "$VERSION",
  "created_epoch": $EPOCH,
  "user": "65532:65532",
  "workdir": "/",
  "env": [
    "PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "JAVA_HOME=/opt/java",
    "LANG=C.UTF-8",
    "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
    "JDK_JAVA_OPTIONS=$opts"
  ],
  "entrypoint": $entrypoint,
  "cmd": $cmd,
  "ports": $ports,
  "labels": {
    "org.opencontainers.image.title": "$title",
    "org.opencontainers.image.description": "$description",
    "org.opencontainers.image.version": "$VERSION",
    "org.opencontainers.image.revision": "$REVISION",
    "org.opencontainers.image.source": "$SOURCE_URI",
    "org.opencontainers.image.url": "$SOURCE_URI",
    "org.opencontainers.image.licenses": "Apache-2.0",
    "org.opencontainers.image.vendor": "MCP Sidecar",
    "org.opencontainers.image.base.name": "scratch"
  },
  "layers": [
    {"name": "base", "dir": "$BASE", "owners": {"home/nonroot": 65532},
     "created_by": "dpkg-deb -x $(cut -d' ' -f1,2 "$WORK/debs.txt" | tr ' ' '=' | xargs)"},
    {"name": "runtime", "dir": "$RUNTIME",
     "created_by": "jlink --add-modules $MODULES --strip-debug --no-header-files --no-man-pages --compress=$COMPRESS --generate-cds-archive ($(basename "$JDK") $RUNTIME_VERSION)"},
    {"name": "app", "dir": "$app", "created_by": "COPY $jar /app/"}$extra
  ]
}
EOF
  python3 images/oci.py image --spec "$WORK/$short.spec.json" --out "$OUT/$short.tar"
}

# The agent's AOT cache (JDK 25+): a training run of the agent in the image's own root filesystem
# (images/aot-train.sh), with the image's JVM options, so that the cache matches what the
# entrypoint runs. It goes in a layer of its own, the last: the cache is not byte-for-byte
# reproducible (docs/release.md, "Reproducible"), and the layers below it are.
AGENT_JAVA_OPTIONS="${AGENT_JDK_OPTS[*]} -Djava.io.tmpdir=/tmp"
AGENT_EXTRA_LAYERS=""
stage_app mcp-sidecar-agent "$AGENT_JAR"
if [ "${JDK_FEATURE:-17}" -ge 25 ] && [ "${IMAGE_AOT_CACHE:-1}" = "1" ]; then
  if [ "$(id -u)" != "0" ]; then
    log "the AOT cache's training run needs root (unshare, mount, chroot): run as root, or IMAGE_AOT_CACHE=0"
    exit 1
  fi
  TRAIN_ROOT="$WORK/train-root"
  mkdir -p "$TRAIN_ROOT"
  cp -a "$BASE/." "$RUNTIME/." "$WORK/mcp-sidecar-agent-app/." "$TRAIN_ROOT/"
  # the class path is checked by size and modification time: the image's time
  find "$TRAIN_ROOT" -exec touch -h -d "@$EPOCH" {} +
  log "AOT cache: training run"
  images/aot-train.sh "$TRAIN_ROOT" "$WORK/aot-out" "$AGENT_JAVA_OPTIONS" "${AGENT_HEAP[@]}"
  mkdir -p "$WORK/agent-aot/app"
  cp "$WORK/aot-out/agent.aot" "$WORK/agent-aot/app/mcp-sidecar-agent.aot"
  chmod 0644 "$WORK/agent-aot/app/mcp-sidecar-agent.aot"
  cp "$WORK/aot-out/train.log" "$OUT/mcp-sidecar-agent.aot-train.log"
  rm -rf "$TRAIN_ROOT" "$WORK/aot-out"
  AGENT_JAVA_OPTIONS="-XX:AOTCache=/app/mcp-sidecar-agent.aot $AGENT_JAVA_OPTIONS"
  AGENT_EXTRA_LAYERS=",
    {\"name\": \"aot\", \"dir\": \"$WORK/agent-aot\",
     \"created_by\": \"java -XX:AOTCacheOutput=/app/mcp-sidecar-agent.aot (training run: images/aot-train.sh)\"}"
else
  log "no AOT cache (JDK $JDK_FEATURE, IMAGE_AOT_CACHE=${IMAGE_AOT_CACHE:-1})"
fi

image ghcr.io/mcp-sidecar/agent mcp-sidecar-agent "$AGENT_JAR" "MCP Sidecar agent" \
  "The MCP Sidecar data plane: a proxy for MCP servers" \
  "$(json_array /opt/java/bin/java "${AGENT_HEAP[@]}" -jar /app/mcp-sidecar-agent.jar)" \
  '["--config","/etc/mcp-sidecar/config.yaml"]' \
  "$AGENT_JAVA_OPTIONS" '["9000/tcp","9901/tcp"]' "$AGENT_EXTRA_LAYERS"

image ghcr.io/mcp-sidecar/injector mcp-sidecar-injector "$INJECTOR_JAR" "MCP Sidecar injector" \
  "The MCP Sidecar admission webhook: injects the agent, checks the catalog" \
  '["/opt/java/bin/java","-jar","/app/mcp-sidecar-injector.jar"]' '[]' \
  "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
  '["8443/tcp"]'

# --- SBOMs, provenance, checksums --------------------------------------------------------------
for pair in mcp-sidecar-agent:agent mcp-sidecar-injector:injector-webhook; do
  short="${pair%%:*}"
  module="${pair#*:}"
  if [ -f "$module/target/bom.json" ]; then
    cp "$module/target/bom.json" "$OUT/$short.jar.cdx.json"
  else
    log "no $module/target/bom.json (the CycloneDX plugin runs in the package phase); the image SBOM lists no jar components"
    echo '{}' >"$OUT/$short.jar.cdx.json"
  fi
  python3 images/oci.py sbom --spec "$WORK/$short.spec.json" --image-json "$OUT/$short.tar.json" \
    --jar-bom "$OUT/$short.jar.cdx.json" --runtime "$WORK/runtime.json" --debs "$WORK/debs.txt" \
    --out "$OUT/$short.cdx.json"
done
cp "$AGENT_JAR" "$INJECTOR_JAR" "$OUT/"
cp "$WORK/debs.txt" "$OUT/debian-packages.txt"
python3 images/oci.py provenance --out "$OUT/provenance.json" --source-uri "git+$SOURCE_URI" \
  --revision "$REVISION" --version "$VERSION" --command "scripts/build-images.sh" \
  --builder "${BUILDER_ID:-$(uname -n)}" --jdk "$(basename "$JDK") $RUNTIME_VERSION" --epoch "$EPOCH" \
  --started "$STARTED" --debs "$WORK/debs.txt" \
  --images "$OUT/mcp-sidecar-agent.tar.json" "$OUT/mcp-sidecar-injector.tar.json" -- \
  "$OUT"/mcp-sidecar-agent.jar "$OUT"/mcp-sidecar-injector.jar "$OUT"/*.tar "$OUT"/*.cdx.json
(
  cd "$OUT"
  sha256sum mcp-sidecar-agent.jar mcp-sidecar-injector.jar ./*.tar ./*.cdx.json provenance.json \
    | sed 's#  \./#  #' >SHA256SUMS
)
rm -rf "$WORK"
log "done: $(cd "$ROOT" && realpath --relative-to=. "$OUT")"
