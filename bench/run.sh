#!/usr/bin/env bash
# Builds Orderly and the benchmark with the Maven wrapper, installs the PostGraphile peer with npm,
# then runs the whole benchmark and prints the report (also written to bench/target/bench-report.md).
# Needs Java 17+, Maven access and npm (any Node.js; the peer brings its own Node 22). Where wrk is
# installed (e.g. `apt-get install wrk`) it drives the read path; otherwise the benchmark JVM does.
#
#   bench/run.sh            the full run (10k customers, 2k products, 200k orders; about 17 minutes on 2 cores)
#   bench/run.sh --quick    a small data set and short runs: about 11 minutes
#   bench/run.sh --quick --read-path   only the read path against its peers, and its profiles
#   bench/run.sh --quick --freshness   only freshness (commit to read model and to subscriber)
#   bench/run.sh --quick --freshness --orderly.projector.poll-interval=1ms
#                           any --orderly.…=… option is given to the measured Orderly
#
# Extra Maven options can be passed in MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q ${MAVEN_ARGS:-} package -DskipTests -pl api,bench -am
# PostGraphile 5 and the Node 22 it needs, both from the npm registry, pinned by the lock file.
if [ ! -x bench/postgraphile/node_modules/.bin/node ]; then
    npm ci --prefix bench/postgraphile --no-audit --no-fund
fi
exec java -Xms256m -Xmx1g -jar bench/target/orderly-bench-0.1.0-SNAPSHOT.jar "$@"
