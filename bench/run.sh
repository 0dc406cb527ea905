#!/usr/bin/env bash
# Builds Orderly and the benchmark with the Maven wrapper, then runs the whole benchmark and prints
# the report (also written to bench/target/bench-report.md). Needs only Java 17+ and Maven access.
#
#   bench/run.sh            the full run (10k customers, 2k products, 200k orders; about 13 minutes on 2 cores)
#   bench/run.sh --quick    a small data set and short runs, to try the harness in a few minutes
#
# Extra Maven options can be passed in MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q ${MAVEN_ARGS:-} package -DskipTests -pl api,bench -am
exec java -Xms256m -Xmx1g -jar bench/target/orderly-bench-0.1.0-SNAPSHOT.jar "$@"
