#!/usr/bin/env bash
# The full benchmark behind docs/benchmarks.md: direct, nginx and the agent (minimal and all
# features) in one run, plus start-up, SSE, idle streams, JMH and the budget verdict. About 15
# minutes. Writes benchmarks/target/bench/results.md (the table for the doc) and results.json.
#
# Needs nginx (Debian: apt-get install -y nginx); wrk is used for saturation when installed
# (apt-get install -y wrk), else a closed-loop Java client. Runs as root or with a raised open-file
# limit for the 10,000-stream test. Extra arguments go to Maven, e.g. -Dbench.jdk25=/path/to/jdk.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -pl benchmarks -am verify -Pbench -DskipTests "$@"
