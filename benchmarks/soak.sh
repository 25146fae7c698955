#!/usr/bin/env bash
# The hostile-client soak (docs/benchmarks.md, "Soak under attack"): the agent jar with
# benchmarks/configs/soak.yaml and the recommended JVM options at an injected agent's heap (192m),
# attacked for 3 minutes (-Dsoak.seconds=N to change) by made-up session ids, stalled and aborted
# uploads, half headers, silent connections, odd methods, random tool names, batches, control
# characters in ids and held GET streams, beside a normal client. Fails unless the agent stays up,
# under its RSS ceiling, serves the normal client and every in-flight gauge returns to zero.
# Report: benchmarks/target/soak/soak.md. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -pl benchmarks -am verify -Psoak -DskipTests "$@"
