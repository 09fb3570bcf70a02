#!/usr/bin/env bash
# Benchmarks stack-deploy and stack-shutdown end to end on the simulated cluster (fabric8 mock server in CRUD mode
# plus test-support's SimulatedCluster): wall time and the number of API requests each run makes.
#   REPS=3 POLL=2s bench/stack-steps.sh
# POLL is the steps' --poll-interval (default 2s, the steps' own default), which bounds every wait.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${REPS:-3}"
POLL="${POLL:-2s}"
echo "stack-steps benchmark: reps=$REPS poll=$POLL, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
mvn -B -ntp -pl stack-deploy,stack-shutdown -am test \
    -Dtest='StackDeployBenchmark,StackShutdownBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.reps="$REPS" -Dbench.poll="$POLL" 2>"${TMPDIR:-/tmp}/stack-steps-bench.err" | grep "^BENCH" | sed "s/^BENCH //"
